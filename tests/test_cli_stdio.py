"""`-` means standard output or standard input wherever a command takes a file: the
sheets to import (project lists, raters' forms), the import mapping, the rater's form
written, the schema folder. What goes through `-` is what the file would hold."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from roadmap.cli import app

from .conftest import ROOT, Cli, snapshot

EXAMPLES = ROOT / "examples"


def run(*args: object, input: bytes | None = None) -> tuple[int, bytes, str]:
    """``roadmap ARGS`` with binary standard input and output."""
    result = CliRunner().invoke(app, [str(a) for a in args], input=input)
    return result.exit_code, result.stdout_bytes, result.stderr


def empty_portfolio(cli: Cli, folder: Path) -> Path:
    assert cli("init", folder).exit_code == 0
    return folder


def projects(folder: Path) -> dict[str, str]:
    """The project files without their first line (the comment naming the source)."""
    return {
        p.name: p.read_text(encoding="utf-8").split("\n", 1)[1]
        for p in sorted((folder / "projects").glob("*.yaml"))
    }


def test_import_reads_a_csv_or_a_workbook_from_stdin(cli: Cli, tmp_path: Path) -> None:
    for sheet in ("projektliste.csv", "projektliste.xlsx"):
        piped = empty_portfolio(cli, tmp_path / f"piped-{sheet}")
        named = empty_portfolio(cli, tmp_path / f"named-{sheet}")
        code, _, stderr = run(
            "import", "-", "-d", piped, "--yes", input=(EXAMPLES / sheet).read_bytes()
        )
        assert code == 0, stderr
        assert cli("import", EXAMPLES / sheet, "-d", named, "--yes").exit_code == 0
        assert projects(piped) == projects(named) and len(projects(piped)) == 12
        first = next((piped / "projects").glob("*.yaml")).read_text(encoding="utf-8")
        assert first.startswith("# <stdin>, row ")


def test_a_bad_sheet_from_stdin_is_named_stdin(cli: Cli, tmp_path: Path) -> None:
    folder = empty_portfolio(cli, tmp_path / "data")
    before = snapshot(folder)
    code, _, stderr = run("import", "-", "-d", folder, input=b"Spalte\nWert\n")
    assert code == 1
    assert "<stdin>:1:1: error [no-title-column]" in stderr
    assert "roadmap: <stdin> has cells that cannot be read; nothing was written" in stderr
    workbook = (EXAMPLES / "projektliste.xlsx").read_bytes()
    code, _, stderr = run("import", "-", "-d", folder, "--sheet", "X", input=workbook)
    assert code == 2
    assert "<stdin> has no sheet 'X'; its sheets: 'Projekte'" in stderr
    assert "stdin.xlsx" not in stderr and "/tmp" not in stderr
    assert snapshot(folder) == before


def test_the_import_mapping_from_stdin(cli: Cli, tmp_path: Path) -> None:
    folder = empty_portfolio(cli, tmp_path / "data")
    sheet = tmp_path / "liste.csv"
    sheet.write_text("Vorhaben;Kürzel\nE-Akte;x\n", encoding="utf-8")
    mapping = b"columns: {Vorhaben: title, 'K\xc3\xbcrzel': ignore}\n"
    code, out, stderr = run(
        "import", sheet, "-d", folder, "--mapping", "-", "--show-mapping", input=mapping
    )
    assert code == 0, stderr
    assert out.decode().splitlines() == ["A 'Vorhaben' → title"]
    code, _, stderr = run("import", sheet, "-d", folder, "--mapping", "-", input=b"columns: [")
    assert code == 1 and "<stdin>:" in stderr
    code, _, stderr = run("import", "-", "-d", folder, "--mapping", "-", input=mapping)
    assert code == 2
    assert "FILE and --mapping cannot both be - (one standard input)" in stderr


def test_a_raters_form_goes_through_stdout_and_back_through_stdin(tmp_path: Path) -> None:
    workshop = tmp_path / "ws"
    shutil.copytree(EXAMPLES / "workshop", workshop)
    code, form, stderr = run("ratings", "sheet", "-d", workshop, "-r", "amt-33", "-o", "-")
    assert code == 0, stderr
    assert form.startswith(b"PK\x03\x04") and stderr == ""
    written = tmp_path / "amt-33.xlsx"
    run("ratings", "sheet", "-d", workshop, "-r", "amt-33", "-o", written)
    before = snapshot(workshop)
    piped = run("ratings", "import", "-", "-d", workshop, "-r", "amt-33", "--dry-run", input=form)
    named = run("ratings", "import", written, "-d", workshop, "-r", "amt-33", "--dry-run")
    assert piped[0] == named[0] == 0, piped[2]
    assert (piped[1], piped[2]) == (named[1], named[2])
    assert snapshot(workshop) == before


def test_a_raters_form_into_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "amt-33.xlsx"
    code, _, stderr = run(
        "ratings", "sheet", "-d", EXAMPLES / "workshop", "-r", "amt-33", "-o", target
    )
    assert code == 2
    assert f"folder {tmp_path / 'missing'} does not exist" in stderr
    assert not (tmp_path / "missing").exists()


def test_schema_out_dash_prints_instead_of_making_a_folder(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("schema", "project", "--out", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["$id"].endswith(":project")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_raters_form_is_not_sent_to_a_terminal(tmp_path: Path) -> None:
    """`-o -` into a pipe is a workbook; onto a terminal it would be noise (as export)."""
    import os
    import pty
    import select
    import subprocess

    leader, follower = pty.openpty()
    args = ["ratings", "sheet", "-d", str(EXAMPLES / "workshop"), "-r", "amt-33", "-o", "-"]
    process = subprocess.Popen(
        [sys.executable, "-m", "roadmap", *args], stdout=follower, stderr=follower, cwd=tmp_path
    )
    os.close(follower)
    shown = b""
    while select.select([leader], [], [], 60)[0]:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait(timeout=60) == 2
    os.close(leader)
    assert b"a workbook is no text for the terminal; give --out amt-33.xlsx" in shown
    assert b"PK" not in shown and list(tmp_path.iterdir()) == []
