"""A project list from a spreadsheet → project data, and what importing it would change.

Columns are recognised by their German or English headers (`Nr`, `Projekt`, `Amt`,
`Budget`, `Beginn`, `Abhängig von (Nr)` …) or named in a mapping; every cell is read
into the value its field needs or becomes a problem at its cell (`Projekte!H14`). Nothing
here writes: :func:`plan_import` says which files to create and which fields of which
existing files to change, and the caller applies that through the lossless edit engine.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import Problem, Severity
from .model import PROJECT_ID_PATTERN, STATUSES, Strategy
from .spreadsheet import (
    CellValueError,
    Table,
    first_data_row,
    fold,
    is_blank,
    read_bool,
    read_date,
    read_number,
    read_text,
    split_list,
)


@dataclass(frozen=True)
class Column:
    """A field a sheet column can fill: its place in a project file, how its cells are
    read, and the headers (folded, see :func:`spreadsheet.fold`) that name it."""

    field: str
    kind: str
    headers: tuple[str, ...]


COLUMNS: tuple[Column, ...] = (
    Column("id", "id", ("id", "kennung", "projekt id", "projektkennung", "projekt kennung")),
    Column("number", "key", ("nr", "nummer", "lfd nr", "laufende nummer", "projektnummer", "no")),
    Column(
        "title",
        "title",
        (
            "titel",
            "projekt",
            "projekttitel",
            "projektname",
            "bezeichnung",
            "name",
            "title",
            "vorhaben",
            "projektbezeichnung",
            "massnahme",
        ),
    ),
    Column("summary", "text", ("kurzbeschreibung", "zusammenfassung", "summary", "kurztext")),
    Column(
        "description",
        "multiline",
        ("beschreibung", "projektbeschreibung", "erlaeuterung", "description", "details"),
    ),
    Column(
        "department",
        "text",
        (
            "amt",
            "fachbereich",
            "dezernat",
            "fachamt",
            "organisationseinheit",
            "oe",
            "dienststelle",
            "department",
            "federfuehrung",
            "federfuehrendes amt",
            "fachdienst",
        ),
    ),
    Column(
        "owner",
        "text",
        (
            "projektleitung",
            "projektleiter",
            "projektleiterin",
            "verantwortlich",
            "verantwortliche",
            "ansprechperson",
            "ansprechpartner",
            "ansprechpartnerin",
            "owner",
        ),
    ),
    Column("field", "field", ("handlungsfeld", "themenfeld", "field")),
    Column("program", "program", ("programm", "program")),
    Column("goals", "goals", ("ziele", "ziel", "strategische ziele", "goals")),
    Column("status", "status", ("status", "stand", "projektstatus", "umsetzungsstand")),
    Column(
        "decision", "decision", ("entscheidung", "decision", "moscow", "prioritaet", "priority")
    ),
    Column(
        "effort.budget_eur",
        "amount",
        (
            "budget",
            "kosten",
            "investition",
            "investitionskosten",
            "gesamtkosten",
            "budget eur",
            "kosten eur",
            "budget_eur",
            "projektkosten",
            "budget in eur",
        ),
    ),
    Column(
        "effort.running_eur_per_year",
        "amount",
        (
            "laufende kosten",
            "betriebskosten",
            "folgekosten",
            "laufende kosten pro jahr",
            "laufende kosten jahr",
            "jaehrliche kosten",
            "running costs",
            "running_eur_per_year",
        ),
    ),
    Column(
        "effort.staff_fte",
        "number",
        ("vzae", "vza", "personal", "personalbedarf", "fte", "stellen", "staff", "staff_fte"),
    ),
    Column(
        "effort.spent_eur",
        "amount",
        (
            "ausgegeben",
            "ausgegeben eur",
            "bisher ausgegeben",
            "verausgabt",
            "ist kosten",
            "spent",
            "spent eur",
            "spent_eur",
        ),
    ),
    Column("start", "date", ("beginn", "start", "projektbeginn", "startdatum")),
    Column(
        "end", "date", ("ende", "end", "projektende", "enddatum", "abschluss", "fertigstellung")
    ),
    Column(
        "duration_months",
        "int",
        (
            "dauer monate",
            "dauer",
            "laufzeit monate",
            "laufzeit",
            "duration months",
            "duration_months",
        ),
    ),
    Column("deadline", "date", ("frist", "deadline", "gesetzliche frist", "umsetzungsfrist")),
    Column("legal_basis", "text", ("rechtsgrundlage", "legal basis", "legal_basis")),
    Column(
        "depends_on",
        "deps",
        (
            "abhaengig von",
            "abhaengigkeiten",
            "abhaengigkeit",
            "voraussetzung",
            "voraussetzungen",
            "vorgaenger",
            "depends on",
            "depends_on",
        ),
    ),
    Column("tags", "list", ("schlagworte", "stichworte", "tags")),
    Column("services", "list", ("leistungen", "leika", "ozg leistungen", "services")),
    Column(
        "personal_data",
        "bool",
        ("personenbezogene daten", "personal data", "personal_data", "pbd"),
    ),
    Column(
        "citizen_facing",
        "bool",
        ("buergernah", "citizen facing", "citizen_facing", "aussenwirkung"),
    ),
    Column("open_source", "bool", ("open source", "open_source", "quelloffen")),
    Column("accessibility", "text", ("barrierefreiheit", "accessibility")),
    Column("analog_access", "text", ("analoger zugang", "analog access", "analog_access")),
    Column("dpia", "dpia", ("dsfa", "datenschutz folgenabschaetzung", "dpia")),
    Column(
        "remarks",
        "remarks",
        (
            "bemerkung",
            "bemerkungen",
            "anmerkung",
            "anmerkungen",
            "kommentar",
            "hinweis",
            "hinweise",
            "notizen",
            "remarks",
            "notes",
        ),
    ),
)
IGNORE = "ignore"
LIST_KINDS = frozenset({"goals", "depends_on", "tags", "services"})

STATUS_WORDS: dict[str, str] = {
    **{s.replace("_", " "): s for s in STATUSES},
    "idee": "idea",
    "ideenphase": "idea",
    "vorgeschlagen": "proposed",
    "vorschlag": "proposed",
    "beantragt": "proposed",
    "angemeldet": "proposed",
    "geplant": "proposed",
    "in planung": "proposed",
    "beschlossen": "approved",
    "genehmigt": "approved",
    "freigegeben": "approved",
    "bewilligt": "approved",
    "in umsetzung": "in_progress",
    "umsetzung": "in_progress",
    "laufend": "in_progress",
    "laeuft": "in_progress",
    "in arbeit": "in_progress",
    "in bearbeitung": "in_progress",
    "gestartet": "in_progress",
    "pausiert": "on_hold",
    "ruht": "on_hold",
    "zurueckgestellt": "on_hold",
    "gestoppt": "on_hold",
    "abgeschlossen": "done",
    "erledigt": "done",
    "fertig": "done",
    "umgesetzt": "done",
    "in betrieb": "done",
    "abgebrochen": "cancelled",
    "eingestellt": "cancelled",
    "gestrichen": "cancelled",
    "verworfen": "cancelled",
}
DECISION_WORDS: dict[str, str] = {
    "must": "must",
    "should": "should",
    "could": "could",
    "wont": "wont",
    "won t": "wont",
    "muss": "must",
    "soll": "should",
    "kann": "could",
    "nicht": "wont",
    "wird nicht umgesetzt": "wont",
}
# the order of keys in a new project file, as in the shipped examples
KEY_ORDER = (
    "id", "title", "summary", "description", "department", "owner", "field", "program",
    "goals", "status", "decision", "start", "end", "duration_months", "deadline",
    "legal_basis", "effort", "depends_on", "scores", "tags", "services", "personal_data",
    "citizen_facing", "open_source", "accessibility", "dpia", "analog_access",
)  # fmt: skip


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
            f"{self.where}: {self.message}",
        )  # fmt: skip


@dataclass(frozen=True)
class ImportMapping:
    """What `--mapping map.yaml` may say: column header → field (or `ignore`), value maps
    per field (`status: {"in Umsetzung": in_progress}`), which sheet and header row, and
    whether a lone comma is the decimal sign."""

    columns: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    sheet: str | None = None
    header_row: int | None = None  # 1-based; found by itself when not given
    decimal_comma: bool = True


MAPPING_KEYS = ("columns", "values", "sheet", "header_row", "decimal_comma")


def mapping_from_data(data: Any, fields: Iterable[str]) -> tuple[ImportMapping, list[str]]:
    """A mapping file's parsed YAML → ImportMapping, with messages for what is wrong."""
    errors: list[str] = []
    if not isinstance(data, dict):
        return ImportMapping(), ["the mapping file must be a mapping with `columns:`"]
    for key in data:
        if key not in MAPPING_KEYS:
            errors.append(f"unknown key {key!r}; allowed: {', '.join(MAPPING_KEYS)}")
    known = set(fields) | {IGNORE}
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        errors.append("columns: expected `Header: field` pairs")
        columns = {}
    for header, target in columns.items():
        if str(target) not in known:
            errors.append(
                f"columns.{header}: no field {target!r}; use one of {', '.join(sorted(known))}"
            )
    values = data.get("values") or {}
    if not isinstance(values, dict) or not all(isinstance(v, dict) for v in values.values()):
        errors.append("values: expected `field: {cell text: value}` maps")
        values = {}
    header_row = data.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        errors.append("header_row: expected the number of the header row, e.g. 3")
        header_row = None
    return (
        ImportMapping(
            {str(k): str(v) for k, v in columns.items()},
            {str(f): {fold(str(k)): v for k, v in m.items()} for f, m in values.items()},
            None if data.get("sheet") is None else str(data["sheet"]),
            header_row,
            bool(data.get("decimal_comma", True)),
        ),
        errors,
    )


