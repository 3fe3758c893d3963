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


# --------------------------------------------------------------------------- messages

# how a parameter is written, by the last part of its name (``budget_eur`` → ``eur``):
# digits after the point (None: as few as the value needs)
NUMBER_DIGITS: dict[str, int | None] = {"eur": 0, "fte": None, "years": 2, "ratio": 2}


class Message(str):
    """A message known by its code and parameters: the string is its English wording
    (what JSON, CI formats and ``in`` tests see, so SPEC keys and texts stay as they
    were); ``context``, ``template`` and ``params`` let present/wording.py word it in
    another language from the catalogs. Made with :func:`say` or :func:`say_plural`,
    which Babel's extractor finds (their literal template is the catalog's message id).

    Parameter values: numbers (written by :data:`NUMBER_DIGITS`), dates, lists (of
    ids; ``years`` in English as "2027 and 2028"; ``first`` the head of a longer
    list, always with commas), pairs ``(id, first day of a month)`` in ``starts``, a
    date named ``…month`` for its month, a decision band named ``band``, a
    project's status named ``status``
    and other messages, worded in turn."""

    context: str
    template: str | tuple[str, str]
    params: dict[str, object]

    def __new__(
        cls, context: str, template: str | tuple[str, str], params: dict[str, object]
    ) -> Message:
        self = super().__new__(cls, english_text(template, params))
        self.context, self.template, self.params = context, template, params
        return self

    def __reduce__(self) -> tuple[object, ...]:  # copy and pickle rebuild it whole
        return (Message, (self.context, self.template, self.params))


def say(context: str, template: str, **params: object) -> Message:
    """A message with context ``context`` whose English wording is ``template`` filled
    with ``params`` (marks the template for the catalogs)."""
    return Message(context, template, params)


def say_plural(context: str, singular: str, plural: str, n: int, **params: object) -> Message:
    """A message in the singular or plural form by ``n`` (``{n}`` in the template)."""
    return Message(context, (singular, plural), {"n": n, **params})


def english_text(template: str | tuple[str, str], params: dict[str, object]) -> str:
    """The template in English with its parameters written as the English texts of the
    tool always wrote them."""
    if isinstance(template, tuple):
        template = template[0] if params.get("n") == 1 else template[1]
    return template.format(**{name: english_value(name, v) for name, v in params.items()})


def english_value(name: str, value: object) -> str:
    """One parameter in English: see :class:`Message`."""
    import datetime as dt

    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}" if name.rsplit("_", 1)[-1] == "eur" else str(value)
    if isinstance(value, float):
        digits = NUMBER_DIGITS.get(name.rsplit("_", 1)[-1])
        return f"{value:g}" if digits is None else f"{value:,.{digits}f}"
    if isinstance(value, dt.date):  # a month is named by its first day
        return f"{value:%Y-%m}" if name.endswith("month") else value.isoformat()
    if isinstance(value, (list, tuple)):
        if name == "starts":  # placed after the period: which project from which month
            return "; ".join(f"{i} from {month:%Y-%m}" for i, month in value)
        items = [english_value("", v) for v in value]
        if name == "years" and len(items) > 1:
            return f"{', '.join(items[:-1])} and {items[-1]}"
        return ", ".join(items)
    return str(value)
