"""Exports of the computed roadmap: CSV (also for German Excel), an iCalendar file of
milestones and deadlines (RFC 5545), and JSON of everything."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .changes import Changes
from .kpi import KpiState
from .model import Milestone, Portfolio, Project
from .schedule import Plan, Unscheduled
from .score import Ranking


def projects_csv(portfolio: Portfolio, ranking: Ranking, plan: Plan, excel: bool = False) -> str:
    """One row per project with rank, score and plan dates. ``excel``: what German
    Excel opens correctly on a double click — UTF-8 with BOM, ';' between fields and a
    decimal comma."""
    placed = plan.by_id()
    unscheduled = {u.project.id: u.reason for u in plan.unscheduled}
    ranked = {e.id: e for e in ranking.entries}

    def number(value: float) -> str:
        text = f"{value:.2f}"
        return text.replace(".", ",") if excel else text

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(
        [
            "id",
            "title",
            "field",
            "department",
            "owner",
            "status",
            "decision",
            "rank",
            "score",
            "own_score",
            "start",
            "end",
            "not_planned_because",
        ]
    )
    for pid, project in sorted(
        portfolio.projects.items(),
        key=lambda item: (ranked[item[0]].rank if item[0] in ranked else 10**9, item[0]),
    ):
        entry = ranked.get(pid)
        slot = placed.get(pid)
        writer.writerow(
            [
                pid,
                project.title,
                project.field or "",
                project.department or "",
                project.owner or "",
                project.status,
                project.decision or "",
                entry.rank if entry else "",
                number(entry.score) if entry else "",
                number(entry.own.own) if entry else "",
                slot.start_date.isoformat() if slot else "",
                slot.end_date.isoformat() if slot else "",
                unscheduled.get(pid, ""),
            ]
        )
    return ("\ufeff" if excel else "") + out.getvalue()


def _ics_text(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newlines escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def milestones_ics(portfolio: Portfolio, stamp: dt.datetime) -> str:
    """All-day events for every milestone and every deadline. UIDs are stable, so a
    calendar that imports the file again updates the events instead of doubling them."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//roadmap//Digitalstrategie//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_text(portfolio.strategy.title)}",
    ]
    dtstamp = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")

    def event(uid: str, day: dt.date, summary: str, description: str) -> None:
        lines.extend(
            [
                "BEGIN:VEVENT",
                f"UID:{uid}",
                f"DTSTAMP:{dtstamp}",
                f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
                f"SUMMARY:{_ics_text(summary)}",
                f"DESCRIPTION:{_ics_text(description)}",
                "TRANSP:TRANSPARENT",
                "STATUS:CONFIRMED",
                "END:VEVENT",
            ]
        )

    for pid, project in sorted(portfolio.projects.items()):
        for m in project.milestones:
            state = {"done": "erledigt", "late": "verspätet", "dropped": "entfallen"}.get(
                m.status, "geplant"
            )
            event(
                f"{pid}.{m.id}@roadmap",
                m.due,
                f"{project.title}: {m.title}",
                f"Meilenstein ({state}) von {project.title} ({pid})",
            )
        if project.deadline:
            event(
                f"{pid}.deadline@roadmap",
                project.deadline,
                f"Frist: {project.title}",
                f"Harte Frist{f' ({project.legal_basis})' if project.legal_basis else ''} "
                f"von {project.title} ({pid})",
            )
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def roadmap_json(
    portfolio: Portfolio,
    ranking: Ranking,
    plan: Plan,
    kpis: Sequence[KpiState],
    bundles: dict[str, Any],
) -> dict[str, Any]:
    """The whole computed roadmap as one document."""
    from .formats import plan_document, ranking_document

    strategy = portfolio.strategy
    return {
        "organization": strategy.organization,
        "title": strategy.title,
        "vision": strategy.vision,
        "period": {
            "start": strategy.period.start.isoformat(),
            "end": strategy.period.end.isoformat(),
        },
        "ranking": ranking_document(ranking),
        "plan": plan_document(plan),
        "bundles": bundles,
        "kpis": [kpi_item(s) for s in kpis],
    }


