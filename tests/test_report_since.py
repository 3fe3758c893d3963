"""`roadmap report --since REV`: what changed since a git revision, read with git."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from roadmap.cli import app

from .conftest import ROOT

runner = CliRunner()
FIXED = ["--today", "2026-11-21", "--period", "2026-Q4"]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_AUTHOR_DATE": "2026-09-30T12:00:00+02:00",
    "GIT_COMMITTER_DATE": "2026-09-30T12:00:00+02:00",
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **GIT_ENV}
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A city's repository: the example data in strategy/, committed and tagged at the
    last committee meeting, then changed."""
    root = tmp_path / "city"
    data = root / "strategy"
    shutil.copytree(ROOT / "data", data)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Q3")
    git(root, "tag", "ausschuss-2026-q3")
    projects = data / "projects"
    (projects / "sperrmuell-anmeldung.yaml").unlink()
    akte = projects / "e-akte.yaml"
    text = akte.read_text(encoding="utf-8")
    text = text.replace(
        "    due: 2026-06-30\n    status: late", "    due: 2026-09-30\n    status: late"
    )
    akte.write_text(text, encoding="utf-8")
    portal = projects / "buergerportal.yaml"
    portal.write_text(
        portal.read_text(encoding="utf-8").replace("status: approved", "status: in_progress", 1),
        encoding="utf-8",
    )
    return root


def test_changes_since_a_tag_from_a_subfolder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner.invoke(
        app,
        [
            "record",
            "kpi",
            "e-akte",
            "e-akte-quote",
            "44",
            "--date",
            "2026-11-15",
            "-d",
            str(repo / "strategy"),
        ],
    )
    monkeypatch.chdir(repo / "strategy" / "projects")
    result = runner.invoke(app, ["report", "-d", "..", "--since", "ausschuss-2026-q3", *FIXED])
    assert result.exit_code == 0, result.output
    md = result.stdout
    section = md[
        md.index("## Änderungen seit ausschuss-2026-q3 (30.09.2026)") : md.index("## Ziele")
    ]
    assert "**Neue Projekte:** keine" in section
    assert "**Entfallene Projekte:**\n\n- Sperrmüll-Anmeldung online\n" in section
    assert (
        "- Bürgerportal mit Anbindung an Fachverfahren und E-Akte: beschlossen → in Umsetzung"
        in section
    )
    assert (
        "- Einführung der E-Akte – Welle 2: Bürgerdienste: 30.06.2026 → 30.09.2026 "
        "(92 Tage später)" in section
    )
    assert "- Arbeitsplätze mit E-Akte (Einführung der E-Akte): 44 % am 15.11.2026" in section
    assert "**Geänderte Beschlüsse:** keine" in section


def test_rank_moves_are_reported_with_direction(repo: Path) -> None:
    data = repo / "strategy"
    result = runner.invoke(
        app, ["report", "-d", str(data), "--since", "ausschuss-2026-q3", "--lang", "en", *FIXED]
    )
    assert result.exit_code == 0, result.output
    now = runner.invoke(app, ["prioritize", "-d", str(data), "--format", "json"]).stdout
    git(repo, "stash", "-q")
    then = runner.invoke(app, ["prioritize", "-d", str(data), "--format", "json"]).stdout
    git(repo, "stash", "pop", "-q")
    import json

    rank_now = {e["id"]: (e["rank"], e["title"]) for e in json.loads(now)["projects"]}
    rank_then = {e["id"]: e["rank"] for e in json.loads(then)["projects"]}
    expected = [
        f"- {title}: rank {rank_then[pid]} → {rank} "
        f"({'up' if rank < rank_then[pid] else 'down'} {abs(rank - rank_then[pid])})"
        for pid, (rank, title) in rank_now.items()
        if pid in rank_then and rank_then[pid] != rank
    ]
    assert expected, "the changes move some ranks"
    for line in expected:
        assert line in result.stdout


