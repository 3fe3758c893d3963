"""What validate's warnings tell a user agrees with what the other commands do."""

from __future__ import annotations

import pytest

from roadmap.checks import project_findings

from .factories import portfolio


@pytest.mark.parametrize(
    ("setting", "said"),
    [("worst", "its criterion's worst value"), ("minimum", "the scale's minimum")],
)
def test_the_missing_score_warning_says_what_the_scorer_counts(setting: str, said: str) -> None:
    """A new user read "counts … as the scale's minimum" while the scorer counted the
    worst value (the default): the warning follows scoring.missing_scores."""
    built = portfolio([{"id": "e-akte", "status": "proposed"}], scoring={"missing_scores": setting})
    found = [
        f
        for f in project_findings(
            built.projects["e-akte"], "e-akte.yaml", built.strategy, {"e-akte"}
        )
        if f.code == "missing-score"
    ]
    assert len(found) == 1
    assert said in found[0].message
