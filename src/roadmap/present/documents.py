"""Typed views of every result, built once: what each formatter (table, JSON, CSV,
Markdown, the report) reads. A command's JSON output is its document as it is, so the
key order here is the order of the JSON (SPEC.md fixes the keys).

To add a column to the ranking: a key in ``RankingItem`` and its value in
``ranking_document``, then an entry in the column list of each formatter that shows
it (``terminal.RANKING_COLUMNS``, ``text.RANKING_CSV_COLUMNS``, ``text.RANKING_MD_COLUMNS``,
the report's ``report_view.ranked_rows`` and templates)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, cast

from ..errors import Problem

if TYPE_CHECKING:
    from ..bundle import Bundle, Pair
    from ..kpi import KpiState
    from ..model import Portfolio
    from ..optimize import FrontierPoint, Selection
    from ..ratings import RatingsOverview
    from ..schedule import Plan, WhatIf, YearUse
    from ..score import Lever, Ranked, Ranking


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


# --------------------------------------------------------------------------- problems


class ProblemItem(TypedDict):
    file: str
    line: int
    column: int
    severity: str
    code: str
    message: str


def problem_item(p: Problem) -> ProblemItem:
    return {
        "file": p.file,
        "line": p.line,
        "column": p.column,
        "severity": p.severity.value,
        "code": p.code,
        "message": p.message,
    }


# --------------------------------------------------------------------------- ranking


class RankingItem(TypedDict):
    rank: int  # place in this listing (after --field), from 1
    id: str
    title: str
    score: float
    own_score: float
    breakdown: dict[str, float]
    pulled_by: list[str]
    status: str
    overall_rank: int  # place in the whole ranking
    field: str | None
    decision: str | None
    band: str
    eligible: bool
    gate_failures: list[str]
    waits_for: list[str]
    missing_scores: list[str]
    rank_low: NotRequired[int | None]  # with robustness draws
    rank_high: NotRequired[int | None]
    p_top: NotRequired[float | None]


class RankingRobustness(TypedDict):
    draws: int
    top: int
    seed: int | None


class RankingDocument(TypedDict):
    method: str
    weights: dict[str, float]
    weights_source: str
    dependency_pull: bool
    notes: list[str]
    consistency_ratio: NotRequired[float]  # with pairwise comparisons (AHP)
    robustness: NotRequired[RankingRobustness]
    projects: list[RankingItem]


def ranking_item(position: int, e: Ranked, robust: bool) -> RankingItem:
    item: RankingItem = {
        "rank": position,
        "id": e.id,
        "title": e.project.title,
        "score": round(e.score, 4),
        "own_score": round(e.own.own, 4),
        "breakdown": {k: round(v, 4) for k, v in e.own.breakdown.items()},
        "pulled_by": e.pulled_by,
        "status": e.project.status,
        "overall_rank": e.rank,
        "field": e.project.field,
        "decision": e.project.decision,
        "band": e.band_name,
        "eligible": not e.gate_failures,
        "gate_failures": e.gate_failures,
        "waits_for": e.waits_for,
        "missing_scores": e.own.missing,
    }
    if robust:
        item["rank_low"], item["rank_high"] = e.rank_low, e.rank_high
        item["p_top"] = _round(e.p_top)
    return item


def ranking_document(
    ranking: Ranking, field: Sequence[str] = (), top: int | None = None, seed: int | None = None
) -> RankingDocument:
    """The ranking; ``rank`` follows the listed order (after the field filter),
    ``overall_rank`` is the place in the whole ranking."""
    entries = [e for e in ranking.entries if not field or e.project.field in field]
    if top is not None:
        entries = entries[:top]
    weights = ranking.weights
    # built in JSON order, optional keys before the projects
    document: dict[str, object] = {
        "method": ranking.method,
        "weights": {c: round(w, 6) for c, w in weights.values.items()},
        "weights_source": weights.source,
        "dependency_pull": ranking.dependency_pull,
        "notes": ranking.notes,
    }
    if weights.ahp is not None:
        document["consistency_ratio"] = round(weights.ahp.consistency_ratio, 6)
    robust = bool(ranking.robustness_draws)
    if robust:
        document["robustness"] = RankingRobustness(
            draws=ranking.robustness_draws, top=ranking.top, seed=seed
        )
    document["projects"] = [
        ranking_item(position, e, robust) for position, e in enumerate(entries, start=1)
    ]
    return cast(RankingDocument, document)


class CriterionItem(TypedDict):
    criterion: str
    weight: float | None
    raw: float | None
    range: list[float] | None
    normalized: float | None
    contribution: float
    missing: bool


class LeverItem(TypedDict("LeverItem", {"from": float})):
    criterion: str
    to: float
    above: str


class ExplanationRobustness(TypedDict):
    draws: int
    rank_low: int | None
    rank_high: int | None
    top: int
    p_top: float | None


class RaterContributionItem(TypedDict):
    rater: str
    name: str
    scores: dict[str, float]  # criterion → the rater's score
    points: dict[str, float]  # criterion → what it adds to a weighted sum at the weights
    # the sum of points; a criterion the rater left out counts at the group's score (as
    # in the ranking), so that the raters' totals compare
    total: float
    filled: list[str]  # the criteria the rater left out, counted at the group's score


class ExplanationDocument(TypedDict):
    id: str
    title: str
    method: str
    rank: int
    of: int
    score: float
    own_score: float
    criteria: list[CriterionItem]
    pulled_by: list[str]
    dependents: list[str]
    prerequisites: list[str]
    decision: str | None
    band: str
    band_from: str | None
    gate_failures: list[str]
    waits_for: list[str]
    levers: list[LeverItem]
    no_lever: str | None
    notes: list[str]
    robustness: NotRequired[ExplanationRobustness]
    raters: NotRequired[list[RaterContributionItem]]  # when raters' files exist


def explanation_document(
    ranking: Ranking,
    project_id: str,
    levers: Sequence[Lever],
    no_lever: str,
    dependents: Sequence[str],
) -> ExplanationDocument:
    entry = ranking.by_id()[project_id]
    weights = ranking.weights.values
    criteria: list[CriterionItem] = []
    for name, contribution in entry.own.breakdown.items():
        given = entry.project.scores.get(name)
        criteria.append(
            {
                "criterion": name,
                "weight": _round(weights.get(name), 6),
                "raw": entry.own.raw.get(name),
                "range": given if isinstance(given, list) else None,
                "normalized": _round(entry.own.normalized.get(name)),
                "contribution": round(contribution, 4),
                "missing": name in entry.own.missing,
            }
        )
    document: ExplanationDocument = {
        "id": entry.id,
        "title": entry.project.title,
        "method": ranking.method,
        "rank": entry.rank,
        "of": len(ranking.entries),
        "score": round(entry.score, 4),
        "own_score": round(entry.own.own, 4),
        "criteria": criteria,
        "pulled_by": entry.pulled_by,
        "dependents": list(dependents),
        "prerequisites": list(entry.project.depends_on),
        "decision": entry.project.decision,
        "band": entry.band_name,
        "band_from": entry.band_from,
        "gate_failures": entry.gate_failures,
        "waits_for": entry.waits_for,
        "levers": [
            {"criterion": lv.criterion, "from": lv.current, "to": lv.needed, "above": lv.above}
            for lv in levers
        ],
        "no_lever": no_lever or None,
        "notes": ranking.notes,
    }
    if ranking.robustness_draws:
        document["robustness"] = {
            "draws": ranking.robustness_draws,
            "rank_low": entry.rank_low,
            "rank_high": entry.rank_high,
            "top": ranking.top,
            "p_top": _round(entry.p_top),
        }
    return document


# --------------------------------------------------------------------------- capacity


class YearRow(TypedDict):
    """One year's use of capacity against what the strategy allows (plan: the year's
    budget and the peak monthly staff; optimize: budget and staff-years)."""

    budget_used: float
    budget: float
    staff_used: float
    staff: float


def year_row(budget_used: float, budget: float, staff_used: float, staff: float) -> YearRow:
    return {
        "budget_used": round(budget_used, 2),
        "budget": budget,
        "staff_used": round(staff_used, 3),
        "staff": staff,
    }


class CapacityRow(TypedDict):
    """One year of the one capacity model as the committee decides on it: what the
    commitments use (committed), what the plan or the selection adds (planned), and
    what is left (free; negative when over), for budget and staff."""

    budget: float
    committed_budget: float
    planned_budget: float
    free_budget: float
    staff: float
    committed_staff: float
    planned_staff: float
    free_staff: float


def capacity_row(
    committed_budget: float,
    budget_used: float,
    budget: float,
    committed_staff: float,
    staff_used: float,
    staff: float,
) -> CapacityRow:
    return {
        "budget": budget,
        "committed_budget": round(committed_budget, 2),
        "planned_budget": round(budget_used - committed_budget, 2),
        "free_budget": round(budget - budget_used, 2),
        "staff": staff,
        "committed_staff": round(committed_staff, 3),
        "planned_staff": round(staff_used - committed_staff, 3),
        "free_staff": round(staff - staff_used, 3),
    }


def capacity_split(years: Iterable[YearUse]) -> dict[str, CapacityRow]:
    """The plan's committed / planned / free per year, keyed by the year as text."""
    return {
        str(u.year): capacity_row(
            u.committed_budget, u.budget_used, u.budget, u.committed_staff, u.staff_used, u.staff
        )
        for u in years
    }


