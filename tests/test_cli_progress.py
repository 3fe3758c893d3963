"""The progress indicator: on a terminal's standard error only, never with --quiet,
never in the output; and shell completion of ids."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import MINIMAL, ROOT, Cli


def run_with_terminal_stderr(*args: str) -> tuple[int, bytes, bytes]:
    """Run roadmap with standard error on a pseudo-terminal; (exit code, stdout, what
    the terminal received)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "ROADMAP_PROGRESS_DELAY": "0", "TERM": "xterm-256color"}
    process = subprocess.Popen(
        [sys.executable, "-m", "roadmap", *args],
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    received = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the process closed the terminal
            break
        if not chunk:
            break
        received += chunk
    stdout, _ = process.communicate(timeout=60)
    os.close(leader)
    return process.returncode, stdout, received


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_shows_on_a_terminal_and_not_in_the_output() -> None:
    code, stdout, terminal = run_with_terminal_stderr(
        "prioritize", "-d", str(ROOT / "data"), "-r", "200", "-f", "json"
    )
    assert code == 0
    assert stdout.startswith(b"{")
    assert b"loading and checking the data" in terminal or b"robustness" in terminal


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_quiet_shows_no_progress() -> None:
    code, stdout, terminal = run_with_terminal_stderr(
        "--quiet", "prioritize", "-d", str(MINIMAL), "-f", "json"
    )
    assert code == 0 and stdout.startswith(b"{")
    assert terminal == b""


def test_quiet_drops_the_message_about_the_file_written(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    result = cli("--quiet", "plan", "-d", MINIMAL, "-f", "json", "--out", target)
    assert result.exit_code == 0 and result.stderr == ""
    assert target.exists()


# completion is keyed by the program's name: the installed script, not python -m
SCRIPT = str(Path(sys.executable).with_name("roadmap"))


def complete(words: str, shell: str = "zsh", cwd: Path = ROOT) -> str:
    env = {**os.environ, "_ROADMAP_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": words}
    env.pop("ROADMAP_DATA", None)
    done = subprocess.run(
        [SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_project_ids_complete_from_the_data_folder() -> None:
    shown = complete("roadmap explain e-a")
    assert '"e-akte"' in shown
    assert '"buergerportal"' not in shown


def test_project_ids_complete_from_data_option(tmp_path: Path) -> None:
    shown = complete(f"roadmap graph --data {MINIMAL} --around e", cwd=tmp_path)
    assert '"e-akte"' in shown


def test_criterion_ids_complete_in_set() -> None:
    shown = complete("roadmap set e-akte scores.ci")
    assert "scores.citizen_value=" in shown


def test_completion_installs_for_bash_zsh_and_fish(cli: Cli) -> None:
    for shell in ("bash", "zsh", "fish"):
        env = {**os.environ, "_ROADMAP_COMPLETE": f"source_{shell}"}
        done = subprocess.run([SCRIPT], capture_output=True, text=True, env=env, timeout=60)
        assert "_ROADMAP_COMPLETE" in done.stdout, shell


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_table_on_a_terminal_keeps_its_styles_and_the_terminals_width() -> None:
    import fcntl
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 150, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    process = subprocess.Popen(
        [sys.executable, "-m", "roadmap", "--quiet", "plan", "-d", str(ROOT / "data")],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env={**env, "TERM": "xterm-256color"},
    )
    os.close(follower)
    received = b""
    while select.select([leader], [], [], 60)[0]:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        received += chunk
    process.wait(timeout=60)
    os.close(leader)
    text = received.decode("utf-8")
    assert "\x1b[1m" in text  # bold headers, as before the output went through memory
    first = text.splitlines()[0]
    assert first.startswith("plan from") and first.rstrip().endswith(")")  # not cut at 80
    assert len(first) > 80
