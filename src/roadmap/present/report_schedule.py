"""The report's schedule in the committee's terms: the HTML timeline's geometry, capacity
per year as committed / planned / free (the one capacity model's figures, as ``plan
--format json`` gives them), the projects the plan places after the period, and the
wish dates it moved."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .documents import capacity_split
from .report_local import Local
from .texts import why_text

if TYPE_CHECKING:
    from ..model import Portfolio, Strategy
    from ..schedule import Placed, Plan

# how many titles a sentence of the summary names before "and N more"
SUMMARY_TITLES = 10

TIMELINE_WIDTH = 1000

TIMELINE_LABEL = 330  # left column for titles

TIMELINE_ROW = 18

TIMELINE_HEAD = 22


def timeline(
    plan: Plan, today: dt.date, label_chars: int = 48, limit: int | None = None
) -> dict[str, Any]:
    """Geometry of the HTML report's SVG timeline (the template draws it; every text
    stays data for Jinja to escape): one row per placed project, a column per year.
    With ``limit`` the chart draws only the highest-ranked ``limit`` projects (a page of
    the PDF holds no more legibly); ``table`` always has every placed project."""
    cal = plan.calendar
    span = TIMELINE_WIDTH - TIMELINE_LABEL - 10
    # the axis runs on past the period to the end of what the plan places after it
    months = max([cal.months, *(p.start + p.months for p in plan.placed)])
    per_month = span / max(1, months)

    def x(month: float) -> float:
        return round(TIMELINE_LABEL + min(max(month, 0.0), months) * per_month, 1)

    rows = []
    for i, p in enumerate(sorted(plan.placed, key=lambda p: (p.start, p.project.id))):
        title = p.project.title
        rows.append(
            {
                "id": p.project.id,
                "y": TIMELINE_HEAD + i * TIMELINE_ROW,
                "x": x(p.start),
                "width": max(2.0, round(x(p.start + p.months) - x(p.start), 1)),
                "label": title if len(title) <= label_chars else title[: label_chars - 1] + "…",
                "title": title,
                "start": p.start_date,
                "end": p.end_date,
                "status": p.project.status,
                "critical": p.critical,
                "after_period": p.beyond is not None,
            }
        )
    first_year, last_year = cal.first.year, cal.month_start(months - 1).year
    years = [
        {"label": str(y), "x": x(cal.index(dt.date(y, 1, 1)))}
        for y in range(first_year, last_year + 1)
    ]
    today_index = cal.index(today) + (today.day - 1) / 31
    table = rows
    if limit is not None and len(rows) > limit:
        # plan.placed is in the ranking's order: the chart keeps the first ``limit``
        top = {p.project.id for p in plan.placed[:limit]}
        rows = [
            {**r, "y": TIMELINE_HEAD + i * TIMELINE_ROW}
            for i, r in enumerate(r for r in rows if r["id"] in top)
        ]
    return {
        "width": TIMELINE_WIDTH,
        "height": TIMELINE_HEAD + len(rows) * TIMELINE_ROW + 4,
        "label_width": TIMELINE_LABEL,
        "row": TIMELINE_ROW,
        "rows": rows,
        "table": table,
        "total": len(table),
        "years": years,
        "end_x": x(cal.months),
        "today_x": x(today_index) if 0 <= today_index <= months else None,
    }


def current_years(plan: Plan) -> set[int]:
    """The years the committee can still decide on: from the plan's origin (today's
    year) on; a past year's overrun is history."""
    cal = plan.calendar
    first = cal.year_of(min(plan.origin, cal.months - 1)) if cal.months else 0
    return {u.year for u in plan.years if u.year >= first}


def capacity_rows(plan: Plan, local: Local) -> list[dict[str, object]]:
    """Per year, budget and staff: what the commitments use, what the plan adds, and
    what is left (negative when over), from the plan's one capacity model. Staff is the
    year's busiest month, in full-time equivalents."""
    rows: list[dict[str, object]] = []
    for year, row in capacity_split(plan.years).items():
        rows.append(
            {
                "year": int(year),
                "budget": local.money(row["budget"]),
                "committed_budget": local.money(row["committed_budget"]),
                "planned_budget": local.money(row["planned_budget"]),
                "free_budget": local.money(row["free_budget"]),
                "budget_short": row["free_budget"] < -0.5,
                "staff": local.number(row["staff"]),
                "committed_staff": local.number(row["committed_staff"]),
                "planned_staff": local.number(row["planned_staff"]),
                "free_staff": local.number(row["free_staff"]),
                "staff_short": row["free_staff"] < -0.05,
                # what templates written before the split read: the year's whole use
                "budget_used": local.money(row["budget"] - row["free_budget"]),
                "staff_used": local.number(row["staff"] - row["free_staff"]),
            }
        )
    return rows