@dataclass
class ImportedRow:
    """One project row: where it is, the project data read from it (in the shape of a
    project file), and its number for `Abhängig von (Nr)`."""

    row: int
    data: dict[str, Any]
    number: str | None = None
    raw_dependencies: list[tuple[str, int]] = field(default_factory=list)  # (token, column)


@dataclass
class SheetReading:
    """What a sheet says: the column each field comes from, the rows, and problems."""

    columns: dict[int, str]  # 1-based column → field
    unmapped: list[str]
    rows: list[ImportedRow]
    problems: list[SheetProblem]
    headers: dict[int, str] = field(default_factory=dict)  # 1-based column → header text


def column_fields(strategy: Strategy) -> list[Column]:
    """Every column a sheet may have for this strategy: the fixed ones, then one per
    criterion (by its id or title)."""
    criteria = [
        Column(f"scores.{c.id}", "score", tuple({fold(c.id), fold(c.title)}))
        for c in strategy.criteria
    ]
    return [*COLUMNS, *criteria]


def _match_header(header: str, columns: list[Column], mapping: ImportMapping) -> str | None:
    for name, target in mapping.columns.items():
        if fold(name) == fold(header):
            return target
    folded = fold(header)
    bare = fold(re.sub(r"\([^)]*\)", " ", header))
    # units and periods people add to a header: "Budget in EUR", "Laufende Kosten p.a."
    unitless = re.sub(r"( in)?( (eur|euro|tsd|mio|p a|pa|pro jahr|jaehrlich|je jahr))+$", "", bare)
    for candidate in (folded, bare, unitless):
        for column in columns:
            if candidate in column.headers:
                return column.field
    return None


