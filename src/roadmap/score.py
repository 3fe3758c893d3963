"""Criteria weights (direct or AHP), scoring methods, gates, dependency pull, decision
bands and the ranking's robustness. Pure: portfolio in, ranking out.

A ranking is built in five steps:

1. weights: ``criteria[].weight`` normalized to sum 1, or the principal eigenvector of
   the AHP ``pairwise`` matrix (with Saaty's consistency ratio);
2. each project's *own score* by the method (weighted sum, WSJF or TOPSIS); a score
   given as a range ``[low, high]`` counts with its midpoint, a missing one as the
   criterion's scale minimum;
3. gates: a project below a criterion's ``gate`` is not eligible;
4. dependency pull: a prerequisite is worth at least as much as the best project that
   needs it (transitively) and joins that project's decision band;
5. order: decision band (must, should, none, could, won't, not eligible), then score,
   own score and id, never a project before one it depends on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import ScoringError
from .graph import ordered_by_priority
from .model import CLOSED_STATUSES, Criterion, Portfolio, Project, ScoreValue, Strategy

if TYPE_CHECKING:
    import numpy as np

# Scores are sums of floats. They are added with math.fsum (exact, the same on every
# Python) and compared at this many decimals, so that two scores equal on paper tie and
# the tie is broken by id on every platform.
TIE_DIGITS = 9

METHODS = ("weighted_sum", "wsjf", "topsis")
WSJF_TERMS = ("business_value", "time_criticality", "risk_reduction")
BANDS = ("must", "should", "none", "could", "wont", "not eligible")
NOT_ELIGIBLE = len(BANDS) - 1
_DECISION_BAND = {"must": 0, "should": 1, None: 2, "could": 3, "wont": 4}

# Saaty's random consistency index by matrix size (Saaty 1980, extended table).
RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}
CONSISTENCY_LIMIT = 0.10

# --------------------------------------------------------------------------- weights


@dataclass(frozen=True)
class Ahp:
    weights: dict[str, float]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float


def pairwise_matrix(
    criteria: Sequence[str], pairwise: dict[str, dict[str, float]]
) -> list[list[float]]:
    """The reciprocal comparison matrix; every pair must be compared once (or twice,
    reciprocally). Raises ScoringError naming what is missing or contradicts."""
    index = {c: i for i, c in enumerate(criteria)}
    n = len(criteria)
    matrix = [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]
    for row, comparisons in pairwise.items():
        for col, value in comparisons.items():
            if row not in index or col not in index:
                continue  # validate reports unknown criteria
            i, j = index[row], index[col]
            if i == j:
                if value != 1:
                    raise ScoringError(
                        f"pairwise.{row}.{col} compares a criterion with "
                        f"itself: it must be 1, not {value:g}",
                        ("pairwise", row, col),
                    )
                continue
            for a, b, v in ((i, j, value), (j, i, 1 / value)):
                if matrix[a][b] and not math.isclose(matrix[a][b], v, rel_tol=1e-6):
                    raise ScoringError(
                        f"pairwise.{row}.{col} = {value:g} contradicts "
                        f"pairwise.{col}.{row}: the two must be reciprocal "
                        f"(give one of them)",
                        ("pairwise", row, col),
                    )
                matrix[a][b] = v
    missing = [
        f"{criteria[i]}/{criteria[j]}"
        for i in range(n)
        for j in range(i + 1, n)
        if not matrix[i][j]
    ]
    if missing:
        raise ScoringError(
            f"pairwise comparisons are incomplete: compare {', '.join(missing[:6])}"
            f"{' …' if len(missing) > 6 else ''} (every pair of criteria once)",
            ("pairwise",),
        )
    return matrix


def ahp(criteria: Sequence[str], pairwise: dict[str, dict[str, float]]) -> Ahp:
    """Weights as the principal eigenvector of the pairwise matrix (power iteration,
    exact for a positive reciprocal matrix by Perron–Frobenius) and Saaty's CR."""
    matrix = pairwise_matrix(criteria, pairwise)
    n = len(criteria)
    vector = [1.0 / n] * n
    for _ in range(1000):
        product = [math.fsum(row[j] * vector[j] for j in range(n)) for row in matrix]
        total = math.fsum(product)
        new = [x / total for x in product]
        done = max(abs(a - b) for a, b in zip(new, vector, strict=True)) < 1e-13
        vector = new
        if done:
            break
    product = [math.fsum(row[j] * vector[j] for j in range(n)) for row in matrix]
    lambda_max = math.fsum(product[i] / vector[i] for i in range(n)) / n
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX.get(n, 1.59)
    cr = ci / ri if ri else 0.0
    return Ahp(dict(zip(criteria, vector, strict=True)), lambda_max, ci, max(cr, 0.0))


