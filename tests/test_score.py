from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap import model, score
from roadmap.errors import ScoringError
from roadmap.model import Portfolio
from roadmap.score import ahp, levers, rank, robustness, topsis_closeness

from . import factories
from .strategies import acyclic_projects

CRITERIA = [
    {"id": "nutzen", "title": "Nutzen", "weight": 3, "scale": [1, 5]},
    {"id": "pflicht", "title": "Pflicht", "weight": 2, "scale": [1, 5]},
    {"id": "risiko", "title": "Risiko", "weight": 1, "scale": [1, 5], "direction": "cost"},
]


def portfolio(projects: list[dict[str, Any]], **strategy: Any) -> Portfolio:
    return factories.portfolio(projects, title=str.upper, **{"criteria": CRITERIA, **strategy})


def scores(n: float, p: float, r: float) -> dict[str, float]:
    return {"nutzen": n, "pflicht": p, "risiko": r}


# ---------------------------------------------------------------- published examples


def test_ahp_reproduces_the_wikipedia_leader_example() -> None:
    """Wikipedia, "Analytic hierarchy process – leader example": criteria Experience,
    Education, Charisma, Age with the board's comparisons; published priorities .547,
    .127, .270, .056 and a consistency ratio of 0.044."""
    pairwise = {
        "experience": {"education": 4, "charisma": 3, "age": 7},
        "education": {"charisma": 1 / 3, "age": 3},
        "charisma": {"age": 5},
    }
    result = ahp(["experience", "education", "charisma", "age"], pairwise)
    published = {"experience": 0.547, "education": 0.127, "charisma": 0.270, "age": 0.056}
    for criterion, weight in published.items():
        assert result.weights[criterion] == pytest.approx(weight, abs=0.0015)
    assert result.consistency_ratio == pytest.approx(0.044, abs=0.001)


def test_topsis_reproduces_roszkowska_example_1() -> None:
    """E. Roszkowska (2011), "Multi-criteria decision making models by applying the
    TOPSIS method to crisp and interval data", Multiple Criteria Decision Making 6,
    Example 1: five alternatives, four criteria (C2 a cost), weights .175/.425/.175/.225;
    published closeness 0.5355, 0.4349, 0.5575, 0.5170, 0.3706 → A3 > A1 > A4 > A2 > A5."""
    matrix = [[7, 21, 4, 7], [7, 24, 6, 4], [14, 25, 3, 8], [14, 26, 9, 3], [21, 35, 4, 4]]
    closeness = topsis_closeness(matrix, [0.175, 0.425, 0.175, 0.225], [True, False, True, True])
    assert closeness == pytest.approx([0.535497, 0.434945, 0.557491, 0.516961, 0.370633], abs=1e-6)
    order = sorted(range(5), key=lambda i: -closeness[i])
    assert [f"A{i + 1}" for i in order] == ["A3", "A1", "A4", "A2", "A5"]


def test_incomplete_or_contradicting_pairwise_is_an_error() -> None:
    with pytest.raises(ScoringError, match="incomplete: compare a/c, b/c"):
        ahp(["a", "b", "c"], {"a": {"b": 3}})
    with pytest.raises(ScoringError, match="contradicts"):
        ahp(["a", "b"], {"a": {"b": 3}, "b": {"a": 3}})


# ---------------------------------------------------------------- methods


def test_weighted_sum_normalizes_inverts_costs_and_counts_missing_as_worst() -> None:
    projects = [
        {"id": "aa", "scores": scores(5, 5, 1)},
        {"id": "bb", "scores": scores(1, 1, 5)},
        {"id": "cc", "scores": {"nutzen": 3}},
    ]
    ranking = rank(portfolio(projects))
    by_id = ranking.by_id()
    assert by_id["aa"].own.own == pytest.approx(100)
    assert by_id["bb"].own.own == pytest.approx(0)
    # nutzen 3 → 0.5 × 3/6; pflicht missing → its minimum (0); risiko missing → its
    # maximum, the worst cost (0): a gap is no reward
    assert by_id["cc"].own.own == pytest.approx(100 * (0.5 * 3 / 6))
    assert by_id["cc"].own.missing == ["pflicht", "risiko"]
    assert ranking.notes == [
        "1 project with missing scores, counted as the criterion's worst value: cc"
    ]
    # the old rule, when the strategy asks for it: the scale minimum, the best cost
    lenient = portfolio(projects, scoring={"missing_scores": "minimum"})
    old = rank(lenient)
    assert old.by_id()["cc"].own.own == pytest.approx(100 * (0.5 * 3 / 6 + 1 / 6))
    assert old.notes == ["1 project with missing scores, counted as the scale minimum: cc"]