def portfolio_tjp(portfolio: Portfolio, ranking: Ranking, today: dt.date) -> str:
    """The plannable projects as a TaskJuggler 3 project, to compare plans (and
    planners). Staff is a pool of quarter-FTE resources; a project allocates as many
    as its ``staff_fte`` needs, all at once (``mandatory``), for an effort of
    ``staff_fte`` × months, so it runs its months at full rate when the pool allows.
    Priority follows the ranking (TaskJuggler allows 1–1000). Projects that keep their
    dates get them as ``start``. Budgets are not expressed: TaskJuggler tracks costs
    but cannot cap them per year. It works in hours; each day has one working hour,
    which keeps it fast and changes nothing at a month's grain."""
    import math
    import re

    from .schedule import duration_months

    strategy = portfolio.strategy
    staff_cap = max((c.staff_fte for c in strategy.capacity), default=0.0)
    pool = [f"q{i}" for i in range(1, math.floor(staff_cap * 4 + 1e-9) + 1)]
    # what the plan considers: not gated, not 'wont', and not after such a project
    # unless it keeps its dates (the ranking lists prerequisites first)
    left_out: set[str] = set()
    plannable = []
    for e in ranking.entries:
        keeps = e.project.start is not None or e.project.status == "in_progress"
        if (
            e.gate_failures
            or e.project.decision == "wont"
            or (not keeps and left_out & set(e.project.depends_on))
        ):
            left_out.add(e.id)
        else:
            plannable.append(e.project)
    ids = {p.id: "p_" + re.sub(r"[^A-Za-z0-9_]", "_", p.id) for p in plannable}

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'

    start = max(strategy.period.start, today)
    # three more years than the period, so that TaskJuggler places what runs late
    # instead of giving up (its plan end is what a comparison wants)
    horizon = strategy.period.end.replace(year=strategy.period.end.year + 3)
    lines = [
        f"project roadmap {quoted(strategy.title)} {start.isoformat()} - {horizon.isoformat()} {{",
        "  timingresolution 60min",
        # one working hour a day: the plan is month-grained, and TaskJuggler's time
        # grows with the working slots it fills
        "  dailyworkinghours 1",
        "  workinghours mon - fri 9:00 - 10:00",
        "  workinghours sat, sun off",
        f"  now {start.isoformat()}",
        "}",
        'resource staff "Staff (quarter FTE)" {',
        *(f'  resource {q} "{q}" {{ efficiency 0.25 }}' for q in pool),
        "}",
    ]
    count = max(1, len(plannable))
    for position, project in enumerate(plannable):
        months, _ = duration_months(project)
        quarters = min(len(pool), round(project.effort.staff_fte * 4))
        lines.append(f"task {ids[project.id]} {quoted(project.title)} {{")
        lines.append(f"  priority {1000 - position * 999 // count}")
        keeps = project.start is not None or project.status == "in_progress"
        if keeps:
            lines.append(f"  start {max(project.start or start, start).isoformat()}")
        deps = [ids[d] for d in project.depends_on if d in ids]
        if deps and not keeps:
            lines.append(f"  depends {', '.join(deps)}")
        if quarters:
            lines.append(f"  effort {project.effort.staff_fte * months:g}m")
            alternatives = ", ".join(pool[1:])
            for _ in range(quarters):
                lines.append(
                    f"  allocate {pool[0]} {{ alternative {alternatives} select order "
                    "mandatory persistent }"
                )
        else:
            lines.append(f"  duration {months}m")
        lines.append("}")
    lines.append(
        'taskreport "plan" { formats csv columns id, start, end timeformat "%Y-%m-%d" '
        "hideresource 1 }"
    )
    return "\n".join(lines) + "\n"


