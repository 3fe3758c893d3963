"""What validate's warnings tell a user agrees with what the other commands do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from roadmap.checks import project_findings

from .conftest import ROOT, Cli
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


def test_a_score_the_raters_give_is_not_missing(cli: Cli, tmp_path: Path) -> None:
    """A new user imported four raters' sheets and still read 41 missing-score
    warnings: the ranking used the raters' scores, validate did not look at them."""
    import re
    import shutil

    data = tmp_path / "workshop"
    shutil.copytree(ROOT / "examples" / "workshop", data)
    project = data / "projects" / "fundbuero-online.yaml"
    text = project.read_text(encoding="utf-8")
    # the project's own scores go; the raters' files score it on every criterion
    project.write_text(re.sub(r"(?ms)^scores:\n(  .*?\n)+", "", text), encoding="utf-8")
    result = cli("validate", "-d", str(data), "--no-cache", "-f", "json")
    assert result.exit_code == 0, result.output
    codes = [p["code"] for p in json.loads(result.stdout)["problems"]]
    assert "missing-score" not in codes
    # without the raters' files, the same project lacks its scores
    shutil.rmtree(data / "ratings")
    again = json.loads(cli("validate", "-d", str(data), "--no-cache", "-f", "json").stdout)
    missing = [p for p in again["problems"] if p["code"] == "missing-score"]
    assert [p["file"].endswith("fundbuero-online.yaml") for p in missing] == [True]


def test_explain_counts_a_criterion_a_rater_left_out_at_the_groups_score(
    cli: Cli, tmp_path: Path
) -> None:
    """A rater who left one criterion out got 32.5 points against the others' 75-79:
    the gap counted as zero. It counts at the group's score, as in the ranking."""
    import shutil

    data = tmp_path / "workshop"
    shutil.copytree(ROOT / "examples" / "workshop", data)
    rater = data / "ratings" / "amt-10.yaml"
    text = rater.read_text(encoding="utf-8")
    line = "  fundbuero-online: {citizen_value: 3, efficiency: 3,"
    assert line in text
    rater.write_text(text.replace(line, "  fundbuero-online: {efficiency: 3,"), encoding="utf-8")
    result = cli("explain", "fundbuero-online", "-d", str(data), "-f", "json")
    assert result.exit_code == 0, result.output
    raters = {r["rater"]: r for r in json.loads(result.stdout)["raters"]}
    gap = raters["amt-10"]
    assert gap["filled"] == ["citizen_value"]
    assert "citizen_value" not in gap["points"]
    assert gap["total"] > sum(gap["points"].values()) + 1.0
    table = cli("explain", "fundbuero-online", "-d", str(data)).stdout
    assert "not rated; counted at the group's score" in table
