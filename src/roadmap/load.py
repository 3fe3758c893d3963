"""Files → YAML → models, with every problem located by file, line and column.

The only module that parses YAML. Two parsers, for two jobs:

* the fast path composes the document with libyaml (PyYAML's C parser) under a
  YAML 1.2 core-schema resolver and builds plain Python values itself, checking
  duplicate keys, tags, nesting depth and alias expansion on the way;
* positions are needed only where there is a problem, so a file is composed again
  and its node tree walked just for the problems found in it.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import difflib
import errno
import gc
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from . import measurement_rows
from .cache import Cache, default_cache_dir
from .errors import Finding, PathPart, Problem, Severity, UsageError
from .model import (
    KEY_ID_PATTERN,
    MAX_MEASUREMENTS,
    PROJECT_ID_PATTERN,
    Portfolio,
    Project,
    Strategy,
    allowed_keys,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 100_000  # nodes repeated through aliases; stops "billion laughs"
MAX_INT_DIGITS = 100  # Python refuses to convert more than 4,300; no amount needs 100
# KPI values of all projects together: about 1 KiB of memory each once validated, so
# this keeps them under 200 MiB (300 projects with 3 monthly KPIs for 10 years: 108,000)
MAX_PORTFOLIO_MEASUREMENTS = 200_000
MAX_READ_ATTEMPTS = 3  # a file that keeps changing while read is reported, not retried forever

__all__ = ["Cache", "default_cache_dir"]  # the cache moved to cache.py; kept importable here
_DEPTH_SCAN_ABOVE = 16_384  # below this many characters libyaml cannot nest deep enough to crash

# --------------------------------------------------------------------------- YAML 1.2


class _Resolver12(yaml.resolver.BaseResolver):
    """YAML 1.2 core schema: ``no``/``on`` stay strings, no timestamps, no sexagesimals."""


for _tag, _pattern, _first in [
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
]:
    _Resolver12.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), _first)


try:  # libyaml, the C parser; PyYAML's wheels ship it
    from yaml._yaml import CParser as _Parser

    class _Composer(_Parser, _Resolver12):
        def __init__(self, text: str) -> None:
            _Parser.__init__(self, text)
            _Resolver12.__init__(self)

except ImportError:  # pragma: no cover - pure-Python fallback, same behaviour, slower

    class _Composer(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _Resolver12,
    ):
        def __init__(self, text: str) -> None:
            yaml.reader.Reader.__init__(self, text)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Resolver12.__init__(self)


_TAG = "tag:yaml.org,2002:"


@dataclass
class RawProblem:
    """A problem inside one file before it knows the file's display name."""

    line: int
    column: int
    severity: Severity
    code: str
    message: str

    def located(self, file: str) -> Problem:
        return Problem(file, self.line, self.column, self.severity, self.code, self.message)


