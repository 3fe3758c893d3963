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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .capacity import (
    DEFAULT_MONTHS,
    Calendar,
    CapacityModel,
    Overrides,
    duration_months,
    keeps_dates,
    month_span,
    plannable,
)
from .errors import Finding, Severity
from .graph import Cpm, cpm  # the critical path is the graph's; plan and optimize use it
from .markers import marked
from .model import Portfolio, Project
from .score import Ranking

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "DEFAULT_MONTHS",
    "Calendar",
    "Cpm",
    "cpm",
    "duration_months",
    "month_span",
    "plan",
    "what_if",
]
_EPS = 1e-6


# --------------------------------------------------------------------------- plan


@dataclass
class Placed:
    project: Project
    start: int  # month index (may be negative for a project begun before the period)
    months: int
    fixed: bool
    start_date: dt.date
    end_date: dt.date
    critical: bool = False
    slack_days: int = 0
    # placed after the period because the period has no room: why not inside it
    beyond: Why | None = None

    @property
    def end(self) -> int:  # last month index
        return self.start + self.months - 1


# why a project is not planned: the English message of each code (the JSON's
# "reason"); the catalogs word it in other languages (context "unscheduled:<code>")
REASONS = {
    "not-eligible": marked("unscheduled:not-eligible", "not eligible: {failures}"),
    "wont": marked("unscheduled:wont", "decided 'wont'"),
    "depends-on-unscheduled": marked(
        "unscheduled:depends-on-unscheduled", "depends on unscheduled {ids}"
    ),
    "too-long": marked("unscheduled:too-long", "needs {months} months; the period has {period}"),
    "past-period-end": marked(
        "unscheduled:past-period-end",
        "does not fit before the period ends ({end}): needs {months} months from {start}",
    ),
    "staff": marked(
        "unscheduled:staff",
        "staff exhausted in {years}: {fte} FTE are never free for {months} months in a row",
    ),
    "budget": marked(
        "unscheduled:budget",
        "budget exhausted in {years}: its {budget} EUR (and running costs) never fit",
    ),
    "staff-and-budget": marked(
        "unscheduled:staff-and-budget",
        "staff and budget are each free at some point, but never at the same time",
    ),
}


@dataclass(frozen=True)
class Why:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def english(self) -> str:
        shown = dict(self.params)
        if "years" in shown:
            shown["years"] = _years(shown["years"])
        if "budget" in shown:
            shown["budget"] = f"{shown['budget']:,.0f}"
        if "fte" in shown:
            shown["fte"] = f"{shown['fte']:g}"
        if "ids" in shown:
            shown["ids"] = ", ".join(shown["ids"])
        if "failures" in shown:
            shown["failures"] = "; ".join(shown["failures"])
        return REASONS[self.code].format(**shown)


@dataclass(frozen=True)
class Unscheduled:
    project: Project
    why: Why

    @property
    def reason(self) -> str:
        return self.why.english()


@dataclass
class YearUse:
    year: int
    budget: float
    staff: float
    budget_used: float = 0.0
    staff_used: float = 0.0  # the highest monthly staff use in the year
    # what the commitments (projects that keep their dates) use of it: their budget,
    # and their staff in the month of the year's highest use
    committed_budget: float = 0.0
    committed_staff: float = 0.0


@dataclass
class Plan:
    calendar: Calendar
    origin: int  # the first month the plan may start new projects in (today or later)
    placed: list[Placed]
    unscheduled: list[Unscheduled]
    years: list[YearUse]
    findings: list[Finding] = field(default_factory=list)
    network: Cpm | None = None
    lower_bound_months: float = 0.0
    notes: list[str] = field(default_factory=list)
    # the first month anything new may start in: the origin, or today's month when
    # today is after the period
    first_month: int = 0

    @property
    def end_date(self) -> dt.date | None:
        return max((p.end_date for p in self.placed), default=None)

    @property
    def length_months(self) -> int:
        """Months from the plan's origin to its last month (0 without projects)."""
        last = max((p.end for p in self.placed), default=self.origin - 1)
        return max(0, last - self.origin + 1)

    @property
    def quality(self) -> float | None:
        """Plan length over the lower bound (1.0 is provably optimal)."""
        if not self.lower_bound_months:
            return None
        return self.length_months / self.lower_bound_months

    def by_id(self) -> dict[str, Placed]:
        return {p.project.id: p for p in self.placed}


