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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .capacity import (
    CapacityModel,
    Overrides,
    duration_months,
    has_effort,
    keeps_dates,
    per_year_totals,
    total,
)
from .errors import DataError
from .model import Portfolio, Project
from .schedule import cpm
from .score import rank

if TYPE_CHECKING:
    from .recovery import Step

_EPS = 1e-6


@dataclass(frozen=True)
class Reason:
    """Why a project is left out or forced in, or a note: a code and its parameters
    (plain values), worded in present/ through the catalogs (present/selection.py)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


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
    left_out: list[tuple[str, Reason]]  # (id, why)
    years: list[int]
    budget: list[float]
    staff: list[float]
    budget_used: list[float]
    staff_used: list[float]
    optimal: bool = True
    gap: float | None = None
    notes: list[Reason] = field(default_factory=list)
    overrun: list[Overrun] = field(default_factory=list)  # commitments alone over capacity
    recovery: list[Step] = field(default_factory=list)  # proposed, never applied
    allow_overrun_pct: float = 0.0
    effort_missing: list[str] = field(default_factory=list)  # open, no budget and no staff
    # what the commitments (forced in, with their prerequisites, as proposed) use
    committed_budget: list[float] = field(default_factory=list)
    committed_staff: list[float] = field(default_factory=list)
    recovery_optimal: bool = True  # the proposal is proven the mildest
    recovery_gap: float | None = None


@dataclass(frozen=True)
class Overrun:
    """A year in which the commitments alone (forced in, with their prerequisites)
    need more than the capacity: the minimum overrun if none of them can move."""

    year: int
    resource: str  # "budget", "staff" or "running"
    needed: float
    available: float
    causes: list[tuple[str, float]]  # the commitments spending in the year, largest first

    @property
    def over(self) -> float:
        return self.needed - self.available


@dataclass
class Problem:
    """Everything the solver needs, built once and solved for several capacities."""

    projects: list[Project]
    values: list[float]
    costs: list[Costs]
    years: list[int]
    budget: list[float]
    staff: list[float]
    forced_in: dict[str, Reason]  # id → why
    forced_out: dict[str, Reason]
    requires: list[tuple[int, int]]  # (dependent, prerequisite) indices
    running: list[float | None] = field(default_factory=list)  # separate running budgets
    first_open: int = 0  # years before this index are past: no longer constraints
    # where each project runs in the cost model (month index, months): what a stretch
    # changes; the model and portfolio recompute costs after it
    starts: list[int] = field(default_factory=list)
    months: list[int] = field(default_factory=list)
    model: CapacityModel | None = None
    portfolio: Portfolio | None = None

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
    years, costs, _starts = costs_and_starts(portfolio, projects, model or _model(portfolio, today))
    return years, costs


def _model(portfolio: Portfolio, today: dt.date) -> CapacityModel:
    return CapacityModel.of(portfolio, today)


def costs_and_starts(
    portfolio: Portfolio, projects: Sequence[Project], model: CapacityModel
) -> tuple[list[int], list[Costs], list[int]]:
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
    result, starts = [], []
    for p in projects:
        start = int(network.earliest_start[p.id])
        budget, running, staff = model.yearly_costs(p, start, int(durations[p.id]))
        result.append(Costs(budget, staff, running))
        starts.append(start)
    return model.years, result, starts


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
    years, costs, starts = costs_and_starts(portfolio, projects, model)
    first_open = sum(1 for year in years if year < today.year)
    forced_in: dict[str, Reason] = {}
    forced_out: dict[str, Reason] = {}
    for p in projects:
        entry = entries[p.id]
        if entry.gate_failures:
            forced_out[p.id] = Reason("not-eligible", {"failures": list(entry.gate_failures)})
        elif p.decision == "wont":
            forced_out[p.id] = Reason("wont")
        elif p.decision == "must":
            forced_in[p.id] = Reason("must")
        elif keep_running and p.status == "in_progress":
            forced_in[p.id] = Reason("in-progress")
        elif keep_running and keeps_dates(p, portfolio.strategy):
            forced_in[p.id] = Reason("committed", {"as": "fixed" if p.fixed else p.status})
    committed = _prerequisites_closure(portfolio, [*forced_in, *force_in])
    for p in projects:
        # a project without any estimate would be funded for free: never silently (a
        # commitment or its prerequisite is funded all the same, and a note names it)
        if p.id not in committed and not has_effort(p):
            forced_out.setdefault(p.id, Reason("effort-missing"))
    for pid in force_out:
        forced_out[pid] = Reason("force-out")
        forced_in.pop(pid, None)
    for pid in force_in:
        forced_in[pid] = Reason("force-in")
        forced_out.pop(pid, None)
    requires = []
    for p in projects:
        for dep in p.depends_on:
            if dep in index:
                requires.append((index[p.id], index[dep]))
            elif portfolio.projects[dep].status == "cancelled":
                forced_out.setdefault(p.id, Reason("needs-cancelled", {"id": dep}))
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
        first_open,
        starts,
        [duration_months(p)[0] for p in projects],
        model,
        portfolio,
    )


def _prerequisites_closure(portfolio: Portfolio, ids: Iterable[str]) -> set[str]:
    """``ids`` with all their open prerequisites, transitively."""
    result, stack = set(ids), list(ids)
    while stack:
        for dep in portfolio.projects[stack.pop()].depends_on:
            if dep not in result and dep in portfolio.projects:
                result.add(dep)
                stack.append(dep)
    return result


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


def check_clashes(problem: Problem) -> None:
    """Refuse forced choices that contradict each other (the solver would only say
    'infeasible')."""
    index = {p.id: i for i, p in enumerate(problem.projects)}
    forced = _closure(problem, {index[pid] for pid in problem.forced_in})
    clashes = [
        problem.projects[i].id
        for i in sorted(forced)
        if problem.projects[i].id in problem.forced_out
    ]
    if clashes:
        details = "; ".join(f"{pid} [{problem.forced_out[pid].code}]" for pid in clashes)
        raise DataError(
            f"projects that must be funded need projects that are ruled out — {details}"
        )


def forced_closure(problem: Problem) -> set[int]:
    index = {p.id: i for i, p in enumerate(problem.projects)}
    return _closure(problem, {index[pid] for pid in problem.forced_in})


def capacity_rows(
    problem: Problem, budget: Sequence[float], staff: Sequence[float]
) -> list[tuple[str, int, float, list[float]]]:
    """Every capacity constraint of an open year: (resource, year index, limit, cost
    per project)."""
    rows = []
    for k in range(problem.first_open, len(problem.years)):
        rows.append(("budget", k, budget[k], [c.budget[k] for c in problem.costs]))
        rows.append(("staff", k, staff[k], [c.staff[k] for c in problem.costs]))
        running = problem.running[k] if problem.running else None
        if running is not None:
            rows.append(("running", k, running, [c.running[k] for c in problem.costs]))
    return rows


def forced_overrun(
    problem: Problem, budget: Sequence[float], staff: Sequence[float]
) -> list[Overrun]:
    """The open years in which the commitments alone exceed a capacity, by how much,
    and which commitments spend there."""
    forced = forced_closure(problem)
    result = []
    for resource, k, limit, cost in capacity_rows(problem, budget, staff):
        needed = total(cost[i] for i in forced)
        if needed > limit + _EPS:
            causes = sorted(
                ((problem.projects[i].id, cost[i]) for i in forced if cost[i] > _EPS),
                key=lambda item: (-item[1], item[0]),
            )
            result.append(Overrun(problem.years[k], resource, needed, limit, causes))
    return result


def solve(
    problem: Problem,
    budget_scale: float = 1.0,
    time_limit: float | None = None,
    allow_overrun: float = 0.0,
) -> Selection:
    """The best selection. When the commitments alone exceed an open year's capacity
    (beyond ``allow_overrun`` percent), it still answers: the overrun per year, a
    recovery proposal (commitments to stretch or pause, see :func:`recovery`), and the
    best selection of the rest with the proposal applied."""
    import numpy as np

    budget = [b * budget_scale for b in problem.budget]
    staff = list(problem.staff)
    tolerance = 1.0 + allow_overrun / 100
    # past years are no longer constraints
    budget_limit = [
        b * tolerance if k >= problem.first_open else np.inf for k, b in enumerate(budget)
    ]
    staff_limit = [
        f * tolerance if k >= problem.first_open else np.inf for k, f in enumerate(staff)
    ]
    check_clashes(problem)
    overrun = forced_overrun(problem, budget_limit, staff_limit)
    from .recovery import RECOVERY_TIME_LIMIT, Proposal, apply_stretches, recovery

    proposal = (
        recovery(problem, budget_limit, staff_limit, time_limit or RECOVERY_TIME_LIMIT)
        if overrun
        else Proposal([])
    )
    steps = proposal.steps
    problem = apply_stretches(problem, steps)
    paused = {step.id for step in steps if step.action == "pause"}
    n, y = len(problem.projects), len(problem.years)
    if n == 0:
        return Selection(0.0, [], [], problem.years, budget, staff, [0.0] * y, [0.0] * y)
    result = _milp(problem, paused, budget_limit, staff_limit, time_limit)
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
        overrun=overrun,
        recovery=steps,
        allow_overrun_pct=allow_overrun,
        effort_missing=sorted(p.id for p in problem.projects if not has_effort(p)),
    )
    index = {p.id: i for i, p in enumerate(problem.projects)}
    committed = forced_closure(problem) - {index[pid] for pid in paused}
    selection.committed_budget = per_year_totals([c.budget for c in problem.costs], committed)
    selection.committed_staff = per_year_totals([c.staff for c in problem.costs], committed)
    if overrun:
        selection.notes.append(Reason("over-committed", {"allow": allow_overrun}))
        selection.notes.append(Reason("recovery-proposal"))
        if not proposal.optimal:
            selection.notes.append(Reason("recovery-time-limit", {"gap": proposal.gap or 0.0}))
    selection.recovery_optimal, selection.recovery_gap = proposal.optimal, proposal.gap
    funded_free = sorted(
        problem.projects[i].id for i in chosen if not has_effort(problem.projects[i])
    )
    if funded_free:
        selection.notes.append(Reason("funded-without-effort", {"ids": funded_free}))
    if not optimal:
        selection.notes.append(Reason("time-limit", {"gap": float(gap or 0)}))
    # the left-out reasons compare with the limits the solver used
    capped = Selection(0.0, [], [], problem.years, budget_limit, staff_limit, [], [])
    capped.budget_used, capped.staff_used = selection.budget_used, selection.staff_used
    selection.left_out = [
        (
            p.id,
            Reason(
                "paused",
                {"because": problem.forced_in.get(p.id, Reason("needed-by-commitment")).code},
            )
            if p.id in paused
            else _why_left_out(problem, i, chosen, capped),
        )
        for i, p in enumerate(problem.projects)
        if i not in chosen
    ]
    return selection


def _milp(
    problem: Problem,
    paused: set[str],
    budget_limit: Sequence[float],
    staff_limit: Sequence[float],
    time_limit: float | None,
) -> Any:
    """The selection MILP: most value, each open year's budget, staff and running-cost
    budget held, every funded project's prerequisites funded."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    n, y = len(problem.projects), len(problem.years)
    lower = np.zeros(n)
    upper = np.ones(n)
    for i, p in enumerate(problem.projects):
        if p.id in problem.forced_out or p.id in paused:
            upper[i] = 0
        elif p.id in problem.forced_in:
            lower[i] = 1
    budget_rows = np.array([[c.budget[k] for c in problem.costs] for k in range(y)])
    staff_rows = np.array([[c.staff[k] for c in problem.costs] for k in range(y)])
    constraints = [
        LinearConstraint(budget_rows, -np.inf, np.array(budget_limit) + _EPS),
        LinearConstraint(staff_rows, -np.inf, np.array(staff_limit) + _EPS),
    ]
    separate = [
        k for k, r in enumerate(problem.running) if r is not None and k >= problem.first_open
    ]
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
    return milp(
        c=-np.array(problem.values),
        integrality=np.ones(n),
        bounds=Bounds(lower, upper),
        constraints=constraints,
        options=options,
    )


