"""What is known of a plan besides its dates: each project's free slack, the
dependency network (CPM) and a lower bound on the plan's length. Split from
schedule.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .capacity import Calendar, keeps_dates, months_to_plan
from .graph import Cpm, cpm
from .model import Portfolio, Project
from .placement import EPS, Plan, Scheduler

if TYPE_CHECKING:
    import numpy as np


def mark_slack(result: Plan) -> None:
    """Free slack in the plan: the days a project's end can slip before it delays a
    dependent's start or the plan's end (capacity aside); zero slack is critical."""
    by_id = result.by_id()
    plan_end = result.end_date
    if plan_end is None:
        return
    # each project's earliest dependent start: dependents from the latest start to the
    # earliest overwrite it (one dict update per project, not a step per dependency)
    first_dependent_start: dict[str, dt.date] = {}
    for p in sorted(result.placed, key=lambda p: p.start_date, reverse=True):
        first_dependent_start.update(dict.fromkeys(p.project.depends_on, p.start_date))
    for pid, p in by_id.items():
        first = first_dependent_start.get(pid)
        limit = plan_end if first is None else first - dt.timedelta(days=1)
        p.slack_days = max(0, (limit - p.end_date).days)
        p.critical = p.slack_days == 0


def network(portfolio: Portfolio, entries: Sequence[Project], origin: int, cal: Calendar) -> Cpm:
    durations = {p.id: float(months_to_plan(p, portfolio.strategy)) for p in entries}
    fixed = {
        p.id: float(cal.index(p.start) if p.start else origin)
        for p in entries
        if keeps_dates(p, portfolio.strategy)
    }
    return cpm(
        durations,
        {p.id: p.depends_on for p in entries},
        dict.fromkeys(durations, float(origin)),
        fixed,
    )


def lower_bound(result: Plan, entries: Sequence[Project], s: Scheduler) -> float:
    """No plan of these projects can be shorter (in months from the origin). (One
    function: the three bounds share the arrays built here.) The
    largest of three valid bounds:

    * the longest dependency chain (CPM);
    * staff: for every month t, the staff-months that cannot run before t (a project
      starts no earlier than its chain allows) must fit into the staff that the
      projects keeping their dates leave free from t on;
    * budget, by calendar year (a year's budget may be spent in any of its months):
      for every year, the budget that cannot be spent before it must fit into the
      budget left free from that year on.
    """
    import numpy as np

    origin, T, network = result.origin, s.T, result.network
    # the chain among the placed projects (one depending on an unscheduled project is
    # itself unscheduled, so every prerequisite of a placed project is placed)
    bounds = [
        max((network.earliest_finish[p] for p in s.placed), default=origin) - origin
        if network
        else 0.0
    ]
    free = [p for p in entries if p.id in s.placed and not s.placed[p.id].fixed]
    if not free or origin >= T:
        return max(bounds)
    fixed_staff = np.zeros(T)
    fixed_budget = np.zeros(len(s.years))
    for placed in s.placed.values():
        if placed.fixed:
            lo, hi = max(0, placed.start), min(T, placed.start + placed.months)
            fixed_staff[lo:hi] += placed.project.effort.staff_fte
            fixed_budget += s.spend(placed.project, np.array([placed.start]), placed.months)[0]
    earliest = np.array(
        [network.earliest_start[p.id] if network else origin for p in free], dtype=float
    )
    months = np.array([float(s.placed[p.id].months) for p in free])
    staff = np.array([p.effort.staff_fte for p in free])
    budget = np.array([p.effort.budget_eur for p in free])
    staff_free = np.clip(s.staff_cap - fixed_staff, 0, None)
    budget_free = np.clip(s.budget_cap - fixed_budget, 0, None)

    def after(t: int) -> np.ndarray:
        """Months of each project that must run at or after month t."""
        late: np.ndarray = np.clip(months - np.clip(t - earliest, 0, None), 0, None)
        return late

    for t in range(origin, T):
        need = float(staff @ after(t))
        if need > EPS:
            reach = np.cumsum(staff_free[t:])
            k = int(np.searchsorted(reach, need - EPS))
            bounds.append(float(min(t + k + 1, T) - origin))
    for y in range(len(s.years)):
        first = max(int(s.year_first[y]), origin)
        if first >= T:
            continue
        need = float(budget @ (after(first) / months))
        if need > EPS:
            reach = np.cumsum(budget_free[y:])
            k = int(np.searchsorted(reach, need - EPS))
            # the plan reaches at least into year y + k: past its first month
            year_start = int(s.year_first[min(y + k, len(s.years) - 1)])
            bounds.append(float(min(max(year_start, first) + 1, T) - origin))
    return max(bounds)