def _at(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _error(mark: Any, code: str, message: str) -> RawProblem:
    line, column = _at(mark)
    return RawProblem(line, column, Severity.ERROR, code, message)


class _YamlProblem(Exception):
    def __init__(self, problem: RawProblem) -> None:
        self.problem = problem


def decode(data: bytes) -> tuple[str | None, RawProblem | None]:
    """Bytes → text. UTF-8 only (with or without BOM); NUL bytes mean a binary file."""
    if len(data) > MAX_FILE_BYTES:
        return None, RawProblem(
            1,
            1,
            Severity.ERROR,
            "file-too-large",
            f"file is {len(data) / 1048576:.1f} MiB; a portfolio file must be under "
            f"{MAX_FILE_BYTES // 1048576} MiB (keep long texts in linked documents)",
        )
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, RawProblem(
            line,
            1,
            Severity.ERROR,
            "file-encoding",
            "file contains NUL bytes: it is binary, not a YAML text file",
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, RawProblem(
            line,
            column,
            Severity.ERROR,
            "file-encoding",
            f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8",
        )


class _Mark:
    """A 0-based position, as PyYAML's marks give it."""

    def __init__(self, text: str, index: int) -> None:
        self.line = text.count("\n", 0, index)
        self.column = index - (text.rfind("\n", 0, index) + 1)


_FLOW_SIGNIFICANT = re.compile(r"""[\[\]{}'"#\n]""")


def _flow_depth_exceeded(text: str) -> _Mark | None:
    """Where flow nesting (`[`, `{`) first passes MAX_DEPTH, outside quotes and comments.

    libyaml's scanner reads a whole run of flow openers ahead before it yields a single
    event, and newer releases stop it at their own limit with a syntax error, so flow
    depth is counted here, independently of which libyaml is installed."""
    depth = 0
    position = 0
    for match in _FLOW_SIGNIFICANT.finditer(text):
        index = match.start()
        if index < position:
            continue
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _Mark(text, index)
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char == "#":
            if index == 0 or text[index - 1] in " \t\n":
                end = text.find("\n", index)
                position = len(text) if end < 0 else end
        elif char == "'":
            end = index + 1
            while True:
                end = text.find("'", end)
                if end < 0 or text[end + 1 : end + 2] != "'":
                    break
                end += 2
            position = len(text) if end < 0 else end + 1
        elif char == '"':
            end = index + 1
            while True:
                end = text.find('"', end)
                if end < 0:
                    break
                before = end
                while before > index and text[before - 1] == "\\":
                    before -= 1
                if (end - before) % 2 == 0:
                    break
                end += 1
            position = len(text) if end < 0 else end + 1
    return None


_LINE_START = re.compile(r"^( *)((?:[-?][ \t]+)*)", re.M)


def _block_depth_bound(text: str) -> int:
    """An upper bound of block nesting, from indentation alone: a block collection
    nested on a new line is indented further, except a list under a key, whose items
    are indented again; on one line only `- ` and `? ` (and one mapping) open levels.
    Scanning events is the exact answer, but costs as much as parsing."""
    widest = 0
    for match in _LINE_START.finditer(text):
        markers = match.group(2)
        width = len(match.group(1)) + markers.count("-") + markers.count("?")
        widest = max(widest, width)
    return 2 * (widest + 1) + 3


def _max_depth_exceeded(text: str) -> Any:
    """The mark where nesting first passes MAX_DEPTH: flow nesting by our own count,
    block nesting by scanning events (no recursion).

    A syntax error after that point does not matter: the depth is what is wrong first.
    A syntax error before it ends the scan with None."""
    flow = _flow_depth_exceeded(text)
    if flow is not None:
        return flow
    if _block_depth_bound(text) <= MAX_DEPTH:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Composer):  # type: ignore[arg-type]
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def _too_deep(mark: Any) -> _YamlProblem:
    return _YamlProblem(
        _error(
            mark,
            "yaml-too-deep",
            f"nesting deeper than {MAX_DEPTH} levels; portfolio files need a handful",
        )
    )


def compose(text: str) -> Any:
    """Text → libyaml node tree (or None for an empty document). Raises _YamlProblem."""
    try:
        # libyaml's composer recurses in C and crashes on very deep nesting: look first.
        if len(text) > _DEPTH_SCAN_ABOVE:
            mark = _max_depth_exceeded(text)
            if mark is not None:
                raise _too_deep(mark)
        return _Composer(text).get_single_node()
    except yaml.MarkedYAMLError as exc:
        # libyaml's own nesting limit (1,000 levels in newer releases) speaks first on
        # small files; our limit is far lower, so look for it before naming the error.
        deep = _max_depth_exceeded(text)
        if deep is not None:
            raise _too_deep(deep) from None
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(m) for m in (exc.context, exc.problem) if m)
        if mark is not None and text[mark.index : mark.index + 1] == "\t":
            message += " (a tab; indent with spaces, not tabs)"
        raise _YamlProblem(_error(mark, "yaml-syntax", f"invalid YAML: {message}")) from None
    except yaml.YAMLError as exc:
        raise _YamlProblem(_error(None, "yaml-syntax", f"invalid YAML: {exc}")) from None


def _scalar(node: Any) -> Any:
    tag, value = node.tag, node.value
    if not tag.startswith(_TAG):
        raise _YamlProblem(
            _error(node.start_mark, "yaml-tag", f"unsupported tag {tag}; write a plain value")
        )
    kind = tag[len(_TAG) :]
    if kind == "str":
        return value
    if kind == "null":
        return None
    if kind == "bool":
        return value.lower() == "true"
    if kind == "int":
        if len(value) > MAX_INT_DIGITS:
            raise _YamlProblem(
                _error(
                    node.start_mark,
                    "number-too-large",
                    f"a number with {len(value):,} digits; write at most {MAX_INT_DIGITS} "
                    "digits (or quote it if it is an identifier)",
                )
            )
        if value.startswith("0o"):
            return int(value[2:], 8)
        if value.startswith("0x"):
            return int(value[2:], 16)
        return int(value, 10)
    if kind == "float":
        lowered = value.lower().lstrip("+")
        if lowered in (".inf", "-.inf", ".nan"):
            return float(lowered.replace(".", ""))
        return float(value)
    raise _YamlProblem(
        _error(node.start_mark, "yaml-tag", f"unsupported type !!{kind}; write a plain value")
    )


