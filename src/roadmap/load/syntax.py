"""YAML text → plain values and node trees, and node trees → positions.

The only module that parses YAML. Two parsers, for two jobs:

* the fast path composes the document with libyaml (PyYAML's C parser) under a
  YAML 1.2 core-schema resolver and builds plain Python values itself, checking
  duplicate keys, tags, nesting depth and alias expansion on the way;
* positions are needed only where there is a problem, so a file is composed again
  and its node tree walked just for the problems found in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .. import measurement_rows
from ..errors import Finding, PathPart, Problem, Severity, say
from ..model import MAX_MEASUREMENTS
from .files import RawProblem, decode

MAX_DEPTH = 64
MAX_VALUES = 100_000  # nodes repeated through aliases; stops "billion laughs"
MAX_INT_DIGITS = 100  # Python refuses to convert more than 4,300; no amount needs 100
_DEPTH_SCAN_ABOVE = 16_384  # below this many characters libyaml cannot nest deep enough to crash

# --------------------------------------------------------------------------- YAML 1.2


class Resolver12(yaml.resolver.BaseResolver):
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
    Resolver12.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), _first)


try:  # libyaml, the C parser; PyYAML's wheels ship it
    from yaml._yaml import CParser as _Parser

    class Composer(_Parser, Resolver12):
        def __init__(self, text: str) -> None:
            _Parser.__init__(self, text)
            Resolver12.__init__(self)

except ImportError:  # pragma: no cover - pure-Python fallback, same behaviour, slower

    class Composer(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        Resolver12,
    ):
        def __init__(self, text: str) -> None:
            yaml.reader.Reader.__init__(self, text)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            Resolver12.__init__(self)


_TAG = "tag:yaml.org,2002:"


def _at(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _error(mark: Any, code: str, message: str) -> RawProblem:
    line, column = _at(mark)
    return RawProblem(line, column, Severity.ERROR, code, message)


class YamlProblem(Exception):
    """What stops a text being read as YAML, located; raised by compose and construct."""

    def __init__(self, problem: RawProblem) -> None:
        self.problem = problem


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
        for event in yaml.parse(text, Loader=Composer):  # type: ignore[arg-type]
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def _too_deep(mark: Any) -> YamlProblem:
    return YamlProblem(
        _error(
            mark,
            "yaml-too-deep",
            f"nesting deeper than {MAX_DEPTH} levels; portfolio files need a handful",
        )
    )


def compose(text: str) -> Any:
    """Text → libyaml node tree (or None for an empty document). Raises YamlProblem."""
    try:
        # libyaml's composer recurses in C and crashes on very deep nesting: look first.
        if len(text) > _DEPTH_SCAN_ABOVE:
            mark = _max_depth_exceeded(text)
            if mark is not None:
                raise _too_deep(mark)
        return Composer(text).get_single_node()
    except yaml.MarkedYAMLError as exc:
        # libyaml's own nesting limit (1,000 levels in newer releases) speaks first on
        # small files; our limit is far lower, so look for it before naming the error.
        deep = _max_depth_exceeded(text)
        if deep is not None:
            raise _too_deep(deep) from None
        mark = exc.problem_mark or exc.context_mark
        detail = _libyaml_words(exc.context, exc.problem)
        unclosed = exc.context == "while scanning a quoted scalar"
        if unclosed and exc.context_mark and exc.problem == "found unexpected end of stream":
            mark = exc.context_mark  # the quote that is never closed, not the file's end
            detail = say("yaml", "{detail}; close the quote that starts here", detail=detail)
        if mark is not None and text[mark.index : mark.index + 1] == "\t":
            detail = say("yaml", "{detail} (a tab; indent with spaces, not tabs)", detail=detail)
        message = say("yaml", "invalid YAML: {detail}", detail=detail)
        raise YamlProblem(_error(mark, "yaml-syntax", message)) from None
    except yaml.YAMLError as exc:
        message = say("yaml", "invalid YAML: {detail}", detail=str(exc))
        raise YamlProblem(_error(None, "yaml-syntax", message)) from None


# what libyaml says most often, in the catalogs' words (anything else stays libyaml's)
_LIBYAML = {
    str(message): message
    for message in (
        say("libyaml", "while scanning a quoted scalar"),
        say("libyaml", "while scanning for the next token"),
        say("libyaml", "while scanning a simple key"),
        say("libyaml", "while parsing a block collection"),
        say("libyaml", "while parsing a block mapping"),
        say("libyaml", "while parsing a flow sequence"),
        say("libyaml", "while parsing a flow mapping"),
        say("libyaml", "found unexpected end of stream"),
        say("libyaml", "mapping values are not allowed in this context"),
        say("libyaml", "mapping values are not allowed here"),
        say("libyaml", "found character that cannot start any token"),
        say("libyaml", "did not find expected '-' indicator"),
        say("libyaml", "did not find expected ',' or ']'"),
        say("libyaml", "did not find expected ',' or '}}'"),
        say("libyaml", "did not find expected key"),
        say("libyaml", "could not find expected ':'"),
        say("libyaml", "found undefined alias"),
    )
}


def _libyaml_words(context: str | None, problem: str | None) -> str:
    """libyaml's "while … found …" with the parts the catalogs know worded by them."""
    parts = [_LIBYAML.get(str(part), str(part)) for part in (context, problem) if part]
    if len(parts) == 2:
        return say("yaml", "{during} {problem}", during=parts[0], problem=parts[1])
    return parts[0] if parts else ""


