"""A capacity- and dependency-aware plan, month by month, and the critical path.

The plan is a serial schedule generation scheme: projects are taken in the ranking's
order (which lists every prerequisite before its dependents) and each is placed at the
earliest month where

* all its prerequisites have ended,
* its ``effort.staff_fte`` fits the staff still free in every month it runs (staff is
  a rate: ``capacity[].staff_fte`` of a year is what may run at once in each of its
  months), and
* its budget, spread evenly over its months, plus its ``running_eur_per_year`` from the
  month after it ends to the end of the period, fits every calendar year's
  ``capacity[].budget_eur`` still free.

Commitments (capacity.keeps_dates: ``in_progress``, ``fixed: true``, ``approved``
by default) keep their dates and use capacity first, even beyond it: that is reported,
not hidden. The dates of other projects are wishes the plan may move (a note says so).
Calendar, costs and what is plannable come from capacity.py. What fits nowhere in the period
is unscheduled, with the reason. Pure: portfolio and ranking in, plan out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .capacity import (
    DEFAULT_MONTHS,
    Calendar,
    CapacityModel,
    Overrides,
    duration_months,
    keeps_dates,
    month_span,
    months_to_plan,
    plannable,
)
from .graph import Cpm, cpm  # the critical path is the graph's; plan and optimize use it
from .model import Portfolio, Project
from .placement import REASONS, Placed, Plan, Unscheduled, Why, YearUse
from .placement import Scheduler as _Scheduler
from .plan_bounds import lower_bound as _lower_bound
from .plan_bounds import mark_slack as _mark_slack
from .plan_bounds import network as _network
from .plan_findings import plan_findings as _findings
from .plan_findings import plan_notes
from .score import Ranking

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "DEFAULT_MONTHS",
    "REASONS",
    "Calendar",
    "Cpm",
    "Placed",
    "Plan",
    "Unscheduled",
    "Why",
    "YearUse",
    "cpm",
    "duration_months",
    "month_span",
    "plan",
    "what_if",
]


def _plannable(
    ranking: Ranking, portfolio: Portfolio, unscheduled: dict[str, Unscheduled]
) -> list[Project]:
    """The ranked projects in order, without what the committee rules out (recorded):
    capacity.plannable's rule."""
    entries, excluded = plannable(ranking, portfolio.strategy)
    for entry in ranking.entries:
        if entry.id in excluded:
            why = excluded[entry.id]
            unscheduled[entry.id] = Unscheduled(entry.project, Why(why.code, dict(why.params)))
    return entries


def plan(
    portfolio: Portfolio,
    ranking: Ranking,
    today: dt.date,
    capacity_scale: float = 1.0,
    budget_override: dict[int, float] | None = None,
    staff_override: dict[int, float] | None = None,
    base: Plan | None = None,
    budget_scale: float = 1.0,
    staff_scale: float = 1.0,
) -> Plan:
    """The plan. With ``base`` (a plan of the same portfolio with no more capacity in
    any year), the new plan starts from the base's placements and only moves projects
    earlier and adds those that now fit: more capacity never delays a project, which
    planning afresh cannot promise (a greedy scheduler has anomalies)."""
    overrides = Overrides(
        capacity_scale, budget_scale, staff_scale, budget_override, staff_override
    )
    s = _Scheduler(portfolio, CapacityModel.of(portfolio, today, overrides))
    entries = _plannable(ranking, portfolio, s.unscheduled)
    for excluded in s.unscheduled.values():
        s.book_spent_unplanned(excluded.project)
    assumed = _place_commitments(s, entries, portfolio)
    if base is not None:
        _replay(s, base, entries)
    for project in entries:
        if project.id in s.placed:
            continue
        reason = s.place_earliest(project, months_to_plan(project, portfolio.strategy))
        if reason is not None:
            s.unscheduled[project.id] = Unscheduled(project, reason)
    _record_use(s)
    ranked = [e.project for e in ranking.entries]
    result = Plan(
        s.cal,
        s.origin,
        [s.placed[p.id] for p in ranked if p.id in s.placed],
        [s.unscheduled[p.id] for p in ranked if p.id in s.unscheduled],
        s.uses,
        first_month=max(s.origin, s.today_month),
    )
    result.notes = plan_notes(result, assumed)
    _mark_slack(result)
    result.network = _network(portfolio, entries, s.origin, s.cal)
    result.lower_bound_months = _lower_bound(result, entries, s)
    # what the commitments (and what was spent) alone use: the plan never over-commits
    # a year with what it may move, so only they can exceed a year
    committed_budget, committed_staff = _committed_use(s)
    result.findings = _findings(
        portfolio, result, s.staff_cap, committed_staff, s.budget_cap, committed_budget, s.years
    )
    return result


