"""Raters' files ``ratings/<rater>.yaml`` beside ``projects/``, and the spreadsheet form a
rater fills in and sends back.

A rater's file holds that rater's scores per project and criterion (any subset) and,
optionally, their pairwise comparisons of the criteria::

    name: Amt 33 Bürgerservice
    scores:
      e-akte: {citizen_value: 4, risk: 2}
    pairwise:
      citizen_value: {risk: 3}

Every problem is located by file, line and column: unknown project or criterion (with a
did-you-mean), a score outside its criterion's scale, incomplete or contradicting
comparisons, a rater who rated nothing; inconsistent comparisons are a warning naming
the rater. The sheet is read back cell by cell, each problem named by its cell
(``bewertung.xlsx:Bewertung!D7``), and nothing is written while any is left.
"""

from __future__ import annotations

import fnmatch
import io
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DataError, Finding, Problem, ScoringError, Severity, UsageError
from .model import KEY_ID_PATTERN, Portfolio, Project, RaterFile, Strategy

FOLDER = "ratings"
SHEET_NAMES = {"de": ("Bewertung", "Listen"), "en": ("Ratings", "Lists")}
INFO_COLUMNS = {  # field → (German header, English header), before the criteria
    "id": ("ID", "ID"),
    "title": ("Projekt", "Title"),
    "summary": ("Kurzbeschreibung", "Summary"),
    "department": ("Amt", "Department"),
}
# a scale with at most this many whole steps gets a drop-down; a wider one a number rule
MAX_LIST_STEPS = 20


def check_rater(rater: str) -> None:
    """A rater's name is the stem of their file: an id."""
    if not re.match(KEY_ID_PATTERN, rater):
        raise UsageError(
            f"--rater {rater!r}: a rater's name is the name of their file ratings/NAME.yaml: "
            "lower-case letters, digits, '_' and '-', e.g. amt-33"
        )


def rating_paths(data_dir: Path) -> list[Path]:
    """Every ``*.yaml``/``*.yml`` entry of ``ratings/`` (none when there is no folder)."""
    folder = data_dir / FOLDER
    if not folder.is_dir():
        return []
    names = sorted(
        entry.name
        for entry in os.scandir(folder)
        if entry.name.endswith((".yaml", ".yml")) and not entry.name.startswith(".")
    )
    return [folder / name for name in names]


@dataclass
class LoadedRatings:
    raters: dict[str, RaterFile] = field(default_factory=dict)  # the valid files only
    files: dict[str, str] = field(default_factory=dict)  # rater → file as shown
    problems: list[Problem] = field(default_factory=list)


def load_ratings(data_dir: Path, portfolio: Portfolio) -> LoadedRatings:
    """Read and check every rater's file against the portfolio."""
    from .load import display_path, read_data_text

    loaded = LoadedRatings()
    for path in rating_paths(data_dir):
        shown = display_path(path)
        text, unreadable = read_data_text(path, data_dir)
        if text is None:
            if unreadable is not None:
                loaded.problems.append(unreadable.located(shown))
            continue
        rater = path.stem
        if rater in loaded.files:
            loaded.problems.append(
                Problem(
                    shown, 1, 1, Severity.ERROR, "duplicate-rater",
                    f"rater {rater!r} has a file already: {loaded.files[rater]}; keep one",
                )
            )  # fmt: skip
            continue
        model, problems = check_rater_text(text, shown, rater, portfolio.strategy, portfolio)
        loaded.problems += problems
        if model is not None and not any(p.is_error for p in problems):
            loaded.raters[rater] = model
            loaded.files[rater] = shown
    return loaded


def check_rater_text(
    text: str, shown: str, rater: str, strategy: Strategy, portfolio: Portfolio
) -> tuple[RaterFile | None, list[Problem]]:
    """One rater's file: its model (None when its shape is wrong) and every problem."""
    from .load import load_model_text, locate

    result, node = load_model_text(text, shown, RaterFile)
    problems = [p.located(shown) for p in result.problems]
    model: RaterFile | None = result.model
    if not re.match(KEY_ID_PATTERN, rater):
        problems.append(
            Problem(
                shown, 1, 1, Severity.ERROR, "invalid-rater",
                f"{rater!r} is not a rater's name; rename the file to lower-case letters, "
                "digits, '_' and '-', e.g. amt-33.yaml",
            )
        )  # fmt: skip
    if model is not None:
        for f in rater_findings(model, shown, rater, strategy, portfolio):
            line, column = locate(node, f.path, f.at_key)
            problems.append(Problem(shown, line, column, f.severity, f.code, f.message))
    return model, problems


