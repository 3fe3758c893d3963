"""How stable a ranking is, and what would change it. Pure: portfolio and ranking in,
figures out.

- ``robustness``: re-score the portfolio under many draws of the weights (Dirichlet
  around the given ones) and of the scores inside their ``[low, high]`` ranges, with the
  same vectorised scorer as the plain ranking (score.score_draws), and store each
  project's 5th–95th percentile rank and P(rank ≤ top) on the ranking;
- ``levers``: the single score changes that would lift a project above the one ranked
  just before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import UsageError, say
from .score import (
    NOT_ELIGIBLE,
    TIE_DIGITS,
    WONT,
    Ranked,
    Ranking,
    ScoreMatrix,
    score_draws,
    score_matrix,
)

if TYPE_CHECKING:
    import numpy as np

    from .model import Portfolio

# Draws are scored in chunks of at most this many draws × projects × criteria values,
# which bounds memory (a few arrays of this size) whatever the portfolio.
CHUNK_VALUES = 2_000_000
# Every draw's rank of every project is kept for the percentiles (2 bytes each up to
# 65,535 projects): at most this many, about 200 MB. More draws would not sharpen the
# figures printed (P(top) in whole percent) and take minutes.
MAX_RANK_CELLS = 100_000_000
MAX_DRAWS = 100_000
# percentiles are taken over this many projects at a time (numpy copies the block)
QUANTILE_COLUMNS = 256
# Levers try each criterion's scale in this many steps, scored in batches that double
# up to this size: a lever is usually found in the first few steps, and for TOPSIS every
# step re-scores the whole portfolio.
LEVER_STEPS = 200
LEVER_BATCH = 32


def robustness(
    portfolio: Portfolio,
    ranking: Ranking,
    draws: int,
    seed: int = 0,
    top: int = 10,
    concentration: float = 100.0,
) -> None:
    """Sample weight vectors around the given ones (Dirichlet, mean = the weights) and
    scores inside their ``[low, high]`` ranges, re-score and re-rank each draw, and
    store each project's 5th–95th percentile rank and P(rank ≤ top) on the ranking.

    Each draw keeps bands, gates and dependency pull; its order is by band, score,
    depth in the dependency graph, own score and id (the main ranking's order without
    its tie-breaking search, which cannot be vectorized).

    Raises :class:`TooManyDraws` beyond :func:`draws_limit` (memory), before any work."""
    import numpy as np

    entries = ranking.entries
    n = len(entries)
    if draws > draws_limit(n):
        raise TooManyDraws(draws, n, draws_limit(n))
    ranking.robustness_draws, ranking.top = draws, top
    if n == 0 or draws <= 0:
        return
    rng = np.random.default_rng(seed)
    strategy = portfolio.strategy
    matrix = score_matrix(
        ranking.method,
        [e.project for e in entries],
        strategy.criteria,
        strategy.scoring.missing_scores,
    )
    weights = matrix.weight_array(ranking.weights.values)
    position = {e.id: i for i, e in enumerate(entries)}
    band = np.array([e.band for e in entries])
    depth = _depths(entries, position)
    pulling = _pulling_edges(entries, position, band, depth) if ranking.dependency_pull else []
    ranks = np.empty((draws, n), dtype=np.uint16 if n < 2**16 else np.uint32)
    places = np.arange(1, n + 1, dtype=ranks.dtype)
    chunk = max(1, min(draws, CHUNK_VALUES // max(1, n * max(1, len(matrix.terms)))))
    for start in range(0, draws, chunk):
        size = min(chunk, draws - start)
        own = _drawn_own_scores(matrix, weights, size, rng, concentration)
        order = _draw_order(own, pulling, band, depth)
        np.put_along_axis(ranks[start : start + size], order, places[None, :], axis=1)
    _store_rank_ranges(entries, ranks, top)


def _pulling_edges(
    entries: Sequence[Ranked], position: dict[str, int], band: np.ndarray, depth: np.ndarray
) -> list[tuple[int, int]]:
    """(prerequisite, dependant) positions where the dependant's score pulls the
    prerequisite's up: deepest dependants first, so a pull passes down a chain within
    one sweep."""
    edges = [
        (position[d], position[e.id])
        for e in entries
        for d in e.project.depends_on
        if d in position
    ]
    pulls = band < WONT
    return [
        (prerequisite, dependent)
        for prerequisite, dependent in sorted(edges, key=lambda e: -depth[e[1]])
        if pulls[dependent] and band[prerequisite] != NOT_ELIGIBLE
    ]


def _draw_order(
    own: np.ndarray, pulling: list[tuple[int, int]], band: np.ndarray, depth: np.ndarray
) -> np.ndarray:
    """Per draw (row) of own scores, the projects in ranking order: pulled scores, then
    one stable sort by band, score, depth, own score."""
    import numpy as np

    score = own.copy()
    for prerequisite, dependent in pulling:
        np.maximum(score[:, prerequisite], score[:, dependent], out=score[:, prerequisite])
    return np.lexsort(
        (
            -np.round(own, TIE_DIGITS),
            np.broadcast_to(depth, own.shape),
            -np.round(score, TIE_DIGITS),
            np.broadcast_to(band, own.shape),
        ),
        axis=-1,
    )


def _store_rank_ranges(entries: Sequence[Ranked], ranks: np.ndarray, top: int) -> None:
    """Each entry's 5th–95th percentile rank and P(rank ≤ top) over the draws (rows)."""
    import numpy as np

    n = len(entries)
    low = np.empty(n, dtype=np.int64)
    high = np.empty(n, dtype=np.int64)
    for first in range(0, n, QUANTILE_COLUMNS):
        block = ranks[:, first : first + QUANTILE_COLUMNS]
        low[first : first + QUANTILE_COLUMNS] = np.quantile(
            block, 0.05, axis=0, method="inverted_cdf"
        )
        high[first : first + QUANTILE_COLUMNS] = np.quantile(
            block, 0.95, axis=0, method="inverted_cdf"
        )
    p_top = (ranks <= min(top, n)).mean(axis=0)
    for i, entry in enumerate(entries):
        entry.rank_low, entry.rank_high = int(low[i]), int(high[i])
        entry.p_top = float(p_top[i])


