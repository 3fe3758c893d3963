"""Reading a data folder's files safely: only regular files, links only inside the data
folder, a size limit, a re-read when a file changes while it is read, UTF-8 text."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, Severity, say

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_READ_ATTEMPTS = 3  # a file that keeps changing while read is reported, not retried forever


@dataclass
class RawProblem:
    """A problem inside one file before it knows the file's display name."""

    line: int
    column: int
    severity: Severity
    code: str
    message: str

    def located(self, file: str) -> Problem:
        return Problem(file, self.line, self.column, self.severity, self.code, self.message)


def decode(data: bytes) -> tuple[str | None, RawProblem | None]:
    """Bytes → text. UTF-8 only (with or without BOM); NUL bytes mean a binary file."""
    if len(data) > MAX_FILE_BYTES:
        return _unreadable("file-too-large", _too_large(len(data)))
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, RawProblem(
            line,
            1,
            Severity.ERROR,
            "file-encoding",
            say("file", "file contains NUL bytes: it is binary, not a YAML text file"),
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, RawProblem(
            line,
            column,
            Severity.ERROR,
            "file-encoding",
            say(
                "file",
                "byte {byte} is not UTF-8; save the file as UTF-8",
                byte=f"0x{data[exc.start]:02x}",
            ),
        )


def _unreadable(code: str, message: str) -> tuple[None, RawProblem]:
    return None, RawProblem(1, 1, Severity.ERROR, code, message)


_KINDS = [
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
]


def _not_regular(mode: int) -> str | None:
    """What a non-regular file is, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_file(path: Path, data_root: Path) -> tuple[bytes | None, RawProblem | None]:
    """The bytes of a regular file, or the problem that stops it being read. Nothing
    but a regular file is ever opened (a FIFO would block, a device never ends), and a
    file that changes while it is read is read again."""
    before, problem = _status(path, data_root)
    if before is None:
        return None, problem
    for _ in range(MAX_READ_ATTEMPTS):
        if before.st_size > MAX_FILE_BYTES:
            return _unreadable("file-too-large", _too_large(before.st_size))
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            try:
                opened = os.fstat(fd)
                kind = _not_regular(opened.st_mode)
                if kind is not None:  # swapped for something else since the check
                    return _unreadable(
                        "not-a-file", f"this is {kind}, not a regular file; rename or remove it"
                    )
                with os.fdopen(fd, "rb", closefd=False) as fh:
                    data = fh.read(MAX_FILE_BYTES + 1)
                after = os.fstat(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            return _unreadable("file-unreadable", f"cannot read file: {exc.strerror}")
        if len(data) > MAX_FILE_BYTES:
            return _unreadable("file-too-large", _too_large(max(after.st_size, len(data))))
        if _same_version(opened, after) and after.st_size == len(data):
            return data, None
        before = after
    return _unreadable(
        "file-changed",
        "the file changed while it was read; run again once it is saved",
    )


def _status(path: Path, data_root: Path) -> tuple[os.stat_result | None, RawProblem | None]:
    """The status of a regular file before it is opened, or the problem that stops it
    being read: a broken link, a link out of the data folder, anything not a file."""
    try:
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except FileNotFoundError:
                return _unreadable(
                    "symlink-broken",
                    f"file is a link to {os.readlink(path)}, which does not exist; "
                    "remove the link or copy the file in",
                )
            except RuntimeError:  # Python < 3.13 raises this for a loop
                return _unreadable(
                    "symlink-broken", "file is a link that points back to itself; remove it"
                )
            if not target.is_relative_to(data_root.resolve()):
                return _unreadable(
                    "symlink-outside",
                    f"file is a link to {target}, outside the data folder; copy the file "
                    "in instead",
                )
        before = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a loop of links (Python 3.13 raises OSError)
            return _unreadable(
                "symlink-broken", "file is a link that points back to itself; remove it"
            )
        return _unreadable("file-unreadable", f"cannot read file: {exc.strerror}")
    kind = _not_regular(before.st_mode)
    if kind is not None:
        return _unreadable(
            "not-a-file",
            f"this is {kind}, not a regular file; a portfolio file must be a YAML text file "
            "(rename or remove it)",
        )
    return before, None


def _same_version(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_ino, a.st_size, a.st_mtime_ns, a.st_ctime_ns) == (
        b.st_ino,
        b.st_size,
        b.st_mtime_ns,
        b.st_ctime_ns,
    )


def _too_large(size: int) -> str:
    return (
        f"file is {size / 1048576:.1f} MiB; a portfolio file must be under "
        f"{MAX_FILE_BYTES // 1048576} MiB (keep long texts in linked documents)"
    )


def project_files(data_dir: Path) -> list[Path]:
    """Every ``*.yaml``/``*.yml`` entry of ``projects/``, whatever kind of file it is:
    a folder or pipe with such a name is reported, not skipped."""
    folder = data_dir / "projects"
    if not folder.is_dir():
        return []
    names = sorted(  # strings, not Paths: sorting 30,000 Paths costs half a second
        entry.name
        for entry in os.scandir(folder)
        if entry.name.endswith((".yaml", ".yml")) and not entry.name.startswith(".")
    )
    return [folder / name for name in names]


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path.absolute()) if relative.startswith("..") else relative
