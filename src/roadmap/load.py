"""Files → YAML → models, with every problem located by file, line and column.

The only module that parses YAML. Two parsers, for two jobs:

* the fast path composes the document with libyaml (PyYAML's C parser) under a
  YAML 1.2 core-schema resolver and builds plain Python values itself, checking
  duplicate keys, tags, nesting depth and alias expansion on the way;
* positions are needed only where there is a problem, so a file is composed again
  and its node tree walked just for the problems found in it.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import hashlib
import os
import pickle
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from . import __version__
from .errors import Finding, PathPart, Problem, Severity, UsageError
from .model import KEY_ID_PATTERN, PROJECT_ID_PATTERN, Portfolio, Project, Strategy, allowed_keys

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 100_000  # nodes after expanding aliases; stops "billion laughs"
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


def _max_depth_exceeded(text: str) -> Any:
    """The mark where nesting first passes MAX_DEPTH: flow nesting by our own count,
    block nesting by scanning events (no recursion).

    A syntax error after that point does not matter: the depth is what is wrong first.
    A syntax error before it ends the scan with None."""
    flow = _flow_depth_exceeded(text)
    if flow is not None:
        return flow
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


def construct(root: Any) -> Any:
    """Node tree → plain dicts, lists and scalars, checking keys, depth and alias expansion."""
    budget = [MAX_VALUES]

    def build(node: Any, depth: int) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
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
        if isinstance(node, yaml.SequenceNode):
            return [build(item, depth + 1) for item in node.value]
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
            result[key] = build(value_node, depth + 1)
        return result

    return build(root, 1)


def parse(text: str) -> tuple[Any, Any, RawProblem | None]:
    """Text → (value, node tree, problem). Never raises for bad input."""
    try:
        node = compose(text)
        if node is None:
            return None, None, None
        return construct(node), node, None
    except _YamlProblem as exc:
        return None, None, exc.problem


def locate(node: Any, path: Iterable[PathPart], at_key: bool = False) -> tuple[int, int]:
    """Line and column of the value (or key) at ``path``; the nearest existing parent if
    the path does not exist (a missing key is reported at its mapping). Path parts that
    are not keys (pydantic's union member names) are skipped."""
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
    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


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

    def cached(self) -> tuple[Any, ...]:
        return (self.model, self.partial, self.problems)

    @classmethod
    def from_cache(cls, entry: tuple[Any, ...]) -> FileResult:
        model, partial, problems = entry
        return cls(model, problems, partial)


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
    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        findings = schema_findings(file, model, exc)
        partial = _partial(model, data, exc, stem)
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
        result = None
    problems = []
    for f in findings:
        line, column = locate(node, f.path, f.at_key)
        problems.append(RawProblem(line, column, f.severity, f.code, f.message))
    return FileResult(result, problems, partial)


_PLACEHOLDERS = {"title": "?", "organization": "?"}


def _partial(
    model: type[BaseModel], data: dict[Any, Any], error: ValidationError, stem: str | None
) -> Any:
    """The model of ``data`` without the top-level keys that have errors, or None."""
    bad = {err["loc"][0] for err in error.errors() if err["loc"]}
    kept = {k: v for k, v in data.items() if k not in bad}
    for key, placeholder in _PLACEHOLDERS.items():
        if key in model.model_fields and key not in kept:
            kept[key] = placeholder
    if stem is not None and "id" not in kept:
        kept["id"] = stem
    try:
        return model.model_validate(kept)
    except ValidationError:
        return None


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


# --------------------------------------------------------------------------- cache


class Cache:
    """Per-file results keyed by the file's content (and name, tool version), so a stale
    answer is impossible: a changed byte is a different key."""

    def __init__(self, directory: Path | None, data_dir: Path) -> None:
        self.path: Path | None = None
        self.entries: dict[str, tuple[Any, ...]] = {}
        self.used: dict[str, tuple[Any, ...]] = {}
        if directory is None:
            return
        tag = hashlib.blake2b(str(data_dir.resolve()).encode(), digest_size=8).hexdigest()
        self.path = directory / f"v{__version__}-{_code_fingerprint()}" / f"{tag}.pickle"
        try:
            with open(self.path, "rb") as fh:
                loaded = pickle.load(fh)
            if isinstance(loaded, dict):
                self.entries = loaded
        except Exception:  # a missing, foreign or corrupt cache is just empty
            self.entries = {}

    @staticmethod
    def key(kind: str, name: str, data: bytes) -> str:
        return hashlib.blake2b(data, digest_size=20, person=kind.encode()[:16]).hexdigest() + name

    def get(self, key: str) -> FileResult | None:
        hit = self.entries.get(key)
        if hit is None:
            return None
        self.used[key] = hit
        return FileResult.from_cache(hit)

    def put(self, key: str, result: FileResult) -> None:
        self.used[key] = result.cached()

    def save(self) -> None:
        if self.path is not None and self.used != self.entries:
            self._write(self.path, self.used)

    def derived(self, kind: str, key: str) -> Any:
        """What was computed from exactly this content (``kind``: "findings", the
        checks across files; "bundles", the suggestions), or None."""
        if self.path is None:
            return None
        try:
            with open(self.path.with_suffix("." + kind), "rb") as fh:
                stored_key, value = pickle.load(fh)
        except Exception:  # missing, foreign or corrupt: compute again
            return None
        return value if stored_key == key else None

    def store_derived(self, kind: str, key: str, value: Any) -> None:
        if self.path is not None:
            self._write(self.path.with_suffix("." + kind), (key, value))

    @staticmethod
    def _write(path: Path, value: Any) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs speed


def _code_fingerprint() -> str:
    """Hash of the code that produces per-file results, so that a changed loader or
    model (even at the same version number) never reads an old cache."""
    import pydantic

    digest = hashlib.blake2b(pydantic.VERSION.encode(), digest_size=8)
    for path in sorted(Path(__file__).parent.glob("*.py")):  # checks and scoring too
        digest.update(path.read_bytes())
    return digest.hexdigest()


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "roadmap"


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


def _read(path: Path, data_root: Path) -> tuple[bytes | None, RawProblem | None]:
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(data_root.resolve()):
            return None, RawProblem(
                1,
                1,
                Severity.ERROR,
                "symlink-outside",
                f"file is a link to {target}, outside the data folder; copy the file in instead",
            )
    try:
        return path.read_bytes(), None
    except OSError as exc:
        return None, RawProblem(
            1, 1, Severity.ERROR, "file-unreadable", f"cannot read file: {exc.strerror}"
        )


def project_files(data_dir: Path) -> list[Path]:
    folder = data_dir / "projects"
    if not folder.is_dir():
        return []
    names = sorted(  # strings, not Paths: sorting 30,000 Paths costs half a second
        entry.name
        for entry in os.scandir(folder)
        if entry.name.endswith((".yaml", ".yml")) and not entry.name.startswith(".")
    )
    return [folder / name for name in names]


def load_portfolio(data_dir: Path, cache_dir: Path | None = None) -> LoadResult:
    """Read ``strategy.yaml`` and every ``projects/*.yaml``; collect every problem."""
    with gc_paused():
        return _load_portfolio(data_dir, cache_dir)


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


def _load_portfolio(data_dir: Path, cache_dir: Path | None) -> LoadResult:
    if not data_dir.is_dir():
        raise UsageError(
            f"data folder {display_path(data_dir)} does not exist "
            "(use --data DIR or set ROADMAP_DATA)"
        )
    strategy_path = data_dir / "strategy.yaml"
    if not strategy_path.is_file():
        raise UsageError(
            f"no strategy.yaml in {display_path(data_dir)}; is --data the "
            "portfolio folder (the one with strategy.yaml and projects/)?"
        )
    cache = Cache(cache_dir, data_dir)
    problems: list[Problem] = []
    content = hashlib.blake2b(os.getcwd().encode(), digest_size=20)

    def run(path: Path, shown: str, kind: str, stem: str | None) -> FileResult:
        raw, read_problem = _read(path, data_dir)
        if read_problem is not None or raw is None:
            return FileResult(None, [read_problem] if read_problem else [])
        key = Cache.key(kind, path.name, raw)
        content.update(key.encode())
        hit = cache.get(key)
        if hit is not None:
            return hit
        text, decode_problem = decode(raw)
        if text is None:
            result = FileResult(None, [decode_problem] if decode_problem else [])
        elif stem is None:
            result = load_strategy_text(text, shown)
        else:
            result = load_project_text(text, shown, stem)
        cache.put(key, result)
        return result

    strategy_shown = display_path(strategy_path)
    strategy_result = run(strategy_path, strategy_shown, "strategy", None)
    problems += [p.located(strategy_shown) for p in strategy_result.problems]

    projects: dict[str, Project] = {}
    files: dict[str, str] = {}
    known: set[str] = set()
    partials: dict[str, tuple[Project, str]] = {}
    folder_shown = display_path(data_dir / "projects")  # relpath is slow: once per folder
    for path in project_files(data_dir):
        shown = os.path.join(folder_shown, path.name)
        result = run(path, shown, "project", path.stem)
        problems += [p.located(shown) for p in result.problems]
        known.add(path.stem)
        project = result.model
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
        return compose(text) if text is not None else None
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
