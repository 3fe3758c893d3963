"""The dependency graph of a portfolio (networkx): an edge runs from a prerequisite to
the project that depends on it."""

from __future__ import annotations

import networkx as nx

from .model import Portfolio


def dependency_graph(portfolio: Portfolio) -> nx.DiGraph:
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
    cycles = []
    for component in nx.strongly_connected_components(graph):
        first = min(component)
        if len(component) == 1 and not graph.has_edge(first, first):
            continue
        sub = graph.subgraph(component)
        edges = nx.find_cycle(sub, source=first)
        cycles.append([u for u, _ in edges])
    return sorted(cycles)