def kpi_item(s: KpiState) -> dict[str, Any]:
    k = s.kpi
    return {
        "owner": s.owner,
        "id": k.id,
        "title": k.title,
        "unit": k.unit,
        "direction": k.direction,
        "baseline": {"value": k.baseline.value, "date": k.baseline.date.isoformat()},
        "target": {"value": k.target.value, "date": k.target.date.isoformat()},
        "latest": {"value": s.latest_value, "date": s.latest_date.isoformat()},
        "progress_pct": None if s.progress is None else round(s.progress, 1),
        "trend_per_year": None if s.trend_per_year is None else round(s.trend_per_year, 3),
        "forecast": None if s.forecast is None else round(s.forecast, 3),
        "status": s.status,
    }


# --------------------------------------------------------------------------- report

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "generated": "Stand",
        "vision": "Vision",
        "period": "Planungszeitraum",
        "goals": "Ziele und Kennzahlen",
        "overview": "Portfolio im Überblick",
        "by_status": "Projekte nach Status",
        "by_field": "Projekte nach Handlungsfeld",
        "ranking": "Priorisierung",
        "ranking_intro": "Die ersten {n} von {total} offenen "
        "Projekten; die vollständige Liste steht im Anhang.",
        "rank": "Rang",
        "project": "Projekt",
        "field": "Handlungsfeld",
        "status": "Status",
        "band": "Beschluss",
        "score": "Punkte",
        "plan": "Zeitplan",
        "not_planned": "Nicht eingeplant",
        "capacity": "Kapazität je Jahr",
        "year": "Jahr",
        "budget": "Budget",
        "budget_used": "verplant",
        "staff": "Personal (VZÄ)",
        "staff_used": "verplant (Spitze)",
        "milestones": "Meilensteine",
        "due": "fällig",
        "due_in": "Fällig im Zeitraum",
        "overdue": "Überfällig",
        "done_in": "Erledigt im Zeitraum",
        "none": "keine",
        "kpis": "Kennzahlen",
        "kpi": "Kennzahl",
        "baseline": "Ausgangswert",
        "latest": "aktuell",
        "target": "Ziel",
        "progress": "Fortschritt",
        "forecast": "Prognose",
        "bundles": "Bündelungsvorschläge",
        "bundle_score": "Ähnlichkeit",
        "why": "Begründung",
        "problems": "Handlungsbedarf",
        "problems_intro": "Verstöße gegen die Grundsätze der Strategie und verfehlte Fristen.",
        "annex": "Anhang: vollständige Priorisierung",
        "of": "zu",
        "quarter": "Quartal",
        "on_track": "im Plan",
        "at_risk": "gefährdet",
        "off_track": "verfehlt",
        "no_data": "keine Daten",
        "idea": "Idee",
        "proposed": "vorgeschlagen",
        "approved": "beschlossen",
        "in_progress": "in Umsetzung",
        "on_hold": "pausiert",
        "done": "abgeschlossen",
        "cancelled": "abgebrochen",
        "must": "muss",
        "should": "soll",
        "could": "kann",
        "wont": "nicht",
        "not eligible": "nicht förderfähig",
        "measured": "Messwerte im Zeitraum",
        "outlook": "Ausblick auf das nächste Quartal",
        "starts": "Projektstarts",
        "timeline_desc": "Balken je eingeplantem Projekt von Beginn bis Ende; "
        "kritische Projekte (ohne Puffer) sind dunkel umrandet und fett beschriftet.",
        "timeline_table": "Zeitplan als Tabelle",
        "start": "Beginn",
        "end": "Ende",
        "critical": "kritisch",
        "today": "heute",
        "contents": "Inhalt",
        "date": "Datum",
        "value": "Wert",
        "count": "Anzahl",
        "changes": "Änderungen seit {revision} ({date})",
        "added": "Neue Projekte",
        "removed": "Entfallene Projekte",
        "status_changes": "Statusänderungen",
        "rank_moves": "Rangänderungen",
        "slipped": "Verschobene Meilensteine",
        "kpi_values": "Neue Messwerte",
        "decisions": "Geänderte Beschlüsse",
        "rank_up": "Rang {old} → {new} ({n} nach oben)",
        "rank_down": "Rang {old} → {new} ({n} nach unten)",
        "days_later": "{n} Tage später",
        "now_late": "jetzt verspätet",
        "on": "am",
    },
    "en": {
        "generated": "As of",
        "vision": "Vision",
        "period": "Planning period",
        "goals": "Goals and KPIs",
        "overview": "Portfolio overview",
        "by_status": "Projects by status",
        "by_field": "Projects by field of action",
        "ranking": "Priorities",
        "ranking_intro": "The first {n} of {total} open projects; the full list is in the annex.",
        "rank": "Rank",
        "project": "Project",
        "field": "Field",
        "status": "Status",
        "band": "Decision",
        "score": "Score",
        "plan": "Schedule",
        "not_planned": "Not scheduled",
        "capacity": "Capacity per year",
        "year": "Year",
        "budget": "Budget",
        "budget_used": "planned",
        "staff": "Staff (FTE)",
        "staff_used": "planned (peak)",
        "milestones": "Milestones",
        "due": "due",
        "due_in": "Due in the period",
        "overdue": "Overdue",
        "done_in": "Done in the period",
        "none": "none",
        "kpis": "KPIs",
        "kpi": "KPI",
        "baseline": "Baseline",
        "latest": "latest",
        "target": "Target",
        "progress": "Progress",
        "forecast": "Forecast",
        "bundles": "Suggested bundles",
        "bundle_score": "Similarity",
        "why": "Why",
        "problems": "Needs attention",
        "problems_intro": "Violations of the strategy's principles and missed deadlines.",
        "annex": "Annex: full ranking",
        "of": "of",
        "quarter": "Quarter",
        "on_track": "on track",
        "at_risk": "at risk",
        "off_track": "off track",
        "no_data": "no data",
        "idea": "idea",
        "proposed": "proposed",
        "approved": "approved",
        "in_progress": "in progress",
        "on_hold": "on hold",
        "done": "done",
        "cancelled": "cancelled",
        "must": "must",
        "should": "should",
        "could": "could",
        "wont": "won't",
        "not eligible": "not eligible",
        "measured": "Values measured in the period",
        "outlook": "Outlook on the next quarter",
        "starts": "Project starts",
        "timeline_desc": "One bar per scheduled project from start to end; critical "
        "projects (no slack) have a dark outline and a bold title.",
        "timeline_table": "Schedule as a table",
        "start": "Start",
        "end": "End",
        "critical": "critical",
        "today": "today",
        "contents": "Contents",
        "date": "Date",
        "value": "Value",
        "count": "Count",
        "changes": "Changes since {revision} ({date})",
        "added": "New projects",
        "removed": "Removed projects",
        "status_changes": "Status changes",
        "rank_moves": "Rank moves",
        "slipped": "Milestones that slipped",
        "kpi_values": "New KPI values",
        "decisions": "Decisions changed",
        "rank_up": "rank {old} → {new} (up {n})",
        "rank_down": "rank {old} → {new} (down {n})",
        "days_later": "{n} days later",
        "now_late": "now late",
        "on": "on",
    },
}
LOCALES = {"de": "de_DE", "en": "en_GB"}


