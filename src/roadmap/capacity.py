"""The one capacity model that ``plan`` and ``optimize`` share: the calendar of the
period, what each year can carry (budget, staff, and optionally a separate running-cost
budget), what a project costs per month and per year, which projects keep their dates
(commitments) and which the plan may move (wishes), and which projects are plannable.

Commitments and wishes. A project keeps its dates when it is ``in_progress``, or when it
has a ``start`` and is marked ``fixed: true``, or is ``approved`` (unless
``approved_dates_are_commitments: false`` in strategy.yaml). The dates of every other
project (``idea``, ``proposed``, ``on_hold``) are wishes: the plan may move them.

Running costs. ``effort.running_eur_per_year`` runs from the month after a project ends
to the end of the period. It counts against a year's ``capacity[].running_eur`` when that
year has one, otherwise against its ``budget_eur`` when ``capacity_includes_running_costs``
is true (the default), otherwise against nothing (in many cities running costs come
from the departments' operating budgets).

Two resolutions of the same costs:

* :meth:`CapacityModel.monthly_spend` (the plan): budget spread evenly over the
  project's months and booked to calendar years; staff is a *rate*, checked month by
  month against the year's ``staff_fte`` (what may run at once).
* :meth:`CapacityModel.yearly_costs` (optimize, a linear program needs one row per year):
  the same budget per year, but staff as *staff-years* (``fte × months in the year / 12``)
  against ``staff_fte``. The two agree on budget; on staff the yearly model is looser: a
  year whose staff-years fit may still need more FTE at once in some month than the
  year has, which only the monthly model sees (tests/test_capacity.py shows a case).
  The recovery proposal therefore also holds each open month's staff (recovery.py's
  month rows), so that applied, the plan finds the commitments within staff in every
  month (tests/test_recovery_spent.py). The plan reports the busiest month's FTE per
  year, optimize staff-years: two views of the same costs, never two models.

What was spent. ``effort.spent_eur`` (optional) is what a project has spent up to
today. The months before today carry it: the project's own months before today when it
runs there (its costs then include them), else — a paused or moved project, planned
from today on — its dated months before today, or the last month before today when it
has none (:meth:`CapacityModel.spent_apart`: booked whether or not it is planned or
funded again). The rest of its budget (``budget_eur − spent_eur``) is spread over its
months from today on. Without it the budget is spread evenly over all its months.

The first month that can still be planned. Today's month, unless today is its last
day: then it is spent and the next month is the first (on 30 November only December is
left of 2026). Nothing new is placed or funded before it, by plan or by optimize; the
months before it are spent and keep their costs (:attr:`CapacityModel.spent_until`).

Pure: models in, numbers out.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .model import Portfolio, Project, Strategy

if TYPE_CHECKING:
    import numpy as np

    from .score import Ranking

DEFAULT_MONTHS = 12


# --------------------------------------------------------------------------- calendar


@dataclass(frozen=True)
class Calendar:
    """Month indices 0..months-1 from the period's first month."""

    first: dt.date
    months: int

    @classmethod
    def of(cls, start: dt.date, end: dt.date) -> Calendar:
        return cls(start.replace(day=1), month_span(start, end))

    def index(self, day: dt.date) -> int:
        return (day.year - self.first.year) * 12 + day.month - self.first.month

    def month_start(self, index: int) -> dt.date:
        year, month = divmod(self.first.month - 1 + index, 12)
        return dt.date(self.first.year + year, month + 1, 1)

    def month_end(self, index: int) -> dt.date:
        start = self.month_start(index)
        return start.replace(day=_calendar.monthrange(start.year, start.month)[1])

    def year_of(self, index: int) -> int:
        return self.month_start(index).year


def first_plannable_month(cal: Calendar, today: dt.date) -> int:
    """The first month (index, not clipped to the period) that can still be planned:
    today's month, or the next one when today is its month's last day (the one rule
    for plan and optimize: nothing new starts in a month that is spent)."""
    return cal.index(today + dt.timedelta(days=1))


def month_span(start: dt.date, end: dt.date) -> int:
    """Months from ``start``'s month to ``end``'s month, both included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def duration_months(project: Project) -> tuple[int, bool]:
    """The project's length in months and whether it was assumed (no dates, no
    ``duration_months``)."""
    if project.start and project.end:
        return month_span(project.start, project.end), False
    if project.duration_months:
        return project.duration_months, False
    return DEFAULT_MONTHS, True


# --------------------------------------------------------------------------- commitments


def keeps_dates(project: Project, strategy: Strategy) -> bool:
    """A commitment: the plan keeps the project's dates (an ``in_progress`` project
    without a start runs from today). Every other project's dates are wishes."""
    if project.status == "in_progress":
        return True
    if project.start is None:
        return False
    if project.fixed:
        return True
    return project.status == "approved" and strategy.approved_dates_are_commitments