class _Scheduler:
    """The plan under construction: what is placed and the capacity it uses."""

    def __init__(self, portfolio: Portfolio, model: CapacityModel) -> None:
        import numpy as np

        self.model = model
        self.strategy = portfolio.strategy
        self.cal = cal = model.calendar
        self.T = cal.months
        self.origin = model.origin
        self.today_month = model.first_plannable
        self.years = years = model.years
        self.uses = [YearUse(c.year, c.budget, c.staff) for c in model.capacity]
        self.year_index = model.year_index()
        self.staff_cap = np.array([self.uses[y].staff for y in self.year_index], dtype=float)
        self.staff_used = np.zeros(self.T)
        self.budget_cap = np.array(model.budget, dtype=float)
        self.budget_used = np.zeros(len(years))
        # a year without a separate running-cost budget never blocks on it
        self.running_cap = np.array(
            [np.inf if r is None else r for r in model.running], dtype=float
        )
        self.running_used = np.zeros(len(years))
        self.year_first, self.year_last = model.year_bounds()
        self.placed: dict[str, Placed] = {}
        self.ends: dict[str, int] = {}  # the last month of each placed project
        self.unscheduled: dict[str, Unscheduled] = {}
        self.strategy_end = portfolio.strategy.period.end

    def spend(self, project: Project, starts: np.ndarray, months: int) -> np.ndarray:
        """Budget per year (columns) for each possible start (rows): the budget spread
        evenly over the project's months, and its running costs after it until the
        period ends where they count against the budget."""
        return self.model.budget_rows(*self.model.monthly_spend(project, starts, months))[0]

    def spend_both(
        self, project: Project, starts: np.ndarray, months: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """What counts against the budget and against the running-cost budget."""
        return self.model.budget_rows(*self.model.monthly_spend(project, starts, months))

    def _use(self, project: Project, start: int, months: int, sign: float) -> None:
        import numpy as np

        lo, hi = max(0, start), min(self.T, start + months)
        if hi > lo:
            self.staff_used[lo:hi] += sign * project.effort.staff_fte
        budget, running = self.spend_both(project, np.array([start]), months)
        self.budget_used += sign * budget[0]
        self.running_used += sign * running[0]
        # what it spent before today outside these months (effort.spent_eur) stays spent
        apart = self.model.spent_apart(project, start)
        if apart is not None:
            self.budget_used += sign * np.array(apart.budget)
            self.staff_used[apart.first : apart.last] += sign * apart.fte

    def place(
        self, project: Project, start: int, months: int, fixed: bool, beyond: Why | None = None
    ) -> None:
        self._use(project, start, months, 1.0)
        cal = self.cal
        start_date = project.start if fixed and project.start else cal.month_start(start)
        end_date = project.end if fixed and project.end else cal.month_end(start + months - 1)
        self.placed[project.id] = Placed(
            project, start, months, fixed, start_date, end_date, beyond=beyond
        )
        self.ends[project.id] = start + months - 1

    def remove(self, project_id: str) -> Placed:
        placed = self.placed.pop(project_id)
        del self.ends[project_id]
        self._use(placed.project, placed.start, placed.months, -1.0)
        return placed

    def earliest(self, project: Project) -> int:
        # the placed prerequisites are found in C (a project of a complete graph of
        # 2,000 projects has up to 1,999)
        ends = self.ends
        inside = ends.keys() & project.depends_on
        return max(self.origin, max(map(ends.__getitem__, inside)) + 1) if inside else self.origin

    def place_earliest(self, project: Project, months: int) -> Why | None:
        """Place at the earliest month with room in the period; when the period has
        none, right after it (or after its prerequisites there), recording why. The
        reason is returned only when the project cannot be placed at all (it depends
        on an unscheduled project)."""
        missing = (
            []
            if self.unscheduled.keys().isdisjoint(project.depends_on)
            else [d for d in project.depends_on if d in self.unscheduled]
        )
        if missing:
            return Why("depends-on-unscheduled", {"ids": missing})
        earliest = self.earliest(project)
        start, why = self._earliest_in_period(project, earliest, months)
        if why is not None:
            # the period has no room: after it nothing is known about capacity, so the
            # project goes to the first month after the period its prerequisites allow
            start = max(earliest, self.T, self.today_month)
        self.place(project, start, months, fixed=False, beyond=why)
        return None

    def _earliest_in_period(
        self, project: Project, earliest: int, months: int
    ) -> tuple[int, Why | None]:
        """The earliest start with room that ends inside the period, or why none. (A
        project may not run past the period's end: capacity after it is unknown, and a
        project could otherwise squeeze in by spending most of its budget after it.)"""
        import numpy as np

        if months > self.T:
            return -1, Why("too-long", {"months": months, "period": self.T})
        if earliest + months > self.T:
            return -1, Why(
                "past-period-end",
                {
                    "end": self.strategy_end,
                    "months": months,
                    "start": f"{self.cal.month_start(earliest):%Y-%m}",
                },
            )
        starts = np.arange(earliest, self.T - months + 1)
        bad = (self.staff_cap - self.staff_used < project.effort.staff_fte - _EPS).astype(np.int64)
        running_bad = np.concatenate(([0], np.cumsum(bad)))
        staff_ok = running_bad[starts + months] - running_bad[starts] == 0
        if not staff_ok.any():  # staff alone rules out every start: no budget to weigh
            return -1, _why_not(
                project, starts, months, staff_ok, staff_ok, bad, None, None, self.years,
                self.year_index,
            )  # fmt: skip
        needed, running = self.spend_both(project, starts, months)
        free = self.budget_cap - self.budget_used
        # a year the project spends nothing in cannot block it (even if overspent)
        budget_ok = np.all((needed <= free + _EPS) | (needed <= _EPS), axis=1)
        running_free = self.running_cap - self.running_used
        budget_ok &= np.all((running <= running_free + _EPS) | (running <= _EPS), axis=1)
        feasible = np.flatnonzero(staff_ok & budget_ok)
        if feasible.size:
            return int(starts[feasible[0]]), None
        return -1, _why_not(
            project,
            starts,
            months,
            staff_ok,
            budget_ok,
            bad,
            needed,
            free,
            self.years,
            self.year_index,
        )


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
    assumed = []
    # projects that keep their dates come first: they use capacity whatever it is
    for project in entries:
        months, was_assumed = duration_months(project)
        if was_assumed:
            assumed.append(project.id)
        if keeps_dates(project, portfolio.strategy):
            start = s.cal.index(project.start) if project.start else s.origin
            s.place(project, start, months, fixed=True)
    if base is not None:
        for previous in base.placed:
            if not previous.fixed:
                s.place(previous.project, previous.start, previous.months, fixed=False)
        for project in entries:  # move earlier where the new capacity allows
            if project.id in s.placed and not s.placed[project.id].fixed:
                moved = s.remove(project.id)
                reason = s.place_earliest(project, moved.months)
                assert reason is None, "its own slot is always feasible again"
    for project in entries:
        if project.id in s.placed:
            continue
        reason = s.place_earliest(project, duration_months(project)[0])
        if reason is not None:
            s.unscheduled[project.id] = Unscheduled(project, reason)

    committed_budget, committed_staff = _committed_use(s)
    for i, use in enumerate(s.uses):
        use.budget_used = float(s.budget_used[i])
        use.committed_budget = float(committed_budget[i])
        in_year = s.staff_used[s.year_index == i]
        use.staff_used = float(in_year.max()) if in_year.size else 0.0
        if in_year.size:
            use.committed_staff = float(committed_staff[s.year_index == i][int(in_year.argmax())])
    ranked = [e.project for e in ranking.entries]
    result = Plan(
        s.cal,
        s.origin,
        [s.placed[p.id] for p in ranked if p.id in s.placed],
        [s.unscheduled[p.id] for p in ranked if p.id in s.unscheduled],
        s.uses,
        first_month=max(s.origin, s.today_month),
    )
    if assumed:
        result.notes.append(
            f"{len(assumed)} project{'s' * (len(assumed) != 1)} without "
            f"dates or duration_months planned with {DEFAULT_MONTHS} months: "
            f"{', '.join(sorted(assumed))}"
        )
    wishes = sorted(
        p.project.id
        for p in result.placed
        if not p.fixed and p.project.start and p.start_date != p.project.start
    )
    no_effort = sorted(
        p.project.id
        for p in result.placed
        if not p.fixed and not (p.project.effort.budget_eur or p.project.effort.staff_fte)
    )
    if no_effort:
        result.notes.append(
            f"effort missing (no budget, no staff) for {len(no_effort)} "
            f"project{'s' * (len(no_effort) != 1)}, planned as if free: "
            f"{', '.join(no_effort)}"
        )
    beyond = [p for p in result.placed if p.beyond is not None]
    if beyond:
        result.notes.append(
            f"{len(beyond)} project{'s' * (len(beyond) != 1)} placed after the period "
            f"(it has no room for them; capacity after it is unknown): "
            + "; ".join(f"{p.project.id} from {p.start_date:%Y-%m}" for p in beyond)
        )
    if wishes:
        result.notes.append(
            f"{len(wishes)} start date{'s' * (len(wishes) != 1)} of projects that are not "
            f"committed (not in progress, approved or fixed: true) taken as wishes and "
            f"moved: {', '.join(wishes)}"
        )
    resumed = sorted(
        p.project.id
        for p in result.placed
        if p.project.status == "on_hold"
        and p.project.start is not None
        and p.project.start < s.cal.month_start(s.origin)
    )
    if resumed:
        # the files cannot say how much of an interrupted project is done
        result.notes.append(
            f"{len(resumed)} project{'s' * (len(resumed) != 1)} on hold that had begun "
            f"planned again with the whole budget_eur and duration from the file; if part "
            f"is done, write what remains: {', '.join(resumed)}"
        )
    _mark_slack(result)
    result.network = _network(portfolio, entries, s.origin, s.cal)
    result.lower_bound_months = _lower_bound(result, entries, s)
    result.findings = _findings(
        portfolio, result, s.staff_cap, s.staff_used, s.budget_cap, s.budget_used, s.years
    )
    return result


def _committed_use(s: _Scheduler) -> tuple[np.ndarray, np.ndarray]:
    """The budget per year and the staff per month of the commitments alone, in the
    same capacity model as the plan's use."""
    import numpy as np

    budget = np.zeros(len(s.years))
    staff = np.zeros(s.T)
    for placed in s.placed.values():
        if placed.fixed:
            lo, hi = max(0, placed.start), min(s.T, placed.start + placed.months)
            staff[lo:hi] += placed.project.effort.staff_fte
            budget += s.spend(placed.project, np.array([placed.start]), placed.months)[0]
    return budget, staff


def _why_not(
    project: Project,
    starts: np.ndarray,
    months: int,
    staff_ok: np.ndarray,
    budget_ok: np.ndarray,
    staff_bad: np.ndarray,
    needed: np.ndarray | None,
    budget_free: np.ndarray | None,
    years: list[int],
    year_index: np.ndarray,
) -> Why:
    """Which constraint keeps the project out of every possible start, and in which
    years."""
    import numpy as np

    if not staff_ok.any():
        window = staff_bad[int(starts[0]) : int(starts[-1]) + months]
        # np.unique sorts: the years' indexes in order are the years in order
        blocked_at = np.unique(year_index[int(starts[0]) + np.flatnonzero(window)])
        blocked = [years[int(y)] for y in blocked_at]
        return Why("staff", {"years": blocked, "fte": project.effort.staff_fte, "months": months})
    if not budget_ok.any():
        assert needed is not None and budget_free is not None  # weighed when staff fits
        over = (needed > budget_free + _EPS) & (needed > _EPS)
        blocked = sorted({years[int(y)] for y in np.flatnonzero(over.any(axis=0))})
        return Why("budget", {"years": blocked, "budget": project.effort.budget_eur})
    return Why("staff-and-budget")


def _years(years: list[int]) -> str:
    if len(years) == 1:
        return str(years[0])
    return f"{', '.join(map(str, years[:-1]))} and {years[-1]}"


def _mark_slack(result: Plan) -> None:
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


def _network(portfolio: Portfolio, entries: Sequence[Project], origin: int, cal: Calendar) -> Cpm:
    durations = {p.id: float(duration_months(p)[0]) for p in entries}
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


def _lower_bound(result: Plan, entries: Sequence[Project], s: _Scheduler) -> float:
    """No plan of these projects can be shorter (in months from the origin). The
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
        if need > _EPS:
            reach = np.cumsum(staff_free[t:])
            k = int(np.searchsorted(reach, need - _EPS))
            bounds.append(float(min(t + k + 1, T) - origin))
    for y in range(len(s.years)):
        first = max(int(s.year_first[y]), origin)
        if first >= T:
            continue
        need = float(budget @ (after(first) / months))
        if need > _EPS:
            reach = np.cumsum(budget_free[y:])
            k = int(np.searchsorted(reach, need - _EPS))
            # the plan reaches at least into year y + k: past its first month
            year_start = int(s.year_first[min(y + k, len(s.years) - 1)])
            bounds.append(float(min(max(year_start, first) + 1, T) - origin))
    return max(bounds)


def _findings(
    portfolio: Portfolio,
    result: Plan,
    staff_cap: np.ndarray,
    staff_used: np.ndarray,
    budget_cap: np.ndarray,
    budget_used: np.ndarray,
    years: list[int],
) -> list[Finding]:
    """What the committee must hear: missed deadlines, capacity the fixed projects
    already exceed, and years without capacity."""
    findings = []
    strategy_file = portfolio.strategy_file
    for p in result.placed:
        deadline = p.project.deadline
        if deadline and p.end_date > deadline:
            findings.append(
                Finding(
                    portfolio.file_of(p.project.id),
                    ("deadline",),
                    Severity.WARNING,
                    "deadline-missed",
                    f"planned to end {p.end_date}, {(p.end_date - deadline).days} days after its "
                    f"deadline {deadline}",
                )
            )
    placed = result.by_id()
    for p in result.placed:
        if not p.fixed:
            continue
        for i, dep in enumerate(p.project.depends_on):
            before = placed.get(dep)
            if before is not None and before.end_date >= p.start_date:
                findings.append(
                    Finding(
                        portfolio.file_of(p.project.id),
                        ("depends_on", i),
                        Severity.WARNING,
                        "starts-before-prerequisite",
                        f"keeps its start {p.start_date} although its prerequisite {dep} runs "
                        f"until {before.end_date}; check the dates or the dependency",
                    )
                )
    for u in result.unscheduled:
        if u.project.deadline:
            findings.append(
                Finding(
                    portfolio.file_of(u.project.id),
                    ("deadline",),
                    Severity.WARNING,
                    "deadline-missed",
                    f"not scheduled ({u.reason}); its deadline {u.project.deadline} is missed",
                )
            )
    capacity_years = {c.year: i for i, c in enumerate(portfolio.strategy.capacity)}
    calendar, origin = result.calendar, result.origin
    for i, year in enumerate(years):
        # only months from today on: what is past cannot be planned any more (and
        # optimize no longer counts it either)
        months = [m for m in range(origin, calendar.months) if calendar.year_of(m) == year]
        if not months:
            continue
        where = ("capacity", capacity_years[year]) if year in capacity_years else ("capacity",)
        if budget_used[i] > budget_cap[i] + _EPS:
            findings.append(
                Finding(
                    strategy_file,
                    where,
                    Severity.WARNING,
                    "capacity-exceeded",
                    f"projects with fixed dates already spend {budget_used[i]:,.0f} EUR in {year}, "
                    f"more than its budget of {budget_cap[i]:,.0f} EUR",
                )
            )
        peak_month = max(months, key=lambda m: (float(staff_used[m]), -m))
        peak, cap = float(staff_used[peak_month]), float(staff_cap[peak_month])
        if peak > cap + _EPS:
            # staff is a rate here (what runs at once in a month); optimize counts
            # staff-years over the whole year, which may fit where a month does not
            year_months = [m for m in range(calendar.months) if calendar.year_of(m) == year]
            staff_years = sum(float(staff_used[m]) for m in year_months) / 12
            findings.append(
                Finding(
                    strategy_file,
                    where,
                    Severity.WARNING,
                    "capacity-exceeded",
                    f"projects with fixed dates already need {peak:g} FTE at once in "
                    f"{calendar.month_start(peak_month):%Y-%m}, more than the {cap:g} FTE of "
                    f"{year} (month by month; over the year they need {staff_years:.2f} "
                    f"staff-years of {cap:g}, the measure optimize uses)",
                )
            )
    return findings


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