@dataclass(frozen=True)
class Weights:
    values: dict[str, float]  # normalized: they sum to 1
    source: str  # "weights" or "pairwise"
    ahp: Ahp | None = None


def criterion_weights(strategy: Strategy) -> Weights:
    ids = [c.id for c in strategy.criteria]
    if strategy.pairwise:
        result = ahp(ids, strategy.pairwise)
        return Weights(result.weights, "pairwise", result)
    total = math.fsum(c.weight for c in strategy.criteria)
    if strategy.criteria and total <= 0:
        raise ScoringError(
            "all criterion weights are 0; give at least one a positive weight", ("criteria",)
        )
    return Weights({c.id: c.weight / total for c in strategy.criteria}, "weights")


# --------------------------------------------------------------------------- own scores


def midpoint(value: ScoreValue) -> float:
    return (value[0] + value[1]) / 2 if isinstance(value, list) else float(value)


def raw_scores(project: Project, criteria: Sequence[Criterion]) -> tuple[list[float], list[str]]:
    """The value per criterion (midpoint of a range; scale minimum when missing) and
    the criteria that were missing."""
    values, missing = [], []
    for c in criteria:
        given = project.scores.get(c.id)
        if given is None:
            missing.append(c.id)
            values.append(c.scale[0])
        else:
            values.append(midpoint(given))
    return values, missing


def normalized(value: float, criterion: Criterion) -> float:
    """0..1 over the criterion's scale; a cost criterion inverted (less is better)."""
    low, high = criterion.scale
    share = (value - low) / (high - low) if high > low else 0.0
    return 1 - share if criterion.direction == "cost" else share


@dataclass
class OwnScore:
    own: float
    breakdown: dict[str, float]  # what each criterion (or WSJF term) contributes
    normalized: dict[str, float] = field(default_factory=dict)
    raw: dict[str, float] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def weighted_sum(
    projects: Sequence[Project], criteria: Sequence[Criterion], weights: dict[str, float]
) -> list[OwnScore]:
    result = []
    for project in projects:
        values, missing = raw_scores(project, criteria)
        norm = {c.id: normalized(v, c) for c, v in zip(criteria, values, strict=True)}
        contribution = {c: 100 * weights[c] * n for c, n in norm.items()}
        result.append(
            OwnScore(
                math.fsum(contribution.values()),
                contribution,
                norm,
                {c.id: v for c, v in zip(criteria, values, strict=True)},
                missing,
            )
        )
    return result


def wsjf(projects: Sequence[Project]) -> list[OwnScore]:
    """Weighted shortest job first: (business value + time criticality + risk reduction)
    / job size. A project without a ``wsjf`` block scores 0 (and says so)."""
    result = []
    for project in projects:
        block = project.wsjf
        if block is None:
            result.append(OwnScore(0.0, dict.fromkeys(WSJF_TERMS, 0.0), missing=["wsjf"]))
            continue
        terms = {t: getattr(block, t) / block.job_size for t in WSJF_TERMS}
        result.append(
            OwnScore(
                math.fsum(terms.values()),
                terms,
                raw={**{t: getattr(block, t) for t in WSJF_TERMS}, "job_size": block.job_size},
            )
        )
    return result


