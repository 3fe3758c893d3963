"""One name per concept across the commands, messages about files on stderr, and the
graph for programs."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import MINIMAL, ROOT, Cli


def test_graph_json_has_nodes_edges_and_the_critical_path(cli: Cli) -> None:
    result = cli("graph", "-f", "json", "-d", ROOT / "data")
    assert result.exit_code == 0, result.output
    graph = json.loads(result.stdout)
    assert list(graph) == ["nodes", "edges", "critical"]
    ids = {n["id"] for n in graph["nodes"]}
    assert {"e-akte", "buergerportal"} <= ids
    assert set(graph["nodes"][0]) == {"id", "title", "status", "field"}
    assert all(e["from"] in ids and e["to"] in ids for e in graph["edges"])
    critical = [{"from": e["from"], "to": e["to"]} for e in graph["edges"] if e["critical"]]
    assert graph["critical"] == critical and critical


def test_top_has_the_short_name_n_everywhere(cli: Cli) -> None:
    report = cli("report", "-d", ROOT / "data", "-n", "3", "--today", "2026-11-21")
    assert report.exit_code == 0, report.output
    assert cli("prioritize", "-d", MINIMAL, "-n", "1").exit_code == 0
    assert cli("explain", "e-akte", "-d", MINIMAL, "-n", "1", "-r", "0").exit_code == 0


def test_edit_messages_go_to_stderr_and_the_diff_to_stdout(cli: Cli, portfolio: Path) -> None:
    result = cli("set", "e-akte", "owner=B. Beispiel", "-d", portfolio)
    assert result.exit_code == 0, result.output
    assert "updated " in result.stderr and "updated" not in result.stdout
    assert "+owner: B. Beispiel" in result.stdout
    again = cli("set", "e-akte", "owner=B. Beispiel", "-d", portfolio)
    assert "already says so; nothing changed" in again.stderr
    assert again.stdout == ""
