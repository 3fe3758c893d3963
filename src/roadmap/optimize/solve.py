"""The best selection, and when the commitments alone exceed a year: the overrun, the
recovery proposal and the best selection of the rest with the proposal applied."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..capacity import has_effort, keeps_dates, per_year_totals, total
from ..errors import DataError
from .left_out import why_left_out
from .milp import milp_selection
from .problem import (
    Costs,
    Overrun,
    Problem,
    Reason,
    Selection,
    Start,
    build,
    check_clashes,
    forced_closure,
    prerequisites_closure,
)
from .rows import forced_overrun, row_limits, spent_costs

if TYPE_CHECKING:
    from ..model import Portfolio
    from ..recovery import Proposal, Step

_EPS = 1e-6


def solve(
    problem: Problem,
    budget_scale: float = 1.0,
    time_limit: float | None = None,
    allow_overrun: float = 0.0,
) -> Selection:
    """The best selection. When the commitments alone exceed an open year's capacity
    (beyond ``allow_overrun`` percent), it still answers: the overrun per year, a
    recovery proposal (commitments to stretch or pause, see :func:`recovery`), and the
    best selection of the rest with the proposal applied. (Long, about 65 lines, as one
    pipeline read top to bottom: recover, apply the proposal, select, record; its steps
    are functions already, and splitting further would pass a dozen intermediates.)"""
    from ..recovery import apply_stretches

    budget = [b * budget_scale for b in problem.budget]
    staff = list(problem.staff)
    budget_limit, staff_limit = _open_limits(problem, budget, staff, allow_overrun)
    check_clashes(problem)
    began = time.monotonic()
    overrun, proposal = _recover(problem, budget_limit, staff_limit, time_limit)
    searched = time.monotonic() - began
    problem = apply_stretches(problem, proposal.steps)
    paused = {step.id for step in proposal.steps if step.action == "pause"}
    y = len(problem.years)
    if not problem.projects:
        return Selection(0.0, [], [], problem.years, budget, staff, [0.0] * y, [0.0] * y)
    index = {p.id: i for i, p in enumerate(problem.projects)}
    forced = forced_closure(problem)
    paused_ids = {index[pid] for pid in paused}
    committed = forced - paused_ids
    # what paused commitments spent before today stays spent: it counts in every table
    # and leaves the rest of its year's budget
    sunk = {
        line: [spent_costs(problem, line, k, paused_ids) + problem.apart(line, k) for k in range(y)]
        for line in ("budget", "staff")
    }
    budget_limit = _selection_limits(problem, "budget", budget_limit, forced, committed, proposal)
    staff_limit = _selection_limits(problem, "staff", staff_limit, forced, committed, proposal)
    result, variables = milp_selection(
        problem,
        paused,
        budget_limit,
        staff_limit,
        time_limit or selection_time_limit(problem, searched),
    )
    if result.x is None:
        raise DataError(f"the optimizer found no feasible selection ({result.message})")
    choice = {i: start for v, (i, start) in enumerate(variables) if result.x[v] > 0.5}
    choice = _pull_earlier(problem, choice, budget_limit, staff_limit)
    costs = [choice[i].costs if i in choice else problem.costs[i] for i in range(len(index))]
    gap = getattr(result, "mip_gap", None)
    selection = _selection(problem, set(choice), costs, budget, staff, sunk)
    selection.optimal, selection.gap = result.status == 0, None if gap is None else float(gap)
    selection.overrun, selection.allow_overrun_pct = overrun, allow_overrun
    selection.recovery, selection.unrecoverable = proposal.steps, proposal.unrecoverable
    selection.recovery_optimal, selection.recovery_gap = proposal.optimal, proposal.gap
    _record_starts(problem, choice, selection)
    selection.committed_budget = _plus(
        per_year_totals([c.budget for c in costs], committed), sunk["budget"]
    )
    selection.committed_staff = _plus(
        per_year_totals([c.staff for c in costs], committed), sunk["staff"]
    )
    _add_notes(problem, selection, set(choice), proposal)
    # the left-out reasons compare with the limits the solver used
    limits = (_plus(budget_limit, sunk["budget"]), _plus(staff_limit, sunk["staff"]))
    selection.left_out = _left_out(problem, set(choice), costs, selection, limits, paused)
    return selection


@dataclass
class ReportedProposal:
    """What the report says of optimize's recovery proposal: its steps, and the open
    projects optimize counts with the commitments because a commitment not yet begun
    needs them (the plan schedules them by rank), each with its budget per year at its
    earliest start."""

    steps: list[Step]
    prerequisites: list[tuple[str, dict[int, float]]]


def recovery_proposal(portfolio: Portfolio, today: dt.date) -> ReportedProposal:
    """The recovery proposal ``optimize`` makes for ``portfolio`` on ``today`` (no steps
    when the commitments fit every open year, or when they clash), for the report: the
    same search, without the selection after it."""
    problem = build(portfolio, today)
    try:
        check_clashes(problem)
    except DataError:
        return ReportedProposal([], [])  # optimize names the clash
    budget_limit, staff_limit = _open_limits(problem, problem.budget, problem.staff, 0.0)
    try:
        steps = _recover(problem, budget_limit, staff_limit, None)[1].steps
    except DataError:
        return ReportedProposal([], [])  # no proposal within the search's limits
    return ReportedProposal(steps, _prerequisites_made_room_for(portfolio, problem, steps))


def _prerequisites_made_room_for(
    portfolio: Portfolio, problem: Problem, steps: Sequence[Step]
) -> list[tuple[str, dict[int, float]]]:
    """The open projects, not commitments themselves, that the commitments the proposal
    keeps (those with dates, not paused) need first, with their budget per year at their
    earliest start: what optimize counts with the commitments and the plan does not."""
    committed = {p.id for p in problem.projects if keeps_dates(p, portfolio.strategy)}
    paused = {step.id for step in steps if step.action != "stretch"}
    kept = sorted(committed - paused)
    needed = prerequisites_closure(portfolio, kept) - committed - paused
    index = {p.id: k for k, p in enumerate(problem.projects)}
    return [
        (pid, dict(zip(problem.years, problem.starts_of(index[pid])[0].costs.budget, strict=True)))
        for pid in sorted(needed)
        if pid in index and pid not in problem.forced_out
    ]


def _open_limits(
    problem: Problem, budget: Sequence[float], staff: Sequence[float], allow_overrun: float
) -> tuple[list[float], list[float]]:
    """Each year's budget and staff limit with the tolerance; past years are no
    longer constraints (infinite)."""
    tolerance = 1.0 + allow_overrun / 100
    budget_limit = [
        b * tolerance if k >= problem.first_open else math.inf for k, b in enumerate(budget)
    ]
    staff_limit = [
        f * tolerance if k >= problem.first_open else math.inf for k, f in enumerate(staff)
    ]
    return budget_limit, staff_limit


def _recover(
    problem: Problem,
    budget_limit: Sequence[float],
    staff_limit: Sequence[float],
    time_limit: float | None,
) -> tuple[list[Overrun], Proposal]:
    """The overrun of the commitments alone, and the recovery proposal for it (none
    when they fit)."""
    from ..recovery import RECOVERY_TIME_LIMIT, Proposal, recovery

    overrun = forced_overrun(problem, budget_limit, staff_limit)
    forced = forced_closure(problem)
    if overrun and any(len(problem.starts_of(i)) > 1 for i in forced):
        # commitments without dates ('must', --force-in) may start later: no overrun
        # when they fit that way
        placed, _ = milp_selection(problem, set(), budget_limit, staff_limit, time_limit, forced)
        if placed.x is not None:
            overrun = []
    if not overrun:
        return overrun, Proposal([])
    return overrun, recovery(problem, budget_limit, staff_limit, time_limit or RECOVERY_TIME_LIMIT)


def _selection(
    problem: Problem,
    chosen: set[int],
    costs: Sequence[Costs],
    budget: list[float],
    staff: list[float],
    sunk: Mapping[str, Sequence[float]],
) -> Selection:
    """The funded projects, their value and what they use per year (with what paused
    commitments spent before today)."""
    return Selection(
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
        effort_missing=sorted(p.id for p in problem.projects if not has_effort(p)),
    )


def _add_notes(
    problem: Problem, selection: Selection, chosen: set[int], proposal: Proposal
) -> None:
    """The selection's notes: over-committed, the proposal and its quality, projects
    funded without an estimate, moved later, the solve's time limit."""
    if selection.overrun:
        selection.notes.append(Reason("over-committed", {"allow": selection.allow_overrun_pct}))
        if proposal.steps:
            selection.notes.append(Reason("recovery-proposal"))
        if proposal.unrecoverable:
            selection.notes.append(Reason("not-recoverable"))
        if not proposal.optimal:
            selection.notes.append(Reason("recovery-time-limit", {"gap": proposal.gap or 0.0}))
    funded_free = sorted(
        problem.projects[i].id for i in chosen if not has_effort(problem.projects[i])
    )
    if funded_free:
        selection.notes.append(Reason("funded-without-effort", {"ids": funded_free}))
    if selection.moved_later:
        selection.notes.append(Reason("starts-later", {"ids": selection.moved_later}))
    if not selection.optimal:
        selection.notes.append(Reason("time-limit", {"gap": float(selection.gap or 0)}))