def _scale(low: float, high: float) -> str:
    return f"{low:g}–{high:g}"


def rater_findings(
    model: RaterFile, file: str, rater: str, strategy: Strategy, portfolio: Portfolio
) -> Iterator[Finding]:
    from .load import did_you_mean
    from .score import CONSISTENCY_LIMIT, ahp

    criteria = {c.id: c for c in strategy.criteria}
    for project_id, scores in model.scores.items():
        if project_id not in portfolio.projects:
            yield Finding(
                file, ("scores", project_id), Severity.ERROR, "unknown-project",
                f"scores: no project {project_id!r}"
                f"{did_you_mean(project_id, portfolio.projects)}",
                at_key=True,
            )  # fmt: skip
            continue
        for criterion_id, value in scores.items():
            where = ("scores", project_id, criterion_id)
            criterion = criteria.get(criterion_id)
            if criterion is None:
                yield Finding(
                    file, where, Severity.ERROR, "unknown-criterion",
                    f"scores.{project_id}: no criterion {criterion_id!r}"
                    f"{did_you_mean(criterion_id, criteria)}; criteria: "
                    f"{', '.join(criteria) or 'none in strategy.yaml'}",
                    at_key=True,
                )  # fmt: skip
                continue
            low, high = criterion.scale
            if not low <= value <= high:
                yield Finding(
                    file, where, Severity.ERROR, "score-out-of-scale",
                    f"scores.{project_id}.{criterion_id}: {value:g} is outside the scale "
                    f"{_scale(low, high)} of {criterion_id}; give a number from {low:g} to "
                    f"{high:g}",
                )  # fmt: skip
                continue
    if model.pairwise:
        unknown = False
        for row, columns in model.pairwise.items():
            for name, path in [(row, ("pairwise", row))] + [
                (col, ("pairwise", row, col)) for col in columns
            ]:
                if name not in criteria:
                    unknown = True
                    yield Finding(
                        file, path, Severity.ERROR, "unknown-criterion",
                        f"pairwise: no criterion {name!r}{did_you_mean(name, criteria)}",
                        at_key=True,
                    )  # fmt: skip
        if not unknown:
            ids = list(criteria)
            comparisons = {r: dict(c) for r, c in model.pairwise.items()}
            try:
                found = ahp(ids, comparisons)
            except ScoringError as exc:
                yield Finding(file, exc.path, Severity.ERROR, "invalid-pairwise", str(exc))
            else:
                if found.consistency_ratio > CONSISTENCY_LIMIT:
                    yield Finding(
                        file, ("pairwise",), Severity.WARNING, "inconsistent-rater",
                        f"rater {rater}'s comparisons are inconsistent: consistency ratio "
                        f"{found.consistency_ratio:.2f} > {CONSISTENCY_LIMIT:.2f}; revise "
                        "them (the group's weights still use them)",
                        at_key=True,
                    )  # fmt: skip
    if not any(model.scores.values()) and not model.pairwise:
        yield Finding(
            file, (), Severity.WARNING, "rated-nothing",
            f"rater {rater} has rated nothing: give scores (project: {{criterion: number}}) "
            "or pairwise comparisons, or remove the file",
        )  # fmt: skip


# --------------------------------------------------------------------------- sheets


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


