"""gitsource: the portfolio at a git revision, read as git stores it, in real temporary
repositories (author and dates pinned in the `git` helper)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tracemalloc
from pathlib import Path

import pytest

from roadmap import gitsource
from roadmap.errors import DataError, UsageError
from roadmap.gitsource import snapshot
from roadmap.load import load_portfolio

from .conftest import MINIMAL
from .test_report_since import GIT_ENV, git

STRATEGY = (MINIMAL / "strategy.yaml").read_bytes()
PROJECT = (MINIMAL / "projects" / "e-akte.yaml").read_bytes()


def commit(root: Path, tag: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", tag)
    git(root, "tag", tag)


@pytest.fixture
def city(tmp_path: Path) -> Path:
    """A repository with the minimal portfolio in daten/; nothing committed yet."""
    root = tmp_path / "city"
    shutil.copytree(MINIMAL, root / "daten")
    git(root, "init", "-q")
    return root


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_files_are_read_as_stored_whatever_gitattributes_say(city: Path, tmp_path: Path) -> None:
    (city / ".gitattributes").write_text(
        "daten/projects/e-akte.yaml export-ignore\n"
        "daten/strategy.yaml export-subst\n"
        "*.yaml text eol=crlf\n",
        encoding="utf-8",
    )
    strategy = STRATEGY + b"# Stand: $Format:%H$\n"
    (city / "daten" / "strategy.yaml").write_bytes(strategy)
    commit(city, "v1")
    then = snapshot(city / "daten", "v1", tmp_path / "then")
    assert files(then.folder) == {"projects/e-akte.yaml": PROJECT, "strategy.yaml": strategy}
    assert then.date == dt.date(2026, 9, 30)


def test_no_filter_hook_or_fsmonitor_of_the_repository_runs(city: Path, tmp_path: Path) -> None:
    (city / ".gitattributes").write_text("*.yaml filter=evil diff=evil\n", encoding="utf-8")
    commit(city, "v1")  # before the filter is configured, so committing does not run it
    marker = tmp_path / "ran"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch '{marker}'\ncat\n", encoding="utf-8")
    script.chmod(0o755)
    git(city, "config", "filter.evil.smudge", str(script))
    git(city, "config", "filter.evil.clean", str(script))
    git(city, "config", "diff.evil.textconv", str(script))
    git(city, "config", "core.fsmonitor", str(script))
    git(city, "config", "core.hooksPath", str(tmp_path / "hooks"))
    (tmp_path / "hooks").mkdir()
    for hook in ("post-checkout", "post-index-change", "reference-transaction", "pre-commit"):
        shutil.copy(script, tmp_path / "hooks" / hook)
    then = snapshot(city / "daten", "v1", tmp_path / "then")
    assert files(then.folder) == {"projects/e-akte.yaml": PROJECT, "strategy.yaml": STRATEGY}
    assert not marker.exists()


def test_git_variables_of_the_caller_do_not_redirect_git(
    city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit(city, "v1")
    other = tmp_path / "other"
    (other / "daten").mkdir(parents=True)
    (other / "daten" / "strategy.yaml").write_bytes(b"title: fremd\n")
    git(other, "init", "-q")
    commit(other, "v1")
    marker = tmp_path / "ran"
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    monkeypatch.setenv("GIT_OBJECT_DIRECTORY", str(other / ".git" / "objects"))
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", f"'core.fsmonitor'='touch {marker}'")
    monkeypatch.setenv("GIT_TRACE", str(tmp_path / "trace"))
    then = snapshot(city / "daten", "v1", tmp_path / "then")
    assert files(then.folder) == {"projects/e-akte.yaml": PROJECT, "strategy.yaml": STRATEGY}
    assert not marker.exists() and not (tmp_path / "trace").exists()
    outside = tmp_path / "outside"
    shutil.copytree(MINIMAL, outside)
    with pytest.raises(UsageError, match="is not inside a git repository"):
        snapshot(outside, "v1", tmp_path / "then2")


def test_links_leaving_the_data_folder_are_reported_not_followed(
    city: Path, tmp_path: Path
) -> None:
    projects = city / "daten" / "projects"
    (city / "README.yaml").write_text("id: readme\n", encoding="utf-8")
    (projects / "passwd.yaml").symlink_to("/etc/passwd")
    (projects / "hinaus.yaml").symlink_to("../../../outside.yaml")
    (projects / "nachbar.yaml").symlink_to("../../README.yaml")
    commit(city, "v1")
    with pytest.raises(DataError) as raised:
        snapshot(city / "daten", "v1", tmp_path / "then")
    assert str(raised.value) == (
        "--since v1: the data at v1 cannot be compared: daten/projects/hinaus.yaml is a link "
        "to ../../../outside.yaml at v1, outside the data folder; roadmap reads only files "
        "inside it (and 2 more problems)"
    )
    assert [(p.file, p.code) for p in raised.value.problems] == [
        ("daten/projects/hinaus.yaml", "symlink-outside"),
        ("daten/projects/nachbar.yaml", "symlink-outside"),
        ("daten/projects/passwd.yaml", "symlink-outside"),
    ]
    assert "is a link to /etc/passwd at v1" in raised.value.problems[2].message
    assert not any(p.is_symlink() for p in (tmp_path / "then").rglob("*"))


def test_links_inside_the_data_folder_are_read_like_the_loader_reads_them(
    city: Path, tmp_path: Path
) -> None:
    data = city / "daten"
    (data / "gemeinsam").mkdir()
    (data / "strategy.yaml").rename(data / "gemeinsam" / "strategie.yaml")
    (data / "strategy.yaml").symlink_to("gemeinsam/strategie.yaml")
    (data / "gemeinsam" / "akte.yaml").symlink_to("../projects/e-akte.yaml")
    (data / "projects" / "e-akte.yaml").rename(data / "e-akte.yaml")
    (data / "projects" / "e-akte.yaml").symlink_to("../gemeinsam/../e-akte.yaml")
    commit(city, "v1")
    then = snapshot(data, "v1", tmp_path / "then")
    assert files(then.folder) == {
        "e-akte.yaml": PROJECT,
        "gemeinsam/akte.yaml": PROJECT,
        "gemeinsam/strategie.yaml": STRATEGY,
        "projects/e-akte.yaml": PROJECT,
        "strategy.yaml": STRATEGY,
    }
    assert not any(p.is_symlink() for p in then.folder.rglob("*"))
    assert load_portfolio(then.folder).portfolio is not None


def test_link_loops_and_dangling_links_are_reported(city: Path, tmp_path: Path) -> None:
    projects = city / "daten" / "projects"
    (projects / "a.yaml").symlink_to("b.yaml")
    (projects / "b.yaml").symlink_to("a.yaml")
    (projects / "weg.yaml").symlink_to("gibt-es-nicht.yaml")
    commit(city, "v1")
    with pytest.raises(DataError) as raised:
        snapshot(city / "daten", "v1", tmp_path / "then")
    assert [(p.file, p.code, p.message) for p in raised.value.problems] == [
        ("daten/projects/a.yaml", "symlink-loop", "leads through more than 8 links"),
        ("daten/projects/b.yaml", "symlink-loop", "leads through more than 8 links"),
        (
            "daten/projects/weg.yaml",
            "symlink-dangling",
            "is a link to gibt-es-nicht.yaml, which did not exist at v1",
        ),
    ]


def gitlink(root: Path, path: str) -> None:
    """Record ``path`` as a submodule (a commit of another repository) in the index."""
    git(root, "rm", "-rq", "--cached", path)
    sub_commit = "1" * 40
    git(root, "update-index", "--add", "--cacheinfo", f"160000,{sub_commit},{path}")


def test_a_submodule_as_projects_folder_is_named_not_shown_as_all_new(
    city: Path, tmp_path: Path
) -> None:
    commit(city, "v0")
    gitlink(city, "daten/projects")
    git(city, "commit", "-qm", "v1")
    git(city, "tag", "v1")
    with pytest.raises(DataError) as raised:
        snapshot(city / "daten", "v1", tmp_path / "then")
    assert str(raised.value).startswith(
        "--since v1: the data at v1 cannot be compared: daten/projects was a git submodule "
        "at v1: its project files are in another repository, and every project would look "
        "new; compare with a revision where projects/ is a folder of this repository"
    )
    gitlink(city, "daten")
    git(city, "commit", "-qm", "v2")
    with pytest.raises(DataError, match=r"^--since HEAD: daten/ was a git submodule at HEAD;"):
        snapshot(city / "daten", "HEAD", tmp_path / "then2")


def test_what_the_folder_was_at_the_revision(city: Path, tmp_path: Path) -> None:
    (city / "anderes").write_text("x", encoding="utf-8")
    commit(city, "datei")
    data = city / "daten"
    (data / "strategy.yaml").rename(city / "strategy.yaml")
    commit(city, "ohne-strategie")
    (city / "strategy.yaml").rename(data / "strategy.yaml")
    (city / "anderes").unlink()
    shutil.copytree(MINIMAL, city / "anderes")
    commit(city, "v1")
    with pytest.raises(UsageError) as raised:
        snapshot(data, "ohne-strategie", tmp_path / "a")
    assert str(raised.value) == (
        "--since ohne-strategie: daten/ at ohne-strategie has no strategy.yaml, so it was not "
        "a portfolio folder then; compare with a later revision"
    )
    with pytest.raises(DataError) as raised_data:
        snapshot(city / "anderes", "datei", tmp_path / "b")
    assert str(raised_data.value) == (
        "--since datei: anderes was a file at datei, not a folder; compare with a revision "
        "where it is a folder"
    )


def test_files_over_the_loaders_limit_are_reported_and_others_never_read(
    city: Path, tmp_path: Path
) -> None:
    data = city / "daten"
    (data / "projects" / "gross.yaml").write_bytes(b"id: gross\n#" + b"x" * (6 << 20) + b"\n")
    (data / "anlagen").mkdir()
    (data / "anlagen" / "plan.pdf").write_bytes(bytes(40 << 20))
    commit(city, "v1")
    tracemalloc.start()
    try:
        with pytest.raises(DataError) as raised:
            snapshot(data, "v1", tmp_path / "then")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(raised.value) == (
        "--since v1: the data at v1 cannot be compared: daten/projects/gross.yaml is 6.0 MiB "
        "at v1; a portfolio file must be under 5 MiB (keep long texts in linked documents)"
    )
    assert peak < 4 << 20, "neither the large file nor the PDF is held in memory"
    assert not (tmp_path / "then" / "daten" / "anlagen" / "plan.pdf").exists()


def test_a_sha256_repository_is_read_too(tmp_path: Path) -> None:
    root = tmp_path / "city"
    shutil.copytree(MINIMAL, root / "daten")
    git(root, "init", "-q", "--object-format=sha256")
    commit(root, "v1")
    then = snapshot(root / "daten", "v1", tmp_path / "then")
    assert files(then.folder) == {"projects/e-akte.yaml": PROJECT, "strategy.yaml": STRATEGY}
    assert len(then.commit) == 64


def plumb(root: Path, *args: str, given: str = "") -> str:
    """A git plumbing command's output, for building trees no `git add` would make."""
    run = subprocess.run(
        ["git", *args],
        cwd=root,
        input=given.encode(),
        capture_output=True,
        check=True,
        env={**os.environ, **GIT_ENV},
    )
    return run.stdout.decode().strip()


