"""The spreadsheet form of one rater: ``roadmap ratings sheet`` writes it (a row per
project, a column per criterion with a drop-down of its scale and its description as a
comment), ``roadmap ratings import`` reads it back into ``ratings/<rater>.yaml``: every
cell that cannot be read is named (``bewertung.xlsx:Bewertung!D7``), nothing is written
while any is left, and a second import of the same form changes nothing."""

from __future__ import annotations

import fnmatch
import io
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DataError, Severity, UsageError
from .markers import marked
from .model import Criterion, Portfolio, Project
from .rating_files import FOLDER, check_rater_text, scale_text

SHEET_NAMES = (marked("rating-sheet", "Ratings"), marked("rating-sheet", "Lists"))
INFO_COLUMNS = {  # field → header (English; the catalogs give others), before the criteria
    "id": marked("rating-sheet", "ID"),
    "title": marked("rating-sheet", "Title"),
    "summary": marked("rating-sheet", "Summary"),
    "department": marked("rating-sheet", "Department"),
}
Words = Callable[[str, str], str]  # (context, English message) → the message worded
# a scale with at most this many whole steps gets a drop-down; a wider one a number rule
MAX_LIST_STEPS = 20


def select_projects(portfolio: Portfolio, filter_text: str | None) -> list[Project]:
    """The open projects, or those whose id matches one of the comma-separated ids or
    patterns (``ozg-*``) of ``filter_text``; an id that matches nothing is a usage error."""
    from .load import did_you_mean
    from .score import select

    if not filter_text:
        return select(portfolio)
    patterns = [p.strip() for p in filter_text.split(",") if p.strip()]
    chosen: list[Project] = []
    for pattern in patterns:
        matched = [p for i, p in sorted(portfolio.projects.items()) if fnmatch.fnmatch(i, pattern)]
        if not matched:
            raise UsageError(
                f"--projects: no project matches {pattern!r}"
                f"{did_you_mean(pattern, portfolio.projects)}"
            )
        chosen += [p for p in matched if p not in chosen]
    return sorted(chosen, key=lambda p: p.id)


def scale_steps(low: float, high: float) -> list[int] | None:
    """The whole numbers of a scale for a drop-down, or None for a wide or fractional one."""
    if not (float(low).is_integer() and float(high).is_integer()):
        return None
    if high - low > MAX_LIST_STEPS:
        return None
    return list(range(int(low), int(high) + 1))


# a criterion's direction, said in the header's comment: a rater must know that a cost
# (risk, effort) is rated high when it is high, and that high counts against the project
DIRECTIONS = {
    "benefit": marked("rating-sheet", "more is better"),
    "cost": marked("rating-sheet", "less is better: rate how high it is"),
}


def rating_sheet_bytes(
    portfolio: Portfolio, rater: str, projects: Sequence[Project], words: Words
) -> bytes:
    """An .xlsx form for one rater: a row per project (id, title, summary, department,
    the rater's scores so far), a column per criterion with a drop-down of its scale and
    its description as the header's comment; ``words(context, message)`` words the
    headers and sheet names in the portfolio's language."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from .sheet_export import _put

    criteria = portfolio.strategy.criteria
    given = portfolio.ratings.get(rater)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet_name, lists_name = (words("rating-sheet", name) for name in SHEET_NAMES)
    sheet.title = sheet_name
    headers = [words("rating-sheet", name) for name in INFO_COLUMNS.values()]
    headers += [c.title for c in criteria]
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(1, column)
        _put(cell, header)
        cell.font = Font(bold=True)
    _fill_rows(sheet, projects, criteria, given.scores if given else {})
    lists = workbook.create_sheet(lists_name)
    last_row = max(len(projects), 1) + 1
    for offset, c in enumerate(criteria):
        column = len(INFO_COLUMNS) + 1 + offset
        letter = get_column_letter(column)
        scale = scale_text(*c.scale)
        rule = _scale_rule(c, lists, offset)
        rule.error = f"{scale}"
        rule.showErrorMessage = True
        sheet.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}{last_row}")
        text = c.description or c.title
        header_cell = sheet.cell(1, column)
        direction = words("rating-sheet", DIRECTIONS[c.direction])
        header_cell.comment = Comment(f"{text}\n({c.id}, {scale}; {direction})", "roadmap")
    lists.sheet_state = "hidden"
    sheet.freeze_panes = f"{get_column_letter(len(INFO_COLUMNS) + 1)}2"
    widths = [12, 40, 50, 20] + [max(10, min(len(c.title) + 2, 30)) for c in criteria]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill_rows(
    sheet: Any,
    projects: Sequence[Project],
    criteria: Sequence[Criterion],
    earlier: Mapping[str, Mapping[str, float]],
) -> None:
    """A row per project below the headers: what it is, and the rater's scores so far."""
    from .sheet_export import _put

    for row, project in enumerate(projects, start=2):
        for column, name in enumerate(INFO_COLUMNS, start=1):
            value = getattr(project, name)
            if value is not None:
                _put(sheet.cell(row, column), value)
        for column, c in enumerate(criteria, start=len(INFO_COLUMNS) + 1):
            value = earlier.get(project.id, {}).get(c.id)
            if value is not None:
                sheet.cell(row, column).value = int(value) if value.is_integer() else value