def _shown_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


_COLLECTION_TAGS = {f"{_TAG}seq", f"{_TAG}map"}


def construct(root: Any) -> Any:
    """Node tree → plain dicts, lists and scalars, checking keys, tags, depth and alias
    expansion. Only values reached again through an alias count against MAX_VALUES: a
    big file without aliases is bounded by MAX_FILE_BYTES already."""
    return _Builder().build(root, 1)


class _Builder:
    """The state of one construct(); a class, not a recursive closure, because a
    closure that calls itself is a reference cycle the paused collector would keep."""

    def __init__(self) -> None:
        self.budget = MAX_VALUES
        self.built: set[int] = set()  # collection nodes seen; a second visit is an alias

    def build(self, node: Any, depth: int, repeated: bool = False) -> Any:
        if not repeated and not isinstance(node, yaml.ScalarNode):
            if id(node) in self.built:
                repeated = True
            else:
                self.built.add(id(node))
        if repeated:
            self.budget -= 1
        if self.budget < 0:
            raise _YamlProblem(
                _error(
                    node.start_mark,
                    "yaml-alias-bomb",
                    f"aliases expand this file to more than {MAX_VALUES:,} values; "
                    "write the values out instead of nesting aliases",
                )
            )
        if depth > MAX_DEPTH:
            raise _YamlProblem(
                _error(
                    node.start_mark,
                    "yaml-too-deep",
                    f"nesting deeper than {MAX_DEPTH} levels; portfolio files need a handful",
                )
            )
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if node.tag not in _COLLECTION_TAGS:
            raise _YamlProblem(
                _error(
                    node.start_mark,
                    "yaml-tag",
                    f"unsupported tag {_shown_tag(node.tag)}; write a plain list or mapping",
                )
            )
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, depth + 1, repeated) for item in node.value]
        result: dict[Any, Any] = {}
        first_seen: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _YamlProblem(
                    _error(
                        key_node.start_mark,
                        "yaml-key",
                        "a key must be a plain name, not a list or mapping",
                    )
                )
            key = _scalar(key_node)
            if key == "<<" and not key_node.style:
                raise _YamlProblem(
                    _error(
                        key_node.start_mark,
                        "yaml-merge-key",
                        "merge keys (<<) are not part of YAML 1.2; write the keys out",
                    )
                )
            if key in first_seen:
                line = first_seen[key].line + 1
                raise _YamlProblem(
                    _error(
                        key_node.start_mark,
                        "yaml-duplicate-key",
                        f"duplicate key {key!r} (first given on line {line}); keep one of them",
                    )
                )
            first_seen[key] = key_node.start_mark
            result[key] = self.build(value_node, depth + 1, repeated)
        return result


def parse(text: str) -> tuple[Any, Any, RawProblem | None]:
    """Text → (value, node tree, problem). Never raises for bad input."""
    fast = _parse_rows(text)
    if fast is not None:
        return fast
    try:
        node = compose(text)
        if node is None:
            return None, None, None
        return construct(node), node, None
    except _YamlProblem as exc:
        return None, None, exc.problem


def _parse_rows(text: str) -> tuple[Any, Any, None] | None:
    """``parse`` with long runs of one-line KPI measurements read by measurement_rows
    (the same data, located in the same places, many times faster); None when the text
    has none or the fast reading is given up, so the parser reads it all."""
    collapsed = measurement_rows.collapse(text)
    if collapsed is None:
        return None
    try:
        node = compose(collapsed.text)
        data = construct(node) if node is not None else None
    except _YamlProblem:
        return None  # parsed again as written, so the problem is located there
    expanded = isinstance(data, dict) and measurement_rows.expand(
        collapsed, data, MAX_DEPTH, MAX_MEASUREMENTS
    )
    if not expanded:
        return None
    collapsed.node = node
    return data, collapsed, None


