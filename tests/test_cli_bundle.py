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
    found = [b["projects"] for b in document["bundles"]]
    assert ["sperrgut-terminbuchung", "sperrmuell-anmeldung"] in found
    assert ["anregungen-beschwerden", "maengelmelder"] in found
    scores = [b["score"] for b in document["bundles"]]
    assert scores == sorted(scores, reverse=True)
    sperr = document["bundles"][found.index(["sperrgut-terminbuchung", "sperrmuell-anmeldung"])]
    assert "shared tags: abfall, termine" in sperr["reasons"]


def test_bundle_explain_and_distinct_from(cli: Cli, tmp_path: Path) -> None:
    text = cli(
        "bundle", "-d", DATA, "--explain", "sperrmuell-anmeldung", "sperrgut-terminbuchung"
    ).stdout
    assert "shared goals: termine-online" in text
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