def _scale_rule(criterion: Criterion, lists: Any, offset: int) -> Any:
    """The data validation of a criterion's column: a drop-down of its steps (listed in
    the hidden sheet ``lists``, column ``offset`` + 1) or, on a scale without steps, any
    number in its range."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    low, high = criterion.scale
    steps = scale_steps(low, high)
    if steps is None:
        return DataValidation(
            type="decimal", operator="between", formula1=f"{low:g}", formula2=f"{high:g}",
            allow_blank=True,
        )  # fmt: skip
    lists.cell(1, offset + 1, criterion.id)
    for r, step in enumerate(steps, start=2):
        lists.cell(r, offset + 1, step)
    list_letter = get_column_letter(offset + 1)
    return DataValidation(
        type="list",
        formula1=f"'{lists.title}'!${list_letter}$2:${list_letter}${len(steps) + 1}",
        allow_blank=True,
    )


@dataclass
class SheetRatings:
    """What a filled-in form says: project → criterion → score, and its problems."""

    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    problems: list[Any] = field(default_factory=list)  # importer.SheetProblem
    blanks: list[tuple[str, str, str]] = field(default_factory=list)  # (cell, project, criterion)

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)


def read_rating_sheet(table: Any, portfolio: Portfolio) -> SheetRatings:
    """The scores of a form (a spreadsheet.Table): the ID column and one column per
    criterion, found by the criterion's title or id; other columns are information."""
    from .importer import SheetProblem
    from .spreadsheet import is_blank

    result = SheetRatings()

    def problem(row: int, column: int, code: str, message: str, severity: Severity) -> None:
        result.problems.append(
            SheetProblem(table.file, table.where(row, column), row, column, severity, code, message)
        )

    if not table.rows:
        problem(1, 1, "sheet-empty", "the sheet is empty; it needs the header row", Severity.ERROR)
        return result
    criteria = portfolio.strategy.criteria
    id_column, columns = _form_columns(table.rows[0], criteria)
    if id_column is None:
        problem(
            1, 1, "missing-column",
            "no column 'ID': the form needs the projects' ids (write the sheet with "
            "roadmap ratings sheet)",
            Severity.ERROR,
        )  # fmt: skip
        return result
    if not columns:
        titles = ", ".join(repr(c.title) for c in criteria)
        problem(
            1, 1, "missing-column",
            f"no column of a criterion; the headers must be the criteria's titles: {titles}",
            Severity.ERROR,
        )  # fmt: skip
        return result
    seen: dict[str, int] = {}
    for row_index, row in enumerate(table.rows[1:], start=2):
        project_id = _row_project(row, row_index, id_column, portfolio, seen, problem)
        if project_id is None:
            continue
        for column_index, criterion in sorted(columns.items()):
            value = row[column_index] if column_index < len(row) else None
            if is_blank(value):
                result.blanks.append(
                    (table.where(row_index, column_index + 1), project_id, criterion.id)
                )
                continue
            number = _score_of(value, criterion, row_index, column_index + 1, problem)
            if number is not None:
                result.scores.setdefault(project_id, {})[criterion.id] = number
    return result


# (row, column, code, message, severity): a problem at a cell of the form
_Problem = Callable[[int, int, str, str, Severity], None]


def _form_columns(
    header: Sequence[Any], criteria: Sequence[Criterion]
) -> tuple[int | None, dict[int, Criterion]]:
    """The header row → the ID column and the criterion of each criterion column
    (0-based), each criterion's first column only."""
    from .spreadsheet import fold, is_blank, read_text

    by_name = {fold(c.title): c for c in criteria} | {fold(c.id): c for c in criteria}
    id_column = None
    columns: dict[int, Criterion] = {}
    for index, cell in enumerate(header):
        name = fold(read_text(cell)) if not is_blank(cell) else ""
        if name == "id" and id_column is None:
            id_column = index
        elif name in by_name and by_name[name] not in columns.values():
            columns[index] = by_name[name]
    return id_column, columns


