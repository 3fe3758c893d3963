"""Findings of this round's own red-team pass, each fixed: the value a user sees."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from .conftest import ROOT, example_with_title, snapshot


def test_a_bare_cr_in_a_title_cannot_split_a_csv_row(cli: Any, tmp_path: Path) -> None:
    data = example_with_title(tmp_path, '"Wohnsitz\\r=1+1"')
    result = cli("prioritize", "-d", data, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert all(len(row) == len(rows[0]) for row in rows)
    assert not any(row[0].startswith("=") for row in rows)


def test_xlsx_export_drops_characters_a_workbook_cannot_hold(cli: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    data = example_with_title(tmp_path, '"Wohnsitz\\x1b[31m\\x0bonline"')
    out = tmp_path / "x.xlsx"
    result = cli("export", "--format", "xlsx", "--out", out, "-d", data)
    assert result.exit_code == 0, result.output
    titles = [c.value for c in load_workbook(out)["Projekte"]["B"]]
    assert "Wohnsitz[31monline" in titles


def test_a_mapping_value_that_is_no_status_is_a_located_problem(cli: Any, tmp_path: Path) -> None:
    data = tmp_path / "stadt"
    assert cli("init", data, "--organization", "X", "--period", "2026-2028").exit_code == 0
    sheet = tmp_path / "liste.csv"
    sheet.write_text("Projekt;Status\nBürgerportal;Idee\n", encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("values:\n  status:\n    Idee: bogus\n", encoding="utf-8")
    before = snapshot(data)
    result = cli("import", sheet, "-d", data, "--mapping", mapping)
    assert result.exit_code == 1, result.output
    assert "buergerportal.yaml" in result.output and "status" in result.output
    assert snapshot(data) == before


def test_a_second_goal_measurement_on_one_date_is_refused(cli: Any, tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    before = snapshot(data)
    result = cli("record", "kpi", "ozg", "online-leistungen", "280", "--date", "2026-09-30",
                 "-d", data)  # fmt: skip
    assert result.exit_code == 1
    assert "two measurements on 2026-09-30" in result.output
    assert snapshot(data) == before


def test_a_number_of_thousands_of_digits_is_a_usage_error(cli: Any, tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    result = cli("set", "e-akte", "effort.budget_eur=" + "9" * 5000, "-d", data)
    assert result.exit_code == 2 and "more than 100 digits" in result.output


def test_init_on_a_read_only_file_system_is_a_message_not_a_bug(
    cli: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    import errno

    import roadmap.edit

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(roadmap.edit, "write_atomically", refuse)
    result = cli("init", tmp_path / "stadt", "--organization", "X", "--period", "2026-2028")
    assert result.exit_code == 1
    assert "Read-only file system" in result.output and "bug" not in result.output


def test_validate_to_a_closed_stdout_is_a_message(tmp_path: Path) -> None:
    for fmt in ("json", "github"):
        result = subprocess.run(
            f"{sys.executable} -m roadmap validate -d {ROOT / 'data'} --format {fmt} >&-",
            shell=True, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode in (1, 2), result.stderr
        assert "Traceback" not in result.stderr and "unexpected" not in result.stderr


# ---------------------------------------------------------------- size options


def test_a_billion_robustness_draws_is_a_usage_error_naming_the_limit(cli: Any) -> None:
    for command in (["prioritize"], ["explain", "e-akte"]):
        result = cli(*command, "-d", ROOT / "data", "-r", "1000000000")
        assert result.exit_code == 2, result.output
        assert "--robustness 1000000000: at most 100,000 draws" in result.stderr
        assert "bug" not in result.output


def test_more_draws_than_fit_in_memory_for_the_portfolio_are_refused(
    cli: Any, monkeypatch: Any
) -> None:
    import roadmap.robustness

    monkeypatch.setattr(roadmap.robustness, "MAX_RANK_CELLS", 41 * 30)
    result = cli("prioritize", "-d", ROOT / "data", "-r", "31", "-f", "json")
    assert result.exit_code == 2, result.output
    assert "at most 30 draws for 41 ranked projects" in result.stderr
    assert result.stdout == ""
    assert cli("prioritize", "-d", ROOT / "data", "-r", "30", "-f", "json").exit_code == 0


def test_the_library_refuses_too_many_draws_before_any_work() -> None:
    import pytest

    from roadmap.load import load_portfolio
    from roadmap.robustness import MAX_DRAWS, TooManyDraws, robustness
    from roadmap.score import rank

    portfolio = load_portfolio(ROOT / "data").portfolio
    ranking = rank(portfolio)
    with pytest.raises(TooManyDraws):
        robustness(portfolio, ranking, MAX_DRAWS + 1)
    assert ranking.robustness_draws == 0 and ranking.entries[0].p_top is None


def test_a_top_beyond_any_portfolio_counts_every_project(cli: Any) -> None:

    result = cli("prioritize", "-d", ROOT / "data", "-r", "20", "-n", "9" * 30, "-f", "json")
    assert result.exit_code == 0, result.output
    assert {p["p_top"] for p in json.loads(result.stdout)["projects"]} == {1.0}


def test_the_help_names_the_draws_limit_the_code_enforces(cli: Any) -> None:
    from roadmap.robustness import MAX_DRAWS

    assert f"{MAX_DRAWS:,} draws" in " ".join(cli("prioritize", "--help").stdout.split())


def test_an_infinite_what_if_is_a_usage_error_not_infinity_in_json(cli: Any) -> None:
    for command, option in (
        ("plan", "--budget-scale"),
        ("plan", "--capacity-scale"),
        ("optimize", "--staff-scale"),
        ("optimize", "--allow-overrun"),
    ):
        result = cli(command, "-d", ROOT / "data", option, "1e309", "-f", "json")
        assert result.exit_code == 2, (option, result.output)
        assert f"{option} inf: expected a finite number" in result.stderr
        assert "Infinity" not in result.stdout


# ---------------------------------------------------------------- an ASCII locale

ASCII_LOCALE = {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}


def _roadmap_bytes(*args: bytes, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    import os

    env = {**os.environ, **ASCII_LOCALE}
    env.pop("ROADMAP_DATA", None)
    return subprocess.run(
        [sys.executable.encode(), b"-m", b"roadmap", *args],
        cwd=cwd, env=env, capture_output=True, check=False,
    )  # fmt: skip


def test_utf8_arguments_under_an_ascii_locale_are_read_as_utf8(tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "Dörfer"
    shutil.copytree(ROOT / "data", data)
    before = snapshot(data)
    result = _roadmap_bytes(b"set", b"e-akte", "title=Ämter".encode(), b"--dry-run",
                            b"-d", "Dörfer".encode(), cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert "+title: Ämter".encode() in result.stdout
    assert snapshot(data) == before
    ranked = _roadmap_bytes(b"prioritize", b"-f", b"json", b"-d", "Dörfer".encode(), cwd=tmp_path)
    assert ranked.returncode == 0, ranked.stderr.decode("utf-8", "replace")
    assert len(json.loads(ranked.stdout)["projects"]) == 41


def test_arguments_that_are_not_utf8_stay_refused_with_the_byte_named(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(ROOT / "data", tmp_path / "data")
    result = _roadmap_bytes(b"set", b"e-akte", b"title=Gr\xfc\xdfe", b"--dry-run", cwd=tmp_path)
    assert result.returncode == 2
    assert b"byte 3 (0xfc) is not UTF-8" in result.stderr
    assert b"Traceback" not in result.stderr
