"""The optimizer's problem: the projects, their values and their costs per year at
each start they may take, what is forced in or out, and the capacity rows of the open
years (what the commitments alone need there, and what no step can change)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..capacity import (
    CapacityModel,
    Overrides,
    has_effort,
    keeps_dates,
    months_to_plan,
    waits_for_prerequisites,
)
from ..errors import DataError
from ..model import Portfolio, Project
from ..schedule import cpm
from ..score import rank

if TYPE_CHECKING:
    from ..recovery import Step
    from ..score import Ranking

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
    # per year: what projects spent before today outside the months they are costed
    # in (effort.spent_eur of a paused or moved project): spent whatever is funded
    apart_budget: list[float] = field(default_factory=list)
    apart_staff: list[float] = field(default_factory=list)

    def apart(self, resource: str, k: int) -> float:
        """What is spent apart in year ``k`` of ``resource`` (staff apart ran in
        months before today: it limits no month still open)."""
        if resource == "budget" and self.apart_budget:
            return self.apart_budget[k]
        if resource == "staff" and self.apart_staff:
            return self.apart_staff[k]
        return 0.0

    def starts_of(self, i: int) -> list[Start]:
        if self.candidates:
            return self.candidates[i]
        return [Start(self.starts[i] if self.starts else 0, self.costs[i])]

    @functools.cached_property
    def needs(self) -> dict[int, list[int]]:
        """Each project's prerequisites (indices) without those it also needs through
        another: the same closure as ``requires`` with the fewest edges (a complete graph
        of 2,000 projects needs 1,999 constraints instead of 2 million)."""
        from ..graph import transitive_reduction

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
    durations = {p.id: float(months_to_plan(p, portfolio.strategy)) for p in projects}
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
    """The problem of ``portfolio`` on ``today``: every ranked project with its own
    score, its costs at each start it may take, and what is forced in or out."""
    ranking = rank(portfolio, method, dependency_pull=False)
    entries = {e.id: e for e in ranking.entries}
    projects = [portfolio.projects[pid] for pid in sorted(entries)]
    model = CapacityModel.of(portfolio, today, overrides)
    years, costs, starts = costs_and_starts(portfolio, projects, model)
    first_open = sum(1 for year in years if year < today.year)
    forced_in, forced_out = _forced(portfolio, projects, ranking, keep_running, force_in, force_out)
    requires = _requires(portfolio, projects, forced_out)
    needed = prerequisites_closure(portfolio, forced_in)
    _past_period_end(model, portfolio, projects, starts, needed, forced_out)
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
        [months_to_plan(p, portfolio.strategy) for p in projects],
        model,
        portfolio,
    )
    problem.candidates = start_candidates(problem)
    problem.apart_budget, problem.apart_staff = _spent_apart(model, projects, starts, forced_out)
    return problem


def _spent_apart(
    model: CapacityModel,
    projects: Sequence[Project],
    starts: Sequence[int],
    forced_out: Mapping[str, Reason],
) -> tuple[list[float], list[float]]:
    """Per year, what the projects spent before today outside the months they are
    costed in (see CapacityModel.spent_apart): budget and staff-years. A project ruled
    out is costed in no month: all it spent counts here (as the plan books it)."""
    budget = [0.0] * len(model.years)
    staff = [0.0] * len(model.years)
    for project, start in zip(projects, starts, strict=True):
        at = model.calendar.months if project.id in forced_out else start
        apart = model.spent_apart(project, at)
        if apart is not None:
            budget = [a + b for a, b in zip(budget, apart.budget, strict=True)]
            staff = [a + b for a, b in zip(staff, apart.staff, strict=True)]
    return budget, staff


def _forced(
    portfolio: Portfolio,
    projects: Sequence[Project],
    ranking: Ranking,
    keep_running: bool,
    force_in: Sequence[str],
    force_out: Sequence[str],
) -> tuple[dict[str, Reason], dict[str, Reason]]:
    """What is forced in (must, in progress, committed, --force-in) and out (gated,
    wont, without any estimate unless a commitment needs it, --force-out), and why."""
    entries = {e.id: e for e in ranking.entries}
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
    committed = prerequisites_closure(portfolio, [*forced_in, *force_in])
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
    return forced_in, forced_out


def _past_period_end(
    model: CapacityModel,
    portfolio: Portfolio,
    projects: Sequence[Project],
    starts: Sequence[int],
    needed: set[str],
    forced_out: dict[str, Reason],
) -> None:
    """Rule out a project that would end after the period even at its earliest start,
    unless a commitment needs it (``needed``: forced in, with its prerequisites):
    capacity after the period is unknown, and it would otherwise be funded by spending
    most of its budget there (the plan's rule: it places such a project after the
    period)."""
    cal = model.calendar
    for project, start in zip(projects, starts, strict=True):
        months = months_to_plan(project, portfolio.strategy)
        if project.id in needed or start + months <= cal.months:
            continue
        forced_out.setdefault(
            project.id,
            Reason(
                "past-period-end",
                {
                    "end": cal.month_end(cal.months - 1).isoformat(),
                    "months": months,
                    "start": f"{cal.month_start(start):%Y-%m}",
                },
            ),
        )


def _requires(
    portfolio: Portfolio, projects: Sequence[Project], forced_out: dict[str, Reason]
) -> list[tuple[int, int]]:
    """The dependency edges (dependent, prerequisite) as indices, of the dependants
    that still wait for their prerequisites (not those in progress); a project that
    needs a cancelled one is ruled out (recorded in ``forced_out``)."""
    index = {p.id: i for i, p in enumerate(projects)}
    requires = []
    for p in projects:
        if not waits_for_prerequisites(p):
            continue
        for dep in p.depends_on:
            if dep in index:
                requires.append((index[p.id], index[dep]))
            elif portfolio.projects[dep].status == "cancelled":
                forced_out.setdefault(p.id, Reason("needs-cancelled", {"id": dep}))
    return requires


def prerequisites_closure(portfolio: Portfolio, ids: Iterable[str]) -> set[str]:
    """``ids`` with all the open prerequisites they still wait for, transitively."""
    result, stack = set(ids), list(ids)
    while stack:
        project = portfolio.projects[stack.pop()]
        if not waits_for_prerequisites(project):
            continue
        for dep in project.depends_on:
            if dep not in result and dep in portfolio.projects:
                result.add(dep)
                stack.append(dep)
    return result


def closure(problem: Problem, ids: set[int]) -> set[int]:
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
    forced = closure(problem, {index[pid] for pid in problem.forced_in})
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
    return closure(problem, {index[pid] for pid in problem.forced_in})
