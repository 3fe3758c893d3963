"""Formatters: problems and listings → text for a terminal, CI or another program.

Each registry maps a format name to a function; the CLI takes its ``--format``
choices from the registry, so a new format is one entry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from .errors import Problem, Severity


def counts(problems: Sequence[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    return errors, len(problems) - errors


def _summary(problems: Sequence[Problem], files: int | None) -> str:
    errors, warnings = counts(problems)
    checked = f" in {files} files" if files is not None else ""
    if not problems:
        return f"no problems{checked}"
    return (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}{checked}"
    )


def problems_table(problems: Sequence[Problem], out: TextIO, files: int | None = None) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False, soft_wrap=True)
    for p in problems:
        style = "bold red" if p.is_error else "yellow"
        line = Text()
        line.append(f"{p.file}:{p.line}:{p.column}", style="bold")
        line.append(": ")
        line.append(p.severity.value, style=style)
        line.append(f" [{p.code}] ", style="dim")
        line.append(p.message)
        console.print(line)
    errors, _ = counts(problems)
    console.print(
        Text(
            _summary(problems, files),
            style="bold red" if errors else ("yellow" if problems else "green"),
        )
    )


def problems_text(problems: Sequence[Problem], out: TextIO, files: int | None = None) -> None:
    for p in problems:
        out.write(f"{p}\n")


def problems_json(problems: Sequence[Problem], out: TextIO, files: int | None = None) -> None:
    errors, warnings = counts(problems)
    document = {
        "ok": errors == 0,
        "errors": errors,
        "warnings": warnings,
        "problems": [p.as_dict() for p in problems],
    }
    write_json(document, out)


def _github_escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def problems_github(problems: Sequence[Problem], out: TextIO, files: int | None = None) -> None:
    for p in problems:
        kind = "error" if p.is_error else "warning"
        out.write(
            f"::{kind} file={_github_escape(p.file, True)},line={p.line},col={p.column},"
            f"title={_github_escape(p.code, True)}::{_github_escape(p.message)}\n"
        )


ProblemFormatter = Callable[[Sequence[Problem], TextIO, "int | None"], None]

PROBLEM_FORMATS: dict[str, ProblemFormatter] = {
    "table": problems_table,
    "text": problems_text,
    "json": problems_json,
    "github": problems_github,
}


def write_json(document: Any, out: TextIO) -> None:
    json.dump(document, out, ensure_ascii=False, indent=2, sort_keys=False, default=str)
    out.write("\n")