def _place_commitments(s: _Scheduler, entries: list[Project], portfolio: Portfolio) -> list[str]:
    """Place the projects that keep their dates (they use capacity whatever it is, so
    they come first); returns the projects whose duration is assumed."""
    assumed = []
    for project in entries:
        was_assumed = duration_months(project)[1]
        months = months_to_plan(project, portfolio.strategy)
        if was_assumed:
            assumed.append(project.id)
        if keeps_dates(project, portfolio.strategy):
            start = s.cal.index(project.start) if project.start else s.origin
            s.place(project, start, months, fixed=True)
    return assumed


def _replay(s: _Scheduler, base: Plan, entries: list[Project]) -> None:
    """Start from the base plan's placements, then move each project earlier where the
    new capacity allows (in ranking order): more capacity never delays a project."""
    for previous in base.placed:
        if not previous.fixed:
            s.place(previous.project, previous.start, previous.months, fixed=False)
    for project in entries:
        if project.id in s.placed and not s.placed[project.id].fixed:
            moved = s.remove(project.id)
            reason = s.place_earliest(project, moved.months)
            assert reason is None, "its own slot is always feasible again"


def _record_use(s: _Scheduler) -> None:
    """Each year's use (and the commitments' part of it) into the scheduler's YearUse."""
    committed_budget, committed_staff = _committed_use(s)
    for i, use in enumerate(s.uses):
        use.budget_used = float(s.budget_used[i])
        use.committed_budget = float(committed_budget[i])
        in_year = s.staff_used[s.year_index == i]
        use.staff_used = float(in_year.max()) if in_year.size else 0.0
        if in_year.size:
            use.committed_staff = float(committed_staff[s.year_index == i][int(in_year.argmax())])
        ahead = committed_staff[s.origin :][s.year_index[s.origin :] == i]
        use.committed_staff_ahead = float(ahead.max()) if ahead.size else 0.0


def _committed_use(s: _Scheduler) -> tuple[np.ndarray, np.ndarray]:
    """The budget per year and the staff per month of the commitments alone, in the
    same capacity model as the plan's use; what was spent before today counts with
    them, whatever happens to its project now."""
    import numpy as np

    budget = s.spent_budget.copy()
    staff = s.spent_staff.copy()
    for placed in s.placed.values():
        if placed.fixed:
            lo, hi = max(0, placed.start), min(s.T, placed.start + placed.months)
            staff[lo:hi] += placed.project.effort.staff_fte
            budget += s.spend(placed.project, np.array([placed.start]), placed.months)[0]
    return budget, staff


def compare(base: Plan, other: Plan) -> tuple[list[tuple[str, dt.date, dt.date]], list[str]]:
    """What another capacity changes: projects that start earlier (id, old start, new
    start) and projects that now fit into the period (before: after it, or not placed)."""
    # placed after the period is not yet in the plan's period: what comes into it is
    # schedulable now, not earlier
    before = {p.project.id: p for p in base.placed if p.beyond is None}
    earlier = []
    for p in other.placed:
        old = before.get(p.project.id)
        if old is not None and p.start_date < old.start_date:
            earlier.append((p.project.id, old.start_date, p.start_date))
    inside = set(before)
    gained = [p.project.id for p in other.placed if p.beyond is None and p.project.id not in inside]
    return earlier, gained


# --- moved from the CLI (arch)


@dataclass(frozen=True)
class WhatIf:
    """A plan under changed capacity compared with the plan under the strategy's."""

    capacity_scale: float
    budget: dict[int, float]
    staff: dict[int, float]
    earlier: list[tuple[str, dt.date, dt.date]]  # id, start before, start now
    schedulable: list[str]  # ids placed now that were not before


def what_if(
    portfolio: Portfolio,
    ranking: Ranking,
    today: dt.date,
    capacity_scale: float = 1.0,
    budget: dict[int, float] | None = None,
    staff: dict[int, float] | None = None,
    budget_scale: float = 1.0,
    staff_scale: float = 1.0,
) -> tuple[Plan, WhatIf | None]:
    """The plan with every year's capacity scaled and some years' budget or staff set,
    and what that changes; ``(plan, None)`` when nothing is changed. When the change
    only adds capacity, the plan improves on the base plan, so nothing moves later."""
    budget, staff = budget or {}, staff or {}
    base = plan(portfolio, ranking, today)
    scales = (capacity_scale, budget_scale, staff_scale)
    if scales == (1.0, 1.0, 1.0) and not budget and not staff:
        return base, None
    capacity = {c.year: c for c in portfolio.strategy.capacity}
    only_more = (
        min(capacity_scale * budget_scale, capacity_scale * staff_scale) >= 1.0
        and all(
            amount >= (capacity[y].budget_eur if y in capacity else 0.0)
            for y, amount in budget.items()
        )
        and all(
            amount >= (capacity[y].staff_fte if y in capacity else 0.0)
            for y, amount in staff.items()
        )
    )
    result = plan(
        portfolio,
        ranking,
        today,
        capacity_scale,
        budget,
        staff,
        base=base if only_more else None,
        budget_scale=budget_scale,
        staff_scale=staff_scale,
    )
    earlier, gained = compare(base, result)
    return result, WhatIf(capacity_scale, budget, staff, earlier, gained)
