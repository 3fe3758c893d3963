"""The report's view model: everything a report template receives, as plain data with
dates and amounts already formatted for the language."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .documents import KpiRow, RankingDocument, kpi_rows, ranking_document
from .report_attention import (
    attention,
    attention_view,
    budget_missing,
    effort_missing,
    effort_missing_sentence,
)
from .report_disagreement import disagreement_view
from .report_local import Local, heading_anchor, quarter
from .report_recovery import recovery_sentences
from .report_schedule import capacity_rows, placement_view, schedule_decisions, timeline
from .texts import (
    MESSAGES,
    evidence_text,
    why_text,
)

if TYPE_CHECKING:
    from ..bundle import Bundle
    from ..errors import Problem
    from ..kpi import KpiState
    from ..load import LoadResult
    from ..model import Milestone, Portfolio, Project, Strategy
    from ..schedule import Plan
    from ..score import Ranking


# the report's sections, by the name of their heading's text
SECTIONS = (
    "summary",
    "vision",
    "goals",
    "overview",
    "ranking",
    "method_heading",
    "disagreement",
    "plan",
    "milestones",
    "outlook",
    "kpis",
    "frontier",
    "bundles",
    "problems",
    "annex",
)


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
        missing = effort_missing(project)
        rows.append(
            {
                "rank": item["overall_rank"],
                "id": item["id"],
                "title": item["title"],
                "field": fields.get(item["field"] or "", item["field"] or ""),
                "department": project.department or "",
                "budget": (
                    t["effort_missing"]
                    if missing
                    else t["budget_missing"]
                    if budget_missing(project)
                    else local.money(project.effort.budget_eur)
                ),
                "effort_missing": missing,
                "start": local.day(where.start_date) if where else "",
                "end": local.day(where.end_date) if where else "",
                "status": t[item["status"]],
                "band": "" if item["band"] == "none" else t[item["band"]],
                "score": local.number(item["score"]),
            }
        )
    return rows


def summary_view(
    portfolio: Portfolio,
    plan: Plan,
    kpis: Sequence[dict[str, str]],
    bundles: Sequence[Bundle],
    attention: dict[str, list[str]],
    local: Local,
    today: dt.date | None = None,
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
    years = [
        {
            "year": row["year"],
            "budget": row["budget"],
            "committed": row["committed_budget"],
            "planned": row["planned_budget"],
            "free": row["free_budget"],
            "short": row["budget_short"],
        }
        for row in capacity_rows(plan, local)
    ]
    decisions = schedule_decisions(plan, portfolio, local)
    decisions += recovery_sentences(portfolio, plan, local, today)
    if effort_missing_sentence(portfolio, local):
        decisions.append(effort_missing_sentence(portfolio, local))
    if bundles:
        decisions.append(local.plural("decide_bundles", len(bundles)).format(n=len(bundles)))
    return {
        "projects": t["summary_projects"].format(n=len(projects), statuses="; ".join(statuses)),
        "open_budget": t["summary_budget"].format(
            n=len(open_projects),
            budget=local.money(sum(p.effort.budget_eur for p in open_projects)),
            running=local.money(sum(p.effort.running_eur_per_year for p in open_projects)),
        )
        + _without_budget(open_projects, local),
        "kpis": "; ".join(
            f"{t[status]}: {kpi_counts[status]}"
            for status in ("on_track", "at_risk", "off_track", "missed", "no_data")
            if kpi_counts[status]
        )
        or t["none"],
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
    plan: Plan,
    portfolio: Portfolio,
    today: dt.date,
    local: Local,
    fields: dict[str, str],
    timeline_rows: int | None = None,
) -> dict[str, object]:
    """The gantt chart's bars, what is not planned and why, capacity per year and the
    HTML timeline (at most ``timeline_rows`` bars), in the language."""
    lane = timeline(plan, today, limit=timeline_rows)
    worded = {}
    for row in lane["table"]:
        row["start"], row["end"] = local.day(row["start"]), local.day(row["end"])
        row["status_text"] = local.t[row["status"]]
        row["effort_missing"] = effort_missing(portfolio.projects[row["id"]])
        worded[row["id"]] = row
    # the chart's bars: the table's rows at their own height
    lane["rows"] = [{**worded[r["id"]], "y": r["y"]} for r in lane["rows"]]
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
                "effort_missing": effort_missing(p.project),
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
        **placement_view(plan, portfolio, local),
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
    timeline_rows: int | None = None,
) -> dict[str, Any]:
    """Everything a report template receives, as plain data with dates and amounts
    already formatted for the language (see README: the report's view model). The
    keys are the template's names; their order is the report's."""
    local = Local(lang)
    strategy = portfolio.strategy
    fields = {f.id: f.title for f in strategy.fields}
    kpi_rows_shown = kpi_view(kpi_rows(kpis), local, today)
    ranked = ranked_rows(ranking_document(ranking), fields, local, portfolio, plan)
    needs = attention_view(portfolio, plan, problems, local, today)
    sections = {
        **schedule_view(plan, portfolio, today, local, fields, timeline_rows),
        **quarter_view(portfolio, plan, window, local),
    }
    return {
        "lang": lang,
        "t": local.t,
        "anchors": {name: heading_anchor(local.t[name]) for name in SECTIONS},
        "summary": summary_view(portfolio, plan, kpi_rows_shown, bundles, needs, local, today),
        "method": method_view(portfolio, ranking, local),
        "disagreement": disagreement_view(portfolio, ranking, local),
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
        "bundles": bundles_view(bundles, portfolio, local),
        "problems": [
            {"file": p.file, "line": p.line, "code": p.code, "message": p.message} for p in problems
        ],
        "attention": needs,
    }


def bundles_view(
    bundles: Sequence[Bundle], portfolio: Portfolio, local: Local
) -> list[dict[str, Any]]:
    """The suggested bundles as the report lists them: titles, score and reasons, which
    name projects, programs and goals by their titles."""
    projects = {p.id: p.title for p in portfolio.projects.values()}
    names = {
        "prerequisite": projects,
        "both-depend": projects,
        "same-program": {p.id: p.title for p in portfolio.strategy.programs},
        "shared-goals": {g.id: g.title for g in portfolio.strategy.goals},
    }
    return [
        {
            "projects": [portfolio.projects[i].title for i in b.projects],
            "score": local.number(b.score, 2),
            "reasons": [evidence_text(r, local.lang, names) for r in b.reasons],
        }
        for b in bundles
    ]


def roadmap_view(
    loaded: LoadResult,
    warnings: Sequence[Problem],
    lang: str,
    today: dt.date,
    window: tuple[dt.date, dt.date],
    top: int = 15,
    timeline_rows: int | None = None,
) -> tuple[dict[str, Any], Ranking]:
    """The report's view of a valid loaded portfolio (ranked and planned at ``today``,
    bundles from the cache), and the ranking it shows; ``timeline_rows`` limits the
    HTML timeline's bars (the PDF's)."""
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
        timeline_rows,
    )
    return view, ranking


def _without_budget(open_projects: Sequence[Project], local: Local) -> str:
    """`` 2 of them give no budget: A and B.`` after the open projects' total (which
    counts them as nothing), or nothing; those without any estimate are named apart."""
    titles = sorted(p.title for p in open_projects if budget_missing(p) and not effort_missing(p))
    if not titles:
        return ""
    return " " + local.plural("summary_budget_missing", len(titles)).format(
        n=len(titles), titles=local.listing(titles)
    )