def _why_left_out(problem: Problem, i: int, chosen: set[int], selection: Selection) -> Reason:
    """The binding reason: ruled out, a prerequisite ruled out, or the year whose
    budget, staff or running-cost budget adding it (with its missing prerequisites)
    would exceed."""
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
        return Reason("needs-ruled-out", {"ids": ruled_out})
    with_prerequisites = len(needed) > 1
    running_used = per_year_totals([c.running for c in problem.costs], chosen)
    for k, year in enumerate(selection.years):
        lines = [
            (
                "budget",
                selection.budget_used[k],
                selection.budget[k],
                [c.budget for c in problem.costs],
            ),
            (
                "staff",
                selection.staff_used[k],
                selection.staff[k],
                [c.staff for c in problem.costs],
            ),
        ]
        running_limit = problem.running[k] if problem.running else None
        if running_limit is not None and k >= problem.first_open:
            lines.append(
                ("running", running_used[k], running_limit, [c.running for c in problem.costs])
            )
        for code, used, limit, cost in lines:
            extra = total(cost[j][k] for j in needed)
            if used + extra > limit + _EPS:
                return Reason(
                    code,
                    {
                        "year": year,
                        "needed": extra,
                        "free": max(0.0, limit - used),
                        "with_prerequisites": with_prerequisites,
                    },
                )
    if problem.values[i] <= 0:
        return Reason("no-value")
    return Reason("outvalued")


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