REASONS_DE = {
    "not-eligible": "nicht förderfähig: {failures}",
    "wont": "Beschluss: nicht umsetzen",
    "depends-on-unscheduled": "hängt ab von nicht eingeplanten Projekten: {ids}",
    "too-long": "braucht {months} Monate; der Planungszeitraum hat {period}",
    "past-period-end": "passt nicht mehr in den Planungszeitraum (bis {end}): braucht "
    "{months} Monate ab {start}",
    "staff": "Personal {years} ausgeschöpft: {fte} VZÄ sind nie {months} Monate am Stück frei",
    "budget": "Budget {years} ausgeschöpft: {budget} (mit laufenden Kosten) passen nie hinein",
    "staff-and-budget": "Personal und Budget sind jeweils zeitweise frei, aber nie zugleich",
}


def why_text(unscheduled: Unscheduled, portfolio: Portfolio, lang: str) -> str:
    """Why a project is not planned, in the report's language."""
    if lang != "de":
        return unscheduled.reason
    from babel.dates import format_date
    from babel.numbers import format_currency, format_decimal

    from .score import gate_misses

    why = unscheduled.why
    shown = dict(why.params)
    if "years" in shown:
        years = [str(y) for y in shown["years"]]
        shown["years"] = years[0] if len(years) == 1 else f"{', '.join(years[:-1])} und {years[-1]}"
    if "budget" in shown:
        shown["budget"] = format_currency(
            shown["budget"], "EUR", format="#,##0\u00a0¤", currency_digits=False, locale="de_DE"
        )
    if "fte" in shown:
        shown["fte"] = format_decimal(shown["fte"], locale="de_DE")
    if "end" in shown:
        shown["end"] = format_date(shown["end"], format="medium", locale="de_DE")
    if "ids" in shown:
        shown["ids"] = ", ".join(shown["ids"])
    if "failures" in shown:
        shown["failures"] = "; ".join(
            f"{c.title} {format_decimal(value, locale='de_DE')} liegt unter der Schwelle "
            f"{format_decimal(c.gate or 0, locale='de_DE')}"
            for c, value in gate_misses(unscheduled.project, portfolio.strategy.criteria)
        )
    return REASONS_DE[why.code].format(**shown)


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

    from .errors import UsageError

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


