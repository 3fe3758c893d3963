from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from roadmap.cli import app
from roadmap.edit import Change, Document

from .conftest import ROOT

runner = CliRunner()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def edit(text: str, *changes: Change, tmp_path: Path) -> str:
    path = tmp_path / "x.yaml"
    path.write_bytes(text.encode())
    document = Document.read(path)
    for change in changes:
        change.apply_text(document)
    return document.encoded().decode()


def test_every_shipped_file_round_trips_byte_for_byte() -> None:
    for path in [
        ROOT / "data" / "strategy.yaml",
        *sorted((ROOT / "data" / "projects").glob("*.yaml")),
    ]:
        document = Document.read(path)
        assert document.encoded() == path.read_bytes(), path


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "a: 1\n",
                "b: [x, y]  # flow\n",
                "# comment\n",
                "\n",
                "c:\n  - p\n  # between\n  - q\n",
                "d: {k: v, l: 2}\n",
                "e: &anchor 5\n",
                "f: 'quoted'\n",
                'g: "dq"\n',
                "h: >-\n  folded\n",
            ]
        ),
        min_size=1,
        max_size=6,
    ),
    st.booleans(),
    st.booleans(),
)
def test_unedited_documents_keep_every_byte(lines: list[str], crlf: bool, final: bool) -> None:
    text = "".join(dict.fromkeys(lines))  # unique keys
    if crlf:
        text = text.replace("\n", "\r\n")
    if not final:
        text = text.rstrip("\r\n")
    raw = ("\ufeff" + text).encode() if crlf else text.encode()
    document = Document(
        Path("x.yaml"), raw, raw.decode("utf-8-sig"), crlf, "\r\n" if crlf else "\n"
    )
    assert document.encoded() == raw


def test_set_changes_only_its_line(tmp_path: Path) -> None:
    before = (ROOT / "data" / "projects" / "e-akte.yaml").read_text(encoding="utf-8")
    after = edit(before, Change("set", ("status",), "done"), tmp_path=tmp_path)
    assert after == before.replace("\nstatus: in_progress\n", "\nstatus: done\n", 1)


def test_unusual_styles(tmp_path: Path) -> None:
    text = (
        "id: x1\r\ntitle: 'Alt'  # quoted\r\neffort: {budget_eur: 5}\r\ntags:\r\n"
        "  - a\r\n  # zwischen\r\n  - b\r\nbase: &b 3\r\ncopy: *b"
    )
    after = edit(
        text,
        Change("set", ("title",), "Neu"),
        Change("set", ("effort", "staff_fte"), 2),
        Change("append", ("tags",), "c"),
        Change("set", ("owner",), "A. B."),
        tmp_path=tmp_path,
    )
    assert after == (
        "id: x1\r\ntitle: 'Neu'  # quoted\r\neffort: {budget_eur: 5, staff_fte: 2}"
        "\r\ntags:\r\n  - a\r\n  # zwischen\r\n  - b\r\n  - c\r\nbase: &b 3\r\n"
        "copy: *b\r\nowner: A. B."
    )


def test_lists_add_and_remove_in_both_styles(tmp_path: Path) -> None:
    text = "tags: [a, b, c]\ngoals:\n  - x\n  - y\n"
    after = edit(
        text,
        Change("remove", ("tags",), "b"),
        Change("remove", ("goals",), "x"),
        Change("append", ("goals",), "z"),
        Change("remove", ("tags",), "c"),
        tmp_path=tmp_path,
    )
    assert after == "tags: [a]\ngoals:\n  - y\n  - z\n"


