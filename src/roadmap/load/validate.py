"""YAML values → pydantic models, with pydantic's errors turned into located problems
whose messages say what would be right."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from ..cache import decode_value, encode_value
from ..errors import Finding, PathPart, Severity, say
from ..model import (
    KEY_ID_PATTERN,
    MAX_MEASUREMENTS,
    PROJECT_ID_PATTERN,
    Project,
    Strategy,
    allowed_keys,
)
from ..model.words import DECISION_WORDS, STATUS_WORDS, fold
from .files import RawProblem
from .suggest import did_you_mean
from .syntax import locate, parse

# --------------------------------------------------------------------------- schema messages

_KIND = {
    "string_type": say("schema-kind", "text"),
    "float_type": say("schema-kind", "number"),
    "int_type": say("schema-kind", "whole number"),
    "int_from_float": say("schema-kind", "whole number"),
    "bool_type": say("schema-kind", "true or false"),
    "list_type": say("schema-kind", "list"),
    "dict_type": say("schema-kind", "mapping"),
    "model_type": say("schema-kind", "mapping"),
    "model_attributes_type": say("schema-kind", "mapping"),
}


def _describe(value: Any) -> str:
    """What a wrong value is, for "expected …, got …"."""
    if value is None:
        return say("schema-kind", "nothing (null)")
    if isinstance(value, bool):
        return say("schema-kind", "{value} (a boolean)", value=str(value).lower())
    if isinstance(value, (int, float)):
        return say("schema-kind", "{value} (a number)", value=repr(value))
    if isinstance(value, str):
        return say("schema-kind", "{value} (text)", value=repr(value))
    if isinstance(value, list):
        return say("schema-kind", "a list")
    if isinstance(value, dict):
        return say("schema-kind", "a mapping")
    return type(value).__name__


_WRITTEN_NUMBER = re.compile(r"-?[1-9]\d{0,2}(?:[.\s]\d{3})+(?:,\d+)?|-?\d+(?:,\d+)?")
# "250,000" is a quarter million in English, 250 in German: no hint for it
_EITHER_WAY = re.compile(r"-?\d{1,3}(?:,\d{3})+")


def _plain_number_hint(value: Any) -> str:
    """``; write 1200000.5`` for a number written the German way ("1.200.000,50 €"),
    as a spreadsheet shows it."""
    if not isinstance(value, str):
        return ""
    written = value.strip().removesuffix("€").removesuffix("EUR").strip()
    if not _WRITTEN_NUMBER.fullmatch(written) or _EITHER_WAY.fullmatch(written):
        return ""
    plain = re.sub(r"[.\s]", "", written).replace(",", ".")
    return say(
        "schema",
        "; write it as a plain number: {plain}",
        plain=format(Decimal(plain).normalize(), "f"),
    )


def _meant(name: str, value: Any, allowed: list[str]) -> str:
    """`` (did you mean 'in_progress'?)`` for a project's status or decision written in
    German ("läuft", "genehmigt", "muss"), as the import reads them; only a value the
    key allows (a milestone's status has other values)."""
    words = {"status": STATUS_WORDS, "decision": DECISION_WORDS}.get(name)
    meant = words.get(fold(value)) if words is not None and isinstance(value, str) else None
    if meant is None or meant not in allowed:
        return ""
    return say("suggestion", " (did you mean {name}?)", name=repr(meant))


_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})")


def _iso_hint(value: Any) -> str:
    """``; write 2027-12-31`` for a date written the German way ("31.12.2027")."""
    found = _GERMAN_DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    if found is None:
        return ""
    day, month, year = (int(part) for part in found.groups())
    year += 2000 if year < 100 else 0
    try:
        iso = dt.date(year, month, day).isoformat()
    except ValueError:
        return ""
    return say("schema", "; write {iso}", iso=iso)


def _either(kinds: list[str]) -> str:
    """``number or text``: the kinds a value may have, the last joined by "or"."""
    wanted = kinds[0]
    for other in kinds[1:]:
        wanted = say("schema-kind", "{one} or {other}", one=wanted, other=other)
    return wanted


def _clean_loc(loc: tuple[Any, ...]) -> tuple[PathPart, ...]:
    """Drop pydantic's union-member and validator names from an error location."""
    return tuple(p for p in loc if isinstance(p, int) or not ("[" in p or p in _UNION_PARTS))


_UNION_PARTS = {
    "float",
    "int",
    "str",
    "bool",
    "list",
    "dict",
    "OpenSource",
    "date",
    "function-before",
}


def schema_findings(file: str, model: type[BaseModel], error: ValidationError) -> list[Finding]:
    """Pydantic errors → findings whose messages say what would be right."""
    by_path: dict[tuple[PathPart, ...], list[Any]] = {}
    for err in error.errors(include_url=False):
        by_path.setdefault(_clean_loc(err["loc"]), []).append(err)
    return [_finding(file, model, path, errs) for path, errs in by_path.items()]


_SIGNS = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}


