"""Which projects to fund: the set of open projects with the most total value that the
yearly budget and staff can carry, closed under dependencies — solved exactly as a
mixed-integer program with SciPy's ``milp`` (HiGHS).

The cost model is capacity.py's coarse per-year one (``CapacityModel.yearly_costs``;
the plan uses the monthly one beside it):

* a commitment — ``in_progress``, ``fixed: true``, ``approved`` by default — keeps
  its dates; every other project may start at its earliest month that dependencies
  allow (from today) or on the 1 January of a later year of the period where it still
  ends inside it (:func:`start_candidates`): one binary variable per start, at most one
  chosen, a dependent only after its prerequisite's chosen start has ended. Among
  selections of equal value the earlier starts win (a tie-break far below any score);
* a project runs for its duration;
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
import math
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
    from .recovery import Proposal, Step

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
    # the part from today's month on: what is not yet spent, all that a pause or a
    # stretch can change (None: all of it)
    future: Costs | None = None

    def from_today(self) -> Costs:
        return self if self.future is None else self.future


@dataclass(frozen=True)
class Start:
    """A start the optimizer may choose for a project (month index of the period) and
    the project's costs per year when it starts then."""

    month: int
    costs: Costs


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
    # overruns in months already past: no proposal can free them
    unrecoverable: list[Overrun] = field(default_factory=list)
    starts: dict[str, dt.date] = field(default_factory=dict)  # funded project → its start
    moved_later: list[str] = field(default_factory=list)  # funded, later than it could


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
    # the starts the optimizer may choose per project, the earliest first (its costs
    # are ``costs``); empty: only the earliest
    candidates: list[list[Start]] = field(default_factory=list)

    def starts_of(self, i: int) -> list[Start]:
        if self.candidates:
            return self.candidates[i]
        return [Start(self.starts[i] if self.starts else 0, self.costs[i])]

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
        result.append(project_costs(model, p, start, int(durations[p.id])))
        starts.append(start)
    return model.years, result, starts


def project_costs(model: CapacityModel, project: Project, start: int, months: int) -> Costs:
    """The project's costs per year when it starts at ``start``, with the part from
    today's month on."""
    budget, running, staff = model.yearly_costs(project, start, months)
    costs = Costs(budget, staff, running)
    if start < model.spent_until:
        ahead = model.yearly_costs(project, start, months, since=model.spent_until)
        costs.future = Costs(ahead[0], ahead[2], ahead[1])
    return costs


