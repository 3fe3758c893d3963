"""Atomic writes and folder locks: owner, group and mode kept; read-only and foreign files
refused; environment failures reported with the original intact; portable without
fcntl (issue 20 items 10 and 19; issue 18 item 6)."""

from __future__ import annotations

import builtins
import errno
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from roadmap import atomic
from roadmap.atomic import (
    LOCK_NAME,
    WriteError,
    folder_lock,
    remove_orphans,
    write_atomically,
)
from roadmap.edit import Change, apply, set_fields
from roadmap.errors import UsageError

from .conftest import ROOT

root_only = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def test_mode_and_new_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    write_atomically(path, b"a: 1\n", 0o640)
    assert path.stat().st_mode & 0o777 == 0o640
    path.chmod(0o604)
    write_atomically(path, b"a: 2\n")
    assert path.stat().st_mode & 0o777 == 0o604 and path.read_bytes() == b"a: 2\n"


def test_read_only_file_is_refused_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: 1\n")
    path.chmod(0o444)
    with pytest.raises(UsageError, match=r"read-only \(mode 0444\)"):
        apply(path, [Change("set", ("a",), 2)], lambda _: None)
    assert path.read_bytes() == b"a: 1\n"
    apply(path, [Change("set", ("a",), 2)], lambda _: None, force=True)
    assert path.read_bytes() == b"a: 2\n" and path.stat().st_mode & 0o777 == 0o444


@root_only
def test_root_editing_another_users_file_keeps_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: 1\n")
    os.chown(path, 65534, 65534)
    path.chmod(0o600)
    apply(path, [Change("set", ("a",), 2)], lambda _: None)
    info = path.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (65534, 65534, 0o600)
    assert path.read_bytes() == b"a: 2\n"


def test_a_file_we_cannot_hand_back_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: 1\n")
    real_stat = os.stat

    def foreign(target: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        info = real_stat(target, *args, **kwargs)
        if not str(target).endswith("a.yaml"):
            return info
        values = list(info)
        values[4] = info.st_uid + 4242  # owned by someone else
        return os.stat_result(values)

    def refuse(*args: Any) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "stat", foreign)
    monkeypatch.setattr(os, "fchown", refuse)
    with pytest.raises(UsageError, match=r"belongs to .* nothing was changed"):
        write_atomically(path, b"a: 2\n")
    monkeypatch.undo()
    assert path.read_bytes() == b"a: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


@root_only
def test_another_user_cannot_replace_roots_file() -> None:
    import tempfile

    outer = Path(tempfile.mkdtemp())  # pytest's own folder is closed to other users
    outer.chmod(0o755)
    folder = outer / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    path = folder / "a.yaml"
    path.write_bytes(b"a: 1\n")
    path.chmod(0o666)  # writable for all, but owned by root
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from roadmap.atomic import write_atomically\n"
        "from roadmap.errors import RoadmapError\n"
        "os.setgid(65534); os.setuid(65534)\n"
        "try:\n"
        f"    write_atomically(Path({str(path)!r}), b'a: 2\\n')\n"
        "except RoadmapError as exc:\n"
        "    print(exc); sys.exit(exc.exit_code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    try:
        assert result.returncode == 2 and "belongs to root" in result.stdout, result
        assert path.read_bytes() == b"a: 1\n" and path.stat().st_uid == 0
        assert [p.name for p in folder.iterdir()] == ["a.yaml"]
    finally:
        shutil.rmtree(outer)


@pytest.mark.parametrize(
    ("error", "kind", "message"),
    [
        (errno.EROFS, UsageError, "read-only file system"),
        (errno.EACCES, UsageError, "permission denied"),
        (errno.ENOSPC, WriteError, "free some space"),
        (errno.EFBIG, WriteError, "ulimit -f"),
    ],
)
def test_environment_failures_are_messages_and_change_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int, kind: type, message: str
) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: 1\n")
    real_fsync = os.fsync

    def failing(descriptor: int) -> None:
        if os.path.isfile(f"/proc/self/fd/{descriptor}") or sys.platform != "linux":
            raise OSError(error, os.strerror(error))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(kind) as caught:
        apply(path, [Change("set", ("a",), 2)], lambda _: None)
    assert message in str(caught.value).lower()
    assert path.read_bytes() == b"a: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_folder_without_write_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: 1\n")

    def refuse(**kwargs: Any) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(UsageError, match=r"cannot write in .*: Permission denied"):
        apply(path, [Change("set", ("a",), 2)], lambda _: None)
    assert path.read_bytes() == b"a: 1\n"