def topsis_closeness(
    matrix: list[list[float]], weights: Sequence[float], benefit: Sequence[bool]
) -> list[float]:
    """TOPSIS (Hwang & Yoon): vector-normalize each column, weight it, and give each
    row's relative closeness d⁻ / (d⁺ + d⁻) to the ideal (0..1)."""
    columns = len(weights)
    norms = [math.sqrt(math.fsum(row[j] ** 2 for row in matrix)) for j in range(columns)]
    weighted = [
        [(row[j] / norms[j] if norms[j] else 0.0) * weights[j] for j in range(columns)]
        for row in matrix
    ]
    ideal, anti = [], []
    for j in range(columns):
        column = [row[j] for row in weighted]
        best, worst = (max(column), min(column)) if benefit[j] else (min(column), max(column))
        ideal.append(best)
        anti.append(worst)
    closeness = []
    for row in weighted:
        d_plus = math.sqrt(math.fsum((v - i) ** 2 for v, i in zip(row, ideal, strict=True)))
        d_minus = math.sqrt(math.fsum((v - a) ** 2 for v, a in zip(row, anti, strict=True)))
        closeness.append(d_minus / (d_plus + d_minus) if d_plus + d_minus else 0.5)
    return closeness


def topsis(
    projects: Sequence[Project], criteria: Sequence[Criterion], weights: dict[str, float]
) -> list[OwnScore]:
    rows, missing = [], []
    for project in projects:
        values, lacking = raw_scores(project, criteria)
        rows.append(values)
        missing.append(lacking)
    w = [weights[c.id] for c in criteria]
    closeness = topsis_closeness(rows, w, [c.direction == "benefit" for c in criteria])
    norms = [math.sqrt(math.fsum(row[j] ** 2 for row in rows)) or 1.0 for j in range(len(criteria))]
    result = []
    for row, close, lacking in zip(rows, closeness, missing, strict=True):
        breakdown = {c.id: 100 * w[j] * row[j] / norms[j] for j, c in enumerate(criteria)}
        result.append(
            OwnScore(
                100 * close,
                breakdown,
                {c.id: row[j] / norms[j] for j, c in enumerate(criteria)},
                {c.id: row[j] for j, c in enumerate(criteria)},
                lacking,
            )
        )
    return result


def own_scores(
    method: str,
    projects: Sequence[Project],
    criteria: Sequence[Criterion],
    weights: dict[str, float],
) -> list[OwnScore]:
    if method == "weighted_sum":
        return weighted_sum(projects, criteria, weights)
    if method == "wsjf":
        return wsjf(projects)
    if method == "topsis":
        return topsis(projects, criteria, weights)
    raise ScoringError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")


def gate_misses(project: Project, criteria: Sequence[Criterion]) -> list[tuple[Criterion, float]]:
    """The gated criteria the project's score stays below, with its value."""
    misses = []
    for c in criteria:
        if c.gate is None:
            continue
        given = project.scores.get(c.id)
        value = midpoint(given) if given is not None else c.scale[0]
        if value < c.gate:
            misses.append((c, value))
    return misses


def gate_failures(project: Project, criteria: Sequence[Criterion]) -> list[str]:
    return [
        f"{c.id} {value:g} is below its gate {c.gate:g}"
        for c, value in gate_misses(project, criteria)
    ]


# --------------------------------------------------------------------------- ranking


@dataclass
class Ranked:
    project: Project
    own: OwnScore
    score: float  # after dependency pull
    band: int  # index into BANDS
    pulled_by: list[str] = field(default_factory=list)
    band_from: str | None = None  # the dependent that pulled it into a better band
    gate_failures: list[str] = field(default_factory=list)
    waits_for: list[str] = field(default_factory=list)  # prerequisites ranked in a later band
    rank: int = 0
    rank_low: int | None = None
    rank_high: int | None = None
    p_top: float | None = None

    @property
    def id(self) -> str:
        return self.project.id

    @property
    def band_name(self) -> str:
        return BANDS[self.band]


