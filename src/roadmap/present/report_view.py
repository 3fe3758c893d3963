"""The report's view model: everything a report template receives, as plain data with
dates and amounts already formatted for the language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .texts import LOCALES, TEXTS, why_text

if TYPE_CHECKING:
    from ..changes import Changes
    from ..errors import Problem
    from ..kpi import KpiState
    from ..load import LoadResult
    from ..model import Milestone, Portfolio, Project
    from ..schedule import Plan
    from ..score import Ranking


def changes_view(changes: Changes, revision: str, since: dt.date, lang: str) -> dict[str, Any]:
    """The "changes since" section as headed lists of sentences in the language."""
    from babel.dates import format_date
    from babel.numbers import format_decimal

    t = TEXTS[lang]
    locale = LOCALES[lang]

    def day(value: dt.date) -> str:
        return format_date(value, format="medium", locale=locale)

    def moved(old: int, new: int) -> str:
        key = "rank_up" if new < old else "rank_down"
        return t[key].format(old=old, new=new, n=abs(old - new))

    def slipped(old: Milestone, new: Milestone) -> str:
        if new.due > old.due:
            later = t["days_later"].format(n=(new.due - old.due).days)
            return f"{day(old.due)} → {day(new.due)} ({later})"
        return f"{day(new.due)}, {t['now_late']}"

    def band(value: str | None) -> str:
        return t[value] if value else "–"

    parts = [
        (t["added"], [f"{p.title} ({t[p.status]})" for p in changes.added]),
        (t["removed"], [p.title for p in changes.removed]),
        (t["status_changes"], [f"{p.title}: {t[a]} → {t[b]}" for p, a, b in changes.status]),
        (t["rank_moves"], [f"{p.title}: {moved(a, b)}" for p, a, b in changes.rank]),
        (t["slipped"], [f"{p.title} – {b.title}: {slipped(a, b)}" for p, a, b in changes.slipped]),
        (
            t["kpi_values"],
            [
                f"{k.title} ({owner}): "
                f"{format_decimal(v.value, locale=locale)} {k.unit} {t['on']} {day(v.date)}"
                for owner, k, v in changes.kpi_values
            ],
        ),
        (t["decisions"], [f"{p.title}: {band(a)} → {band(b)}" for p, a, b in changes.decisions]),
    ]
    return {
        "heading": t["changes"].format(revision=revision, date=day(since)),
        "parts": [{"title": title, "entries": entries} for title, entries in parts],
    }


def quarter(text: str) -> tuple[dt.date, dt.date]:
    """``2026-Q3`` → (2026-07-01, 2026-09-30)."""
    import re

    from ..errors import UsageError

    match = re.fullmatch(r"(\d{4})-Q([1-4])", text)
    if match is None:
        raise UsageError(f"--period {text}: expected a quarter such as 2026-Q3")
    year, number = int(match[1]), int(match[2])
    first = dt.date(year, 3 * number - 2, 1)
    last = dt.date(year + (number == 4), 1 if number == 4 else 3 * number + 1, 1) - dt.timedelta(
        days=1
    )
    return first, last


TIMELINE_WIDTH = 1000

TIMELINE_LABEL = 330  # left column for titles

TIMELINE_ROW = 18

TIMELINE_HEAD = 22


def timeline(plan: Plan, today: dt.date, label_chars: int = 48) -> dict[str, Any]:
    """Geometry of the HTML report's SVG timeline (the template draws it; every text
    stays data for Jinja to escape): one row per placed project, a column per year."""
    cal = plan.calendar
    span = TIMELINE_WIDTH - TIMELINE_LABEL - 10
    per_month = span / max(1, cal.months)

    def x(month: float) -> float:
        return round(TIMELINE_LABEL + min(max(month, 0.0), cal.months) * per_month, 1)

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
            }
        )
    first_year, last_year = cal.first.year, cal.month_start(cal.months - 1).year
    years = [
        {"label": str(y), "x": x(cal.index(dt.date(y, 1, 1)))}
        for y in range(first_year, last_year + 1)
    ]
    today_index = cal.index(today) + (today.day - 1) / 31
    return {
        "width": TIMELINE_WIDTH,
        "height": TIMELINE_HEAD + len(rows) * TIMELINE_ROW + 4,
        "label_width": TIMELINE_LABEL,
        "row": TIMELINE_ROW,
        "rows": rows,
        "years": years,
        "end_x": x(cal.months),
        "today_x": x(today_index) if 0 <= today_index <= cal.months else None,
    }


def report_view(
    portfolio: Portfolio,
    ranking: Ranking,
    plan: Plan,
    kpis: Sequence[KpiState],
    bundles: Sequence[Any],
    problems: Sequence[Any],
    lang: str,
    today: dt.date,
    window: tuple[dt.date, dt.date],
    top: int = 15,
) -> dict[str, Any]:
    """Everything a report template receives, as plain data with dates and amounts
    already formatted for the language (see README: the report's view model)."""
    from babel import Locale
    from babel.dates import get_date_format
    from babel.dates import parse_pattern as date_pattern
    from babel.numbers import format_currency
    from babel.numbers import parse_pattern as number_pattern

    locale = Locale.parse(LOCALES[lang])
    t = TEXTS[lang]
    # Babel parses a pattern on every call; a report formats thousands of values
    medium_date = date_pattern(get_date_format("medium", locale=locale))
    decimals = {d: number_pattern("#,##0." + "0" * d if d else "#,##0") for d in range(3)}

    def day(value: dt.date | None) -> str:
        return medium_date.apply(value, locale) if value else ""

    def money(value: float) -> str:
        pattern = "#,##0\u00a0¤" if lang == "de" else "¤#,##0"
        return format_currency(value, "EUR", format=pattern, currency_digits=False, locale=locale)

    def number(value: float | None, digits: int = 1) -> str:
        return "" if value is None else decimals[digits].apply(value, locale)

    strategy = portfolio.strategy
    projects = portfolio.projects
    fields = {f.id: f.title for f in strategy.fields}
    kpi_rows = [
        {
            "owner": s.owner,
            "title": s.kpi.title,
            "unit": s.kpi.unit,
            "baseline": number(s.kpi.baseline.value, 0 if s.kpi.baseline.value.is_integer() else 1),
            "latest": number(s.latest_value, 0 if s.latest_value.is_integer() else 1),
            "latest_date": day(s.latest_date),
            "target": number(s.kpi.target.value, 0 if s.kpi.target.value.is_integer() else 1),
            "target_date": day(s.kpi.target.date),
            "progress": "" if s.progress is None else f"{number(s.progress, 0)} %",
            "forecast": number(s.forecast),
            "status": s.status,
            "symbol": s.symbol,
            "status_text": t[s.status],
        }
        for s in kpis
    ]
    kpis_of: dict[str, list[dict[str, Any]]] = {}
    for row in kpi_rows:
        kpis_of.setdefault(row["owner"], []).append(row)

    def goal_tree(parent: str | None, field: str) -> list[dict[str, Any]]:
        return [
            {
                "id": g.id,
                "title": g.title,
                "kpis": kpis_of.get(f"goal:{g.id}", []),
                "children": goal_tree(g.id, field),
            }
            for g in strategy.goals
            if g.parent == parent and g.field == field
        ]

    ranked = [
        {
            "rank": e.rank,
            "id": e.id,
            "title": e.project.title,
            "field": fields.get(e.project.field or "", e.project.field or ""),
            "status": t[e.project.status],
            "band": "" if e.band_name == "none" else t[e.band_name],
            "score": number(e.score),
        }
        for e in ranking.entries
    ]
    status_counts: dict[str, int] = {}
    for p in projects.values():
        status_counts[p.status] = status_counts.get(p.status, 0) + 1
    field_counts: dict[str, int] = {}
    for p in projects.values():
        name = fields.get(p.field or "", "–")
        field_counts[name] = field_counts.get(name, 0) + 1
    milestones = [(p, m) for p in projects.values() for m in p.milestones]
    first, last = window
    next_first = last + dt.timedelta(days=1)
    next_last = quarter(f"{next_first.year}-Q{(next_first.month - 1) // 3 + 1}")[1]
    measured = sorted(
        (
            (m.date, owner, k, m.value)
            for owner, kpis_here in [(g.title, g.kpis) for g in strategy.goals]
            + [(p.title, p.kpis) for p in projects.values()]
            for k in kpis_here
            for m in k.measurements
            if first <= m.date <= last
        ),
        key=lambda item: (item[0], item[1], item[2].id),
    )
    lane = timeline(plan, today)
    for row in lane["rows"]:
        row["start"], row["end"] = day(row["start"]), day(row["end"])
        row["status_text"] = t[row["status"]]

    def milestone(p: Project, m: Any) -> dict[str, str]:
        return {
            "project": p.title,
            "title": m.title,
            "due": day(m.due),
            "done_on": day(m.done_on),
            "status": m.status,
        }

    return {
        "lang": lang,
        "t": t,
        "organization": strategy.organization,
        "title": strategy.title,
        "vision": strategy.vision or "",
        "generated": day(today),
        "period": f"{day(strategy.period.start)} – {day(strategy.period.end)}",
        "window": f"{day(first)} – {day(last)}",
        "fields": [{"title": f.title, "goals": goal_tree(None, f.id)} for f in strategy.fields],
        "status_counts": [
            {"status": t[s], "count": c}
            for s, c in sorted(
                status_counts.items(), key=lambda item: list(TEXTS["en"]).index(item[0])
            )
        ],
        "field_counts": sorted(
            ({"field": f, "count": c} for f, c in field_counts.items()),
            key=lambda item: (-item["count"], item["field"]),
        ),
        "top": ranked[:top],
        "ranked": ranked,
        "open_total": len(ranked),
        "gantt": [
            {
                "id": p.project.id,
                "title": p.project.title,
                "start": p.start_date.isoformat(),
                "end": p.end_date.isoformat(),
                "critical": p.critical,
                "status": p.project.status,
            }
            for p in plan.placed
        ],
        "unscheduled": [
            {"title": u.project.title, "reason": why_text(u, portfolio, lang)}
            for u in plan.unscheduled
        ],
        "capacity": [
            {
                "year": u.year,
                "budget": money(u.budget),
                "budget_used": money(u.budget_used),
                "staff": number(u.staff),
                "staff_used": number(u.staff_used),
            }
            for u in plan.years
        ],
        "milestones_due": [
            milestone(p, m)
            for p, m in sorted(milestones, key=lambda x: x[1].due)
            if first <= m.due <= last and m.status != "done"
        ],
        "milestones_overdue": [
            milestone(p, m)
            for p, m in sorted(milestones, key=lambda x: x[1].due)
            if m.due < first and m.status in ("planned", "late")
        ],
        "milestones_done": [
            milestone(p, m)
            for p, m in sorted(milestones, key=lambda x: x[1].due)
            if m.done_on and first <= m.done_on <= last
        ],
        "kpis": kpi_rows,
        "kpi_measured": [
            {
                "date": day(date),
                "owner": owner,
                "kpi": k.title,
                "value": number(value, 0 if value.is_integer() else 1),
                "unit": k.unit,
            }
            for date, owner, k, value in measured
        ],
        "next_window": f"{day(next_first)} – {day(next_last)}",
        "outlook_milestones": [
            milestone(p, m)
            for p, m in sorted(milestones, key=lambda x: x[1].due)
            if next_first <= m.due <= next_last and m.status != "done"
        ],
        "outlook_starts": [
            {"title": p.project.title, "start": day(p.start_date), "end": day(p.end_date)}
            for p in sorted(plan.placed, key=lambda p: (p.start_date, p.project.id))
            if next_first <= p.start_date <= next_last
        ],
        "timeline": lane,
        "changes": None,
        "bundles": [
            {
                "projects": [projects[i].title for i in b.projects],
                "score": number(b.score, 2),
                "reasons": b.reasons,
            }
            for b in bundles
        ],
        "problems": [
            {"file": p.file, "line": p.line, "code": p.code, "message": p.message} for p in problems
        ],
    }


def attention(warnings: Sequence[Problem], plan: Plan) -> list[Problem]:
    """The report's "needs attention": policy violations, then missed deadlines."""
    from ..load import locate_findings

    return [p for p in warnings if p.code.startswith("policy-")] + sorted(
        locate_findings(f for f in plan.findings if f.code == "deadline-missed")
    )


def roadmap_view(
    loaded: LoadResult,
    warnings: Sequence[Problem],
    lang: str,
    today: dt.date,
    window: tuple[dt.date, dt.date],
    top: int = 15,
) -> tuple[dict[str, Any], Ranking]:
    """The report's view of a valid loaded portfolio (ranked and planned at ``today``,
    bundles from the cache), and the ranking it shows."""
    from ..bundle import cached_suggestions
    from ..kpi import all_kpis
    from ..schedule import plan as make_plan
    from ..score import rank

    portfolio = loaded.portfolio
    assert portfolio is not None, "the report needs a loaded portfolio"
    ranking = rank(portfolio)
    result = make_plan(portfolio, ranking, today)
    view = report_view(
        portfolio,
        ranking,
        result,
        all_kpis(portfolio),
        cached_suggestions(loaded),
        attention(warnings, result),
        lang,
        today,
        window,
        top,
    )
    return view, ranking


def changes_section(
    data: Path, revision: str, portfolio: Portfolio, ranking: Ranking, lang: str
) -> dict[str, Any]:
    """The report's "changes since" section: the data folder as git has it at the
    revision, loaded and ranked like today's."""
    from ..changes import compare
    from ..gitsource import portfolio_at
    from ..score import rank

    old, date = portfolio_at(data, revision)
    return changes_view(compare(old, rank(old), portfolio, ranking), revision, date, lang)
