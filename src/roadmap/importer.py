"""A project list from a spreadsheet → project data, and what importing it would change.

Columns are recognised by their German or English headers (`Nr`, `Projekt`, `Amt`,
`Budget`, `Beginn`, `Abhängig von (Nr)` …) or named in a mapping; every cell is read
into the value its field needs or becomes a problem at its cell (`Projekte!H14`). Nothing
here writes: :func:`plan_import` says which files to create and which fields of which
existing files to change, and the caller applies that through the lossless edit engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import Severity, say
from .import_columns import (
    COLUMNS,
    DECISION_WORDS,
    IGNORE,
    KEY_ORDER,
    LIST_KINDS,
    MAPPING_KEYS,
    STATUS_WORDS,
    Column,
    ImportMapping,
    column_fields,
    mapping_from_data,
    match_header,
)
from .import_rows import (
    CellReader,
    ImportedRow,
    SheetProblem,
    assign_ids,
    project_data,
    resolve_dependencies,
    slug,
)
from .model import Strategy
from .spreadsheet import CellValueError, Table, first_data_row, is_blank, read_text

__all__ = [
    "COLUMNS",
    "DECISION_WORDS",
    "IGNORE",
    "KEY_ORDER",
    "LIST_KINDS",
    "MAPPING_KEYS",
    "STATUS_WORDS",
    "Column",
    "ImportMapping",
    "ImportPlan",
    "ImportedRow",
    "SheetProblem",
    "SheetReading",
    "assign_ids",
    "column_fields",
    "mapping_from_data",
    "plan_import",
    "project_data",
    "read_sheet",
    "resolve_dependencies",
    "slug",
]


@dataclass
class SheetReading:
    """What a sheet says: the column each field comes from, the rows, and problems."""

    columns: dict[int, str]  # 1-based column → field
    unmapped: list[str]
    rows: list[ImportedRow]
    problems: list[SheetProblem]
    headers: dict[int, str] = field(default_factory=dict)  # 1-based column → header text


def read_sheet(table: Table, strategy: Strategy, mapping: ImportMapping) -> SheetReading:
    """The rows of a project list, each cell read or turned into a located problem."""
    found = _Problems(table)
    columns_known = column_fields(strategy)
    header_index = mapping.header_row - 1 if mapping.header_row else first_data_row(table.rows)
    if header_index >= len(table.rows):
        found.add(1, 1, "sheet-empty", "the sheet has no header row", Severity.ERROR)
        return SheetReading({}, [], [], found.problems)
    columns, headers, unmapped = _header_columns(table, header_index, columns_known, mapping, found)
    if "title" not in columns.values():
        found.add(
            header_index + 1, 1, "no-title-column",
            "no column with the projects' titles (e.g. 'Projekt', 'Titel', 'Bezeichnung'); "
            "name it in --mapping",
            Severity.ERROR,
        )  # fmt: skip
        return SheetReading(columns, unmapped, [], found.problems, headers)
    _layout_problems(table, header_index, found)
    reader = CellReader(strategy, mapping, {c.field: c.kind for c in columns_known})
    rows = _read_rows(table, header_index, columns, reader, found)
    if not rows and not any(p.severity is Severity.ERROR for p in found.problems):
        found.add(
            header_index + 1, 1, "sheet-empty", "the sheet has no project rows", Severity.ERROR
        )
    return SheetReading(columns, unmapped, rows, found.problems, headers)


class _Problems:
    """The problems found in one sheet, each at its cell."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.problems: list[SheetProblem] = []

    def add(self, row: int, column: int, code: str, message: str, severity: Severity) -> None:
        where = self.table.where(row, column)
        self.problems.append(
            SheetProblem(self.table.file, where, row, column, severity, code, message)
        )


def _header_columns(
    table: Table,
    header_index: int,
    columns_known: list[Column],
    mapping: ImportMapping,
    found: _Problems,
) -> tuple[dict[int, str], dict[int, str], list[str]]:
    """The header row → the field of each column (1-based), the headers as written,
    and the headers no field takes."""
    columns: dict[int, str] = {}
    headers: dict[int, str] = {}
    unmapped: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(table.rows[header_index], start=1):
        if is_blank(cell):
            continue
        target = match_header(read_text(cell), columns_known, mapping)
        if target is None:
            unmapped.append(read_text(cell))
            found.add(
                header_index + 1, index, "column-not-imported",
                f"column {read_text(cell)!r} is not imported; name its field in --mapping "
                "(columns: {header: field}) or `ignore` it",
                Severity.WARNING,
            )  # fmt: skip
            continue
        if target == IGNORE:
            continue
        if target in seen:
            found.add(
                header_index + 1, index, "column-twice",
                f"column {read_text(cell)!r} fills {target} like column "
                f"{table.where(header_index + 1, seen[target])}; keep one or map one to `ignore`",
                Severity.ERROR,
            )  # fmt: skip
            continue
        seen[target] = index
        columns[index] = target
        headers[index] = read_text(cell)
    return columns, headers, unmapped