def test_score_range_counts_with_its_midpoint() -> None:
    data = portfolio(
        [
            {"id": "aa", "scores": {"nutzen": [2, 4], "pflicht": 3, "risiko": 3}},
            {"id": "bb", "scores": scores(3, 3, 3)},
        ]
    )
    by_id = rank(data).by_id()
    assert by_id["aa"].own.own == pytest.approx(by_id["bb"].own.own)


def test_wsjf_is_value_over_job_size() -> None:
    data = portfolio(
        [
            {
                "id": "aa",
                "wsjf": {
                    "business_value": 8,
                    "time_criticality": 5,
                    "risk_reduction": 2,
                    "job_size": 5,
                },
            },
            {"id": "bb"},
        ]
    )
    ranking = rank(data, method="wsjf")
    assert [e.id for e in ranking.entries] == ["aa", "bb"]
    assert ranking.entries[0].own.own == pytest.approx(3.0)
    assert "no wsjf block" in ranking.notes[0]


# ---------------------------------------------------------------- pull, bands, gates


def test_prerequisite_is_pulled_up_and_listed_first() -> None:
    data = portfolio(
        [
            {"id": "portal", "scores": scores(5, 5, 1), "depends_on": ["e-akte"]},
            {"id": "e-akte", "scores": scores(2, 2, 3)},
            {"id": "other", "scores": scores(4, 4, 2)},
        ]
    )
    ranking = rank(data)
    assert [e.id for e in ranking.entries] == ["e-akte", "portal", "other"]
    first = ranking.entries[0]
    assert first.score == pytest.approx(100) and first.pulled_by == ["portal"]
    unpulled = rank(data, dependency_pull=False)
    assert [e.id for e in unpulled.entries] == ["other", "e-akte", "portal"]


def test_pull_is_transitive_and_wont_pulls_nothing() -> None:
    data = portfolio(
        [
            {"id": "top", "scores": scores(5, 5, 1), "depends_on": ["mid"]},
            {"id": "mid", "scores": scores(2, 2, 3), "depends_on": ["base"]},
            {"id": "base", "scores": scores(1, 1, 5)},
            {"id": "nope", "scores": scores(5, 5, 1), "decision": "wont", "depends_on": ["solo"]},
            {"id": "solo", "scores": scores(1, 1, 5)},
        ]
    )
    by_id = rank(data).by_id()
    assert by_id["base"].score == pytest.approx(100) and by_id["base"].pulled_by == ["top"]
    assert by_id["solo"].score == pytest.approx(0) and by_id["solo"].pulled_by == []


def test_decision_bands_and_must_pulls_its_prerequisites() -> None:
    data = portfolio(
        [
            {"id": "best", "scores": scores(5, 5, 1)},
            {"id": "must1", "scores": scores(2, 2, 2), "decision": "must", "depends_on": ["pre"]},
            {"id": "pre", "scores": scores(1, 1, 1)},
            {"id": "could1", "scores": scores(5, 5, 1), "decision": "could"},
            {"id": "should1", "scores": scores(1, 1, 1), "decision": "should"},
            {"id": "wont1", "scores": scores(5, 5, 1), "decision": "wont"},
        ]
    )
    ranking = rank(data)
    assert [(e.id, e.band_name) for e in ranking.entries] == [
        ("pre", "must"),
        ("must1", "must"),
        ("should1", "should"),
        ("best", "none"),
        ("could1", "could"),
        ("wont1", "wont"),
    ]
    assert ranking.entries[0].band_from == "must1"


def test_gate_makes_a_project_ineligible_whatever_its_other_scores() -> None:
    criteria = [dict(CRITERIA[0]), {**CRITERIA[1], "gate": 2}, CRITERIA[2]]
    data = portfolio(
        [
            {"id": "strong", "scores": scores(5, 1.5, 1)},
            {"id": "weak", "scores": scores(2, 2, 3)},
        ],
        criteria=criteria,
    )
    ranking = rank(data)
    assert [e.id for e in ranking.entries] == ["weak", "strong"]
    assert ranking.entries[1].band_name == "not eligible"
    assert ranking.entries[1].gate_failures == ["pflicht 1.5 is below its gate 2"]


