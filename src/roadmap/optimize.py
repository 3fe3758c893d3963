"""Which projects to fund: the set of open projects with the most total value that the
yearly budget and staff can carry, closed under dependencies — solved exactly as a
mixed-integer program with SciPy's ``milp`` (HiGHS).

The cost model is capacity.py's coarse per-year one (``CapacityModel.yearly_costs``;
the plan uses the monthly one beside it):

* a project runs from its earliest start that dependencies allow (a commitment —
  ``in_progress``, ``fixed: true``, ``approved`` by default — keeps its dates), for its
  duration;
* it spends ``effort.budget_eur`` evenly over its months, plus ``running_eur_per_year``
  from the month after it ends to the end of the period (against the budget or a
  separate running-cost budget, as the strategy says);
* it needs ``staff_fte × months in the year / 12`` staff-years in each year, against
  ``capacity[].staff_fte`` (the year's staff, available all year).

Sums are ``math.fsum`` (capacity.total): the same on every Python version.

The value of a project is its own score (as ``prioritize`` computes it, without the
dependency pull: a prerequisite's worth shows through the projects it enables).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from .capacity import (
    CapacityModel,
    Overrides,
    duration_months,
    keeps_dates,
    per_year_totals,
    total,
)
from .errors import DataError
from .model import Portfolio, Project
from .schedule import cpm
from .score import rank

_EPS = 1e-6


@dataclass
class Costs:
    """A project's budget and staff-years per year of the period."""

    budget: list[float]
    staff: list[float]
    running: list[float] = field(default_factory=list)  # against a separate running budget


@dataclass
class Selection:
    value: float
    selected: list[tuple[str, float]]  # (id, own score)
    left_out: list[tuple[str, str]]  # (id, reason)
    years: list[int]
    budget: list[float]
    staff: list[float]
    budget_used: list[float]
    staff_used: list[float]
    optimal: bool = True
    gap: float | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Problem:
    """Everything the solver needs, built once and solved for several capacities."""

    projects: list[Project]
    values: list[float]
    costs: list[Costs]
    years: list[int]
    budget: list[float]
    staff: list[float]
    forced_in: dict[str, str]  # id → why
    forced_out: dict[str, str]
    requires: list[tuple[int, int]]  # (dependent, prerequisite) indices
    running: list[float | None] = field(default_factory=list)  # separate running budgets

    @functools.cached_property
    def needs(self) -> dict[int, list[int]]:
        """Each project's prerequisites (indices) without those it also needs through
        another: the same closure as ``requires`` with the fewest edges (a complete graph
        of 2,000 projects needs 1,999 constraints instead of 2 million)."""
        from .graph import transitive_reduction

        ids = [p.id for p in self.projects]
        direct: dict[str, list[str]] = {pid: [] for pid in ids}
        for dependent, prerequisite in self.requires:
            direct[ids[dependent]].append(ids[prerequisite])
        index = {pid: i for i, pid in enumerate(ids)}
        return {
            index[pid]: [index[d] for d in before]
            for pid, before in transitive_reduction(direct).items()
            if before
        }


def costs_per_year(
    portfolio: Portfolio,
    projects: Sequence[Project],
    today: dt.date,
    model: CapacityModel | None = None,
) -> tuple[list[int], list[Costs]]:
    """Each project's costs per year of the period in capacity.py's coarse yearly model,
    starting at the earliest month its dependencies allow (commitments keep theirs)."""
    model = model or CapacityModel.of(portfolio, today)
    origin = model.origin
    durations = {p.id: float(duration_months(p)[0]) for p in projects}
    fixed = {
        p.id: float(model.calendar.index(p.start) if p.start else origin)
        for p in projects
        if keeps_dates(p, portfolio.strategy)
    }
    network = cpm(
        durations,
        {p.id: p.depends_on for p in projects},
        dict.fromkeys(durations, float(origin)),
        fixed,
    )
    result = []
    for p in projects:
        budget, running, staff = model.yearly_costs(
            p, int(network.earliest_start[p.id]), int(durations[p.id])
        )
        result.append(Costs(budget, staff, running))
    return model.years, result


