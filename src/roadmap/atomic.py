"""Folder locks and atomic file replacement that keep a file's owner, group and mode.

Portable: ``fcntl`` where it exists (POSIX), ``msvcrt`` byte locks on Windows, and a
lock file created with ``O_EXCL`` (a dead holder's lock is taken over) elsewhere. Every
failure of the environment (read-only folder, full disk, file size limit, a file that
belongs to someone else) becomes a :class:`WriteError` or :class:`UsageError` with a
message, and the original file stays as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import socket
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from .errors import RoadmapError, UsageError

LOCK_NAME = ".roadmap.lock"
STALE_LOCK_SECONDS = 600.0  # a lock file older than this whose holder we cannot see is stale
_POLL_SECONDS = 0.05
# what mkstemp names a temporary copy of ``<name>.yaml``: ".<name>.yaml.<8 chars>.tmp"
_ORPHAN = re.compile(r"^\..+\.(?:yaml|yml)\.[A-Za-z0-9_]{8}\.tmp$")


class WriteError(RoadmapError):
    """A file could not be written (full disk, size limit, I/O error); nothing changed."""


def _optional_module(name: str) -> ModuleType | None:
    """``fcntl`` or ``msvcrt`` if this platform has it (imported lazily: neither exists
    everywhere)."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _describe_os_error(exc: OSError, path: Path | str) -> RoadmapError:
    """An OSError as the user's problem, with what to do about it."""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return UsageError(
            f"cannot write in {path}: {reason}; nothing was changed "
            "(check the folder's permissions, or whether it is mounted read-only)"
        )
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return WriteError(f"cannot write {path}: {reason}; free some space, nothing was changed")
    if exc.errno == errno.EFBIG:
        return WriteError(
            f"cannot write {path}: {reason} (a file size limit such as `ulimit -f`); "
            "nothing was changed"
        )
    return WriteError(f"cannot write {path}: {reason}; nothing was changed")


# --------------------------------------------------------------------------- locks


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Serialize edits of one folder between processes (read, change, write)."""
    fcntl = _optional_module("fcntl")
    if fcntl is not None:
        with _flock(fcntl, folder):
            yield
        return
    msvcrt = _optional_module("msvcrt")
    if msvcrt is not None:
        with _msvcrt_lock(msvcrt, folder):
            yield
        return
    with _exclusive_file_lock(folder):
        yield


@contextlib.contextmanager
def _flock(fcntl: ModuleType, folder: Path) -> Iterator[None]:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise UsageError(f"cannot open folder {folder}: {exc.strerror}") from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)


@contextlib.contextmanager
def _msvcrt_lock(msvcrt: ModuleType, folder: Path) -> Iterator[None]:
    """Windows: lock the first byte of a lock file; the lock ends with the process, so a
    killed editor never leaves a stale lock."""
    lock_path = folder / LOCK_NAME
    try:
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise _describe_os_error(exc, lock_path) from None
    try:
        while True:
            try:
                msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
                break
            except OSError:  # held by another process
                time.sleep(_POLL_SECONDS)
        try:
            yield
        finally:
            os.lseek(descriptor, 0, os.SEEK_SET)
            msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
    finally:
        os.close(descriptor)


def _holder_is_gone(lock_path: Path) -> bool:
    """A lock file whose process has ended (same host) or that is very old."""
    try:
        content = lock_path.read_text(encoding="utf-8", errors="replace").split()
        age = time.time() - lock_path.stat().st_mtime
    except OSError:
        return False  # vanished meanwhile: simply try again
    if age > STALE_LOCK_SECONDS:  # no edit takes that long; its process id may be reused
        return True
    if len(content) == 2 and content[0] == socket.gethostname() and content[1].isdigit():
        try:
            os.kill(int(content[1]), 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False  # alive, but another user's
    return False


@contextlib.contextmanager
def _exclusive_file_lock(folder: Path) -> Iterator[None]:
    """Where the platform has no file locks: a lock file made with O_EXCL holding the
    host and process id; a lock left by a killed process is taken over."""
    lock_path = folder / LOCK_NAME
    while True:
        try:
            descriptor = os.open(lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            break
        except FileExistsError:
            if _holder_is_gone(lock_path):
                # rename first: of two processes seeing the same stale lock only one wins
                stale = lock_path.with_name(f"{LOCK_NAME}.stale.{os.getpid()}")
                with contextlib.suppress(OSError):
                    os.replace(lock_path, stale)
                    os.unlink(stale)
                continue
            time.sleep(_POLL_SECONDS)
        except OSError as exc:
            raise _describe_os_error(exc, lock_path) from None
    try:
        os.write(descriptor, f"{socket.gethostname()} {os.getpid()}\n".encode())
        os.close(descriptor)
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lock_path)


def remove_orphans(folder: Path) -> list[str]:
    """Delete temporary copies left by an editor killed between writing and renaming.
    Call it holding the folder's lock: then no other edit can be using one."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    for name in names:
        if _ORPHAN.match(name):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)
                removed.append(name)
    return removed


