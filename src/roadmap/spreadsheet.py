"""Spreadsheets in: a sheet of a workbook (.xlsx, .xlsm, .ods) or a CSV file read as a
grid of cells, each with its place (``Projekte!H14``), and the German ways of writing
amounts, dates and yes/no read into values.

Nothing in a file is executed: formulas are never evaluated (a workbook's cached values
are read, as the spreadsheet program last computed them), and a workbook is checked as a
zip archive before its reader sees it, so a zip bomb is refused by its declared sizes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .errors import say
from .model.words import fold as fold  # the import's and the raters' sheets compare with it

MAX_SHEET_ROWS = 20_000  # ten times the largest city portfolio we know of
MAX_SHEET_COLUMNS = 200
MAX_CSV_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # what a workbook may unpack to
MAX_ZIP_RATIO = 200  # a real workbook compresses 5-20x; a bomb thousands of times
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 after Lotus' leap-year bug


class SheetError(Exception):
    """The file as a whole cannot be read as a table (not a cell's value)."""


@dataclass(frozen=True)
class CellValueError(Exception):
    """A cell's text is not a value of the kind its column needs; ``hint`` says what to write."""

    problem: str
    hint: str


WRITE_NUMBER = say("import-cell", "write a number such as 2,5")
WRITE_AMOUNT = say("import-cell", "write 1400000 or 1.400.000,00")
WRITE_DATE = say("import-cell", "write a date such as 01.03.2026")


def _not_a(kind: str, value: Any) -> str:
    """``'abc' is not a number``: the cell's text and what its column needs."""
    text = repr(value) if isinstance(value, (bool, int, float)) else repr(str(value))
    if kind == "number":
        return say("import-cell", "{value} is not a number", value=text)
    if kind == "amount":
        return say("import-cell", "{value} is not an amount", value=text)
    if kind == "date":
        return say("import-cell", "{value} is not a date", value=text)
    return say("import-cell", "{value} is not yes or no", value=text)


def column_letter(column: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Table:
    """The cells of one sheet; ``rows[0]`` is the header row. Row and column numbers
    are 1-based as the spreadsheet shows them."""

    file: str
    sheet: str  # "" for a CSV file
    rows: list[list[Any]]
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (row, col, last row, last col)
    hidden_rows: tuple[int, ...] = ()  # 1-based rows hidden in the workbook

    def where(self, row: int, column: int) -> str:
        cell = f"{column_letter(column)}{row}"
        return f"{self.sheet}!{cell}" if self.sheet else cell


# --------------------------------------------------------------------------- reading


def read_table(path: Path, sheet: str | None = None) -> Table:
    """The first (or the named) sheet of a workbook, or a CSV file. Raises SheetError."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise SheetError(f"{path} is not a file")
    if suffix in WORKBOOK_SUFFIXES:
        return _read_workbook(path, sheet)
    if suffix in (".csv", ".txt", ".tsv"):
        if sheet:
            raise SheetError("a CSV file has no sheets; leave out --sheet")
        return read_csv(path.read_bytes()[: MAX_CSV_BYTES + 1], str(path))
    if suffix == ".xls":
        raise SheetError("the old Excel format .xls is not read; save the file as .xlsx")
    raise SheetError(f"{path.name}: not a spreadsheet; give a .xlsx, .ods or .csv file")


STDIN = "<stdin>"  # the name of a sheet piped in (`roadmap import -`) in messages


def read_table_stream(stream: BinaryIO, sheet: str | None = None) -> Table:
    """A sheet piped in: a workbook when it is a zip archive (.ods when its mimetype says
    so, else .xlsx), else CSV. Raises SheetError."""
    import dataclasses
    import tempfile

    content = stream.read(MAX_CSV_BYTES + 1)
    if not content.startswith(b"PK\x03\x04"):
        if sheet:
            raise SheetError("a CSV file has no sheets; leave out --sheet")
        return read_csv(content, STDIN)
    if len(content) > MAX_CSV_BYTES:
        raise SheetError(f"{STDIN} is larger than {MAX_CSV_BYTES // 2**20} MiB")
    ods = b"application/vnd.oasis.opendocument.spreadsheet" in content[:200]
    with tempfile.TemporaryDirectory() as folder:  # the workbook reader needs a file
        path = Path(folder) / ("stdin.ods" if ods else "stdin.xlsx")
        path.write_bytes(content)
        try:
            table = _read_workbook(path, sheet)
        except SheetError as exc:
            raise SheetError(str(exc).replace(str(path), STDIN).replace(path.name, STDIN)) from None
    return dataclasses.replace(table, file=STDIN)


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        with path.open("rb") as handle:
            head = handle.read(8)
        if head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # OLE: encrypted or old binary
            raise SheetError(
                f"{path.name} is password-protected (or an old binary workbook); "
                "save it without a password as .xlsx"
            ) from None
        raise SheetError(f"{path.name} is not a workbook (no zip archive inside)") from None
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if unpacked > MAX_UNZIPPED_BYTES or unpacked / packed > MAX_ZIP_RATIO:
        raise SheetError(
            f"{path.name} would unpack to {unpacked:,} bytes from {packed:,} "
            f"(ratio {unpacked // packed}); that is no project list, refused"
        )


def _read_workbook(path: Path, sheet: str | None) -> Table:
    _check_zip(path)
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
        if not names:
            raise SheetError(f"{path.name} has no sheets")
        name = sheet if sheet is not None else names[0]
        if name not in names:
            raise SheetError(
                f"{path.name} has no sheet {name!r}; its sheets: {', '.join(map(repr, names))}"
            )
        grid = workbook.get_sheet_by_name(name)
        if grid.height > MAX_SHEET_ROWS + 1 or grid.width > MAX_SHEET_COLUMNS:
            raise SheetError(
                f"{path.name}:{name} has {grid.height:,} rows and {grid.width} columns; "
                f"at most {MAX_SHEET_ROWS:,} rows and {MAX_SHEET_COLUMNS} columns are read"
            )
        start_row, start_column = grid.start or (0, 0)
        rows = grid.to_python(skip_empty_area=False)
        merged = tuple(
            (r0 + 1, c0 + 1, r1 + 1, c1 + 1)
            for (r0, c0), (r1, c1) in (grid.merged_cell_ranges or [])
        )
    except PasswordError:
        raise SheetError(f"{path.name} is password-protected; save it without a password") from None
    except CalamineError as exc:
        raise SheetError(f"{path.name} cannot be read as a workbook: {exc}") from None
    del start_row, start_column  # skip_empty_area=False keeps rows and columns in place
    hidden = _hidden_rows(path, name) if path.suffix.lower() in (".xlsx", ".xlsm") else ()
    return Table(str(path), name, [list(row) for row in rows], merged, hidden)


_HIDDEN_ROW = re.compile(rb"<row\b[^>]*>")


def _hidden_rows(path: Path, sheet: str) -> tuple[int, ...]:
    """Rows an .xlsx hides (someone hid them on purpose: they must not slip in unseen).
    The sheet's XML is scanned for `<row r="14" hidden="1">`; nothing is evaluated."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True)
        member = getattr(workbook[sheet], "_worksheet_path", None)
        workbook.close()
        if not member:
            return ()
        with zipfile.ZipFile(path) as archive:
            data = archive.read(member)
    except Exception:
        return ()
    found = []
    for tag in _HIDDEN_ROW.findall(data):
        if re.search(rb'\bhidden="(1|true)"', tag):
            number = re.search(rb'\br="(\d+)"', tag)
            if number:
                found.append(int(number.group(1)))
    return tuple(found)


_ENCODINGS = ("utf-8-sig", "cp1252")


def read_csv(data: bytes, file: str) -> Table:
    """CSV as Excel writes it: `;`, `,` or tab; UTF-8 (with or without BOM) or
    Windows-1252. UTF-16 (Excel's "Unicode text") is named, not guessed."""
    if len(data) > MAX_CSV_BYTES:
        raise SheetError(f"{file} is larger than {MAX_CSV_BYTES // 2**20} MiB")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > 10:
        raise SheetError(
            f"{file} is UTF-16 text; save it as 'CSV UTF-8 (durch Trennzeichen getrennt)'"
        )
    if not data.strip():
        raise SheetError(f"{file} is empty")
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1252 leaves five bytes undefined
        raise SheetError(f"{file} is neither UTF-8 nor Windows-1252 text")
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise SheetError(f"{file}: {exc}") from None
    if len(rows) > MAX_SHEET_ROWS + 1:
        raise SheetError(f"{file} has {len(rows):,} rows; at most {MAX_SHEET_ROWS:,} are read")
    return Table(file, "", [[cell if cell != "" else None for cell in row] for row in rows])


# --------------------------------------------------------------------------- values


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_AMOUNT_TEXT = re.compile(r"^[+-]?[\d.,' ]+$")


def read_number(value: Any, decimal_comma: bool = True) -> float:
    """A number cell, or text as people type it: `1.400.000,00`, `1.400.000 €`, `2,5`,
    `1,400,000.00`. With ``decimal_comma`` (German) a lone comma is the decimal sign."""
    if isinstance(value, bool):
        raise CellValueError(_not_a("number", value), WRITE_NUMBER)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        raise CellValueError(
            say("import-cell", "{value} is a date, not a number", value=str(value)), WRITE_NUMBER
        )
    text = str(value).strip().replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"(?i)\s*(€|eur|euro)$", "", text).replace("€", "").strip()
    if not _AMOUNT_TEXT.match(text) or not re.search(r"\d", text):
        raise CellValueError(_not_a("amount", value), WRITE_AMOUNT)
    digits = text.replace(" ", "").replace("'", "")
    sign = -1.0 if digits.startswith("-") else 1.0
    digits = digits.lstrip("+-")
    if "," in digits and "." in digits:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
    elif "," in digits:
        decimal = "," if decimal_comma and digits.count(",") == 1 else ""
    elif "." in digits:
        # `1.400` in a German sheet is fourteen hundred; `2.5` is two and a half
        only_thousands = re.fullmatch(r"\d{1,3}(\.\d{3})+", digits) is not None
        decimal = "" if decimal_comma and only_thousands else "."
    else:
        decimal = ""
    whole, fraction = digits.rsplit(decimal, 1) if decimal else (digits, "")
    if re.search(r"[.,]", fraction):
        raise CellValueError(_not_a("amount", value), WRITE_AMOUNT)
    groups = re.split(r"[.,]", whole)
    if len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        raise CellValueError(_not_a("amount", value), WRITE_AMOUNT)
    try:
        return sign * float("".join(groups) + ("." + fraction if fraction else ""))
    except ValueError:
        raise CellValueError(_not_a("amount", value), WRITE_AMOUNT) from None


_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def read_date(value: Any) -> dt.date:
    """A date cell, an Excel serial number, or `01.03.2026`, `1.3.26`, `2026-03-01`."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2_958_466 and float(value).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellValueError(_not_a("date", value), WRITE_DATE)
    text = str(value).strip()
    german, iso = _GERMAN_DATE.match(text), _ISO_DATE.match(text)
    try:
        if german:
            day, month, year = (int(g) for g in german.groups())
            if len(german.group(3)) == 2:
                year += 2000
            return dt.date(year, month, day)
        if iso:
            return dt.date(*(int(g) for g in iso.groups()))
    except ValueError:
        raise CellValueError(
            say("import-cell", "{value} is not a day of the calendar", value=repr(text)),
            say("import-cell", "check day and month"),
        ) from None
    raise CellValueError(_not_a("date", text), WRITE_DATE)


_YES = {"ja", "j", "x", "yes", "y", "true", "wahr", "1", "✓", "✔"}
_NO = {"nein", "n", "no", "false", "falsch", "0", "-", "–"}


def read_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellValueError(_not_a("yes or no", value), say("import-cell", "write ja or nein"))


def read_text(value: Any) -> str:
    """Any cell as text: whole numbers without `.0`, dates as ISO."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()


def split_list(value: Any) -> list[str]:
    """`3, 7; 12` / `3 und 7` / one per line → items."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [read_text(value)]
    parts = re.split(r"[,;\n/]|\s+und\s+|\s+and\s+", str(value))
    return [p.strip() for p in parts if p.strip()]


def first_data_row(rows: Sequence[Sequence[Any]]) -> int:
    """0-based index of the header row: the first row with at least two filled cells
    (a title line above the table is common)."""
    for index, row in enumerate(rows[:20]):
        if sum(not is_blank(cell) for cell in row) >= 2:
            return index
    return 0
