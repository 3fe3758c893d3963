"""The report's wording in German and English, and why a project is not planned."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Portfolio
    from ..schedule import Unscheduled

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "summary": "Auf einen Blick",
        "summary_projects": "{n} Projekte – {statuses}.",
        "summary_budget": "Die {n} offenen Projekte kosten zusammen {budget} einmalig und "
        "{running} im Jahr laufend.",
        "summary_kpis": "Kennzahlen",
        "summary_deadlines": "Verfehlte Fristen",
        "summary_decide": "Zu entscheiden",
        "committed": "zugesagt",
        "planned": "geplant",
        "free": "frei",
        "capacity_intro": "Zugesagt: laufende Projekte und Projekte mit festen Terminen; "
        "geplant: was der Zeitplan zusätzlich einplant; frei: Budget minus beides.",
        "decide_over": "Schon die zugesagten Projekte überschreiten das Budget in {years}.",
        "decide_unplanned": "{n} Projekte passen nicht in Zeitplan und Budget: {titles}.",
        "decide_bundles": "{n} Bündelungsvorschläge (siehe unten).",
        "decide_bundles_one": "1 Bündelungsvorschlag (siehe unten).",
        "decide_unplanned_one": "1 Projekt passt nicht in Zeitplan und Budget: {titles}.",
        "department": "Amt",
        "method_heading": "Wie bewertet wird",
        "criterion": "Kriterium",
        "direction": "Richtung",
        "scale": "Skala",
        "weight": "Gewicht",
        "gate": "Mindestwert",
        "benefit": "mehr ist besser",
        "cost": "weniger ist besser",
        "method_weighted_sum": "Jedes Projekt erhält je Kriterium Punkte auf der Skala; "
        "die Punkte werden auf 0 bis 100 umgerechnet (bei „weniger ist besser“ umgekehrt) "
        "und mit den Gewichten zu einer Gesamtpunktzahl addiert.",
        "method_wsjf": "Gewichtet nach Weighted Shortest Job First: Nutzen, Dringlichkeit "
        "und Risikominderung geteilt durch den Aufwand.",
        "method_topsis": "Verfahren TOPSIS: ein Projekt zählt umso mehr, je näher es dem "
        "idealen und je ferner es dem schlechtesten denkbaren Projekt ist.",
        "weights_given": "Die Gewichte stehen in der Strategie; sie sind auf 100 % umgerechnet.",
        "weights_pairwise": "Die Gewichte sind aus paarweisen Vergleichen der Kriterien "
        "berechnet (AHP).",
        "consistency": "Konsistenz der Vergleiche: {ratio} (bis 0,10 gelten sie als stimmig).",
        "gates_text": "Ein Projekt unter einem Mindestwert erfüllt eine Mindestanforderung "
        "nicht; es wird gereiht, aber nicht eingeplant.",
        "pull_on": "Ein Projekt, von dem höher bewertete Projekte abhängen, rückt mindestens "
        "auf deren Punktzahl vor („zieht mit“), denn ohne es können sie nicht beginnen.",
        "pull_off": "Abhängigkeiten ändern die Punktzahl nicht.",
        "legend": "Legende",
        "frontier": "Was mehr oder weniger Budget bewirkt",
        "frontier_intro": "Die beste Auswahl an Projekten (höchste Summe der eigenen "
        "Punkte), die 50 % bis 200 % des Budgets jedes Jahres tragen; Personal wie geplant.",
        "budget_level": "Budget-Anteil",
        "budget_total": "Budget im Zeitraum",
        "funded": "Projekte",
        "joins": "kommen hinzu",
        "leaves": "fallen weg",
        "legend_md": "Legende: rote Balken sind kritisch (ohne Puffer), hervorgehobene in "
        "Umsetzung, graue abgeschlossen; die Abschnitte sind die Handlungsfelder.",
        "no_field": "ohne Handlungsfeld",
        "missing_text": "Fehlt eine Bewertung, zählt der schlechteste Wert der Skala.",
        "order_text": "Die Reihenfolge: zuerst nach Beschluss (muss, soll, ohne Beschluss, "
        "kann, wird nicht umgesetzt, Mindestanforderung nicht erfüllt), dann nach Punkten; "
        "kein Projekt steht vor einem, von dem es abhängt.",
        "legend_in_progress": "in Umsetzung",
        "legend_approved": "beschlossen",
        "legend_other": "andere",
        "legend_critical": "kritisch (ohne Puffer): dunkel umrandet",
        "legend_today": "gestrichelte Linie: heute",
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
        "problems_intro": "Zuerst gesetzliche und andere feste Fristen, dann Konflikte im "
        "Zeitplan, dann Lücken gegenüber den Grundsätzen der Strategie. Die vollständige "
        "Liste mit Fundstellen zeigt „roadmap validate“.",
        "deadlines": "Fristen",
        "conflicts": "Konflikte im Zeitplan",
        "gaps": "Lücken gegenüber den Grundsätzen",
        "annex": "Anhang: vollständige Priorisierung",
        "of": "zu",
        "quarter": "Quartal",
        "window": "Zeitraum:",
        "on_track": "auf Kurs",
        "at_risk": "gefährdet",
        "off_track": "nicht auf Kurs",
        "missed": "verfehlt",
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
        "wont": "wird nicht umgesetzt",
        "not eligible": "Mindestanforderung nicht erfüllt",
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
        "summary": "At a glance",
        "summary_projects": "{n} projects – {statuses}.",
        "summary_budget": "The {n} open projects cost {budget} once and {running} a year to run.",
        "summary_kpis": "KPIs",
        "summary_deadlines": "Missed deadlines",
        "summary_decide": "To decide",
        "committed": "committed",
        "planned": "planned",
        "free": "free",
        "capacity_intro": "Committed: running projects and projects with fixed dates; "
        "planned: what the schedule adds; free: the budget minus both.",
        "decide_over": "The committed projects alone exceed the budget in {years}.",
        "decide_unplanned": "{n} projects do not fit the schedule and budget: {titles}.",
        "decide_bundles": "{n} suggested bundles (see below).",
        "decide_bundles_one": "1 suggested bundle (see below).",
        "decide_unplanned_one": "1 project does not fit the schedule and budget: {titles}.",
        "department": "Department",
        "method_heading": "How projects are scored",
        "criterion": "Criterion",
        "direction": "Direction",
        "scale": "Scale",
        "weight": "Weight",
        "gate": "Minimum",
        "benefit": "more is better",
        "cost": "less is better",
        "method_weighted_sum": "Each project gets points per criterion on its scale; the "
        "points are rescaled to 0–100 (reversed where less is better) and added up with "
        "the weights.",
        "method_wsjf": "Weighted Shortest Job First: value, time criticality and risk "
        "reduction divided by the job size.",
        "method_topsis": "TOPSIS: a project counts the more the closer it is to the ideal "
        "and the farther from the worst conceivable project.",
        "weights_given": "The weights are the strategy's, rescaled to 100 %.",
        "weights_pairwise": "The weights are derived from pairwise comparisons of the "
        "criteria (AHP).",
        "consistency": "Consistency ratio of the comparisons: {ratio} (up to 0.10 counts "
        "as consistent).",
        "gates_text": "A project below a minimum does not meet a minimum requirement; it "
        "is ranked but not scheduled.",
        "pull_on": "A project that higher-scored projects depend on moves up to at least "
        "their score, since they cannot start without it.",
        "pull_off": "Dependencies do not change the score.",
        "legend": "Legend",
        "frontier": "What more or less budget buys",
        "frontier_intro": "The best selection of projects (highest sum of own scores) that "
        "50 % to 200 % of each year's budget can carry; staff as planned.",
        "budget_level": "Share of budget",
        "budget_total": "Budget over the period",
        "funded": "Projects",
        "joins": "join",
        "leaves": "drop out",
        "legend_md": "Legend: red bars are critical (no slack), highlighted ones in "
        "progress, grey ones done; the sections are the fields of action.",
        "no_field": "no field of action",
        "missing_text": "A missing score counts as the worst value of its scale.",
        "order_text": "The order: by decision first (must, should, none, could, won't, "
        "minimum requirement not met), then by score; no project comes before one it "
        "depends on.",
        "legend_in_progress": "in progress",
        "legend_approved": "approved",
        "legend_other": "other",
        "legend_critical": "critical (no slack): dark outline",
        "legend_today": "dashed line: today",
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
        "problems_intro": "Deadlines first, then conflicts in the schedule, then gaps against the "
        "strategy's principles. “roadmap validate” lists every problem with its place.",
        "deadlines": "Deadlines",
        "conflicts": "Conflicts in the schedule",
        "gaps": "Gaps against the principles",
        "annex": "Annex: full ranking",
        "of": "of",
        "quarter": "Quarter",
        "window": "Period:",
        "on_track": "on track",
        "at_risk": "at risk",
        "off_track": "off track",
        "missed": "missed",
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
        "not eligible": "minimum requirement not met",
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

# "Handlungsbedarf": one sentence per group of projects missing what a principle of
# the strategy asks for (singular, plural), keyed by the policy's problem code
POLICY_GAPS: dict[str, dict[str, tuple[str, str]]] = {
    "de": {
        "policy-open-source": (
            "1 Projekt ohne Open Source und ohne Begründung",
            "{n} Projekte ohne Open Source und ohne Begründung",
        ),
        "policy-data-protection": (
            "1 Projekt mit personenbezogenen Daten ohne Datenschutz-Folgenabschätzung",
            "{n} Projekte mit personenbezogenen Daten ohne Datenschutz-Folgenabschätzung",
        ),
        "policy-accessibility": (
            "1 bürgernahes Projekt ohne Angabe zur Barrierefreiheit",
            "{n} bürgernahe Projekte ohne Angabe zur Barrierefreiheit",
        ),
        "policy-analog-access": (
            "1 bürgernahes Projekt ohne analogen Zugang",
            "{n} bürgernahe Projekte ohne analogen Zugang",
        ),
        "policy-kpi-required": (
            "1 beschlossenes oder laufendes Projekt ohne Kennzahl",
            "{n} beschlossene oder laufende Projekte ohne Kennzahl",
        ),
        "policy-owner-required": (
            "1 Projekt ohne verantwortliche Person",
            "{n} Projekte ohne verantwortliche Person",
        ),
    },
    "en": {
        "policy-open-source": (
            "1 project not open source and without a reason",
            "{n} projects not open source and without a reason",
        ),
        "policy-data-protection": (
            "1 project with personal data and no data-protection impact assessment",
            "{n} projects with personal data and no data-protection impact assessment",
        ),
        "policy-accessibility": (
            "1 citizen-facing project without a statement on accessibility",
            "{n} citizen-facing projects without a statement on accessibility",
        ),
        "policy-analog-access": (
            "1 citizen-facing project without analog access",
            "{n} citizen-facing projects without analog access",
        ),
        "policy-kpi-required": (
            "1 approved or running project without a KPI",
            "{n} approved or running projects without a KPI",
        ),
        "policy-owner-required": (
            "1 project without an owner",
            "{n} projects without an owner",
        ),
    },
}

# "Handlungsbedarf": deadlines and conflicts of the schedule, in plain words
ATTENTION: dict[str, dict[str, str]] = {
    "de": {
        "late": "{title}: Frist {deadline} ({basis}), geplantes Ende {end} – {days} Tage zu spät",
        "unplanned": "{title}: Frist {deadline} ({basis}) wird verfehlt, das Projekt ist nicht "
        "eingeplant ({reason})",
        "prerequisite": "{title} soll am {start} beginnen, obwohl die Voraussetzung "
        "„{before}“ bis {end} läuft",
        "over_budget": "{year}: fest zugesagte Projekte brauchen {used} bei einem Budget von "
        "{budget}",
        "no_basis": "ohne Rechtsgrundlage",
        "other_gap": "{n} weitere Lücken ({code})",
    },
    "en": {
        "late": "{title}: deadline {deadline} ({basis}), planned end {end} – {days} days late",
        "unplanned": "{title}: deadline {deadline} ({basis}) is missed, the project is not "
        "in the schedule ({reason})",
        "prerequisite": "{title} is to start on {start} although its prerequisite "
        "“{before}” runs until {end}",
        "over_budget": "{year}: committed projects need {used} of a budget of {budget}",
        "no_basis": "no legal basis given",
        "other_gap": "{n} more gaps ({code})",
    },
}

# bundle evidence as bundle.py words it (English), reworded for a German report
BUNDLE_REASONS_DE: list[tuple[str, str]] = [
    (r"^texts (\d+\.\d+) alike: '(.*)' / '(.*)'$", "Beschreibungen ähnlich ({1}): „{2}“ / „{3}“"),
    (r"^both name service (.*)$", "beide nennen die Verwaltungsleistung {1}"),
    (r"^shared tags: (.*)$", "gemeinsame Schlagwörter: {1}"),
    (r"^shared goals: (.*)$", "gemeinsame Ziele: {1}"),
    (r"^shared target groups: (.*)$", "gemeinsame Zielgruppen: {1}"),
    (r"^same program: (.*)$", "gleiches Programm: {1}"),
    (r"^(\S+) depends on (\S+)$", "{1} setzt {2} voraus"),
    (r"^both depend on (.*)$", "beide setzen {1} voraus"),
    (r"^different services: (.*)$", "verschiedene Verwaltungsleistungen: {1}"),
]


def bundle_reason(reason: str, lang: str) -> str:
    """A bundle's piece of evidence in the report's language."""
    import re

    if lang != "de":
        return reason
    for pattern, german in BUNDLE_REASONS_DE:
        match = re.match(pattern, reason)
        if match:
            groups = [
                m.replace(".", ",") if re.fullmatch(r"\d+\.\d+", m) else m for m in match.groups()
            ]
            return german.format(None, *groups)
    return reason


REASONS_DE = {
    "not-eligible": "Mindestanforderung nicht erfüllt: {failures}",
    "wont": "Beschluss: wird nicht umgesetzt",
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
            f"{c.title} {format_decimal(value, locale='de_DE')} liegt unter der Mindestanforderung "
            f"{format_decimal(c.gate or 0, locale='de_DE')}"
            for c, value in gate_misses(unscheduled.project, portfolio.strategy.criteria)
        )
    return REASONS_DE[why.code].format(**shown)