def capacity_per_year(years: Iterable[YearUse]) -> dict[str, YearRow]:
    """The plan's capacity table, keyed by the year as text (JSON object keys)."""
    return {str(u.year): year_row(u.budget_used, u.budget, u.staff_used, u.staff) for u in years}


# --------------------------------------------------------------------------- plan


class PlacedItem(TypedDict):
    id: str
    start: str
    end: str
    critical: bool
    slack_days: int
    title: str
    months: int
    fixed: bool
    status: str
    deadline: str | None
    effort_missing: bool  # no budget and no staff estimated: planned as if free
    after_period: NotRequired[str]  # why the period has no room for it
    after_period_code: NotRequired[str]  # … as a code (schedule.REASONS)
    wish_moved: NotRequired[bool]  # its start is a wish the plan moved


class UnscheduledItem(TypedDict):
    id: str
    reason: str
    title: str
    code: str  # the reason's code (schedule.REASONS), the same in every language
    params: dict[str, Any]  # its parameters, worded per language in present/


class MovedItem(TypedDict("MovedItem", {"from": str})):
    id: str
    to: str


class WhatIfItem(TypedDict):
    capacity_scale: float
    budget: dict[int, float]
    staff: dict[int, float]
    earlier: list[MovedItem]
    schedulable: list[str]