def read_sheet(table: Table, strategy: Strategy, mapping: ImportMapping) -> SheetReading:
    """The rows of a project list, each cell read or turned into a located problem."""
    problems: list[SheetProblem] = []
    columns_known = column_fields(strategy)
    kinds = {c.field: c.kind for c in columns_known}

    def problem(row: int, column: int, code: str, message: str, severity: Severity) -> None:
        problems.append(
            SheetProblem(table.file, table.where(row, column), row, column, severity, code, message)
        )

    header_index = mapping.header_row - 1 if mapping.header_row else first_data_row(table.rows)
    if header_index >= len(table.rows):
        problem(1, 1, "sheet-empty", "the sheet has no header row", Severity.ERROR)
        return SheetReading({}, [], [], problems)
    header = table.rows[header_index]
    columns: dict[int, str] = {}
    headers: dict[int, str] = {}
    unmapped: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(header, start=1):
        if is_blank(cell):
            continue
        target = _match_header(read_text(cell), columns_known, mapping)
        if target is None:
            unmapped.append(read_text(cell))
            problem(
                header_index + 1, index, "column-not-imported",
                f"column {read_text(cell)!r} is not imported; name its field in --mapping "
                "(columns: {header: field}) or `ignore` it",
                Severity.WARNING,
            )  # fmt: skip
            continue
        if target == IGNORE:
            continue
        if target in seen:
            problem(
                header_index + 1, index, "column-twice",
                f"column {read_text(cell)!r} fills {target} like column "
                f"{table.where(header_index + 1, seen[target])}; keep one or map one to `ignore`",
                Severity.ERROR,
            )  # fmt: skip
            continue
        seen[target] = index
        columns[index] = target
        headers[index] = read_text(cell)
    if "title" not in seen:
        problem(
            header_index + 1, 1, "no-title-column",
            "no column with the projects' titles (e.g. 'Projekt', 'Titel', 'Bezeichnung'); "
            "name it in --mapping",
            Severity.ERROR,
        )  # fmt: skip
        return SheetReading(columns, unmapped, [], problems, headers)
    for r0, c0, r1, c1 in table.merged:
        if r1 > header_index + 1 and (r1 > r0 or c1 > c0):
            problem(
                r0, c0, "merged-cells",
                f"merged cells {table.where(r0, c0)}:{table.where(r1, c1).split('!')[-1]}; "
                "unmerge them and fill every cell",
                Severity.ERROR,
            )  # fmt: skip
    for row in table.hidden_rows:
        if row > header_index + 1:
            problem(
                row, 1, "hidden-row",
                f"row {row} is hidden in the sheet; show it (or delete it) so that nothing "
                "is imported unseen",
                Severity.ERROR,
            )  # fmt: skip
    reader = _CellReader(strategy, mapping, kinds)
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
                problem(offset, index, "cell-value", f"{exc.problem}; {exc.hint}", Severity.ERROR)
        if "title" not in imported.data:
            problem(
                offset, seen["title"], "missing-title",
                "the row has no title; give the project a title or delete the row",
                Severity.ERROR,
            )  # fmt: skip
            continue
        rows.append(imported)
    if not rows and not any(p.severity is Severity.ERROR for p in problems):
        problem(header_index + 1, 1, "sheet-empty", "the sheet has no project rows", Severity.ERROR)
    return SheetReading(columns, unmapped, rows, problems, headers)


