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
from typing import TYPE_CHECKING

from .score import CONSISTENCY_LIMIT, Ahp, ahp, midpoint, pairwise_matrix

if TYPE_CHECKING:
    from .model import Portfolio, RatingsConfig

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
    # the population standard deviation in floats (statistics.pstdev works in exact
    # fractions: a hundred times slower, and `ratings` computes thousands of these)
    mean = math.fsum(values) / len(values)
    deviation = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))
    return max(0.0, 1 - deviation / (width / 2))


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
    """Raises ScoringError (from score.pairwise_matrix) naming an incomplete matrix."""
    mean = mean_comparisons(criteria, pairwise_by_rater)
    individual = {
        rater: ahp(criteria, {r: dict(c) for r, c in comparisons.items()})
        for rater, comparisons in sorted(pairwise_by_rater.items())
    }
    inconsistent = [r for r, a in individual.items() if a.consistency_ratio > CONSISTENCY_LIMIT]
    return GroupWeights(ahp(criteria, mean), individual, inconsistent)


# --------------------------------------------------------------------------- portfolio

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
    notes = []
    comparisons = raters_pairwise(portfolio)
    if comparisons:
        strategy = strategy.model_copy(update={"pairwise": mean_comparisons(ids, comparisons)})
        combined = group_weights(ids, comparisons)
        notes.append(
            f"weights from the pairwise comparisons of {len(comparisons)} rater"
            f"{'s' * (len(comparisons) != 1)} (geometric mean, group consistency ratio "
            f"{combined.group.consistency_ratio:.2f})"
        )
        notes += [
            f"rater {r}'s comparisons are inconsistent: consistency ratio "
            f"{combined.raters[r].consistency_ratio:.2f} > {CONSISTENCY_LIMIT:.2f}"
            for r in combined.inconsistent
        ]
    rated = portfolio.model_copy(update={"strategy": strategy, "projects": projects})
    return rated, notes


@dataclass(frozen=True)
class RaterSummary:
    id: str
    name: str
    file: str
    projects: int  # how many projects the rater scored
    scores: int  # how many single scores
    consistency_ratio: float | None  # of the rater's pairwise comparisons, if any


@dataclass(frozen=True)
class ProjectRatings:
    id: str
    title: str
    criteria: dict[str, Aggregate]  # the criteria somebody rated
    agreement: float  # mean agreement over those criteria, 0..1
    raters: list[str]  # who rated the project
    agreements: dict[str, float]  # per rated criterion, 0..1


@dataclass(frozen=True)
class RatingsOverview:
    """What ``roadmap ratings`` shows: per project the raters' scores, spread and
    agreement; across raters Kendall's W of their rankings and the group's weights."""

    config: RatingsConfig
    raters: list[RaterSummary]
    projects: list[ProjectRatings]  # least agreement first
    kendalls_w: float | None  # None with fewer than 2 raters or 2 common projects
    w_projects: int  # the projects W covers: those every rater rated
    weights: dict[str, float]
    group: GroupWeights | None


def rater_points(
    scores: Mapping[str, float], portfolio: Portfolio, weights: Mapping[str, float]
) -> dict[str, float]:
    """What each of one rater's scores of one project adds to a weighted sum at the
    given weights (0..100 over all criteria; a cost criterion inverted)."""
    points = {}
    for c in portfolio.strategy.criteria:
        if c.id not in scores:
            continue
        low, high = c.scale
        share = (scores[c.id] - low) / (high - low) if high > low else 0.0
        if c.direction == "cost":
            share = 1 - share
        points[c.id] = 100 * weights.get(c.id, 0.0) * share
    return points


