"""The plan's values (placements, reasons, per-year use, the plan) and the serial
scheduler that places one project at a time at the earliest month with room.

Split from schedule.py, which drives the scheduler in ranking order; the reasons
are codes with parameters (``REASONS`` holds their English wording, the catalogs
every other language's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .capacity import Calendar, CapacityModel, remaining_budget
from .errors import Finding
from .graph import Cpm
from .markers import marked
from .model import Portfolio, Project

if TYPE_CHECKING:
    import numpy as np

EPS = 1e-6


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
    "prerequisite-late": marked(
        "unscheduled:prerequisite-late",
        "its prerequisite {ids} runs until {until}; after it the period has no room for "
        "its {months} months",
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

    def __str__(self) -> str:  # a reason inside another message reads as its English
        return self.english()


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
    # the commitments' highest staff in a month of the year from today on: a peak in a
    # month already past is nothing to decide any more
    committed_staff_ahead: float = 0.0


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


class Scheduler:
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
        # what projects spent before today outside the months they are planned in (or
        # not planned at all): part of the use above, and committed whatever happens
        self.spent_budget = np.zeros(len(years))
        self.spent_staff = np.zeros(self.T)
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
        self._book_spent(project, start, sign)

    def _book_spent(self, project: Project, start: int, sign: float) -> None:
        import numpy as np

        apart = self.model.spent_apart(project, start)
        if apart is not None:
            for used in (self.budget_used, self.spent_budget):
                used += sign * np.array(apart.budget)
            for used in (self.staff_used, self.spent_staff):
                used[apart.first : apart.last] += sign * apart.fte

    def book_spent_unplanned(self, project: Project) -> None:
        """What a project the plan does not place (won't, not eligible, …) spent before
        today: spent all the same (optimize counts it too)."""
        self._book_spent(project, self.T, 1.0)

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
        if why is not None and earliest > self.origin:
            why = self._prerequisites_late(project, earliest, months, why)
        if why is not None:
            # the period has no room: after it nothing is known about capacity, so the
            # project goes to the first month after the period its prerequisites allow
            start = max(earliest, self.T, self.today_month)
        self.place(project, start, months, fixed=False, beyond=why)
        return None

    def _prerequisites_late(self, project: Project, earliest: int, months: int, why: Why) -> Why:
        """Why the period has no room for a project whose prerequisites end late
        (``why``: the reason from its earliest start after them). They are the reason
        (the ones that end last, and when) when it would fit if they ended sooner, or
        when they end after the period, where a reason from its earliest start would
        only restate where it was put; otherwise the capacity after them is."""
        if self.origin >= self.T:
            return why  # today is after the period: nothing fits in it, whatever it needs
        fits_without = self._earliest_in_period(project, self.origin, months)[1] is None
        if not fits_without and earliest < self.T:
            return why
        last = [d for d in project.depends_on if self.ends.get(d) == earliest - 1]
        until = f"{self.cal.month_start(earliest - 1):%Y-%m}"
        return Why("prerequisite-late", {"ids": last, "until": until, "months": months})

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
        bad = (self.staff_cap - self.staff_used < project.effort.staff_fte - EPS).astype(np.int64)
        running_bad = np.concatenate(([0], np.cumsum(bad)))
        staff_ok = running_bad[starts + months] - running_bad[starts] == 0
        if not staff_ok.any():  # staff alone rules out every start: no budget to weigh
            return -1, why_not(
                project, starts, months, staff_ok, staff_ok, bad, None, None, self.years,
                self.year_index,
            )  # fmt: skip
        needed, running = self.spend_both(project, starts, months)
        free = self.budget_cap - self.budget_used
        # a year the project spends nothing in cannot block it (even if overspent)
        budget_ok = np.all((needed <= free + EPS) | (needed <= EPS), axis=1)
        running_free = self.running_cap - self.running_used
        budget_ok &= np.all((running <= running_free + EPS) | (running <= EPS), axis=1)
        feasible = np.flatnonzero(staff_ok & budget_ok)
        if feasible.size:
            return int(starts[feasible[0]]), None
        return -1, why_not(
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


def why_not(
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
        over = (needed > budget_free + EPS) & (needed > EPS)
        blocked = sorted({years[int(y)] for y in np.flatnonzero(over.any(axis=0))})
        # what it still needs: a half-done project has spent part of it already
        return Why("budget", {"years": blocked, "budget": remaining_budget(project)})
    return Why("staff-and-budget")


def _years(years: list[int]) -> str:
    if len(years) == 1:
        return str(years[0])
    return f"{', '.join(map(str, years[:-1]))} and {years[-1]}"