def _layout_problems(table: Table, header_index: int, found: _Problems) -> None:
    """Merged cells and hidden rows below the header: both would import what nobody sees."""
    for r0, c0, r1, c1 in table.merged:
        if r1 > header_index + 1 and (r1 > r0 or c1 > c0):
            found.add(
                r0, c0, "merged-cells",
                f"merged cells {table.where(r0, c0)}:{table.where(r1, c1).split('!')[-1]}; "
                "unmerge them and fill every cell",
                Severity.ERROR,
            )  # fmt: skip
    for row in table.hidden_rows:
        if row > header_index + 1:
            found.add(
                row, 1, "hidden-row",
                f"row {row} is hidden in the sheet; show it (or delete it) so that nothing "
                "is imported unseen",
                Severity.ERROR,
            )  # fmt: skip


def _read_rows(
    table: Table,
    header_index: int,
    columns: dict[int, str],
    reader: CellReader,
    found: _Problems,
) -> list[ImportedRow]:
    """The rows below the header that are not blank, each cell read into its field."""
    title_column = next(index for index, target in columns.items() if target == "title")
    rows: list[ImportedRow] = []
    for offset, cells in enumerate(table.rows[header_index + 1 :], start=header_index + 2):
        if all(is_blank(cells[i - 1]) for i in columns if i - 1 < len(cells)):
            continue
        imported = ImportedRow(offset, {})
        for index, target in columns.items():
            value = cells[index - 1] if index - 1 < len(cells) else None
            if is_blank(value):
                continue
            try:
                reader.read(imported, target, value, index)
            except CellValueError as exc:
                found.add(offset, index, "cell-value", _cell_message(exc), Severity.ERROR)
        if "title" not in imported.data:
            found.add(
                offset, title_column, "missing-title",
                "the row has no title; give the project a title or delete the row",
                Severity.ERROR,
            )  # fmt: skip
            continue
        rows.append(imported)
    return rows


# --------------------------------------------------------------------------- the plan

FIELDS_FROM_MODEL = ("effort", "scores")  # nested: compared part by part


@dataclass
class ImportPlan:
    """What importing a sheet would do. Nothing is written until :func:`apply_import`."""

    created: dict[str, dict[str, Any]]  # id → project data of a new file
    changed: dict[str, list[tuple[tuple[str, ...], Any, Any]]]  # id → (path, old, new)
    unchanged: list[str]
    missing: list[str]  # in the portfolio, not in the sheet
    rows: dict[str, int]  # id → sheet row
    problems: list[SheetProblem]

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)


def _current(project: Any, path: tuple[str, ...]) -> Any:
    value = project
    for part in path:
        if isinstance(value, dict):
            value = value.get(part)
        else:
            value = getattr(value, part, None)
    if hasattr(value, "model_dump"):
        return value.model_dump()
    return value


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        # open_source may be {value: false, reason: …}
        return old is new or (isinstance(old, dict) and old.get("value") is new)
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return float(old) == float(new)
    return bool(old == new)


def _leaves(data: dict[str, Any]) -> Iterable[tuple[tuple[str, ...], Any]]:
    for key, value in data.items():
        if key in FIELDS_FROM_MODEL and isinstance(value, dict):
            for part, inner in value.items():
                yield (key, part), inner
        elif key != "id":
            yield (key,), value


def plan_import(reading: SheetReading, table: Table, projects: Mapping[str, Any]) -> ImportPlan:
    """Compare the sheet's rows with the portfolio's projects (id → model)."""
    problems = list(reading.problems)
    problems += assign_ids(reading.rows)
    for problem in problems:
        if not problem.file:
            object.__setattr__(problem, "file", table.file)
    titles = {project.title: ident for ident, project in projects.items()}
    problems += resolve_dependencies(reading.rows, table, titles)
    created: dict[str, dict[str, Any]] = {}
    changed: dict[str, list[tuple[tuple[str, ...], Any, Any]]] = {}
    unchanged: list[str] = []
    rows: dict[str, int] = {}
    for row in reading.rows:
        data = project_data(row)
        ident = data["id"]
        rows[ident] = row.row
        existing = projects.get(ident)
        if existing is None:
            created[ident] = data
            continue
        differences = [
            (path, _current(existing, path), value)
            for path, value in _leaves(data)
            if not _same(_current(existing, path), value)
        ]
        if differences:
            changed[ident] = differences
        else:
            unchanged.append(ident)
    missing = sorted(set(projects) - set(rows))
    return ImportPlan(created, changed, unchanged, missing, rows, problems)


def _cell_message(exc: CellValueError) -> str:
    """What is wrong with a cell and what to write instead."""
    return say("import-cell", "{problem}; {hint}", problem=exc.problem, hint=exc.hint)
