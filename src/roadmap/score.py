"""Criteria weights (direct or AHP), the scorer, gates, dependency pull and decision
bands. Pure: portfolio in, ranking out. One module on purpose (the one scorer, issue
13): its five steps share the score matrix and read in the order they run.

A ranking is built in five steps:

1. weights: ``criteria[].weight`` normalized to sum 1, or the principal eigenvector of
   the AHP ``pairwise`` matrix (with Saaty's consistency ratio);
2. each project's *own score* by the method (weighted sum, WSJF or TOPSIS); a score
   given as a range ``[low, high]`` counts with its midpoint, a missing one as the
   criterion's worst value (scale minimum for a benefit, maximum for a cost: a gap is
   no reward), or its scale minimum with ``scoring.missing_scores: minimum``. One
   vectorised scorer (``score_draws``) scores any number of draws of the weights at
   once; the plain ranking is one exact draw at the given weights, robustness.py
   scores its draws with it too;
3. gates: a project below a criterion's ``gate`` is not eligible;
4. dependency pull: a prerequisite is worth at least as much as the best project that
   needs it (transitively) and joins that project's decision band;
5. order: decision band (must, should, none, could, won't, not eligible), then score,
   own score and id, never a project before one it depends on.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .ahp import CONSISTENCY_LIMIT as CONSISTENCY_LIMIT
from .ahp import Ahp as Ahp
from .ahp import ahp as ahp
from .errors import ScoringError, say, say_plural
from .graph import DependencyIndex
from .model import (
    CLOSED_STATUSES,
    Criterion,
    Portfolio,
    Project,
    RatedProject,
    Strategy,
    midpoint,
)

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
WONT = BANDS.index("wont")  # a dependent in this band or after it pulls nothing
_DECISION_BAND = {"must": 0, "should": 1, None: 2, "could": 3, "wont": WONT}

# --------------------------------------------------------------------------- weights


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


@dataclass(frozen=True)
class ScoreMatrix:
    """What a method scores, as arrays over projects × terms (the criteria; for WSJF its
    three terms, each already divided by the job size): the value that counts (a
    range's midpoint, a missing score's scale minimum), the ends of each range for
    robustness draws, and per term its direction and scale."""

    method: str
    terms: tuple[str, ...]
    value: np.ndarray  # projects × terms
    low: np.ndarray  # projects × terms: a range's low end, else the value
    high: np.ndarray  # projects × terms: a range's high end, else the value
    benefit: np.ndarray  # terms: True where more is better
    scale_low: np.ndarray  # terms
    scale_high: np.ndarray  # terms
    raw: list[dict[str, float]]  # per project: the values explain shows as given
    missing: list[list[str]]  # per project: the terms it lacks (or ["wsjf"])

    def weight_array(self, weights: dict[str, float]) -> np.ndarray:
        """The weights in the order of the terms (WSJF has none: its terms add up)."""
        import numpy as np

        if self.method == "wsjf":
            return np.zeros(len(self.terms))
        return np.array([weights[t] for t in self.terms], dtype=float)


def missing_value(criterion: Criterion, rule: str = "worst") -> float:
    """What a missing score counts as: the criterion's worst value (``worst``), or its
    scale minimum (``minimum``, which favours a project that leaves a cost blank)."""
    low, high = criterion.scale
    if rule == "worst" and criterion.direction == "cost":
        return high
    return low


def score_matrix(
    method: str,
    projects: Sequence[Project],
    criteria: Sequence[Criterion],
    missing_scores: str = "worst",
) -> ScoreMatrix:
    """The matrix the method scores; raises ScoringError for an unknown method. A
    missing score counts as :func:`missing_value` under the ``missing_scores`` rule."""
    import numpy as np

    if method not in METHODS:
        raise ScoringError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    if method == "wsjf":
        return _wsjf_matrix(projects)
    value: list[list[float]] = []
    low: list[list[float]] = []
    high: list[list[float]] = []
    raw: list[dict[str, float]] = []
    missing: list[list[str]] = []
    for project in projects:
        row_value, row_low, row_high = [], [], []
        lacking: list[str] = []
        # raters' spread: the value is their median or mean, not the range's midpoint
        spread = project.score_ranges if isinstance(project, RatedProject) else {}
        for c in criteria:
            given = project.scores.get(c.id)
            if given is None:
                lacking.append(c.id)
                lo = hi = mid = missing_value(c, missing_scores)
            elif c.id in spread and not isinstance(given, list):
                (lo, hi), mid = spread[c.id], float(given)
            elif isinstance(given, list):
                (lo, hi), mid = given, midpoint(given)
            else:
                lo = hi = mid = float(given)
            row_value.append(mid)
            row_low.append(lo)
            row_high.append(hi)
        value.append(row_value)
        low.append(row_low)
        high.append(row_high)
        raw.append({c.id: v for c, v in zip(criteria, row_value, strict=True)})
        missing.append(lacking)
    shape = (len(projects), len(criteria))
    return ScoreMatrix(
        method,
        tuple(c.id for c in criteria),
        np.array(value, dtype=float).reshape(shape),
        np.array(low, dtype=float).reshape(shape),
        np.array(high, dtype=float).reshape(shape),
        np.array([c.direction == "benefit" for c in criteria], dtype=bool),
        np.array([c.scale[0] for c in criteria], dtype=float),
        np.array([c.scale[1] for c in criteria], dtype=float),
        raw,
        missing,
    )


def _wsjf_matrix(projects: Sequence[Project]) -> ScoreMatrix:
    """Weighted shortest job first: each term (business value, time criticality, risk
    reduction) over the job size. A project without a ``wsjf`` block scores 0."""
    import numpy as np

    value: list[list[float]] = []
    raw: list[dict[str, float]] = []
    missing: list[list[str]] = []
    for project in projects:
        block = project.wsjf
        if block is None:
            value.append([0.0] * len(WSJF_TERMS))
            raw.append({})
            missing.append(["wsjf"])
            continue
        value.append([getattr(block, t) / block.job_size for t in WSJF_TERMS])
        raw.append({**{t: getattr(block, t) for t in WSJF_TERMS}, "job_size": block.job_size})
        missing.append([])
    terms = len(WSJF_TERMS)
    values = np.array(value, dtype=float).reshape(len(projects), terms)
    return ScoreMatrix(
        "wsjf",
        WSJF_TERMS,
        values,
        values,
        values,
        np.ones(terms, dtype=bool),
        np.zeros(terms),
        np.zeros(terms),
        raw,
        missing,
    )


@dataclass(frozen=True)
class Scores:
    """Every draw's scores: ``own`` is draws × projects; ``breakdown`` (what each term
    contributes) and ``normalized`` (each value on 0..1, a cost inverted; TOPSIS: over
    the column's norm) are draws × projects × terms; ``normalized`` is None for WSJF."""

    own: np.ndarray
    breakdown: np.ndarray
    normalized: np.ndarray | None


def score_draws(
    matrix: ScoreMatrix,
    weights: np.ndarray,
    values: np.ndarray | None = None,
    exact: bool = False,
) -> Scores:
    """Score every draw at once: ``weights`` is draws × terms (one row for the plain
    ranking), ``values`` draws × projects × terms when scores vary by draw (robustness
    samples inside ranges), else the matrix's values count in every draw.

    ``exact`` is the plain ranking's arithmetic: sums with math.fsum (exactly rounded,
    so independent of order and of Python's own sum(), which changed in 3.12) and squares
    as Python's ``x ** 2`` computes them; it gives the very bits of the scalar code this
    replaced, so rankings and printed scores stayed byte-identical. Without it, numpy's
    pairwise sums differ in the last bits, which robustness absorbs by comparing draws
    at TIE_DIGITS."""
    import numpy as np

    if values is None:
        values = matrix.value[None, :, :]
    shape = (weights.shape[0], *values.shape[1:])
    if matrix.method == "wsjf":
        breakdown = np.broadcast_to(values, shape)
        return Scores(_sum(breakdown, 2, exact), breakdown, None)
    if matrix.method == "weighted_sum":
        span = matrix.scale_high - matrix.scale_low
        share = np.divide(
            values - matrix.scale_low, span, out=np.zeros(values.shape), where=span > 0
        )
        normalized = np.where(matrix.benefit, share, 1 - share)  # a cost: less is better
        breakdown = (100 * weights)[:, None, :] * normalized
        return Scores(_sum(breakdown, 2, exact), breakdown, np.broadcast_to(normalized, shape))
    closeness, norms = _topsis(values, weights, matrix.benefit, exact)
    norms = np.where(norms > 0, norms, 1.0)[:, None, :]
    breakdown = (100 * weights)[:, None, :] * values / norms
    return Scores(100 * closeness, breakdown, np.broadcast_to(values / norms, shape))


def _topsis(
    values: np.ndarray, weights: np.ndarray, benefit: np.ndarray, exact: bool
) -> tuple[np.ndarray, np.ndarray]:
    """TOPSIS (Hwang & Yoon) per draw: vector-normalize each column over the projects,
    weight it, and give each project's relative closeness d⁻ / (d⁺ + d⁻) to the ideal
    (0..1; 0.5 when all projects are equal). Returns closeness (draws × projects) and the
    column norms (draws × terms)."""
    import numpy as np

    norms = np.sqrt(_sum(_square(values, exact), 1, exact))
    column = norms[:, None, :]
    unit = np.divide(values, column, out=np.zeros(values.shape), where=column != 0)
    weighted = unit * weights[:, None, :]
    draws, projects = weighted.shape[0], weighted.shape[1]
    if projects == 0:
        return np.zeros((draws, 0)), norms
    most, least = weighted.max(axis=1), weighted.min(axis=1)
    ideal = np.where(benefit, most, least)[:, None, :]
    anti = np.where(benefit, least, most)[:, None, :]
    d_plus = np.sqrt(_sum(_square(weighted - ideal, exact), 2, exact))
    d_minus = np.sqrt(_sum(_square(weighted - anti, exact), 2, exact))
    total = d_plus + d_minus
    closeness = np.divide(d_minus, total, out=np.full(total.shape, 0.5), where=total != 0)
    return closeness, norms


def _sum(array: np.ndarray, axis: int, exact: bool) -> np.ndarray:
    """Sum over one axis: exactly rounded with math.fsum, or numpy's pairwise sum."""
    import numpy as np

    if not exact:
        result: np.ndarray = array.sum(axis=axis)
        return result
    moved = np.moveaxis(array, axis, -1)
    count = math.prod(moved.shape[:-1])
    rows = moved.reshape(count, moved.shape[-1]).tolist()
    return np.fromiter(map(math.fsum, rows), dtype=float, count=count).reshape(moved.shape[:-1])


def _square(array: np.ndarray, exact: bool) -> np.ndarray:
    """Squares: numpy's x·x, or Python's ``x ** 2`` (the C library's pow, which can
    differ from x·x in the last bit; kept where results must stay as they were)."""
    import numpy as np

    if not exact:
        result: np.ndarray = array * array
        return result
    squares = map(math.pow, array.ravel().tolist(), itertools.repeat(2.0))  # as x ** 2
    return np.fromiter(squares, dtype=float, count=array.size).reshape(array.shape)


def topsis_closeness(
    matrix: list[list[float]], weights: Sequence[float], benefit: Sequence[bool]
) -> list[float]:
    """TOPSIS closeness (0..1) of each row of a plain matrix, exactly as the ranking
    computes it; for checks against published examples."""
    import numpy as np

    values = np.array(matrix, dtype=float).reshape(len(matrix), len(weights))
    closeness, _ = _topsis(
        values[None, :, :],
        np.array([weights], dtype=float),
        np.array(benefit, dtype=bool),
        exact=True,
    )
    result: list[float] = closeness[0].tolist()
    return result


@dataclass
class OwnScore:
    own: float
    breakdown: dict[str, float]  # what each criterion (or WSJF term) contributes
    normalized: dict[str, float] = field(default_factory=dict)
    raw: dict[str, float] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def own_scores(
    method: str,
    projects: Sequence[Project],
    criteria: Sequence[Criterion],
    weights: dict[str, float],
    missing_scores: str = "worst",
) -> list[OwnScore]:
    """Each project's own score at the given weights: one exact draw of score_draws."""
    matrix = score_matrix(method, projects, criteria, missing_scores)
    scores = score_draws(matrix, matrix.weight_array(weights)[None, :], exact=True)
    own: list[float] = scores.own[0].tolist()
    breakdown: list[list[float]] = scores.breakdown[0].tolist()
    normalized: list[list[float]] | None = (
        None if scores.normalized is None else scores.normalized[0].tolist()
    )
    return [
        OwnScore(
            own[i],
            dict(zip(matrix.terms, breakdown[i], strict=True)),
            {} if normalized is None else dict(zip(matrix.terms, normalized[i], strict=True)),
            matrix.raw[i],
            matrix.missing[i],
        )
        for i in range(len(projects))
    ]


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
    rated_notes: list[str] = []
    if portfolio.ratings:  # raters' files: their aggregate becomes the scores and weights
        from .rated import rated_portfolio

        portfolio, rated_notes = rated_portfolio(portfolio)
    strategy = portfolio.strategy
    method = method or strategy.scoring.method
    pull = strategy.scoring.dependency_pull if dependency_pull is None else dependency_pull
    projects = select(portfolio, statuses)
    weights = criterion_weights(strategy)
    scores = own_scores(
        method, projects, strategy.criteria, weights.values, strategy.scoring.missing_scores
    )
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
    # one index of the dependencies serves both orders (the pull's and the ranking's)
    index = DependencyIndex.of({i: e.project.depends_on for i, e in entries.items()})
    if pull:
        _pull(entries, index)
    order = index.order(
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
    notes = rated_notes + _notes(ranked, weights, method, strategy.scoring.missing_scores)
    return Ranking(method, weights, ranked, pull, notes)


def _pull(entries: dict[str, Ranked], index: DependencyIndex) -> None:
    """Dependents pass their score and band down to their prerequisites, transitively.
    A dependent decided ``wont`` or not eligible pulls nothing. ``index``: the
    dependencies among ``entries``."""
    prerequisites = {
        i: [d for d in e.project.depends_on if d in entries] for i, e in entries.items()
    }
    order = index.order()
    for dependent_id in reversed(order):  # dependents before their prerequisites
        dependent = entries[dependent_id]
        if dependent.band >= WONT:
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


def _notes(
    ranked: list[Ranked], weights: Weights, method: str, missing_scores: str = "worst"
) -> list[str]:
    """What the reader of the ranking should know (each a Message: code and
    parameters, worded at the edge)."""
    notes: list[str] = []
    if weights.ahp and weights.ahp.consistency_ratio > CONSISTENCY_LIMIT:
        notes.append(
            say(
                "ranking-note:inconsistent",
                "the pairwise comparisons are inconsistent: consistency ratio {ratio} > "
                "{limit_ratio}; revise the comparisons before relying on the weights",
                ratio=float(weights.ahp.consistency_ratio),
                limit_ratio=float(CONSISTENCY_LIMIT),
            )
        )
    lacking = [e.id for e in ranked if e.own.missing]
    if lacking:
        if method == "wsjf":
            what = say("ranking-note:missing", "no wsjf block (scored 0)")
        elif missing_scores == "worst":
            what = say(
                "ranking-note:missing", "missing scores, counted as the criterion's worst value"
            )
        else:
            what = say("ranking-note:missing", "missing scores, counted as the scale minimum")
        shown: object = lacking
        if len(lacking) > 5:
            shown = say(
                "ranking-note:missing",
                "{first} and {more} more",
                first=lacking[:5],
                more=len(lacking) - 5,
            )
        notes.append(
            say_plural(
                "ranking-note:missing",
                "{n} project with {what}: {shown}",
                "{n} projects with {what}: {shown}",
                len(lacking),
                what=what,
                shown=shown,
            )
        )
    return notes


# robustness and levers live in robustness.py; callers that still import them from here
# get them from there until they import robustness.py themselves
_MOVED = frozenset({"Lever", "levers", "robustness"})


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        from . import robustness as module

        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
