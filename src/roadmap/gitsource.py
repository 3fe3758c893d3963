"""The portfolio as it was at a git revision, read with git itself (the only module
that starts another program). The data folder may be anywhere inside the work tree,
and the command may run from any folder of it."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UsageError


@dataclass(frozen=True)
class Snapshot:
    revision: str  # as the user named it
    commit: str
    date: dt.date  # the commit's date
    folder: Path  # the data folder as it was, extracted


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise UsageError("--since needs git, which is not installed on this machine")
    return subprocess.run([git, *args], cwd=cwd, capture_output=True, check=False)


def snapshot(data_dir: Path, revision: str, into: Path) -> Snapshot:
    """Extract ``data_dir`` as it was at ``revision`` into the folder ``into``."""
    folder = data_dir.resolve()
    if not folder.is_dir():
        raise UsageError(f"--since {revision}: {data_dir} is not a folder")
    top = _git(["rev-parse", "--show-toplevel"], folder)
    if top.returncode != 0:
        raise UsageError(
            f"--since {revision}: {data_dir} is not inside a git repository, so there is "
            "no earlier version to compare with"
        )
    root = Path(top.stdout.decode().strip()).resolve()
    inside = folder.relative_to(root).as_posix()
    found = (
        None
        if revision.startswith("-")  # never let a revision pass as an option to git
        else _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], root)
    )
    if found is None or found.returncode != 0:
        raise UsageError(
            f"--since {revision}: no such revision in {root} (a tag, branch or commit; "
            "`git tag` and `git log --oneline` list them)"
        )
    commit = found.stdout.decode().strip()
    listed = _git(["ls-tree", "--name-only", commit, "--", inside], root)
    if inside != "." and not listed.stdout.strip():
        raise UsageError(f"--since {revision}: {inside}/ did not exist at {revision}")
    archive = _git(["archive", "--format=tar", commit, "--", inside], root)
    if archive.returncode != 0:
        raise UsageError(
            f"--since {revision}: git could not read {inside}/ at {revision}: "
            f"{archive.stderr.decode(errors='replace').strip()}"
        )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    shown = _git(["show", "-s", "--format=%cs", commit], root)
    return Snapshot(
        revision, commit, dt.date.fromisoformat(shown.stdout.decode().strip()), into / inside
    )


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
