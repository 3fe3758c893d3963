"""Problems (values that describe what is wrong with the data) and the exception tree."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass


class Severity(str, enum.Enum):
    """How bad a problem is; policies may also be switched ``off``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one place. ``line`` and ``column`` are 1-based."""

    file: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}:{self.column}: "
            f"{self.severity.value} [{self.code}] {self.message}"
        )


class RoadmapError(Exception):
    """Root of every error the tool reports to the user instead of a traceback."""

    exit_code = 1


class UsageError(RoadmapError):
    """The command was used wrongly: unknown option value, missing file or folder."""

    exit_code = 2


class DataError(RoadmapError):
    """The portfolio has errors, so the command cannot do its work; ``problems`` are the
    located errors (the CLI prints them with the chosen problem format)."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


class InternalError(RoadmapError):
    """An invariant of the program does not hold: a bug, not bad data (exit 3)."""

    exit_code = 3


PathPart = str | int


@dataclass(frozen=True)
class Finding:
    """A problem known by its place in the document (``("milestones", 2, "due")``), not yet
    by line and column. Checks return findings; the loader turns them into problems, so a
    file is re-read for positions only when something is wrong in it."""

    file: str
    path: tuple[PathPart, ...]
    severity: Severity
    code: str
    message: str
    at_key: bool = False  # point at the key rather than its value


class ScoringError(RoadmapError):
    """The strategy's criteria or comparisons cannot give weights (e.g. an incomplete
    pairwise matrix); ``path`` says where in strategy.yaml."""

    def __init__(self, message: str, path: tuple[PathPart, ...] = ()) -> None:
        super().__init__(message)
        self.path = path


class TemplateProblem(UsageError):
    """A report template cannot be rendered (syntax, an unknown name, a sandbox limit);
    says the template's file and line. Exit 1: the template is input, like the data (a
    template that cannot be read at all stays a usage error, exit 2)."""

    exit_code = 1

    def __init__(self, file: str, line: int | None, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")
        self.file = file
        self.line = line
        self.reason = message


class OutputError(RoadmapError):
    """The output could not be written: a full disk, a read-only file, no permission."""


def problems_in(problems: Sequence[Problem], paths: Sequence[str]) -> list[Problem]:
    """The problems in one of the files ``paths``, or in a file under one of them when it
    is a folder (paths compared after resolving links)."""
    import os

    wanted = {os.path.realpath(p) for p in paths}
    return [
        p
        for p in problems
        if os.path.realpath(p.file) in wanted
        or any(os.path.realpath(p.file).startswith(w + os.sep) for w in wanted)
    ]