def draws_limit(projects: int) -> int:
    """The most draws :func:`robustness` takes for this many projects: the ranks it keeps
    stay within :data:`MAX_RANK_CELLS`, and never more than :data:`MAX_DRAWS`."""
    return max(1, min(MAX_DRAWS, MAX_RANK_CELLS // max(1, projects)))


class TooManyDraws(UsageError):
    """More robustness draws than :func:`draws_limit` allows for the portfolio."""

    def __init__(self, draws: int, projects: int, limit: int) -> None:
        super().__init__(f"{draws:,} robustness draws of {projects:,} projects: at most {limit:,}")
        self.draws, self.projects, self.limit = draws, projects, limit


def _depths(entries: list[Ranked], position: dict[str, int]) -> np.ndarray:
    import numpy as np

    depth = np.zeros(len(entries), dtype=np.int64)
    for i, entry in enumerate(entries):  # entries are in dependency order already
        for d in entry.project.depends_on:
            if d in position:
                depth[i] = max(depth[i], depth[position[d]] + 1)
    return depth


def _drawn_own_scores(
    matrix: ScoreMatrix,
    weights: np.ndarray,
    size: int,
    rng: Any,
    concentration: float,
) -> np.ndarray:
    """Own scores (size × projects) under ``size`` draws of the weights and of the
    scores inside their ranges. WSJF has no weights and no ranges: every draw is the
    plain one."""
    import numpy as np

    terms = len(matrix.terms)
    if matrix.method == "wsjf" or not terms:
        return score_draws(matrix, np.zeros((size, terms))).own.copy()
    alpha = np.where(weights > 0, weights * concentration, 0.0)
    drawn = np.zeros((size, terms))
    positive = alpha > 0
    drawn[:, positive] = rng.dirichlet(alpha[positive], size=size)
    ranged = matrix.high > matrix.low
    values = np.broadcast_to(matrix.low, (size, *matrix.low.shape)).copy()
    if ranged.any():
        u = rng.random(values.shape)
        # A range whose value is not its midpoint (the raters' median inside their
        # quartiles): half the draws fall below the value and half above, so that the
        # draws centre on the value the ranking uses; a midpoint range stays uniform.
        # a mean can lie outside the raters' quartiles: the draws stay inside the range
        centre = np.clip(matrix.value, matrix.low, matrix.high)
        below, above = centre - matrix.low, matrix.high - centre
        split = np.where(u < 0.5, 2 * u * below, below + (2 * u - 1) * above)
        uniform = u * (matrix.high - matrix.low)
        values += np.where(np.isclose(below, above), uniform, split) * ranged
    own: np.ndarray = score_draws(matrix, drawn, values).own
    return own


# --------------------------------------------------------------------------- levers


@dataclass(frozen=True)
class Lever:
    """A single score change that would move a project above the one ranked before it."""

    criterion: str
    current: float
    needed: float
    above: str


def levers(portfolio: Portfolio, ranking: Ranking, project_id: str) -> tuple[list[Lever], str]:
    """For each criterion, the value it would need (within its scale) for the project
    to overtake the one ranked just above it; and a sentence when none can."""
    entries = ranking.entries
    entry = ranking.by_id()[project_id]
    if entry.rank == 1:
        return [], say("no-lever:first", "it is ranked first")
    above = entries[entry.rank - 2]
    if above.band < entry.band:
        return [], say(
            "no-lever:band",
            "{id} above it is in the band '{band}'; only a decision, not a score, moves it there",
            id=above.id,
            band=above.band_name,
        )
    if above.id in _all_prerequisites(portfolio, project_id):
        return [], say(
            "no-lever:prerequisite", "{id} above it is one of its prerequisites", id=above.id
        )
    if ranking.method == "wsjf":
        return [], say("no-lever:wsjf", "WSJF has no criteria to change; see the wsjf block")
    criteria = portfolio.strategy.criteria
    # a weighted sum scores each project alone; TOPSIS scores it against all the others
    projects = [entry.project] if ranking.method == "weighted_sum" else [e.project for e in entries]
    matrix = score_matrix(
        ranking.method, projects, criteria, portfolio.strategy.scoring.missing_scores
    )
    row = next(i for i, p in enumerate(projects) if p.id == project_id)
    weights = matrix.weight_array(ranking.weights.values)
    found = []
    for j, c in enumerate(criteria):
        current = float(matrix.value[row, j])
        steps = [
            c.scale[0] + (c.scale[1] - c.scale[0]) * k / LEVER_STEPS for k in range(LEVER_STEPS + 1)
        ]
        if c.direction == "cost":
            steps = [s for s in reversed(steps) if s < current]
        else:
            steps = [s for s in steps if s > current]
        value = _first_overtaking(matrix, weights, row, j, steps, above.score)
        if value is not None:
            found.append(Lever(c.id, current, round(value, 2), above.id))
    if not found:
        return [], say(
            "no-lever:none", "no single score within its scale lifts it above {id}", id=above.id
        )
    return found, ""


def _first_overtaking(
    matrix: ScoreMatrix,
    weights: np.ndarray,
    row: int,
    column: int,
    steps: list[float],
    target: float,
) -> float | None:
    """The first step that, as the project's value of the criterion, gives it an own
    score above ``target``; each batch of steps is one call with exact draws."""
    import numpy as np

    start, size = 0, 1
    while start < len(steps):
        batch = np.array(steps[start : start + size], dtype=float)
        values = np.broadcast_to(matrix.value, (len(batch), *matrix.value.shape)).copy()
        values[:, row, column] = batch
        drawn = np.broadcast_to(weights, (len(batch), len(weights)))
        own = score_draws(matrix, drawn, values, exact=True).own[:, row]
        above = np.flatnonzero(own > target + 1e-9)
        if above.size:
            return float(batch[above[0]])
        start, size = start + size, min(2 * size, LEVER_BATCH)
    return None


def _all_prerequisites(portfolio: Portfolio, project_id: str) -> set[str]:
    seen: set[str] = set()
    stack = [project_id]
    while stack:
        for dep in portfolio.projects[stack.pop()].depends_on:
            if dep not in seen and dep in portfolio.projects:
                seen.add(dep)
                stack.append(dep)
    return seen