# ---------------------------------------------------------------- robustness, levers


def test_robustness_is_seeded_and_reports_intervals() -> None:
    data = portfolio(
        [
            {"id": f"p{i:02d}", "scores": scores(1 + i % 5, 1 + (i * 3) % 5, 1 + (i * 7) % 5)}
            for i in range(30)
        ]
    )
    first, second = rank(data), rank(data)
    robustness(data, first, 300, seed=7, top=5)
    robustness(data, second, 300, seed=7, top=5)
    assert [(e.rank_low, e.rank_high, e.p_top) for e in first.entries] == [
        (e.rank_low, e.rank_high, e.p_top) for e in second.entries
    ]
    for entry in first.entries:
        assert entry.rank_low is not None and entry.rank_high is not None
        assert 1 <= entry.rank_low <= entry.rank_high <= 30
        assert entry.p_top is not None and 0 <= entry.p_top <= 1
    assert sum(e.p_top or 0 for e in first.entries) == pytest.approx(5)


def test_lever_really_moves_the_project_up() -> None:
    data = portfolio(
        [{"id": "aa", "scores": scores(4, 3, 2)}, {"id": "bb", "scores": scores(3, 3, 2)}]
    )
    ranking = rank(data)
    found, reason = levers(data, ranking, "bb")
    assert reason == "" and found
    lever = next(lv for lv in found if lv.criterion == "nutzen")
    assert lever.above == "aa" and 4 < lever.needed <= 4.05
    changed = portfolio(
        [
            {"id": "aa", "scores": scores(4, 3, 2)},
            {"id": "bb", "scores": scores(lever.needed, 3, 2)},
        ]
    )
    assert rank(changed).entries[0].id == "bb"


# ---------------------------------------------------------------- properties


def portfolios() -> st.SearchStrategy[list[dict[str, Any]]]:
    value = st.integers(min_value=1, max_value=5)
    return acyclic_projects(
        12,
        lambda draw, i: {
            "scores": {"nutzen": draw(value), "pflicht": draw(value), "risiko": draw(value)},
            "decision": draw(st.sampled_from([None, None, None, "must", "could", "wont"])),
        },
    )


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(portfolios(), st.sampled_from(["weighted_sum", "topsis"]), st.randoms())
def test_order_respects_dependencies_and_ignores_file_order(
    projects: list[dict[str, Any]], method: str, rnd: random.Random
) -> None:
    ranking = rank(portfolio(projects), method=method)
    position = {e.id: i for i, e in enumerate(ranking.entries)}
    for e in ranking.entries:
        assert all(position[d] < position[e.id] for d in e.project.depends_on)
    shuffled = list(projects)
    rnd.shuffle(shuffled)
    again = rank(portfolio(shuffled), method=method)
    assert [(e.id, e.score) for e in again.entries] == [(e.id, e.score) for e in ranking.entries]


@PROPERTY
@given(portfolios(), st.data(), st.sampled_from(["weighted_sum", "topsis"]))
def test_better_score_never_lowers_own_score(
    projects: list[dict[str, Any]], data: Any, method: str
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(projects) - 1))
    criterion = data.draw(st.sampled_from(["nutzen", "pflicht", "risiko"]))
    before = rank(portfolio(projects), method=method).by_id()
    changed = [dict(p, scores=dict(p["scores"])) for p in projects]
    current = changed[index]["scores"][criterion]
    # a benefit score goes up, the cost criterion (risiko) goes down
    changed[index]["scores"][criterion] = (
        max(1, current - 1) if criterion == "risiko" else min(5, current + 1)
    )
    after = rank(portfolio(changed), method=method).by_id()
    pid = projects[index]["id"]
    assert after[pid].own.own >= before[pid].own.own - 1e-9


def _former_pull(entries: dict[str, Any], index: Any = None) -> None:
    """score._pull as it was before it shared the ranking's dependency index."""
    from roadmap.graph import ordered_by_priority

    prerequisites = {
        i: [d for d in e.project.depends_on if d in entries] for i, e in entries.items()
    }
    for dependent_id in reversed(ordered_by_priority(prerequisites)):
        dependent = entries[dependent_id]
        if dependent.band >= score.WONT:
            continue
        sources = dependent.pulled_by or [dependent_id]
        for prerequisite_id in prerequisites[dependent_id]:
            prerequisite = entries[prerequisite_id]
            if prerequisite.band == score.NOT_ELIGIBLE:
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


