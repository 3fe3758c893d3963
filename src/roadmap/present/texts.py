"""The report's wording: its English texts (the message ids of the catalogs that give
every other language), and why a project is not planned, worded at the edge. One
module on purpose: a table of message ids, read like a catalog, not code."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from .i18n import marked, marked_plural, pgettext

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..bundle import Evidence
    from ..model import Portfolio
    from ..schedule import Unscheduled

# The report's texts in English, keyed by name. The English text is the message id of
# the catalogs (locale/<lang>/LC_MESSAGES/roadmap.po, the key its context); other
# languages come from there.
MESSAGES: dict[str, str] = {
    "summary": marked("summary", "At a glance"),
    "summary_projects": marked("summary_projects", "{n} projects – {statuses}."),
    "summary_budget": marked(
        "summary_budget", "The {n} open projects cost {budget} once and {running} a year to run."
    ),
    "summary_kpis": marked("summary_kpis", "KPIs"),
    "summary_deadlines": marked("summary_deadlines", "Missed deadlines"),
    "summary_decide": marked("summary_decide", "To decide"),
    "committed": marked("committed", "committed"),
    "planned": marked("planned", "planned"),
    "free": marked("free", "free"),
    "capacity_intro": marked(
        "capacity_intro",
        "Committed: running projects and projects with fixed dates; "
        "planned: what the schedule adds; free: the budget minus both.",
    ),
    "decide_over": marked(
        "decide_over", "The committed projects alone exceed the budget in {years}."
    ),
    "department": marked("department", "Department"),
    "method_heading": marked("method_heading", "How projects are scored"),
    "criterion": marked("criterion", "Criterion"),
    "direction": marked("direction", "Direction"),
    "scale": marked("scale", "Scale"),
    "weight": marked("weight", "Weight"),
    "gate": marked("gate", "Minimum"),
    "benefit": marked("benefit", "more is better"),
    "cost": marked("cost", "less is better"),
    "method_weighted_sum": marked(
        "method_weighted_sum",
        "Each project gets points per criterion on its scale; the "
        "points are rescaled to 0–100 (reversed where less is better) and added up with "
        "the weights.",
    ),
    "method_wsjf": marked(
        "method_wsjf",
        "Weighted Shortest Job First: value, time criticality and risk "
        "reduction divided by the job size.",
    ),
    "method_topsis": marked(
        "method_topsis",
        "TOPSIS: a project counts the more the closer it is to the ideal "
        "and the farther from the worst conceivable project.",
    ),
    "weights_given": marked("weights_given", "The weights are the strategy's, rescaled to 100 %."),
    "weights_pairwise": marked(
        "weights_pairwise",
        "The weights are derived from pairwise comparisons of the criteria (AHP).",
    ),
    "consistency": marked(
        "consistency",
        "Consistency ratio of the comparisons: {ratio} (up to 0.10 counts as consistent).",
    ),
    "gates_text": marked(
        "gates_text",
        "A project below a minimum does not meet a minimum requirement; it "
        "is ranked but not scheduled.",
    ),
    "pull_on": marked(
        "pull_on",
        "A project that higher-scored projects depend on moves up to at least "
        "their score, since they cannot start without it.",
    ),
    "pull_off": marked("pull_off", "Dependencies do not change the score."),
    "legend": marked("legend", "Legend"),
    "frontier": marked("frontier", "What more or less budget buys"),
    "frontier_intro": marked(
        "frontier_intro",
        "The best selection of projects (highest sum of own scores) that "
        "50 % to 200 % of each year's budget can carry; staff as planned.",
    ),
    "budget_level": marked("budget_level", "Share of budget"),
    "budget_total": marked("budget_total", "Budget over the period"),
    "funded": marked("funded", "Projects"),
    "joins": marked("joins", "join"),
    "leaves": marked("leaves", "drop out"),
    "legend_md": marked(
        "legend_md",
        "Legend: red bars are critical (no slack), highlighted ones in "
        "progress, grey ones done; the sections are the fields of action.",
    ),
    "no_field": marked("no_field", "no field of action"),
    "missing_text": marked(
        "missing_text", "A missing score counts as the worst value of its scale."
    ),
    "order_text": marked(
        "order_text",
        "The order: by decision first (must, should, none, could, won't, "
        "minimum requirement not met), then by score; no project comes before one it "
        "depends on.",
    ),
    "legend_in_progress": marked("legend_in_progress", "in progress"),
    "legend_approved": marked("legend_approved", "approved"),
    "legend_other": marked("legend_other", "other"),
    "legend_critical": marked("legend_critical", "critical (no slack): dark outline"),
    "legend_today": marked("legend_today", "dashed line: today"),
    "generated": marked("generated", "As of"),
    "vision": marked("vision", "Vision"),
    "period": marked("period", "Planning period"),
    "goals": marked("goals", "Goals and KPIs"),
    "overview": marked("overview", "Portfolio overview"),
    "by_status": marked("by_status", "Projects by status"),
    "by_field": marked("by_field", "Projects by field of action"),
    "ranking": marked("ranking", "Priorities"),
    "ranking_intro": marked(
        "ranking_intro", "The first {n} of {total} open projects; the full list is in the annex."
    ),
    "rank": marked("rank", "Rank"),
    "project": marked("project", "Project"),
    "field": marked("field", "Field"),
    "status": marked("status", "Status"),
    "band": marked("band", "Decision"),
    "score": marked("score", "Score"),
    "plan": marked("plan", "Schedule"),
    "not_planned": marked("not_planned", "Not scheduled"),
    "capacity": marked("capacity", "Capacity per year"),
    "year": marked("year", "Year"),
    "budget": marked("budget", "Budget"),
    "budget_used": marked("budget_used", "planned"),
    "staff": marked("staff", "Staff (FTE)"),
    "staff_used": marked("staff_used", "planned (peak)"),
    "milestones": marked("milestones", "Milestones"),
    "due": marked("due", "due"),
    "due_in": marked("due_in", "Due in the period"),
    "overdue": marked("overdue", "Overdue"),
    "done_in": marked("done_in", "Done in the period"),
    "none": marked("none", "none"),
    "no_goals": marked("no_goals", "The strategy names no goals yet."),
    "kpis": marked("kpis", "KPIs"),
    "kpi": marked("kpi", "KPI"),
    "baseline": marked("baseline", "Baseline"),
    "latest": marked("latest", "latest"),
    "target": marked("target", "Target"),
    "progress": marked("progress", "Progress"),
    "forecast": marked("forecast", "Forecast"),
    "bundles": marked("bundles", "Suggested bundles"),
    "bundle_score": marked("bundle_score", "Similarity"),
    "why": marked("why", "Why"),
    "problems": marked("problems", "Needs attention"),
    "problems_intro": marked(
        "problems_intro",
        "Deadlines first, then conflicts in the schedule, then gaps against the "
        "strategy's principles. “roadmap validate” lists every problem with its place.",
    ),
    "deadlines": marked("deadlines", "Deadlines"),
    "conflicts": marked("conflicts", "Conflicts in the schedule"),
    "gaps": marked("gaps", "Gaps against the principles"),
    "annex": marked("annex", "Annex: full ranking"),
    "of": marked("of", "of"),
    "quarter": marked("quarter", "Quarter"),
    "window": marked("window", "Period:"),
    "on_track": marked("on_track", "on track"),
    "at_risk": marked("at_risk", "at risk"),
    "off_track": marked("off_track", "off track"),
    "missed": marked("missed", "missed"),
    "no_data": marked("no_data", "no data"),
    "idea": marked("idea", "idea"),
    "proposed": marked("proposed", "proposed"),
    "approved": marked("approved", "approved"),
    "in_progress": marked("in_progress", "in progress"),
    "on_hold": marked("on_hold", "on hold"),
    "done": marked("done", "done"),
    "cancelled": marked("cancelled", "cancelled"),
    "must": marked("must", "must"),
    "should": marked("should", "should"),
    "could": marked("could", "could"),
    "wont": marked("wont", "won't"),
    "not eligible": marked("not eligible", "minimum requirement not met"),
    "measured": marked("measured", "Values measured in the period"),
    "outlook": marked("outlook", "Outlook on the next quarter"),
    "starts": marked("starts", "Project starts"),
    "timeline_desc": marked(
        "timeline_desc",
        "One bar per scheduled project from start to end; critical "
        "projects (no slack) have a dark outline and a bold title.",
    ),
    "timeline_table": marked("timeline_table", "Schedule as a table"),
    "start": marked("start", "Start"),
    "end": marked("end", "End"),
    "critical": marked("critical", "critical"),
    "today": marked("today", "today"),
    "contents": marked("contents", "Contents"),
    "date": marked("date", "Date"),
    "value": marked("value", "Value"),
    "count": marked("count", "Count"),
    "changes": marked("changes", "Changes since {revision} ({date})"),
    "added": marked("added", "New projects"),
    "removed": marked("removed", "Removed projects"),
    "status_changes": marked("status_changes", "Status changes"),
    "rank_moves": marked("rank_moves", "Rank moves"),
    "slipped": marked("slipped", "Milestones that slipped"),
    "kpi_values": marked("kpi_values", "New KPI values"),
    "decisions": marked("decisions", "Decisions changed"),
    "rank_up": marked("rank_up", "rank {old} → {new} (up {n})"),
    "rank_down": marked("rank_down", "rank {old} → {new} (down {n})"),
    "days_later": marked("days_later", "{n} days later"),
    "now_late": marked("now_late", "now late"),
    "on": marked("on", "on"),
    "disagreement": marked("disagreement", "Where the ratings disagree"),
    "effort_missing": marked("effort_missing", "effort missing"),
    "budget_missing": marked("budget_missing", "budget missing"),
    "own_rater": marked("own_rater", "project file"),
}


@functools.cache
def texts(lang: str) -> dict[str, str]:
    """Every text of the report in the language, by name."""
    return {key: pgettext(lang, key, message) for key, message in MESSAGES.items()}


LOCALES = {"de": "de_DE", "en": "en_GB"}

# "Handlungsbedarf": one sentence per group of projects missing what a principle of
# the strategy asks for (singular, plural), keyed by the policy's problem code
POLICY_GAPS: dict[str, tuple[str, str]] = {
    "policy-open-source": marked_plural(
        "policy-open-source",
        "1 project not open source and without a reason",
        "{n} projects not open source and without a reason",
    ),
    "policy-data-protection": marked_plural(
        "policy-data-protection",
        "1 project with personal data and no data-protection impact assessment",
        "{n} projects with personal data and no data-protection impact assessment",
    ),
    "policy-accessibility": marked_plural(
        "policy-accessibility",
        "1 citizen-facing project without a statement on accessibility",
        "{n} citizen-facing projects without a statement on accessibility",
    ),
    "policy-analog-access": marked_plural(
        "policy-analog-access",
        "1 citizen-facing project without analog access",
        "{n} citizen-facing projects without analog access",
    ),
    "policy-kpi-required": marked_plural(
        "policy-kpi-required",
        "1 approved or running project without a KPI",
        "{n} approved or running projects without a KPI",
    ),
    "policy-owner-required": marked_plural(
        "policy-owner-required",
        "1 project without an owner",
        "{n} projects without an owner",
    ),
}

# "Handlungsbedarf": deadlines and conflicts of the schedule, in plain words
ATTENTION: dict[str, str] = {
    "passed": marked(
        "attention:passed",
        "{title}: deadline {deadline} ({basis}) has passed and the project is not done",
    ),
    "late": marked(
        "attention:late",
        "{title}: deadline {deadline} ({basis}), planned end {end} – {days} days late",
    ),
    "unplanned": marked(
        "attention:unplanned",
        "{title}: deadline {deadline} ({basis}) is missed, the project is not "
        "in the schedule ({reason})",
    ),
    "prerequisite": marked(
        "attention:prerequisite",
        "{title} is to start on {start} although its prerequisite “{before}” runs until {end}",
    ),
    "prerequisite_overdue": marked(
        "attention:prerequisite_overdue",
        "{title} was to start on {start} although its prerequisite “{before}” runs until {end}",
    ),
    "prerequisite_started": marked(
        "attention:prerequisite_started",
        "{title} started on {start} although its prerequisite “{before}” runs until {end}",
    ),
    "over_budget": marked(
        "attention:over_budget", "{year}: committed projects need {used} of a budget of {budget}"
    ),
    "no_basis": marked("attention:no_basis", "no legal basis given"),
    "other_gap": marked("attention:other_gap", "{n} more gaps ({code})"),
}

# decisions the summary asks for (singular, plural)
DECISIONS: dict[str, tuple[str, str]] = {
    "decide_unplanned": marked_plural(
        "decide_unplanned",
        "1 project does not fit the schedule and budget: {titles}.",
        "{n} projects do not fit the schedule and budget: {titles}.",
    ),
    "decide_bundles": marked_plural(
        "decide_bundles", "1 suggested bundle (see below).", "{n} suggested bundles (see below)."
    ),
    "summary_budget_missing": marked_plural(
        "summary_budget_missing",
        "1 of them gives staff but no budget: {titles}.",
        "{n} of them give staff but no budget: {titles}.",
    ),
    "decide_effort": marked_plural(
        "decide_effort",
        "1 project has no effort estimate (no budget, no staff) and is scheduled as if "
        "it cost nothing: {titles}.",
        "{n} projects have no effort estimate (no budget, no staff) and are scheduled as "
        "if they cost nothing: {titles}.",
    ),
}


# bundle evidence (bundle.Evidence): its code, and the message that words it ({1},
# {2}, … are the evidence's parameters in order)
BUNDLE_EVIDENCE: list[tuple[str, str]] = [
    ("texts-alike", marked("bundle-evidence", "texts {1} alike: '{2}' / '{3}'")),
    ("same-service", marked("bundle-evidence", "both name service {1}")),
    ("shared-tags", marked("bundle-evidence", "shared tags: {1}")),
    ("shared-goals", marked("bundle-evidence", "shared goals: {1}")),
    (
        "shared-target-groups",
        marked("bundle-evidence", "shared target groups: {1}"),
    ),  # kept for older caches
    ("same-program", marked("bundle-evidence", "same program: {1}")),
    ("prerequisite", marked("bundle-evidence", "{1} depends on {2}")),
    ("both-depend", marked("bundle-evidence", "both depend on {1}")),
    ("different-services", marked("bundle-evidence", "different services: {1}")),
    ("shared-terms", marked("bundle-evidence", "shared words: {1}")),
    ("different-target-groups", marked("bundle-evidence", "different target groups: {1}")),
    ("synonyms", marked("bundle-evidence", "synonyms (OpenThesaurus): {1}")),
]

GATE_FAILURE = marked("gate-failure", "{criterion} {value} is below its minimum {gate}")


def evidence_text(
    evidence: Evidence, lang: str, names: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """A piece of bundle evidence in the language (English for the JSON reasons); with
    ``names`` (by evidence code: the titles of the ids it names), the projects, programs
    and goals it names by their titles, as the report shows them."""
    titles = names.get(evidence.code) if names is not None else None
    params = evidence.params
    if titles:
        params = tuple(
            ", ".join(titles.get(i, i) for i in p.split(", ")) if isinstance(p, str) else p
            for p in params
        )
    return evidence_words(evidence.code, params, lang)


def evidence_words(code: str, params: Sequence[str | float], lang: str) -> str:
    """Bundle evidence given as its code and parameters, in the language."""
    message = dict(BUNDLE_EVIDENCE).get(code)
    if message is None:  # a code this version does not know: shown as it is
        return " ".join([code, *map(str, params)])
    locale = LOCALES.get(lang, "en_GB")
    shown = [_decimal(f"{p:.2f}", locale) if isinstance(p, float) else str(p) for p in params]
    return pgettext(lang, "bundle-evidence", message).format(None, *shown)


def _decimal(text: str, locale: str) -> str:
    """A number such as ``0.45`` as the language writes it; other text as it is."""
    import re

    from babel.numbers import format_decimal

    if re.fullmatch(r"\d+\.\d+", text):
        return str(format_decimal(float(text), format="0.00", locale=locale))
    return text


def why_text(unscheduled: Unscheduled, portfolio: Portfolio, lang: str) -> str:
    """Why a project is not planned, in the report's language (the reason's code and
    parameters worded by the catalog); projects by their titles and months by their
    names, as a council reads them (no ids, no ISO months)."""
    import datetime as dt

    from babel.dates import format_date
    from babel.lists import format_list
    from babel.numbers import format_currency, format_decimal

    from ..schedule import REASONS
    from ..score import gate_misses

    locale = LOCALES.get(lang, "en_GB")
    why = unscheduled.why
    shown = dict(why.params)
    if "years" in shown:
        shown["years"] = format_list([str(y) for y in shown["years"]], locale=locale)
    if "budget" in shown and lang == "en":  # the English message says "EUR" itself
        shown["budget"] = format_decimal(shown["budget"], format="#,##0", locale=locale)
    elif "budget" in shown:
        shown["budget"] = format_currency(
            shown["budget"], "EUR", format="#,##0\u00a0¤", currency_digits=False, locale=locale
        )
    if "fte" in shown:
        shown["fte"] = format_decimal(shown["fte"], locale=locale)
    if "end" in shown:
        shown["end"] = format_date(shown["end"], format="medium", locale=locale)
    if "ids" in shown:
        titles = [
            portfolio.projects[i].title if i in portfolio.projects else i for i in shown["ids"]
        ]
        shown["ids"] = format_list(titles, locale=locale)
    for name, value in list(shown.items()):  # a month ("2029-03") by its name
        if isinstance(value, str) and len(value) == 7 and value[4] == "-":
            year, month = value.split("-")
            if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
                day = dt.date(int(year), int(month), 1)
                shown[name] = format_date(day, format="MMMM y", locale=locale)
    if "failures" in shown:
        failure = pgettext(lang, "gate-failure", GATE_FAILURE)
        shown["failures"] = "; ".join(
            failure.format(
                criterion=c.title,
                value=format_decimal(value, locale=locale),
                gate=format_decimal(c.gate or 0, locale=locale),
            )
            for c, value in gate_misses(unscheduled.project, portfolio.strategy.criteria)
        )
    message = pgettext(lang, f"unscheduled:{why.code}", REASONS[why.code])
    return message.format(**shown)


# The schedule in the committee's terms (report_schedule.py): capacity as committed /
# planned / free, projects placed after the period, wish dates moved; and "Handlungsbedarf"
# for dates that time has overtaken (report_attention.py). Kept in one block here so the
# entries above stay as they are.
MESSAGES.update(
    {
        "decide_over_staff": marked(
            "decide_over_staff",
            "The committed projects alone need more staff than there is in {years}.",
        ),
        "moved_item": marked("moved_item", "{title} ({wish} → {start})"),
        "after_period": marked("after_period", "Placed after the period"),
        "after_period_intro": marked(
            "after_period_intro",
            "The period has no room for these projects; the schedule places "
            "them after it, where the capacity is not known yet.",
        ),
        "moved": marked("moved", "Wish dates moved"),
        "moved_intro": marked(
            "moved_intro",
            "Dates of projects that are not committed (not in progress, not "
            "approved, not marked fixed) are wishes: the schedule moves them to "
            "the earliest month with room.",
        ),
        "wish_start": marked("wish_start", "Wish start"),
        "planned_start": marked("planned_start", "Planned start"),
        "capacity_staff_intro": marked(
            "capacity_staff_intro",
            "Budget in euros per year; staff in full-time equivalents in the "
            "year's busiest month. Committed: running projects and projects "
            "with fixed dates; planned: what the schedule adds; free: what is "
            "left (negative: over).",
        ),
        "running_included": marked(
            "running_included",
            "The budget also carries the running costs of projects after they end.",
        ),
        "running_excluded": marked(
            "running_excluded",
            "Running costs of finished projects do not count against this "
            "budget: other budgets pay them.",
        ),
        "running_separate": marked(
            "running_separate", "In {years} running costs count against a budget of their own."
        ),
        "stale": marked("stale", "Dates overtaken by time"),
        "last_value": marked("last_value", "last value {date}"),
        "timeline_top": marked(
            "timeline_top",
            "The timeline shows the {n} highest-ranked of {total} scheduled "
            "projects; the table below gives the dates of all.",
        ),
        "available": marked("available", "available"),
        "legend_after_period": marked(
            "legend_after_period", "dashed outline: placed after the period"
        ),
        "after_period_short": marked("after_period_short", "placed after the period"),
        "problems_intro_stale": marked(
            "problems_intro_stale",
            "Deadlines first, then conflicts in the schedule, then dates "
            "overtaken by time, then gaps against the strategy's principles. "
            "“roadmap validate” lists every problem with its place.",
        ),
    }
)

DECISIONS.update(
    {
        "decide_beyond": marked_plural(
            "decide_beyond",
            "1 project does not fit into the period (after {year}, from {first} "
            "at the earliest): {titles}.",
            "{n} projects do not fit into the period (after {year}, from "
            "{first} at the earliest): {titles}.",
        ),
        "decide_moved": marked_plural(
            "decide_moved",
            "The schedule moved the wish date of 1 project that is not committed: {titles}.",
            "The schedule moved the wish dates of {n} projects that are not committed: {titles}.",
        ),
        "more_titles": marked_plural("more_titles", "1 more", "{n} more"),
        "decide_not_planned": marked_plural(
            "decide_not_planned",
            "1 project is not scheduled: {titles}.",
            "{n} projects are not scheduled: {titles}.",
        ),
    }
)

# "Handlungsbedarf": one sentence per kind of date that time has overtaken (singular,
# plural), keyed by the code of the staleness check in checks.py
STALE: dict[str, tuple[str, str]] = {
    "stale-end": marked_plural(
        "stale-end",
        "1 project still open although its end has passed",
        "{n} projects still open although their end has passed",
    ),
    "stale-start": marked_plural(
        "stale-start",
        "1 proposed or approved project whose start has passed",
        "{n} proposed or approved projects whose start has passed",
    ),
    "milestone-overdue": marked_plural(
        "milestone-overdue",
        "1 milestone past due and still planned",
        "{n} milestones past due and still planned",
    ),
    "kpi-stale": marked_plural(
        "kpi-stale",
        "1 KPI without a value in the last {months} months",
        "{n} KPIs without a value in the last {months} months",
    ),
}