def running_costs_note(strategy: Strategy, local: Local) -> str:
    """What the budget of the capacity table carries of the running costs, as the
    strategy says (``capacity_includes_running_costs``, ``capacity[].running_eur``)."""
    t = local.t
    note = t["running_included" if strategy.capacity_includes_running_costs else "running_excluded"]
    years = [str(c.year) for c in strategy.capacity if c.running_eur is not None]
    if years:
        note += " " + t["running_separate"].format(years=local.listing(years))
    return note


def over_committed(plan: Plan) -> tuple[list[str], list[str]]:
    """The years from today on whose commitments alone exceed the budget, and those
    whose commitments alone need more staff than the year has."""
    now = current_years(plan)
    split = capacity_split(plan.years)
    budget = [
        y for y, r in split.items() if int(y) in now and r["committed_budget"] > r["budget"] + 0.5
    ]
    # staff in the months still open: a peak before today cannot be decided on
    staff = [
        str(u.year)
        for u in plan.years
        if u.year in now and u.committed_staff_ahead > u.staff + 0.05
    ]
    return budget, staff


def after_period(plan: Plan) -> list[Placed]:
    """The projects the plan places after the period (it has no room for them)."""
    return [p for p in plan.placed if p.beyond is not None]


def moved_wishes(plan: Plan) -> list[Placed]:
    """The projects inside the period whose wish start the plan moved (their dates are
    no commitment)."""
    return [
        p
        for p in plan.placed
        if not p.fixed and p.beyond is None and p.project.start and p.start_date != p.project.start
    ]


def capped(titles: list[str], local: Local) -> str:
    """``A, B, … and 24 more``: a summary names at most SUMMARY_TITLES titles."""
    if len(titles) <= SUMMARY_TITLES:
        return local.listing(titles)
    rest = len(titles) - SUMMARY_TITLES
    more = local.plural("more_titles", rest).format(n=rest)
    return local.listing([*titles[:SUMMARY_TITLES], more])


def month(placed: Placed) -> str:
    """``01/2031``: the month a project starts (both languages write it so)."""
    return f"{placed.start_date:%m/%Y}"


def schedule_decisions(plan: Plan, portfolio: Portfolio, local: Local) -> list[str]:
    """What the summary asks the committee to decide about the schedule: years the
    commitments alone overrun, projects that do not fit into the period, wish dates
    moved, projects not scheduled at all and why."""
    t = local.t
    decisions = []
    over_budget, over_staff = over_committed(plan)
    if over_budget:
        decisions.append(t["decide_over"].format(years=local.listing(over_budget)))
    if over_staff:
        decisions.append(t["decide_over_staff"].format(years=local.listing(over_staff)))
    beyond = after_period(plan)
    if beyond:
        last = plan.calendar.year_of(plan.calendar.months - 1)
        earliest = min(beyond, key=lambda p: p.start_date)
        decisions.append(
            local.plural("decide_beyond", len(beyond)).format(
                n=len(beyond),
                year=last,
                first=month(earliest),
                titles=capped([p.project.title for p in beyond], local),
            )
        )
    moved = moved_wishes(plan)
    if moved:
        titles = [
            t["moved_item"].format(
                title=p.project.title,
                wish=local.day(p.project.start),
                start=local.day(p.start_date),
            )
            for p in moved
        ]
        decisions.append(
            local.plural("decide_moved", len(moved)).format(
                n=len(moved), titles=capped(titles, local)
            )
        )
    if plan.unscheduled:
        # what remains unscheduled is ruled out (won't, a minimum not met, or depending
        # on such a project), not short of capacity: the reason says which
        titles = [
            f"{u.project.title} ({why_text(u, portfolio, local.lang)})" for u in plan.unscheduled
        ]
        decisions.append(
            local.plural("decide_not_planned", len(titles)).format(
                n=len(titles), titles=capped(titles, local)
            )
        )
    return decisions


def placement_view(plan: Plan, portfolio: Portfolio, local: Local) -> dict[str, object]:
    """The schedule section's lists: every project placed after the period with why the
    period has no room for it, and every wish date moved, with the planned start."""
    from ..schedule import Unscheduled

    return {
        "after_period": [
            {
                "title": p.project.title,
                "start": local.day(p.start_date),
                "end": local.day(p.end_date),
                "reason": why_text(Unscheduled(p.project, p.beyond), portfolio, local.lang)
                if p.beyond
                else "",
            }
            for p in sorted(after_period(plan), key=lambda p: (p.start_date, p.project.id))
        ],
        "moved": [
            {
                "title": p.project.title,
                "wish": local.day(p.project.start),
                "start": local.day(p.start_date),
                "end": local.day(p.end_date),
            }
            for p in sorted(moved_wishes(plan), key=lambda p: (p.start_date, p.project.id))
        ],
        "capacity": capacity_rows(plan, local),
        "running_note": running_costs_note(portfolio.strategy, local),
    }
