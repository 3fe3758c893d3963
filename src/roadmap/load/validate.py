"""YAML values → pydantic models, with pydantic's errors turned into located problems
whose messages say what would be right."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Finding, PathPart, Severity
from ..model import (
    KEY_ID_PATTERN,
    MAX_MEASUREMENTS,
    PROJECT_ID_PATTERN,
    Project,
    Strategy,
    allowed_keys,
)
from .files import RawProblem
from .suggest import did_you_mean
from .syntax import locate, parse

# --------------------------------------------------------------------------- schema messages

_KIND = {
    "string_type": "text",
    "float_type": "number",
    "int_type": "whole number",
    "int_from_float": "whole number",
    "bool_type": "true or false",
    "list_type": "list",
    "dict_type": "mapping",
    "model_type": "mapping",
    "model_attributes_type": "mapping",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, (int, float)):
        return f"{value!r} (a number)"
    if isinstance(value, str):
        return f"{value!r} (text)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


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


def _finding(
    file: str, model: type[BaseModel], path: tuple[PathPart, ...], errs: list[Any]
) -> Finding:
    """One finding for the pydantic errors at one path. A little over 60 lines because
    it is one flat chain of cases, one per kind of error pydantic reports, each with
    its message: split up, the cases would only be harder to compare."""
    err = errs[0]
    kind, value = err["type"], err.get("input")
    name = str(path[-1]) if path else "file"
    where = ".".join(str(p) for p in path) or "file"
    code, at_key = "invalid-value", False
    if kind == "extra_forbidden":
        allowed = allowed_keys(model, path[:-1])
        hint = did_you_mean(name, allowed) or (
            f"; allowed: {', '.join(allowed)}" if allowed else ""
        )
        code, at_key, message = "unknown-key", True, f"unknown key {name!r}{hint}"
    elif kind == "missing":
        code, message = "missing-key", f"missing required key {name!r}"
    elif kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", err.get("ctx", {}).get("expected", ""))
        hint = did_you_mean(str(value), allowed)
        message = f"{where}: {value!r} is not allowed{hint}; use one of: {', '.join(allowed)}"
    elif kind == "string_pattern_mismatch":
        code = "invalid-id"
        if err.get("ctx", {}).get("pattern") == PROJECT_ID_PATTERN:
            rule = "lower-case letters, digits and hyphens, 2–64 characters"
        elif err.get("ctx", {}).get("pattern") == KEY_ID_PATTERN:
            rule = "lower-case letters, digits, '_' and '-', up to 64 characters"
        else:
            rule = f"text matching {err['ctx']['pattern']}"
        message = f"{where}: {value!r} is not a valid id; use {rule}, e.g. 'e-akte'"
    elif kind in ("impossible_date", "date_format", "dpia_format"):
        code, message = "invalid-date", f"{where}: {err['msg']}"
    elif kind == "finite_number":
        message = f"{where}: {value!r} is not a finite number; write a plain number"
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {
            "greater_than_equal": "≥",
            "greater_than": ">",
            "less_than_equal": "≤",
            "less_than": "<",
        }[kind]
        bound = next(iter(err.get("ctx", {}).values()), "")
        message = f"{where}: must be {sign} {bound}, got {value!r}"
    elif kind == "too_long" and name == "measurements":
        count = len(value) if isinstance(value, list) else "too many"
        code = "too-many-measurements"
        message = (
            f"{where}: {count:,} measurements, more than the {MAX_MEASUREMENTS:,} one "
            "KPI may hold; aggregate old values (e.g. monthly) or keep them in a "
            "linked document"
        )
    elif kind in ("too_short", "too_long"):
        message = f"{where}: {err['msg'].lower()}"
    elif kind == "string_too_short":
        message = f"{where}: must not be empty"
    elif all(e["type"] in _KIND for e in errs):
        code = "wrong-type"
        wanted = " or ".join(dict.fromkeys(_KIND[e["type"]] for e in errs))
        message = f"{where}: expected {wanted}, got {_describe(value)}"
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

    def cached(self) -> dict[str, Any] | None:
        """Plain JSON data for the cache; None when the data would not survive JSON
        unchanged (a key that is not text)."""
        if not (_plain(self.source) and _plain(self.partial_source)):
            return None
        return {
            "model": self.source,
            "partial": self.partial_source,
            "problems": [
                [p.line, p.column, p.severity.value, p.code, p.message] for p in self.problems
            ],
        }

    @classmethod
    def from_cache(cls, entry: Any, model: type[BaseModel]) -> FileResult | None:
        """The result again, validated from the cached data like a fresh file; None for
        an entry that does not have the shape this version writes."""
        try:
            source, partial_source = entry["model"], entry["partial"]
            problems = [
                RawProblem(int(line), int(column), Severity(severity), str(code), str(message))
                for line, column, severity, code, message in entry["problems"]
            ]
            built = model.model_validate(source) if source is not None else None
            partial = model.model_validate(partial_source) if partial_source is not None else None
        except (TypeError, ValueError, KeyError):  # ValidationError is a ValueError
            return None
        if (built is None) == (not any(p.severity is Severity.ERROR for p in problems)):
            return None  # a valid model with errors, or neither: not ours
        return cls(built, problems, partial, source, partial_source)


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
    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        findings = schema_findings(file, model, exc)
        partial, partial_source = _partial(model, data, exc, stem)
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
    return FileResult(result, problems, partial, source, partial_source)


def _stopped(line: int, column: int, code: str, message: str) -> FileResult:
    return FileResult(None, [RawProblem(line, column, Severity.ERROR, code, message)])


_PLACEHOLDERS = {"title": "?", "organization": "?"}


def _partial(
    model: type[BaseModel], data: dict[Any, Any], error: ValidationError, stem: str | None
) -> tuple[Any, dict[str, Any] | None]:
    """The model of ``data`` without the top-level keys that have errors and the data
    it was built from, or (None, None)."""
    bad = {err["loc"][0] for err in error.errors() if err["loc"]}
    kept = {k: v for k, v in data.items() if k not in bad}
    for key, placeholder in _PLACEHOLDERS.items():
        if key in model.model_fields and key not in kept:
            kept[key] = placeholder
    if stem is not None and "id" not in kept:
        kept["id"] = stem
    try:
        return model.model_validate(kept), kept
    except ValidationError:
        return None, None


def load_project_text(text: str, file: str, stem: str) -> FileResult:
    return load_document(text, file, Project, stem)


def load_strategy_text(text: str, file: str) -> FileResult:
    return load_document(text, file, Strategy, None)


def load_model_text(text: str, file: str, model: type[BaseModel]) -> FileResult:
    """A further kind of file (a rater's file) by the same YAML and schema rules as the
    portfolio's files."""
    return load_document(text, file, model, None)
