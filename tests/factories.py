"""One builder for the small portfolios that tests construct in code (the data-driven
cases live under tests/cases/)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from roadmap.model import Portfolio, Project, Strategy

NUTZEN = [{"id": "nutzen", "title": "Nutzen", "scale": [1, 5]}]


def portfolio(
    projects: Sequence[dict[str, Any]],
    *,
    criteria: Sequence[dict[str, Any]] = NUTZEN,
    years: tuple[int, int] = (2026, 2028),
    capacity: tuple[float, float] | None = None,
    title: Callable[[str], str] = str,
    **strategy: Any,
) -> Portfolio:
    """A validated portfolio of ``projects`` (dicts as in a project file; ``title``
    defaults to ``title(id)``) under a strategy of the city "Stadt" whose period runs
    over ``years`` (first and last, whole years). ``capacity`` is (budget in EUR, staff
    in FTE), the same for every year of the period; ``strategy`` overrides any key."""
    first, last = years
    base: dict[str, Any] = {
        "organization": "Stadt",
        "title": "T",
        "period": {"start": f"{first}-01-01", "end": f"{last}-12-31"},
        "criteria": list(criteria),
    }
    if capacity is not None:
        budget, staff = capacity
        base["capacity"] = [
            {"year": y, "budget_eur": budget, "staff_fte": staff} for y in range(first, last + 1)
        ]
    items = [Project.model_validate({"title": title(p["id"]), **p}) for p in projects]
    return Portfolio(
        strategy=Strategy.model_validate({**base, **strategy}),
        projects={p.id: p for p in items},
    )
