"""The columns of a project list: the fields a sheet column can fill, the German and
English headers that name them, the words a status or decision cell may hold, and
the ``--mapping`` file that names the others."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .model import Strategy
from .model.words import DECISION_WORDS as DECISION_WORDS
from .model.words import STATUS_WORDS as STATUS_WORDS
from .model.words import fold


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

# the order of keys in a new project file, as in the shipped examples
KEY_ORDER = (
    "id", "title", "summary", "description", "department", "owner", "field", "program",
    "goals", "status", "decision", "start", "end", "duration_months", "deadline",
    "legal_basis", "effort", "depends_on", "scores", "tags", "services", "personal_data",
    "citizen_facing", "open_source", "accessibility", "dpia", "analog_access",
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


def column_fields(strategy: Strategy) -> list[Column]:
    """Every column a sheet may have for this strategy: the fixed ones, then one per
    criterion (by its id or title)."""
    criteria = [
        Column(f"scores.{c.id}", "score", tuple({fold(c.id), fold(c.title)}))
        for c in strategy.criteria
    ]
    return [*COLUMNS, *criteria]


def match_header(header: str, columns: list[Column], mapping: ImportMapping) -> str | None:
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