def _row_project(
    row: Sequence[Any],
    row_index: int,
    id_column: int,
    portfolio: Portfolio,
    seen: dict[str, int],
    problem: _Problem,
) -> str | None:
    """The project a row rates: None for a row without an id, and (with a problem) for
    an unknown project or one rated in an earlier row."""
    from .load import did_you_mean
    from .spreadsheet import is_blank, read_text

    cell = row[id_column] if id_column < len(row) else None
    if is_blank(cell):
        return None
    project_id = read_text(cell).strip()
    if project_id not in portfolio.projects:
        problem(
            row_index, id_column + 1, "unknown-project",
            f"no project {project_id!r}{did_you_mean(project_id, portfolio.projects)}",
            Severity.ERROR,
        )  # fmt: skip
        return None
    if project_id in seen:
        problem(
            row_index, id_column + 1, "duplicate-row",
            f"{project_id} is rated in row {seen[project_id]} already; keep one row",
            Severity.ERROR,
        )  # fmt: skip
        return None
    seen[project_id] = row_index
    return project_id


def _score_of(
    value: Any, criterion: Criterion, row: int, column: int, problem: _Problem
) -> float | None:
    """A score cell's number, or None (with a problem) when it is no number on the
    criterion's scale."""
    from .spreadsheet import CellValueError, read_number, read_text

    low, high = criterion.scale
    try:
        number = read_number(value)
    except CellValueError:
        problem(
            row, column, "invalid-score",
            f"{read_text(value)!r} is not a score; write a number from {low:g} to {high:g}",
            Severity.ERROR,
        )  # fmt: skip
        return None
    if not low <= number <= high:
        problem(
            row, column, "score-out-of-scale",
            f"{read_text(value)!r} is outside the scale {scale_text(low, high)} of "
            f"{criterion.title}; write a number from {low:g} to {high:g}",
            Severity.ERROR,
        )  # fmt: skip
        return None
    return number


@dataclass(frozen=True)
class ImportPlan:
    """What importing a form changes in ``ratings/<rater>.yaml``."""

    path: Path
    changes: list[tuple[str, str, float]]  # (project, criterion, new value)
    create: bool
    kept: list[tuple[str, str, str, float]]  # (cell, project, criterion, earlier value) left blank


def plan_rating_import(
    data_dir: Path, rater: str, sheet: SheetRatings, portfolio: Portfolio
) -> ImportPlan:
    path = data_dir / FOLDER / f"{rater}.yaml"
    given = portfolio.ratings.get(rater)
    earlier = given.scores if given else {}
    changes = [
        (p, c, v)
        for p, scores in sorted(sheet.scores.items())
        for c, v in sorted(scores.items())
        if earlier.get(p, {}).get(c) != v
    ]
    kept = [(cell, p, c, earlier[p][c]) for cell, p, c in sheet.blanks if c in earlier.get(p, {})]
    return ImportPlan(path, changes, not (path.exists() or path.is_symlink()), kept)


def new_rater_text(rater: str, scores: dict[str, dict[str, float]], source: str) -> str:
    """A new rater's file; ids and numbers are plain YAML scalars, nothing needs quoting."""
    from .edit import measured_value

    lines = [f"# {rater}'s ratings, imported from {os.path.basename(source)}", "scores:"]
    for project in sorted(scores):
        lines.append(f"  {project}:")
        for criterion, value in sorted(scores[project].items()):
            lines.append(f"    {criterion}: {measured_value(value)}")
    if not scores:
        lines[-1] = "scores: {}"
    return "\n".join(lines) + "\n"


def rater_validator(rater: str, shown: str, portfolio: Portfolio) -> Any:
    """``check(text)`` for the edit engine: raises DataError when the edited file would
    not be a valid rater's file."""

    def check(text: str) -> None:
        from .checks import rater_pairwise_findings

        _, problems = check_rater_text(text, shown, rater, portfolio, rater_pairwise_findings)
        errors = [p for p in problems if p.is_error]
        if errors:
            raise DataError(f"the edit would make {shown} invalid; nothing was written", errors)

    return check


def apply_rating_import(plan: ImportPlan, rater: str, portfolio: Portfolio, source: str) -> str:
    """Write the plan: a new file, or only the changed scores set in the existing one
    (losslessly: comments and layout stay). Returns the diff."""
    from .edit import Change, apply, create, measured_value, unified_diff
    from .load import display_path

    shown = display_path(plan.path)
    if plan.create:
        scores: dict[str, dict[str, float]] = {}
        for p, c, v in plan.changes:
            scores.setdefault(p, {})[c] = v
        text = new_rater_text(rater, scores, source)
        rater_validator(rater, shown, portfolio)(text)
        plan.path.parent.mkdir(parents=True, exist_ok=True)
        create(plan.path, text)
        return unified_diff(plan.path, "", text)
    if not plan.changes:
        return ""
    path_changes = [Change("set", ("scores", p, c), measured_value(v)) for p, c, v in plan.changes]
    return apply(plan.path, path_changes, rater_validator(rater, shown, portfolio))
