from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import roadmap.score
from roadmap import robustness as module
from roadmap.model import Portfolio
from roadmap.robustness import Lever, levers, robustness
from roadmap.score import Ranking, rank

from .test_score import portfolio, reference_own_scores, scored_portfolios, scores

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def intervals(ranking: Ranking) -> list[tuple[str, int | None, int | None, float | None]]:
    return [(e.id, e.rank_low, e.rank_high, e.p_top) for e in ranking.entries]


def ranged_portfolio() -> Portfolio:
    return portfolio(
        [
            {
                "id": f"p{i:02d}",
                "scores": {**scores(1 + i % 5, 1 + (i * 3) % 5, 2), "risiko": [1, 5]},
            }
            for i in range(12)
        ]
    )


# ---------------------------------------------------------------- robustness


def test_robustness_figures_are_pinned_for_a_seed() -> None:
    """The figures the batched code gave before the scorer was unified (same draws,
    same ranks)."""
    ranking = rank(ranged_portfolio())
    robustness(ranged_portfolio(), ranking, 400, seed=7, top=3)
    assert (ranking.robustness_draws, ranking.top) == (400, 3)
    assert intervals(ranking)[:4] == [
        ("p03", 1, 4, 0.9075),
        ("p08", 1, 4, 0.8625),
        ("p04", 1, 4, 0.6375),
        ("p09", 1, 4, 0.5925),
    ]


def test_another_seed_draws_other_weights() -> None:
    first, second = rank(ranged_portfolio()), rank(ranged_portfolio())
    robustness(ranged_portfolio(), first, 400, seed=7, top=3)
    robustness(ranged_portfolio(), second, 400, seed=8, top=3)
    assert intervals(first) != intervals(second)


@PROPERTY
@given(scored_portfolios(), st.sampled_from(["weighted_sum", "topsis", "wsjf"]), st.randoms())
def test_same_seed_same_figures_whatever_the_file_order(
    data: Portfolio, method: str, rnd: random.Random
) -> None:
    first = rank(data, method=method)
    robustness(data, first, 50, seed=3, top=3)
    items = list(data.projects.items())
    rnd.shuffle(items)
    shuffled = data.model_copy(update={"projects": dict(items)})
    second = rank(shuffled, method=method)
    robustness(shuffled, second, 50, seed=3, top=3)
    assert intervals(first) == intervals(second)
    for entry in first.entries:
        assert entry.rank_low is not None and entry.rank_high is not None
        assert 1 <= entry.rank_low <= entry.rank_high <= len(first.entries)
    if first.entries:
        total = sum(e.p_top or 0.0 for e in first.entries)
        assert total == pytest.approx(min(3, len(first.entries)))


@PROPERTY
@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=10))
def test_wsjf_has_no_weights_so_every_draw_is_the_plain_ranking(values: list[int]) -> None:
    data = portfolio(
        [
            {
                "id": f"p{i:02d}",
                "wsjf": {
                    "business_value": v,
                    "time_criticality": 1,
                    "risk_reduction": 0,
                    "job_size": 2,
                },
            }
            for i, v in enumerate(values)
        ]
    )
    ranking = rank(data, method="wsjf")
    robustness(data, ranking, 30, seed=1, top=2)
    for entry in ranking.entries:
        assert (entry.rank_low, entry.rank_high) == (entry.rank, entry.rank)
        assert entry.p_top == (1.0 if entry.rank <= 2 else 0.0)


@pytest.mark.parametrize("method", ["weighted_sum", "topsis"])
def test_draws_close_to_the_given_weights_rank_as_the_plain_ranking(method: str) -> None:
    """Draws concentrated on the given weights, no ranges, no dependencies: every draw
    is the plain ranking."""
    data = portfolio([{"id": f"p{i:02d}", "scores": scores(1 + i / 5, 3, 3)} for i in range(20)])
    ranking = rank(data, method=method)
    robustness(data, ranking, 20, seed=5, top=4, concentration=1e12)
    assert [(e.rank_low, e.rank_high) for e in ranking.entries] == [
        (e.rank, e.rank) for e in ranking.entries
    ]