def _date_message(kind: str, where: str, context: dict[str, Any], english: str, given: Any) -> str:
    """The model's date errors (model/base.py) in the catalogs' words."""
    value = str(context.get("value", ""))
    if kind == "impossible_date":
        return say(
            "schema",
            "{where}: {value} is not a date of the calendar (check month and day)",
            where=where,
            value=value,
        )
    if kind == "dpia_format":
        return say(
            "schema",
            "{where}: expected the date of the assessment (YYYY-MM-DD) or a link (https://…), "
            "got {value}",
            where=where,
            value=value,
        )
    if "value" in context:
        return say(
            "schema",
            "{where}: expected an ISO date YYYY-MM-DD such as 2026-12-31, got {value}{hint}",
            where=where,
            value=value,
            hint=_iso_hint(given),
        )
    if english == "expected a date YYYY-MM-DD without a time":
        return say("schema", "{where}: expected a date YYYY-MM-DD without a time", where=where)
    return f"{where}: {english}"


def _finding(
    file: str, model: type[BaseModel], path: tuple[PathPart, ...], errs: list[Any]
) -> Finding:
    """One finding for the pydantic errors at one path. A little over 60 lines because
    it is one flat chain of cases, one per kind of error pydantic reports, each with
    its message: split up, the cases would only be harder to compare."""
    err = errs[0]
    kind, value = err["type"], err.get("input")
    context = err.get("ctx") or {}
    name = str(path[-1]) if path else "file"
    where = ".".join(str(p) for p in path) or "file"
    code, at_key = "invalid-value", False
    message: str
    if kind == "extra_forbidden":
        allowed = allowed_keys(model, path[:-1])
        hint = did_you_mean(name, allowed) or (
            say("schema", "; allowed: {keys}", keys=", ".join(allowed)) if allowed else ""
        )
        code, at_key = "unknown-key", True
        message = say("schema", "unknown key {name}{hint}", name=repr(name), hint=hint)
    elif kind == "missing":
        code, message = "missing-key", say("schema", "missing required key {name}", name=repr(name))
    elif kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", context.get("expected", ""))
        message = say(
            "schema",
            "{where}: {value} is not allowed{hint}; use one of: {allowed}",
            where=where,
            value=repr(value),
            hint=_meant(name, value, allowed) or did_you_mean(str(value), allowed),
            allowed=", ".join(allowed),
        )
    elif kind == "string_pattern_mismatch":
        code = "invalid-id"
        if context.get("pattern") == PROJECT_ID_PATTERN:
            rule = say("schema", "lower-case letters, digits and hyphens, 2–64 characters")
        elif context.get("pattern") == KEY_ID_PATTERN:
            rule = say("schema", "lower-case letters, digits, '_' and '-', up to 64 characters")
        else:
            rule = say("schema", "text matching {pattern}", pattern=str(context.get("pattern")))
        message = say(
            "schema",
            "{where}: {value} is not a valid id; use {rule}, e.g. 'e-akte'",
            where=where,
            value=repr(value),
            rule=rule,
        )
    elif kind in ("impossible_date", "date_format", "dpia_format"):
        code, message = "invalid-date", _date_message(kind, where, context, err["msg"], value)
    elif kind == "finite_number":
        message = say(
            "schema",
            "{where}: {value} is not a finite number; write a plain number",
            where=where,
            value=repr(value),
        )
    elif kind in _SIGNS:
        message = say(
            "schema",
            "{where}: must be {sign} {bound}, got {value}",
            where=where,
            sign=_SIGNS[kind],
            bound=str(next(iter(context.values()), "")),
            value=repr(value),
        )
    elif kind == "too_long" and name == "measurements":
        count = f"{len(value):,}" if isinstance(value, list) else "too many"
        code = "too-many-measurements"
        message = (
            f"{where}: {count} measurements, more than the {MAX_MEASUREMENTS:,} one "
            "KPI may hold; aggregate old values (e.g. monthly) or keep them in a "
            "linked document"
        )
    elif kind in ("too_short", "too_long"):
        message = f"{where}: {err['msg'].lower()}"
    elif kind == "string_too_short":
        message = say("schema", "{where}: must not be empty", where=where)
    elif all(e["type"] in _KIND for e in errs):
        code = "wrong-type"
        wanted = _either(list(dict.fromkeys(_KIND[e["type"]] for e in errs)))
        message = say(
            "schema",
            "{where}: expected {wanted}, got {given}{hint}",
            where=where,
            wanted=wanted,
            given=_describe(value),
            hint=_plain_number_hint(value) if "float_type" in {e["type"] for e in errs} else "",
        )
    else:
        message = f"{where}: {err['msg']}"
    return Finding(file, path, Severity.ERROR, code, message, at_key)


# --------------------------------------------------------------------------- files