def test_cli_set_and_record(data: Path) -> None:
    result = runner.invoke(
        app,
        ["set", "kita-navigator-neu", "decision=should", "scores.citizen_value=4", "-d", str(data)],
    )
    assert result.exit_code == 0, result.output
    text = (data / "projects" / "kita-navigator-neu.yaml").read_text(encoding="utf-8")
    assert "\ndecision: should\n" in text and "\n  citizen_value: 4\n" in text
    result = runner.invoke(
        app,
        ["record", "kpi", "e-akte", "e-akte-quote", "40", "--date", "2026-09-30", "-d", str(data)],
    )
    assert result.exit_code == 0, result.output
    assert (
        (data / "projects" / "e-akte.yaml")
        .read_text(encoding="utf-8")
        .endswith("      - {date: 2026-06-30, value: 36}\n      - {date: 2026-09-30, value: 40}\n")
    )
    assert runner.invoke(app, ["validate", "-d", str(data)]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["set", "e-akte", "status=fertig"], 1, "not allowed"),
        (["set", "e-akte", "depends_on+=papierlose-verwaltung"], 1, "dependency cycle"),
        (["set", "e-akte", "depends_on+=nirgends"], 1, "no project 'nirgends'"),
        (["set", "e-akte", "statsu=done"], 2, "did you mean 'status'"),
        (["set", "e-akte", "start=31.12.2026"], 1, "ISO date"),
        (["set", "e-akt", "status=done"], 2, "did you mean 'e-akte'"),
        (
            ["record", "kpi", "e-akte", "e-akte-quote", "30", "--date", "2025-12-31"],
            1,
            "two measurements on 2025-12-31",
        ),
        (["record", "milestone", "e-akte", "welle9", "--done"], 2, "no milestone 'welle9'"),
    ],
)
def test_bad_edits_write_nothing(data: Path, args: list[str], code: int, message: str) -> None:
    before = {p.name: p.read_bytes() for p in (data / "projects").iterdir()}
    result = runner.invoke(app, [*args, "-d", str(data)])
    assert result.exit_code == code and message in result.output, result.output
    assert {p.name: p.read_bytes() for p in (data / "projects").iterdir()} == before


def test_dry_run_and_symlink(data: Path, tmp_path: Path) -> None:
    path = data / "projects" / "e-akte.yaml"
    before = path.read_bytes()
    result = runner.invoke(app, ["set", "e-akte", "status=done", "--dry-run", "-d", str(data)])
    assert "-status: in_progress\n+status: done" in result.output and path.read_bytes() == before
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(before)
    path.unlink()
    path.symlink_to(outside)
    result = runner.invoke(app, ["set", "e-akte", "status=done", "-d", str(data)])
    assert result.exit_code != 0 and outside.read_bytes() == before


def test_mode_is_kept(data: Path) -> None:
    path = data / "projects" / "e-akte.yaml"
    path.chmod(0o640)
    assert runner.invoke(app, ["set", "e-akte", "owner=X Y", "-d", str(data)]).exit_code == 0
    assert path.stat().st_mode & 0o777 == 0o640


def test_killed_between_write_and_rename_leaves_the_original(data: Path) -> None:
    path = data / "projects" / "e-akte.yaml"
    before = path.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "roadmap", "set", "e-akte", "status=done", "-d", str(data)],
        env={**os.environ, "ROADMAP_TEST_CRASH_BEFORE_RENAME": "1"},
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == -9  # killed at the seam
    assert path.read_bytes() == before
    # the orphaned temporary file is hidden and never read as a project
    assert runner.invoke(app, ["validate", "-d", str(data)]).exit_code == 0


def test_concurrent_edits_both_land(data: Path) -> None:
    commands = [
        [sys.executable, "-m", "roadmap", "set", "e-akte", assignment, "-d", str(data)]
        for assignment in ("tags+=eins", "tags+=zwei")
    ]
    processes = [subprocess.Popen(c, stdout=subprocess.DEVNULL) for c in commands]
    assert [p.wait(timeout=60) for p in processes] == [0, 0]
    text = (data / "projects" / "e-akte.yaml").read_text(encoding="utf-8")
    assert "eins" in text and "zwei" in text


def test_new_project(data: Path) -> None:
    bad = runner.invoke(app, ["new", "../ausbruch", "--title", "X", "-d", str(data)])
    assert bad.exit_code == 2 and "not a valid id" in bad.output
    exists = runner.invoke(app, ["new", "e-akte", "--title", "X", "-d", str(data)])
    assert exists.exit_code == 2 and "exists already" in exists.output
    similar = runner.invoke(
        app,
        [
            "new",
            "sperrmuell-termine",
            "--title",
            "Sperrmüll Termine online buchen",
            "-d",
            str(data),
        ],
    )
    assert similar.exit_code == 2 and "sperrgut-terminbuchung" in similar.output
    created = runner.invoke(
        app,
        [
            "new",
            "fischerei-online",
            "--title",
            "Fischereischein online",
            "--field",
            "buergerservice",
            "--owner",
            "A. B.",
            "-d",
            str(data),
        ],
    )
    assert created.exit_code == 0, created.output
    text = (data / "projects" / "fischerei-online.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Fischereischein online\nid: fischerei-online\n")
    assert "# decision: must | should | could | wont" in text
    assert runner.invoke(app, ["validate", "-d", str(data)]).exit_code == 0