@dataclass
class Ranking:
    method: str
    weights: Weights
    entries: list[Ranked]
    dependency_pull: bool
    notes: list[str] = field(default_factory=list)
    robustness_draws: int = 0
    top: int = 10

    def by_id(self) -> dict[str, Ranked]:
        return {e.id: e for e in self.entries}


def select(portfolio: Portfolio, statuses: Sequence[str] | None = None) -> list[Project]:
    """The projects to rank: the given statuses, or everything not done or cancelled."""
    wanted = set(statuses) if statuses else None
    return [
        p
        for _, p in sorted(portfolio.projects.items())
        if (p.status in wanted if wanted else p.status not in CLOSED_STATUSES)
    ]


def rank(
    portfolio: Portfolio,
    method: str | None = None,
    statuses: Sequence[str] | None = None,
    dependency_pull: bool | None = None,
) -> Ranking:
    strategy = portfolio.strategy
    method = method or strategy.scoring.method
    pull = strategy.scoring.dependency_pull if dependency_pull is None else dependency_pull
    projects = select(portfolio, statuses)
    weights = criterion_weights(strategy)
    scores = own_scores(method, projects, strategy.criteria, weights.values)
    entries = {
        p.id: Ranked(
            p,
            s,
            s.own,
            _DECISION_BAND[p.decision],
            gate_failures=gate_failures(p, strategy.criteria),
        )
        for p, s in zip(projects, scores, strict=True)
    }
    for entry in entries.values():
        if entry.gate_failures:
            entry.band = NOT_ELIGIBLE
    if pull:
        _pull(entries)
    order = ordered_by_priority(
        {i: e.project.depends_on for i, e in entries.items()},
        key=lambda i: (
            entries[i].band,
            -round(entries[i].score, TIE_DIGITS),
            -round(entries[i].own.own, TIE_DIGITS),
            i,
        ),
    )
    ranked = [entries[i] for i in order]
    for position, entry in enumerate(ranked, start=1):
        entry.rank = position
        entry.waits_for = sorted(
            d for d in entry.project.depends_on if d in entries and entries[d].band > entry.band
        )
    return Ranking(method, weights, ranked, pull, _notes(ranked, weights, method))


def _pull(entries: dict[str, Ranked]) -> None:
    """Dependents pass their score and band down to their prerequisites, transitively.
    A dependent decided ``wont`` or not eligible pulls nothing."""
    prerequisites = {
        i: [d for d in e.project.depends_on if d in entries] for i, e in entries.items()
    }
    order = ordered_by_priority(prerequisites)
    for dependent_id in reversed(order):  # dependents before their prerequisites
        dependent = entries[dependent_id]
        if dependent.band >= _DECISION_BAND["wont"]:
            continue
        sources = dependent.pulled_by or [dependent_id]
        for prerequisite_id in prerequisites[dependent_id]:
            prerequisite = entries[prerequisite_id]
            if prerequisite.band == NOT_ELIGIBLE:
                continue
            if dependent.score > prerequisite.score + 1e-12:
                prerequisite.score = dependent.score
                prerequisite.pulled_by = list(sources)
            elif (
                math.isclose(dependent.score, prerequisite.score, abs_tol=1e-12)
                and prerequisite.pulled_by
            ):
                prerequisite.pulled_by = sorted(set(prerequisite.pulled_by) | set(sources))
            if dependent.band < prerequisite.band:
                prerequisite.band = dependent.band
                prerequisite.band_from = dependent.band_from or dependent_id


