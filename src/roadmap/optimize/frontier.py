"""Value against budget: the selection solved level by level."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..capacity import total
from ..errors import DataError
from .problem import Problem
from .solve import selection_time_limit, solve


@dataclass(frozen=True)
class FrontierPoint:
    scale: float
    budget: float  # the whole period's budget at this scale
    value: float
    count: int
    added: list[str]  # projects selected here but not at the previous level
    removed: list[str]  # selected at the previous level but not here (swapped out)


def frontier(
    problem: Problem, scales: Sequence[float], time_limit: float | None = None
) -> list[FrontierPoint]:
    """Value against budget (staff as given), level by level; each level's solve
    stops after ``time_limit`` seconds (default: half the selection's)."""
    time_limit = time_limit or selection_time_limit(problem) / 2
    points: list[FrontierPoint] = []
    previous: set[str] = set()
    for scale in scales:
        try:
            selection = solve(problem, scale, time_limit)
        except DataError:
            continue  # the forced projects alone do not fit this little budget
        ids = {pid for pid, _ in selection.selected}
        points.append(
            FrontierPoint(
                scale,
                total(selection.budget),
                selection.value,
                len(ids),
                sorted(ids - previous) if points else [],
                sorted(previous - ids) if points else [],
            )
        )
        previous = ids
    return points