def overview(portfolio: Portfolio) -> RatingsOverview:
    """The raters' agreement on the open projects (pure; ``portfolio`` as loaded)."""
    from .score import criterion_weights, select

    strategy = portfolio.strategy
    config = strategy.ratings
    by_rater = raters_scores(portfolio)
    open_ids = {p.id for p in select(portfolio)}
    by_rater = {
        r: {p: s for p, s in projects.items() if p in open_ids} for r, projects in by_rater.items()
    }
    aggregated = aggregate_all(by_rater, config.aggregate, config.spread)
    scales = {c.id: (c.scale[0], c.scale[1]) for c in strategy.criteria}
    comparisons = raters_pairwise(portfolio)
    ids = [c.id for c in strategy.criteria]
    group = group_weights(ids, comparisons) if comparisons else None
    weights = group.group.weights if group else criterion_weights(strategy).values
    projects = []
    for project_id, by_criterion in aggregated.items():
        agreements = {
            c: agreement(list(a.raters.values()), scales[c]) for c, a in by_criterion.items()
        }
        who = sorted({r for a in by_criterion.values() for r in a.raters})
        projects.append(
            ProjectRatings(
                project_id,
                portfolio.projects[project_id].title,
                by_criterion,
                math.fsum(agreements.values()) / len(agreements),
                who,
                agreements,
            )
        )
    projects.sort(key=lambda p: (round(p.agreement, 9), p.id))
    # each rater's ranking of the projects every rater rated; a criterion a rater left
    # out counts with the group's value, so that W measures disagreement, not gaps
    common = sorted(set.intersection(*(set(s) for s in by_rater.values()))) if by_rater else []
    rankings = []
    for projects_scores in by_rater.values():
        totals = {}
        for p in common:
            filled = {c: a.value for c, a in aggregated[p].items()} | projects_scores[p]
            totals[p] = round(math.fsum(rater_points(filled, portfolio, weights).values()), 9)
        rankings.append(ranks(totals))
    w = kendalls_w(rankings) if len(rankings) >= 2 and len(common) >= 2 else None
    raters = []
    for rater, scores in sorted(by_rater.items()):
        file = portfolio.ratings.get(rater)
        individual = group.raters.get(rater) if group else None
        raters.append(
            RaterSummary(
                rater,
                (file.name if file else None) or rater,
                portfolio.rating_files.get(rater, ""),
                len(scores),
                sum(len(s) for s in scores.values()),
                individual.consistency_ratio if individual else None,
            )
        )
    return RatingsOverview(config, raters, projects, w, len(common), weights, group)


def missing_by_rater(portfolio: Portfolio) -> dict[str, dict[str, list[str]]]:
    """rater → project → the criteria that rater has not scored, over the open projects
    and every rater's file (the projects' own scores are not a rater here)."""
    from .score import select

    projects = [p.id for p in select(portfolio)]
    criteria = [c.id for c in portfolio.strategy.criteria]
    given = {r: file.scores for r, file in portfolio.ratings.items()}
    result: dict[str, dict[str, list[str]]] = {}
    for rater, pairs in missing_ratings(given, projects, criteria).items():
        by_project: dict[str, list[str]] = {}
        for project, criterion in pairs:
            by_project.setdefault(project, []).append(criterion)
        result[rater] = by_project
    return result


@dataclass(frozen=True)
class UncertainRank:
    """A project whose rank moves most when the scores are drawn inside the raters'
    spread (weights held fixed): where the raters' disagreement decides the ranking."""

    id: str
    title: str
    rank: int
    rank_low: int  # 5th percentile of the drawn ranks
    rank_high: int  # 95th percentile
    criteria: list[str]  # the criteria the raters disagree on, widest spread first


def uncertain_ranks(
    portfolio: Portfolio,
    draws: int = 1000,
    seed: int = 0,
    limit: int = 10,
    method: str | None = None,
) -> list[UncertainRank]:
    """The ``limit`` projects whose rank is most uncertain because raters disagree: the
    ranking re-scored ``draws`` times with every rated score drawn inside its raters'
    range and the weights fixed, widest 5–95 % rank interval first (then by rank). Only
    projects with a raters' range count; without raters' files the list is empty."""
    from .model import RatedProject
    from .robustness import robustness
    from .score import rank

    if not portfolio.ratings:
        return []
    ranking = rank(portfolio, method)
    # weights held (almost) fixed: a Dirichlet this concentrated barely moves them, so
    # the spread of the ranks is the raters' spread
    robustness(portfolio, ranking, draws, seed, concentration=1e9)
    found = []
    for entry in ranking.entries:
        project = entry.project
        spreads = project.score_ranges if isinstance(project, RatedProject) else {}
        if not spreads or entry.rank_low is None or entry.rank_high is None:
            continue
        if entry.rank_high <= entry.rank_low:
            continue
        widest = sorted(spreads, key=lambda c: (-(spreads[c][1] - spreads[c][0]), c))
        found.append(
            UncertainRank(
                entry.id, project.title, entry.rank, entry.rank_low, entry.rank_high, widest
            )
        )
    found.sort(key=lambda u: (-(u.rank_high - u.rank_low), u.rank, u.id))
    return found[:limit]
