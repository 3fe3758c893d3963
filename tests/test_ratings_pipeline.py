"""Raters' scores through the whole ranking: rated_portfolio → score.rank (the path
``prioritize`` takes), robustness over the raters' spread, and the overview of
``roadmap ratings``."""

from __future__ import annotations

import statistics
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap.model import Portfolio, RatedProject, RaterFile
from roadmap.ratings import (
    OWN_RATER,
    group_weights,
    missing_by_rater,
    overview,
    rated_portfolio,
    uncertain_ranks,
)
from roadmap.score import rank

from .factories import portfolio

CRITERIA = [
    {"id": "nutzen", "title": "Nutzen", "weight": 3, "scale": [1, 5]},
    {"id": "aufwand", "title": "Aufwand", "weight": 1, "scale": [1, 5], "direction": "cost"},
    {"id": "pflicht", "title": "Pflicht", "weight": 2, "scale": [1, 5]},
]
IDS = [c["id"] for c in CRITERIA]


def rated(
    projects: list[dict[str, Any]],
    raters: dict[str, dict[str, dict[str, float]]],
    pairwise: dict[str, dict[str, dict[str, float]]] | None = None,
    **ratings: str,
) -> Portfolio:
    base = portfolio(projects, criteria=CRITERIA, ratings=ratings or {})
    files = {
        r: RaterFile(scores=scores, pairwise=(pairwise or {}).get(r))
        for r, scores in raters.items()
    }
    for r, comparisons in (pairwise or {}).items():
        files.setdefault(r, RaterFile(pairwise=comparisons))
    return base.model_copy(update={"ratings": files})


def order(p: Portfolio) -> list[tuple[str, float]]:
    return [(e.id, round(e.score, 9)) for e in rank(p).entries]


score = st.integers(min_value=1, max_value=5).map(float)
sheet = st.lists(st.tuples(score, score, score), min_size=2, max_size=8)


def as_scores(rows: list[tuple[float, float, float]]) -> dict[str, dict[str, float]]:
    return {f"p{i}": dict(zip(IDS, row, strict=True)) for i, row in enumerate(rows)}


def plain(count: int) -> list[dict[str, Any]]:
    return [{"id": f"p{i}"} for i in range(count)]


@settings(max_examples=40, deadline=None)
@given(rows=sheet, copies=st.integers(min_value=1, max_value=5))
def test_identical_raters_give_the_single_raters_ranking(
    rows: list[tuple[float, float, float]], copies: int
) -> None:
    scores = as_scores(rows)
    one = rated(plain(len(rows)), {"a": scores})
    many = rated(plain(len(rows)), {f"r{k}": scores for k in range(copies)})
    # the same as that rater's scores written into the project files
    written = portfolio([{"id": p, "scores": s} for p, s in scores.items()], criteria=CRITERIA)
    assert order(many) == order(one) == order(written)
    if copies >= 2:
        assert overview(many).kendalls_w == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(
    raters=st.lists(sheet, min_size=1, max_size=5).filter(
        lambda sheets: len({len(s) for s in sheets}) == 1
    )
)
def test_a_rater_identical_to_the_median_changes_nothing(
    raters: list[list[tuple[float, float, float]]],
) -> None:
    by_rater = {f"r{k}": as_scores(rows) for k, rows in enumerate(raters)}
    median = {
        p: {c: statistics.median(r[p][c] for r in by_rater.values()) for c in IDS}
        for p in by_rater["r0"]
    }
    before = rated(plain(len(raters[0])), by_rater)
    after = rated(plain(len(raters[0])), {**by_rater, "median": median})
    assert order(after) == order(before)


def test_a_missing_rating_is_left_out_never_zero() -> None:
    p = rated(plain(2), {"a": {"p0": {"nutzen": 4}}, "b": {"p0": {"nutzen": 2, "pflicht": 5}}})
    project = rated_portfolio(p)[0].projects["p0"]
    assert isinstance(project, RatedProject)
    # nutzen: median of 4 and 2; pflicht: only b; aufwand: nobody, so still missing
    assert project.scores == {"nutzen": 3.0, "pflicht": 5.0}
    assert project.score_ranges == {"nutzen": (2.5, 3.5)}
    assert rank(p).by_id()["p0"].own.missing == ["aufwand"]
    assert missing_by_rater(p) == {
        "a": {"p0": ["aufwand", "pflicht"], "p1": IDS},
        "b": {"p0": ["aufwand"], "p1": IDS},
    }


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("rater", {"nutzen": 2.0}), ("override", {"nutzen": 1.0}), ("ignore", {"nutzen": 3.0})],
)
def test_a_projects_own_score_is_a_rater_overrides_or_is_ignored(
    mode: str, expected: dict[str, float]
) -> None:
    projects = [{"id": "p0", "scores": {"nutzen": 1}}, {"id": "p1", "scores": {"nutzen": 2}}]
    # raters 4 and 2, the project's own file 1
    p = rated(projects, {"a": {"p0": {"nutzen": 4}}, "b": {"p0": {"nutzen": 2}}}, own_scores=mode)
    result = rated_portfolio(p)[0]
    assert dict(result.projects["p0"].scores) == expected
    assert result.projects["p1"].scores == {"nutzen": 2}  # nobody rated it: as it was
    assert (OWN_RATER in overview(p).projects[0].raters) is (mode == "rater")


