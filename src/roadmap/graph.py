"""The dependency graph of a portfolio: an edge runs from a prerequisite to the project
that depends on it. Orders, cycles, closure, the critical path (CPM) and what
``roadmap graph`` draws. Pure: models in, models out."""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

from .model import Portfolio, Project

# two times closer than this are one time (CPM's floats are sums of months)
_EPS = 1e-6


def dependency_graph(portfolio: Portfolio) -> nx.DiGraph:
    import networkx as nx  # slow to import: only for the commands that draw or analyse

    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(portfolio.projects))
    graph.add_edges_from(_edges(portfolio))
    return graph


def _edges(portfolio: Portfolio) -> Iterator[tuple[str, str]]:
    """(prerequisite, dependent) for every dependency between two projects."""
    projects = portfolio.projects
    for project in projects.values():
        for dep in project.depends_on:
            if dep in projects and dep != project.id:  # self: its own check
                yield dep, project.id


def find_cycles(graph: nx.DiGraph) -> list[list[str]]:
    """One cycle per strongly connected knot, each as ``[a, b, …]`` meaning a is needed
    by b … and the last is needed by a; deterministic (starts at the smallest id)."""
    import networkx as nx

    cycles = []
    for component in nx.strongly_connected_components(graph):
        first = min(component)
        if len(component) == 1 and not graph.has_edge(first, first):
            continue
        sub = graph.subgraph(component)
        edges = nx.find_cycle(sub, source=first)
        cycles.append([u for u, _ in edges])
    return sorted(cycles)


def ordered_by_priority(
    prerequisites: Mapping[str, Iterable[str]], key: Callable[[str], Any] | None = None
) -> list[str]:
    """Every node after all its prerequisites; among the nodes that are free to go next,
    the smallest ``key`` first (like networkx's lexicographical_topological_sort, in
    plain Python so that ranking does not pay 0.3 s for importing networkx).
    Prerequisites outside ``prerequisites`` are ignored; the graph must be acyclic.
    Without ``key``, any order that respects the dependencies (faster: no heap)."""
    return order_and_dependents(prerequisites, key)[0]


def order_and_dependents(
    prerequisites: Mapping[str, Iterable[str]], key: Callable[[str], Any] | None = None
) -> tuple[list[str], dict[str, list[str]]]:
    """The order of ``ordered_by_priority`` and each node's dependents (in the order of
    ``prerequisites``), which callers walking the graph backwards reuse."""
    index = DependencyIndex.of(prerequisites)
    return index.order(key), index.dependents


@dataclass(frozen=True)
class DependencyIndex:
    """Each node's number of prerequisites inside the graph and its dependents: built
    once (a pass over every edge), then ordered as often as needed (ranking orders the
    same graph twice: for the pull and by priority)."""

    waiting: dict[str, int]
    dependents: dict[str, list[str]]

    @classmethod
    def of(cls, prerequisites: Mapping[str, Iterable[str]]) -> DependencyIndex:
        known = prerequisites.keys()
        waiting: dict[str, int] = {}
        dependents: dict[str, list[str]] = {node: [] for node in prerequisites}
        for node, before in prerequisites.items():
            inside = known & before  # a set: duplicates and unknown ids drop out in C
            inside.discard(node)
            waiting[node] = len(inside)
            # dependents[p].append(node) for each prerequisite p, looped in C (any()
            # only drives the map: append returns None)
            any(map(list.append, map(dependents.__getitem__, inside), itertools.repeat(node)))
        return cls(waiting, dependents)

    def order(self, key: Callable[[str], Any] | None = None) -> list[str]:
        """Kahn's algorithm: among the nodes free to go next, the smallest ``key``
        first (a heap); without ``key``, the last freed first (a stack)."""
        waiting = dict(self.waiting)
        dependents = self.dependents
        rank = key or (lambda node: None)
        ready = [(rank(node), node) for node, count in waiting.items() if count == 0]
        heapq.heapify(ready)
        pop, push = (heapq.heappop, heapq.heappush) if key else (list.pop, list.append)
        order: list[str] = []
        append = order.append
        while ready:
            _, node = pop(ready)
            append(node)
            for dependent in dependents[node]:
                left = waiting[dependent] - 1
                waiting[dependent] = left
                if not left:
                    push(ready, (rank(dependent), dependent))
        if len(order) != len(waiting):
            raise ValueError("dependency cycle")  # validate reports cycles before ranking
        return order