def _notes(ranked: list[Ranked], weights: Weights, method: str) -> list[str]:
    notes = []
    if weights.ahp and weights.ahp.consistency_ratio > CONSISTENCY_LIMIT:
        notes.append(
            f"the pairwise comparisons are inconsistent: consistency ratio "
            f"{weights.ahp.consistency_ratio:.2f} > {CONSISTENCY_LIMIT:.2f}; "
            "revise the comparisons before relying on the weights"
        )
    lacking = [e.id for e in ranked if e.own.missing]
    if lacking:
        what = (
            "no wsjf block (scored 0)"
            if method == "wsjf"
            else ("missing scores, counted as the scale minimum")
        )
        shown = ", ".join(lacking[:5]) + (
            f" and {len(lacking) - 5} more" if len(lacking) > 5 else ""
        )
        notes.append(f"{len(lacking)} project{'s' * (len(lacking) != 1)} with {what}: {shown}")
    return notes


# --------------------------------------------------------------------------- robustness


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
    its tie-breaking search, which cannot be vectorized)."""
    import numpy as np

    entries = ranking.entries
    n = len(entries)
    ranking.robustness_draws, ranking.top = draws, top
    if n == 0 or draws <= 0:
        return
    rng = np.random.default_rng(seed)
    criteria = portfolio.strategy.criteria
    ids = [e.id for e in entries]
    position = {pid: i for i, pid in enumerate(ids)}
    band = np.array([e.band for e in entries])
    depth = _depths(entries, position)
    edges = [
        (position[d], position[e.id])
        for e in entries
        for d in e.project.depends_on
        if d in position
    ]
    pulls = band < _DECISION_BAND["wont"]
    ranks = np.empty((draws, n), dtype=np.int32)
    chunk = max(1, min(draws, 2_000_000 // max(1, n * max(1, len(criteria)))))
    for start in range(0, draws, chunk):
        size = min(chunk, draws - start)
        own = _sampled_own_scores(ranking, criteria, entries, size, rng, concentration)
        score = own.copy()
        if ranking.dependency_pull:
            for prerequisite, dependent in sorted(edges, key=lambda e: -depth[e[1]]):
                if pulls[dependent] and band[prerequisite] != NOT_ELIGIBLE:
                    np.maximum(
                        score[:, prerequisite], score[:, dependent], out=score[:, prerequisite]
                    )
        for row in range(size):
            order = np.lexsort(
                (-np.round(own[row], TIE_DIGITS), depth, -np.round(score[row], TIE_DIGITS), band)
            )
            ranks[start + row, order] = np.arange(1, n + 1)
    low = np.quantile(ranks, 0.05, axis=0, method="inverted_cdf")
    high = np.quantile(ranks, 0.95, axis=0, method="inverted_cdf")
    p_top = (ranks <= top).mean(axis=0)
    for i, entry in enumerate(entries):
        entry.rank_low, entry.rank_high = int(low[i]), int(high[i])
        entry.p_top = float(p_top[i])


def _depths(entries: list[Ranked], position: dict[str, int]) -> np.ndarray:
    import numpy as np

    depth = np.zeros(len(entries), dtype=np.int64)
    for i, entry in enumerate(entries):  # entries are in dependency order already
        for d in entry.project.depends_on:
            if d in position:
                depth[i] = max(depth[i], depth[position[d]] + 1)
    return depth


def _sampled_own_scores(
    ranking: Ranking,
    criteria: Sequence[Criterion],
    entries: list[Ranked],
    size: int,
    rng: Any,
    concentration: float,
) -> np.ndarray:
    import numpy as np

    n = len(entries)
    if ranking.method == "wsjf" or not criteria:
        return np.tile(np.array([e.own.own for e in entries]), (size, 1))
    w = np.array([ranking.weights.values[c.id] for c in criteria])
    alpha = np.where(w > 0, w * concentration, 0.0)
    sampled = np.zeros((size, len(criteria)))
    positive = alpha > 0
    sampled[:, positive] = rng.dirichlet(alpha[positive], size=size)
    low = np.empty((n, len(criteria)))
    high = np.empty((n, len(criteria)))
    for i, entry in enumerate(entries):
        for j, c in enumerate(criteria):
            given = entry.project.scores.get(c.id)
            lo, hi = (
                given if isinstance(given, list) else [c.scale[0] if given is None else given] * 2
            )
            low[i, j], high[i, j] = lo, hi
    ranged = high > low
    values = np.broadcast_to(low, (size, n, len(criteria))).copy()
    if ranged.any():
        values += rng.random((size, n, len(criteria))) * (high - low) * ranged
    scale_low = np.array([c.scale[0] for c in criteria])
    scale_high = np.array([c.scale[1] for c in criteria])
    benefit = np.array([c.direction == "benefit" for c in criteria])
    if ranking.method == "weighted_sum":
        span = np.where(scale_high > scale_low, scale_high - scale_low, 1.0)
        share = (values - scale_low) / span
        share = np.where(benefit, share, 1 - share)
        result: np.ndarray = 100 * np.einsum("dnc,dc->dn", share, sampled)
        return result
    norms = np.sqrt((values**2).sum(axis=1, keepdims=True))  # TOPSIS, as topsis() does it
    weighted = np.divide(values, norms, out=np.zeros_like(values), where=norms > 0)
    weighted *= sampled[:, None, :]
    best = np.where(benefit, weighted.max(axis=1), weighted.min(axis=1))[:, None, :]
    worst = np.where(benefit, weighted.min(axis=1), weighted.max(axis=1))[:, None, :]
    d_plus = np.sqrt(((weighted - best) ** 2).sum(axis=2))
    d_minus = np.sqrt(((weighted - worst) ** 2).sum(axis=2))
    total = d_plus + d_minus
    closeness: np.ndarray = np.divide(d_minus, total, out=np.full_like(total, 0.5), where=total > 0)
    return 100 * closeness


# --------------------------------------------------------------------------- explain


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
        return [], "it is ranked first"
    above = entries[entry.rank - 2]
    if above.band < entry.band:
        return [], (
            f"{above.id} above it is in the band '{above.band_name}'; only a "
            "decision, not a score, moves it there"
        )
    if above.id in _all_prerequisites(portfolio, project_id):
        return [], f"{above.id} above it is one of its prerequisites"
    if ranking.method == "wsjf":
        return [], "WSJF has no criteria to change; see the wsjf block"
    target = above.score
    criteria = portfolio.strategy.criteria
    found = []
    for c in criteria:
        current = (
            midpoint(entry.project.scores[c.id]) if c.id in entry.project.scores else c.scale[0]
        )
        steps = [c.scale[0] + (c.scale[1] - c.scale[0]) * k / 200 for k in range(201)]
        if c.direction == "cost":
            steps = [s for s in reversed(steps) if s < current]
        else:
            steps = [s for s in steps if s > current]
        for value in steps:
            changed = entry.project.model_copy(
                update={"scores": {**entry.project.scores, c.id: value}}
            )
            if _own_with(portfolio, ranking, changed) > target + 1e-9:
                found.append(Lever(c.id, current, round(value, 2), above.id))
                break
    if not found:
        return [], f"no single score within its scale lifts it above {above.id}"
    return found, ""


def _own_with(portfolio: Portfolio, ranking: Ranking, changed: Project) -> float:
    criteria = portfolio.strategy.criteria
    if ranking.method == "weighted_sum":
        return weighted_sum([changed], criteria, ranking.weights.values)[0].own
    projects = [changed if e.id == changed.id else e.project for e in ranking.entries]
    scores = topsis(projects, criteria, ranking.weights.values)
    return next(s.own for p, s in zip(projects, scores, strict=True) if p.id == changed.id)


def _all_prerequisites(portfolio: Portfolio, project_id: str) -> set[str]:
    seen: set[str] = set()
    stack = [project_id]
    while stack:
        for dep in portfolio.projects[stack.pop()].depends_on:
            if dep not in seen and dep in portfolio.projects:
                seen.add(dep)
                stack.append(dep)
    return seen