class _CellReader:
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
            "status": lambda v: _word(v, STATUS_WORDS, "a status", STATUSES),
            "decision": lambda v: _word(
                v, DECISION_WORDS, "a decision", ("muss", "soll", "kann", "nicht")
            ),
            "field": lambda v: _reference(v, self.fields, "field of action"),
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
                    f"{text!r} is not a project id", "use a-z, 0-9 and -, 2 to 64 characters"
                )
            row.data["id"] = text
        elif kind == "deps":
            row.raw_dependencies = [(token, column) for token in split_list(value)]
        elif kind == "remarks":
            row.data["remarks"] = str(value).strip()
        else:
            _put(row.data, target, readers[kind](value))


def _put(data: dict[str, Any], target: str, value: Any) -> None:
    if "." in target:
        head, tail = target.split(".", 1)
        data.setdefault(head, {})[tail] = value
    else:
        data[target] = value


def _non_negative(number: float) -> float | int:
    if number < 0:
        raise CellValueError(f"{number:g} is negative", "write an amount of 0 or more")
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
        raise CellValueError(f"{number:g} is not a whole number of months", "write e.g. 12")
    return int(number)


def _word(value: Any, words: Mapping[str, str], what: str, examples: Iterable[str]) -> str:
    folded = fold(read_text(value))
    if folded in words:
        return words[folded]
    raise CellValueError(
        f"{read_text(value)!r} is not {what}",
        f"write one of {', '.join(examples)} or map it in --mapping (values:)",
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
    raise CellValueError(
        f"no {what} {text!r} in strategy.yaml{did_you_mean(fold(text), known)}",
        f"write the {what}'s id or title as strategy.yaml has it",
    )


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
                    f"row {row.row}",
                    row.row,
                    1,
                    Severity.ERROR,
                    "duplicate-id",
                    f"id {base!r} is also in row {taken[base]}; every project needs its own",
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
                        f"{token!r} is no number, id or title of a project{hint}; "
                        "write the Nr of the row it depends on",
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
                        "a project cannot depend on itself",
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