def test_memory_chunks_keep_every_draw(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draws are scored in chunks; with one draw per chunk every draw is still ranked."""
    monkeypatch.setattr(module, "CHUNK_VALUES", 1)
    ranking = rank(ranged_portfolio())
    robustness(ranged_portfolio(), ranking, 40, seed=7, top=3)
    assert sum(e.p_top or 0.0 for e in ranking.entries) == pytest.approx(3)
    assert all(e.rank_low is not None for e in ranking.entries)


# ---------------------------------------------------------------- levers


def test_topsis_lever_really_moves_the_project_up() -> None:
    projects = [
        {"id": "aa", "scores": scores(4, 2, 3)},
        {"id": "bb", "scores": scores(3, 3, 3)},
        {"id": "cc", "scores": scores(5, 1, 4)},
    ]
    data = portfolio(projects)
    ranking = rank(data, method="topsis")
    assert [e.id for e in ranking.entries] == ["bb", "aa", "cc"]
    found, reason = levers(data, ranking, "aa")
    assert reason == ""
    lever = next(lv for lv in found if lv.criterion == "pflicht")
    assert (lever.above, lever.current, lever.needed) == ("bb", 2.0, 2.2)
    projects[0]["scores"] = scores(4, lever.needed, 3)
    assert [e.id for e in rank(portfolio(projects), method="topsis").entries] == [
        "aa",
        "bb",
        "cc",
    ]


def reference_levers(data: Portfolio, ranking: Ranking, project_id: str) -> list[Lever]:
    """The scalar search levers() replaced: one step at a time, each re-scored alone."""
    entry = ranking.by_id()[project_id]
    above = ranking.entries[entry.rank - 2]
    criteria = list(data.strategy.criteria)
    found = []
    for c in criteria:
        given = entry.project.scores.get(c.id)
        missing = roadmap.score.missing_value(c, data.strategy.scoring.missing_scores)
        current = roadmap.score.midpoint(given) if given is not None else missing
        steps = [c.scale[0] + (c.scale[1] - c.scale[0]) * k / 200 for k in range(201)]
        if c.direction == "cost":
            steps = [s for s in reversed(steps) if s < current]
        else:
            steps = [s for s in steps if s > current]
        for value in steps:
            changed = entry.project.model_copy(
                update={"scores": {**entry.project.scores, c.id: value}}
            )
            projects = (
                [changed]
                if ranking.method == "weighted_sum"
                else [changed if e.id == project_id else e.project for e in ranking.entries]
            )
            own = reference_own_scores(ranking.method, projects, criteria, ranking.weights.values)
            mine = next(s.own for p, s in zip(projects, own, strict=True) if p.id == project_id)
            if mine > above.score + 1e-9:
                found.append(Lever(c.id, current, round(value, 2), above.id))
                break
    return found


@PROPERTY
@given(scored_portfolios(), st.sampled_from(["weighted_sum", "topsis"]), st.data())
def test_levers_are_the_scalar_searchs_levers(data: Portfolio, method: str, choice: Any) -> None:
    ranking = rank(data, method=method)
    if len(ranking.entries) < 2:
        return
    entry = choice.draw(st.sampled_from(ranking.entries[1:]))
    found, reason = levers(data, ranking, entry.id)
    if found or reason.startswith("no single score"):
        assert found == reference_levers(data, ranking, entry.id)


def test_score_still_lends_the_names_that_moved_here() -> None:
    """Callers import robustness and levers from score.py until they import this module."""
    assert roadmap.score.robustness is robustness
    assert roadmap.score.levers is levers
    assert roadmap.score.Lever is Lever
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        _ = roadmap.score.nothing  # type: ignore[attr-defined]