def test_mean_and_min_max_as_configured() -> None:
    scores = {"a": {"p0": {"nutzen": 1}}, "b": {"p0": {"nutzen": 2}}, "c": {"p0": {"nutzen": 5}}}
    project = rated_portfolio(rated(plain(1), scores, aggregate="mean", spread="minmax"))[0]
    p0 = project.projects["p0"]
    assert isinstance(p0, RatedProject)
    assert (p0.scores["nutzen"], p0.score_ranges["nutzen"]) == (pytest.approx(8 / 3), (1, 5))


def test_raters_comparisons_replace_the_weights_and_an_inconsistent_rater_is_named() -> None:
    consistent = {"nutzen": {"aufwand": 3, "pflicht": 1}, "aufwand": {"pflicht": 1 / 3}}
    inconsistent = {"nutzen": {"aufwand": 9, "pflicht": 1 / 9}, "aufwand": {"pflicht": 9}}
    comparisons = {"a": consistent, "b": inconsistent}
    p = rated(plain(2), {"a": {"p0": {"nutzen": 3}}}, comparisons)
    ranking = rank(p)
    expected = group_weights(IDS, comparisons)
    assert ranking.weights.source == "pairwise"
    assert ranking.weights.values == pytest.approx(expected.group.weights)
    assert expected.inconsistent == ["b"]
    assert any("rater b's comparisons are inconsistent" in n for n in ranking.notes)
    assert any("pairwise comparisons of 2 raters" in n for n in ranking.notes)


def test_uncertain_ranks_lists_where_raters_disagree() -> None:
    # p1's raters range from 1 to 5 on the main criterion; p0 and p2 are agreed on
    raters = {
        "a": {"p0": {"nutzen": 4}, "p1": {"nutzen": 5}, "p2": {"nutzen": 2}},
        "b": {"p0": {"nutzen": 4}, "p1": {"nutzen": 1}, "p2": {"nutzen": 2}},
        "c": {"p0": {"nutzen": 4}, "p1": {"nutzen": 3}, "p2": {"nutzen": 2}},
    }
    p = rated(plain(3), raters, spread="minmax")
    found = uncertain_ranks(p, draws=500, seed=1)
    assert [u.id for u in found][:1] == ["p1"]
    top = found[0]
    assert (top.rank_low, top.rank_high, top.criteria) == (1, 3, ["nutzen"])
    assert uncertain_ranks(portfolio(plain(3), criteria=CRITERIA)) == []


def test_robustness_samples_the_raters_spread() -> None:
    from roadmap.robustness import robustness

    raters = {"a": {"p0": {"nutzen": 5}, "p1": {"nutzen": 3}}, "b": {"p0": {"nutzen": 1}}}
    p = rated(plain(2), raters, spread="minmax")
    ranking = rank(p)
    robustness(p, ranking, 400, seed=3, concentration=1e9)
    p0 = ranking.by_id()["p0"]
    assert (p0.rank_low, p0.rank_high) == (1, 2)  # drawn between 1 and 5 around p1's 3


def test_kendalls_w_of_the_textbook_example_through_the_raters_files() -> None:
    """The ten projects and four judges of test_ratings.py, given as the judges' scores
    (10 for their first place) on one criterion: `roadmap ratings` reports the same W."""
    table = [
        (1, 2, 3, 4), (3, 1, 2, 2), (4, 4, 1, 3), (5, 5, 5, 1), (2, 6, 7, 6),
        (8, 3, 4, 7), (6, 8, 6, 5), (7, 7, 8, 9), (10, 10, 9, 8), (9, 9, 10, 10),
    ]  # fmt: skip
    raters = {
        f"judge-{j}": {f"p{i}": {"nutzen": 11.0 - row[j]} for i, row in enumerate(table)}
        for j in range(4)
    }
    base = portfolio(plain(10), criteria=[{"id": "nutzen", "title": "N", "scale": [1, 10]}])
    rated_ten = base.model_copy(
        update={"ratings": {r: RaterFile(scores=s) for r, s in raters.items()}}
    )
    result = overview(rated_ten)
    assert (result.w_projects, result.kendalls_w) == (10, pytest.approx(12 * 1048 / (16 * 990)))
