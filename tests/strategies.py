"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

Draw = Callable[[st.SearchStrategy[Any]], Any]


def project_id(index: int) -> str:
    return f"p{index:02d}"


@st.composite
def acyclic_projects(
    draw: Draw,
    max_projects: int,
    fields: Callable[[Draw, int], dict[str, Any]],
) -> list[dict[str, Any]]:
    """1 to ``max_projects`` projects ``p00``, ``p01``, … where each depends on up to two
    earlier ones (so the graph never has a cycle) and has the fields ``fields(draw, i)``
    draws for it."""
    count = draw(st.integers(min_value=1, max_value=max_projects))
    projects = []
    for i in range(count):
        deps = (
            draw(
                st.lists(st.integers(min_value=0, max_value=max(0, i - 1)), max_size=2, unique=True)
            )
            if i
            else []
        )
        projects.append(
            {"id": project_id(i), "depends_on": [project_id(d) for d in deps], **fields(draw, i)}
        )
    return projects
