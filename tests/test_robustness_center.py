"""Robustness draws centre on the score the ranking uses, also where that score is
not the middle of its range (a group median inside the raters' quartiles): a new user
saw a project ranked 14th whose drawn ranks ran from 15 to 19."""

from __future__ import annotations

import numpy as np

from roadmap.robustness import _drawn_own_scores
from roadmap.score import ScoreMatrix


def matrix(value: float, low: float, high: float) -> ScoreMatrix:
    return ScoreMatrix(
        method="weighted_sum",
        terms=("nutzen",),
        value=np.array([[value]]),
        low=np.array([[low]]),
        high=np.array([[high]]),
        benefit=np.array([True]),
        scale_low=np.array([1.0]),
        scale_high=np.array([5.0]),
        raw=[{"nutzen": value}],
        missing=[[]],
    )


def test_draws_centre_on_a_median_that_is_not_the_middle_of_its_range() -> None:
    drawn = _drawn_own_scores(
        matrix(4.8, 4.0, 5.0), np.array([1.0]), 4000, np.random.default_rng(1), 1000.0
    )
    # 4.8 on a 1–5 scale is 95 points; the midpoint 4.5 would be 87.5
    assert abs(float(np.median(drawn)) - 95.0) < 1.0
    assert drawn.min() >= 75.0 - 1e-9 and drawn.max() <= 100.0 + 1e-9


def test_a_range_around_its_midpoint_stays_uniform() -> None:
    drawn = _drawn_own_scores(
        matrix(3.0, 2.0, 4.0), np.array([1.0]), 4000, np.random.default_rng(1), 1000.0
    )
    assert abs(float(np.median(drawn)) - 50.0) < 1.5
    share_low = float(np.mean(drawn < 37.5))  # below 2.5: a quarter of a uniform range
    assert 0.22 < share_low < 0.28


def test_a_mean_outside_its_quartiles_draws_inside_the_range() -> None:
    """Raters 1, 1, 1, 2, 10: the mean 3 lies above the quartiles [1, 2]; the draws
    stay within the range (they ran up to 3 before)."""
    drawn = _drawn_own_scores(
        matrix(3.0, 1.0, 2.0), np.array([1.0]), 2000, np.random.default_rng(1), 1000.0
    )
    assert drawn.max() <= 25.0 + 1e-9  # 2 on a 1–5 scale is 25 points