@pytest.mark.parametrize(
    ("revision", "message"),
    [
        ("no-such-tag", "--since no-such-tag: no such revision in"),
        ("--upload-pack=x", "no such revision"),
        ("-x", "--since -x: no such revision (a revision never starts with '-')"),
        ("HEAD:../../etc", "--since HEAD:../../etc: no such revision ('REV:path' names a file"),
        ("ausschuss 2026", "--since ausschuss 2026: no such revision in"),
        ("HEAD\n--upload-pack=x", "--since 'HEAD\\n--upload-pack=x': no such revision (it "),
        ("HEAD\0", "--since 'HEAD\\x00': no such revision (it contains a control character"),
        ("a" * 200_000, "(200000 characters): no such revision (it is longer than 256 "),
        ("", "--since : no such revision (it is empty)"),
    ],
    # short ids: pytest puts the test's id into the environment (PYTEST_CURRENT_TEST),
    # and a 200,000-character one is too long for the git the fixture runs
    ids=["unknown", "option", "dash", "path", "space", "newline", "nul", "long", "empty"],
)
def test_unknown_revision_is_a_clear_error_and_writes_nothing(
    repo: Path, tmp_path: Path, revision: str, message: str
) -> None:
    out = tmp_path / "out.md"
    result = runner.invoke(
        app, ["report", "-d", str(repo / "strategy"), f"--since={revision}", "-o", str(out)]
    )
    assert result.exit_code == 2 and message in result.output
    assert result.output.count("\n") == 1 and len(result.output) < 400
    assert not out.exists()


def test_since_outside_git_and_before_the_folder_existed(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "copy"
    shutil.copytree(ROOT / "data", outside)
    result = runner.invoke(app, ["report", "-d", str(outside), "--since", "HEAD"])
    assert result.exit_code == 2 and "is not inside a git repository" in result.output
    moved = repo / "neu"
    shutil.copytree(repo / "strategy", moved)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "neu")
    result = runner.invoke(app, ["report", "-d", str(moved), "--since", "ausschuss-2026-q3"])
    assert result.exit_code == 2 and "neu/ did not exist at ausschuss-2026-q3" in result.output


def test_old_links_out_of_the_data_folder_are_named_not_followed(repo: Path) -> None:
    projects = repo / "strategy" / "projects"
    (projects / "passwd.yaml").symlink_to("/etc/passwd")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "mit Link")
    git(repo, "tag", "mit-link")
    (projects / "passwd.yaml").unlink()
    result = runner.invoke(app, ["report", "-d", str(repo / "strategy"), "--since", "mit-link"])
    assert result.exit_code == 1
    # the located problem, then the summary line
    first, last = result.output.splitlines()
    assert first.startswith("strategy/projects/passwd.yaml:1:1: error [")
    assert last == (
        "roadmap: --since mit-link: the data at mit-link cannot be compared: "
        "strategy/projects/passwd.yaml is a link to /etc/passwd at mit-link, outside the "
        "data folder; roadmap reads only files inside it"
    )


def test_old_submodule_projects_folder_is_named(repo: Path) -> None:
    git(repo, "rm", "-rq", "--cached", "strategy/projects")
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},strategy/projects")
    git(repo, "commit", "-qm", "Untermodul")
    git(repo, "tag", "untermodul")
    result = runner.invoke(app, ["report", "-d", str(repo / "strategy"), "--since", "untermodul"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith(
        "roadmap: --since untermodul: the data at untermodul cannot be compared: "
        "strategy/projects was a git submodule at untermodul: its project files are in "
        "another repository, and every project would look new"
    )


def test_git_variables_pointing_elsewhere_are_ignored(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    result = runner.invoke(
        app, ["report", "-d", str(repo / "strategy"), "--since", "ausschuss-2026-q3", *FIXED]
    )
    assert result.exit_code == 0, result.output
    assert "**Entfallene Projekte:**\n\n- Sperrmüll-Anmeldung online\n" in result.stdout
