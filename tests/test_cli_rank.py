from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .conftest import CASES, ROOT, Cli

DATA = str(ROOT / "data")


def test_prioritize_json_follows_the_contract(cli: Cli) -> None:
    result = cli("prioritize", "-d", DATA, "-f", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["method"] == "weighted_sum"
    assert abs(sum(document["weights"].values()) - 1) < 1e-5
    projects = document["projects"]
    assert [p["rank"] for p in projects] == list(range(1, len(projects) + 1))
    first = projects[0]
    contract = {"rank", "id", "title", "score", "own_score", "breakdown", "pulled_by", "status"}
    assert contract <= set(first)
    assert (first["id"], first["band"]) == ("e-wohnsitzanmeldung", "must")
    assert all(p["status"] not in ("done", "cancelled") for p in projects)
    by_id = {p["id"]: p for p in projects}
    # paperless administration (own 75.0) needs the e-file (own 62.5) and pulls it up
    e_akte = by_id["e-akte"]
    assert (e_akte["own_score"], e_akte["score"], e_akte["pulled_by"]) == (
        62.5,
        75.0,
        ["papierlose-verwaltung"],
    )
    assert e_akte["rank"] < by_id["papierlose-verwaltung"]["rank"]
    assert [p["band"] for p in projects[-2:]] == ["wont", "not eligible"]


def test_prioritize_filters_and_robustness_columns(cli: Cli) -> None:
    result = cli(
        "prioritize",
        "-d",
        DATA,
        "-f",
        "json",
        "--field",
        "verwaltung",
        "--top",
        "3",
        "-r",
        "200",
        "--seed",
        "3",
    )
    document = json.loads(result.stdout)
    projects = document["projects"]
    assert len(projects) == 3 and {p["field"] for p in projects} == {"verwaltung"}
    assert [p["rank"] for p in projects] == [1, 2, 3]
    assert projects[0]["overall_rank"] > 1
    assert document["robustness"] == {"draws": 200, "top": 3, "seed": 3}
    assert all(p["rank_low"] <= p["rank_high"] for p in projects)


def test_prioritize_csv_and_markdown(cli: Cli) -> None:
    result = cli("prioritize", "-d", DATA, "-f", "csv", "--top", "2")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["rank"] for r in rows] == ["1", "2"] and rows[0]["id"] == "e-wohnsitzanmeldung"
    md = cli("prioritize", "-d", DATA, "-f", "md", "--top", "2").stdout
    assert "| 1 | e-wohnsitzanmeldung | Elektronische Wohnsitzanmeldung |" in md


def test_prioritize_refuses_data_with_errors(cli: Cli) -> None:
    result = cli("prioritize", "-d", str(CASES / "invalid" / "references"))
    assert result.exit_code == 1
    assert "unknown-dependency" in result.output and "fix them first" in result.output


def test_prioritize_usage_errors_exit_2(cli: Cli) -> None:
    assert cli("prioritize", "-d", DATA, "--method", "ahp").exit_code == 2
    wrong_field = cli("prioritize", "-d", DATA, "--field", "verwaltng")
    assert wrong_field.exit_code == 2 and "did you mean 'verwaltung'" in wrong_field.output


def _three_criteria(tmp_path: Path, pairwise: str) -> str:
    """A portfolio without projects whose strategy compares criteria a, b, c."""
    data = tmp_path / "data"
    (data / "projects").mkdir(parents=True)
    (data / "strategy.yaml").write_text(
        "organization: S\ntitle: T\nperiod: {start: 2026-01-01, end: 2026-12-31}\n"
        "criteria:\n  - {id: a, title: A}\n  - {id: b, title: B}\n  - {id: c, title: C}\n"
        f"pairwise:\n{pairwise}",
        encoding="utf-8",
    )
    return str(data)


def test_incomplete_pairwise_is_a_validate_error(cli: Cli, tmp_path: Path) -> None:
    data = _three_criteria(tmp_path, "  a: {b: 3}\n")
    result = cli("validate", "-d", data, "-f", "text")
    assert result.exit_code == 1
    assert (
        "strategy.yaml:8:1: error [invalid-weights] pairwise comparisons are incomplete"
        in result.stdout
    )
    assert cli("prioritize", "-d", data).exit_code == 1


def test_inconsistent_pairwise_is_a_warning_shown_above_the_ranking(
    cli: Cli, tmp_path: Path
) -> None:
    # a ≫ b ≫ c but c ≫ a: as contradictory as judgments get
    data = _three_criteria(tmp_path, "  a: {b: 9, c: 0.1111111}\n  b: {c: 9}\n")
    result = cli("validate", "-d", data, "-f", "text")
    assert result.exit_code == 0 and "[ahp-inconsistent]" in result.stdout
    ranked = cli("prioritize", "-d", data, "-f", "json")
    assert "inconsistent" in json.loads(ranked.stdout)["notes"][0]


def test_explain_shows_the_reasons(cli: Cli) -> None:
    result = cli("explain", "e-akte", "-d", DATA, "-r", "100")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "e-akte — Einführung der E-Akte" in text
    assert "pulled up from 62.5 to 75.0 by papierlose-verwaltung" in text
    assert "needs: dms-plattform" in text
    assert "band: must" in text
    document = json.loads(
        cli("explain", "kita-navigator-neu", "-d", DATA, "-f", "json", "-r", "100").stdout
    )
    assert document["prerequisites"] == ["servicekonto"]  # done, so not ranked
    assert {c["criterion"] for c in document["criteria"]} >= {"citizen_value", "risk"}
    assert document["levers"] and document["levers"][0]["above"]
    assert document["robustness"]["draws"] == 100


def test_explain_unknown_or_unranked_project(cli: Cli) -> None:
    unknown = cli("explain", "e-akt", "-d", DATA)
    assert unknown.exit_code == 2 and "did you mean 'e-akte'" in unknown.output
    done = cli("explain", "dms-plattform", "-d", DATA)
    assert done.exit_code == 2 and "--status done" in done.output