def _left_out(
    problem: Problem,
    chosen: set[int],
    costs: Sequence[Costs],
    selection: Selection,
    limits: tuple[list[float], list[float]],
    paused: set[str],
) -> list[tuple[str, Reason]]:
    """Every project not funded, with why (compared with the solver's limits)."""
    capped = Selection(0.0, [], [], problem.years, limits[0], limits[1], [], [])
    capped.budget_used, capped.staff_used = selection.budget_used, selection.staff_used
    running_used = per_year_totals([c.running for c in costs], chosen)
    return [
        (
            p.id,
            Reason("paused", _forced_reason(problem, p.id))
            if p.id in paused
            else why_left_out(problem, i, chosen, capped, costs, running_used, paused),
        )
        for i, p in enumerate(problem.projects)
        if i not in chosen
    ]


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
        if resource == "budget":
            own -= problem.apart(resource, k)
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


def selection_time_limit(problem: Problem, searched: float = 0.0) -> float:
    """The default time limit of the selection's solve for this problem. A recovery
    search that took more than a few tenths (``searched`` seconds) leaves the
    selection that much less, down to half its limit: the answer as a whole keeps
    its default limit."""
    full = SELECTION_TIME_LIMIT if len(problem.projects) < LARGE else SELECTION_TIME_LIMIT_LARGE
    return max(full / 2, full - max(0.0, searched - 0.5))


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