def start_candidates(problem: Problem) -> list[list[Start]]:
    """Per project, the starts the optimizer may choose: the earliest (``starts``),
    and for a project whose dates are no commitment also the 1 January of each later
    year of the period where it still ends inside the period (a few binaries each:
    the MILP stays exact and small; the plan, month by month, may find a month in
    between)."""
    model, portfolio = problem.model, problem.portfolio
    result = []
    for i, project in enumerate(problem.projects):
        first = [Start(problem.starts[i], problem.costs[i])]
        if (
            model is None
            or portfolio is None
            or project.id in problem.forced_out
            or keeps_dates(project, portfolio.strategy)
        ):
            result.append(first)
            continue
        months, cal = problem.months[i], model.calendar
        deadline = cal.index(project.deadline) if project.deadline else cal.months - 1
        # a later start must still end inside the period and by the deadline
        last = min(cal.months - months, deadline - months + 1)
        later = [
            cal.index(dt.date(year, 1, 1))
            for year in problem.years
            if problem.starts[i] < cal.index(dt.date(year, 1, 1)) <= last
        ]
        result.append(first + [Start(m, project_costs(model, project, m, months)) for m in later])
    return result


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
    problem = Problem(
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
    problem.candidates = start_candidates(problem)
    return problem


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
    forced = forced_closure(problem)
    if overrun and any(len(problem.starts_of(i)) > 1 for i in forced):
        # commitments without dates ('must', --force-in) may start later: no overrun
        # when they fit that way
        placed, _ = _milp(problem, set(), budget_limit, staff_limit, time_limit, forced)
        if placed.x is not None:
            overrun = []
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
    index = {p.id: i for i, p in enumerate(problem.projects)}
    forced = forced_closure(problem)
    paused_ids = {index[pid] for pid in paused}
    committed = forced - paused_ids
    # what paused commitments spent before today stays spent: it counts in every table
    # and leaves the rest of its year's budget
    sunk = {
        line: [spent_costs(problem, line, k, paused_ids) for k in range(y)]
        for line in ("budget", "staff")
    }
    budget_limit = _selection_limits(problem, "budget", budget_limit, forced, committed, proposal)
    staff_limit = _selection_limits(problem, "staff", staff_limit, forced, committed, proposal)
    result, variables = _milp(
        problem, paused, budget_limit, staff_limit, time_limit or selection_time_limit(problem)
    )
    if result.x is None:
        raise DataError(f"the optimizer found no feasible selection ({result.message})")
    choice = {i: start for v, (i, start) in enumerate(variables) if result.x[v] > 0.5}
    choice = _pull_earlier(problem, choice, budget_limit, staff_limit)
    chosen = set(choice)
    costs = [choice[i].costs if i in choice else problem.costs[i] for i in range(n)]
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
        budget_used=_plus(per_year_totals([c.budget for c in costs], chosen), sunk["budget"]),
        staff_used=_plus(per_year_totals([c.staff for c in costs], chosen), sunk["staff"]),
        optimal=optimal,
        gap=None if gap is None else float(gap),
        overrun=overrun,
        recovery=steps,
        allow_overrun_pct=allow_overrun,
        effort_missing=sorted(p.id for p in problem.projects if not has_effort(p)),
        unrecoverable=proposal.unrecoverable,
    )
    _record_starts(problem, choice, selection)
    selection.committed_budget = _plus(
        per_year_totals([c.budget for c in costs], committed), sunk["budget"]
    )
    selection.committed_staff = _plus(
        per_year_totals([c.staff for c in costs], committed), sunk["staff"]
    )
    if overrun:
        selection.notes.append(Reason("over-committed", {"allow": allow_overrun}))
        if steps:
            selection.notes.append(Reason("recovery-proposal"))
        if proposal.unrecoverable:
            selection.notes.append(Reason("not-recoverable"))
        if not proposal.optimal:
            selection.notes.append(Reason("recovery-time-limit", {"gap": proposal.gap or 0.0}))
    selection.recovery_optimal, selection.recovery_gap = proposal.optimal, proposal.gap
    funded_free = sorted(
        problem.projects[i].id for i in chosen if not has_effort(problem.projects[i])
    )
    if funded_free:
        selection.notes.append(Reason("funded-without-effort", {"ids": funded_free}))
    if selection.moved_later:
        selection.notes.append(Reason("starts-later", {"ids": selection.moved_later}))
    if not optimal:
        selection.notes.append(Reason("time-limit", {"gap": float(gap or 0)}))
    # the left-out reasons compare with the limits the solver used
    capped = Selection(
        0.0,
        [],
        [],
        problem.years,
        _plus(budget_limit, sunk["budget"]),
        _plus(staff_limit, sunk["staff"]),
        [],
        [],
    )
    capped.budget_used, capped.staff_used = selection.budget_used, selection.staff_used
    running_used = per_year_totals([c.running for c in costs], chosen)
    selection.left_out = [
        (
            p.id,
            Reason("paused", _forced_reason(problem, p.id))
            if p.id in paused
            else _why_left_out(problem, i, chosen, capped, costs, running_used),
        )
        for i, p in enumerate(problem.projects)
        if i not in chosen
    ]
    return selection


def _plus(a: Sequence[float], b: Sequence[float]) -> list[float]:
    return [x + y for x, y in zip(a, b, strict=True)]


