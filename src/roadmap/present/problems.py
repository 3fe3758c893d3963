"""The formatters of ``validate``'s problems: for people (table, text), for programs
(json), for CI (github annotations, GitLab Code Quality, SARIF for code scanning).

Each takes ``(problems, stream, files checked or None, where)``; ``where`` says how a
problem's file is named relative to the repository (GitLab and SARIF want that) and
where GitHub's step summary goes. None of them reads the environment: the CLI does."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .. import __version__
from ..errors import OutputError, Problem, Severity
from .i18n import marked, npgettext, pgettext
from .text import md_cell, write_json

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SARIF_VERSION = "2.1.0"
# GitLab's severities are info, minor, major, critical, blocker: an error fails
# validate (exit 1) and blocks the merge → major; a warning does not → minor
GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}
SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning"}
FINGERPRINT_KEY = "roadmapProblem/v1"
# GitHub refuses a step summary over 1 MiB; the table stops well before
STEP_SUMMARY_LIMIT = 512 * 1024


@dataclass(frozen=True)
class Where:
    """Where the report is for: ``root`` the repository's top folder and ``cwd`` the
    folder relative paths start from (both absolute), ``step_summary`` the file named
    by ``$GITHUB_STEP_SUMMARY``."""

    root: Path | None = None
    cwd: Path | None = None
    step_summary: Path | None = None

    def repository_path(self, file: str) -> str:
        """``file`` relative to the repository root, with ``/``; as given (with ``/``)
        when there is no root or the file lies outside it."""
        if self.root is not None:
            absolute = (
                file if os.path.isabs(file) or self.cwd is None else os.path.join(self.cwd, file)
            )
            relative = os.path.relpath(absolute, self.root)  # normalises both
            if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
                return relative.replace(os.sep, "/")
        return file.replace(os.sep, "/")


NOWHERE = Where()


def counts(problems: Sequence[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    return errors, len(problems) - errors


def summary(problems: Sequence[Problem], files: int | None, lang: str = "en") -> str:
    """``2 errors, 1 warning in 12 files`` in the language."""
    errors, warnings = counts(problems)
    checked = ""
    if files is not None:
        checked = npgettext(lang, "problems", " in {n} file", " in {n} files", files)
        checked = checked.format(n=files)
    if not problems:
        return pgettext(lang, "problems", "no problems") + checked
    return (
        npgettext(lang, "problems", "{n} error", "{n} errors", errors).format(n=errors)
        + ", "
        + npgettext(lang, "problems", "{n} warning", "{n} warnings", warnings).format(n=warnings)
        + checked
    )


def problem_message(problem: Problem, lang: str) -> str:
    """A problem's message for a person reading ``lang``: a message known by code and
    parameters (errors.Message) and the policies' messages come from the catalogs; any
    other stays as the check wrote it (English)."""
    from ..checks import POLICY_MESSAGES
    from ..errors import Message
    from .wording import worded

    if isinstance(problem.message, Message):
        return worded(problem.message, lang)
    english = POLICY_MESSAGES.get(problem.code)
    if lang == "en" or english is None or problem.message != english:
        return problem.message
    return pgettext(lang, f"policy:{problem.code}", english)


def severity_word(severity: Severity, lang: str) -> str:
    return pgettext(lang, "severity", SEVERITIES[severity])


SEVERITIES = {
    Severity.ERROR: marked("severity", "error"),
    Severity.WARNING: marked("severity", "warning"),
}


def problem_line(problem: Problem, lang: str = "en") -> str:
    """``file:line:column: error [code] message``, the line an editor jumps to, with the
    severity and message in the language (the code stays: it names the rule)."""
    p = problem
    if lang == "en":
        return str(p)
    return (
        f"{p.file}:{p.line}:{p.column}: {severity_word(p.severity, lang)} [{p.code}] "
        f"{problem_message(p, lang)}"
    )


def problems_table(
    problems: Sequence[Problem],
    out: TextIO,
    files: int | None = None,
    where: Where = NOWHERE,
    lang: str = "en",
) -> None:
    from rich.console import Console
    from rich.text import Text

    from .escape import terminal_rich_text as shown  # no escape sequence reaches a terminal

    console = Console(file=out, highlight=False, soft_wrap=True)
    for p in problems:
        style = "bold red" if p.is_error else "yellow"
        line = Text()
        line.append(shown(f"{p.file}:{p.line}:{p.column}", style="bold"))
        line.append(": ")
        line.append(severity_word(p.severity, lang), style=style)
        line.append(shown(f" [{p.code}] ", style="dim"))
        line.append(shown(problem_message(p, lang)))
        console.print(line)
    errors, _ = counts(problems)
    console.print(
        Text(
            summary(problems, files, lang),
            style="bold red" if errors else ("yellow" if problems else "green"),
        )
    )


def problems_text(
    problems: Sequence[Problem],
    out: TextIO,
    files: int | None = None,
    where: Where = NOWHERE,
    lang: str = "en",
) -> None:
    for p in problems:
        out.write(problem_line(p, lang) + "\n")


def problems_json(
    problems: Sequence[Problem], out: TextIO, files: int | None = None, where: Where = NOWHERE
) -> None:
    errors, warnings = counts(problems)
    document = {
        "ok": errors == 0,
        "errors": errors,
        "warnings": warnings,
        "problems": [p.as_dict() for p in problems],
    }
    write_json(document, out)


# --- GitHub Actions: workflow commands, groups, step summary ---


def github_escape(text: str, property_value: bool = False) -> str:
    """Text in a workflow command: ``%``, CR and LF always escaped, in a property value
    (``file=…``) also ``:`` and ``,``, which would end it."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _by_file(problems: Sequence[Problem]) -> Iterator[tuple[str, list[Problem]]]:
    """The problems per file, files in the order of their first problem."""
    groups: dict[str, list[Problem]] = {}
    for p in problems:
        groups.setdefault(p.file, []).append(p)
    yield from groups.items()


