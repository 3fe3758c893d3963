"""The portfolio as it was at a git revision (the only module that starts another
program). The data folder may be anywhere inside the work tree, and the command may run
from any folder of it.

The old files are read as git stores them, with plumbing only (``rev-parse``,
``cat-file --batch``): no ``.gitattributes`` (export-ignore, export-subst, eol),
no smudge or clean filters, no textconv, no hooks, no fsmonitor, no network. The
caller's GIT_* variables never redirect git to another repository, index or work tree.
Only the portfolio's YAML files are written out, under the loader's limits; links,
submodules and oversized files are reported by path instead of being followed or read.

One module on purpose (about 650 lines): it is the one git gateway, and its parts
(the environment git runs in, the ``cat-file`` reader, the writer of the snapshot)
keep one another's guarantees; together they are what a reviewer checks to know that
reading an old revision runs nothing and writes nothing but the portfolio's files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import posixpath
import shutil
import subprocess
import threading
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import TYPE_CHECKING

from .errors import DataError, Problem, Severity, UsageError
from .load import MAX_FILE_BYTES

MAX_REVISION_CHARS = 256  # a full SHA-256 is 64; tag and branch names are far shorter
MAX_TREE_BYTES = 32 * 1024 * 1024  # one folder's listing; 30,000 projects take ~2 MiB
MAX_FILES = 100_000
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_LINK_BYTES = 4096  # a link's target (PATH_MAX)
MAX_LINK_HOPS = 8
GIT_TIMEOUT_SECONDS = 120

YAML_SUFFIXES = (".yaml", ".yml")
# Tree entry modes (git stores them without leading zeros)
TREE, LINK, SUBMODULE = b"40000", b"120000", b"160000"

# The caller's environment minus every GIT_* variable (GIT_DIR, GIT_WORK_TREE,
# GIT_INDEX_FILE, GIT_CONFIG_PARAMETERS, ... would point git elsewhere or configure it).
KEPT_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "SYSTEMROOT")
HARDENED_VARIABLES = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_ATTR_NOSYSTEM": "1",
    "GIT_NO_REPLACE_OBJECTS": "1",  # the commit as recorded, not as refs/replace/ says
    "GIT_NO_LAZY_FETCH": "1",  # a partial clone's missing objects stay missing
    "GIT_ALLOW_PROTOCOL": "none",  # no transport at all (overrides protocol.*.allow)
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
}
# Command-line configuration wins over the repository's own .git/config.
HARDENED_CONFIG = (
    "-c",
    "core.fsmonitor=false",
    "-c",
    f"core.hooksPath={os.devnull}",
    "-c",
    "protocol.allow=never",
    "-c",
    "safe.bareRepository=explicit",
    "-c",
    "core.untrackedCache=false",
)


@dataclass(frozen=True)
class Snapshot:
    revision: str  # as the user named it
    commit: str
    date: dt.date  # the commit's date
    folder: Path  # the data folder as it was, written out


def snapshot(data_dir: Path, revision: str, into: Path) -> Snapshot:
    """Write the portfolio files of ``data_dir`` as they were at ``revision`` into the
    folder ``into``. UsageError when the revision or folder cannot be used; DataError
    (with one problem per path) when the old files cannot be read as the loader would."""
    shown = shown_revision(revision)
    folder = data_dir.resolve()
    if not folder.is_dir():
        raise UsageError(f"--since {shown}: {data_dir} is not a folder")
    check_revision(revision)
    git = shutil.which("git")
    if git is None:
        raise UsageError("--since needs git, which is not installed on this machine")
    root = _work_tree(git, folder, data_dir, shown)
    try:
        inside = folder.relative_to(root)
    except ValueError:  # the repository's core.worktree points elsewhere
        raise UsageError(
            f"--since {shown}: git places the work tree of {data_dir} at {root}, which "
            "does not contain it"
        ) from None
    with _Objects(git, root, shown) as objects:
        commit, tree, date = _commit(objects, revision, shown, root)
        writer = _Writer(objects, _folder_tree(objects, tree, inside, shown), inside, shown)
        written = writer.write(into / inside)
    if writer.problems:
        first, more = writer.problems[0], len(writer.problems) - 1
        raise DataError(
            f"--since {shown}: the data at {shown} cannot be compared: {first.file} "
            f"{first.message}" + (f" (and {more} more problem{'s' * (more != 1)})" if more else ""),
            writer.problems,
        )
    if "strategy.yaml" not in written:
        raise UsageError(
            f"--since {shown}: {_slashed(inside)} at {shown} has no strategy.yaml, so it was "
            "not a portfolio folder then; compare with a later revision"
        )
    return Snapshot(revision, commit, date, into / inside)


def shown_revision(revision: str) -> str:
    """The revision as a message can show it: one line, not too long."""
    text = revision if revision.isprintable() else repr(revision)
    return text if len(text) <= 80 else text[:60] + f"… ({len(revision)} characters)"


def check_revision(revision: str) -> None:
    """Refuse what cannot be a commit before git sees it: an option (``-x``), a path
    (``REV:path``), control characters and endless names."""
    reason = None
    if not revision.strip():
        reason = "it is empty"
    elif revision.startswith("-"):
        reason = "a revision never starts with '-'"
    elif len(revision) > MAX_REVISION_CHARS:
        reason = f"it is longer than {MAX_REVISION_CHARS} characters"
    elif not revision.isprintable():
        reason = "it contains a control character such as a newline, tab or NUL"
    elif ":" in revision:
        reason = "'REV:path' names a file, not a revision"
    if reason is not None:
        raise UsageError(
            f"--since {shown_revision(revision)}: no such revision ({reason}); name a tag, "
            "branch or commit (`git tag` and `git log --oneline` list them)"
        )


def git_environment() -> dict[str, str]:
    """The environment git runs in: PATH, HOME and the locale of ours, nothing else."""
    kept = {name: os.environ[name] for name in KEPT_VARIABLES if name in os.environ}
    return {**kept, **HARDENED_VARIABLES}


def git_command(git: str, *args: str) -> list[str]:
    return [git, *HARDENED_CONFIG, *args]


def _work_tree(git: str, folder: Path, data_dir: Path, shown: str) -> Path:
    try:
        found = subprocess.run(
            git_command(git, "rev-parse", "--show-toplevel"),
            cwd=folder,
            env=git_environment(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(f"--since {shown}: git could not be run in {data_dir}: {exc}") from None
    if found.returncode != 0:
        said = found.stderr.decode(errors="replace").strip().splitlines()
        raise UsageError(
            f"--since {shown}: {data_dir} is not inside a git repository, so there is no "
            "earlier version to compare with" + (f" (git: {said[0]})" if said else "")
        )
    line = found.stdout[:-1] if found.stdout.endswith(b"\n") else found.stdout
    return Path(os.fsdecode(line)).resolve()


def _commit(objects: _Objects, revision: str, shown: str, root: Path) -> tuple[str, str, dt.date]:
    """(commit id, root tree id, committer date) of the revision."""
    found = objects.read(revision.encode("utf-8", "surrogateescape") + b"^{commit}", MAX_FILE_BYTES)
    if found is None or found.kind != "commit" or found.content is None:
        raise UsageError(
            f"--since {shown}: no such revision in {root} (a tag, branch or commit; "
            "`git tag` and `git log --oneline` list them)"
        )
    tree, date = None, None
    for line in found.content.split(b"\n"):
        if not line:
            break  # the message follows
        if line.startswith(b"tree "):
            tree = line[5:].decode("ascii", "replace")
        elif line.startswith(b"committer "):
            date = _date(line)
    if tree is None or date is None:
        raise UsageError(f"--since {shown}: git's commit {found.oid} has no readable header")
    return found.oid, tree, date


def _date(committer: bytes) -> dt.date | None:
    """The committer line's date in the committer's time zone (what ``%cs`` shows)."""
    try:
        seconds, zone = committer.rsplit(b" ", 2)[1:]
        sign = -1 if zone.startswith(b"-") else 1
        offset = dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5])) * sign
        return dt.datetime.fromtimestamp(int(seconds), dt.timezone(offset)).date()
    except (ValueError, OverflowError, OSError):
        return None


def _folder_tree(objects: _Objects, tree: str, inside: Path, shown: str) -> str:
    """The tree id of the data folder at the commit, walking down from the root."""
    walked = PurePosixPath()
    for part in inside.parts:
        walked /= part
        entry = next(
            (e for e in objects.tree(tree, _slashed(walked.parent)) if e.name == os.fsencode(part)),
            None,
        )
        if entry is None:
            raise UsageError(f"--since {shown}: {_slashed(inside)} did not exist at {shown}")
        if entry.mode == SUBMODULE:
            raise DataError(
                f"--since {shown}: {walked}/ was a git submodule at {shown}; its files are "
                "in another repository, so there is nothing here to compare with"
            )
        if entry.mode != TREE:
            kind = "a link" if entry.mode == LINK else "a file"
            raise DataError(
                f"--since {shown}: {walked} was {kind} at {shown}, not a folder; compare with "
                "a revision where it is a folder"
            )
        tree = entry.oid
    return tree


def _slashed(folder: Path | PurePosixPath) -> str:
    """A folder of the repository as messages name it."""
    return "the top folder" if str(folder) == "." else f"{folder.as_posix()}/"


@dataclass(frozen=True)
class Entry:
    """One entry of a tree object (a folder at the revision)."""

    mode: bytes
    name: bytes
    oid: str


@dataclass(frozen=True)
class Found:
    """An object git found for a name."""

    oid: str
    kind: str
    size: int
    content: bytes | None  # None when larger than asked for (then not read)


class _Objects:
    """Objects read through one ``git cat-file --batch``: the stored bytes, no filters,
    no textconv. Names go in on stdin, never as arguments."""

    def __init__(self, git: str, root: Path, shown: str) -> None:
        self._command = git_command(git, "cat-file", "--batch")
        self._root = root
        self._shown = shown
        self._process: subprocess.Popen[bytes] | None = None
        self._oid_bytes = 20  # SHA-1; set from the first id read (32 for SHA-256)

    def __enter__(self) -> _Objects:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()
        if process.poll() is None:  # idle or in the middle of an object we skip
            process.kill()
        process.wait()

    def _started(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            try:
                self._process = subprocess.Popen(
                    self._command,
                    cwd=self._root,
                    env=git_environment(),
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            except OSError as exc:
                raise UsageError(
                    f"--since {self._shown}: git could not be run in {self._root}: {exc}"
                ) from None
        return self._process

    def read(self, name: bytes, limit: int) -> Found | None:
        """The object ``name`` (an id or ``REV^{commit}``), with its content when that
        is at most ``limit`` bytes; None when there is no such object."""
        process = self._started()
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(name + b"\n")
            process.stdin.flush()
            header = process.stdout.readline()
        except OSError:
            header = b""
        if not header.endswith(b"\n"):  # git stopped: a name it refuses to look up
            self.close()
            return None
        fields = header[:-1].rsplit(b" ", 2)
        if len(fields) != 3 or not fields[2].isdigit():  # "NAME missing", "NAME ambiguous"
            return None
        oid, kind, size = fields[0].decode("ascii", "replace"), fields[1].decode(), int(fields[2])
        self._oid_bytes = len(oid) // 2
        if size > limit:
            self.close()  # skip its bytes unread: the next read starts a new git
            return Found(oid, kind, size, None)
        content = process.stdout.read(size + 1)  # and git's "\n"
        if len(content) != size + 1:
            self.close()
            raise UsageError(f"--since {self._shown}: git stopped while reading object {oid}")
        return Found(oid, kind, size, content[:-1])

    def sizes(self, oids: list[str]) -> dict[str, tuple[str, int]]:
        """Type and size of each object, from one ``git cat-file --batch-check``."""
        if not oids:
            return {}
        try:
            listed = subprocess.run(
                [*self._command[:-1], "--batch-check"],
                cwd=self._root,
                env=git_environment(),
                input=b"".join(oid.encode("ascii") + b"\n" for oid in oids),
                capture_output=True,
                timeout=GIT_TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise UsageError(f"--since {self._shown}: git could not list objects: {exc}") from None
        found = {}
        for line in listed.stdout.splitlines():
            fields = line.split(b" ")
            if len(fields) == 3 and fields[2].isdigit():
                found[fields[0].decode("ascii", "replace")] = (fields[1].decode(), int(fields[2]))
        return found

    def contents(self, oids: list[str]) -> Generator[bytes, None, None]:
        """The contents of the objects, in order, from one ``git cat-file --batch`` fed
        by a thread while they are read (a round trip per file would take seconds for
        30,000 projects). Every object must exist and be at most MAX_FILE_BYTES."""
        try:
            process = subprocess.Popen(
                self._command,
                cwd=self._root,
                env=git_environment(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise UsageError(f"--since {self._shown}: git could not be run: {exc}") from None
        assert process.stdin is not None and process.stdout is not None
        stdin, stdout = process.stdin, process.stdout

        def feed() -> None:
            try:
                for oid in oids:
                    stdin.write(oid.encode("ascii") + b"\n")
                stdin.close()
            except OSError:  # git stopped early; the reader reports it
                pass

        feeder = threading.Thread(target=feed, name="git-cat-file-input", daemon=True)
        feeder.start()
        try:
            for oid in oids:
                fields = stdout.readline().split(b" ")
                if len(fields) != 3 or fields[0].decode("ascii", "replace") != oid:
                    raise UsageError(f"--since {self._shown}: git could not read object {oid}")
                size = int(fields[2])
                if size > MAX_FILE_BYTES:  # the sizes were checked; content ids never change
                    raise UsageError(f"--since {self._shown}: git's object {oid} changed size")
                content = stdout.read(size + 1)
                if len(content) != size + 1:
                    raise UsageError(f"--since {self._shown}: git stopped reading {oid}")
                yield content[:-1]
        finally:
            stdout.close()
            if process.poll() is None:
                process.kill()
            process.wait()
            feeder.join()

    def tree(self, oid: str, folder: str) -> Iterator[Entry]:
        """The entries of the tree ``oid``, the folder ``folder`` at the revision."""
        found = self.read(oid.encode("ascii"), MAX_TREE_BYTES)
        if found is None or found.kind != "tree":
            raise UsageError(f"--since {self._shown}: git could not read {folder} ({oid})")
        if found.content is None:
            raise DataError(
                f"--since {self._shown}: the listing of {folder} at {self._shown} takes "
                f"{found.size / 1048576:.1f} MiB; roadmap reads folders whose listing takes "
                f"up to {MAX_TREE_BYTES // 1048576} MiB (some 500,000 files)"
            )
        tree, at = found.content, 0
        while at < len(tree):
            space = tree.find(b" ", at)
            nul = tree.find(b"\0", space + 1)
            end = nul + 1 + self._oid_bytes
            if space < 0 or nul < 0 or end > len(tree):
                raise UsageError(f"--since {self._shown}: git's tree {oid} ({folder}) is damaged")
            yield Entry(tree[at:space], tree[space + 1 : nul], tree[nul + 1 : end].hex())
            at = end


class _Writer:
    """Writes the portfolio's YAML files as they were (those in the data folder and in
    its direct subfolders, where the loader looks) and collects, per path, what cannot
    be written: links leaving the data folder, submodules, files over the loader's limit."""

    def __init__(self, objects: _Objects, data_tree: str, inside: Path, shown: str) -> None:
        self.objects = objects
        self.data_tree = data_tree
        self.inside = PurePosixPath(inside.as_posix())
        self.shown = shown
        self.problems: list[Problem] = []
        self.full = False  # MAX_FILES or MAX_TOTAL_BYTES reached

    def problem(self, path: str, code: str, message: str) -> None:
        self.problems.append(Problem(str(self.inside / path), 1, 1, Severity.ERROR, code, message))

    def write(self, target: Path) -> set[str]:
        """Write the files under ``target``; their paths relative to the data folder."""
        chosen: list[tuple[str, Entry]] = []
        folders: list[tuple[str, str]] = []
        for entry in self.objects.tree(self.data_tree, _slashed(self.inside)):
            name = _safe_name(entry.name)
            if name is None:
                continue
            if name.endswith(YAML_SUFFIXES):
                self.choose(entry, name, chosen)
            elif entry.mode == TREE:
                folders.append((name, entry.oid))
            elif name == "projects":
                folder = self.projects_elsewhere(entry)
                if folder is not None:
                    folders.append((name, folder))
        for name, oid in folders:
            for entry in self.objects.tree(oid, _slashed(self.inside / name)):
                inner = _safe_name(entry.name)
                if inner is not None and inner.endswith(YAML_SUFFIXES):
                    self.choose(entry, f"{name}/{inner}", chosen)
        readable = self.readable(chosen)
        target.mkdir(parents=True, exist_ok=True)
        for name, _ in folders:
            (target / name).mkdir(exist_ok=True)
        written: set[str] = set()
        stream = self.objects.contents([entry.oid for _, entry in readable])
        with contextlib.closing(stream):
            for (path, _), content in zip(readable, stream, strict=True):
                try:
                    with open(target / path, "xb") as file:
                        file.write(content)
                except FileExistsError:  # twice in one crafted tree, or on a case-blind disk
                    self.problem(path, "duplicate-file", f"is listed twice at {self.shown}")
                    continue
                written.add(path)
        return written

    def projects_elsewhere(self, entry: Entry) -> str | None:
        """The tree of projects/ when it is a link to a folder inside the data folder;
        None (and a problem) for a submodule or any other link."""
        if entry.mode == SUBMODULE:
            self.problem(
                "projects",
                "submodule",
                f"was a git submodule at {self.shown}: its project files are in another "
                "repository, and every project would look new; compare with a revision "
                "where projects/ is a folder of this repository",
            )
            return None
        if entry.mode != LINK:
            return None
        followed = self.followed(entry, "projects")
        if followed is None:
            return None
        if followed.mode != TREE:
            self.problem("projects", "not-a-folder", f"was not a folder at {self.shown}")
            return None
        return followed.oid

    def choose(self, entry: Entry, path: str, chosen: list[tuple[str, Entry]]) -> None:
        """Add the file at ``path`` (a link: the file it leads to) to those to write."""
        if len(chosen) >= MAX_FILES:
            if not self.full:
                self.full = True
                self.problem(path, "too-many-files", self.too_much)
            return
        followed = self.followed(entry, path) if entry.mode == LINK else entry
        if followed is None:
            return
        if followed.mode == SUBMODULE:
            self.problem(path, "submodule", f"was a git submodule at {self.shown}, not a file")
        elif followed.mode == TREE:
            self.problem(path, "not-a-file", f"was a folder at {self.shown}, not a file")
        else:
            chosen.append((path, followed))

    @property
    def too_much(self) -> str:
        return (
            f"was not read, nor any file after it: the data folder had more than "
            f"{MAX_FILES:,} YAML files or "
            f"{MAX_TOTAL_BYTES // 1048576:,} MiB of them at {self.shown}; roadmap compares "
            "portfolios up to that size"
        )

    def readable(self, chosen: list[tuple[str, Entry]]) -> list[tuple[str, Entry]]:
        """The chosen files that are blobs within the loader's limits; problems for
        the others, whose bytes are never read."""
        sizes = self.objects.sizes(sorted({entry.oid for _, entry in chosen}))
        readable, total = [], 0
        for path, entry in chosen:
            kind, size = sizes.get(entry.oid, ("missing", 0))
            if kind != "blob":
                self.problem(path, "file-unreadable", f"git could not read it ({entry.oid})")
            elif size > MAX_FILE_BYTES:
                self.problem(
                    path,
                    "file-too-large",
                    f"is {size / 1048576:.1f} MiB at {self.shown}; a portfolio file must "
                    f"be under {MAX_FILE_BYTES // 1048576} MiB (keep long texts in linked "
                    "documents)",
                )
            elif total + size > MAX_TOTAL_BYTES:
                if not self.full:
                    self.full = True
                    self.problem(path, "too-many-files", self.too_much)
            else:
                total += size
                readable.append((path, entry))
        return readable

    def followed(self, link: Entry, path: str) -> Entry | None:
        """What the link at ``path`` leads to, when that is inside the data folder, as
        the loader requires; None (and a problem) otherwise. Nothing outside is read."""
        at = path
        for _ in range(MAX_LINK_HOPS):
            found = self.objects.read(link.oid.encode("ascii"), MAX_LINK_BYTES)
            if found is None or found.content is None:
                self.problem(path, "file-unreadable", f"git could not read the link {at}")
                return None
            pointed = os.fsdecode(found.content)
            leads = posixpath.normpath(
                posixpath.join(posixpath.dirname(str(self.inside / at)), pointed)
            )
            prefix = "" if str(self.inside) == "." else f"{self.inside}/"
            if (
                posixpath.isabs(pointed)
                or not leads.startswith(prefix)
                or leads == ".."
                or leads.startswith("../")
            ):
                self.problem(
                    path,
                    "symlink-outside",
                    f"is a link to {pointed} at {self.shown}, outside the data folder; "
                    "roadmap reads only files inside it",
                )
                return None
            at = leads[len(prefix) :]
            found_entry = self.find(at)
            if found_entry is None:
                self.problem(
                    path,
                    "symlink-dangling",
                    f"is a link to {pointed}, which did not exist at {self.shown}",
                )
                return None
            if found_entry.mode != LINK:
                return found_entry
            link = found_entry
        self.problem(path, "symlink-loop", f"leads through more than {MAX_LINK_HOPS} links")
        return None

    def find(self, relative: str) -> Entry | None:
        """The entry at a path inside the data folder (links on the way not followed)."""
        tree, folder = self.data_tree, self.inside
        entry = None
        for part in relative.split("/"):
            if entry is not None:
                if entry.mode != TREE:
                    return None
                tree, folder = entry.oid, folder / entry.name.decode(errors="replace")
            wanted = os.fsencode(part)
            listed = self.objects.tree(tree, _slashed(folder))
            entry = next((e for e in listed if e.name == wanted), None)
            if entry is None:
                return None
        return entry


