"""What the committee must hear about a plan (findings: missed deadlines, conflicts,
capacity the commitments already exceed) and the plan's notes. Split from
schedule.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .capacity import DEFAULT_MONTHS
from .errors import Finding, Severity, say, say_plural
from .model import Portfolio
from .placement import EPS, Plan

if TYPE_CHECKING:
    import numpy as np


def plan_findings(
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
    return [
        *_deadline_findings(portfolio, result),
        *_prerequisite_findings(portfolio, result),
        *_capacity_findings(
            portfolio, result, staff_cap, staff_used, budget_cap, budget_used, years
        ),
    ]


def _deadline_findings(portfolio: Portfolio, result: Plan) -> list[Finding]:
    """Projects planned to end after their deadline, or not planned at all."""
    findings = []
    for p in result.placed:
        deadline = p.project.deadline
        if deadline and p.end_date > deadline:
            findings.append(
                Finding(
                    portfolio.file_of(p.project.id),
                    ("deadline",),
                    Severity.WARNING,
                    "deadline-missed",
                    say(
                        "problem:deadline-missed",
                        "planned to end {end}, {days} days after its deadline {deadline}",
                        end=p.end_date,
                        days=(p.end_date - deadline).days,
                        deadline=deadline,
                    ),
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
                    say(
                        "problem:deadline-missed",
                        "not scheduled ({reason}); its deadline {deadline} is missed",
                        reason=u.why,
                        deadline=u.project.deadline,
                    ),
                )
            )
    return findings


def _prerequisite_findings(portfolio: Portfolio, result: Plan) -> list[Finding]:
    """Commitments that keep a start before one of their prerequisites ends."""
    findings = []
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
                        say(
                            "problem:starts-before-prerequisite",
                            "keeps its start {start} although its prerequisite {id} runs "
                            "until {end}; check the dates or the dependency",
                            start=p.start_date,
                            id=dep,
                            end=before.end_date,
                        ),
                    )
                )
    return findings


def _capacity_findings(
    portfolio: Portfolio,
    result: Plan,
    staff_cap: np.ndarray,
    staff_used: np.ndarray,
    budget_cap: np.ndarray,
    budget_used: np.ndarray,
    years: list[int],
) -> list[Finding]:
    """Years whose budget or staff the commitments alone already exceed (one loop over
    the years for both: they share the year's months and its place in strategy.yaml).
    Long (about 65 lines) because its two messages are written out in full where they are
    made, as the catalog extractor needs them."""
    findings = []
    strategy_file = portfolio.strategy_file
    capacity_years = {c.year: i for i, c in enumerate(portfolio.strategy.capacity)}
    calendar, origin = result.calendar, result.origin
    for i, year in enumerate(years):
        # only months from today on: what is past cannot be planned any more (and
        # optimize no longer counts it either)
        months = [m for m in range(origin, calendar.months) if calendar.year_of(m) == year]
        if not months:
            continue
        where = ("capacity", capacity_years[year]) if year in capacity_years else ("capacity",)
        if budget_used[i] > budget_cap[i] + EPS:
            findings.append(
                Finding(
                    strategy_file,
                    where,
                    Severity.WARNING,
                    "capacity-exceeded",
                    say(
                        "problem:capacity-exceeded",
                        "projects with fixed dates already spend {spent_eur} EUR in {year}, "
                        "more than its budget of {budget_eur} EUR",
                        spent_eur=float(budget_used[i]),
                        year=year,
                        budget_eur=float(budget_cap[i]),
                    ),
                )
            )
        peak_month = max(months, key=lambda m: (float(staff_used[m]), -m))
        peak, cap = float(staff_used[peak_month]), float(staff_cap[peak_month])
        if peak > cap + EPS:
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
                    say(
                        "problem:capacity-exceeded",
                        "projects with fixed dates already need {peak_fte} FTE at once in "
                        "{month}, more than the {cap_fte} FTE of {year} (month by month; over "
                        "the year they need {staff_years} staff-years of {cap_fte}, the "
                        "measure optimize uses)",
                        peak_fte=peak,
                        month=calendar.month_start(peak_month),
                        cap_fte=cap,
                        year=year,
                        staff_years=staff_years,
                    ),
                )
            )
    return findings


def plan_notes(result: Plan, assumed: list[str]) -> list[str]:
    """What the reader should know about how the plan was made: assumed durations,
    missing effort, projects after the period, moved wishes, resumed projects (each a
    Message: its code and parameters, worded at the edge). Long only because each of
    its five notes is a literal message the catalogs' extractor must see."""
    notes: list[str] = []
    if assumed:
        notes.append(
            say_plural(
                "plan-note:assumed-duration",
                "{n} project without dates or duration_months planned with {months} months: {ids}",
                "{n} projects without dates or duration_months planned with {months} months: {ids}",
                len(assumed),
                months=DEFAULT_MONTHS,
                ids=sorted(assumed),
            )
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
        notes.append(
            say_plural(
                "plan-note:effort-missing",
                "effort missing (no budget, no staff) for {n} project, planned as if free: {ids}",
                "effort missing (no budget, no staff) for {n} projects, planned as if free: {ids}",
                len(no_effort),
                ids=no_effort,
            )
        )
    beyond = [p for p in result.placed if p.beyond is not None]
    if beyond:
        notes.append(
            say_plural(
                "plan-note:after-period",
                "{n} project placed after the period (it has no room for it; capacity "
                "after it is unknown): {starts}",
                "{n} projects placed after the period (it has no room for them; capacity "
                "after it is unknown): {starts}",
                len(beyond),
                starts=[(p.project.id, p.start_date) for p in beyond],
            )
        )
    if wishes:
        notes.append(
            say_plural(
                "plan-note:wishes-moved",
                "{n} start date of projects that are not committed (not in progress, "
                "approved or fixed: true) taken as wishes and moved: {ids}",
                "{n} start dates of projects that are not committed (not in progress, "
                "approved or fixed: true) taken as wishes and moved: {ids}",
                len(wishes),
                ids=wishes,
            )
        )
    resumed = sorted(
        p.project.id
        for p in result.placed
        if p.project.status == "on_hold"
        and not p.project.effort.spent_eur  # with it, the rest is planned (months_to_plan)
        and p.project.start is not None
        and p.project.start < result.calendar.month_start(result.origin)
    )
    if resumed:
        # the files cannot say how much of an interrupted project is done
        notes.append(
            say_plural(
                "plan-note:resumed",
                "{n} project on hold that had begun planned again with the whole "
                "budget_eur and duration from the file; if part is done, write what "
                "remains: {ids}",
                "{n} projects on hold that had begun planned again with the whole "
                "budget_eur and duration from the file; if part is done, write what "
                "remains: {ids}",
                len(resumed),
                ids=resumed,
            )
        )
    return notes
