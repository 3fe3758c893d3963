"""The README's command reference is generated from --help and must not drift."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_readme_command_reference_matches_help() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "update_readme.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_starts_with_the_two_setup_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Start here")
    assert text.index("make run", start) < text.index("## A portfolio")
    assert text.index("make test", start) < text.index("## A portfolio")
