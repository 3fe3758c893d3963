"""Carry out an import plan: new project files and lossless edits of existing ones,
validated together before anything is written.

The new and edited texts are first written into a scratch copy of the portfolio, which
must validate as `roadmap validate` would; only then are the real files written, each
atomically, under the folder lock. On any error nothing is written.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .edit import (
    Change,
    Document,
    check_with_second_parser,
    folder_lock,
    render,
    unified_diff,
    write_atomically,
)
from .errors import Problem, Severity, say
from .importer import LIST_KINDS, ImportPlan

_SAFE_BLOCK_LINE = re.compile(r"^[^\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]*$")


def _block_text(text: str, indent: int) -> str | None:
    """A multi-line text as a literal block scalar, where that reads back exactly."""
    lines = text.split("\n")
    if (
        text != text.strip()
        or not lines[0]
        or lines[0][0] in " #"
        or any(not _SAFE_BLOCK_LINE.match(line) or line != line.rstrip(" ") for line in lines)
    ):
        return None
    pad = " " * indent
    return "|-\n" + "\n".join(pad + line if line else "" for line in lines)


def project_text(data: dict[str, Any], source: str) -> str:
    """A new project file: a comment naming where it came from, then the data."""
    lines = [f"# {source}"]
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {part}: {render(inner)}" for part, inner in value.items()]
        elif isinstance(value, str) and "\n" in value:
            lines.append(f"{key}: {_block_text(value, 2) or render(value)}")
        else:
            lines.append(f"{key}: {render(value)}")
    return "\n".join(lines) + "\n"


def changes_for(differences: list[tuple[tuple[str, ...], Any, Any]]) -> list[Change]:
    """Lossless edits for changed fields: a scalar is set; a list loses the items no
    longer in the cell and gains the new ones, so its style and comments stay."""
    changes: list[Change] = []
    for path, old, new in differences:
        if path[0] in LIST_KINDS and isinstance(new, list):
            before = list(old or [])
            changes += [Change("remove", path, item) for item in before if item not in new]
            changes += [Change("append", path, item) for item in new if item not in before]
        else:
            changes.append(Change("set", path, new))
    return changes


@dataclass
class ImportResult:
    written: list[Path]
    deleted: list[Path]
    diff: str
    problems: list[Problem]


def apply_import(
    data_dir: Path,
    plan: ImportPlan,
    source: str,
    dry_run: bool,
    delete_missing: bool = False,
) -> ImportResult:
    """Validate the plan's result as a whole, then write it (unless ``dry_run``)."""
    from .checks import validate

    projects_dir = data_dir / "projects"
    texts: dict[Path, tuple[str, str]] = {}  # path → (before, after)
    for ident, data in plan.created.items():
        row = plan.rows[ident]
        texts[projects_dir / f"{ident}.yaml"] = ("", project_text(data, f"{source}, row {row}"))
    with folder_lock(projects_dir):
        for ident, differences in plan.changed.items():
            path = projects_dir / f"{ident}.yaml"
            document = Document.read(path)
            before, expected = document.text, document.data()
            for change in changes_for(differences):
                change.apply_text(document)
                change.apply_data(expected)
            check_with_second_parser(document.text, expected)
            texts[path] = (before, document.text)
        deleted = [projects_dir / f"{i}.yaml" for i in plan.missing] if delete_missing else []
        try:
            problems = _validate_staged(data_dir, texts, deleted, validate)
        except OSError as exc:  # the scratch copy: a full disk, a file size limit
            from .atomic import WriteError

            raise WriteError(f"cannot check the import: {exc.strerror or exc}") from None
        problems = _with_rows(problems, projects_dir, plan, source)
        diff = "".join(unified_diff(path, before, after) for path, (before, after) in texts.items())
        if any(p.severity is Severity.ERROR for p in problems) or dry_run:
            return ImportResult([], [], diff, problems)
        for path, (before, after) in texts.items():
            mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
            bom = b"\xef\xbb\xbf" if before and path.read_bytes()[:3] == b"\xef\xbb\xbf" else b""
            try:
                write_atomically(path, bom + after.encode("utf-8"), mode)
            except OSError as exc:
                from .atomic import WriteError

                raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
        for path in deleted:
            path.unlink()
    return ImportResult(sorted(texts), deleted, diff, problems)


def _with_rows(
    problems: list[Problem], projects_dir: Path, plan: ImportPlan, source: str
) -> list[Problem]:
    """A problem in a file the import would create also names the sheet's row it comes
    from: the file is not written yet, the row is what to fix."""
    # by the resolved path: the problems name files as the data folder was given (".")
    rows = {
        (projects_dir / f"{ident}.yaml").resolve(): row
        for ident, row in plan.rows.items()
        if ident in plan.created
    }
    located = []
    for p in problems:
        row = rows.get(Path(p.file).resolve())
        if row is not None:
            message = say(
                "import", "{message} ({sheet}, row {row})", message=p.message, sheet=source, row=row
            )
            p = Problem(p.file, p.line, p.column, p.severity, p.code, message)
        located.append(p)
    return located


def _validate_staged(
    data_dir: Path, texts: dict[Path, tuple[str, str]], deleted: list[Path], validate: Any
) -> list[Problem]:
    """Validate a scratch copy of the portfolio with the new texts in place; problems
    name the real files."""
    with tempfile.TemporaryDirectory(prefix="roadmap-import-") as scratch:
        staged = Path(scratch) / "data"
        (staged / "projects").mkdir(parents=True)
        shutil.copyfile(data_dir / "strategy.yaml", staged / "strategy.yaml")
        for path in sorted((data_dir / "projects").glob("*.yaml")):
            if path.is_file() and path not in deleted:
                shutil.copyfile(path, staged / "projects" / path.name)
        for path, (_, after) in texts.items():
            (staged / "projects" / path.name).write_text(after, encoding="utf-8", newline="")
        _, problems = validate(staged, None)
    shown = str(staged)
    real = str(data_dir)
    return [
        Problem(p.file.replace(shown, real, 1), p.line, p.column, p.severity, p.code, p.message)
        for p in problems
    ]