def _ranking_facts(ranking: score.Ranking) -> list[tuple[Any, ...]]:
    return [
        (e.id, e.rank, e.score, e.band, e.pulled_by, e.band_from, e.waits_for)
        for e in ranking.entries
    ]


@PROPERTY
@given(portfolios(), st.sampled_from(["weighted_sum", "topsis"]))
def test_pull_and_order_are_the_former_ones(projects: list[dict[str, Any]], method: str) -> None:
    data = portfolio(projects)
    ranking = rank(data, method=method, dependency_pull=True)
    with mock.patch.object(score, "_pull", _former_pull):
        former = rank(data, method=method, dependency_pull=True)
    assert _ranking_facts(ranking) == _ranking_facts(former)


# ---------------------------------------------------------------- one scorer
# The scorer (score.score_draws) replaced a scalar and a batched implementation. The
# scalar one stays here, as small as it was, as the reference: the plain ranking (one
# exact draw) must give its very bits, every batch of draws its values within rounding.

DATA = Path(__file__).resolve().parent.parent / "data"


def reference_own_scores(
    method: str,
    projects: list[model.Project],
    criteria: list[model.Criterion],
    weights: dict[str, float],
    missing_scores: str = "worst",
) -> list[score.OwnScore]:
    """The scalar scoring code the vectorised scorer replaced, verbatim in its arithmetic:
    math.fsum sums, Python floats, ``x ** 2`` squares (it crashed on no projects); a
    missing score is the criterion's worst value."""
    if not projects:
        return []
    if method == "wsjf":
        return [_reference_wsjf(p) for p in projects]
    rows, lacking = [], []
    for project in projects:
        values, missing = [], []
        for c in criteria:
            given = project.scores.get(c.id)
            if given is None:
                missing.append(c.id)
            worst_is_high = c.direction == "cost" and missing_scores == "worst"
            worst = c.scale[1] if worst_is_high else c.scale[0]
            values.append(worst if given is None else score.midpoint(given))
        rows.append(values)
        lacking.append(missing)
    if method == "weighted_sum":
        result = []
        for values, missing in zip(rows, lacking, strict=True):
            norm = {}
            for c, v in zip(criteria, values, strict=True):
                low, high = c.scale
                share = (v - low) / (high - low) if high > low else 0.0
                norm[c.id] = 1 - share if c.direction == "cost" else share
            contribution = {c: 100 * weights[c] * n for c, n in norm.items()}
            raw = {c.id: v for c, v in zip(criteria, values, strict=True)}
            result.append(
                score.OwnScore(math.fsum(contribution.values()), contribution, norm, raw, missing)
            )
        return result
    w = [weights[c.id] for c in criteria]
    closeness = reference_closeness(rows, w, [c.direction == "benefit" for c in criteria])
    norms = [math.sqrt(math.fsum(r[j] ** 2 for r in rows)) or 1.0 for j in range(len(criteria))]
    return [
        score.OwnScore(
            100 * close,
            {c.id: 100 * w[j] * row[j] / norms[j] for j, c in enumerate(criteria)},
            {c.id: row[j] / norms[j] for j, c in enumerate(criteria)},
            {c.id: row[j] for j, c in enumerate(criteria)},
            missing,
        )
        for row, close, missing in zip(rows, closeness, lacking, strict=True)
    ]


def _reference_wsjf(project: model.Project) -> score.OwnScore:
    block = project.wsjf
    terms = ("business_value", "time_criticality", "risk_reduction")
    if block is None:
        return score.OwnScore(0.0, dict.fromkeys(terms, 0.0), missing=["wsjf"])
    parts = {t: getattr(block, t) / block.job_size for t in terms}
    raw = {**{t: getattr(block, t) for t in terms}, "job_size": block.job_size}
    return score.OwnScore(math.fsum(parts.values()), parts, raw=raw)


def reference_closeness(
    matrix: list[list[float]], weights: list[float], benefit: list[bool]
) -> list[float]:
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