def locate(node: Any, path: Iterable[PathPart], at_key: bool = False) -> tuple[int, int]:
    """Line and column of the value (or key) at ``path``; the nearest existing parent if
    the path does not exist (a missing key is reported at its mapping). Path parts that
    are not keys (pydantic's union member names) are skipped."""
    if isinstance(node, measurement_rows.Collapsed):
        return measurement_rows.locate(node, list(path), at_key, locate)
    if node is None:
        return 1, 1
    mark = node.start_mark
    current = node
    for part in path:
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                    mark = key_node.start_mark if at_key else value_node.start_mark
                    current = value_node
                    break
            else:
                continue
        elif (
            isinstance(current, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(current.value)
        ):
            current = current.value[part]
            mark = current.start_mark
        # a scalar has no children: stay at it
    return _at(mark)


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


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or nothing."""
    return Suggester(choices)(word)


class Suggester:
    """ "Did you mean" over a fixed set of choices, for many words.

    Few choices: difflib over all of them. Many (project ids): an index of character
    trigrams picks the choices that share the word's rarer trigrams, and difflib ranks
    only those, so 2,000 misspelt ids among 30,000 cost milliseconds, not minutes. The
    pick is the one difflib.get_close_matches would make among the candidates (highest
    ratio, ties to the greater id)."""

    SCAN_ALL_BELOW = 400  # choices; up to this many difflib is fast enough
    CANDIDATES = 16  # choices ranked by difflib per word
    COMMON = 2_000  # a trigram in more choices than this says little

    def __init__(self, choices: Iterable[str]) -> None:
        self.choices = sorted(set(choices))
        self._index: dict[str, list[int]] | None = None

    def __call__(self, word: str) -> str:
        match = self.best(word)
        return f" (did you mean {match!r}?)" if match else ""

    def best(self, word: str) -> str | None:
        if len(self.choices) <= self.SCAN_ALL_BELOW:
            found = difflib.get_close_matches(word, self.choices, n=1, cutoff=0.6)
            return found[0] if found else None
        return self._best_indexed(word)

    @staticmethod
    def _trigrams(text: str) -> set[str]:
        padded = f"^{text}$"
        return {padded[i : i + 3] for i in range(len(padded) - 2)}

    def _best_indexed(self, word: str) -> str | None:
        if self._index is None:
            self._index = {}
            for number, choice in enumerate(self.choices):
                for gram in self._trigrams(choice):
                    self._index.setdefault(gram, []).append(number)
        postings = sorted((self._index.get(gram, []) for gram in self._trigrams(word)), key=len)
        # the rarer trigrams always; common ones only while few have been used
        hits: collections.Counter[int] = collections.Counter()
        for used, posting in enumerate(postings):
            if used >= 3 and len(posting) > self.COMMON:
                break
            hits.update(posting)
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)
        best: tuple[float, str] | None = None
        for number, _ in hits.most_common(self.CANDIDATES):
            choice = self.choices[number]
            matcher.set_seq1(choice)
            if (
                matcher.real_quick_ratio() >= 0.6
                and matcher.quick_ratio() >= 0.6
                and (ratio := matcher.ratio()) >= 0.6
                and (best is None or (ratio, choice) > best)
            ):
                best = (ratio, choice)
        return best[1] if best else None


def schema_findings(file: str, model: type[BaseModel], error: ValidationError) -> list[Finding]:
    """Pydantic errors → findings whose messages say what would be right."""
    by_path: dict[tuple[PathPart, ...], list[Any]] = {}
    for err in error.errors(include_url=False):
        by_path.setdefault(_clean_loc(err["loc"]), []).append(err)
    findings = []
    for path, errs in by_path.items():
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
        findings.append(Finding(file, path, Severity.ERROR, code, message, at_key))
    return findings


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


def _load_document(text: str, file: str, model: type[BaseModel], stem: str | None) -> FileResult:
    data, node, problem = parse(text)
    if problem is not None:
        return FileResult(None, [problem])
    if data is None:
        return FileResult(
            None,
            [
                RawProblem(
                    1,
                    1,
                    Severity.ERROR,
                    "file-empty",
                    "file is empty; it must hold a mapping of keys",
                )
            ],
        )
    if not isinstance(data, dict):
        line, column = locate(node, ())
        return FileResult(
            None,
            [
                RawProblem(
                    line,
                    column,
                    Severity.ERROR,
                    "not-a-mapping",
                    f"the top level is {_describe(data)}; it must be a mapping of keys "
                    "such as 'title: …'",
                )
            ],
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
    return _load_document(text, file, Project, stem)


def load_strategy_text(text: str, file: str) -> FileResult:
    return _load_document(text, file, Strategy, None)


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path.absolute()) if relative.startswith("..") else relative


# --------------------------------------------------------------------------- portfolio


@dataclass
class LoadResult:
    portfolio: Portfolio | None
    problems: list[Problem]
    known_ids: set[str] = field(default_factory=set)  # every project file, valid or not
    # id → (partial model, file) of invalid project files, for reference checks
    partials: dict[str, tuple[Project, str]] = field(default_factory=dict)
    # every file's content key and the working directory (problems name files
    # relative to it): what the checks across files depend on
    content_key: str = ""
    cache: Cache | None = None


def _unreadable(code: str, message: str) -> tuple[None, RawProblem]:
    return None, RawProblem(1, 1, Severity.ERROR, code, message)


_KINDS = [
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
]


def _not_regular(mode: int) -> str | None:
    """What a non-regular file is, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _read(path: Path, data_root: Path) -> tuple[bytes | None, RawProblem | None]:
    """The bytes of a regular file, or the problem that stops it being read. Nothing
    but a regular file is ever opened (a FIFO would block, a device never ends), and a
    file that changes while it is read is read again."""
    try:
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except FileNotFoundError:
                return _unreadable(
                    "symlink-broken",
                    f"file is a link to {os.readlink(path)}, which does not exist; "
                    "remove the link or copy the file in",
                )
            except RuntimeError:  # Python < 3.13 raises this for a loop
                return _unreadable(
                    "symlink-broken", "file is a link that points back to itself; remove it"
                )
            if not target.is_relative_to(data_root.resolve()):
                return _unreadable(
                    "symlink-outside",
                    f"file is a link to {target}, outside the data folder; copy the file "
                    "in instead",
                )
        before = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a loop of links (Python 3.13 raises OSError)
            return _unreadable(
                "symlink-broken", "file is a link that points back to itself; remove it"
            )
        return _unreadable("file-unreadable", f"cannot read file: {exc.strerror}")
    kind = _not_regular(before.st_mode)
    if kind is not None:
        return _unreadable(
            "not-a-file",
            f"this is {kind}, not a regular file; a portfolio file must be a YAML text file "
            "(rename or remove it)",
        )
    for _ in range(MAX_READ_ATTEMPTS):
        if before.st_size > MAX_FILE_BYTES:
            return _unreadable("file-too-large", _too_large(before.st_size))
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            try:
                opened = os.fstat(fd)
                kind = _not_regular(opened.st_mode)
                if kind is not None:  # swapped for something else since the check
                    return _unreadable(
                        "not-a-file", f"this is {kind}, not a regular file; rename or remove it"
                    )
                with os.fdopen(fd, "rb", closefd=False) as fh:
                    data = fh.read(MAX_FILE_BYTES + 1)
                after = os.fstat(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            return _unreadable("file-unreadable", f"cannot read file: {exc.strerror}")
        if len(data) > MAX_FILE_BYTES:
            return _unreadable("file-too-large", _too_large(max(after.st_size, len(data))))
        if _same_version(opened, after) and after.st_size == len(data):
            return data, None
        before = after
    return _unreadable(
        "file-changed",
        "the file changed while it was read; run again once it is saved",
    )


def _same_version(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_ino, a.st_size, a.st_mtime_ns, a.st_ctime_ns) == (
        b.st_ino,
        b.st_size,
        b.st_mtime_ns,
        b.st_ctime_ns,
    )


def _too_large(size: int) -> str:
    return (
        f"file is {size / 1048576:.1f} MiB; a portfolio file must be under "
        f"{MAX_FILE_BYTES // 1048576} MiB (keep long texts in linked documents)"
    )


def project_files(data_dir: Path) -> list[Path]:
    """Every ``*.yaml``/``*.yml`` entry of ``projects/``, whatever kind of file it is:
    a folder or pipe with such a name is reported, not skipped."""
    folder = data_dir / "projects"
    if not folder.is_dir():
        return []
    names = sorted(  # strings, not Paths: sorting 30,000 Paths costs half a second
        entry.name
        for entry in os.scandir(folder)
        if entry.name.endswith((".yaml", ".yml")) and not entry.name.startswith(".")
    )
    return [folder / name for name in names]


def load_portfolio(
    data_dir: Path, cache_dir: Path | None = None, today: dt.date | None = None
) -> LoadResult:
    """Read ``strategy.yaml`` and every ``projects/*.yaml``; collect every problem.
    ``today`` is part of the content key (checks of dates in the future use it)."""
    with gc_paused():
        return _load_portfolio(data_dir, cache_dir, today or dt.date.today())


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: loading builds hundreds of thousands of
    objects and no cycles, and each collection rescans them all (at 30,000 projects
    this halves the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_portfolio(data_dir: Path, cache_dir: Path | None, today: dt.date) -> LoadResult:
    if not data_dir.is_dir():
        raise UsageError(
            f"data folder {display_path(data_dir)} does not exist "
            "(use --data DIR or set ROADMAP_DATA)"
        )
    strategy_path = data_dir / "strategy.yaml"
    if not os.path.lexists(strategy_path):
        raise UsageError(
            f"no strategy.yaml in {display_path(data_dir)}; is --data the "
            "portfolio folder (the one with strategy.yaml and projects/)?"
        )
    cache = Cache(cache_dir, data_dir)
    problems: list[Problem] = []
    strategy_shown = display_path(strategy_path)
    folder_shown = display_path(data_dir / "projects")  # relpath is slow: once per folder
    # What the checks across files depend on besides the files: the names they are
    # shown under (a linked data path shows other names) and today (dates in the future).
    content = hashlib.blake2b(digest_size=20)
    for part in (os.getcwd(), strategy_shown, folder_shown, today.isoformat()):
        content.update(part.encode() + b"\0")

    def run(path: Path, shown: str, kind: str, stem: str | None) -> FileResult:
        raw, read_problem = _read(path, data_dir)
        if read_problem is not None or raw is None:
            # an unreadable file, a broken link, a folder: part of the key too, so that
            # removing or fixing it never reuses what was found with it
            content.update(f"{path.name}\0{read_problem}\0".encode())
            return FileResult(None, [read_problem] if read_problem else [])
        key = Cache.key(kind, path.name, raw)
        content.update(key.encode() + b"\0")
        model = Strategy if stem is None else Project
        entry = cache.get(key)
        if entry is not None:
            hit = FileResult.from_cache(entry, model)
            if hit is not None:
                return hit
        text, decode_problem = decode(raw)
        if text is None:
            result = FileResult(None, [decode_problem] if decode_problem else [])
        elif stem is None:
            result = load_strategy_text(text, shown)
        else:
            result = load_project_text(text, shown, stem)
        cached = result.cached()
        if cached is not None:
            cache.put(key, cached)
        return result

    strategy_result = run(strategy_path, strategy_shown, "strategy", None)
    problems += [p.located(strategy_shown) for p in strategy_result.problems]

    projects: dict[str, Project] = {}
    files: dict[str, str] = {}
    known: set[str] = set()
    partials: dict[str, tuple[Project, str]] = {}
    measurements = 0
    try:
        paths = project_files(data_dir)
    except OSError as exc:
        paths = []
        problems.append(
            Problem(
                folder_shown,
                1,
                1,
                Severity.ERROR,
                "folder-unreadable",
                f"cannot list the project files: {exc.strerror}",
            )
        )
        content.update(b"folder-unreadable\0")
    for path in paths:
        shown = os.path.join(folder_shown, path.name)
        result = run(path, shown, "project", path.stem)
        problems += [p.located(shown) for p in result.problems]
        known.add(path.stem)
        project = result.model
        if project is not None and project.kpis:
            before = measurements
            measurements += sum(len(kpi.measurements) for kpi in project.kpis)
            if before > MAX_PORTFOLIO_MEASUREMENTS:
                continue  # reported once, below; not kept, so memory stays bounded
            if measurements > MAX_PORTFOLIO_MEASUREMENTS:
                line, column = _locate_in_file(path, ("kpis",), at_key=True)
                problems.append(
                    Problem(
                        shown,
                        line,
                        column,
                        Severity.ERROR,
                        "too-many-measurements",
                        f"with this file the portfolio holds more than "
                        f"{MAX_PORTFOLIO_MEASUREMENTS:,} KPI measurements, more than roadmap "
                        "keeps in memory; aggregate old values (e.g. monthly). This and "
                        "the later files with KPI values are not checked further",
                    )
                )
                continue
        if project is None:
            if result.partial is not None:
                partials[path.stem] = (result.partial, shown)
            continue
        if project.id in projects:
            line, column = _locate_in_file(path, ("id",))
            problems.append(
                Problem(
                    shown,
                    line,
                    column,
                    Severity.ERROR,
                    "duplicate-id",
                    f"project id {project.id!r} is also used by {files[project.id]}; "
                    "ids must be unique",
                )
            )
            continue
        projects[project.id] = project
        files[project.id] = shown
    cache.save()
    used_cache = cache if cache.path is not None else None
    if strategy_result.model is None:
        return LoadResult(None, problems, known, partials, content.hexdigest(), used_cache)
    portfolio = Portfolio(
        strategy=strategy_result.model,
        projects=projects,
        strategy_file=strategy_shown,
        project_files=files,
    )
    return LoadResult(portfolio, problems, known, partials, content.hexdigest(), used_cache)


def _compose_file(path: Path | str) -> Any:
    """The node tree of a file for locating problems; None if it cannot be read."""
    try:
        text, _ = decode(Path(path).read_bytes())
        if text is None:
            return None
        fast = _parse_rows(text)
        return fast[1] if fast is not None else compose(text)
    except (OSError, _YamlProblem):
        return None


def _locate_in_file(
    path: Path | str, doc_path: tuple[PathPart, ...], at_key: bool = False
) -> tuple[int, int]:
    return locate(_compose_file(path), doc_path, at_key)


def locate_findings(findings: Iterable[Finding]) -> list[Problem]:
    """Findings → problems with positions; each file with findings is composed once."""
    nodes: dict[str, Any] = {}
    problems = []
    for f in findings:
        if f.file not in nodes:
            nodes[f.file] = _compose_file(f.file)
        line, column = locate(nodes[f.file], f.path, f.at_key)
        problems.append(Problem(f.file, line, column, f.severity, f.code, f.message))
    return problems


def read_yaml_file(path: Path) -> tuple[Any, list[Problem]]:
    """A YAML file beside the portfolio (an import mapping, say), read by the same
    YAML 1.2 rules and limits as the portfolio's files; its problems located."""
    shown = display_path(path)
    raw, unreadable = _read(path, path.parent)
    if unreadable is not None or raw is None:
        stop = unreadable or RawProblem(1, 1, Severity.ERROR, "unreadable", "cannot read it")
        return None, [stop.located(shown)]
    text, undecodable = decode(raw)
    if undecodable is not None or text is None:
        stop = undecodable or RawProblem(1, 1, Severity.ERROR, "file-encoding", "not UTF-8")
        return None, [stop.located(shown)]
    value, _, syntax = parse(text)
    return value, [] if syntax is None else [syntax.located(shown)]


def read_yaml_bytes(raw: bytes, shown: str) -> tuple[Any, list[Problem]]:
    """YAML read from elsewhere than a file (standard input), by the rules and limits
    of :func:`read_yaml_file`; its problems located in ``shown``."""
    text, undecodable = decode(raw[: MAX_FILE_BYTES + 1])
    if undecodable is not None or text is None:
        stop = undecodable or RawProblem(1, 1, Severity.ERROR, "file-encoding", "not UTF-8")
        return None, [stop.located(shown)]
    value, _, syntax = parse(text)
    return value, [] if syntax is None else [syntax.located(shown)]


def load_model_text(text: str, file: str, model: type[BaseModel]) -> FileResult:
    """A further kind of file (a rater's file) by the same YAML and schema rules as the
    portfolio's files."""
    return _load_document(text, file, model, None)


def node_tree(text: str) -> Any:
    """The node tree of a text already read without problems, for ``locate``."""
    return parse(text)[1]


def load_model_file(
    path: Path, data_root: Path, shown: str, model: type[BaseModel], cache: Cache | None
) -> FileResult:
    """A further kind of file of the data folder (a rater's file) read and validated like
    the portfolio's files, through the same content-keyed cache."""
    raw, unreadable = _read(path, data_root)
    if unreadable is not None or raw is None:
        return FileResult(None, [unreadable] if unreadable else [])
    key = Cache.key(model.__name__.lower(), path.name, raw)
    entry = cache.get(key) if cache is not None else None
    if entry is not None:
        hit = FileResult.from_cache(entry, model)
        if hit is not None:
            return hit
    text, undecodable = decode(raw)
    if text is None:
        return FileResult(None, [undecodable] if undecodable else [])
    result = _load_document(text, shown, model, None)
    cached = result.cached()
    if cache is not None and cached is not None:
        cache.put(key, cached)
    return result
