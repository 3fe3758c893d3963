"""`roadmap export --format xlsx`: a workbook a department can edit and send back.

Sheet "Projekte" (German headers in a German portfolio) has one row per project with
every field that `roadmap import` reads, numbers as numbers, dates as dates, status and
decision as the words import understands, drop-down lists for status, decision and field.
Export → edit a cell → import changes exactly that field. Further sheets (ranking, plan,
capacity, KPIs, milestones) are given by the caller and protected as read-only.

Every text is written as a text cell: a title such as `=HYPERLINK(…)` is never a
formula, in any spreadsheet program (formula injection).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .markers import marked
from .model import Portfolio, Project

# field → header (English; the catalogs give the German one). Every header in every
# language is one `roadmap import` reads: tests/test_cli_sheets.py exports and imports
# again in both languages
PROJECT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", marked("sheet-column", "ID")),
    ("title", marked("sheet-column", "Title")),
    ("summary", marked("sheet-column", "Summary")),
    ("description", marked("sheet-column", "Description")),
    ("department", marked("sheet-column", "Department")),
    ("owner", marked("sheet-column", "Owner")),
    ("field", marked("sheet-column", "Field")),
    ("program", marked("sheet-column", "Program")),
    ("goals", marked("sheet-column", "Goals")),
    ("status", marked("sheet-column", "Status")),
    ("decision", marked("sheet-column", "Decision")),
    ("effort.budget_eur", marked("sheet-column", "Budget (EUR)")),
    ("effort.running_eur_per_year", marked("sheet-column", "Running costs (EUR/year)")),
    ("effort.staff_fte", marked("sheet-column", "FTE")),
    ("effort.spent_eur", marked("sheet-column", "Spent (EUR)")),
    ("start", marked("sheet-column", "Start")),
    ("end", marked("sheet-column", "End")),
    ("duration_months", marked("sheet-column", "Duration (months)")),
    ("deadline", marked("sheet-column", "Deadline")),
    ("legal_basis", marked("sheet-column", "Legal basis")),
    ("depends_on", marked("sheet-column", "Depends on")),
    ("tags", marked("sheet-column", "Tags")),
    ("services", marked("sheet-column", "Services")),
    ("personal_data", marked("sheet-column", "Personal data")),
    ("citizen_facing", marked("sheet-column", "Citizen facing")),
    ("open_source", marked("sheet-column", "Open source")),
    ("accessibility", marked("sheet-column", "Accessibility")),
    ("dpia", marked("sheet-column", "DPIA")),
    ("analog_access", marked("sheet-column", "Analog access")),
)
# status and decision as the sheet writes them (and import reads them back)
STATUS_LABELS = {
    "idea": marked("sheet-status", "idea"),
    "proposed": marked("sheet-status", "proposed"),
    "approved": marked("sheet-status", "approved"),
    "in_progress": marked("sheet-status", "in progress"),
    "on_hold": marked("sheet-status", "on hold"),
    "done": marked("sheet-status", "done"),
    "cancelled": marked("sheet-status", "cancelled"),
}
DECISION_LABELS = {
    "must": marked("sheet-decision", "must"),
    "should": marked("sheet-decision", "should"),
    "could": marked("sheet-decision", "could"),
    "wont": marked("sheet-decision", "wont"),
}
YES_NO = (marked("sheet-bool", "yes"), marked("sheet-bool", "no"))
SHEET_NAMES = (marked("sheet-name", "Projects"), marked("sheet-name", "Lists"))
Words = Callable[[str, str], str]  # (context, English message) → the message worded


@dataclass(frozen=True)
class ExtraSheet:
    """A read-only sheet: its name, column headers and rows of plain values."""

    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]


def _cell_value(project: Project, field: str, portfolio: Portfolio, words: Words) -> Any:
    value: Any = project
    for part in field.split("."):
        value = getattr(value, part)
    if field == "status":
        return words("sheet-status", STATUS_LABELS[value])
    if field == "decision":
        return words("sheet-decision", DECISION_LABELS[value]) if value else None
    if field == "field" and value:
        titles = {f.id: f.title for f in portfolio.strategy.fields}
        return titles.get(value, value)
    if field == "open_source":
        value = project.open_source_value
    if isinstance(value, bool):
        yes, no = (words("sheet-bool", word) for word in YES_NO)
        return yes if value else no
    if isinstance(value, list):
        return ", ".join(value) or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _score(project: Project, criterion: str) -> Any:
    value = project.scores.get(criterion)
    if isinstance(value, list):
        low, high = value
        return f"{low:g}–{high:g}"
    return value


def project_rows(portfolio: Portfolio, words: Words) -> tuple[list[str], list[list[Any]]]:
    """Headers and one row per project (sorted by id), as the sheet shows them."""
    headers = [words("sheet-column", header) for _, header in PROJECT_COLUMNS]
    criteria = list(portfolio.strategy.criteria)
    headers += [c.title for c in criteria]
    rows = []
    for ident in sorted(portfolio.projects):
        project = portfolio.projects[ident]
        row = [_cell_value(project, c[0], portfolio, words) for c in PROJECT_COLUMNS]
        row += [_score(project, c.id) for c in criteria]
        rows.append(row)
    return headers, rows


def workbook_bytes(portfolio: Portfolio, words: Words, extra: Sequence[ExtraSheet] = ()) -> bytes:
    """The whole workbook as .xlsx bytes; ``words(context, message)`` gives a marked
    English message in the workbook's language (the caller passes the catalog's)."""
    from openpyxl import Workbook
    from openpyxl.styles import Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    projects_name, lists_name = (words("sheet-name", name) for name in SHEET_NAMES)
    sheet.title = projects_name
    headers, rows = project_rows(portfolio, words)
    _fill(sheet, headers, rows)
    # drop-down lists come from a hidden sheet: a list typed into the rule is limited
    # to 255 characters, and field titles are longer than that together
    lists = workbook.create_sheet(lists_name)
    choices = {
        "status": [words("sheet-status", label) for label in STATUS_LABELS.values()],
        "decision": [words("sheet-decision", label) for label in DECISION_LABELS.values()],
        "field": [f.title for f in portfolio.strategy.fields],
    }
    for column, (field, values) in enumerate(choices.items(), start=1):
        lists.cell(1, column, field)
        for row, value in enumerate(values, start=2):
            _put(lists.cell(row, column), value)
        if not values:
            continue
        letter = get_column_letter(column)
        rule = DataValidation(
            type="list",
            formula1=f"'{lists_name}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
        )
        sheet.add_data_validation(rule)
        target = [c[0] for c in PROJECT_COLUMNS].index(field) + 1
        target_letter = get_column_letter(target)
        rule.add(f"{target_letter}2:{target_letter}{max(len(rows), 1) + 200}")
    lists.sheet_state = "hidden"
    for page in extra:
        added = workbook.create_sheet(page.name[:31])
        _fill(added, list(page.headers), [list(r) for r in page.rows])
        added.protection.sheet = True  # read-only: these are computed, not edited
        for row in added.iter_rows():
            for cell in row:
                cell.protection = Protection(locked=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _put(cell: Any, value: Any) -> None:
    """A value into a cell: text always as text (never a formula), dates as dates."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        # XML 1.0 cannot hold most control characters: a workbook would be refused
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        cell.data_type = "s"  # openpyxl would read a leading "=" as a formula
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            cell.quotePrefix = True  # shown and kept as text by Excel and LibreOffice
        return
    cell.value = value
    if isinstance(value, dt.date):
        cell.number_format = "DD.MM.YYYY"


def _fill(sheet: Any, headers: list[str], rows: list[list[Any]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(1, column)
        _put(cell, header)
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if value is not None:
                _put(sheet.cell(r, c), value)
    sheet.freeze_panes = "B2" if len(headers) > 1 else "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    for column, header in enumerate(headers, start=1):
        values = [len(str(row[column - 1])) for row in rows[:500] if row[column - 1] is not None]
        longest = max([len(header), *values])
        sheet.column_dimensions[get_column_letter(column)].width = max(8, min(longest + 2, 60))
