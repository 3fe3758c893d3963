"""Typed views of every result, built once: what each formatter (table, JSON, CSV,
Markdown, the report) reads. A command's JSON output is its document as it is, so the
key order here is the order of the JSON (SPEC.md fixes the keys).

To add a column to the ranking: a key in ``RankingItem`` and its value in
``ranking_document``, then an entry in the column list of each formatter that shows
it (``terminal.RANKING_COLUMNS``, ``text.RANKING_CSV_COLUMNS``, ``text.RANKING_MD_COLUMNS``,
the report's ``report_view.ranked_rows`` and templates).

This module builds the ranking, the explanation and the whole roadmap; the other
documents live beside it, one module per command family, and are importable from
here: ``plan_documents``, ``selection_documents`` (optimize), ``bundle_documents``,
``kpi_documents``, ``ratings_documents``, and ``document_parts`` (what they share)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NotRequired, TypedDict, cast

from .bundle_documents import (
    BundleDocument,
    BundleItem,
    EvidenceItem,
    PairDocument,
    SignalItem,
    TermsItem,
    bundle_document,
    pair_document,
)
from .document_parts import (
    CapacityRow,
    ProblemItem,
    YearRow,
    capacity_per_year,
    capacity_row,
    capacity_split,
    problem_item,
    round_or_none,
    year_row,
)
from .kpi_documents import DatedValueItem, KpiDocument, KpiItem, KpiRow, kpi_document, kpi_rows
from .plan_documents import (
    MovedItem,
    PlacedItem,
    PlanDocument,
    UnscheduledItem,
    WhatIfItem,
    plan_document,
)
from .ratings_documents import (
    GroupWeightsItem,
    MissingDocument,
    MissingItem,
    RatedCriterionItem,
    RatedProjectItem,
    RaterContributionItem,
    RaterItem,
    RatingsDocument,
    aggregate_cell,
    missing_document,
    rater_contributions,
    ratings_document,
)
from .selection_documents import (
    CauseItem,
    FrontierItem,
    LeftOutItem,
    OverrunItem,
    PauseItem,
    SelectedItem,
    SelectionDocument,
    selection_document,
)

__all__ = [
    "BundleDocument",
    "BundleItem",
    "CapacityRow",
    "CauseItem",
    "CriterionItem",
    "DatedValueItem",
    "EvidenceItem",
    "ExplanationDocument",
    "ExplanationRobustness",
    "FrontierItem",
    "GroupWeightsItem",
    "KpiDocument",
    "KpiItem",
    "KpiRow",
    "LeftOutItem",
    "LeverItem",
    "MissingDocument",
    "MissingItem",
    "MovedItem",
    "OverrunItem",
    "PairDocument",
    "PauseItem",
    "PeriodItem",
    "PlacedItem",
    "PlanDocument",
    "ProblemItem",
    "RankingDocument",
    "RankingItem",
    "RankingRobustness",
    "RatedCriterionItem",
    "RatedProjectItem",
    "RaterContributionItem",
    "RaterItem",
    "RatingsDocument",
    "RoadmapDocument",
    "SelectedItem",
    "SelectionDocument",
    "SignalItem",
    "TermsItem",
    "UnscheduledItem",
    "WhatIfItem",
    "YearRow",
    "aggregate_cell",
    "bundle_document",
    "capacity_per_year",
    "capacity_row",
    "capacity_split",
    "explanation_document",
    "kpi_document",
    "kpi_rows",
    "missing_document",
    "pair_document",
    "plan_document",
    "problem_item",
    "ranking_document",
    "ranking_item",
    "rater_contributions",
    "ratings_document",
    "roadmap_json",
    "selection_document",
    "year_row",
]

if TYPE_CHECKING:
    from ..kpi import KpiState
    from ..model import Portfolio
    from ..schedule import Plan
    from ..score import Lever, Ranked, Ranking


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
        item["p_top"] = round_or_none(e.p_top)
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
                "weight": round_or_none(weights.get(name), 6),
                "raw": entry.own.raw.get(name),
                "range": given if isinstance(given, list) else None,
                "normalized": round_or_none(entry.own.normalized.get(name)),
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
            "p_top": round_or_none(entry.p_top),
        }
    return document


# --------------------------------------------------------------------------- the whole roadmap


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
