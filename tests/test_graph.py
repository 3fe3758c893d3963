from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap.errors import UsageError
from roadmap.graph import (
    GraphView,
    cpm,
    dependency_graph,
    neighbourhood,
    ordered_by_priority,
    transitive_reduction,
)
from roadmap.graph import view as graph_view
from roadmap.model import Portfolio, Project, Strategy
from roadmap.schedule import duration_months


def view(data: Portfolio, *args: Any, **options: Any) -> GraphView:
    """graph.view with the capacity model's durations, as ``roadmap graph`` calls it."""
    return graph_view(data, *args, duration=duration_months, **options)


PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIELDS = ["a", "b", "c"]


def portfolio(projects: list[dict[str, Any]]) -> Portfolio:
    strategy = Strategy.model_validate(
        {
            "organization": "Stadt",
            "title": "T",
            "period": {"start": "2026-01-01", "end": "2030-12-31"},
            "fields": [{"id": f, "title": f} for f in FIELDS],
            "criteria": [{"id": "nutzen", "title": "Nutzen", "scale": [1, 5]}],
        }
    )
    items = [Project.model_validate({"title": p["id"], **p}) for p in projects]
    return Portfolio(strategy=strategy, projects={p.id: p for p in items})


@st.composite
def dags(draw: Any) -> dict[str, list[str]]:
    """Acyclic prerequisites (an edge only from a lower to a higher index) under
    shuffled names, with duplicates, unknown ids and ties."""
    count = draw(st.integers(min_value=0, max_value=14))
    names = [f"n{i:02d}" for i in draw(st.permutations(range(count)))]
    return {
        n: [names[k] for k in draw(st.lists(st.integers(0, i - 1), max_size=5))]
        + draw(st.lists(st.just("unknown"), max_size=1))
        if i
        else []
        for i, n in enumerate(names)
    }


@st.composite
def portfolios(draw: Any) -> list[dict[str, Any]]:
    prerequisites = draw(dags())
    return [
        {
            "id": pid,
            "depends_on": [d for d in dict.fromkeys(before) if d in prerequisites],
            "field": draw(st.sampled_from(FIELDS)),
            "status": draw(st.sampled_from(["proposed", "approved", "in_progress", "done"])),
            "duration_months": draw(st.integers(1, 6)),
        }
        for pid, before in prerequisites.items()
    ]


def _ordered_reference(
    prerequisites: dict[str, list[str]], key: Callable[[str], Any] | None = None
) -> list[str]:
    """ordered_by_priority as first written, to check the faster one against."""
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
    return order


@PROPERTY
@given(dags(), st.booleans())
def test_order_is_the_former_one(prerequisites: dict[str, list[str]], keyed: bool) -> None:
    key = (lambda n: (len(prerequisites[n]) % 3, n)) if keyed else None
    assert ordered_by_priority(prerequisites, key) == _ordered_reference(prerequisites, key)


def test_order_refuses_a_cycle() -> None:
    with pytest.raises(ValueError, match="cycle"):
        ordered_by_priority({"a": ["b"], "b": ["a"]})


def _closure(prerequisites: dict[str, list[str]]) -> set[tuple[str, str]]:
    graph = nx.DiGraph()
    graph.add_nodes_from(prerequisites)
    graph.add_edges_from(
        (d, n) for n, before in prerequisites.items() for d in before if d in prerequisites
    )
    return set(nx.transitive_closure_dag(graph).edges())


@PROPERTY
@given(dags())
def test_reduction_is_networkx_one_and_keeps_what_is_needed(
    prerequisites: dict[str, list[str]],
) -> None:
    reduced = transitive_reduction(prerequisites)
    graph = nx.DiGraph()
    graph.add_nodes_from(prerequisites)
    graph.add_edges_from(
        (d, n) for n, before in prerequisites.items() for d in before if d in prerequisites
    )
    expected = set(nx.transitive_reduction(graph).edges())
    assert {(d, n) for n, before in reduced.items() for d in before} == expected
    assert _closure(reduced) == _closure(prerequisites)
    assert list(reduced) == list(prerequisites)
    for node, before in reduced.items():  # given order, no duplicates
        assert before == [d for d in dict.fromkeys(prerequisites[node]) if d in before]