def waits_for_prerequisites(project: Project) -> bool:
    """False for a project in progress: it runs without prerequisites it lists but that
    are not done, so funding it no longer needs them (the plan keeps its dates and
    warns; optimize does not force them in). Any other project, even one whose start
    has passed, has not begun and needs them first."""
    return project.status != "in_progress"


def remaining_budget(project: Project) -> float:
    """What is left of the project's budget: ``budget_eur − spent_eur`` (never below
    0), or all of it when nothing spent is recorded."""
    spent = project.effort.spent_eur
    if spent is None:
        return project.effort.budget_eur
    return max(0.0, project.effort.budget_eur - spent)


def months_to_plan(project: Project, strategy: Strategy) -> int:
    """The months a plan or a selection gives the project: its whole duration when it
    keeps its dates; for one it may move that has spent part of its budget (a paused,
    half-done project), the share of its duration that the rest of its budget stands
    for (at least one month): the work left is taken to be what the money left pays."""
    months, _ = duration_months(project)
    spent, budget = project.effort.spent_eur, project.effort.budget_eur
    if not spent or budget <= 0 or keeps_dates(project, strategy):
        return months
    return max(1, math.ceil(months * remaining_budget(project) / budget - 1e-9))


def file_months(project: Project, strategy: Strategy, months: int) -> int:
    """The duration to write into the project's file so that :func:`months_to_plan`
    gives ``months`` (a stretch written to a half-done project that may move: its file
    holds the whole duration, the plan takes the share its remaining budget pays for)."""
    spent, budget = project.effort.spent_eur, project.effort.budget_eur
    share = remaining_budget(project) / budget if budget > 0 else 1.0
    if not spent or share <= 0 or keeps_dates(project, strategy):
        return months

    def planned(duration: int) -> int:
        return max(1, math.ceil(duration * share - 1e-9))

    duration = max(1, math.floor(months / share))
    while planned(duration) < months:
        duration += 1
    while duration > 1 and planned(duration - 1) >= months:
        duration -= 1
    return duration


def has_effort(project: Project) -> bool:
    """Whether the project has any estimate of budget or staff (a project without one
    would be planned and funded as if free)."""
    return bool(project.effort.budget_eur or project.effort.staff_fte)


@dataclass(frozen=True)
class Excluded:
    """Why the plan does not consider a project: a reason code and its parameters
    (the codes of schedule.REASONS: ``not-eligible``, ``wont``,
    ``depends-on-unscheduled``)."""

    code: str
    params: Mapping[str, Any]


def plannable(ranking: Ranking, strategy: Strategy) -> tuple[list[Project], dict[str, Excluded]]:
    """What the plan considers, in the ranking's order: not gated, not 'wont', and not
    depending on such a project unless it keeps its dates (the ranking lists
    prerequisites first); and why each other project is left out."""
    excluded: dict[str, Excluded] = {}
    result = []
    for entry in ranking.entries:
        project = entry.project
        missing = [d for d in project.depends_on if d in excluded]
        if entry.gate_failures:
            excluded[entry.id] = Excluded("not-eligible", {"failures": entry.gate_failures})
        elif project.decision == "wont":
            excluded[entry.id] = Excluded("wont", {})
        elif missing and not keeps_dates(project, strategy):
            excluded[entry.id] = Excluded("depends-on-unscheduled", {"ids": missing})
        else:
            result.append(project)
    return result, excluded


# --------------------------------------------------------------------------- capacity


@dataclass(frozen=True)
class YearCapacity:
    """What one calendar year of the period can carry. ``running`` is a separate
    running-cost budget (None: running costs follow the strategy's rule)."""

    year: int
    budget: float
    staff: float
    running: float | None = None


@dataclass(frozen=True)
class Overrides:
    """What-if changes to the strategy's capacity, the same for plan and optimize."""

    capacity_scale: float = 1.0
    budget_scale: float = 1.0
    staff_scale: float = 1.0
    budget: Mapping[int, float] | None = None
    staff: Mapping[int, float] | None = None

    @property
    def changes_anything(self) -> bool:
        return (
            self.capacity_scale != 1.0
            or self.budget_scale != 1.0
            or self.staff_scale != 1.0
            or bool(self.budget)
            or bool(self.staff)
        )


