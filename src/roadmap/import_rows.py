"""A project list's rows → project data: each cell read into the value its field
needs (or a :class:`CellValueError` the reader turns into a problem at the cell), ids
for rows without one, `Abhängig von` cells resolved to ids, and the data in the key
order of a project file."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import Problem, Severity, say
from .import_columns import DECISION_WORDS, KEY_ORDER, STATUS_WORDS, ImportMapping
from .model import PROJECT_ID_PATTERN, Strategy
from .spreadsheet import (
    CellValueError,
    Table,
    fold,
    read_bool,
    read_date,
    read_number,
    read_text,
    split_list,
)


@dataclass(frozen=True)
class SheetProblem:
    """A problem at a cell (or a whole row or column) of a sheet."""

    file: str
    where: str  # `Projekte!H14`, or `H14` in a CSV file
    row: int
    column: int
    severity: Severity
    code: str
    message: str

    def as_problem(self) -> Problem:
        return Problem(
            self.file, self.row, self.column, self.severity, self.code,
            say("import-cell", "{where}: {message}", where=self.where, message=self.message),
        )  # fmt: skip


@dataclass
class ImportedRow:
    """One project row: where it is, the project data read from it (in the shape of a
    project file), and its number for `Abhängig von (Nr)`."""

    row: int
    data: dict[str, Any]
    number: str | None = None
    raw_dependencies: list[tuple[str, int]] = field(default_factory=list)  # (token, column)


class CellReader:
    """Reads one cell into its field of a row's project data."""

    def __init__(self, strategy: Strategy, mapping: ImportMapping, kinds: dict[str, str]):
        self.mapping = mapping
        self.kinds = kinds
        self.fields = _by_id_or_title((f.id, f.title) for f in strategy.fields)
        self.programs = _by_id_or_title((p.id, p.title) for p in strategy.programs)
        self.goals = _by_id_or_title((g.id, g.title) for g in strategy.goals)

    def read(self, row: ImportedRow, target: str, value: Any, column: int) -> None:
        custom = self.mapping.values.get(target, {})
        if custom and fold(read_text(value)) in custom:
            _put(row.data, target, custom[fold(read_text(value))])
            return
        kind = self.kinds.get(target, "text")
        readers: dict[str, Callable[[Any], Any]] = {
            "text": read_text,
            "title": lambda v: " ".join(read_text(v).split()),
            "multiline": lambda v: str(v).strip(),
            "amount": lambda v: _non_negative(read_number(v, self.mapping.decimal_comma)),
            "number": lambda v: _non_negative(read_number(v, self.mapping.decimal_comma)),
            "int": lambda v: _whole(read_number(v, self.mapping.decimal_comma)),
            "date": read_date,
            "bool": read_bool,
            "status": lambda v: _word(
                v, STATUS_WORDS, say("import-cell", "a status"), STATUS_EXAMPLES
            ),
            "decision": lambda v: _word(
                v,
                DECISION_WORDS,
                say("import-cell", "a decision"),
                ("muss", "soll", "kann", "nicht"),
            ),
            "field": lambda v: _reference(v, self.fields, "field"),
            "program": lambda v: _reference(v, self.programs, "program"),
            "goals": lambda v: [_reference(g, self.goals, "goal") for g in split_list(v)],
            "list": split_list,
            "dpia": lambda v: read_text(v) if str(v).startswith("https://") else read_date(v),
            "score": lambda v: _score(v, self.mapping.decimal_comma),
        }
        if kind == "key":
            row.number = read_text(value)
        elif kind == "id":
            text = read_text(value)
            if not re.match(PROJECT_ID_PATTERN, text):
                raise CellValueError(
                    say("import-cell", "{value} is not a project id", value=repr(text)),
                    say("import-cell", "use a-z, 0-9 and -, 2 to 64 characters"),
                )
            row.data["id"] = text
        elif kind == "deps":
            row.raw_dependencies = [(token, column) for token in split_list(value)]
        elif kind == "remarks":
            row.data["remarks"] = str(value).strip()
        else:
            _put(row.data, target, readers[kind](value))


# how a sheet writes the statuses (each one of STATUS_WORDS), for "write one of …"
STATUS_EXAMPLES = (
    "Idee",
    "vorgeschlagen",
    "beschlossen",
    "in Umsetzung",
    "pausiert",
    "abgeschlossen",
    "abgebrochen",
)


def _put(data: dict[str, Any], target: str, value: Any) -> None:
    if "." in target:
        head, tail = target.split(".", 1)
        data.setdefault(head, {})[tail] = value
    else:
        data[target] = value


def _non_negative(number: float) -> float | int:
    if number < 0:
        raise CellValueError(
            say("import-cell", "{value} is negative", value=f"{number:g}"),
            say("import-cell", "write an amount of 0 or more"),
        )
    return int(number) if number.is_integer() else number


_RANGE = re.compile(r"^\s*([\d.,]+)\s*[-–]\s*([\d.,]+)\s*$")


def _score(value: Any, decimal_comma: bool) -> float | int | list[float | int]:
    """A score, or a range `2–4` (low–high) when the raters are unsure."""
    match = _RANGE.match(str(value)) if isinstance(value, str) else None
    if match:
        low, high = (_non_negative(read_number(g, decimal_comma)) for g in match.groups())
        return [low, high]
    return _non_negative(read_number(value, decimal_comma))


def _whole(number: float) -> int:
    if not number.is_integer() or number < 1:
        raise CellValueError(
            say("import-cell", "{value} is not a whole number of months", value=f"{number:g}"),
            say("import-cell", "write e.g. 12"),
        )
    return int(number)