def remove_orphans_unless_busy(folder: Path) -> list[str]:
    """:func:`remove_orphans` for a folder whose lock this process does not hold: only
    when no edit holds it right now (that edit may be writing its temporary copy), and
    without waiting. Where the platform has no ``flock`` nothing is removed."""
    fcntl = _optional_module("fcntl")
    if fcntl is None:
        return []
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return []
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another edit holds it; it cleans up itself
            return []
        try:
            return remove_orphans(folder)
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


# --------------------------------------------------------------------------- writes


def check_writable(path: Path, force: bool = False) -> None:
    """Refuse a read-only file (unless ``force``) and one we may not write: replacing it
    by rename would bypass its permissions."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{path} is not a regular file")
    read_only = not info.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK)
    if read_only and not force:
        raise UsageError(
            f"{path} is read-only (mode {stat.S_IMODE(info.st_mode):04o}); make it "
            "writable (chmod u+w) or force the edit; nothing was changed"
        )


def write_atomically(
    path: Path, data: bytes, mode: int | None = None, *, force: bool = False
) -> None:
    """Temporary file in the same folder, fsync, rename over the target, fsync the
    folder: a reader sees the old file or the new one, never half.

    An existing target keeps its mode, owner, group and access control list; if they
    cannot be carried over (another user's file) nothing is written. ``mode`` is for a
    new file (default 0644). A symbolic link is written through; a device or pipe is
    written to directly, since it cannot be replaced."""
    try:
        existing: os.stat_result | None = os.stat(path)  # through links
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise _describe_os_error(exc, path) from None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        _write_through(path, data)  # a device or pipe (/dev/stdout): cannot be replaced
        return
    if path.is_symlink():  # write through the link, never replace it
        path = Path(os.path.realpath(path))
    if existing is not None:
        check_writable(path, force)
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise _describe_os_error(exc, path.parent) from None
    try:
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
                _copy_identity(handle.fileno(), temporary, path, existing, mode)
            _copy_acl(path, temporary, existing)
            _before_rename(temporary)
            os.replace(temporary, path)
        except OSError as exc:
            raise _describe_os_error(exc, path) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # durability of the rename; the data is in place
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _write_through(path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise _describe_os_error(exc, path) from None


def _chmod(descriptor: int, temporary: str, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(descriptor, mode)
    else:  # Windows: by name
        os.chmod(temporary, mode)


def _copy_identity(
    descriptor: int,
    temporary: str,
    path: Path,
    existing: os.stat_result | None,
    mode: int | None,
) -> None:
    if existing is None:
        _chmod(descriptor, temporary, mode if mode is not None else 0o644)
        return
    made = os.fstat(descriptor)
    if hasattr(os, "fchown") and (made.st_uid, made.st_gid) != (existing.st_uid, existing.st_gid):
        try:
            os.fchown(descriptor, existing.st_uid, existing.st_gid)
        except PermissionError:
            raise UsageError(
                f"{path} belongs to {_user(existing.st_uid)} (group {_group(existing.st_gid)}); "
                "replacing it would hand it to you, so nothing was changed; edit it as "
                "its owner"
            ) from None
    _chmod(descriptor, temporary, stat.S_IMODE(existing.st_mode))


def _user(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"user {uid}"


def _group(gid: int) -> str:
    try:
        import grp

        return grp.getgrgid(gid).gr_name
    except (ImportError, KeyError):
        return str(gid)


_ACL = "system.posix_acl_access"


def _copy_acl(path: Path, temporary: str, existing: os.stat_result | None) -> None:
    """Carry a POSIX access control list over (Linux); refuse if it cannot be."""
    if existing is None or not hasattr(os, "getxattr"):
        return
    try:
        acl = os.getxattr(path, _ACL)
    except OSError:
        return  # none, or no extended attributes here
    try:
        os.setxattr(temporary, _ACL, acl)
    except OSError:
        raise UsageError(
            f"{path} has an access control list that cannot be kept; nothing was changed"
        ) from None


def _before_rename(temporary: str) -> None:
    """A seam for the crash test: a process killed here leaves the original intact."""
    if os.environ.get("ROADMAP_TEST_CRASH_BEFORE_RENAME"):
        os.kill(os.getpid(), 9)


def read_bytes(path: Path) -> bytes:
    """A file's bytes; an unreadable file is a usage error with the reason."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