def _safe_name(name: bytes) -> str | None:
    """A tree entry's name as a file name here; None for names git itself refuses to
    write (only a crafted tree has them)."""
    if name in (b"", b".", b"..") or b"/" in name or b"\\" in name:
        return None
    return os.fsdecode(name)


# --- moved from the CLI (arch)

if TYPE_CHECKING:
    from .model import Portfolio


def portfolio_at(data_dir: Path, revision: str) -> tuple[Portfolio, dt.date]:
    """The portfolio in ``data_dir`` as git has it at ``revision``, and the commit's
    date; a ``DataError`` when the data at that revision does not validate."""
    import tempfile

    from .errors import DataError, Severity
    from .load import load_portfolio

    with tempfile.TemporaryDirectory(prefix="roadmap-since-") as tmp:
        then = snapshot(data_dir, revision, Path(tmp))
        loaded = load_portfolio(then.folder)
    errors = [p for p in loaded.problems if p.severity is Severity.ERROR]
    if errors or loaded.portfolio is None:
        first = errors[0].message if errors else "it could not be read"
        raise DataError(
            f"--since {revision}: the data at {revision} has {len(errors)} "
            f"error{'s' * (len(errors) != 1)} (first: {first}); compare with a "
            "revision whose data validates"
        )
    return loaded.portfolio, then.date
