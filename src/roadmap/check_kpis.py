"""Checks of KPIs (dates in order, measurements plausible and recent) and the helpers
every check shares: unique ids, dates far in the future. Split from checks.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from .errors import Finding, PathPart, Severity, say, say_plural
from .model import Kpi

FAR_FUTURE_YEARS = 100  # a date this far after the strategy's period is a typo


def duplicates(file: str, items: Iterable[tuple[int, str]], where: str) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, ident in items:
        if ident in seen:
            yield Finding(
                file,
                (where, index, "id"),
                Severity.ERROR,
                "duplicate-id",
                say(
                    "problem:duplicate-id",
                    "{where}[{i}]: id {name} is used twice; ids must be unique",
                    where=where,
                    i=index,
                    name=repr(ident),
                ),
            )
        seen.add(ident)


def kpi_findings(
    file: str,
    base: tuple[PathPart, ...],
    kpis: list[Kpi],
    period_end: dt.date | None,
) -> Iterator[Finding]:
    """Each KPI's dates: target after baseline, measurements between them, unique and
    plausible (one warning per KPI for late or far-future measurements)."""
    yield from duplicates(file, ((i, k.id) for i, k in enumerate(kpis)), "kpis")
    for i, kpi in enumerate(kpis):
        at = (*base, "kpis", i)
        if far_future(kpi.target.date, period_end):
            yield Finding(
                file,
                (*at, "target", "date"),
                Severity.WARNING,
                "date-far-future",
                say(
                    "problem:date-far-future-target",
                    "KPI {name}: target date {target}, more than {limit} years after the "
                    "strategy's period; a typo in the year?",
                    name=repr(kpi.id),
                    target=kpi.target.date,
                    limit=FAR_FUTURE_YEARS,
                ),
            )
        yield from _late_or_far_measurements(file, at, kpi, period_end)
        if kpi.target.date <= kpi.baseline.date:
            yield Finding(
                file,
                (*at, "target", "date"),
                Severity.ERROR,
                "kpi-dates",
                say(
                    "problem:kpi-dates",
                    "KPI {name}: target date {target} must come after the baseline date {baseline}",
                    name=repr(kpi.id),
                    target=kpi.target.date,
                    baseline=kpi.baseline.date,
                ),
            )
        yield from _measurement_findings(file, at, kpi)


def _late_or_far_measurements(
    file: str, at: tuple[PathPart, ...], kpi: Kpi, period_end: dt.date | None
) -> Iterator[Finding]:
    """One warning for measurements after the target date, one for those far beyond
    the strategy's period (a typo in the year), each naming the first."""
    late = [(j, m.date) for j, m in enumerate(kpi.measurements) if m.date > kpi.target.date]
    if late:
        yield Finding(
            file,
            (*at, "measurements", late[0][0], "date"),
            Severity.WARNING,
            "measurement-after-target",
            say_plural(
                "problem:measurement-after-target",
                "KPI {name}: the measurement of {first} is after the target date "
                "{target}; move the target date or start a new KPI",
                "KPI {name}: {n} measurements (the first of {first}) are after the "
                "target date {target}; move the target date or start a new KPI",
                len(late),
                name=repr(kpi.id),
                first=late[0][1],
                target=kpi.target.date,
            ),
        )
    far = [(j, m.date) for j, m in enumerate(kpi.measurements) if far_future(m.date, period_end)]
    if far:
        yield Finding(
            file,
            (*at, "measurements", far[0][0], "date"),
            Severity.WARNING,
            "date-far-future",
            say_plural(
                "problem:date-far-future-measurement",
                "KPI {name}: the measurement of {first} is more than {limit} years after "
                "the strategy's period; a typo in the year?",
                "KPI {name}: {n} measurements (the first of {first}) are more than "
                "{limit} years after the strategy's period; a typo in the year?",
                len(far),
                name=repr(kpi.id),
                first=far[0][1],
                limit=FAR_FUTURE_YEARS,
            ),
        )


def _measurement_findings(file: str, at: tuple[PathPart, ...], kpi: Kpi) -> Iterator[Finding]:
    """Measurements older than the baseline, and two on one day."""
    seen = set()
    for j, m in enumerate(kpi.measurements):
        if m.date < kpi.baseline.date:
            yield Finding(
                file,
                (*at, "measurements", j, "date"),
                Severity.WARNING,
                "measurement-before-baseline",
                say(
                    "problem:measurement-before-baseline",
                    "KPI {name}: measurement of {day} is older than the baseline ({baseline}); "
                    "move it into the baseline",
                    name=repr(kpi.id),
                    day=m.date,
                    baseline=kpi.baseline.date,
                ),
            )
        if m.date in seen:
            yield Finding(
                file,
                (*at, "measurements", j, "date"),
                Severity.ERROR,
                "duplicate-measurement",
                say(
                    "problem:duplicate-measurement",
                    "KPI {name}: two measurements on {day}; keep one",
                    name=repr(kpi.id),
                    day=m.date,
                ),
            )
        seen.add(m.date)


def far_future(day: dt.date, period_end: dt.date | None) -> bool:
    return period_end is not None and day.year > period_end.year + FAR_FUTURE_YEARS


def stale_kpi_findings(
    file: str, base: tuple[PathPart, ...], kpis: list[Kpi], today: dt.date, months: int
) -> Iterator[Finding]:
    """A KPI whose latest measurement (or baseline) is older than ``months`` months."""
    limit = _months_before(today, months)
    for i, kpi in enumerate(kpis):
        dates = [kpi.baseline.date, *(m.date for m in kpi.measurements)]
        latest = max(dates)
        if latest < limit and kpi.target.date >= limit:
            yield Finding(
                file,
                (*base, "kpis", i, "measurements" if kpi.measurements else "baseline"),
                Severity.WARNING,
                "kpi-stale",
                say(
                    "problem:kpi-stale",
                    "KPI {name} was last measured on {latest}, more than {months} months "
                    "before today ({today}); record a measurement (roadmap record)",
                    name=repr(kpi.id),
                    latest=latest,
                    months=months,
                    today=today,
                ),
            )


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, 28))
