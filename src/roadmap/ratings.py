"""Many raters, one ranking: the raters' scores aggregated per project and criterion,
their spread carried as the score's range, the group's criterion weights from the
raters' pairwise comparisons, and how far the raters agree.

Pure functions over plain values; reading `ratings/<rater>.yaml` and the sheets the
raters fill in is done by the loader and the spreadsheet modules.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .score import Ahp, ahp, pairwise_matrix

AGGREGATES = ("median", "mean")
SPREADS = ("iqr", "minmax")

# rater → project → criterion → score
Ratings = Mapping[str, Mapping[str, Mapping[str, float]]]


@dataclass(frozen=True)
class Aggregate:
    """The group's score of one project on one criterion."""

    value: float  # median or mean of the raters
    low: float  # the spread the robustness draws sample from
    high: float
    raters: dict[str, float]  # who gave what

    @property
    def range(self) -> list[float] | float:
        """What goes into the project's scores: a range when raters disagree."""
        return [self.low, self.high] if self.high > self.low else self.value


def quartiles(values: Sequence[float]) -> tuple[float, float]:
    """Lower and upper quartile by linear interpolation between order statistics
    (Hyndman & Fan type 7, as numpy's and spreadsheet programs' default)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0], ordered[0]

    def at(share: float) -> float:
        position = share * (len(ordered) - 1)
        below = math.floor(position)
        above = min(below + 1, len(ordered) - 1)
        return ordered[below] + (ordered[above] - ordered[below]) * (position - below)

    return at(0.25), at(0.75)


def aggregate(values: Mapping[str, float], how: str = "median", spread: str = "iqr") -> Aggregate:
    """The raters' scores of one project on one criterion → one score and its range."""
    numbers = [float(v) for v in values.values()]
    if not numbers:
        raise ValueError("nobody rated this")
    centre = statistics.median(numbers) if how == "median" else math.fsum(numbers) / len(numbers)
    low, high = quartiles(numbers) if spread == "iqr" else (min(numbers), max(numbers))
    return Aggregate(centre, low, high, dict(values))


def aggregate_all(
    ratings: Ratings, how: str = "median", spread: str = "iqr"
) -> dict[str, dict[str, Aggregate]]:
    """project → criterion → Aggregate, over every rater who rated that pair (a missing
    rating is left out, never counted as zero)."""
    collected: dict[str, dict[str, dict[str, float]]] = {}
    for rater, projects in ratings.items():
        for project, scores in projects.items():
            for criterion, value in scores.items():
                collected.setdefault(project, {}).setdefault(criterion, {})[rater] = value
    return {
        project: {c: aggregate(v, how, spread) for c, v in sorted(criteria.items())}
        for project, criteria in sorted(collected.items())
    }


def missing_ratings(
    ratings: Ratings, projects: Sequence[str], criteria: Sequence[str]
) -> dict[str, list[tuple[str, str]]]:
    """rater → the (project, criterion) pairs that rater has not rated."""
    return {
        rater: [(p, c) for p in projects for c in criteria if c not in ratings[rater].get(p, {})]
        for rater in sorted(ratings)
    }


def ranks(values: Mapping[str, float]) -> dict[str, float]:
    """Rank 1 for the highest value; ties share the mean of their ranks."""
    ordered = sorted(values, key=lambda k: -values[k])
    result: dict[str, float] = {}
    position = 0
    while position < len(ordered):
        end = position
        while end + 1 < len(ordered) and values[ordered[end + 1]] == values[ordered[position]]:
            end += 1
        shared = (position + end) / 2 + 1
        for key in ordered[position : end + 1]:
            result[key] = shared
        position = end + 1
    return result


def kendalls_w(rankings: Sequence[Mapping[str, float]]) -> float:
    """Kendall's coefficient of concordance of m rankings of the same n items, with the
    correction for ties (Kendall & Babington Smith 1939; Legendre 2005): 1 when all
    raters rank alike, near 0 when their rankings are unrelated."""
    m = len(rankings)
    items = sorted(rankings[0]) if rankings else []
    n = len(items)
    if m < 2 or n < 2:
        return 1.0
    totals = [math.fsum(r[item] for r in rankings) for item in items]
    mean = m * (n + 1) / 2
    s = math.fsum((t - mean) ** 2 for t in totals)
    ties = 0.0
    for ranking in rankings:
        counts: dict[float, int] = {}
        for value in ranking.values():
            counts[value] = counts.get(value, 0) + 1
        ties += sum(t**3 - t for t in counts.values())
    denominator = m**2 * (n**3 - n) - m * ties
    return 12 * s / denominator if denominator > 0 else 1.0


def agreement(values: Sequence[float], scale: tuple[float, float]) -> float:
    """How much the raters of one score agree, 0..1: 1 minus the standard deviation
    over the largest standard deviation the scale allows (half its width)."""
    if len(values) < 2:
        return 1.0
    width = scale[1] - scale[0]
    if width <= 0:
        return 1.0
    return max(0.0, 1 - statistics.pstdev(values) / (width / 2))


@dataclass(frozen=True)
class GroupWeights:
    """The group's weights from the element-wise geometric mean of the raters'
    comparison matrices (aggregation of individual judgments, Aczél & Saaty 1983),
    with every rater's own consistency."""

    group: Ahp
    raters: dict[str, Ahp]
    inconsistent: list[str]  # raters whose consistency ratio is above the limit


def group_weights(
    criteria: Sequence[str], pairwise_by_rater: Mapping[str, Mapping[str, Mapping[str, float]]]
) -> GroupWeights:
    """Raises ScoringError (from score.pairwise_matrix) naming an incomplete matrix."""
    from .score import CONSISTENCY_LIMIT

    matrices = {
        rater: pairwise_matrix(criteria, {r: dict(c) for r, c in comparisons.items()})
        for rater, comparisons in sorted(pairwise_by_rater.items())
    }
    n = len(criteria)
    count = len(matrices)
    mean = {
        criteria[i]: {
            criteria[j]: math.exp(math.fsum(math.log(m[i][j]) for m in matrices.values()) / count)
            for j in range(i + 1, n)
        }
        for i in range(n)
    }
    individual = {
        rater: ahp(criteria, {r: dict(c) for r, c in comparisons.items()})
        for rater, comparisons in sorted(pairwise_by_rater.items())
    }
    inconsistent = [r for r, a in individual.items() if a.consistency_ratio > CONSISTENCY_LIMIT]
    return GroupWeights(ahp(criteria, mean), individual, inconsistent)