class PlanDocument(TypedDict):
    projects: list[PlacedItem]
    unscheduled: list[UnscheduledItem]
    end: str | None
    start: str | None
    plan_months: int | None
    lower_bound_months: float | None
    quality: float | None
    critical_path: list[str]
    network_months: float | None
    years: dict[str, YearRow]
    capacity: dict[str, CapacityRow]
    effort_missing: list[str]  # placed projects with no budget and no staff estimated
    notes: list[str]
    warnings: list[ProblemItem]
    what_if: NotRequired[WhatIfItem]


def _mark_after_period(plan: Plan, document: PlanDocument) -> None:
    """Projects placed after the period carry why the period has no room for them."""
    for item, placed in zip(document["projects"], plan.placed, strict=True):
        if placed.beyond is not None:
            item["after_period"] = placed.beyond.english()
            item["after_period_code"] = placed.beyond.code
        start = placed.project.start
        item["wish_moved"] = not placed.fixed and start is not None and placed.start_date != start


def plan_document(
    plan: Plan, what_if: WhatIf | None = None, warnings: Sequence[Problem] = ()
) -> PlanDocument:
    from ..capacity import has_effort

    network = plan.network
    document: PlanDocument = {
        "projects": [
            {
                "id": p.project.id,
                "start": p.start_date.isoformat(),
                "end": p.end_date.isoformat(),
                "critical": p.critical,
                "slack_days": p.slack_days,
                "title": p.project.title,
                "months": p.months,
                "fixed": p.fixed,
                "status": p.project.status,
                "deadline": p.project.deadline.isoformat() if p.project.deadline else None,
                "effort_missing": not has_effort(p.project),
            }
            for p in plan.placed
        ],
        "unscheduled": [
            {
                "id": u.project.id,
                "reason": u.reason,
                "title": u.project.title,
                "code": u.why.code,
                "params": dict(u.why.params),
            }
            for u in plan.unscheduled
        ],
        "end": plan.end_date.isoformat() if plan.end_date else None,
        "start": plan.calendar.month_start(plan.first_month).isoformat(),
        "plan_months": plan.length_months,
        "lower_bound_months": _round(plan.lower_bound_months, 2),
        "quality": _round(plan.quality, 3),
        "critical_path": network.critical_path() if network else [],
        "network_months": _round(network.duration - plan.origin, 2) if network else None,
        "years": capacity_per_year(plan.years),
        "capacity": capacity_split(plan.years),
        "effort_missing": sorted(p.project.id for p in plan.placed if not has_effort(p.project)),
        "notes": plan.notes,
        "warnings": [problem_item(p) for p in warnings],
    }
    _mark_after_period(plan, document)
    if what_if is not None:
        document["what_if"] = {
            "capacity_scale": what_if.capacity_scale,
            "budget": what_if.budget,
            "staff": what_if.staff,
            "earlier": [
                {"id": i, "from": a.isoformat(), "to": b.isoformat()} for i, a, b in what_if.earlier
            ],
            "schedulable": what_if.schedulable,
        }
    return document


