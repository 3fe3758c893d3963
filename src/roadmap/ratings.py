"""Many raters, one ranking: how far the raters agree, who has not rated what, the
raters' view of the portfolio and the ranks that depend on whom one believes. The
aggregation itself (the group's scores, ranges and weights) is in ``rated``.

Pure functions over plain values; reading `ratings/<rater>.yaml` and the sheets the
raters fill in is done by the loader and the spreadsheet modules.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

# the raters' aggregation lives below score (score ranks the rated portfolio); these
# names stay importable from here
from .rated import OWN_RATER as OWN_RATER
from .rated import Aggregate, GroupWeights, Ratings, aggregate_all, group_weights, raters_pairwise
from .rated import aggregate as aggregate
from .rated import quartiles as quartiles
from .rated import rated_portfolio as rated_portfolio
from .rated import raters_scores as raters_scores

if TYPE_CHECKING:
    from .model import Portfolio, RatingsConfig


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
