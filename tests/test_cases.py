"""Small portfolios under tests/cases/: each invalid one lists its expected problems
(`file:line:column severity code`) in expected.txt; hostile inputs are generated here."""

from __future__ import annotations

import os
import shutil
import stat
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
    data = _with_project(
        tmp_path,
        "ok.yaml",
        b"id: ok\ntitle: OK\nowner: X\nscores: {nutzen: 1}\neffort: {staff_fte: 1}\n",
    )
    (data / "projects" / "alias.yaml").symlink_to(data / "projects" / "ok.yaml")
    _, problems = validate(data)
    assert [p.code for p in problems] == ["id-mismatch"]


def _special(data: Path, name: str, kind: str) -> None:
    """Put a file that is not a regular file under projects/ (issue 12.4)."""
    path = data / "projects" / name
    if kind == "symlink-loop":
        path.symlink_to(path)
    elif kind == "symlink-loop-pair":
        other = data / "projects" / "andere.yaml"
        path.symlink_to(other)
        other.symlink_to(path)
    elif kind == "dangling-symlink":
        path.symlink_to(data / "projects" / "gibt-es-nicht.txt")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "socket":
        import socket

        server = socket.socket(socket.AF_UNIX)
        try:
            server.bind(str(path))
        except OSError as exc:  # a path too long for AF_UNIX
            pytest.skip(f"cannot bind a socket here: {exc}")
        finally:
            server.close()
    elif kind == "device":
        try:
            os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # like /dev/zero
        except (PermissionError, AttributeError):
            pytest.skip("creating a device file needs privileges")


SPECIAL = {
    "symlink-loop": "symlink-broken",
    "symlink-loop-pair": "symlink-broken",
    "dangling-symlink": "symlink-broken",
    "fifo": "not-a-file",
    "folder": "not-a-file",
    "socket": "not-a-file",
    "device": "not-a-file",
}


@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_special_file_named_yaml_is_reported_not_opened(tmp_path: Path, kind: str) -> None:
    data = _with_project(tmp_path, "ok.yaml", b"id: ok\ntitle: OK\nowner: X\nscores: {nutzen: 1}\n")
    _special(data, "spezial.yaml", kind)
    result = _run_cli(data)  # a FIFO or device that was opened would hang or never end
    assert result.returncode == 1, result.stderr
    assert f"spezial.yaml:1:1: error [{SPECIAL[kind]}]" in result.stdout
    assert "Traceback" not in result.stderr and result.stderr == ""


def test_strategy_that_is_a_fifo_is_reported(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "strategy.yaml").unlink()
    os.mkfifo(data / "strategy.yaml")
    result = _run_cli(data)
    assert result.returncode == 1, result.stderr
    assert "strategy.yaml:1:1: error [not-a-file] this is a named pipe (FIFO)" in result.stdout


def test_file_that_keeps_changing_while_read_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import roadmap.load.files

    data = _with_project(tmp_path, "ok.yaml", b"id: ok\ntitle: OK\nowner: X\nscores: {nutzen: 1}\n")
    monkeypatch.setattr(roadmap.load.files, "_same_version", lambda a, b: False)
    _, problems = validate(data)
    changed = [p for p in problems if p.code == "file-changed"]
    assert changed and all((p.line, p.column) == (1, 1) for p in changed)
    assert "changed while it was read" in changed[0].message


def test_file_rewritten_during_validation_never_crashes(tmp_path: Path) -> None:
    """A writer replaces a file again and again while validate runs: every run ends
    with a verdict on one of its versions or file-changed, never an exception."""
    import threading

    data = _with_project(tmp_path, "ok.yaml", b"id: ok\ntitle: OK\nowner: X\nscores: {nutzen: 1}\n")
    path = data / "projects" / "ok.yaml"
    stop = threading.Event()

    def rewrite() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            with open(path, "wb") as fh:  # in place, not atomically, as an editor might
                fh.write(b"id: ok\ntitle: OK\nowner: X\nscores: {nutzen: 1}\n" + b"#" * n)

    writer = threading.Thread(target=rewrite)
    writer.start()
    try:
        for _ in range(30):
            _, problems = validate(data)
            # half-written versions have their own problems; all of them in this file
            assert all(p.file.endswith("ok.yaml") and p.line >= 1 for p in problems)
    finally:
        stop.set()
        writer.join()


def test_many_values_without_aliases_are_not_an_alias_bomb() -> None:
    from roadmap.load import MAX_VALUES, parse

    text = "tags:\n" + "".join(f"  - t{i}\n" for i in range(MAX_VALUES + 10))
    value, _, problem = parse(text)
    assert problem is None and len(value["tags"]) == MAX_VALUES + 10


def test_unreadable_projects_folder_is_a_located_problem(tmp_path: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root lists folders of mode 000")
    data = _with_project(tmp_path, "ok.yaml", b"id: ok\ntitle: OK\n")
    (data / "projects").chmod(0)
    try:
        _, problems = validate(data)
    finally:
        (data / "projects").chmod(0o755)
    assert [p.code for p in problems] == ["folder-unreadable"]


def test_portfolio_with_too_many_measurements_is_refused_at_one_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import roadmap.load.portfolio

    monkeypatch.setattr(roadmap.load.portfolio, "MAX_PORTFOLIO_MEASUREMENTS", 25)
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    rows = "".join(f"      - {{date: 2026-01-{d + 1:02d}, value: {d}}}\n" for d in range(10))
    for k in range(5):
        (data / "projects" / f"k{k}.yaml").write_text(
            f"id: k{k}\ntitle: K\nowner: X\nscores: {{nutzen: 1}}\nkpis:\n"
            "  - id: n\n    title: N\n    baseline: {value: 0, date: 2025-12-31}\n"
            "    target: {value: 9, date: 2027-12-31}\n    measurements:\n" + rows,
            encoding="utf-8",
        )
    loaded, problems = validate(data)
    (limit,) = [p for p in problems if p.code == "too-many-measurements"]
    assert (Path(limit.file).name, limit.line, limit.column) == ("k2.yaml", 5, 1)
    assert "more than 25 KPI measurements" in limit.message
    assert loaded.portfolio is not None and sorted(loaded.portfolio.projects) == [
        "e-akte",
        "k0",
        "k1",
    ]