@st.composite
def scored_portfolios(draw: Any) -> Portfolio:
    """Random criteria (direction, scale, weight), projects with plain, ranged, missing
    and full-precision scores, WSJF blocks, decisions, gates and dependencies."""
    criteria = []
    for j in range(draw(st.integers(min_value=0, max_value=5))):
        low = draw(st.sampled_from([0.0, 1.0, -5.0, 0.5]))
        span = draw(st.sampled_from([0.0, 1.0, 4.0, 10.0, 100.0, 3.3]))
        criterion = {
            "id": f"c{j}",
            "title": f"C{j}",
            "weight": draw(st.sampled_from([0, 1, 2, 3, 0.7, 1 / 3])),
            "direction": draw(st.sampled_from(["benefit", "cost"])),
            "scale": [low, low + span],
        }
        if draw(st.integers(min_value=0, max_value=5)) == 0:
            criterion["gate"] = low + span / 2
        criteria.append(criterion)
    if criteria and all(c["weight"] == 0 for c in criteria):
        criteria[0]["weight"] = 1
    projects = []
    for i in range(draw(st.integers(min_value=0, max_value=12))):
        given: dict[str, Any] = {}
        for c in criteria:
            low, high = c["scale"]
            value = st.one_of(
                st.integers(min_value=0, max_value=8).map(
                    lambda k, lo=low, hi=high: lo + k * (hi - lo) / 8
                ),
                st.floats(min_value=low, max_value=high, allow_nan=False),
            )
            kind = draw(st.sampled_from(["value", "value", "range", "missing"]))
            if kind == "value":
                given[c["id"]] = draw(value)
            elif kind == "range":
                given[c["id"]] = sorted([draw(value), draw(value)])
        project: dict[str, Any] = {
            "id": f"p{i:02d}",
            "scores": given,
            "decision": draw(st.sampled_from([None, None, None, "must", "could", "wont"])),
            "depends_on": sorted(
                {f"p{d:02d}" for d in draw(st.lists(st.integers(0, max(0, i - 1)), max_size=2))}
                if i
                else set()
            ),
        }
        if draw(st.booleans()):
            wsjf = st.floats(min_value=0, max_value=21, allow_nan=False)
            project["wsjf"] = {
                "business_value": draw(wsjf),
                "time_criticality": draw(wsjf),
                "risk_reduction": draw(wsjf),
                "job_size": draw(st.floats(min_value=0.5, max_value=13)),
            }
        projects.append(project)
    return portfolio(projects, criteria=criteria)


def ranking_facts(ranking: score.Ranking) -> list[tuple[Any, ...]]:
    """Everything about each ranked project that any output shows."""
    return [
        (
            e.id,
            e.rank,
            e.score,
            e.own.own,
            e.own.breakdown,
            e.own.normalized,
            e.own.raw,
            e.own.missing,
            e.pulled_by,
            e.band,
            e.band_from,
            e.waits_for,
        )
        for e in ranking.entries
    ]


METHOD = st.sampled_from(["weighted_sum", "topsis", "wsjf"])


@PROPERTY
@given(scored_portfolios(), METHOD)
def test_plain_ranking_has_the_scalar_reference_bits(data: Portfolio, method: str) -> None:
    """Same own scores, breakdown, normalized and raw values to the last bit, so the
    ranking and every printed score are the same bytes as before the scorer existed."""
    weights = score.criterion_weights(data.strategy).values
    projects = score.select(data)
    criteria = list(data.strategy.criteria)
    assert score.own_scores(method, projects, criteria, weights) == reference_own_scores(
        method, projects, criteria, weights
    )
    ranked = ranking_facts(rank(data, method=method))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(score, "own_scores", reference_own_scores)
        assert ranked == ranking_facts(rank(data, method=method))


