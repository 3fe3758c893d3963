"""The report's view model: everything a report template receives, as plain data with
dates and amounts already formatted for the language."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .documents import KpiRow, RankingDocument, capacity_per_year, kpi_rows, ranking_document
from .i18n import npgettext, pgettext
from .texts import (
    ATTENTION,
    DECISIONS,
    LOCALES,
    MESSAGES,
    POLICY_GAPS,
    evidence_text,
    texts,
    why_text,
)

if TYPE_CHECKING:
    from ..bundle import Bundle
    from ..changes import Changes
    from ..errors import Problem
    from ..kpi import KpiState
    from ..load import LoadResult
    from ..model import Milestone, Portfolio, Project, Strategy
    from ..optimize import FrontierPoint
    from ..schedule import Plan
    from ..score import Ranking


def changes_view(changes: Changes, revision: str, since: dt.date, lang: str) -> dict[str, Any]:
    """The "changes since" section as headed lists of sentences in the language."""
    from babel.dates import format_date
    from babel.numbers import format_decimal

    t = texts(lang)
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
    heading = t["changes"].format(revision=revision, date=day(since))
    return {
        "heading": heading,
        "anchor": heading_anchor(heading),
        "parts": [{"title": title, "entries": entries} for title, entries in parts],
    }


# the report's sections, by the name of their heading's text
SECTIONS = (
    "summary",
    "vision",
    "goals",
    "overview",
    "ranking",
    "method_heading",
    "plan",
    "milestones",
    "outlook",
    "kpis",
    "frontier",
    "bundles",
    "problems",
    "annex",
)


def heading_anchor(heading: str) -> str:
    """The fragment GitHub and GitLab give a Markdown heading: lower case, without
    punctuation, spaces as hyphens (the report's headings avoid what the two treat
    differently: runs of hyphens)."""
    import re

    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def quarter(text: str) -> tuple[dt.date, dt.date]:
    """``2026-Q3`` → (2026-07-01, 2026-09-30); years 1900 to 2999."""
    from .output import parse_quarter

    return parse_quarter(text, "--period")


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


class Local:
    """Dates, amounts and words in the report's language. Babel parses a pattern on
    every call; a report formats thousands of values, so the patterns are parsed once."""

    def __init__(self, lang: str) -> None:
        from babel import Locale
        from babel.dates import get_date_format
        from babel.dates import parse_pattern as date_pattern
        from babel.numbers import parse_pattern as number_pattern

        self.lang = lang
        self.t = texts(lang)
        self.locale = Locale.parse(LOCALES[lang])
        self.medium_date = date_pattern(get_date_format("medium", locale=self.locale))
        self.decimals = {d: number_pattern("#,##0." + "0" * d if d else "#,##0") for d in range(3)}

    def day(self, value: dt.date | None) -> str:
        return self.medium_date.apply(value, self.locale) if value else ""

    def span(self, first: dt.date, last: dt.date) -> str:
        return f"{self.day(first)} – {self.day(last)}"

    def money(self, value: float) -> str:
        from babel.numbers import format_currency

        pattern = "#,##0\u00a0¤" if self.lang == "de" else "¤#,##0"
        return format_currency(
            value, "EUR", format=pattern, currency_digits=False, locale=self.locale
        )

    def number(self, value: float | None, digits: int = 1) -> str:
        return "" if value is None else self.decimals[digits].apply(value, self.locale)

    def plural(self, key: str, n: int) -> str:
        """A sentence of DECISIONS in the singular or plural for ``n``."""
        one, many = DECISIONS[key]
        return npgettext(self.lang, key, one, many, n)

    def listing(self, items: Sequence[str]) -> str:
        """``a, b und c`` (``a, b and c``) as the language writes a list."""
        from babel.lists import format_list

        return format_list(list(items), locale=self.locale)

    def measured(self, value: float) -> str:
        """A KPI value: whole numbers without decimals, others with one."""
        return self.number(value, 0 if value.is_integer() else 1)


def kpi_view(rows: Sequence[KpiRow], local: Local, today: dt.date) -> list[dict[str, str]]:
    """The KPIs in the language; off track with its target date passed is missed."""

    def status_text(k: KpiRow) -> str:
        missed = k.status == "off_track" and k.target_date < today
        return local.t["missed" if missed else k.status]

    return [
        {
            "owner": k.owner,
            "title": k.title,
            "unit": k.unit,
            "baseline": local.measured(k.baseline),
            "latest": local.measured(k.latest),
            "latest_date": local.day(k.latest_date),
            "target": local.measured(k.target),
            "target_date": local.day(k.target_date),
            "progress": "" if k.progress is None else f"{local.number(k.progress, 0)} %",
            "forecast": local.number(k.forecast),
            "status": k.status,
            "symbol": k.symbol,
            "status_text": status_text(k),
        }
        for k in rows
    ]


def goal_tree(
    strategy: Strategy, kpis: Sequence[dict[str, str]], field: str, parent: str | None = None
) -> list[dict[str, object]]:
    """The goals of a field of action, each with its KPIs and its sub-goals."""
    return [
        {
            "id": g.id,
            "title": g.title,
            "kpis": [k for k in kpis if k["owner"] == f"goal:{g.id}"],
            "children": goal_tree(strategy, kpis, field, g.id),
        }
        for g in strategy.goals
        if g.parent == parent and g.field == field
    ]


def ranked_rows(
    ranking: RankingDocument,
    fields: dict[str, str],
    local: Local,
    portfolio: Portfolio,
    plan: Plan,
) -> list[dict[str, object]]:
    """The report's ranking table: the ranking document's items in the language, with
    the department, the budget and the dates the plan gives each project."""
    t = local.t
    placed = plan.by_id()
    rows: list[dict[str, object]] = []
    for item in ranking["projects"]:
        project = portfolio.projects[item["id"]]
        where = placed.get(item["id"])
        rows.append(
            {
                "rank": item["overall_rank"],
                "id": item["id"],
                "title": item["title"],
                "field": fields.get(item["field"] or "", item["field"] or ""),
                "department": project.department or "",
                "budget": local.money(project.effort.budget_eur),
                "start": local.day(where.start_date) if where else "",
                "end": local.day(where.end_date) if where else "",
                "status": t[item["status"]],
                "band": "" if item["band"] == "none" else t[item["band"]],
                "score": local.number(item["score"]),
            }
        )
    return rows


def year_spending(plan: Plan) -> dict[int, tuple[float, float]]:
    """Budget per year split as the committee decides on it: committed (projects
    running or with fixed dates) and planned (the rest the plan places); a project's
    budget spread evenly over its months, its running costs after it, as the plan
    counts them."""
    cal = plan.calendar
    total = cal.months
    bounds = {
        u.year: (
            min(max(cal.index(dt.date(u.year, 1, 1)), 0), total),
            min(max(cal.index(dt.date(u.year + 1, 1, 1)), 0), total),
        )
        for u in plan.years
    }
    spent = {year: [0.0, 0.0] for year in bounds}
    for p in plan.placed:
        effort = p.project.effort
        committed = p.fixed or p.project.status == "in_progress"
        first, end = p.start, p.start + p.months
        rate = effort.budget_eur / max(1, p.months)
        running = effort.running_eur_per_year / 12
        for year, (lo, hi) in bounds.items():
            building = max(0, min(hi, end) - max(lo, first))
            after = max(0, hi - max(lo, end))
            spent[year][0 if committed else 1] += rate * building + running * after
    return {year: (c, w) for year, (c, w) in spent.items()}


def summary_view(
    portfolio: Portfolio,
    plan: Plan,
    kpis: Sequence[dict[str, str]],
    bundles: Sequence[Bundle],
    attention: dict[str, list[str]],
    local: Local,
) -> dict[str, object]:
    """ "Auf einen Blick": what the committee asks first, on one page."""
    t = local.t
    projects = list(portfolio.projects.values())
    open_projects = [p for p in projects if p.is_open]
    by_status = Counter(p.status for p in projects)
    order = list(MESSAGES)
    statuses = [
        f"{t[status]}: {count}"
        for status, count in sorted(by_status.items(), key=lambda item: order.index(item[0]))
    ]
    kpi_counts = Counter("missed" if k["status_text"] == t["missed"] else k["status"] for k in kpis)
    spending = year_spending(plan)
    years = []
    over = []
    for u in plan.years:
        committed, planned = spending.get(u.year, (0.0, 0.0))
        free = u.budget - committed - planned
        years.append(
            {
                "year": u.year,
                "budget": local.money(u.budget),
                "committed": local.money(committed),
                "planned": local.money(planned),
                "free": local.money(free),
                "short": free < -0.5,
            }
        )
        if committed > u.budget + 0.5:
            over.append(str(u.year))
    decisions = []
    if over:
        decisions.append(t["decide_over"].format(years=local.listing(over)))
    if plan.unscheduled:
        titles = [u.project.title for u in plan.unscheduled]
        decisions.append(
            local.plural("decide_unplanned", len(titles)).format(
                n=len(titles), titles=local.listing(titles)
            )
        )
    if bundles:
        decisions.append(local.plural("decide_bundles", len(bundles)).format(n=len(bundles)))
    return {
        "projects": t["summary_projects"].format(n=len(projects), statuses="; ".join(statuses)),
        "open_budget": t["summary_budget"].format(
            n=len(open_projects),
            budget=local.money(sum(p.effort.budget_eur for p in open_projects)),
            running=local.money(sum(p.effort.running_eur_per_year for p in open_projects)),
        ),
        "kpis": "; ".join(
            f"{t[status]}: {kpi_counts[status]}"
            for status in ("on_track", "at_risk", "off_track", "missed", "no_data")
            if kpi_counts[status]
        ),
        "deadlines": attention["deadlines"],
        "years": years,
        "decisions": decisions,
    }


def method_view(portfolio: Portfolio, ranking: Ranking, local: Local) -> dict[str, object]:
    """ "Wie bewertet wird": the criteria with direction, scale, weight and minimum, the
    method, the consistency of pairwise weights, and what dependency pull does."""
    t = local.t
    weights = ranking.weights
    criteria = [
        {
            "title": c.title,
            "direction": t["benefit"] if c.direction == "benefit" else t["cost"],
            "scale": f"{local.measured(c.scale[0])}–{local.measured(c.scale[1])}",
            "weight": f"{local.number(100 * weights.values.get(c.id, 0.0), 0)} %",
            "gate": local.measured(c.gate) if c.gate is not None else "",
        }
        for c in portfolio.strategy.criteria
    ]
    consistency = ""
    if weights.ahp is not None:
        consistency = t["consistency"].format(ratio=local.number(weights.ahp.consistency_ratio, 2))
    return {
        "criteria": criteria,
        "method": t["method_" + ranking.method],
        "weights_from": t["weights_pairwise"]
        if weights.source == "pairwise"
        else t["weights_given"],
        "consistency": consistency,
        "gates": t["gates_text"] if any(c["gate"] for c in criteria) else "",
        "missing": t["missing_text"],
        "order": t["order_text"],
        "pull": t["pull_on"] if ranking.dependency_pull else t["pull_off"],
    }


def overview(portfolio: Portfolio, fields: dict[str, str], local: Local) -> dict[str, object]:
    """How many projects per status (in the order of the statuses) and per field."""
    projects = portfolio.projects.values()
    by_status = Counter(p.status for p in projects)
    by_field = Counter(fields.get(p.field or "", "–") for p in projects)
    order = list(MESSAGES)
    return {
        "status_counts": [
            {"status": local.t[s], "count": c}
            for s, c in sorted(by_status.items(), key=lambda item: order.index(item[0]))
        ],
        "field_counts": [
            {"field": f, "count": c}
            for f, c in sorted(by_field.items(), key=lambda item: (-item[1], item[0]))
        ],
    }


def schedule_view(
    plan: Plan, portfolio: Portfolio, today: dt.date, local: Local, fields: dict[str, str]
) -> dict[str, object]:
    """The gantt chart's bars, what is not planned and why, capacity per year and the
    HTML timeline, in the language."""
    lane = timeline(plan, today)
    for row in lane["rows"]:
        row["start"], row["end"] = local.day(row["start"]), local.day(row["end"])
        row["status_text"] = local.t[row["status"]]
    return {
        "gantt": [
            {
                "id": p.project.id,
                "title": p.project.title,
                "start": p.start_date.isoformat(),
                "end": p.end_date.isoformat(),
                "critical": p.critical,
                "status": p.project.status,
                "field": fields.get(p.project.field or "", local.t["no_field"]),
            }
            for p in sorted(
                plan.placed,
                key=lambda p: (fields.get(p.project.field or "", "\uffff"), p.start_date),
            )
        ],
        "unscheduled": [
            {"title": u.project.title, "reason": why_text(u, portfolio, local.lang)}
            for u in plan.unscheduled
        ],
        "capacity": [
            {
                "year": int(year),
                "budget": local.money(row["budget"]),
                "budget_used": local.money(row["budget_used"]),
                "staff": local.number(row["staff"]),
                "staff_used": local.number(row["staff_used"]),
            }
            for year, row in capacity_per_year(plan.years).items()
        ],
        "timeline": lane,
    }


def quarter_view(
    portfolio: Portfolio, plan: Plan, window: tuple[dt.date, dt.date], local: Local
) -> dict[str, object]:
    """The quarter under review and the next: milestones due, overdue and done, KPI
    values measured, and what is due or starts in the next quarter."""
    first, last = window
    next_first = last + dt.timedelta(days=1)
    next_last = quarter(f"{next_first.year}-Q{(next_first.month - 1) // 3 + 1}")[1]
    projects = portfolio.projects.values()
    milestones = sorted(((p, m) for p in projects for m in p.milestones), key=lambda x: x[1].due)

    def milestone(p: Project, m: Milestone) -> dict[str, str]:
        return {
            "project": p.title,
            "title": m.title,
            "due": local.day(m.due),
            "done_on": local.day(m.done_on),
            "status": m.status,
        }

    return {
        "window": local.span(first, last),
        "milestones_due": [
            milestone(p, m) for p, m in milestones if first <= m.due <= last and m.status != "done"
        ],
        "milestones_overdue": [
            milestone(p, m)
            for p, m in milestones
            if m.due < first and m.status in ("planned", "late")
        ],
        "milestones_done": [
            milestone(p, m) for p, m in milestones if m.done_on and first <= m.done_on <= last
        ],
        "kpi_measured": measured_view(portfolio, window, local),
        "next_window": local.span(next_first, next_last),
        "outlook_milestones": [
            milestone(p, m)
            for p, m in milestones
            if next_first <= m.due <= next_last and m.status != "done"
        ],
        "outlook_starts": [
            {
                "title": p.project.title,
                "start": local.day(p.start_date),
                "end": local.day(p.end_date),
            }
            for p in sorted(plan.placed, key=lambda p: (p.start_date, p.project.id))
            if next_first <= p.start_date <= next_last
        ],
    }


def measured_view(
    portfolio: Portfolio, window: tuple[dt.date, dt.date], local: Local
) -> list[dict[str, str]]:
    """The KPI values measured in the window, by date, owner and KPI."""
    first, last = window
    owners = [(g.title, g.kpis) for g in portfolio.strategy.goals] + [
        (p.title, p.kpis) for p in portfolio.projects.values()
    ]
    measured = sorted(
        (
            (v.date, owner, k, v.value)
            for owner, kpis in owners
            for k in kpis
            for v in k.measurements
            if first <= v.date <= last
        ),
        key=lambda item: (item[0], item[1], item[2].id),
    )
    return [
        {
            "date": local.day(date),
            "owner": owner,
            "kpi": k.title,
            "value": local.measured(value),
            "unit": k.unit,
        }
        for date, owner, k, value in measured
    ]


def report_view(
    portfolio: Portfolio,
    ranking: Ranking,
    plan: Plan,
    kpis: Sequence[KpiState],
    bundles: Sequence[Bundle],
    problems: Sequence[Problem],
    lang: str,
    today: dt.date,
    window: tuple[dt.date, dt.date],
    top: int = 15,
) -> dict[str, Any]:
    """Everything a report template receives, as plain data with dates and amounts
    already formatted for the language (see README: the report's view model). The
    keys are the template's names; their order is the report's."""
    local = Local(lang)
    strategy = portfolio.strategy
    fields = {f.id: f.title for f in strategy.fields}
    kpi_rows_shown = kpi_view(kpi_rows(kpis), local, today)
    ranked = ranked_rows(ranking_document(ranking), fields, local, portfolio, plan)
    needs = attention_view(portfolio, plan, problems, local)
    sections = {
        **schedule_view(plan, portfolio, today, local, fields),
        **quarter_view(portfolio, plan, window, local),
    }
    return {
        "lang": lang,
        "t": local.t,
        "anchors": {name: heading_anchor(local.t[name]) for name in SECTIONS},
        "summary": summary_view(portfolio, plan, kpi_rows_shown, bundles, needs, local),
        "method": method_view(portfolio, ranking, local),
        "organization": strategy.organization,
        "title": strategy.title,
        "vision": strategy.vision or "",
        "generated": local.day(today),
        "period": local.span(strategy.period.start, strategy.period.end),
        "fields": [
            {"title": f.title, "goals": goal_tree(strategy, kpi_rows_shown, f.id)}
            for f in strategy.fields
        ],
        **overview(portfolio, fields, local),
        "top": ranked[:top],
        "ranked": ranked,
        "open_total": len(ranked),
        **sections,
        "kpis": kpi_rows_shown,
        "changes": None,
        "frontier": None,
        "bundles": [
            {
                "projects": [portfolio.projects[i].title for i in b.projects],
                "score": local.number(b.score, 2),
                "reasons": [evidence_text(r, lang) for r in b.reasons],
            }
            for b in bundles
        ],
        "problems": [
            {"file": p.file, "line": p.line, "code": p.code, "message": p.message} for p in problems
        ],
        "attention": needs,
    }


def attention_view(
    portfolio: Portfolio, plan: Plan, problems: Sequence[Problem], local: Local
) -> dict[str, list[str]]:
    """ "Handlungsbedarf" in plain words, without files or codes: missed deadlines,
    conflicts of the schedule, and the principles' gaps grouped by principle."""
    words = {
        key: pgettext(local.lang, f"attention:{key}", message) for key, message in ATTENTION.items()
    }
    placed = plan.by_id()
    deadlines = []
    for p in sorted(plan.placed, key=lambda p: (p.project.deadline or dt.date.max, p.project.id)):
        deadline = p.project.deadline
        if deadline and p.end_date > deadline:
            deadlines.append(
                words["late"].format(
                    title=p.project.title,
                    deadline=local.day(deadline),
                    basis=p.project.legal_basis or words["no_basis"],
                    end=local.day(p.end_date),
                    days=(p.end_date - deadline).days,
                )
            )
    for u in plan.unscheduled:
        if u.project.deadline:
            deadlines.append(
                words["unplanned"].format(
                    title=u.project.title,
                    deadline=local.day(u.project.deadline),
                    basis=u.project.legal_basis or words["no_basis"],
                    reason=why_text(u, portfolio, local.lang),
                )
            )
    conflicts = []
    for p in plan.placed:
        if not p.fixed:
            continue
        for dep in p.project.depends_on:
            before = placed.get(dep)
            if before is not None and before.end_date >= p.start_date:
                conflicts.append(
                    words["prerequisite"].format(
                        title=p.project.title,
                        start=local.day(p.start_date),
                        before=before.project.title,
                        end=local.day(before.end_date),
                    )
                )
    for year, row in capacity_per_year(plan.years).items():
        if row["budget_used"] > row["budget"] + 0.5:
            conflicts.append(
                words["over_budget"].format(
                    year=year,
                    used=local.money(row["budget_used"]),
                    budget=local.money(row["budget"]),
                )
            )
    gaps: dict[str, list[str]] = {}
    for problem in problems:
        if problem.code.startswith("policy-"):
            project = portfolio.projects.get(Path(problem.file).stem)
            gaps.setdefault(problem.code, []).append(project.title if project else problem.file)
    grouped = []
    for code, titles in sorted(gaps.items(), key=lambda item: (-len(item[1]), item[0])):
        shown = sorted(set(titles))
        if code in POLICY_GAPS:
            one, many = POLICY_GAPS[code]
            lead = npgettext(local.lang, code, one, many, len(shown)).format(n=len(shown))
        else:
            lead = words["other_gap"].format(n=len(shown), code=code)
        grouped.append(f"{lead}: {local.listing(shown)}")
    return {"deadlines": deadlines, "conflicts": conflicts, "gaps": grouped}


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


FRONTIER_WIDTH, FRONTIER_HEIGHT, FRONTIER_PAD = 640, 300, 56


def frontier_view(
    points: Sequence[FrontierPoint], portfolio: Portfolio, lang: str
) -> dict[str, Any]:
    """The optimizer's frontier for the report: per budget level the value reached, the
    projects funded and who joins; and the geometry of the HTML report's line chart."""
    local = Local(lang)
    titles = {pid: p.title for pid, p in portfolio.projects.items()}
    rows = [
        {
            "scale": f"{local.number(100 * point.scale, 0)} %",
            "budget": local.money(point.budget),
            "value": local.number(point.value),
            "count": point.count,
            "added": local.listing([titles.get(i, i) for i in point.added]) if point.added else "",
            "removed": local.listing([titles.get(i, i) for i in point.removed])
            if point.removed
            else "",
        }
        for point in points
    ]
    chart: dict[str, Any] = {"width": FRONTIER_WIDTH, "height": FRONTIER_HEIGHT, "points": []}
    if points:
        low_b, high_b = min(p.budget for p in points), max(p.budget for p in points)
        high_v = max(p.value for p in points) or 1.0
        inner_w = FRONTIER_WIDTH - 2 * FRONTIER_PAD
        inner_h = FRONTIER_HEIGHT - 2 * FRONTIER_PAD

        def x(budget: float) -> float:
            span = (high_b - low_b) or 1.0
            return round(FRONTIER_PAD + (budget - low_b) / span * inner_w, 1)

        def y(value: float) -> float:
            return round(FRONTIER_HEIGHT - FRONTIER_PAD - value / high_v * inner_h, 1)

        chart["points"] = [
            {"x": x(p.budget), "y": y(p.value), "label": row["scale"], "value": row["value"]}
            for p, row in zip(points, rows, strict=True)
        ]
        chart["line"] = " ".join(f"{q['x']},{q['y']}" for q in chart["points"])
        chart["axis_y"] = FRONTIER_HEIGHT - FRONTIER_PAD
        chart["low"], chart["high"] = local.money(low_b), local.money(high_b)
        chart["top"] = local.number(high_v)
    return {"rows": rows, "chart": chart}