def test_reduction_of_a_complete_graph_is_its_chain() -> None:
    ids = [f"p{i:04d}" for i in range(2000)]
    reduced = transitive_reduction({pid: ids[:i] for i, pid in enumerate(ids)})
    assert reduced == {pid: ids[i - 1 : i] for i, pid in enumerate(ids)}


def _former_view(
    data: Portfolio, fields: list[str], around: str | None, depth: int, all_projects: bool
) -> tuple[list[str], list[tuple[str, str]], set[tuple[str, str]]]:
    """What the graph command computed with networkx before view()."""
    network = dependency_graph(data)
    keep = {
        p.id
        for p in data.projects.values()
        if (all_projects or p.is_open) and (not fields or p.field in fields)
    }
    if around is not None:
        keep = set(neighbourhood(network, around, depth)) & (keep | {around})
    shown = network.subgraph(keep)
    nodes = [data.projects[n] for n in sorted(shown)]
    open_nodes = [p for p in nodes if p.is_open]
    path = cpm(
        {p.id: float(duration_months(p)[0]) for p in open_nodes},
        {p.id: p.depends_on for p in open_nodes},
    ).critical_path()
    return [p.id for p in nodes], sorted(shown.edges()), set(itertools.pairwise(path))


@PROPERTY
@given(
    portfolios(),
    st.lists(st.sampled_from(FIELDS), max_size=2),
    st.integers(0, 14),
    st.integers(1, 3),
    st.booleans(),
)
def test_view_draws_what_the_command_drew(
    projects: list[dict[str, Any]],
    fields: list[str],
    center: int,
    depth: int,
    all_projects: bool,
) -> None:
    data = portfolio(projects)
    ids = sorted(data.projects)
    for around in [None, ids[center % len(ids)]] if ids else [None]:
        drawn = view(data, fields, around, depth, all_projects)
        assert ([p.id for p in drawn.nodes], drawn.edges, drawn.critical) == _former_view(
            data, fields, around, depth, all_projects
        )
        reduced = view(data, fields, around, depth, all_projects, reduce=True)
        assert reduced.nodes == drawn.nodes
        assert set(reduced.edges) <= set(drawn.edges)
        shown = {p.id: [a for a, b in drawn.edges if b == p.id] for p in drawn.nodes}
        fewer = {p.id: [a for a, b in reduced.edges if b == p.id] for p in drawn.nodes}
        assert _closure(fewer) == _closure(shown)
        assert reduced.critical == drawn.critical


def test_view_of_a_complete_graph_reduced_to_its_chain() -> None:
    ids = [f"p{i:03d}" for i in range(300)]
    data = portfolio([{"id": pid, "depends_on": ids[:i]} for i, pid in enumerate(ids)])
    full = view(data)
    assert len(full.edges) == 300 * 299 // 2
    drawn = view(data, reduce=True)
    assert drawn.edges == list(itertools.pairwise(ids))
    assert drawn.critical == set(drawn.edges)  # every project is on the critical path


def test_view_around_counts_steps_through_hidden_projects() -> None:
    data = portfolio(
        [
            {"id": "basis", "status": "done"},
            {"id": "links", "depends_on": ["basis"]},
            {"id": "rechts", "depends_on": ["basis"]},
            {"id": "weit", "depends_on": ["rechts"]},
        ]
    )
    assert [p.id for p in view(data, around="links", depth=2).nodes] == ["links", "rechts"]
    assert [p.id for p in view(data, around="basis", depth=1).nodes] == [
        "basis",
        "links",
        "rechts",
    ]
    with pytest.raises(UsageError, match=r"--around: no project 'link' \(did you mean 'links'"):
        view(data, around="link")


@pytest.mark.parametrize("density", [0.05, 0.3, 0.9])
def test_reduction_of_dense_random_graphs_is_networkx_one(density: float) -> None:
    """Many prerequisites per project: the bits are set in bulk (another code path)."""
    import random

    rng = random.Random(density)
    names = [f"n{i:03d}" for i in range(200)]
    rng.shuffle(names)
    prerequisites = {
        n: [names[k] for k in range(i) if rng.random() < density] for i, n in enumerate(names)
    }
    graph = nx.DiGraph()
    graph.add_nodes_from(names)
    graph.add_edges_from((d, n) for n, before in prerequisites.items() for d in before)
    reduced = transitive_reduction(prerequisites)
    assert {(d, n) for n, before in reduced.items() for d in before} == set(
        nx.transitive_reduction(graph).edges()
    )