# --------------------------------------------------------------------------- bundles


class EvidenceItem(TypedDict):
    code: str
    params: list[str | float]


class BundleItem(TypedDict):
    projects: list[str]
    score: float
    reasons: list[str]  # English, as SPEC.md has them
    titles: list[str]
    evidence: list[EvidenceItem]  # the reasons as codes, worded at the edge


class BundleDocument(TypedDict):
    threshold: float
    bundles: list[BundleItem]


def bundle_document(
    bundles: Sequence[Bundle], threshold: float, titles: dict[str, str]
) -> BundleDocument:
    from .texts import evidence_text

    return {
        "threshold": threshold,
        "bundles": [
            {
                "projects": b.projects,
                "score": round(b.score, 4),
                "reasons": [evidence_text(r, "en") for r in b.reasons],
                "titles": [titles[p] for p in b.projects],
                "evidence": [{"code": r.code, "params": list(r.params)} for r in b.reasons],
            }
            for b in bundles
        ],
    }


class SignalItem(TypedDict):
    signal: str
    value: float
    reason: str
    contribution: float  # coefficient × value, in log-odds (the score's units before e^)
    reasons: list[str]
    evidence: list[EvidenceItem]  # the reasons as codes, worded at the edge


class TermsItem(TypedDict):
    a: list[str]
    b: list[str]
    shared: list[dict[str, str | float]]  # {term, weight}, most telling first


class PairDocument(TypedDict):
    projects: list[str]
    score: float
    signals: list[SignalItem]
    intercept: float
    log_odds: float
    terms: NotRequired[TermsItem]


def pair_document(pair: Pair) -> PairDocument:
    """The explanation of one pair: every signal with its contribution to the log-odds
    z (score = 1 / (1 + e^−z)), and the normalised terms of both projects."""
    from ..bundle import INTERCEPT
    from .texts import evidence_text

    document: PairDocument = {
        "projects": [pair.a, pair.b],
        "score": round(pair.score, 4),
        "signals": [
            {
                "signal": s.name,
                "value": round(s.value, 4),
                "reason": "; ".join(evidence_text(e, "en") for e in s.evidence),
                "contribution": round(s.contribution, 4),
                "reasons": [evidence_text(e, "en") for e in s.evidence],
                "evidence": [{"code": e.code, "params": list(e.params)} for e in s.evidence],
            }
            for s in pair.signals
        ],
        "intercept": INTERCEPT,
        "log_odds": round(pair.log_odds, 4),
    }
    if pair.terms is not None:
        document["terms"] = {
            "a": list(pair.terms.a),
            "b": list(pair.terms.b),
            "shared": [{"term": t, "weight": w} for t, w in pair.terms.shared],
        }
    return document


# --------------------------------------------------------------------------- selection


class SelectedItem(TypedDict):
    id: str
    score: float
    effort_missing: bool  # no budget and no staff estimated: funded as if free
    start: NotRequired[str]  # the start the optimizer chose (ISO date)
    starts_later: NotRequired[bool]  # later than its earliest start, where there is room


class LeftOutItem(TypedDict):
    id: str
    reason: str
    code: str  # the reason's code (optimize.Reason), stable across languages
    params: dict[str, Any]


class FrontierItem(TypedDict):
    scale: float
    budget: float
    value: float
    projects: int
    added: list[str]
    removed: list[str]


class CauseItem(TypedDict):
    id: str
    amount: float