def md_text(value: object) -> str:
    """Text in a Markdown paragraph: characters that would start markup are escaped."""
    from .formats import md_cell

    return md_cell(value)


def render_report(
    view: dict[str, Any],
    template: Path | None = None,
    html: bool = False,
    cache_dir: Path | None = None,
) -> str:
    """Render the view model with a template in Jinja's sandbox (a user's template can
    reach no Python internals); undefined names are errors, HTML is autoescaped."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from .formats import md_cell, mermaid_id, mermaid_label

    folder = template.parent if template else templates_folder()
    name = template.name if template else ("roadmap.html.j2" if html else "roadmap.md.j2")
    environment = SandboxedEnvironment(
        loader=FileSystemLoader(str(folder)),
        bytecode_cache=_bytecode_cache(cache_dir),
        undefined=StrictUndefined,
        autoescape=html or name.endswith((".html", ".html.j2")),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        md=md_cell, mdtext=md_text, mermaid=mermaid_label, mermaid_id=mermaid_id
    )
    from jinja2 import TemplateError, TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    from .errors import DataError

    try:
        return environment.get_template(name).render(**view)
    except TemplateSyntaxError as exc:
        raise DataError(
            f"{exc.filename or name}:{exc.lineno}: template syntax error: {exc.message}"
        ) from None
    except SecurityError as exc:
        raise DataError(
            f"{name}: the template tried something the sandbox forbids "
            f"({exc}); templates may only use the view model"
        ) from None
    except TemplateError as exc:
        raise DataError(f"{name}: {exc}; the README lists what a template receives") from None


def _bytecode_cache(cache_dir: Path | None) -> Any:
    """Compiled templates in the cache folder (Jinja checks the source's mtime), so a
    report does not compile its template every time."""
    from jinja2 import FileSystemBytecodeCache

    if cache_dir is None:
        return None
    try:
        (cache_dir / "templates").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(cache_dir / "templates"))


def templates_folder() -> Path:
    """The shipped templates: inside the installed package, or templates/ of a checkout."""
    from pathlib import Path

    packaged = Path(__file__).parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "templates"