def test_an_edit_of_every_shipped_project_changes_only_its_lines(tmp_path: Path) -> None:
    import difflib

    for path in sorted((ROOT / "data" / "projects").glob("*.yaml")):
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes())
        document = Document.read(copy)
        before = document.text
        Change("set", ("owner",), "Neue Leitung").apply_text(document)
        Change("append", ("tags",), "geprueft").apply_text(document)
        changed = [
            line
            for line in difflib.ndiff(before.splitlines(), document.text.splitlines())
            if line.startswith(("- ", "+ "))
        ]
        assert all("owner:" in line or "tags:" in line or "geprueft" in line for line in changed), (
            path.name,
            changed,
        )
        assert len(changed) <= 4, (path.name, changed)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["set", "../strategy", "owner=x"], 2, "'../strategy' is not a valid id"),
        (["set", "e-akte", "owner=a\x85b"], 2, "owner: character 2 is U+0085 (NEXT LINE)"),
        (["set", "e-akte", "effort.budget_eur=1e400"], 2, "inf is not a finite number"),
        (["new", "abc\n", "--title", "X"], 2, "not a valid id"),
        (["new", "harmlos", "--title", "Harmlos\rdecision: must", "--yes"], 2, "U+000D"),
    ],
)
def test_hostile_edits_are_refused_with_a_message(
    data: Path, args: list[str], code: int, message: str
) -> None:
    before = {p.name: p.read_bytes() for p in (data / "projects").iterdir()}
    result = runner.invoke(app, [*args, "-d", str(data)])
    assert result.exit_code == code and message in result.output, result.output
    assert {p.name: p.read_bytes() for p in (data / "projects").iterdir()} == before


def test_cli_set_on_a_file_with_a_yaml_problem_names_the_place(data: Path) -> None:
    path = data / "projects" / "dms-plattform.yaml"
    path.write_text("id: dms-plattform\ntitle: A\ntitle: B\n", encoding="utf-8")
    result = runner.invoke(app, ["set", "dms-plattform", "owner=x", "-d", str(data)])
    assert result.exit_code == 1
    assert "dms-plattform.yaml:3:1: error [yaml-duplicate-key] duplicate key 'title'" in (
        result.output
    )


def test_cli_minus_assignment_and_block_scalar(data: Path) -> None:
    result = runner.invoke(app, ["set", "e-akte", "tags-=dms", "description=Neu", "-d", str(data)])
    assert result.exit_code == 0, result.output
    text = (data / "projects" / "e-akte.yaml").read_text(encoding="utf-8")
    assert "\ntags: [e-akte, papierlos]\n" in text and "\ndescription: >-\n  Neu\n" in text
    assert runner.invoke(app, ["validate", "-d", str(data)]).exit_code == 0


def test_many_concurrent_edits_lose_nothing(data: Path) -> None:
    roadmap = [sys.executable, "-m", "roadmap"]
    commands = [[*roadmap, "set", "e-akte", f"tags+=t{i}"] for i in range(6)] + [
        [*roadmap, "record", "kpi", "e-akte", "e-akte-quote", str(i), "--date", f"2027-0{i + 1}-01"]
        for i in range(4)
    ]
    commands = [[*command, "-d", str(data)] for command in commands]
    processes = [subprocess.Popen(c, stdout=subprocess.DEVNULL) for c in commands]
    assert [p.wait(timeout=120) for p in processes] == [0] * len(commands)
    text = (data / "projects" / "e-akte.yaml").read_text(encoding="utf-8")
    assert all(f"t{i}" in text for i in range(6))
    assert all(f"{{date: 2027-0{i + 1}-01, value: {i}}}" in text for i in range(4))
    assert runner.invoke(app, ["validate", "-d", str(data)]).exit_code == 0