class OverrunItem(TypedDict):
    year: int
    resource: str
    needed: float
    available: float
    over: float
    causes: list[CauseItem]


class PauseItem(TypedDict):
    id: str
    action: str  # pause or stretch
    value: float
    why_committed: str
    why_committed_code: str
    frees_budget: dict[str, float]
    frees_staff: dict[str, float]
    text: str
    months_before: NotRequired[int]  # stretch: the months before and after it
    months: NotRequired[int]
    end: NotRequired[str]
    staff_fte: NotRequired[float]
    set_end: NotRequired[str]  # stretch: the end to write into the file
    set_duration_months: NotRequired[int]  # … or the duration, when it has no end
    set: NotRequired[dict[str, str | int | float]]  # the fields to write (roadmap set)


class SelectionDocument(TypedDict):
    value: float
    selected: list[SelectedItem]
    left_out: list[LeftOutItem]
    years: dict[str, YearRow]
    optimal: bool
    gap: float | None
    notes: list[str]
    frontier: NotRequired[list[FrontierItem]]
    overrun: list[OverrunItem]
    recovery: list[PauseItem]
    allow_overrun_pct: float
    effort_missing: list[str]  # open projects with no budget and no staff estimated
    capacity: dict[str, CapacityRow]
    recovery_optimal: bool  # the proposal is proven the mildest (else: best found in time)
    recovery_gap: float | None


def _overrun_items(s: Selection) -> list[OverrunItem]:
    """Where the commitments alone exceed the capacity, and which commitments spend there."""
    return [
        {
            "year": o.year,
            "resource": o.resource,
            "needed": round(o.needed, 2),
            "available": round(o.available, 2),
            "over": round(o.over, 2),
            "causes": [{"id": pid, "amount": round(a, 2)} for pid, a in o.causes],
        }
        for o in s.overrun
    ]


def _recovery_items(s: Selection, lang: str) -> list[PauseItem]:
    """The recovery proposal: commitments to stretch or pause, each with what it frees
    per year (never applied to the files)."""
    from .selection import reason_text, step_text

    items: list[PauseItem] = []
    for p in s.recovery:
        item: PauseItem = {
            "id": p.id,
            "action": p.action,
            "value": round(p.value, 4),
            "why_committed": reason_text(p.why_forced, lang),
            "why_committed_code": p.why_forced.code,
            "frees_budget": {str(y): round(a, 2) for y, a in p.frees_budget.items()},
            "frees_staff": {str(y): round(a, 4) for y, a in p.frees_staff.items()},
            "text": step_text(p, lang),
        }
        if p.writes:
            item["set"] = dict(p.writes)
        if p.action == "stretch":
            item["months_before"] = p.months_before
            item["months"] = p.months
            if p.end is not None:
                item["end"] = p.end.isoformat()
            item["staff_fte"] = round(p.staff_fte or 0.0, 4)
            if p.file_end is not None:
                item["set_end"] = p.file_end.isoformat()
            else:
                item["set_duration_months"] = p.months
        items.append(item)
    return items


def _selected_item(s: Selection, pid: str, score: float, missing: bool) -> SelectedItem:
    item: SelectedItem = {"id": pid, "score": round(score, 4), "effort_missing": missing}
    if pid in s.starts:
        item["start"] = s.starts[pid].isoformat()
        item["starts_later"] = pid in s.moved_later
    return item


def selection_document(
    selection: Selection, frontier: Sequence[FrontierPoint] = (), lang: str = "en"
) -> SelectionDocument:
    """optimize's answer; reasons and notes worded in ``lang`` (JSON: English)."""
    from .selection import note_texts, reason_text

    s = selection
    missing = set(s.effort_missing)
    document: SelectionDocument = {
        "value": round(s.value, 4),
        "selected": [_selected_item(s, pid, score, pid in missing) for pid, score in s.selected],
        "left_out": [
            {
                "id": pid,
                "reason": reason_text(reason, lang),
                "code": reason.code,
                "params": dict(reason.params),
            }
            for pid, reason in s.left_out
        ],
        "years": {
            str(year): year_row(s.budget_used[k], s.budget[k], s.staff_used[k], s.staff[k])
            for k, year in enumerate(s.years)
        },
        "optimal": s.optimal,
        "gap": s.gap,
        "notes": note_texts(s, lang),
        "overrun": _overrun_items(s),
        "recovery": _recovery_items(s, lang),
        "allow_overrun_pct": s.allow_overrun_pct,
        "effort_missing": s.effort_missing,
        "recovery_optimal": s.recovery_optimal,
        "recovery_gap": s.recovery_gap,
        "capacity": {
            str(year): capacity_row(
                s.committed_budget[k] if s.committed_budget else 0.0,
                s.budget_used[k],
                s.budget[k],
                s.committed_staff[k] if s.committed_staff else 0.0,
                s.staff_used[k],
                s.staff[k],
            )
            for k, year in enumerate(s.years)
        },
    }
    if frontier:
        document["frontier"] = [
            {
                "scale": p.scale,
                "budget": round(p.budget, 2),
                "value": round(p.value, 4),
                "projects": p.count,
                "added": p.added,
                "removed": p.removed,
            }
            for p in frontier
        ]
    return document


