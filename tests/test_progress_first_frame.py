"""Issue 18's first sign of life: validate shows the indicator on a terminal too, its
first frame as plain text (no escape sequence), gone before the report is written."""

from __future__ import annotations

import sys

import pytest

from roadmap.cli import progress

from .conftest import ROOT
from .test_cli_progress import run_with_terminal_stderr


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_validate_shows_progress_on_a_terminal_and_not_in_its_report() -> None:
    code, stdout, terminal = run_with_terminal_stderr(
        "validate", "-d", str(ROOT / "data"), "-f", "json"
    )
    assert code == 0
    assert stdout.startswith(b"{") and b"loading" not in stdout
    # the plain first frame (delay 0: before the command names its stage), then rich's
    assert terminal.startswith("\r⠋ working\r".encode())
    # rich names the stage once it has drawn a frame; a validate that ends sooner (a
    # warm cache in a fresh clone) only blanks the plain frame: either way the line is
    # left empty (tests/test_cli_progress.py shows the stage on a longer run)
    assert b"loading and checking the data" in terminal or terminal.endswith(b"\r")


def test_the_first_frame_is_plain_text_and_is_blanked_on_stop(
    capsys: pytest.CaptureFixture[str],
) -> None:
    shown = progress.Progress("checking")
    with shown._lock:
        shown._plain = progress._write_line(f"{progress.FIRST_FRAME} checking")
    shown.stop()
    written = capsys.readouterr().err
    assert written.startswith("\r⠋ checking\r")
    assert written.endswith("\r" + " " * len("⠋ checking") + "\r")
    assert "\x1b" not in written


def test_the_indicator_appears_within_half_a_second_of_the_run() -> None:
    assert progress.DELAY <= 0.5