def _selection_limits(
    problem: Problem,
    resource: str,
    limits: Sequence[float],
    forced: set[int],
    committed: set[int],
    proposal: Proposal,
) -> list[float]:
    """Per year, what the funded projects may use of ``resource`` once the proposal
    is applied: the year's limit (staff from today on: its share, see
    :func:`row_limits`) less what paused commitments spent before today. A year whose
    months before today already overspent cannot be recovered: nothing new may add
    to it (its limit is what the commitments kept there use)."""
    past_over = {
        problem.years.index(o.year) for o in proposal.unrecoverable if o.resource == resource
    }
    result = []
    for k, limit in enumerate(limits):
        if k < problem.first_open or math.isinf(limit):
            result.append(limit)
            continue
        spent = spent_costs(problem, resource, k, forced)
        row = row_limits(problem, resource, k, limit, spent)[1]
        own = row - spent_costs(problem, resource, k, forced - committed)
        if k in past_over:
            own = max(own, total(getattr(problem.costs[i], resource)[k] for i in committed))
        result.append(own)
    return result


# seconds the selection's solve may take unless --time-limit says otherwise: many
# projects of similar value and cost make proving the optimum long (300 over-committed
# projects: a good selection within a second, the proof after 10 s and more); past the
# limit the best selection found is shown with its gap to the proven bound
SELECTION_TIME_LIMIT = 3.0
SELECTION_TIME_LIMIT_LARGE = 30.0  # from LARGE projects on
LARGE = 1000


def selection_time_limit(problem: Problem) -> float:
    """The default time limit of the selection's solve for this problem."""
    return SELECTION_TIME_LIMIT if len(problem.projects) < LARGE else SELECTION_TIME_LIMIT_LARGE


def _pull_earlier(
    problem: Problem,
    choice: dict[int, Start],
    budget_limit: Sequence[float],
    staff_limit: Sequence[float],
) -> dict[int, Start]:
    """The funded projects, each moved to its earliest start where every open year
    stays within its limits and every dependency still holds (the solver picks any
    start among selections of equal value; a tie-break in its objective would sit
    below its tolerances). Greedy, earliest first, until nothing moves."""
    running = [
        float(r) if r is not None and k >= problem.first_open else math.inf
        for k, r in enumerate(problem.running or [None] * len(problem.years))
    ]
    limits = {"budget": list(budget_limit), "staff": list(staff_limit), "running": running}
    used = {
        line: per_year_totals([getattr(s.costs, line) for s in choice.values()], range(len(choice)))
        for line in limits
    }
    before: dict[int, list[int]] = {}
    after: dict[int, list[int]] = {}
    for dependent, prerequisite in problem.requires:
        if dependent in choice and prerequisite in choice:
            before.setdefault(dependent, []).append(prerequisite)
            after.setdefault(prerequisite, []).append(dependent)

    def in_order(first: int, start: Start, then: int, later: Start) -> bool:
        earliest = problem.starts_of(first)[0] is start and problem.starts_of(then)[0] is later
        return earliest or start.month + problem.months[first] <= later.month

    def fits(old: Costs, new: Costs) -> bool:
        for line, limit in limits.items():
            for k, (a, b) in enumerate(zip(getattr(old, line), getattr(new, line), strict=True)):
                if b > a + _EPS and used[line][k] - a + b > limit[k] + _EPS:
                    return False
        return True

    moved = True
    while moved:
        moved = False
        for i in sorted(choice, key=lambda i: (choice[i].month, i)):
            current = choice[i]
            for start in problem.starts_of(i):
                if start.month >= current.month:
                    break
                if not fits(current.costs, start.costs):
                    continue
                if not all(in_order(p, choice[p], i, start) for p in before.get(i, [])):
                    continue
                if not all(in_order(i, start, d, choice[d]) for d in after.get(i, [])):
                    continue
                for line in limits:
                    new, old = getattr(start.costs, line), getattr(current.costs, line)
                    used[line] = [u - a + b for u, a, b in zip(used[line], old, new, strict=True)]
                choice[i], moved = start, True
                break
    return choice


