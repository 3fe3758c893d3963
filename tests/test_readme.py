"""The README's command reference is generated from --help and must not drift."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version

import pytest

from .conftest import ROOT


def _locked(package: str) -> str:
    text = (ROOT / "requirements" / "dev.txt").read_text(encoding="utf-8")
    match = re.search(rf"^{package}==([^ ;]+)", text, re.MULTILINE)
    assert match, package
    return match.group(1)


def skip_unless_locked(*packages: str) -> None:
    """Generated documentation is made with the locked versions: `make test-lowest`
    (older ones) cannot compare it."""
    for package in packages:
        if version(package) != _locked(package):
            pytest.skip(f"{package} {version(package)} is not the locked {_locked(package)}")


def test_readme_command_reference_matches_help() -> None:
    # help text is laid out by typer and rich
    skip_unless_locked("typer", "rich", "pydantic")
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