def problems_github(
    problems: Sequence[Problem], out: TextIO, files: int | None = None, where: Where = NOWHERE
) -> None:
    """One annotation per problem, the problems of a file in a collapsible group (GitHub
    shows only the first ten errors and ten warnings of a step as annotations, the log
    shows all), a summary line, and the table in the step summary when it is named."""
    for file, in_file in _by_file(problems):
        out.write(f"::group::{github_escape(file)}\n")
        for p in in_file:
            kind = "error" if p.is_error else "warning"
            out.write(
                f"::{kind} file={github_escape(p.file, True)},line={p.line},col={p.column},"
                f"title={github_escape(p.code, True)}::{github_escape(p.message)}\n"
            )
        out.write("::endgroup::\n")
    out.write(summary(problems, files) + "\n")
    if where.step_summary is not None:
        _append_step_summary(problems, files, where.step_summary)


def step_summary_markdown(problems: Sequence[Problem], files: int | None) -> str:
    """The job summary: the summary line and a table of the problems (cut short before
    GitHub's size limit, saying how many rows are left out)."""
    lines = [f"### roadmap validate: {md_cell(summary(problems, files))}\n"]
    if problems:
        lines.append("\n| file | line | column | severity | code | message |\n")
        lines.append("|---|---:|---:|---|---|---|\n")
    size = sum(len(line.encode()) for line in lines)
    for shown, p in enumerate(problems):
        row = (
            f"| {md_cell(p.file)} | {p.line} | {p.column} | {p.severity.value} | "
            f"{md_cell(p.code)} | {md_cell(p.message)} |\n"
        )
        size += len(row.encode())
        if size > STEP_SUMMARY_LIMIT:
            lines.append(f"\n{len(problems) - shown} more problems are in the job's log.\n")
            break
        lines.append(row)
    return "".join(lines) + "\n"


def _append_step_summary(problems: Sequence[Problem], files: int | None, path: Path) -> None:
    try:
        with open(path, "a", encoding="utf-8") as summary_file:
            summary_file.write(step_summary_markdown(problems, files))
    except OSError as exc:
        raise OutputError(
            f"cannot append to the step summary {path} (GITHUB_STEP_SUMMARY): {exc.strerror or exc}"
        ) from None


# --- GitLab Code Quality and SARIF ---


