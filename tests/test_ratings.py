"""Raters' aggregation: group AHP, Kendall's W, quartiles, missing ratings."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap.ratings import (
    aggregate,
    aggregate_all,
    group_weights,
    kendalls_w,
    missing_ratings,
    quartiles,
    ranks,
)


def test_kendalls_w_of_the_proofwiki_example() -> None:
    """ProofWiki, "Kendall's Coefficient of Concordance/Examples/Arbitrary Example 1":
    three competitors ranked by four judges; W = 1/16."""
    judges = [
        {"X": 1, "Y": 3, "Z": 2},
        {"X": 1, "Y": 2, "Z": 3},
        {"X": 2, "Y": 3, "Z": 1},
        {"X": 3, "Y": 1, "Z": 2},
    ]
    assert kendalls_w(judges) == pytest.approx(1 / 16)


def test_kendalls_w_of_ten_projects_and_four_judges() -> None:
    """A textbook exercise (10 projects, 4 judges): S = 1048, W = 12·1048 / (16·990)."""
    table = [
        (1, 2, 3, 4), (3, 1, 2, 2), (4, 4, 1, 3), (5, 5, 5, 1), (2, 6, 7, 6),
        (8, 3, 4, 7), (6, 8, 6, 5), (7, 7, 8, 9), (10, 10, 9, 8), (9, 9, 10, 10),
    ]  # fmt: skip
    judges = [{f"p{i}": row[j] for i, row in enumerate(table)} for j in range(4)]
    assert kendalls_w(judges) == pytest.approx(12 * 1048 / (16 * 990))


@given(st.permutations(list(range(1, 8))), st.integers(2, 6))
def test_identical_rankings_agree_fully(order: list[int], raters: int) -> None:
    ranking = {f"p{i}": float(r) for i, r in enumerate(order)}
    assert kendalls_w([ranking] * raters) == pytest.approx(1.0)


def test_ranks_share_ties() -> None:
    assert ranks({"a": 5, "b": 3, "c": 5, "d": 1}) == {"a": 1.5, "c": 1.5, "b": 3, "d": 4}


def test_group_ahp_is_the_geometric_mean_of_the_judgments() -> None:
    """Aczél & Saaty (1983): the group judgment of 2, 3 and 4 ("the apple is 2, 3, 4
    times larger than the orange") is their geometric mean ∛24, not 3; with two
    criteria the weights are g/(1+g) and 1/(1+g)."""
    raters = {r: {"a": {"b": v}} for r, v in (("amt-10", 2), ("amt-20", 3), ("amt-30", 4))}
    result = group_weights(["a", "b"], raters)
    g = 24 ** (1 / 3)
    assert result.group.weights["a"] == pytest.approx(g / (1 + g))
    assert result.group.weights["b"] == pytest.approx(1 / (1 + g))


def test_group_ahp_against_an_independent_eigenvector() -> None:
    criteria = ["nutzen", "kosten", "risiko"]
    raters = {
        "amt-10": {"nutzen": {"kosten": 3, "risiko": 5}, "kosten": {"risiko": 2}},
        "amt-20": {"nutzen": {"kosten": 1 / 2, "risiko": 3}, "kosten": {"risiko": 4}},
        "fraktion": {"nutzen": {"kosten": 7, "risiko": 9}, "kosten": {"risiko": 1 / 3}},
    }
    result = group_weights(criteria, raters)
    matrices = []
    for comparisons in raters.values():
        m = np.ones((3, 3))
        for i, row in enumerate(criteria):
            for j, col in enumerate(criteria):
                if col in comparisons.get(row, {}):
                    m[i, j] = comparisons[row][col]
                    m[j, i] = 1 / comparisons[row][col]
        matrices.append(m)
    mean = np.exp(np.mean(np.log(np.array(matrices)), axis=0))
    values, vectors = np.linalg.eig(mean)
    principal = np.abs(np.real(vectors[:, np.argmax(np.real(values))]))
    expected = principal / principal.sum()
    assert [result.group.weights[c] for c in criteria] == pytest.approx(list(expected))
    # the third rater contradicts itself (nutzen ≫ risiko, kosten < risiko, nutzen ≫ kosten)
    assert result.raters["fraktion"].consistency_ratio > 0.1
    assert result.inconsistent == ["fraktion"]


def test_median_and_interquartile_range() -> None:
    scores = {"amt-10": 2, "amt-20": 4, "amt-30": 5, "amt-40": 3}
    found = aggregate(scores)
    assert found.value == 3.5
    assert (found.low, found.high) == pytest.approx(np.percentile([2, 3, 4, 5], [25, 75]))
    assert aggregate(scores, "mean", "minmax").range == [2, 5]
    assert aggregate({"amt-10": 4, "amt-20": 4}).range == 4  # no spread, no range


@given(st.lists(st.floats(0, 10, allow_nan=False), min_size=1, max_size=30))
def test_quartiles_match_numpy(values: list[float]) -> None:
    assert quartiles(values) == pytest.approx(tuple(np.percentile(values, [25, 75])))


@given(
    st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(1, 5), min_size=1),
    st.integers(1, 5),
)
def test_identical_raters_give_the_single_raters_scores(scores: dict[str, int], n: int) -> None:
    ratings = {f"r{i}": {"p": {c: float(v) for c, v in scores.items()}} for i in range(n)}
    found = aggregate_all(ratings)["p"]
    assert {c: a.range for c, a in found.items()} == {c: float(v) for c, v in scores.items()}


def test_a_rater_equal_to_the_median_changes_nothing() -> None:
    ratings = {"a": {"p": {"k": 1.0}}, "b": {"p": {"k": 3.0}}, "c": {"p": {"k": 5.0}}}
    before = aggregate_all(ratings)["p"]["k"].value
    after = aggregate_all({**ratings, "d": {"p": {"k": before}}})["p"]["k"].value
    assert before == after == 3.0


def test_missing_ratings_are_named_never_zero() -> None:
    ratings = {"amt-10": {"p1": {"k1": 4.0}}, "amt-20": {"p1": {"k1": 2.0, "k2": 5.0}}}
    assert missing_ratings(ratings, ["p1"], ["k1", "k2"]) == {
        "amt-10": [("p1", "k2")],
        "amt-20": [],
    }
    found = aggregate_all(ratings)["p1"]
    assert found["k2"].value == 5.0 and found["k2"].raters == {"amt-20": 5.0}
    assert not math.isnan(found["k1"].value)
