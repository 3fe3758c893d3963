from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def test_weighted_sum_normalizes_inverts_costs_and_counts_missing_as_minimum() -> None:
    data = portfolio(
        [
            {"id": "aa", "scores": scores(5, 5, 1)},
            {"id": "bb", "scores": scores(1, 1, 5)},
            {"id": "cc", "scores": {"nutzen": 3}},
        ]
    )
    ranking = rank(data)
    by_id = ranking.by_id()
    assert by_id["aa"].own.own == pytest.approx(100)
    assert by_id["bb"].own.own == pytest.approx(0)
    # nutzen 3 → 0.5 × 3/6; pflicht missing → minimum (0); risiko missing → 1 = best cost
    assert by_id["cc"].own.own == pytest.approx(100 * (0.5 * 3 / 6 + 1 / 6))
    assert by_id["cc"].own.missing == ["pflicht", "risiko"]
    assert ranking.notes == ["1 project with missing scores, counted as the scale minimum: cc"]


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