def _repository_paths(problems: Sequence[Problem], where: Where) -> dict[str, str]:
    """Each file's path in the reports, worked out once per file."""
    return {file: where.repository_path(file) for file in {p.file for p in problems}}


def fingerprints(problems: Sequence[Problem], where: Where) -> list[str]:
    """A fingerprint per problem that stays the same across runs, days and when lines
    move: a hash of path, code and message without its dates; the n-th repetition of
    the same three gets n in its hash, so every fingerprint of a report is unique."""
    return _fingerprints(problems, _repository_paths(problems, where))


# Dates in a message: a staleness warning names today ("(today is 2026-11-30)"), so
# with the dates in it the fingerprint would change every day and the merge-request
# widget would show the same problem as fixed and new again each morning.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _fingerprints(problems: Sequence[Problem], paths: dict[str, str]) -> list[str]:
    seen: dict[tuple[str, str, str], int] = {}
    result = []
    for p in problems:
        key = (paths[p.file], p.code, _DATE.sub("", p.message))
        repeat = seen.get(key, 0)
        seen[key] = repeat + 1
        text = "\0".join((*key, str(repeat))) if repeat else "\0".join(key)
        result.append(hashlib.sha256(text.encode()).hexdigest())
    return result


def problems_gitlab(
    problems: Sequence[Problem], out: TextIO, files: int | None = None, where: Where = NOWHERE
) -> None:
    """GitLab's Code Quality report (a subset of the CodeClimate format) for the merge
    request widget: ``artifacts: reports: codequality:``."""
    paths = _repository_paths(problems, where)
    issues = [
        {
            "type": "issue",
            "description": p.message,
            "check_name": p.code,
            "fingerprint": fingerprint,
            "severity": GITLAB_SEVERITY[p.severity],
            "categories": ["Bug Risk"] if p.is_error else ["Style"],
            "location": {
                "path": paths[p.file],
                "lines": {"begin": p.line},
            },
        }
        for p, fingerprint in zip(problems, _fingerprints(problems, paths), strict=True)
    ]
    _write_items(issues, out)


def _dumps(value: object) -> str:
    # json's C encoder: indent= would fall back to the pure-Python one (30 times slower)
    return json.dumps(value, ensure_ascii=False)


def _write_items(items: Sequence[object], out: TextIO) -> None:
    """A JSON list, one item a line: readable, diffable and fast."""
    out.write("[\n" + ",\n".join(map(_dumps, items)) + "\n]\n" if items else "[]\n")


def rule_description(code: str) -> str:
    """A rule's short description from its code: ``unknown-dependency`` → "Unknown
    dependency"."""
    words = code.replace("-", " ").replace("_", " ")
    return words[:1].upper() + words[1:]


def sarif_document(problems: Sequence[Problem], where: Where) -> dict[str, Any]:
    codes = sorted({p.code for p in problems})
    rule_index = {code: i for i, code in enumerate(codes)}
    paths = _repository_paths(problems, where)
    uris = {file: _uri(path) for file, path in paths.items()}
    results = []
    for p, fingerprint in zip(problems, _fingerprints(problems, paths), strict=True):
        results.append(
            {
                "ruleId": p.code,
                "ruleIndex": rule_index[p.code],
                "level": SARIF_LEVEL[p.severity],
                "message": {"text": p.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {
                                "uri": uris[p.file],
                                "uriBaseId": "%SRCROOT%",
                            },
                            "region": {"startLine": p.line, "startColumn": p.column},
                        }
                    }
                ],
                "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
            }
        )
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "roadmap",
                        "version": __version__,
                        "rules": [
                            {"id": code, "shortDescription": {"text": rule_description(code)}}
                            for code in codes
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _uri(path: str) -> str:
    """A relative path as a URI reference: spaces, ``%``, ``#`` and ``?`` percent-encoded."""
    from urllib.parse import quote

    return quote(path, safe="/")


def problems_sarif(
    problems: Sequence[Problem], out: TextIO, files: int | None = None, where: Where = NOWHERE
) -> None:
    """SARIF 2.1.0, as GitHub code scanning (``upload-sarif``) and other tools read it."""
    out.write(_dumps(sarif_document(problems, where)) + "\n")