@pytest.mark.parametrize("method", ["weighted_sum", "topsis", "wsjf"])
def test_shipped_data_prints_the_same_bytes_as_the_scalar_reference(
    method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from roadmap.cli import app

    args = ["prioritize", "--data", str(DATA), "--method", method, "--format", "json"]
    printed = CliRunner().invoke(app, args)
    assert printed.exit_code == 0, printed.output
    monkeypatch.setattr(score, "own_scores", reference_own_scores)
    reference = CliRunner().invoke(app, args)
    assert printed.stdout == reference.stdout
    assert json.loads(printed.stdout)["projects"][0]["own_score"] > 0


def weight_draws(count: int, terms: int) -> st.SearchStrategy[np.ndarray]:
    weight = st.floats(min_value=0, max_value=1, allow_nan=False)
    return st.lists(
        st.lists(weight, min_size=terms, max_size=terms), min_size=count, max_size=count
    ).map(lambda rows: np.array(rows, dtype=float).reshape(count, terms))


@PROPERTY
@given(scored_portfolios(), METHOD, st.integers(min_value=1, max_value=6), st.data())
def test_batched_draws_equal_the_scalar_reference_at_each_draws_weights(
    data: Portfolio, method: str, draws: int, choice: Any
) -> None:
    projects = score.select(data)
    criteria = list(data.strategy.criteria)
    matrix = score.score_matrix(method, projects, criteria)
    weights = choice.draw(weight_draws(draws, len(matrix.terms)))
    batched = score.score_draws(matrix, weights)
    exact = score.score_draws(matrix, weights, exact=True)
    assert batched.own.shape == (draws, len(projects))
    for d in range(draws):
        by_term = dict(zip(matrix.terms, weights[d].tolist(), strict=True))
        expected = reference_own_scores(method, projects, criteria, by_term)
        assert exact.own[d].tolist() == [s.own for s in expected]
        assert batched.own[d].tolist() == pytest.approx(
            [s.own for s in expected], rel=1e-12, abs=1e-9
        )
        assert batched.breakdown[d].ravel().tolist() == pytest.approx(
            [v for s in expected for v in s.breakdown.values()], rel=1e-12, abs=1e-9
        )


@PROPERTY
@given(scored_portfolios(), st.sampled_from(["weighted_sum", "topsis"]), st.data())
def test_draws_of_the_values_score_like_projects_with_those_values(
    data: Portfolio, method: str, choice: Any
) -> None:
    """Robustness varies the scores inside their ranges: each draw scores as if the
    projects had been given that draw's values."""
    projects = score.select(data)
    criteria = list(data.strategy.criteria)
    matrix = score.score_matrix(method, projects, criteria)
    shares = choice.draw(weight_draws(3, matrix.low.size)).reshape(3, *matrix.low.shape)
    values = matrix.low + shares * (matrix.high - matrix.low)
    weights = np.tile(matrix.weight_array(score.criterion_weights(data.strategy).values), (3, 1))
    drawn = score.score_draws(matrix, weights, values).own
    for d in range(3):
        changed = [
            p.model_copy(update={"scores": {c.id: values[d, i, j] for j, c in enumerate(criteria)}})
            for i, p in enumerate(projects)
        ]
        expected = reference_own_scores(
            method, changed, criteria, dict(zip(matrix.terms, weights[d], strict=True))
        )
        assert drawn[d].tolist() == pytest.approx([s.own for s in expected], rel=1e-12, abs=1e-9)


@PROPERTY
@given(scored_portfolios(), METHOD, st.integers(min_value=0, max_value=4), st.data())
def test_the_plain_ranking_is_one_draw_at_the_given_weights(
    data: Portfolio, method: str, at: int, choice: Any
) -> None:
    """Row ``at`` of a batch, holding the given weights, scores as the plain ranking does
    whatever the other rows hold."""
    ranking = rank(data, method=method)
    projects = [e.project for e in ranking.entries]
    matrix = score.score_matrix(method, projects, list(data.strategy.criteria))
    weights = choice.draw(weight_draws(5, len(matrix.terms)))
    weights[at] = matrix.weight_array(ranking.weights.values)
    plain = [e.own.own for e in ranking.entries]
    assert score.score_draws(matrix, weights, exact=True).own[at].tolist() == plain
    assert score.score_draws(matrix, weights).own[at].tolist() == pytest.approx(
        plain, rel=1e-12, abs=1e-9
    )


def test_topsis_with_nothing_to_rank_is_an_empty_ranking() -> None:
    """It ended in a bug (max() of an empty column) when no project had the status."""
    data = portfolio([{"id": "aa", "scores": scores(4, 3, 2), "status": "done"}])
    assert rank(data, method="topsis").entries == []
    assert rank(data, method="topsis", statuses=["done"]).entries[0].own.own == 50.0


def test_unknown_method_is_a_scoring_error() -> None:
    with pytest.raises(ScoringError, match="unknown method 'ahp'; use one of weighted_sum"):
        score.score_matrix("ahp", [], [])
