"""The recovery proposal for an over-committed portfolio: when the commitments alone
(forced in, with their prerequisites) exceed an open year's budget or staff, the
mildest set of steps that makes them fit — stretch a commitment (keep its start, end it
later with the same total budget and staff-months) or pause it (take it out of the
period) — solved exactly with SciPy's ``milp``. A proposal, never applied to the files;
:func:`apply_stretches` shows the portfolio as it would be after it.

Only what is not yet spent can move: a pause frees a commitment's costs from today's
month on, a stretch spreads what remains of it over more months from today (the months
before today keep their costs). A year whose months before today already spent more
than its capacity cannot be recovered: it is reported (``Proposal.unrecoverable``) and
left out of the proposal's constraints.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .capacity import file_months, months_to_plan, remaining_budget, total
from .errors import DataError
from .model import Project
from .optimize import (
    Costs,
    Overrun,
    Problem,
    Reason,
    costs_and_starts,
    forced_closure,
    start_candidates,
)
from .optimize.rows import capacity_rows, row_limits

_EPS = 1e-6
# the resource of a recovery row that holds one open month's staff (see _month_rows)
_MONTH = "staff-month"
# how much longer a recovery proposal may make a commitment's remaining months (a
# stretch keeps the start, the total budget and the staff-months)
STRETCH_FACTORS = (1.5, 2.0)
# what a step of the recovery proposal weighs: stretching is milder than pausing
_STEP_WEIGHT = {1.5: 0.4, 2.0: 0.5}
# the search for the mildest proposal is bounded by its branch-and-bound nodes, not by
# the clock: the same portfolio gets the same proposal on a busy machine as on an idle
# one (a report is read by a committee). 600 nodes prove the over-committed 300-project
# bench optimal (542 nodes, 1.5 s); at 3,000 they take about 13 s (gap 0.1 %).
RECOVERY_NODE_LIMIT = 600
# seconds after which the search stops all the same (--time-limit sets another)
RECOVERY_TIME_LIMIT = 30.0


@dataclass(frozen=True)
class Step:
    """One step of a recovery proposal for a commitment, and what it frees per open
    year (negative: what it needs more there). ``pause``: take it out of the period
    (pause it, or defer it beyond the period). ``stretch``: keep its start, end it
    later (``months`` instead of ``months_before``) with ``staff_fte`` so that its
    total budget and staff-months stay the same."""

    id: str
    action: str  # "pause" or "stretch"
    value: float
    why_forced: Reason
    frees_budget: dict[int, float]
    frees_staff: dict[int, float]
    months_before: int = 0
    months: int = 0
    end: dt.date | None = None  # when it ends after the stretch
    staff_fte: float | None = None
    file_end: dt.date | None = None  # the end to write (None: set duration_months)
    # pause: the fields to write into the project's file (``status: on_hold``; for a
    # project partly done, ``effort.spent_eur``: what it spent up to today)
    writes: dict[str, Any] = dataclasses.field(default_factory=dict)
    # the open projects that depend on it: a pause delays them too
    dependants: tuple[str, ...] = ()


def stretched(problem: Problem, i: int, factor: float) -> tuple[Project, int] | None:
    """The commitment with its remaining months (from today) made ``factor`` times as
    long, the start, the total budget and the staff-months kept: the project as its
    file would say it (a later ``end`` or a longer ``duration_months``, a lower
    ``staff_fte``), and its new length in months. None when it would end after the
    period (capacity after it is unknown) or after its deadline, or has no months left."""
    model, project = problem.model, problem.projects[i]
    if model is None:
        return None
    start, months = problem.starts[i], problem.months[i]
    past = min(max(0, model.spent_until - start), months)
    remaining = months - past
    longer = past + math.ceil(remaining * factor - _EPS)
    if remaining <= 0 or longer <= months or start + longer > model.calendar.months:
        return None
    end = model.calendar.month_end(start + longer - 1)
    if project.deadline is not None and end > project.deadline:
        return None
    # the staff from today on: the remaining staff-months over the remaining months
    effort = project.effort.model_copy(
        update={"staff_fte": project.effort.staff_fte * remaining / (longer - past)}
    )
    update: dict[str, Any] = {"effort": effort}
    # what the file says, so that the next run plans exactly ``longer`` months again
    written = (
        file_months(project, problem.portfolio.strategy, longer)
        if problem.portfolio is not None
        else longer
    )
    if project.start is not None and project.end is not None:
        update["end"] = model.calendar.month_end(model.calendar.index(project.start) + written - 1)
    else:
        update["duration_months"] = written
    return project.model_copy(update=update), longer


def stretch_costs(problem: Problem, i: int, longer: int) -> Costs:
    """The commitment's costs per year when it runs ``longer`` months from its start:
    the months before today as they were, what remains of its budget and staff-months
    spread evenly over the months from today to its new end."""
    model, project = problem.model, problem.projects[i]
    assert model is not None, "a stretch needs the capacity model"
    start, months, effort = problem.starts[i], problem.months[i], problem.projects[i].effort
    now = max(start, model.spent_until)
    past_end = min(start + months, now)
    if effort.spent_eur is None:
        rate = effort.budget_eur / months
        ahead_budget = rate * (start + months - now)
    else:  # the months before today carry what was spent, the rest carry the rest
        rate = effort.spent_eur / (past_end - start) if past_end > start else 0.0
        ahead_budget = remaining_budget(project)
    past = model.spread(rate, effort.staff_fte, 0.0, start, past_end)
    share = (start + months - now) / (start + longer - now)
    ahead = model.spread(
        ahead_budget / (start + longer - now),
        effort.staff_fte * share,
        project.effort.running_eur_per_year,
        now,
        start + longer,
        since=model.spent_until,
    )
    future = Costs(ahead[0], ahead[2], ahead[1])
    budget, running, staff = (
        [a + b for a, b in zip(x, y, strict=True)] for x, y in zip(past, ahead, strict=True)
    )
    return Costs(budget, staff, running, future)


@dataclass(frozen=True)
class _Option:
    """A way to relieve the capacity by one commitment: pause it, or stretch it."""

    project: int
    action: str
    weight: float
    saves: list[float]  # per resource row of _resources: what it frees there
    stretched: tuple[Project, int] | None = None
    costs: Costs | None = None


def _options(
    problem: Problem, forced: list[int], rows: list[tuple[str, int, float, list[float]]]
) -> list[_Option]:
    """Every pause and every stretch the proposal may use, each with what it frees in
    each capacity row. A commitment that another commitment needs is only paused
    (stretching it would move that one's start)."""
    chosen = set(forced)
    needed_by_forced = {q for d, q in problem.requires if d in chosen and q in chosen}
    values = [max(0.0, problem.values[i]) for i in forced]
    worth = {i: v / (total(values) + 1.0) for i, v in zip(forced, values, strict=True)}
    options = []
    for i in forced:
        ahead = problem.costs[i].from_today()
        # fewest first: a pause weighs 1 plus less than 1 in total for the values; it
        # frees what is not yet spent (a month row's cost is all from today on)
        frees = [
            cost[i] if resource == _MONTH else getattr(ahead, resource)[k]
            for resource, k, _, cost in rows
        ]
        options.append(_Option(i, "pause", 1.0 + worth[i], frees))
        if i in needed_by_forced or problem.model is None:
            continue
        for factor in STRETCH_FACTORS:
            longer = stretched(problem, i, factor)
            if longer is None:
                continue
            after = stretch_costs(problem, i, longer[1])
            start, fte = problem.starts[i], longer[0].effort.staff_fte
            saves = [
                cost[i] - (fte if start <= k < start + longer[1] else 0.0)
                if resource == _MONTH
                else cost[i] - getattr(after, resource)[k]
                for resource, k, _, cost in rows
            ]
            weight = _STEP_WEIGHT[factor] * (1.0 + worth[i])
            options.append(_Option(i, "stretch", weight, saves, longer, after))
    return options


@dataclass
class Proposal:
    """The recovery proposal and whether it is proven the mildest (else: the best found
    within the time limit, and its gap to the bound)."""

    steps: list[Step]
    optimal: bool = True
    gap: float | None = None
    # the years whose months before today already spent more than the capacity
    unrecoverable: list[Overrun] = dataclasses.field(default_factory=list)


def recovery(
    problem: Problem,
    budget: Sequence[float],
    staff: Sequence[float],
    time_limit: float = RECOVERY_TIME_LIMIT,
) -> Proposal:
    """The mildest set of steps that makes the commitments fit every open year: each
    commitment kept, stretched (remaining months ×1.5 or ×2, same total; see
    :func:`stretched`) or paused (taken out of the period); stretching weighs less than
    pausing, and among equal steps the least valuable commitments move. A paused
    prerequisite pauses what needs it. Solved exactly with milp; pausing all of them
    always fits. Many commitments of similar value make the search long: past
    RECOVERY_NODE_LIMIT nodes (or ``time_limit`` seconds) the best proposal found is
    returned, with its gap."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    forced = sorted(forced_closure(problem))
    rows, unrecoverable = _recoverable_rows(problem, forced, budget, staff)
    rows += _month_rows(problem, forced, staff)
    over = [total(cost[i] for i in forced) - limit for _, _, limit, cost in rows]
    if not forced or all(o <= _EPS for o in over):
        return Proposal([], unrecoverable=unrecoverable)
    options = _options(problem, forced, rows)
    n = len(options)
    # every row: what the chosen steps free ≥ the overrun (a stretch may need more in a
    # later year: that row then holds it to the room there)
    matrix = np.array([[o.saves[r] for o in options] for r in range(len(rows))])
    constraints = [LinearConstraint(matrix, np.array(over) - _EPS, np.inf)]
    per_project = np.zeros((len(forced), n))
    position = {i: j for j, i in enumerate(forced)}
    for column, option in enumerate(options):
        per_project[position[option.project], column] = 1.0
    constraints.append(LinearConstraint(per_project, 0.0, 1.0))  # one step each at most
    pause_of = {o.project: c for c, o in enumerate(options) if o.action == "pause"}
    pairs = [(d, q) for d, q in problem.requires if d in pause_of and q in pause_of]
    if pairs:
        dependency = np.zeros((len(pairs), n))
        for r, (dependent, prerequisite) in enumerate(pairs):
            dependency[r, pause_of[dependent]] = 1.0
            dependency[r, pause_of[prerequisite]] = -1.0
        constraints.append(LinearConstraint(dependency, 0.0, np.inf))
    result = milp(
        c=np.array([o.weight for o in options]),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        constraints=constraints,
        options={"time_limit": time_limit, "node_limit": RECOVERY_NODE_LIMIT},
    )
    if result.x is None:  # pausing everything fits: only a limit can end here
        raise DataError(f"no recovery proposal found ({result.message})")
    picked = _needed([options[c] for c in range(n) if result.x[c] > 0.5], problem)
    steps = [_step(problem, option, rows) for option in picked]
    steps.sort(key=lambda step: (step.action != "stretch", step.value, step.id))
    gap = getattr(result, "mip_gap", None)
    return Proposal(steps, result.status == 0, None if gap is None else float(gap), unrecoverable)


def _needed(picked: list[_Option], problem: Problem) -> list[_Option]:
    """The chosen steps without those that free nothing in any row (a solve stopped
    at its time limit may keep some): removing one never breaks a row. A pause that
    a paused prerequisite makes necessary stays."""
    kept = list(picked)
    while True:
        paused = {o.project for o in kept if o.action == "pause"}
        needs_paused = {d for d, q in problem.requires if q in paused}
        idle = [
            o
            for o in kept
            if all(saved <= _EPS for saved in o.saves)
            and not (o.action == "pause" and o.project in needs_paused)
        ]
        if not idle:
            return kept
        kept = [o for o in kept if o not in idle]


def _month_rows(
    problem: Problem, forced: list[int], staff: Sequence[float]
) -> list[tuple[str, int, float, list[float]]]:
    """A staff row per open month: staff is a rate, and the plan checks it month by
    month (a year whose staff-years fit may still need more at once in one month than
    the year has). Each project's cost in month ``m`` is its FTE when it runs then;
    months no commitment runs in yet keep their row, because a stretch may reach them."""
    model = problem.model
    if model is None or not problem.starts:
        return []
    year_of = model.year_index()
    first = min(max(0, model.spent_until), model.calendar.months)
    runs = {i: (problem.starts[i], problem.starts[i] + problem.months[i]) for i in forced}
    rows = []
    for m in range(first, model.calendar.months):
        cost = [0.0] * len(problem.projects)
        for i, (lo, hi) in runs.items():
            if lo <= m < hi:
                cost[i] = problem.projects[i].effort.staff_fte
        rows.append((_MONTH, m, float(staff[int(year_of[m])]), cost))
    return rows


def _recoverable_rows(
    problem: Problem, forced: list[int], budget: Sequence[float], staff: Sequence[float]
) -> tuple[list[tuple[str, int, float, list[float]]], list[Overrun]]:
    """The capacity rows the proposal must satisfy, and the overruns it cannot touch:
    rows whose commitments spent more in the months before today than those months
    had (budget: the year's; staff: their share of it, see optimize.row_limits). Such
    a year stays a row, so that each step says what it frees in its months from today
    on (December, on 30 November): staff held to the open months' own share (a rate:
    they can still fit), budget unbounded (the year's pool is spent: no step can make
    it fit, and the proposal is sized to what can be recovered)."""
    rows, unrecoverable = [], []
    for resource, k, limit, cost in capacity_rows(problem, budget, staff):
        spent = {i: cost[i] - getattr(problem.costs[i].from_today(), resource)[k] for i in forced}
        already = total(spent.values())
        could, row_limit = row_limits(problem, resource, k, limit, already)
        if already > could + _EPS:
            causes = sorted(
                ((problem.projects[i].id, v) for i, v in spent.items() if v > _EPS),
                key=lambda item: (-item[1], item[0]),
            )
            apart = problem.apart(resource, k) if resource == "budget" else 0.0
            unrecoverable.append(
                Overrun(problem.years[k], resource, already + apart, could + apart, causes)
            )
            rows.append((resource, k, row_limit if resource == "staff" else math.inf, cost))
        else:
            rows.append((resource, k, min(limit, row_limit), cost))
    return rows, unrecoverable


def _dependants(problem: Problem, pid: str) -> tuple[str, ...]:
    """The open projects that name ``pid`` among their prerequisites."""
    if problem.portfolio is None:
        return ()
    return tuple(
        sorted(
            p.id for p in problem.portfolio.projects.values() if p.is_open and pid in p.depends_on
        )
    )


def _step(
    problem: Problem, option: _Option, rows: list[tuple[str, int, float, list[float]]]
) -> Step:
    """An option chosen for the proposal, with what it frees per open year."""
    i, project = option.project, problem.projects[option.project]
    frees: dict[str, dict[int, float]] = {"budget": {}, "staff": {}}
    for (resource, k, _, _), saved in zip(rows, option.saves, strict=True):
        if resource in frees and abs(saved) > _EPS:
            frees[resource][problem.years[k]] = saved
    why = problem.forced_in.get(project.id, Reason("needed-by-commitment"))
    if option.stretched is None:
        return Step(
            project.id,
            "pause",
            problem.values[i],
            why,
            frees["budget"],
            frees["staff"],
            writes=pause_writes(problem, i),
            dependants=_dependants(problem, project.id),
        )
    longer, months = option.stretched
    return Step(
        project.id,
        "stretch",
        problem.values[i],
        why,
        frees["budget"],
        frees["staff"],
        months_before=problem.months[i],
        months=months,
        end=problem.model.calendar.month_end(problem.starts[i] + months - 1)
        if problem.model
        else None,
        staff_fte=longer.effort.staff_fte,
        file_end=longer.end if project.end is not None else None,
        writes=stretch_writes(problem, i, longer),
    )


def stretch_writes(problem: Problem, i: int, longer: Project) -> dict[str, Any]:
    """What to write into a stretched commitment's file: its later ``end`` (or longer
    ``duration_months``), its lower ``effort.staff_fte`` (rounded down to 0.001: the
    staff-months never grow), and what it spent up to today (``effort.spent_eur``,
    unless recorded already), so that the months before today keep it."""
    project = problem.projects[i]
    writes: dict[str, Any] = {}
    if project.end is not None and longer.end is not None:
        writes["end"] = longer.end.isoformat()
    else:
        writes["duration_months"] = longer.duration_months
    writes["effort.staff_fte"] = math.floor(longer.effort.staff_fte * 1000 + _EPS) / 1000
    spent = _spent_so_far(problem, i)
    if spent is not None:
        writes["effort.spent_eur"] = spent
    return writes


def _spent_so_far(problem: Problem, i: int) -> int | None:
    """What a commitment partly done spent up to today in the capacity model (its
    budget spread evenly over its months), when its file does not record it."""
    project, model = problem.projects[i], problem.model
    if model is None or not problem.starts or project.effort.spent_eur is not None:
        return None
    start, months = problem.starts[i], problem.months[i]
    done = min(max(0, model.spent_until - start), months)
    if done <= 0 or not project.effort.budget_eur:
        return None
    return round(project.effort.budget_eur * done / months)


def pause_writes(problem: Problem, i: int) -> dict[str, Any]:
    """What to write into a paused commitment's file so that no tool takes it for a
    commitment any more: ``status: on_hold`` (a commitment by decision or by
    ``fixed: true`` also loses that), and for a project partly done what it spent up
    to today (``effort.spent_eur``, unless recorded already): the months before today
    keep it, and it resumes with the rest of its budget."""
    project = problem.projects[i]
    writes: dict[str, Any] = {"status": "on_hold"}
    if project.decision == "must":
        writes["decision"] = "should"
    if project.fixed:
        writes["fixed"] = "false"
    spent = _spent_so_far(problem, i)
    if spent is not None:
        writes["effort.spent_eur"] = spent
    return writes


def apply_stretches(problem: Problem, steps: Sequence[Step]) -> Problem:
    """The problem with the proposal's stretched commitments as their files would say
    after it: every cost recomputed (a later end moves what depends on it)."""
    index = {p.id: i for i, p in enumerate(problem.projects)}
    changed = {
        step.id: stretched_to(problem, index[step.id], step)
        for step in steps
        if step.action == "stretch"
    }
    if not changed or problem.portfolio is None or problem.model is None:
        return problem
    projects = [changed.get(p.id, p) for p in problem.projects]
    _, costs, starts = costs_and_starts(problem.portfolio, projects, problem.model)
    # the stretched commitments keep what they spent before today (their files cannot
    # say that: re-run, the tool spreads their budget evenly again)
    for step in steps:
        if step.action == "stretch":
            costs[index[step.id]] = stretch_costs(problem, index[step.id], step.months)
    applied = dataclasses.replace(
        problem,
        projects=projects,
        costs=costs,
        starts=starts,
        months=[months_to_plan(p, problem.portfolio.strategy) for p in projects],
    )
    applied.candidates = start_candidates(applied)
    return applied


def stretched_to(problem: Problem, i: int, step: Step) -> Project:
    """The project as its file reads with the stretch of ``step`` applied."""
    project = problem.projects[i]
    effort = project.effort.model_copy(update={"staff_fte": step.staff_fte or 0.0})
    if step.file_end is not None:
        return project.model_copy(update={"effort": effort, "end": step.file_end})
    return project.model_copy(update={"effort": effort, "duration_months": step.months})
