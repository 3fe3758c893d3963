"""The raters' aggregation: the raters' scores of each project and criterion combined
into the group's score with their spread as its range, and their pairwise comparisons
into the group's criterion weights (AHP) — the rated portfolio every ranking ranks.

Below ``score``, which ranks the rated portfolio whenever there are raters' files; the
views of the raters (agreement, who is missing, uncertain ranks) are in ``ratings``."""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .ahp import CONSISTENCY_LIMIT, Ahp, ahp, pairwise_matrix
from .errors import say, say_plural
from .model import midpoint

if TYPE_CHECKING:
    from .model import Portfolio

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


@dataclass(frozen=True)
class GroupWeights:
    """The group's weights from the element-wise geometric mean of the raters'
    comparison matrices (aggregation of individual judgments, Aczél & Saaty 1983),
    with every rater's own consistency."""

    group: Ahp
    raters: dict[str, Ahp]
    inconsistent: list[str]  # raters whose consistency ratio is above the limit


def mean_comparisons(
    criteria: Sequence[str], pairwise_by_rater: Mapping[str, Mapping[str, Mapping[str, float]]]
) -> dict[str, dict[str, float]]:
    """The element-wise geometric mean of the raters' comparison matrices, as the upper
    triangle a strategy's ``pairwise`` holds. Raises ScoringError for an incomplete one."""
    matrices = [
        pairwise_matrix(criteria, {r: dict(c) for r, c in comparisons.items()})
        for _, comparisons in sorted(pairwise_by_rater.items())
    ]
    n = len(criteria)
    count = len(matrices)
    return {
        criteria[i]: {
            criteria[j]: math.exp(math.fsum(math.log(m[i][j]) for m in matrices) / count)
            for j in range(i + 1, n)
        }
        for i in range(n)
    }


def group_weights(
    criteria: Sequence[str], pairwise_by_rater: Mapping[str, Mapping[str, Mapping[str, float]]]
) -> GroupWeights:
    """Raises ScoringError (from ahp.pairwise_matrix) naming an incomplete matrix."""
    mean = mean_comparisons(criteria, pairwise_by_rater)
    individual = {
        rater: ahp(criteria, {r: dict(c) for r, c in comparisons.items()})
        for rater, comparisons in sorted(pairwise_by_rater.items())
    }
    inconsistent = [r for r, a in individual.items() if a.consistency_ratio > CONSISTENCY_LIMIT]
    return GroupWeights(ahp(criteria, mean), individual, inconsistent)


# the rater a project's own scores count as (``own_scores: rater``); a file stem can
# never contain a space, so no rater's file can take this name
OWN_RATER = "project file"


def raters_scores(portfolio: Portfolio) -> dict[str, dict[str, dict[str, float]]]:
    """rater → project → criterion → score, over the projects and criteria of the
    portfolio; with ``own_scores: rater`` the projects' own scores of every project some
    rater rated join as OWN_RATER (a range by its midpoint)."""
    criteria = {c.id for c in portfolio.strategy.criteria}
    result = {
        rater: {
            project: {c: v for c, v in scores.items() if c in criteria}
            for project, scores in sorted(file.scores.items())
            if project in portfolio.projects
        }
        for rater, file in sorted(portfolio.ratings.items())
    }
    if portfolio.strategy.ratings.own_scores == "rater":
        rated = {p for scores in result.values() for p in scores}
        own = {
            p: {c: midpoint(v) for c, v in portfolio.projects[p].scores.items() if c in criteria}
            for p in sorted(rated)
        }
        own = {p: scores for p, scores in own.items() if scores}
        if own:
            result[OWN_RATER] = own
    return result


def raters_pairwise(portfolio: Portfolio) -> dict[str, dict[str, dict[str, float]]]:
    """rater → comparisons, for the raters who gave pairwise comparisons."""
    return {
        rater: {row: dict(columns) for row, columns in file.pairwise.items()}
        for rater, file in sorted(portfolio.ratings.items())
        if file.pairwise
    }


def rated_portfolio(portfolio: Portfolio) -> tuple[Portfolio, list[str]]:
    """The portfolio as the raters see it together: every project some rater rated gets
    the group's score per criterion (median or mean) with the raters' spread as its
    range; the raters' pairwise comparisons, if any, replace the strategy's weights by
    the group's AHP. A criterion nobody rated stays missing, never zero. Returns notes
    for the ranking (who set the weights, which rater is inconsistent)."""
    from .model import Project, RatedProject

    strategy = portfolio.strategy
    config = strategy.ratings
    ids = [c.id for c in strategy.criteria]
    aggregated = aggregate_all(raters_scores(portfolio), config.aggregate, config.spread)
    projects = dict(portfolio.projects)
    for project_id, by_criterion in aggregated.items():
        project = portfolio.projects[project_id]
        scores: dict[str, float | list[float]] = {}
        ranges: dict[str, tuple[float, float]] = {}
        for c in ids:
            own = project.scores.get(c)
            if config.own_scores == "override" and own is not None:
                scores[c] = own
            elif c in by_criterion:
                group = by_criterion[c]
                scores[c] = group.value
                if group.high > group.low:
                    ranges[c] = (group.low, group.high)
        fields = {name: getattr(project, name) for name in Project.model_fields}
        fields.update(scores=scores, score_ranges=ranges)
        projects[project_id] = RatedProject.model_construct(**fields)
    notes: list[str] = []
    comparisons = raters_pairwise(portfolio)
    if comparisons:
        strategy = strategy.model_copy(update={"pairwise": mean_comparisons(ids, comparisons)})
        combined = group_weights(ids, comparisons)
        notes.append(
            say_plural(
                "ranking-note:raters",
                "weights from the pairwise comparisons of {n} rater (geometric mean, group "
                "consistency ratio {ratio})",
                "weights from the pairwise comparisons of {n} raters (geometric mean, group "
                "consistency ratio {ratio})",
                len(comparisons),
                ratio=float(combined.group.consistency_ratio),
            )
        )
        notes += [
            say(
                "ranking-note:rater-inconsistent",
                "rater {rater}'s comparisons are inconsistent: consistency ratio {ratio} > "
                "{limit_ratio}",
                rater=r,
                ratio=float(combined.raters[r].consistency_ratio),
                limit_ratio=float(CONSISTENCY_LIMIT),
            )
            for r in combined.inconsistent
        ]
    rated = portfolio.model_copy(update={"strategy": strategy, "projects": projects})
    return rated, notes