@dataclass(frozen=True)
class CapacityModel:
    """The calendar, the plan's origin (the first month that can still be planned, or
    the period's first) and the capacity of every year of the period."""

    calendar: Calendar
    origin: int
    years: list[int]
    capacity: list[YearCapacity]
    includes_running: bool
    # the first month not yet spent: months before it are past (today's month is past
    # on its last day: on 30 November eleven months of the year are spent)
    spent_until: int = 0
    # the first month that can still be planned (see :func:`first_plannable_month`),
    # not clipped to the period: a plan made after the period places nothing before it
    first_plannable: int = 0

    @classmethod
    def of(
        cls, portfolio: Portfolio, today: dt.date, overrides: Overrides | None = None
    ) -> CapacityModel:
        strategy = portfolio.strategy
        o = overrides or Overrides()
        cal = Calendar.of(strategy.period.start, strategy.period.end)
        first = first_plannable_month(cal, today)
        origin = min(max(0, first), cal.months)
        years = list(range(strategy.period.start.year, strategy.period.end.year + 1))
        given = {c.year: c for c in strategy.capacity}
        capacity = []
        for year in years:
            cap = given.get(year)
            budget = (cap.budget_eur if cap else 0.0) * o.capacity_scale * o.budget_scale
            staff = (cap.staff_fte if cap else 0.0) * o.capacity_scale * o.staff_scale
            running = cap.running_eur if cap else None
            capacity.append(
                YearCapacity(
                    year,
                    (o.budget or {}).get(year, budget),
                    (o.staff or {}).get(year, staff),
                    None if running is None else running * o.capacity_scale * o.budget_scale,
                )
            )
        return cls(
            cal, origin, years, capacity, strategy.capacity_includes_running_costs, origin, first
        )

    @property
    def budget(self) -> list[float]:
        return [c.budget for c in self.capacity]

    @property
    def staff(self) -> list[float]:
        return [c.staff for c in self.capacity]

    @property
    def running(self) -> list[float | None]:
        return [c.running for c in self.capacity]

    def running_on_budget(self) -> list[bool]:
        """Per year: do running costs count against the year's budget?"""
        return [c.running is None and self.includes_running for c in self.capacity]

    # ----------------------------------------------------------------- months

    def year_index(self) -> np.ndarray:
        """The year (index into ``years``) of each month of the period."""
        import numpy as np

        cal = self.calendar
        return np.array([cal.year_of(m) - self.years[0] for m in range(cal.months)], dtype=int)

    def year_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Month range [first, last) of each year inside the period."""
        first, last = self._year_bounds
        return first.copy(), last.copy()

    @cached_property
    def _year_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        # computed once: the plan asks for them for every project it places (the
        # model is frozen, and the arrays are read-only)
        import numpy as np

        cal, months = self.calendar, self.calendar.months
        first = np.array([max(0, cal.index(dt.date(y, 1, 1))) for y in self.years])
        last = np.array([min(months, cal.index(dt.date(y, 12, 1)) + 1) for y in self.years])
        first.setflags(write=False)
        last.setflags(write=False)
        return first, last

    def spent_and_open(self, k: int) -> tuple[int, int]:
        """Year ``k``'s months in the period: how many are spent (before
        :attr:`spent_until`) and how many can still be planned."""
        first, last = (int(bound[k]) for bound in self.year_bounds())
        spent = min(max(self.spent_until, first), last) - first
        return spent, last - first - spent

    def months_in(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Months of [a, b) in each year: shape (len(a), years)."""
        import numpy as np

        first, last = self._year_bounds
        lo = np.maximum(a[:, None], first[None, :])
        hi = np.minimum(b[:, None], last[None, :])
        months: np.ndarray = np.maximum(hi - lo, 0)  # np.clip's overhead is 4 times this
        return months

    def monthly_spend(
        self, project: Project, starts: np.ndarray, months: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """For each possible start (rows), per year (columns): the project's budget,
        spread evenly over its months, and its running costs from the month after it
        ends to the end of the period. Which line they count against is
        :meth:`budget_rows`'s business."""
        import numpy as np

        ends = starts + months
        spent = project.effort.spent_eur
        if spent is None:
            build = (project.effort.budget_eur / months) * self.months_in(starts, ends)
        else:
            # the months before today carry what was spent, the rest carry the rest
            past = np.clip(self.spent_until - starts, 0, months)
            mid, future = starts + past, months - past
            with np.errstate(divide="ignore", invalid="ignore"):
                past_rate = np.where(past > 0, spent / np.maximum(past, 1), 0.0)
                rate = np.where(future > 0, remaining_budget(project) / np.maximum(future, 1), 0.0)
            build = past_rate[:, None] * self.months_in(starts, mid) + rate[
                :, None
            ] * self.months_in(mid, ends)
        run = (project.effort.running_eur_per_year / 12) * self.months_in(
            ends, np.full_like(ends, self.calendar.months)
        )
        return build, run

    def budget_rows(self, build: np.ndarray, run: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Split spending into what counts against the budget and what counts against
        the separate running-cost budget (zero where a year has none)."""
        on_budget, separate = self._running_lines
        return build + run * on_budget, run * separate

    @cached_property
    def _running_lines(self) -> tuple[np.ndarray, np.ndarray]:
        """Per year: do running costs count against the budget, against a separate
        running-cost budget (computed once, read-only)."""
        import numpy as np

        on_budget = np.array(self.running_on_budget(), dtype=bool)
        separate = np.array([r is not None for r in self.running], dtype=bool)
        on_budget.setflags(write=False)
        separate.setflags(write=False)
        return on_budget, separate

    # ----------------------------------------------------------------- years

    def yearly_costs(
        self, project: Project, start: int, months: int, since: int | None = None
    ) -> tuple[list[float], list[float], list[float]]:
        """The coarse per-year model optimize uses: budget (with running costs where
        they count against it), running costs against a separate running-cost budget,
        and staff-years (``fte × months in the year / 12``), per year of the period.
        With ``since`` (a month index, e.g. today's), only the months from it on: what
        is not yet spent, and so what a pause or a stretch can still change."""
        effort = project.effort
        if effort.spent_eur is None:
            return self.spread(
                effort.budget_eur / months,
                effort.staff_fte,
                effort.running_eur_per_year,
                start,
                start + months,
                since,
            )
        # the months before today carry what was spent, the rest carry the rest
        past = min(max(0, self.spent_until - start), months)
        before = self.spread(effort.spent_eur / past if past else 0.0, effort.staff_fte, 0.0,
                             start, start + past, since)  # fmt: skip
        after = self.spread(
            remaining_budget(project) / (months - past) if months > past else 0.0,
            effort.staff_fte,
            effort.running_eur_per_year,
            start + past,
            start + months,
            since,
        )
        budget, running, staff = (
            [a + b for a, b in zip(x, y, strict=True)] for x, y in zip(before, after, strict=True)
        )
        return budget, running, staff

    def spent_apart(self, project: Project, start: int) -> SpentApart | None:
        """What the project spent before today, per year, when the months it is planned
        or funded in (from ``start``) do not include it (a paused project, or one the
        plan moves): its dated months before today carry it (and its staff), else the
        last month before today. None when nothing is recorded or its months include
        the past (then its costs carry what was spent)."""
        import numpy as np

        spent = project.effort.spent_eur
        if not spent or start < self.spent_until or self.spent_until <= 0:
            return None
        lo, hi, fte = self.spent_until - 1, self.spent_until, 0.0
        if project.start is not None and self.calendar.index(project.start) < self.spent_until:
            lo = self.calendar.index(project.start)
            hi = min(lo + duration_months(project)[0], self.spent_until)
            fte = project.effort.staff_fte
        per_month = spent / (hi - lo)
        months = self.months_in(np.array([lo]), np.array([hi]))[0]
        return SpentApart(
            [float(per_month * m) for m in months],
            [fte * float(m) / 12 for m in months],
            max(0, lo),
            max(0, min(hi, self.calendar.months)),
            fte,
        )

    def spread(
        self,
        budget_per_month: float,
        fte: float,
        running_per_year: float,
        start: int,
        end: int,
        since: int | None = None,
    ) -> tuple[list[float], list[float], list[float]]:
        """Per year: the budget of months [start, end) at ``budget_per_month`` plus the
        running costs from ``end`` to the period's end (where they count against it),
        the running costs against a separate running-cost budget, and the staff-years
        at ``fte``; only months from ``since`` on when it is given."""
        import numpy as np

        lo = start if since is None else max(start, since)
        run_from = end if since is None else max(end, since)
        build = budget_per_month * self.months_in(np.array([lo]), np.array([max(lo, end)]))
        run = (running_per_year / 12) * self.months_in(
            np.array([run_from]), np.array([max(run_from, self.calendar.months)])
        )
        budget, running = self.budget_rows(build, run)
        staff_months = self.months_in(np.array([lo]), np.array([max(lo, end)]))[0]
        staff = [fte * float(m) / 12 for m in staff_months]
        return [float(b) for b in budget[0]], [float(r) for r in running[0]], staff


@dataclass(frozen=True)
class SpentApart:
    """What a project spent before today outside the months it is planned in: budget
    and staff-years per year, and the months [first, last) its staff ran in."""

    budget: list[float]
    staff: list[float]
    first: int
    last: int
    fte: float


def total(values: Iterable[float]) -> float:
    """An exactly rounded sum: the same on every Python version and in any order."""
    return math.fsum(values)


def per_year_totals(rows: Sequence[Sequence[float]], chosen: Iterable[int]) -> list[float]:
    """Column sums of ``rows`` (one row per project) over the chosen projects."""
    picked = [rows[i] for i in sorted(chosen)]
    width = len(rows[0]) if rows else 0
    return [total(row[k] for row in picked) for k in range(width)]
