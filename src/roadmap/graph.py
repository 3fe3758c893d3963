"""The dependency graph of a portfolio (networkx): an edge runs from a prerequisite to
the project that depends on it."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

from .model import Portfolio


def dependency_graph(portfolio: Portfolio) -> nx.DiGraph:
    import networkx as nx  # slow to import: only for the commands that draw or analyse

    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(portfolio.projects))
    for project in portfolio.projects.values():
        for dep in project.depends_on:
            if dep in portfolio.projects and dep != project.id:  # self: its own check
                graph.add_edge(dep, project.id)
    return graph


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
    prerequisites: dict[str, list[str]], key: Callable[[str], Any] | None = None
) -> list[str]:
    """Every node after all its prerequisites; among the nodes that are free to go next,
    the smallest ``key`` first (like networkx's lexicographical_topological_sort, in
    plain Python so that ranking does not pay 0.3 s for importing networkx).
    Prerequisites outside ``prerequisites`` are ignored; the graph must be acyclic.
    Without ``key``, any order that respects the dependencies (faster: no heap)."""
    waiting = {node: 0 for node in prerequisites}
    dependents: dict[str, list[str]] = {node: [] for node in prerequisites}
    for node, before in prerequisites.items():
        for prerequisite in set(before):
            if prerequisite in waiting and prerequisite != node:
                waiting[node] += 1
                dependents[prerequisite].append(node)
    rank = key or (lambda node: None)
    ready = [(rank(node), node) for node, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    pop, push = (heapq.heappop, heapq.heappush) if key else (list.pop, list.append)
    order = []
    while ready:
        _, node = pop(ready)
        order.append(node)
        for dependent in dependents[node]:
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                push(ready, (rank(dependent), dependent))
    if len(order) != len(waiting):
        raise ValueError("dependency cycle")  # validate reports cycles before ranking
    return order


def neighbourhood(graph: nx.DiGraph, center: str, depth: int) -> nx.DiGraph:
    """The projects at most ``depth`` dependency steps from ``center``, either way."""
    import networkx as nx

    return graph.subgraph(nx.ego_graph(graph, center, radius=depth, undirected=True)).copy()


# --- moved from the CLI (arch)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .model import Project


def dependents_of(portfolio: Portfolio, project_id: str) -> list[str]:
    """The projects that name ``project_id`` in their ``depends_on``, sorted."""
    return sorted(p.id for p in portfolio.projects.values() if project_id in p.depends_on)


def graph_view_for_cli(
    portfolio: Portfolio,
    fields: Sequence[str] = (),
    around: str | None = None,
    depth: int = 1,
    all_projects: bool = False,
) -> tuple[list[Project], list[tuple[str, str]], set[tuple[str, str]]]:
    """What ``roadmap graph`` draws: the projects (open ones unless ``all_projects``, of
    ``fields`` when given, within ``depth`` steps of ``around`` when given), the edges
    among them, and the edges on the critical path of the open projects shown."""
    import itertools

    from .schedule import cpm, duration_months  # see the layer contract's ignore_imports

    network = dependency_graph(portfolio)
    keep = {
        p.id
        for p in portfolio.projects.values()
        if (all_projects or p.is_open) and (not fields or p.field in fields)
    }
    if around is not None:
        keep = set(neighbourhood(network, around, depth)) & (keep | {around})
    shown = network.subgraph(keep)
    nodes = [portfolio.projects[n] for n in sorted(shown)]
    edges = sorted(shown.edges())
    open_nodes = [p for p in nodes if p.is_open]
    path = cpm(
        {p.id: float(duration_months(p)[0]) for p in open_nodes},
        {p.id: p.depends_on for p in open_nodes},
    ).critical_path()
    return nodes, edges, set(itertools.pairwise(path))