def core_scalar(node: Any) -> Any:
    tag, value = node.tag, node.value
    if not tag.startswith(_TAG):
        raise YamlProblem(
            _error(
                node.start_mark,
                "yaml-tag",
                say("yaml", "unsupported tag {tag}; write a plain value", tag=tag),
            )
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
            raise YamlProblem(
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
    raise YamlProblem(
        _error(
            node.start_mark,
            "yaml-tag",
            say("yaml", "unsupported type !!{kind}; write a plain value", kind=kind),
        )
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
            raise YamlProblem(
                _error(
                    node.start_mark,
                    "yaml-alias-bomb",
                    f"aliases expand this file to more than {MAX_VALUES:,} values; "
                    "write the values out instead of nesting aliases",
                )
            )
        if depth > MAX_DEPTH:
            raise _too_deep(node.start_mark)
        if isinstance(node, yaml.ScalarNode):
            return core_scalar(node)
        if node.tag not in _COLLECTION_TAGS:
            raise YamlProblem(
                _error(
                    node.start_mark,
                    "yaml-tag",
                    say(
                        "yaml",
                        "unsupported tag {tag}; write a plain list or mapping",
                        tag=_shown_tag(node.tag),
                    ),
                )
            )
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, depth + 1, repeated) for item in node.value]
        return self.mapping(node, depth, repeated)

    def mapping(self, node: Any, depth: int, repeated: bool) -> dict[Any, Any]:
        """A mapping node's values; its keys plain scalars, none twice, no merge keys."""
        result: dict[Any, Any] = {}
        first_seen: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(
                    _error(
                        key_node.start_mark,
                        "yaml-key",
                        say("yaml", "a key must be a plain name, not a list or mapping"),
                    )
                )
            key = core_scalar(key_node)
            if key == "<<" and not key_node.style:
                raise YamlProblem(
                    _error(
                        key_node.start_mark,
                        "yaml-merge-key",
                        say("yaml", "merge keys (<<) are not part of YAML 1.2; write the keys out"),
                    )
                )
            if key in first_seen:
                line = first_seen[key].line + 1
                raise YamlProblem(
                    _error(
                        key_node.start_mark,
                        "yaml-duplicate-key",
                        say(
                            "yaml",
                            "duplicate key {key} (first given on line {line}); keep one of them",
                            key=repr(key),
                            line=line,
                        ),
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
    except YamlProblem as exc:
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
    except YamlProblem:
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


# --------------------------------------------------------------------------- positions


def compose_file(path: Path | str) -> Any:
    """The node tree of a file for locating problems; None if it cannot be read."""
    try:
        text, _ = decode(Path(path).read_bytes())
        if text is None:
            return None
        fast = _parse_rows(text)
        return fast[1] if fast is not None else compose(text)
    except (OSError, YamlProblem):
        return None


def locate_in_file(
    path: Path | str, doc_path: tuple[PathPart, ...], at_key: bool = False
) -> tuple[int, int]:
    return locate(compose_file(path), doc_path, at_key)


def locate_findings(findings: Iterable[Finding]) -> list[Problem]:
    """Findings → problems with positions; each file with findings is composed once."""
    nodes: dict[str, Any] = {}
    problems = []
    for f in findings:
        if f.file not in nodes:
            nodes[f.file] = compose_file(f.file)
        line, column = locate(nodes[f.file], f.path, f.at_key)
        problems.append(Problem(f.file, line, column, f.severity, f.code, f.message))
    return problems


def node_tree(text: str) -> Any:
    """The node tree of a text already read without problems, for ``locate``."""
    return parse(text)[1]
