"""The raters' typed documents: the ratings overview, missing scores, and each
rater's contribution to one project (explain's addition when raters' files exist)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from .document_parts import round_or_none

if TYPE_CHECKING:
    from ..model import Portfolio
    from ..ratings import RatingsOverview


class RaterContributionItem(TypedDict):
    rater: str
    name: str
    scores: dict[str, float]  # criterion → the rater's score
    points: dict[str, float]  # criterion → what it adds to a weighted sum at the weights
    # the sum of points; a criterion the rater left out counts at the group's score (as
    # in the ranking), so that the raters' totals compare
    total: float
    filled: list[str]  # the criteria the rater left out, counted at the group's score


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
                "consistency_ratio": round_or_none(r.consistency_ratio),
            }
            for r in overview.raters
        ],
        "kendalls_w": round_or_none(overview.kendalls_w),
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