def test_file_size_limit_from_the_command_line(data: Path) -> None:
    path = data / "projects" / "e-akte.yaml"
    before = path.read_bytes()

    resource = pytest.importorskip("resource")  # POSIX only

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(before), len(before)))

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "roadmap",
            "set",
            "e-akte",
            f"summary={'x' * 5000}",
            "-d",
            str(data),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
    )
    assert result.returncode == 1, result.stderr
    assert "ulimit -f" in result.stderr and "nothing was changed" in result.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == []


def test_unreadable_file_is_a_message(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = data / "projects" / "e-akte.yaml"

    def refuse(self: Path) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(UsageError, match=r"cannot read .*e-akte\.yaml: Permission denied"):
        set_fields(data, "e-akte", ["owner=X"])
    monkeypatch.undo()
    assert b"owner: X\n" not in path.read_bytes()


def test_temporary_files_of_killed_editors_are_removed_on_the_next_edit(data: Path) -> None:
    folder = data / "projects"
    orphans = [".e-akte.yaml.abcd1234.tmp", ".dms-plattform.yaml.x_y_z_12.tmp"]
    for name in orphans:
        (folder / name).write_bytes(b"half")
    (folder / ".keep-me").write_bytes(b"")
    set_fields(data, "e-akte", ["owner=Neue Leitung"])
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == [".keep-me"]
    assert remove_orphans(folder) == []


def test_a_killed_strategy_edit_is_cleaned_up_by_the_next_project_edit(data: Path) -> None:
    orphan = data / ".strategy.yaml.abcd1234.tmp"
    orphan.write_bytes(b"half")
    stray = data / "projects" / ".e-akte.yaml.zz_zz_zz.tmp"
    stray.write_bytes(b"half")
    set_fields(data, "e-akte", ["owner=Neue Leitung"])
    assert not orphan.exists() and not stray.exists()


def test_a_strategy_edit_cleans_projects_and_a_busy_folder_is_left_alone(data: Path) -> None:
    from roadmap.atomic import folder_lock, remove_orphans_unless_busy
    from roadmap.edit import set_criterion

    stray = data / "projects" / ".e-akte.yaml.abcd1234.tmp"
    stray.write_bytes(b"half")
    with folder_lock(data / "projects"):  # an edit there may be writing this copy now
        assert remove_orphans_unless_busy(data / "projects") == []
    assert stray.exists()
    set_criterion(data, "risk", ["title=Risiko"])
    assert not stray.exists()


def test_killed_before_rename_then_cleaned(data: Path) -> None:
    path = data / "projects" / "e-akte.yaml"
    before = path.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "roadmap", "set", "e-akte", "status=done", "-d", str(data)],
        env={**os.environ, "ROADMAP_TEST_CRASH_BEFORE_RENAME": "1"},
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == -9 and path.read_bytes() == before
    assert len([p for p in path.parent.iterdir() if p.name.endswith(".tmp")]) == 1
    set_fields(data, "e-akte", ["status=done"])
    assert [p for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_writing_through_a_link_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_bytes(b"old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_atomically(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"


# --------------------------------------------------------------------------- no fcntl


@pytest.fixture
def without_fcntl(monkeypatch: pytest.MonkeyPatch) -> None:
    """Imports of fcntl (and msvcrt) fail, as on a platform without them."""
    real_import = builtins.__import__

    def guarded(name: str, *args: Any, **kwargs: Any) -> Any:
        if name in ("fcntl", "msvcrt"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "fcntl", raising=False)
    monkeypatch.setattr(builtins, "__import__", guarded)
    import importlib

    real_import_module = importlib.import_module

    def guarded_module(name: str, package: str | None = None) -> Any:
        if name in ("fcntl", "msvcrt"):
            raise ImportError(f"No module named {name!r}")
        return real_import_module(name, package)

    monkeypatch.setattr(importlib, "import_module", guarded_module)


@pytest.mark.usefixtures("without_fcntl")
def test_lock_and_edit_without_fcntl(data: Path) -> None:
    assert atomic._optional_module("fcntl") is None
    folder = data / "projects"
    with folder_lock(folder):
        assert (folder / LOCK_NAME).exists()
    assert not (folder / LOCK_NAME).exists()
    result = set_fields(data, "e-akte", ["owner=Ohne Fcntl", "tags+=portabel"])
    assert result.written and "+owner: Ohne Fcntl\n" in result.diff
    assert not (folder / LOCK_NAME).exists()


@pytest.mark.usefixtures("without_fcntl")
def test_lock_file_excludes_and_a_dead_holders_lock_is_taken_over(tmp_path: Path) -> None:
    import socket

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    (tmp_path / LOCK_NAME).write_text(f"{socket.gethostname()} {dead.stdout.strip()}\n")
    order: list[str] = []
    with folder_lock(tmp_path):  # the dead process's lock is taken over
        second = threading.Thread(target=lambda: _locked(tmp_path, order))
        second.start()
        time.sleep(0.3)
        order.append("first done")
    second.join(timeout=10)
    assert order == ["first done", "second"]
    assert not (tmp_path / LOCK_NAME).exists()


def _locked(folder: Path, order: list[str]) -> None:
    with folder_lock(folder):
        order.append("second")


def test_msvcrt_lock_is_taken_and_released(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    class FakeMsvcrt:
        LK_NBLCK, LK_UNLCK = 2, 0

        @staticmethod
        def locking(descriptor: int, mode: int, length: int) -> None:
            calls.append(mode)
            if len(calls) == 1:
                raise OSError(errno.EACCES, "held by another process")

    modules = {"fcntl": None, "msvcrt": FakeMsvcrt}
    monkeypatch.setattr(atomic, "_optional_module", lambda name: modules[name])
    with folder_lock(tmp_path):
        assert calls == [2, 2]
    assert calls == [2, 2, 0]


def test_an_access_control_list_is_kept(tmp_path: Path) -> None:
    import struct

    if not hasattr(os, "setxattr"):
        pytest.skip("no extended attributes on this platform")

    def entry(tag: int, perm: int, qualifier: int = 0xFFFFFFFF) -> bytes:
        return struct.pack("<HHI", tag, perm, qualifier)

    # user::rw-, user:65534:rw-, group::r--, mask::rw-, other::r--
    acl = struct.pack("<I", 2) + b"".join(
        [entry(1, 6), entry(2, 6, 65534), entry(4, 4), entry(0x10, 6), entry(0x20, 4)]
    )
    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: 1\n")
    try:
        os.setxattr(path, "system.posix_acl_access", acl)
    except OSError:
        pytest.skip("this file system has no POSIX ACLs")
    apply(path, [Change("set", ("a",), 2)], lambda _: None)
    assert os.getxattr(path, "system.posix_acl_access") == acl
    assert path.read_bytes() == b"a: 2\n"


def test_writing_to_a_device_through_a_link(tmp_path: Path) -> None:
    if not os.path.exists("/dev/null"):
        pytest.skip("no /dev/null")
    link = tmp_path / "out"
    link.symlink_to("/dev/null")
    write_atomically(link, b"report")
    assert link.is_symlink() and os.readlink(link) == "/dev/null"
    script = (
        "from pathlib import Path; from roadmap.atomic import write_atomically; "
        "write_atomically(Path('/dev/stdout'), b'to stdout')"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert result.returncode == 0 and result.stdout == b"to stdout"
    assert os.path.islink("/dev/stdout")