def _forced_reason(problem: Problem, pid: str) -> dict[str, Any]:
    """Why a paused project was forced in: the code (``because``) and its parameters."""
    why = problem.forced_in.get(pid, Reason("needed-by-commitment"))
    return {**why.params, "because": why.code}


def _record_starts(problem: Problem, choice: Mapping[int, Start], selection: Selection) -> None:
    """Each funded project's start (a commitment's own date), and which of them start
    later than they could (the optimizer moved them to make room)."""
    model, strategy = problem.model, problem.portfolio.strategy if problem.portfolio else None
    if model is None or strategy is None:
        return
    for i, start in sorted(choice.items()):
        project = problem.projects[i]
        fixed = project.start is not None and keeps_dates(project, strategy)
        selection.starts[project.id] = (
            project.start if fixed and project.start else model.calendar.month_start(start.month)
        )
        if start.month > problem.starts[i]:
            selection.moved_later.append(project.id)
    selection.moved_later.sort()


def _milp(
    problem: Problem,
    paused: set[str],
    budget_limit: Sequence[float],
    staff_limit: Sequence[float],
    time_limit: float | None,
    funded: set[int] | None = None,
) -> tuple[Any, list[tuple[int, Start]]]:
    """The selection MILP over (project, start) pairs: most value, at most one start
    per project (exactly one for a project forced in), each open year's budget, staff
    and running-cost budget held, and every funded project's prerequisites funded and
    ended before it starts. With ``funded``: exactly these projects, as early as
    possible (fewest months of delay in total). Returns the result and what each
    variable stands for."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    n, y = len(problem.projects), len(problem.years)
    variables = [
        (i, start)
        for i in range(n)
        for start in problem.starts_of(i)
        if funded is None or i in funded
    ]
    first_of: dict[int, int] = {}
    for v, (i, _) in enumerate(variables):
        first_of.setdefault(i, v)
    count = len(variables)
    upper = np.ones(count)
    one_lower = np.zeros(n)
    for v, (i, _) in enumerate(variables):
        pid = problem.projects[i].id
        if funded is not None:
            one_lower[i] = 1
        elif pid in problem.forced_out or pid in paused:
            upper[v] = 0
        elif pid in problem.forced_in:
            one_lower[i] = 1
    per_project = coo_matrix(
        (np.ones(count), ([i for i, _ in variables], np.arange(count))), shape=(n, count)
    )
    constraints = [LinearConstraint(per_project.tocsr(), one_lower, 1.0)]
    budget_rows = np.array([[s.costs.budget[k] for _, s in variables] for k in range(y)])
    staff_rows = np.array([[s.costs.staff[k] for _, s in variables] for k in range(y)])
    constraints += [
        LinearConstraint(budget_rows, -np.inf, np.array(budget_limit) + _EPS),
        LinearConstraint(staff_rows, -np.inf, np.array(staff_limit) + _EPS),
    ]
    separate = [
        k for k, r in enumerate(problem.running) if r is not None and k >= problem.first_open
    ]
    if separate:
        running_rows = np.array([[s.costs.running[k] for _, s in variables] for k in separate])
        limits = np.array([float(problem.running[k] or 0.0) for k in separate])
        constraints.append(LinearConstraint(running_rows, -np.inf, limits + _EPS))
    dependencies = _dependency_rows(problem, variables, first_of)
    if dependencies is not None:
        constraints.append(LinearConstraint(dependencies, -np.inf, 0.0))
    if funded is None:
        cost = np.array([-problem.values[i] for i, _ in variables])
    else:
        cost = np.array([float(s.month - problem.starts[i]) for i, s in variables])
    options = {"time_limit": time_limit} if time_limit else {}
    result = milp(
        c=cost,
        integrality=np.ones(count),
        bounds=Bounds(np.zeros(count), upper),
        constraints=constraints,
        options=options,
    )
    return result, variables


def _dependency_rows(
    problem: Problem, variables: list[tuple[int, Start]], first_of: Mapping[int, int]
) -> Any:
    """For each reduced dependency edge and each start of the dependent: funded at that
    start → the prerequisite funded at a start that ends by then (the two earliest
    starts always go together: that is how the earliest starts were computed, and a
    commitment keeps its date whatever its prerequisite does)."""
    import numpy as np
    from scipy.sparse import coo_matrix

    requires = [
        (i, k)
        for i in sorted(problem.needs)
        for k in problem.needs[i]
        if i in first_of and k in first_of
    ]
    if not requires:
        return None
    rows, cols, vals = [], [], []
    row = 0
    for dependent, prerequisite in requires:
        months = problem.months[prerequisite] if problem.months else 0
        d_first, p_first = first_of[dependent], first_of[prerequisite]
        p_vars = range(p_first, p_first + len(problem.starts_of(prerequisite)))
        for offset, start in enumerate(problem.starts_of(dependent)):
            v = d_first + offset
            rows.append(row)
            cols.append(v)
            vals.append(1.0)
            for w in p_vars:
                if (offset == 0 and w == p_first) or variables[w][1].month + months <= start.month:
                    rows.append(row)
                    cols.append(w)
                    vals.append(-1.0)
            row += 1
    matrix = coo_matrix(
        (np.array(vals), (np.array(rows), np.array(cols))), shape=(row, len(variables))
    )
    return matrix.tocsr()


def _why_left_out(
    problem: Problem,
    i: int,
    chosen: set[int],
    selection: Selection,
    costs: Sequence[Costs],
    running_used: Sequence[float],
) -> Reason:
    """The binding reason: ruled out, a prerequisite ruled out, or the year whose
    budget, staff or running-cost budget adding it at its earliest start (with its
    missing prerequisites) would exceed, with the later starts that do not fit either;
    or, when one of them fits, from when."""
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
    others = [costs[j] for j in needed if j != i]
    candidates = problem.starts_of(i)
    binding = [
        _binding(problem, [start.costs, *others], selection, running_used, len(needed) > 1)
        for start in candidates
    ]
    fits = [s for s, why in zip(candidates, binding, strict=True) if why is None]
    first = binding[0]
    if first is None or fits:
        if problem.values[i] <= 0:
            return Reason("no-value")
        if first is None or problem.model is None:
            return Reason("outvalued")
        start = problem.model.calendar.month_start(fits[0].month)
        return Reason("outvalued-later", {"from": f"{start:%Y-%m}"})
    if len(candidates) > 1 and problem.model is not None:
        later = [f"{problem.model.calendar.month_start(s.month):%Y-%m}" for s in candidates[1:]]
        return Reason(first.code, {**first.params, "later": later})
    return first


def _binding(
    problem: Problem,
    extra_costs: Sequence[Costs],
    selection: Selection,
    running_used: Sequence[float],
    with_prerequisites: bool,
) -> Reason | None:
    """The first year and capacity line that ``extra_costs`` added to the selection
    would exceed, or None when they fit."""
    for k, year in enumerate(selection.years):
        lines = [
            ("budget", selection.budget_used[k], selection.budget[k], "budget"),
            ("staff", selection.staff_used[k], selection.staff[k], "staff"),
        ]
        running_limit = problem.running[k] if problem.running else None
        if running_limit is not None and k >= problem.first_open:
            lines.append(("running", running_used[k], running_limit, "running"))
        for code, used, limit, attribute in lines:
            extra = total(getattr(c, attribute)[k] for c in extra_costs)
            if used + extra > limit + _EPS and extra > _EPS:
                return Reason(
                    code,
                    {
                        "year": year,
                        "needed": extra,
                        "free": max(0.0, limit - used),
                        "with_prerequisites": with_prerequisites,
                    },
                )
    return None


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
