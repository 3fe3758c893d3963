"""Where a command's output goes: standard output once and whole, ``--out FILE`` (also
``-``, a symlink, a device), and what happens when it cannot be written. Closed
standard output, a full disk and an ASCII locale need a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import MINIMAL, ROOT, Cli


def roadmap(
    *args: object, env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, **(env or {})}
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "roadmap", *map(str, args)],
        capture_output="stdout" not in kwargs,
        env=environment,
        timeout=120,
        **kwargs,
    )


def test_closed_standard_output_is_a_usage_error() -> None:
    done = subprocess.run(
        f'"{sys.executable}" -m roadmap prioritize -d "{MINIMAL}" -f json >&-',
        shell=True,
        capture_output=False,
        stderr=subprocess.PIPE,
        timeout=120,
    )
    assert done.returncode == 2
    assert b"standard output is closed" in done.stderr
    assert b"Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_ends_in_a_message_and_exit_1() -> None:
    with open("/dev/full", "wb") as full:
        done = roadmap(
            "prioritize", "-d", MINIMAL, "-f", "json", stdout=full, stderr=subprocess.PIPE
        )
    assert done.returncode == 1
    assert b"cannot write to standard output: No space left on device" in done.stderr
    assert b"Traceback" not in done.stderr
    assert b"Exception ignored" not in done.stderr


@pytest.mark.parametrize("command", [["prioritize", "-f", "json"], ["plan"], ["kpi"]])
def test_an_ascii_locale_still_writes_utf8(command: list[str]) -> None:
    done = roadmap(
        *command,
        "-d",
        ROOT / "data",  # titles with umlauts, KPI symbols ✔ ⚠ ✘
        env={"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": "ascii"},
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8")  # valid UTF-8, whatever the locale says
    assert any(ord(char) > 127 for char in text)  # umlauts, arrows or KPI symbols
    if "json" in command:
        assert json.loads(text)["projects"]


def test_out_dash_is_standard_output(cli: Cli) -> None:
    result = cli("prioritize", "-d", MINIMAL, "-f", "json", "--out", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["projects"]
    assert "wrote" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["prioritize", "-f", "json"],
        ["explain", "e-akte", "-f", "json", "-r", "0"],
        ["plan", "-f", "json"],
        ["graph", "-f", "dot"],
        ["bundle", "-f", "json"],
        ["optimize", "-f", "json"],
        ["kpi", "-f", "json"],
        ["export", "-f", "csv"],
        ["report"],
    ],
)
def test_every_command_writes_to_out_and_says_so_on_stderr(
    cli: Cli, tmp_path: Path, command: list[str]
) -> None:
    target = tmp_path / "result.txt"
    shown = cli(*command, "-d", MINIMAL)
    result = cli(*command, "-d", MINIMAL, "--out", target)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.strip().endswith(f"wrote {target}")
    assert target.read_text(encoding="utf-8") == shown.stdout


def test_out_into_a_missing_folder_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("plan", "-d", MINIMAL, "--out", tmp_path / "missing" / "plan.txt")
    assert result.exit_code == 2
    assert f"folder {tmp_path / 'missing'} does not exist" in result.stderr


def test_out_follows_a_symlink(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "real.csv"
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    result = cli("export", "-f", "csv", "-d", MINIMAL, "--out", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").startswith("ID,Titel,")  # a German strategy


def test_out_writes_through_a_device(cli: Cli) -> None:
    result = cli("export", "-f", "json", "-d", MINIMAL, "--out", os.devnull)
    assert result.exit_code == 0, result.output
    assert Path(os.devnull).is_char_device()


def test_native_output_during_a_solve_goes_to_stderr_not_into_the_document(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """HiGHS (C++) can print to file descriptor 1 while it solves; inside the guard
    that goes nowhere (to stderr with --debug), and stdout works again afterwards."""
    from roadmap.cli.common import native_stdout_to_stderr

    message = b"HighsMipSolverData::transformNewIntegerFeasibleSolution\n"
    with native_stdout_to_stderr():
        os.write(1, message)
    print("document")
    out, err = capfd.readouterr()
    assert (out, err) == ("document\n", "")
    monkeypatch.setenv("ROADMAP_DEBUG", "1")
    with native_stdout_to_stderr():
        os.write(1, message)
    print("document")
    out, err = capfd.readouterr()
    assert out == "document\n"
    assert "HighsMipSolverData" in err


def test_quiet_validate_writes_its_report_without_saying_so(cli: Cli, tmp_path: Path) -> None:
    report = tmp_path / "gl.json"
    said = cli("validate", "-d", str(MINIMAL), "-f", "gitlab", "--output", str(report))
    assert "wrote" in said.stderr
    quiet = cli("-q", "validate", "-d", str(MINIMAL), "-f", "gitlab", "--output", str(report))
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert json.loads(report.read_text(encoding="utf-8")) == []