def crafted_commit(root: Path, tag: str, data: str) -> None:
    """Commit a root tree with ``data`` (a tree id) as daten/, and tag it."""
    top = plumb(root, "mktree", given=f"040000 tree {data}\tdaten\n")
    plumb(root, "tag", tag, plumb(root, "commit-tree", top, "-m", tag))


def test_crafted_names_never_write_outside_and_twice_listed_files_are_named(
    city: Path, tmp_path: Path
) -> None:
    git(city, "init", "-q")
    strategy = plumb(city, "hash-object", "-w", "--stdin", given=STRATEGY.decode())
    project = plumb(city, "hash-object", "-w", "--stdin", given=PROJECT.decode())
    evil = plumb(city, "hash-object", "-w", "--stdin", given="böse\n")
    projects = plumb(city, "mktree", given=f"100644 blob {project}\te-akte.yaml\n")
    up = plumb(city, "mktree", given=f"100644 blob {evil}\tstrategy.yaml\n")
    crafted_commit(
        city,
        "hinauf",
        plumb(
            city,
            "mktree",
            given=f"040000 tree {up}\t..\n040000 tree {projects}\tprojects\n"
            f"100644 blob {strategy}\tstrategy.yaml\n",
        ),
    )
    then = snapshot(city / "daten", "hinauf", tmp_path / "then")
    assert files(tmp_path / "then") == {
        "daten/projects/e-akte.yaml": PROJECT,
        "daten/strategy.yaml": STRATEGY,
    }
    assert then.folder == tmp_path / "then" / "daten"
    crafted_commit(
        city,
        "doppelt",
        plumb(
            city,
            "mktree",
            given=f"040000 tree {projects}\tprojects\n040000 tree {projects}\tprojects\n"
            f"100644 blob {strategy}\tstrategy.yaml\n",
        ),
    )
    with pytest.raises(DataError) as raised:
        snapshot(city / "daten", "doppelt", tmp_path / "then2")
    assert str(raised.value) == (
        "--since doppelt: the data at doppelt cannot be compared: daten/projects/e-akte.yaml "
        "is listed twice at doppelt"
    )


