"""Small portfolios under tests/cases/: each invalid one lists its expected problems
(`file:line:column severity code`) in expected.txt; hostile inputs are generated here."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from roadmap.checks import validate
from roadmap.errors import Problem

from .conftest import CASES, MINIMAL, snapshot

INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())


def _brief(problems: list[Problem], root: Path) -> list[str]:
    return sorted(
        f"{Path(p.file).resolve().relative_to(root.resolve()).as_posix()}:{p.line}:{p.column}"
        f" {p.severity.value} {p.code}"
        for p in problems
    )


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.name)
def test_invalid_case_reports_expected_problems(case: Path) -> None:
    expected = sorted((case / "expected.txt").read_text(encoding="utf-8").split("\n"))
    _, problems = validate(case)
    assert _brief(problems, case) == [line for line in expected if line]


def test_valid_case_has_no_problems() -> None:
    _, problems = validate(MINIMAL)
    assert problems == []


def _with_project(tmp_path: Path, name: str, content: bytes) -> Path:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "projects" / name).write_bytes(content)
    return data


def _run_cli(data: Path) -> subprocess.CompletedProcess[str]:
    """The real command in a fresh process; a hang guard, not a timing assertion."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "roadmap",
            "validate",
            "--data",
            str(data),
            "--format",
            "text",
            "--no-cache",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ROADMAP_DEBUG": ""},
    )


HOSTILE = {
    "binary-garbage": ("garbage.yaml", bytes(range(256)) * 40, "file-encoding", 1),
    "not-utf8": (
        "latin.yaml",
        "id: latin\ntitle: Stra\xdfe\n".encode("latin-1"),
        "file-encoding",
        2,
    ),
    "alias-bomb": (
        "bomb.yaml",
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n"
                for i in range(8)
            )
            + "id: bomb\ntitle: Bomb\n"
        ).encode(),
        "yaml-alias-bomb",
        None,
    ),
    "deep-flow": (
        "tief.yaml",
        b"id: tief\ntitle: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
        "yaml-too-deep",
        2,
    ),
    "deep-block": (
        "block.yaml",
        b"id: block\nx:\n  " + b"- " * 10_000 + b"y\n",
        "yaml-too-deep",
        3,
    ),
    "deep-small": (
        "klein.yaml",
        b"id: klein\ntitle: " + b"[" * 2_000 + b"]" * 2_000 + b"\n",
        "yaml-too-deep",
        2,
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_gives_a_located_problem(tmp_path: Path, name: str) -> None:
    filename, content, code, line = HOSTILE[name]
    data = _with_project(tmp_path, filename, content)
    before = snapshot(data)
    _, problems = validate(data)
    mine = [p for p in problems if p.file.endswith(filename) and p.code == code]
    assert mine, problems
    if line is not None:
        assert mine[0].line == line
    assert snapshot(data) == before


def test_fifty_megabyte_file_is_refused_without_parsing(tmp_path: Path) -> None:
    big = b"id: gross\ntitle: Gross\ndescription: " + b"x" * (50 * 1024 * 1024) + b"\n"
    data = _with_project(tmp_path, "gross.yaml", big)
    result = _run_cli(data)
    assert result.returncode == 1
    assert "gross.yaml:1:1: error [file-too-large] file is 50.0 MiB" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", ["alias-bomb", "deep-flow", "deep-block", "binary-garbage"])
def test_hostile_file_never_crashes_the_process(tmp_path: Path, name: str) -> None:
    filename, content, code, _ = HOSTILE[name]
    result = _run_cli(_with_project(tmp_path, filename, content))
    assert result.returncode == 1, result.stderr
    assert f"[{code}]" in result.stdout
    assert result.stderr == ""


def test_hundred_thousand_levels_do_not_reach_the_c_parser(tmp_path: Path) -> None:
    """libyaml's composer recurses in C and segfaults near this depth."""
    content = b"id: tief\ntitle: " + b"[" * 100_000 + b"]" * 100_000 + b"\n"
    result = _run_cli(_with_project(tmp_path, "tief.yaml", content))
    assert result.returncode == 1
    assert "tief.yaml:2:" in result.stdout and "[yaml-too-deep]" in result.stdout


def test_symlink_outside_the_data_folder_is_refused(tmp_path: Path) -> None:
    data = _with_project(tmp_path, "ok.yaml", b"id: ok\ntitle: OK\nowner: X\n")
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: geheim\ntitle: Geheim\n", encoding="utf-8")
    (data / "projects" / "geheim.yaml").symlink_to(secret)
    _, problems = validate(data)
    outside = [p for p in problems if p.code == "symlink-outside"]
    assert len(outside) == 1 and outside[0].file.endswith("geheim.yaml")
    assert (outside[0].line, outside[0].column) == (1, 1)


def test_symlink_inside_the_data_folder_is_read(tmp_path: Path) -> None:
    data = _with_project(tmp_path, "ok.yaml", b"id: ok\ntitle: OK\nowner: X\nscores: {nutzen: 1}\n")
    (data / "projects" / "alias.yaml").symlink_to(data / "projects" / "ok.yaml")
    _, problems = validate(data)
    assert [p.code for p in problems] == ["id-mismatch"]
