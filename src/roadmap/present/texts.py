"""The report's wording in German and English, and why a project is not planned."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Portfolio
    from ..schedule import Unscheduled

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

    from ..score import gate_misses

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