# --------------------------------------------------------------------------- KPIs


class DatedValueItem(TypedDict):
    value: float
    date: str


class KpiItem(TypedDict):
    owner: str
    id: str
    title: str
    unit: str
    direction: str
    baseline: DatedValueItem
    target: DatedValueItem
    latest: DatedValueItem
    progress_pct: float | None
    trend_per_year: float | None
    forecast: float | None
    status: str


class KpiDocument(TypedDict):
    kpis: list[KpiItem]


@dataclass(frozen=True)
class KpiRow:
    """One KPI as every view shows it; ``json()`` is its item in ``kpi --format json``
    (rounded there, so that the table formats the exact values)."""

    owner: str
    id: str
    title: str
    unit: str
    direction: str
    baseline: float
    baseline_date: dt.date
    target: float
    target_date: dt.date
    latest: float
    latest_date: dt.date
    progress: float | None
    trend_per_year: float | None
    forecast: float | None
    status: str
    symbol: str

    def json(self) -> KpiItem:
        return {
            "owner": self.owner,
            "id": self.id,
            "title": self.title,
            "unit": self.unit,
            "direction": self.direction,
            "baseline": {"value": self.baseline, "date": self.baseline_date.isoformat()},
            "target": {"value": self.target, "date": self.target_date.isoformat()},
            "latest": {"value": self.latest, "date": self.latest_date.isoformat()},
            "progress_pct": _round(self.progress, 1),
            "trend_per_year": _round(self.trend_per_year, 3),
            "forecast": _round(self.forecast, 3),
            "status": self.status,
        }


def kpi_rows(states: Iterable[KpiState], statuses: Sequence[str] = ()) -> list[KpiRow]:
    """The KPI rows, only those with one of ``statuses`` when given."""
    return [
        KpiRow(
            owner=s.owner,
            id=s.kpi.id,
            title=s.kpi.title,
            unit=s.kpi.unit,
            direction=s.kpi.direction,
            baseline=s.kpi.baseline.value,
            baseline_date=s.kpi.baseline.date,
            target=s.kpi.target.value,
            target_date=s.kpi.target.date,
            latest=s.latest_value,
            latest_date=s.latest_date,
            progress=s.progress,
            trend_per_year=s.trend_per_year,
            forecast=s.forecast,
            status=s.status,
            symbol=s.symbol,
        )
        for s in states
        if not statuses or s.status in statuses
    ]


def kpi_document(rows: Sequence[KpiRow]) -> KpiDocument:
    """``kpi --format json``."""
    return {"kpis": [row.json() for row in rows]}


class PeriodItem(TypedDict):
    start: str
    end: str


class RoadmapDocument(TypedDict):
    organization: str
    title: str
    vision: str | None
    period: PeriodItem
    ranking: RankingDocument
    plan: PlanDocument
    bundles: BundleDocument
    kpis: list[KpiItem]


def roadmap_json(
    portfolio: Portfolio,
    ranking: Ranking,
    plan: Plan,
    kpis: Sequence[KpiState],
    bundles: BundleDocument,
) -> RoadmapDocument:
    """The whole computed roadmap as one document (``export --format json``)."""
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
        "kpis": [row.json() for row in kpi_rows(kpis)],
    }


# --------------------------------------------------------------------------- ratings


