"""What the committee must hear about a plan (findings: missed deadlines, conflicts,
capacity the commitments already exceed) and the plan's notes. Split from
schedule.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .capacity import DEFAULT_MONTHS
from .errors import Finding, Severity
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
                    f"planned to end {p.end_date}, {(p.end_date - deadline).days} days after its "
                    f"deadline {deadline}",
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
                        f"keeps its start {p.start_date} although its prerequisite {dep} runs "
                        f"until {before.end_date}; check the dates or the dependency",
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
    """Years whose budget or staff the commitments alone already exceed."""
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
                    f"projects with fixed dates already spend {budget_used[i]:,.0f} EUR in {year}, "
                    f"more than its budget of {budget_cap[i]:,.0f} EUR",
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
                    f"projects with fixed dates already need {peak:g} FTE at once in "
                    f"{calendar.month_start(peak_month):%Y-%m}, more than the {cap:g} FTE of "
                    f"{year} (month by month; over the year they need {staff_years:.2f} "
                    f"staff-years of {cap:g}, the measure optimize uses)",
                )
            )
    return findings


def plan_notes(result: Plan, assumed: list[str]) -> list[str]:
    """What the reader should know about how the plan was made: assumed durations,
    missing effort, projects after the period, moved wishes, resumed projects."""
    notes: list[str] = []
    if assumed:
        notes.append(
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
        notes.append(
            f"effort missing (no budget, no staff) for {len(no_effort)} "
            f"project{'s' * (len(no_effort) != 1)}, planned as if free: "
            f"{', '.join(no_effort)}"
        )
    beyond = [p for p in result.placed if p.beyond is not None]
    if beyond:
        notes.append(
            f"{len(beyond)} project{'s' * (len(beyond) != 1)} placed after the period "
            f"(it has no room for them; capacity after it is unknown): "
            + "; ".join(f"{p.project.id} from {p.start_date:%Y-%m}" for p in beyond)
        )
    if wishes:
        notes.append(
            f"{len(wishes)} start date{'s' * (len(wishes) != 1)} of projects that are not "
            f"committed (not in progress, approved or fixed: true) taken as wishes and "
            f"moved: {', '.join(wishes)}"
        )
    resumed = sorted(
        p.project.id
        for p in result.placed
        if p.project.status == "on_hold"
        and p.project.start is not None
        and p.project.start < result.calendar.month_start(result.origin)
    )
    if resumed:
        # the files cannot say how much of an interrupted project is done
        notes.append(
            f"{len(resumed)} project{'s' * (len(resumed) != 1)} on hold that had begun "
            f"planned again with the whole budget_eur and duration from the file; if part "
            f"is done, write what remains: {', '.join(resumed)}"
        )
    return notes