def rating_sheet_bytes(portfolio: Portfolio, rater: str, projects: Sequence[Project]) -> bytes:
    """An .xlsx form for one rater: a row per project (id, title, summary, department,
    the rater's scores so far), a column per criterion with a drop-down of its scale and
    its description as the header's comment."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from .sheet_export import _put

    lang = portfolio.strategy.language
    index = 0 if lang == "de" else 1
    criteria = portfolio.strategy.criteria
    given = portfolio.ratings.get(rater)
    earlier = given.scores if given else {}
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet_name, lists_name = SHEET_NAMES[lang]
    sheet.title = sheet_name
    headers = [names[index] for names in INFO_COLUMNS.values()] + [c.title for c in criteria]
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(1, column)
        _put(cell, header)
        cell.font = Font(bold=True)
    for row, project in enumerate(projects, start=2):
        for column, name in enumerate(INFO_COLUMNS, start=1):
            value = getattr(project, name)
            if value is not None:
                _put(sheet.cell(row, column), value)
        for column, c in enumerate(criteria, start=len(INFO_COLUMNS) + 1):
            value = earlier.get(project.id, {}).get(c.id)
            if value is not None:
                sheet.cell(row, column).value = int(value) if value.is_integer() else value
    lists = workbook.create_sheet(lists_name)
    last_row = max(len(projects), 1) + 1
    for offset, c in enumerate(criteria):
        column = len(INFO_COLUMNS) + 1 + offset
        letter = get_column_letter(column)
        low, high = c.scale
        steps = scale_steps(low, high)
        scale = _scale(low, high)
        if steps is not None:
            lists.cell(1, offset + 1, c.id)
            for r, step in enumerate(steps, start=2):
                lists.cell(r, offset + 1, step)
            list_letter = get_column_letter(offset + 1)
            rule = DataValidation(
                type="list",
                formula1=f"'{lists_name}'!${list_letter}$2:${list_letter}${len(steps) + 1}",
                allow_blank=True,
            )
        else:
            rule = DataValidation(
                type="decimal", operator="between", formula1=f"{low:g}", formula2=f"{high:g}",
                allow_blank=True,
            )  # fmt: skip
        rule.error = f"{scale}"
        rule.showErrorMessage = True
        sheet.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}{last_row}")
        text = c.description or c.title
        header_cell = sheet.cell(1, column)
        header_cell.comment = Comment(f"{text}\n({c.id}, {scale})", "roadmap")
    lists.sheet_state = "hidden"
    sheet.freeze_panes = f"{get_column_letter(len(INFO_COLUMNS) + 1)}2"
    widths = [12, 40, 50, 20] + [max(10, min(len(c.title) + 2, 30)) for c in criteria]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
    from .load import did_you_mean
    from .spreadsheet import CellValueError, fold, is_blank, read_number, read_text

    result = SheetRatings()

    def problem(row: int, column: int, code: str, message: str, severity: Severity) -> None:
        result.problems.append(
            SheetProblem(table.file, table.where(row, column), row, column, severity, code, message)
        )

    if not table.rows:
        problem(1, 1, "sheet-empty", "the sheet is empty; it needs the header row", Severity.ERROR)
        return result
    criteria = portfolio.strategy.criteria
    by_name = {fold(c.title): c for c in criteria} | {fold(c.id): c for c in criteria}
    id_column = None
    columns: dict[int, Any] = {}
    for index, header in enumerate(table.rows[0]):
        name = fold(read_text(header)) if not is_blank(header) else ""
        if name == "id" and id_column is None:
            id_column = index
        elif name in by_name and by_name[name] not in columns.values():
            columns[index] = by_name[name]
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
        cell = row[id_column] if id_column < len(row) else None
        if is_blank(cell):
            continue
        project_id = read_text(cell).strip()
        if project_id not in portfolio.projects:
            problem(
                row_index, id_column + 1, "unknown-project",
                f"no project {project_id!r}{did_you_mean(project_id, portfolio.projects)}",
                Severity.ERROR,
            )  # fmt: skip
            continue
        if project_id in seen:
            problem(
                row_index, id_column + 1, "duplicate-row",
                f"{project_id} is rated in row {seen[project_id]} already; keep one row",
                Severity.ERROR,
            )  # fmt: skip
            continue
        seen[project_id] = row_index
        for column_index, criterion in sorted(columns.items()):
            value = row[column_index] if column_index < len(row) else None
            if is_blank(value):
                result.blanks.append(
                    (table.where(row_index, column_index + 1), project_id, criterion.id)
                )
                continue
            low, high = criterion.scale
            try:
                number = read_number(value)
            except CellValueError as exc:
                problem(
                    row_index, column_index + 1, "invalid-score",
                    f"{read_text(value)!r} is not a score; write a number from {low:g} to "
                    f"{high:g}",
                    Severity.ERROR,
                )  # fmt: skip
                del exc
                continue
            if not low <= number <= high:
                problem(
                    row_index, column_index + 1, "score-out-of-scale",
                    f"{read_text(value)!r} is outside the scale {_scale(low, high)} of "
                    f"{criterion.title}; write a number from {low:g} to {high:g}",
                    Severity.ERROR,
                )  # fmt: skip
                continue
            result.scores.setdefault(project_id, {})[criterion.id] = number
    return result


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
        _, problems = check_rater_text(text, shown, rater, portfolio.strategy, portfolio)
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
