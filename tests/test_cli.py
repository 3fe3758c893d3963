from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from roadmap import __version__

from .conftest import CASES, ROOT, Cli, snapshot


def test_validate_clean_portfolio_exits_0(cli: Cli, portfolio: Path) -> None:
    result = cli("validate", "--data", str(portfolio), "--format", "table")
    assert result.exit_code == 0
    assert "no problems in 2 files" in result.stdout


def test_validate_json_has_the_contract_keys(cli: Cli) -> None:
    case = CASES / "invalid" / "policies"
    result = cli("validate", "--data", str(case), "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert (document["ok"], document["errors"], document["warnings"]) == (False, 3, 2)
    first = document["problems"][0]
    assert set(first) == {"file", "line", "column", "severity", "code", "message"}
    assert (first["line"], first["column"], first["code"]) == (3, 1, "policy-kpi-required")


def test_github_format_prints_annotations(cli: Cli) -> None:
    case = CASES / "invalid" / "references"
    result = cli("validate", "-d", str(case), "-f", "github")
    lines = result.stdout.splitlines()
    assert result.exit_code == 1
    assert any(
        line.startswith("::error file=")
        and ",line=6,col=14,title=unknown-dependency::depends_on[0]: no project 'dms-plattfrom'"
        in line
        for line in lines
    ), lines


def test_auto_format_is_github_under_actions(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = cli("validate", "-d", str(CASES / "invalid" / "tabs"))
    assert result.stdout.startswith("::group::")
    assert result.stdout.splitlines()[1].startswith("::error file=")


def test_strict_makes_warnings_fail(cli: Cli, portfolio: Path) -> None:
    (portfolio / "projects" / "e-akte.yaml").write_text(
        "id: e-akte\ntitle: E-Akte\nscores: {nutzen: 4}\n", encoding="utf-8"
    )  # no owner
    assert cli("validate", "-d", str(portfolio)).exit_code == 0
    result = cli("validate", "-d", str(portfolio), "--strict")
    assert result.exit_code == 1
    assert "policy-owner-required" in result.stdout


def test_paths_limit_the_report(cli: Cli, tmp_path: Path) -> None:
    case = CASES / "invalid" / "references"
    only = case / "projects" / "portal.yaml"
    result = cli("validate", "-d", str(case), "-f", "json", str(only))
    files = {Path(p["file"]).name for p in json.loads(result.stdout)["problems"]}
    assert files == {"portal.yaml"}


def test_usage_errors_exit_2(cli: Cli, tmp_path: Path) -> None:
    missing = cli("validate", "--data", str(tmp_path / "nope"))
    assert missing.exit_code == 2
    assert "does not exist" in missing.output
    bad_option = cli("validate", "--format", "xml")
    assert bad_option.exit_code == 2
    bad_path = cli("validate", "-d", str(CASES / "valid" / "minimal"), str(tmp_path / "nope.yaml"))
    assert bad_path.exit_code == 2 and "no such file" in bad_path.output


def test_validate_changes_nothing_on_disk(cli: Cli) -> None:
    case = CASES / "invalid" / "references"
    before = snapshot(case)
    cli("validate", "-d", str(case))
    assert snapshot(case) == before


def test_data_from_environment(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROADMAP_DATA", str(CASES / "invalid" / "empty-file"))
    result = cli("validate", "-f", "text")
    assert result.exit_code == 1 and "[file-empty]" in result.stdout


def test_version_and_help(cli: Cli) -> None:
    assert cli("--version").stdout == f"roadmap {__version__}\n"
    result = cli("--help")
    assert result.exit_code == 0 and "validate" in result.stdout and "schema" in result.stdout


def test_schema_describes_both_file_kinds(cli: Cli, tmp_path: Path) -> None:
    result = cli("schema")
    document = json.loads(result.stdout)
    project, strategy = document["project"], document["strategy"]
    assert project["additionalProperties"] is False
    assert "title" in project["required"] and project["properties"]["status"]["enum"][0] == "idea"
    assert project["properties"]["id"]["pattern"] == "^[a-z0-9][a-z0-9-]{1,63}$"
    assert "period" in strategy["required"]
    written = cli("schema", "--out-dir", str(tmp_path))
    assert written.exit_code == 0
    assert json.loads((tmp_path / "project.schema.json").read_text()) == project


def test_real_process_reports_without_traceback() -> None:
    """The installed entry point end to end; broken data gives exit 1 and no traceback."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "roadmap",
            "validate",
            "-d",
            str(CASES / "invalid" / "malformed-yaml"),
            "-f",
            "text",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ},
    )
    assert result.returncode == 1
    assert result.stdout.startswith("tests/cases/invalid/malformed-yaml/projects/kaputt.yaml:3:6:")
    assert "Traceback" not in result.stderr