def build(
    portfolio: Portfolio,
    today: dt.date,
    method: str | None = None,
    keep_running: bool = True,
    force_in: Sequence[str] = (),
    force_out: Sequence[str] = (),
    overrides: Overrides | None = None,
) -> Problem:
    ranking = rank(portfolio, method, dependency_pull=False)
    entries = {e.id: e for e in ranking.entries}
    projects = [portfolio.projects[pid] for pid in sorted(entries)]
    index = {p.id: i for i, p in enumerate(projects)}
    model = CapacityModel.of(portfolio, today, overrides)
    years, costs = costs_per_year(portfolio, projects, today, model)
    forced_in: dict[str, str] = {}
    forced_out: dict[str, str] = {}
    for p in projects:
        entry = entries[p.id]
        if entry.gate_failures:
            forced_out[p.id] = f"not eligible: {'; '.join(entry.gate_failures)}"
        elif p.decision == "wont":
            forced_out[p.id] = "decided 'wont'"
        elif p.decision == "must":
            forced_in[p.id] = "decided 'must'"
        elif keep_running and p.status == "in_progress":
            forced_in[p.id] = "in progress (--keep-running)"
    for pid in force_out:
        forced_out[pid] = "--force-out"
        forced_in.pop(pid, None)
    for pid in force_in:
        forced_in[pid] = "--force-in"
        forced_out.pop(pid, None)
    requires = []
    for p in projects:
        for dep in p.depends_on:
            if dep in index:
                requires.append((index[p.id], index[dep]))
            elif portfolio.projects[dep].status == "cancelled":
                forced_out.setdefault(p.id, f"needs {dep}, which is cancelled")
    return Problem(
        projects,
        [entries[p.id].own.own for p in projects],
        costs,
        years,
        model.budget,
        model.staff,
        forced_in,
        forced_out,
        requires,
        model.running,
    )


def _closure(problem: Problem, ids: set[int]) -> set[int]:
    """``ids`` with all their prerequisites, transitively."""
    needs = problem.needs
    result, stack = set(ids), list(ids)
    while stack:
        for prerequisite in needs.get(stack.pop(), []):
            if prerequisite not in result:
                result.add(prerequisite)
                stack.append(prerequisite)
    return result


def check_forced(problem: Problem, budget: Sequence[float], staff: Sequence[float]) -> None:
    """Refuse forced choices that contradict each other or already exceed capacity,
    saying which constraint and by how much (the solver would only say 'infeasible')."""
    index = {p.id: i for i, p in enumerate(problem.projects)}
    forced = _closure(problem, {index[pid] for pid in problem.forced_in})
    clashes = [
        problem.projects[i].id
        for i in sorted(forced)
        if problem.projects[i].id in problem.forced_out
    ]
    if clashes:
        details = "; ".join(f"{pid}: {problem.forced_out[pid]}" for pid in clashes)
        raise DataError(
            f"projects that must be funded need projects that are ruled out — {details}"
        )
    lines = []
    for y, year in enumerate(problem.years):
        spent = total(problem.costs[i].budget[y] for i in forced)
        staffed = total(problem.costs[i].staff[y] for i in forced)
        if spent > budget[y] + _EPS:
            lines.append(
                f"budget {year}: {spent:,.0f} EUR needed, {budget[y]:,.0f} EUR "
                f"available ({spent - budget[y]:,.0f} EUR over)"
            )
        if staffed > staff[y] + _EPS:
            lines.append(
                f"staff {year}: {staffed:.2f} FTE-years needed, {staff[y]:g} "
                f"available ({staffed - staff[y]:.2f} over)"
            )
    if lines:
        raise DataError(
            "the projects forced in (must, in progress, --force-in, and their "
            "prerequisites) alone exceed the capacity: " + "; ".join(lines)
        )