def rater_contributions(portfolio: Portfolio, project_id: str) -> list[RaterContributionItem]:
    """Each rater's scores of one project and what they add at the group's weights
    (explain's addition when raters' files exist)."""
    from ..model import midpoint
    from ..ratings import rated_portfolio, rater_points, raters_scores
    from ..score import criterion_weights

    rated, _ = rated_portfolio(portfolio)
    weights = criterion_weights(rated.strategy).values
    items: list[RaterContributionItem] = []
    for rater, projects in raters_scores(portfolio).items():
        scores = projects.get(project_id)
        if not scores:
            continue
        points = rater_points(scores, portfolio, weights)
        group = {
            c: midpoint(v) for c, v in rated.projects[project_id].scores.items() if c not in scores
        }
        filled = rater_points(group, portfolio, weights)
        file = portfolio.ratings.get(rater)
        items.append(
            {
                "rater": rater,
                "name": (file.name if file else None) or rater,
                "scores": dict(scores),
                "points": {c: round(v, 4) for c, v in points.items()},
                "total": round(math.fsum([*points.values(), *filled.values()]), 4),
                "filled": sorted(filled),
            }
        )
    return items


class RatedCriterionItem(TypedDict):
    value: float  # the group's score: median or mean
    low: float  # the spread ranking robustness samples
    high: float
    agreement: float  # 0..1
    raters: dict[str, float]


class RatedProjectItem(TypedDict):
    id: str
    title: str
    agreement: float  # mean over the rated criteria, 0..1
    raters: list[str]
    criteria: dict[str, RatedCriterionItem]


class RaterItem(TypedDict):
    id: str
    name: str
    file: str
    projects: int
    scores: int
    consistency_ratio: float | None


class GroupWeightsItem(TypedDict):
    weights: dict[str, float]
    consistency_ratio: float
    inconsistent: list[str]


class RatingsDocument(TypedDict):
    aggregate: str
    spread: str
    own_scores: str
    raters: list[RaterItem]
    kendalls_w: float | None
    kendalls_w_projects: int
    weights: dict[str, float]
    group_weights: GroupWeightsItem | None
    projects: list[RatedProjectItem]  # least agreement first


def ratings_document(overview: RatingsOverview) -> RatingsDocument:
    group = overview.group
    return {
        "aggregate": overview.config.aggregate,
        "spread": overview.config.spread,
        "own_scores": overview.config.own_scores,
        "raters": [
            {
                "id": r.id,
                "name": r.name,
                "file": r.file,
                "projects": r.projects,
                "scores": r.scores,
                "consistency_ratio": _round(r.consistency_ratio),
            }
            for r in overview.raters
        ],
        "kendalls_w": _round(overview.kendalls_w),
        "kendalls_w_projects": overview.w_projects,
        "weights": {c: round(w, 4) for c, w in overview.weights.items()},
        "group_weights": None
        if group is None
        else {
            "weights": {c: round(w, 4) for c, w in group.group.weights.items()},
            "consistency_ratio": round(group.group.consistency_ratio, 4),
            "inconsistent": list(group.inconsistent),
        },
        "projects": [
            {
                "id": p.id,
                "title": p.title,
                "agreement": round(p.agreement, 4),
                "raters": p.raters,
                "criteria": {
                    c: {
                        "value": round(a.value, 4),
                        "low": round(a.low, 4),
                        "high": round(a.high, 4),
                        "agreement": round(p.agreements[c], 4),
                        "raters": dict(sorted(a.raters.items())),
                    }
                    for c, a in p.criteria.items()
                },
            }
            for p in overview.projects
        ],
    }


class MissingItem(TypedDict):
    rater: str
    project: str
    criteria: list[str]


class MissingDocument(TypedDict):
    raters: int
    missing: int  # single scores missing
    items: list[MissingItem]


def missing_document(missing: dict[str, dict[str, list[str]]]) -> MissingDocument:
    items: list[MissingItem] = [
        {"rater": rater, "project": project, "criteria": criteria}
        for rater, projects in sorted(missing.items())
        for project, criteria in sorted(projects.items())
    ]
    return {
        "raters": len(missing),
        "missing": sum(len(i["criteria"]) for i in items),
        "items": items,
    }


def aggregate_cell(item: Mapping[str, Any] | None) -> str:
    """A group score as the ratings views show it: `3.5 (2–4)`, `4`, or `–` unrated."""
    if item is None:
        return "–"
    if item["high"] > item["low"]:
        return f"{item['value']:g} ({item['low']:g}–{item['high']:g})"
    return f"{item['value']:g}"
