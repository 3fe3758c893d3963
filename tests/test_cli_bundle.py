from __future__ import annotations

import json
import shutil
from pathlib import Path

from markdown_it import MarkdownIt

from .conftest import MINIMAL, ROOT, Cli

DATA = str(ROOT / "data")


def test_bundle_json_follows_the_contract(cli: Cli) -> None:
    result = cli("bundle", "-d", DATA, "-f", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert list(document) == ["threshold", "bundles"]
    first = document["bundles"][0]
    assert list(first) == ["projects", "score", "reasons", "titles", "evidence"]
    # the reasons once more as codes with parameters, one per reason (worded at the edge)
    for bundle in document["bundles"]:
        assert len(bundle["evidence"]) == len(bundle["reasons"])
        assert all(set(e) == {"code", "params"} for e in bundle["evidence"])
    found = [b["projects"] for b in document["bundles"]]
    assert ["anregungen-beschwerden", "maengelmelder"] in found
    scores = [b["score"] for b in document["bundles"]]
    assert scores == sorted(scores, reverse=True)
    assert all(0.25 <= s <= 1 for s in scores)  # calibrated: at least the threshold
    duesselpass = document["bundles"][0]
    assert duesselpass["projects"] == ["duesselpass-digital", "wallet-statt-plastikkarten"]
    assert "same program: ozg-umsetzung" in duesselpass["reasons"]


def test_bundle_explain_shows_contributions_and_terms(cli: Cli) -> None:
    """Issue 17: each signal's contribution in log-odds, the total, and the normalised
    terms of both projects with those they share."""
    result = cli(
        "bundle", "-d", DATA, "--explain", "sperrmuell-anmeldung", "sperrgut-terminbuchung"
    )
    text = " ".join(result.stdout.split())
    assert result.exit_code == 0
    assert "shared goals: termine-online" in text
    assert "intercept" in text and "total z" in text and "log-odds" in text
    assert "terms of sperrmuell-anmeldung:" in text and "sperrmuell" in text
    assert "shared (weight): sperre" in text
    document = json.loads(
        cli(
            "bundle", "-d", DATA, "-f", "json", "--explain", "sperrmuell-anmeldung",
            "sperrgut-terminbuchung",
        ).stdout
    )  # fmt: skip
    z = document["intercept"] + sum(s["contribution"] for s in document["signals"])
    assert abs(z - document["log_odds"]) < 1e-3
    assert "sperrgutabfuhr" in document["terms"]["a"] + document["terms"]["b"]


def test_bundle_synonyms_from_the_strategy_take_effect(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    strategy = data / "strategy.yaml"
    strategy.write_text(
        strategy.read_text(encoding="utf-8").replace(
            "  threshold: 0.25", "  threshold: 0.25\n  synonyms: [[Sperrgut, Sperrmüll]]"
        ),
        encoding="utf-8",
    )
    args = ("-f", "json", "--explain", "sperrmuell-anmeldung", "sperrgut-terminbuchung")
    before = json.loads(cli("bundle", "-d", DATA, *args).stdout)
    after = json.loads(cli("bundle", "-d", str(data), *args).stdout)
    assert after["score"] > before["score"]
    assert {"term": "=sperrgut", "weight": 1.0} in after["terms"]["shared"]


def test_bundle_distinct_from(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "projects" / "maengelmelder.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "distinct_from: [anregungen-beschwerden]\n",
        encoding="utf-8",
    )
    document = json.loads(cli("bundle", "-d", str(data), "-f", "json").stdout)
    assert ["anregungen-beschwerden", "maengelmelder"] not in [
        b["projects"] for b in document["bundles"]
    ]


def test_bundle_markdown_keeps_hostile_titles_in_their_cells(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    for pid in ("aa-1", "aa-2"):
        (data / "projects" / f"{pid}.yaml").write_text(
            f'id: {pid}\ntitle: "Sperrmüll | <script>alert(1)</script>\\nonline"\nowner: X\n'
            "scores: {nutzen: 3}\n",
            encoding="utf-8",
        )
    md = cli("bundle", "-d", str(data), "-f", "md").stdout
    tokens = MarkdownIt().enable("table").parse(md)
    cells = [t for t in tokens if t.type == "inline"]
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == 2  # header and one bundle: the '|' and newline did not split it
    assert any("Sperrmüll | &lt;script&gt;" in c.content for c in cells)


def test_bundle_usage_errors(cli: Cli) -> None:
    wrong = cli("bundle", "-d", DATA, "--explain", "e-akt", "e-akte")
    assert wrong.exit_code == 2 and "did you mean 'e-akte'" in wrong.output
    assert cli("bundle", "-d", DATA, "--threshold", "2").exit_code == 2