def solve(
    problem: Problem, budget_scale: float = 1.0, time_limit: float | None = None
) -> Selection:
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    budget = [b * budget_scale for b in problem.budget]
    staff = list(problem.staff)
    check_forced(problem, budget, staff)
    n, y = len(problem.projects), len(problem.years)
    if n == 0:
        return Selection(0.0, [], [], problem.years, budget, staff, [0.0] * y, [0.0] * y)
    lower = np.zeros(n)
    upper = np.ones(n)
    for i, p in enumerate(problem.projects):
        if p.id in problem.forced_out:
            upper[i] = 0
        if p.id in problem.forced_in:
            lower[i] = 1
    budget_rows = np.array([[c.budget[k] for c in problem.costs] for k in range(y)])
    staff_rows = np.array([[c.staff[k] for c in problem.costs] for k in range(y)])
    constraints = [
        LinearConstraint(budget_rows, -np.inf, np.array(budget) + _EPS),
        LinearConstraint(staff_rows, -np.inf, np.array(staff) + _EPS),
    ]
    separate = [k for k, r in enumerate(problem.running) if r is not None]
    if separate:
        running_rows = np.array([[c.running[k] for c in problem.costs] for k in separate])
        limits = np.array([float(problem.running[k] or 0.0) for k in separate])
        constraints.append(LinearConstraint(running_rows, -np.inf, limits + _EPS))
    # x_dependent − x_prerequisite ≤ 0, for the reduced edges: the others follow
    requires = [(i, k) for i in sorted(problem.needs) for k in problem.needs[i]]
    if requires:
        rows = np.repeat(np.arange(len(requires)), 2)
        cols = np.array([i for pair in requires for i in pair])
        vals = np.tile([1.0, -1.0], len(requires))
        matrix = coo_matrix((vals, (rows, cols)), shape=(len(requires), n))
        constraints.append(LinearConstraint(matrix.tocsr(), -np.inf, 0.0))
    options = {"time_limit": time_limit} if time_limit else {}
    result = milp(
        c=-np.array(problem.values),
        integrality=np.ones(n),
        bounds=Bounds(lower, upper),
        constraints=constraints,
        options=options,
    )
    if result.x is None:
        raise DataError(f"the optimizer found no feasible selection ({result.message})")
    chosen = {i for i in range(n) if result.x[i] > 0.5}
    optimal = result.status == 0
    gap = getattr(result, "mip_gap", None)
    selection = Selection(
        value=total(problem.values[i] for i in chosen),
        selected=sorted(
            ((problem.projects[i].id, problem.values[i]) for i in chosen),
            key=lambda item: (-item[1], item[0]),
        ),
        left_out=[],
        years=problem.years,
        budget=budget,
        staff=staff,
        budget_used=per_year_totals([c.budget for c in problem.costs], chosen),
        staff_used=per_year_totals([c.staff for c in problem.costs], chosen),
        optimal=optimal,
        gap=None if gap is None else float(gap),
    )
    if not optimal:
        selection.notes.append(
            f"stopped at the time limit: the best selection found, "
            f"within {float(gap or 0):.1%} of the optimum"
        )
    selection.left_out = [
        (p.id, _why_left_out(problem, i, chosen, selection))
        for i, p in enumerate(problem.projects)
        if i not in chosen
    ]
    return selection


def _why_left_out(problem: Problem, i: int, chosen: set[int], selection: Selection) -> str:
    """The binding reason: ruled out, a prerequisite ruled out, or the year whose
    budget or staff adding it (with its missing prerequisites) would exceed."""
    project = problem.projects[i]
    if project.id in problem.forced_out:
        return problem.forced_out[project.id]
    needed = _closure(problem, {i}) - chosen
    ruled_out = sorted(
        problem.projects[k].id
        for k in needed
        if problem.projects[k].id in problem.forced_out and k != i
    )
    if ruled_out:
        return f"needs {', '.join(ruled_out)}, which is ruled out"
    for k, year in enumerate(selection.years):
        extra = total(problem.costs[j].budget[k] for j in needed)
        if selection.budget_used[k] + extra > selection.budget[k] + _EPS:
            free = selection.budget[k] - selection.budget_used[k]
            return (
                f"budget {year}: needs {extra:,.0f} EUR"
                f"{' with its prerequisites' if len(needed) > 1 else ''}, "
                f"{max(0.0, free):,.0f} EUR free"
            )
        extra_staff = total(problem.costs[j].staff[k] for j in needed)
        if selection.staff_used[k] + extra_staff > selection.staff[k] + _EPS:
            free = selection.staff[k] - selection.staff_used[k]
            return (
                f"staff {year}: needs {extra_staff:.2f} FTE-years"
                f"{' with its prerequisites' if len(needed) > 1 else ''}, "
                f"{max(0.0, free):.2f} free"
            )
    if problem.values[i] <= 0:
        return "its own score is 0: funding it adds no value"
    return "fits on its own, but only at the expense of projects worth more"


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
    """Value against budget (staff as given), level by level."""
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