def transitive_reduction(prerequisites: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Each node's prerequisites without those it also needs through another of them:
    the fewest edges with the same "needs, directly or not" (a complete graph of 2,000
    projects keeps 1,999 of its 2 million edges). Kept prerequisites stay in their
    given order, without duplicates; unknown ids and the node itself are dropped. The
    graph must be acyclic.

    One pass in dependency order keeps each node's ancestors as a bit set (an int, bit
    i for the i-th node of the order). Of a node's prerequisites not yet covered, the
    latest in the order cannot be needed by another of them, so it is kept and its
    ancestors are covered; what is covered is redundant. Time: edges (in C) + kept
    edges × nodes / 64; memory: nodes² / 8 bytes at most."""
    order = ordered_by_priority(prerequisites)
    position = {node: i for i, node in enumerate(order)}
    ancestors: list[int] = []
    reduced: dict[str, list[str]] = {}
    for i, node in enumerate(order):
        before = prerequisites[node]
        inside = position.keys() & before
        inside.discard(node)
        if len(inside) <= 1:  # a chain or a start: nothing to reduce
            covered = 0
            for prerequisite in inside:
                bit = position[prerequisite]
                covered = ancestors[bit] | (1 << bit)
            kept = inside
        else:
            remaining = _bits(list(map(position.__getitem__, inside)), i)
            covered = 0
            kept = set()
            while remaining:
                bit = remaining.bit_length() - 1
                kept.add(order[bit])
                covered |= ancestors[bit] | (1 << bit)
                remaining &= ~covered
        ancestors.append(covered)
        reduced[node] = list(filter(kept.__contains__, dict.fromkeys(before)))
    return {node: reduced[node] for node in prerequisites}


def _bits(positions: list[int], size: int) -> int:
    """The int with exactly the bits at ``positions`` (all below ``size``) set."""
    if len(positions) < 64:
        return sum(1 << b for b in positions)
    import numpy as np  # many bits: set them in an array, not one int at a time

    flags = np.zeros(size, dtype=np.uint8)
    flags[np.array(positions)] = 1
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def neighbourhood(graph: nx.DiGraph, center: str, depth: int) -> nx.DiGraph:
    """The projects at most ``depth`` dependency steps from ``center``, either way."""
    import networkx as nx

    return graph.subgraph(nx.ego_graph(graph, center, radius=depth, undirected=True)).copy()


@dataclass(frozen=True)
class GraphView:
    """What ``roadmap graph`` draws: the projects shown (by id), the dependencies among
    them as sorted (prerequisite, dependent) pairs, and the pairs on the critical path
    of the open projects shown."""

    nodes: list[Project]
    edges: list[tuple[str, str]]
    critical: set[tuple[str, str]]


def view(
    portfolio: Portfolio,
    fields: Sequence[str] = (),
    around: str | None = None,
    depth: int = 1,
    all_projects: bool = False,
    reduce: bool = False,
    *,
    duration: Callable[[Project], tuple[int, bool]],
) -> GraphView:
    """The projects to draw: open ones (all with ``all_projects``) of the ``fields``
    given (all without), and with ``around`` only those at most ``depth`` dependency
    steps from it either way (steps through hidden projects count; ``around`` itself is
    always shown). With ``reduce``, an edge is left out when the drawing shows the same
    dependency through other projects (transitive reduction among the shown projects).
    ``duration`` gives a project's months (and whether they were assumed): the capacity
    model's ``duration_months``, which sits above this module.

    Linear in projects and dependencies (no networkx): a complete graph of 2,000
    projects has 2 million edges."""
    from .errors import UsageError
    from .load import did_you_mean

    projects = portfolio.projects
    keep = {
        p.id
        for p in projects.values()
        if (all_projects or p.is_open) and (not fields or p.field in fields)
    }
    if around is not None:
        if around not in projects:
            raise UsageError(f"--around: no project {around!r}{did_you_mean(around, projects)}")
        keep = _within(portfolio, around, depth) & (keep | {around})
    shown: dict[str, Iterable[str]] = {}
    for pid in sorted(keep):
        inside = keep & set(projects[pid].depends_on)
        inside.discard(pid)
        shown[pid] = inside
    if reduce:
        shown = dict(transitive_reduction(shown))
    # sorted (prerequisite, dependent) pairs without sorting them all: dependents are
    # collected in id order, then listed prerequisite by prerequisite in id order
    dependents: dict[str, list[str]] = {pid: [] for pid in shown}
    for pid, before in shown.items():
        for prerequisite in before:
            dependents[prerequisite].append(pid)
    edges = [(d, pid) for d, after in dependents.items() for pid in after]
    open_ids = [pid for pid in shown if projects[pid].is_open]
    path = cpm(
        {pid: float(duration(projects[pid])[0]) for pid in open_ids},
        {pid: projects[pid].depends_on for pid in open_ids},
    ).critical_path()
    return GraphView([projects[pid] for pid in shown], edges, set(itertools.pairwise(path)))


def _within(portfolio: Portfolio, center: str, depth: int) -> set[str]:
    """The projects at most ``depth`` steps from ``center`` in the dependency graph
    taken undirected (breadth first, each edge looked at once per direction)."""
    neighbours: dict[str, list[str]] = {pid: [] for pid in portfolio.projects}
    for before, after in _edges(portfolio):
        neighbours[before].append(after)
        neighbours[after].append(before)
    reached = {center}
    frontier = [center]
    for _ in range(depth):
        frontier = list(
            dict.fromkeys(n for node in frontier for n in neighbours[node] if n not in reached)
        )
        if not frontier:
            break
        reached.update(frontier)
    return reached


def dependents_of(portfolio: Portfolio, project_id: str) -> list[str]:
    """The projects that name ``project_id`` in their ``depends_on``, sorted."""
    return sorted(p.id for p in portfolio.projects.values() if project_id in p.depends_on)


# --------------------------------------------------------------------------- CPM


@dataclass(frozen=True)
class Cpm:
    """Critical path method on a network of activities with durations."""

    earliest_start: dict[str, float]
    earliest_finish: dict[str, float]
    latest_start: dict[str, float]
    latest_finish: dict[str, float]
    duration: float  # of the whole network

    def slack(self, node: str) -> float:
        return self.latest_start[node] - self.earliest_start[node]

    def critical_path(self) -> list[str]:
        """The zero-slack chain from a start to the end: among the critical nodes that
        start first, the smallest id; then, at each step, the smallest critical
        successor that starts when it ends. Only nodes on a chain that reaches the
        network's end count: a pinned node (fixed dates) has no slack by definition, but
        unless the longest chain runs through it, it is no part of the path (a tester saw
        a path of one pinned project beside a network 18 months longer). About linear in
        nodes and edges: a step intersects the node's successors (in C) with the
        critical nodes starting then."""
        critical = self._reaching_the_end(
            {n for n in self.earliest_start if abs(self.slack(n)) < _EPS}
        )
        if not critical:
            return []
        by_start: dict[float, list[str]] = {}
        for n in critical:
            by_start.setdefault(self.earliest_start[n], []).append(n)
        starts = sorted(by_start)
        near: dict[tuple[float, ...], set[str]] = {}

        def starting_at(time: float) -> set[str]:
            """The critical nodes whose earliest start is within _EPS of ``time``."""
            lo = bisect.bisect_left(starts, time - 2 * _EPS)
            hi = bisect.bisect_right(starts, time + 2 * _EPS, lo)
            chosen = tuple(t for t in starts[lo:hi] if abs(time - t) < _EPS)
            if chosen not in near:
                near[chosen] = {n for t in chosen for n in by_start[t]}
            return near[chosen]

        path: list[str] = []
        current = list(starting_at(starts[0]))
        while current:
            node = min(current)
            path.append(node)
            # a successor is never on the path already: the network is acyclic
            successors = self._successors.get(node, ())
            current = (
                list(starting_at(self.earliest_finish[node]).intersection(successors))
                if successors
                else []
            )
        return path

    def _reaching_the_end(self, critical: set[str]) -> set[str]:
        """The critical nodes from which a chain of critical nodes, each starting when
        the one before ends, leads to a node finishing when the network does."""
        if not critical:
            return critical
        end = self.duration
        before: dict[str, list[str]] = {}
        for n in critical:
            for m in self._successors.get(n, ()):
                if m in critical and abs(self.earliest_finish[n] - self.earliest_start[m]) < _EPS:
                    before.setdefault(m, []).append(n)
        reached = {n for n in critical if abs(self.earliest_finish[n] - end) < _EPS}
        todo = list(reached)
        while todo:
            for n in before.get(todo.pop(), ()):
                if n not in reached:
                    reached.add(n)
                    todo.append(n)
        return reached

    def successors_of(self, node: str) -> tuple[str, ...]:
        """The nodes that directly depend on ``node``."""
        return self._successors.get(node, ())

    _successors: dict[str, tuple[str, ...]] = field(default_factory=dict)


def cpm(
    durations: dict[str, float],
    predecessors: dict[str, Sequence[str]],
    earliest: dict[str, float] | None = None,
    fixed: dict[str, float] | None = None,
) -> Cpm:
    """Forward and backward pass. ``earliest`` gives a node's earliest start (not
    before today); ``fixed`` pins a node's start whatever its predecessors (a project
    that keeps its dates)."""
    # each node's prerequisites inside the network, once each: order and dependents
    # come from one pass, and the passes below take max/min in C (the network of a
    # complete graph of 2,000 projects has 2 million edges)
    known = durations.keys()
    preds: dict[str, set[str]] = {}
    for n in durations:
        inside = known & predecessors.get(n, ())
        inside.discard(n)
        preds[n] = inside
    order, successors = order_and_dependents(preds)
    earliest = earliest or {}
    es: dict[str, float] = {}
    ef: dict[str, float] = {}
    for n in order:
        if fixed and n in fixed:
            es[n] = fixed[n]
        else:
            base = earliest.get(n, 0.0)
            es[n] = max(max(map(ef.__getitem__, preds[n]), default=base), base)
        ef[n] = es[n] + durations[n]
    end = max(ef.values(), default=0.0)
    ls: dict[str, float] = {}
    lf: dict[str, float] = {}
    for n in reversed(order):
        lf[n] = min(min(map(ls.__getitem__, successors[n]), default=end), end)
        ls[n] = lf[n] - durations[n]
    return Cpm(es, ef, ls, lf, end, {n: tuple(s) for n, s in successors.items()})