@dataclass
class FileResult:
    """What one file gives on its own: its model (if valid) and its problems."""

    model: Any
    problems: list[RawProblem]
    # For an invalid file: a model of the keys that are valid, so that references in
    # it are still checked in the same run. Never used for analysis.
    partial: Any = None
    # the plain data the models were validated from: what the cache keeps
    source: dict[str, Any] | None = None
    partial_source: dict[str, Any] | None = None
    # the top-level keys the partial model leaves out because their values are invalid
    invalid: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.partial, Project):
            self.partial.leaving_out(self.invalid)

    def cached(self) -> dict[str, Any] | None:
        """Plain JSON data for the cache; None when the data would not survive JSON
        unchanged (a key that is not text)."""
        if not (_plain(self.source) and _plain(self.partial_source)):
            return None
        try:
            problems = [
                # a message known by code and parameters stays one (worded per language)
                [p.line, p.column, p.severity.value, p.code, encode_value(p.message)]
                for p in self.problems
            ]
        except TypeError:  # a parameter the cache cannot hold as data
            return None
        return {
            "model": self.source,
            "partial": self.partial_source,
            "invalid": list(self.invalid),
            "problems": problems,
        }

    @classmethod
    def from_cache(cls, entry: Any, model: type[BaseModel]) -> FileResult | None:
        """The result again, validated from the cached data like a fresh file; None for
        an entry that does not have the shape this version writes."""
        try:
            source, partial_source = entry["model"], entry["partial"]
            invalid = tuple(str(key) for key in entry["invalid"])
            problems = [
                RawProblem(int(line), int(column), Severity(severity), str(code), _message(message))
                for line, column, severity, code, message in entry["problems"]
            ]
            built = model.model_validate(source) if source is not None else None
            partial = model.model_validate(partial_source) if partial_source is not None else None
        except (TypeError, ValueError, KeyError, IndexError):  # ValidationError: a ValueError
            return None
        if (built is None) == (not any(p.severity is Severity.ERROR for p in problems)):
            return None  # a valid model with errors, or neither: not ours
        return cls(built, problems, partial, source, partial_source, invalid)


def _message(cached: Any) -> str:
    """A cached message: text, or a message known by code and parameters."""
    message = decode_value(cached)
    if not isinstance(message, str):
        raise ValueError("not a message")
    return message


def _plain(value: Any) -> bool:
    """True if JSON gives ``value`` back unchanged: text keys all the way down."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return True


def load_document(text: str, file: str, model: type[BaseModel], stem: str | None) -> FileResult:
    """One file's text → its model (or partial model) and its located problems; ``stem``
    is a project file's name, which its id must equal."""
    data, node, problem = parse(text)
    if problem is not None:
        return FileResult(None, [problem])
    if data is None:
        return _stopped(1, 1, "file-empty", "file is empty; it must hold a mapping of keys")
    if not isinstance(data, dict):
        line, column = locate(node, ())
        return _stopped(
            line,
            column,
            "not-a-mapping",
            f"the top level is {_describe(data)}; it must be a mapping of keys such as 'title: …'",
        )
    declared = data.get("id") if isinstance(data.get("id"), str) else None
    findings: list[Finding] = []
    result = partial = None
    source: dict[str, Any] | None = data
    partial_source = None
    invalid: tuple[str, ...] = ()
    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        findings = schema_findings(file, model, exc)
        partial, partial_source, invalid = _partial(model, data, exc, stem)
        source = None
    if stem is not None and declared is not None and declared != stem:
        findings.append(
            Finding(
                file,
                ("id",),
                Severity.ERROR,
                "id-mismatch",
                f"id {declared!r} differs from the file name; rename the file to "
                f"{declared}.yaml or set id: {stem}",
            )
        )
        result = source = None
    problems = []
    for f in findings:
        line, column = locate(node, f.path, f.at_key)
        problems.append(RawProblem(line, column, f.severity, f.code, f.message))
    return FileResult(result, problems, partial, source, partial_source, invalid)


def _stopped(line: int, column: int, code: str, message: str) -> FileResult:
    return FileResult(None, [RawProblem(line, column, Severity.ERROR, code, message)])


_PLACEHOLDERS = {"title": "?", "organization": "?"}


def _partial(
    model: type[BaseModel], data: dict[Any, Any], error: ValidationError, stem: str | None
) -> tuple[Any, dict[str, Any] | None, tuple[str, ...]]:
    """The model of ``data`` without the top-level keys that have errors, the data it
    was built from, and those keys; or (None, None, ())."""
    bad = {err["loc"][0] for err in error.errors() if err["loc"]}
    invalid = tuple(sorted(str(key) for key in bad if key in data))
    kept = {k: v for k, v in data.items() if k not in bad}
    for key, placeholder in _PLACEHOLDERS.items():
        if key in model.model_fields and key not in kept:
            kept[key] = placeholder
    if stem is not None and "id" not in kept:
        kept["id"] = stem
    try:
        return model.model_validate(kept), kept, invalid
    except ValidationError:
        return None, None, ()


def load_project_text(text: str, file: str, stem: str) -> FileResult:
    return load_document(text, file, Project, stem)


def load_strategy_text(text: str, file: str) -> FileResult:
    return load_document(text, file, Strategy, None)


def load_model_text(text: str, file: str, model: type[BaseModel]) -> FileResult:
    """A further kind of file (a rater's file) by the same YAML and schema rules as the
    portfolio's files."""
    return load_document(text, file, model, None)
