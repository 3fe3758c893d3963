from __future__ import annotations

import json
import shutil
from pathlib import Path

from .conftest import MINIMAL, ROOT, Cli

DATA = str(ROOT / "data")
TODAY = ["--today", "2026-11-21"]


def test_plan_json_follows_the_contract(cli: Cli) -> None:
    result = cli("plan", "-d", DATA, "-f", "json", *TODAY)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    # the public wifi has no room in the period: placed after it, not dropped
    assert document["end"] == "2032-12-31"
    first = document["projects"][0]
    assert {"id", "start", "end", "critical", "slack_days"} <= set(first)
    by_id = {p["id"]: p for p in document["projects"]}
    assert by_id["freies-wlan-plaetze"]["start"] == "2031-01-01"
    assert by_id["freies-wlan-plaetze"]["after_period"] == (
        "budget exhausted in 2027, 2028 and 2029: its 900,000 EUR (and running costs) never fit"
    )
    assert "after_period" not in by_id["reallabore"]
    unscheduled = {u["id"]: u["reason"] for u in document["unscheduled"]}
    assert unscheduled == {
        "blockchain-pilot": "decided 'wont'",
        "fundbuero-online": "not eligible: strategic_fit 1 is below its gate 2",
    }
    by_id = {p["id"]: p for p in document["projects"]}
    # the paperless administration waits for the e-file rollout (ends 2028-06-30)
    assert by_id["papierlose-verwaltung"]["start"] == "2028-07-01"
    for year, use in document["years"].items():
        assert use["budget_used"] <= use["budget"], year
    assert document["quality"] >= 1.0


def test_plan_what_if_lists_what_moves_earlier(cli: Cli) -> None:
    result = cli("plan", "-d", DATA, "-f", "json", *TODAY, "--capacity-scale", "1.2")
    what_if = json.loads(result.stdout)["what_if"]
    assert what_if["schedulable"] == ["freies-wlan-plaetze"]
    assert {"id": "ki-verwaltung", "from": "2028-03-01", "to": "2027-07-01"} in what_if["earlier"]
    text = cli("plan", "-d", DATA, *TODAY, "--budget", "2027=3500000").stdout
    assert "become schedulable: freies-wlan-plaetze" in text


def test_plan_markdown_has_a_mermaid_gantt(cli: Cli) -> None:
    md = cli("plan", "-d", DATA, "-f", "md", *TODAY).stdout
    assert md.startswith("```mermaid\ngantt\n    dateFormat YYYY-MM-DD\n")
    assert "    Papierlose Verwaltung :p_papierlose_verwaltung, 2028-07-01, 2030-06-30\n" in md


def test_plan_bad_options_exit_2(cli: Cli) -> None:
    result = cli("plan", "-d", DATA, "--budget", "2027:3000000")
    assert result.exit_code == 2 and "expected YEAR=NUMBER" in result.output
    assert cli("plan", "-d", DATA, "--today", "21.11.2026").exit_code == 2


def test_plan_with_zero_capacity_explains_and_warns(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    strategy = data / "strategy.yaml"
    strategy.write_text(
        strategy.read_text(encoding="utf-8") + "capacity:\n"
        "  - {year: 2026, budget_eur: 0, staff_fte: 0}\n",
        encoding="utf-8",
    )
    (data / "projects" / "e-akte.yaml").write_text(
        "id: e-akte\ntitle: E-Akte\nowner: X\nfield: verwaltung\nscores: {nutzen: 4}\n"
        "duration_months: 6\ndeadline: 2027-06-30\neffort: {staff_fte: 1}\n",
        encoding="utf-8",
    )
    result = cli("plan", "-d", str(data), "-f", "json", "--today", "2026-01-01")
    document = json.loads(result.stdout)
    assert document["unscheduled"] == []
    assert document["projects"][0]["after_period"].startswith(
        "staff exhausted in 2026 and 2027: 1 FTE are never free for 6 months in a row"
    )
    warning = document["warnings"][0]
    assert (warning["code"], Path(warning["file"]).name, warning["line"]) == (
        "deadline-missed",
        "e-akte.yaml",
        7,
    )


def test_graph_mermaid_and_dot_escape_titles(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "projects" / "portal.yaml").write_text(
        'id: portal\ntitle: "Portal <script>\\"x\\"</script>"\nowner: X\nscores: {nutzen: 3}\n'
        "depends_on: [e-akte]\n",
        encoding="utf-8",
    )
    mermaid = cli("graph", "-d", str(data)).stdout
    assert 'p_portal["Portal #60;script#62;#34;x#34;#60;/script#62; (Idee)"]:::idea' in mermaid
    assert "p_e_akte ==> p_portal" in mermaid  # the critical path, drawn bold
    dot = cli("graph", "-d", str(data), "-f", "dot").stdout
    assert '"portal" [label="Portal <script>\\"x\\"</script> (Idee)"' in dot
    assert '"e-akte" -> "portal" [color="#c00000", penwidth=3];' in dot


def test_graph_around_a_project(cli: Cli) -> None:
    result = cli("graph", "-d", DATA, "--around", "papierlose-verwaltung")
    nodes = [line.split("[")[0].strip() for line in result.stdout.splitlines() if '["' in line]
    assert nodes == ["p_e_akte", "p_papierlose_verwaltung"]
    wrong = cli("graph", "-d", DATA, "--around", "e-akt")
    assert wrong.exit_code == 2 and "did you mean 'e-akte'" in wrong.output
