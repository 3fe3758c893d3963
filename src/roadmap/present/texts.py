"""The report's wording: its English texts (the message ids of the catalogs that give
every other language), and why a project is not planned, worded at the edge."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from .i18n import pgettext

if TYPE_CHECKING:
    from ..model import Portfolio
    from ..schedule import Unscheduled

# The report's texts in English, keyed by name. The English text is the message id of
# the catalogs (locale/<lang>/LC_MESSAGES/roadmap.po, the key its context); other
# languages come from there.
MESSAGES: dict[str, str] = {
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
    "weights_pairwise": "The weights are derived from pairwise comparisons of the criteria (AHP).",
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
    "disagreement": "Where the ratings disagree",
    "effort_missing": "effort missing",
    "own_rater": "project file",
}


@functools.cache
def texts(lang: str) -> dict[str, str]:
    """Every text of the report in the language, by name."""
    return {key: pgettext(lang, key, message) for key, message in MESSAGES.items()}


LOCALES = {"de": "de_DE", "en": "en_GB"}

# "Handlungsbedarf": one sentence per group of projects missing what a principle of
# the strategy asks for (singular, plural), keyed by the policy's problem code
POLICY_GAPS: dict[str, tuple[str, str]] = {
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
}

# "Handlungsbedarf": deadlines and conflicts of the schedule, in plain words
ATTENTION: dict[str, str] = {
    "late": "{title}: deadline {deadline} ({basis}), planned end {end} – {days} days late",
    "unplanned": "{title}: deadline {deadline} ({basis}) is missed, the project is not "
    "in the schedule ({reason})",
    "prerequisite": "{title} is to start on {start} although its prerequisite "
    "“{before}” runs until {end}",
    "over_budget": "{year}: committed projects need {used} of a budget of {budget}",
    "no_basis": "no legal basis given",
    "other_gap": "{n} more gaps ({code})",
}

# decisions the summary asks for (singular, plural)
DECISIONS: dict[str, tuple[str, str]] = {
    "decide_unplanned": (
        "1 project does not fit the schedule and budget: {titles}.",
        "{n} projects do not fit the schedule and budget: {titles}.",
    ),
    "decide_bundles": ("1 suggested bundle (see below).", "{n} suggested bundles (see below)."),
    "decide_effort": (
        "1 project has no effort estimate (no budget, no staff) and is scheduled as if "
        "it cost nothing: {titles}.",
        "{n} projects have no effort estimate (no budget, no staff) and are scheduled as "
        "if they cost nothing: {titles}.",
    ),
}


# bundle evidence as bundle.py words it (English): the pattern, and the message that
# rewords it ({1}, {2}, … are the pattern's groups)
BUNDLE_EVIDENCE: list[tuple[str, str]] = [
    (r"^texts (\d+\.\d+) alike: '(.*)' / '(.*)'$", "texts {1} alike: '{2}' / '{3}'"),
    (r"^both name service (.*)$", "both name service {1}"),
    (r"^shared tags: (.*)$", "shared tags: {1}"),
    (r"^shared goals: (.*)$", "shared goals: {1}"),
    (r"^shared target groups: (.*)$", "shared target groups: {1}"),
    (r"^same program: (.*)$", "same program: {1}"),
    (r"^(\S+) depends on (\S+)$", "{1} depends on {2}"),
    (r"^both depend on (.*)$", "both depend on {1}"),
    (r"^different services: (.*)$", "different services: {1}"),
]

GATE_FAILURE = "{criterion} {value} is below its minimum {gate}"


def bundle_reason(reason: str, lang: str) -> str:
    """A bundle's piece of evidence in the report's language."""
    import re

    if lang == "en":
        return reason
    locale = LOCALES.get(lang, "en_GB")
    for pattern, message in BUNDLE_EVIDENCE:
        match = re.match(pattern, reason)
        if match:
            groups = [_decimal(m, locale) for m in match.groups()]
            return pgettext(lang, "bundle-evidence", message).format(None, *groups)
    return reason


def _decimal(text: str, locale: str) -> str:
    """A number such as ``0.45`` as the language writes it; other text as it is."""
    import re

    from babel.numbers import format_decimal

    if re.fullmatch(r"\d+\.\d+", text):
        return str(format_decimal(float(text), format="0.00", locale=locale))
    return text


def why_text(unscheduled: Unscheduled, portfolio: Portfolio, lang: str) -> str:
    """Why a project is not planned, in the report's language (the reason's code and
    parameters worded by the catalog)."""
    if lang == "en":
        return unscheduled.reason
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
    if "budget" in shown:
        shown["budget"] = format_currency(
            shown["budget"], "EUR", format="#,##0\u00a0¤", currency_digits=False, locale=locale
        )
    if "fte" in shown:
        shown["fte"] = format_decimal(shown["fte"], locale=locale)
    if "end" in shown:
        shown["end"] = format_date(shown["end"], format="medium", locale=locale)
    if "ids" in shown:
        shown["ids"] = format_list(list(shown["ids"]), locale=locale)
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
        "decide_over_staff": "The committed projects alone need more staff than there is "
        "in {years}.",
        "moved_item": "{title} ({wish} → {start})",
        "after_period": "Placed after the period",
        "after_period_intro": "The period has no room for these projects; the schedule "
        "places them after it, where the capacity is not known yet.",
        "moved": "Wish dates moved",
        "moved_intro": "Dates of projects that are not committed (not in progress, not "
        "approved, not marked fixed) are wishes: the schedule moves them to the earliest "
        "month with room.",
        "wish_start": "Wish start",
        "planned_start": "Planned start",
        "capacity_staff_intro": "Budget in euros per year; staff in full-time equivalents "
        "in the year's busiest month. Committed: running projects and projects with fixed "
        "dates; planned: what the schedule adds; free: what is left (negative: over).",
        "running_included": "The budget also carries the running costs of projects after they end.",
        "running_excluded": "Running costs of finished projects do not count against this "
        "budget: other budgets pay them.",
        "running_separate": "In {years} running costs count against a budget of their own.",
        "stale": "Dates overtaken by time",
        "last_value": "last value {date}",
        "timeline_top": "The timeline shows the {n} highest-ranked of {total} scheduled "
        "projects; the table below gives the dates of all.",
    }
)

DECISIONS.update(
    {
        "decide_beyond": (
            "1 project does not fit into the period (after {year}, from {first} at the "
            "earliest): {titles}.",
            "{n} projects do not fit into the period (after {year}, from {first} at the "
            "earliest): {titles}.",
        ),
        "decide_moved": (
            "The schedule moved the wish date of 1 project that is not committed: {titles}.",
            "The schedule moved the wish dates of {n} projects that are not committed: {titles}.",
        ),
        "more_titles": ("1 more", "{n} more"),
        "decide_not_planned": (
            "1 project is not scheduled: {titles}.",
            "{n} projects are not scheduled: {titles}.",
        ),
    }
)

# "Handlungsbedarf": one sentence per kind of date that time has overtaken (singular,
# plural), keyed by the code of the staleness check in checks.py
STALE: dict[str, tuple[str, str]] = {
    "stale-end": (
        "1 project still open although its end has passed",
        "{n} projects still open although their end has passed",
    ),
    "stale-start": (
        "1 proposed or approved project whose start has passed",
        "{n} proposed or approved projects whose start has passed",
    ),
    "milestone-overdue": (
        "1 milestone past due and still planned",
        "{n} milestones past due and still planned",
    ),
    "kpi-stale": (
        "1 KPI without a value in the last {months} months",
        "{n} KPIs without a value in the last {months} months",
    ),
}

MESSAGES["available"] = "available"
MESSAGES["legend_after_period"] = "dashed outline: placed after the period"
MESSAGES["after_period_short"] = "placed after the period"

MESSAGES["problems_intro_stale"] = (
    "Deadlines first, then conflicts in the schedule, then dates overtaken by time, then "
    "gaps against the strategy's principles. “roadmap validate” lists every problem with "
    "its place."
)