def test_folder_listings_files_and_bytes_are_bounded(
    city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limits, lowered so that a small repository reaches them."""
    for name in ("b", "c"):
        (city / "daten" / "projects" / f"{name}.yaml").write_bytes(PROJECT)
    commit(city, "v1")
    monkeypatch.setattr(gitsource, "MAX_FILES", 2)
    with pytest.raises(DataError) as raised:
        snapshot(city / "daten", "v1", tmp_path / "a")
    assert str(raised.value) == (
        "--since v1: the data at v1 cannot be compared: daten/projects/c.yaml was not read, "
        "nor any file after it: the data folder had more than 2 YAML files or 1,024 MiB of "
        "them at v1; roadmap compares portfolios up to that size"
    )
    monkeypatch.setattr(gitsource, "MAX_FILES", 100)
    monkeypatch.setattr(gitsource, "MAX_TOTAL_BYTES", len(STRATEGY) + len(PROJECT))
    with pytest.raises(
        DataError, match=r"daten/projects/c\.yaml was not read, nor any file after it"
    ):
        snapshot(city / "daten", "v1", tmp_path / "b")
    monkeypatch.setattr(gitsource, "MAX_TREE_BYTES", 100)
    with pytest.raises(DataError) as raised:
        snapshot(city / "daten", "v1", tmp_path / "c")
    assert str(raised.value) == (
        "--since v1: the listing of daten/projects/ at v1 takes 0.0 MiB; roadmap reads "
        "folders whose listing takes up to 0 MiB (some 500,000 files)"
    )
