"""The capacity rows of the open years: what each project costs there, what the months
before today already spent (no step can change it), the limit of each row (staff held
to the open months' own share), and where the commitments alone exceed them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..capacity import total
from .problem import Overrun, Problem, forced_closure

_EPS = 1e-6


def capacity_rows(
    problem: Problem, budget: Sequence[float], staff: Sequence[float]
) -> list[tuple[str, int, float, list[float]]]:
    """Every capacity constraint of an open year: (resource, year index, limit, cost
    per project)."""
    rows = []
    for k in range(problem.first_open, len(problem.years)):
        # what was spent apart before today is gone from the year's budget
        limit = budget[k] - problem.apart("budget", k)
        rows.append(("budget", k, limit, [c.budget[k] for c in problem.costs]))
        rows.append(("staff", k, staff[k], [c.staff[k] for c in problem.costs]))
        running = problem.running[k] if problem.running else None
        if running is not None:
            rows.append(("running", k, running, [c.running[k] for c in problem.costs]))
    return rows


def spent_costs(problem: Problem, resource: str, k: int, ids: Iterable[int]) -> float:
    """What the projects ``ids`` spent of ``resource`` in year ``k`` in the months
    before today (what no step of a proposal can change)."""
    return total(
        getattr(problem.costs[i], resource)[k] - getattr(problem.costs[i].from_today(), resource)[k]
        for i in ids
    )


def row_limits(
    problem: Problem, resource: str, k: int, limit: float, spent: float
) -> tuple[float, float]:
    """What the months of year ``k`` before today could use of ``resource``, and the
    limit of the whole year's row when ``spent`` was used in them. Budget is a pool
    for the year: the months before today could use all of it, and what they left is
    there for the rest. Staff is a rate: each month has its share of the year's
    staff, unused staff of a spent month is gone and a spent month's excess cannot be
    made up later, so the months from today on are held to their own share."""
    model = problem.model
    if resource != "staff" or model is None:
        return limit, limit
    spent_months, open_months = model.spent_and_open(k)
    if spent_months == 0 or spent_months + open_months == 0:
        return 0.0, limit
    share = limit / (spent_months + open_months)
    return share * spent_months, spent + share * open_months


def forced_overrun(
    problem: Problem, budget: Sequence[float], staff: Sequence[float]
) -> list[Overrun]:
    """The open years in which the commitments alone exceed a capacity, by how much,
    and which commitments spend there (staff in the year's months from today on
    against their share, see :func:`row_limits`)."""
    forced = forced_closure(problem)
    result = []
    for resource, k, full, cost in capacity_rows(problem, budget, staff):
        needed = total(cost[i] for i in forced)
        limit = min(
            full,
            row_limits(problem, resource, k, full, spent_costs(problem, resource, k, forced))[1],
        )
        if needed > limit + _EPS:
            causes = sorted(
                ((problem.projects[i].id, cost[i]) for i in forced if cost[i] > _EPS),
                key=lambda item: (-item[1], item[0]),
            )
            apart = problem.apart(resource, k) if resource == "budget" else 0.0
            result.append(
                Overrun(problem.years[k], resource, needed + apart, limit + apart, causes)
            )
    return result