def _word(value: Any, words: Mapping[str, str], what: str, examples: Iterable[str]) -> str:
    folded = fold(read_text(value))
    if folded in words:
        return words[folded]
    raise CellValueError(
        say("import-cell", "{value} is not {what}", value=repr(read_text(value)), what=what),
        say(
            "import-cell",
            "write one of {examples} or map it in --mapping (values:)",
            examples=", ".join(examples),
        ),
    )


def _by_id_or_title(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for ident, title in pairs:
        found[fold(ident)] = ident
        found[fold(title)] = ident
    return found


def _reference(value: Any, known: Mapping[str, str], what: str) -> str:
    from .load import did_you_mean

    text = read_text(value)
    if fold(text) in known:
        return known[fold(text)]
    hint = did_you_mean(fold(text), known)
    if what == "field":
        problem = say(
            "import-cell",
            "no field of action {value} in strategy.yaml{hint}",
            value=repr(text),
            hint=hint,
        )
        fix = say("import-cell", "write the field of action's id or title as strategy.yaml has it")
    elif what == "program":
        problem = say(
            "import-cell", "no program {value} in strategy.yaml{hint}", value=repr(text), hint=hint
        )
        fix = say("import-cell", "write the program's id or title as strategy.yaml has it")
    else:
        problem = say(
            "import-cell", "no goal {value} in strategy.yaml{hint}", value=repr(text), hint=hint
        )
        fix = say("import-cell", "write the goal's id or title as strategy.yaml has it")
    raise CellValueError(problem, fix)


# --------------------------------------------------------------------------- ids


def slug(title: str, limit: int = 64) -> str:
    """`Einführung E-Akte (stadtweit)` → `einfuehrung-e-akte-stadtweit`; at most
    ``limit`` characters, cut at a word."""
    text = title.casefold()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > limit:
        cut = text[: limit + 1]
        text = cut[: cut.rfind("-")] if "-" in cut[limit // 2 :] else text[:limit]
    text = text.strip("-")
    if len(text) < 2:
        text = f"projekt-{text}".strip("-")
    return text


def assign_ids(rows: list[ImportedRow]) -> list[SheetProblem]:
    """Give every row an id: its id cell, or one made from its title. Two rows with the
    same title get `-2`, `-3`; an id already in the portfolio means that project."""
    problems: list[SheetProblem] = []
    taken: dict[str, int] = {}
    for row in rows:
        ident = row.data.get("id") or slug(row.data["title"])
        base, n = ident, 2
        while ident in taken:
            ident = f"{base[: 64 - len(str(n)) - 1]}-{n}"
            n += 1
        if ident != base and "id" in row.data:
            problems.append(
                SheetProblem(
                    "",
                    say("import-cell", "row {row}", row=row.row),
                    row.row,
                    1,
                    Severity.ERROR,
                    "duplicate-id",
                    say(
                        "import-cell",
                        "id {id} is also in row {row}; every project needs its own",
                        id=repr(base),
                        row=taken[base],
                    ),
                )
            )
        taken[ident] = row.row
        row.data["id"] = ident
    return problems


def resolve_dependencies(
    rows: list[ImportedRow], table: Table, existing_titles: Mapping[str, str]
) -> list[SheetProblem]:
    """`Abhängig von` cells → project ids: a row number (the `Nr` column), an id, or a
    title, of the sheet or of the portfolio."""
    from .load import did_you_mean

    by_number = {row.number: row.data["id"] for row in rows if row.number}
    by_id = {row.data["id"] for row in rows} | set(existing_titles.values())
    by_title = {fold(row.data["title"]): row.data["id"] for row in rows}
    by_title = {**{fold(t): i for t, i in existing_titles.items()}, **by_title}
    problems: list[SheetProblem] = []
    for row in rows:
        found: list[str] = []
        for token, column in row.raw_dependencies:
            bare = token.lstrip("#").removeprefix("Nr.").removeprefix("Nr").strip()
            ident = by_number.get(bare) or (token if token in by_id else None)
            ident = ident or by_title.get(fold(token))
            if ident is None:
                hint = did_you_mean(token, [*by_number, *by_id])
                problems.append(
                    SheetProblem(
                        table.file,
                        table.where(row.row, column),
                        row.row,
                        column,
                        Severity.ERROR,
                        "unknown-dependency",
                        say(
                            "import-cell",
                            "{value} is no number, id or title of a project{hint}; write the "
                            "Nr of the row it depends on",
                            value=repr(token),
                            hint=hint,
                        ),
                    )
                )
            elif ident == row.data["id"]:
                problems.append(
                    SheetProblem(
                        table.file,
                        table.where(row.row, column),
                        row.row,
                        column,
                        Severity.ERROR,
                        "self-dependency",
                        say("import-cell", "a project cannot depend on itself"),
                    )
                )
            elif ident not in found:
                found.append(ident)
        if found:
            row.data["depends_on"] = found
    return problems


def project_data(row: ImportedRow) -> dict[str, Any]:
    """The row's project data in the order of a project file, remarks kept in the
    description (never lost)."""
    data = dict(row.data)
    remarks = data.pop("remarks", None)
    if remarks:
        description = data.get("description")
        data["description"] = (
            f"{description}\n\nBemerkung: {remarks}" if description else (f"Bemerkung: {remarks}")
        )
    ordered = {key: data[key] for key in KEY_ORDER if key in data}
    ordered.update({k: v for k, v in data.items() if k not in ordered})
    return ordered
