"""Lossless edits of YAML text: find a value's exact characters, splice new text in.

A document is never re-serialized, so every byte an edit was not asked to change stays
as it was: comments, key order, quoting, flow or block style, anchors, blank lines,
line endings and the final newline (or its absence).

Positions come from the parser's events rather than its node tree, because a composed
tree gives an alias the anchored node's position, not its own.
"""

from __future__ import annotations

import bisect
import io
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import PathPart, UsageError
from .load import Composer, Resolver12, core_scalar

_PLAIN = re.compile(r"^[\wÄÖÜäöüß][\w .,/()äöüÄÖÜß+-]*$")
# YAML 1.1 (libyaml) breaks lines at these too; a value or comment must never hold one raw
LINE_BREAKS = "\r\n\x85\u2028\u2029"
_BREAK = re.compile(r"\r\n|\r|\n")
NULLS = ("", "~", "null", "Null", "NULL")


# --------------------------------------------------------------------------- values


def refuse_unwritable(value: Any, what: str = "value") -> None:
    """Refuse what no portfolio file should hold: control characters other than tab and
    line feed, non-characters, lone surrogates, and numbers that are not finite."""
    if isinstance(value, dict):
        for k, v in value.items():
            refuse_unwritable(v, f"{what}.{k}")
    elif isinstance(value, list):
        for item in value:
            refuse_unwritable(item, what)
    elif isinstance(value, float) and not math.isfinite(value):
        raise UsageError(
            f"{what}: {value} is not a finite number; write a number such as 12.5 "
            "(numbers beyond ±1.8e308 overflow)"
        )
    elif isinstance(value, str):
        for position, char in enumerate(value, 1):
            code = ord(char)
            if char in "\t\n":
                continue
            if 0xDC80 <= code <= 0xDCFF:  # how Python keeps a byte of non-UTF-8 input
                raise UsageError(
                    f"{what}: byte {position} (0x{code - 0xDC00:02x}) is not UTF-8; "
                    "pass text in UTF-8"
                )
            if (
                code < 0x20
                or 0x7F <= code <= 0x9F
                or 0xD800 <= code <= 0xDFFF
                or (code & 0xFFFE) == 0xFFFE
                or 0xFDD0 <= code <= 0xFDEF
            ):
                name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "a control character")
                raise UsageError(
                    f"{what}: character {position} is U+{code:04X} ({name}), which a "
                    "portfolio file cannot hold; remove it (line breaks as \\n only)"
                )


_CONTROL_NAMES = {
    "\r": "CARRIAGE RETURN",
    "\x85": "NEXT LINE",
    "\x7f": "DELETE",
    "\x1b": "ESCAPE",
    "\x0b": "LINE TABULATION",
    "\x0c": "FORM FEED",
    "\x00": "NULL",
}


def render(value: Any) -> str:
    """A value as YAML 1.2 flow text that reads back as the same value."""
    refuse_unwritable(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, list):
        return "[" + ", ".join(render(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{render(k)}: {render(v)}" for k, v in value.items()) + "}"
    text = str(value)
    if (
        _PLAIN.match(text)
        and not text.endswith((" ", ":"))
        and ": " not in text
        and " #" not in text
        and tag_of(text) == "tag:yaml.org,2002:str"
    ):
        return text
    return double_quoted(text)


def double_quoted(text: str) -> str:
    """A YAML double-quoted scalar; every character that YAML 1.1 or 1.2 could read as a
    line break, or that is not printable, is escaped."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF):
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def tag_of(text: str) -> str:
    """The tag a plain scalar gets under the YAML 1.2 core schema."""
    resolver: Any = Resolver12()
    tag: str = resolver.resolve(yaml.ScalarNode, text, (True, False))
    return tag


def plain_value(text: str) -> Any:
    """What ``text`` written as a plain scalar means under the YAML 1.2 core schema:
    4 → 4, true → True, a date or a word stays text. Raises ValueError for an integer
    beyond Python's digit limit."""
    return core_scalar(yaml.ScalarNode(tag_of(text), text))


def scalar_value(node: Node) -> Any:
    """A scalar node's value under the YAML 1.2 core schema (quoted ones are text)."""
    if node.style == "":
        return plain_value(node.value)
    return node.value


def read_independently(text: str) -> Any:
    """The data of ``text`` as a second, independent YAML 1.2 parser (ruamel.yaml, pure
    Python) reads it: an edit is written only when both parsers agree. Raises
    ValueError with the parser's message when it cannot read the text."""
    from ruamel.yaml import YAML

    parser = YAML(typ="safe", pure=True)
    parser.version = (1, 2)
    try:
        return parser.load(io.StringIO(text))
    except Exception as exc:  # any failure of the parser, as the reason
        raise ValueError(str(exc)) from None


def one_line(text: str) -> str:
    """Text safe inside a comment: every line break and control character a space."""
    return "".join(
        " " if char in LINE_BREAKS or unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
        for char in text
    )


# --------------------------------------------------------------------------- positions


@dataclass(eq=False)
class Node:
    """A node with its own position in the text; an alias keeps its own too."""

    kind: str  # "scalar", "sequence", "mapping" or "alias"
    start: int  # first character, anchor and tag included
    end: int  # just after the last character (block scalars: after their line breaks)
    anchor: str | None = None
    style: str = ""  # scalars: "" plain, "'", '"', "|", ">"
    flow: bool = False
    value: str = ""
    tag: str | None = None
    items: list[Node] = field(default_factory=list)
    pairs: list[tuple[Node, Node]] = field(default_factory=list)
    target: Node | None = None

    def resolved(self) -> Node:
        return self.target if self.target is not None else self

    def is_null(self) -> bool:
        """A plain null scalar: empty, ``~`` or ``null``."""
        return self.kind == "scalar" and self.style == "" and self.value in NULLS

    @property
    def is_empty_null(self) -> bool:
        """``key:`` with nothing (or only a comment) after it."""
        return self.kind == "scalar" and self.style == "" and self.value == ""


def compose_positions(text: str) -> Node | None:
    """The node tree of ``text`` with every node's (and alias's) own position. The text
    must already have been checked by the loader (duplicate keys, depth, aliases).
    Over 60 lines: one loop over the parser's events with its stack of open
    collections; split, the state would have to travel between the parts."""
    anchors: dict[str, Node] = {}
    stack: list[Node] = []
    keys: list[Node | None] = []
    root: Node | None = None

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if parent.kind == "sequence":
            parent.items.append(node)
        elif keys[-1] is None:
            keys[-1] = node
        else:
            key = keys[-1]
            assert key is not None
            parent.pairs.append((key, node))
            keys[-1] = None

    for event in yaml.parse(text, Loader=Composer):  # type: ignore[arg-type]
        if isinstance(event, yaml.ScalarEvent):
            node = Node(
                "scalar",
                _index(event.start_mark),
                _index(event.end_mark),
                event.anchor,
                event.style or "",
                value=event.value,
                tag=event.tag,
            )
        elif isinstance(event, yaml.AliasEvent):
            node = Node("alias", _index(event.start_mark), _index(event.end_mark), event.anchor)
            node.target = anchors.get(event.anchor or "")
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            kind = "sequence" if isinstance(event, yaml.SequenceStartEvent) else "mapping"
            node = Node(
                kind,
                _index(event.start_mark),
                _index(event.end_mark),
                event.anchor,
                flow=bool(event.flow_style),
                tag=event.tag,
            )
            attach(node)
            if event.anchor:
                anchors[event.anchor] = node
            stack.append(node)
            keys.append(None)
            continue
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            stack[-1].end = _index(event.end_mark)
            stack.pop()
            keys.pop()
            continue
        else:
            continue
        attach(node)
        if node.anchor and node.kind != "alias":
            anchors[node.anchor] = node
    return root


def _index(mark: Any) -> int:
    index: int = mark.index
    return index


def walk(
    root: Node | None, through_aliases: bool = True
) -> Iterator[tuple[tuple[PathPart, ...], Node, Node | None]]:
    """(path, node, key node) of every node reached from the root, through aliases
    too unless told not to; the loader has bounded what aliases expand to."""
    if root is None:
        return
    todo: list[tuple[tuple[PathPart, ...], Node, Node | None]] = [((), root, None)]
    while todo:
        path, node, key = todo.pop()
        yield path, node, key
        real = node.resolved() if through_aliases else node
        if real.kind == "sequence":
            todo.extend(((*path, i), item, None) for i, item in enumerate(real.items))
        elif real.kind == "mapping":
            todo.extend(((*path, k.value), v, k) for k, v in real.pairs)


def content_start(text: str, node: Node) -> int:
    """Where a node's own text starts, after its anchor and tag."""
    index = node.start
    while index < node.end and text[index] in "&!":
        while index < len(text) and text[index] not in " \t\r\n":
            index += 1
        while index < len(text) and text[index] in " \t":
            index += 1
    return index


def node_end(text: str, node: Node) -> int:
    """Just after the last character that belongs to the node (never a comment or a
    line break after it; a block collection's end mark sits at the next key)."""
    if node.kind == "scalar" and node.style in ("|", ">"):
        return block_scalar_end(text, node)
    if node.kind in ("sequence", "mapping") and not node.flow:
        # an empty value (``key:`` or ``key:  # note``) ends at its key: its parser
        # position lies after the space that follows the colon
        children = node.items or [
            part
            for key, value in node.pairs
            for part in (key, value)
            if not value.is_empty_null or part is key
        ]
        if children:
            return max(node_end(text, child) for child in children)
    return node.end


def block_scalar_end(text: str, node: Node) -> int:
    """End of a block scalar's last content line, before its line breaks and trailing
    blank lines (which chomping decides about, and an edit leaves in place)."""
    header_end = line_end(text, content_start(text, node), keep_break=False)
    end = node.end
    while end > header_end:
        stripped = end
        while stripped > header_end and text[stripped - 1] in "\r\n":
            stripped -= 1
        start = line_start(text, stripped)
        if stripped > header_end and text[start:stripped].strip(" \t") == "":
            end = max(start, header_end)
            continue
        return stripped
    return header_end


def line_start(text: str, index: int) -> int:
    newline = text.rfind("\n", 0, index)
    # a CR is looked for only after the last LF: a search back to the start for a CR
    # that is not there would make every call as slow as the file is long
    return max(newline, text.rfind("\r", newline + 1, index)) + 1


def line_end(text: str, index: int, keep_break: bool = True) -> int:
    """Just after the line holding ``index``: after its line break, or before it."""
    match = _BREAK.search(text, index)
    if match is None:
        return len(text)
    return match.end() if keep_break else match.start()


def column(text: str, index: int) -> int:
    return index - line_start(text, index)


# --------------------------------------------------------------------------- comments


def comments(text: str, root: Node | None) -> list[tuple[int, str]]:
    """(position, text) of every comment: a ``#`` after white space or at a line's start
    that no scalar's text contains."""
    inside: list[tuple[int, int]] = []
    for _, node, key in walk(root, through_aliases=False):
        for part in (node, key):
            if part is not None and part.kind == "scalar":
                start = content_start(text, part)
                if part.style in ("|", ">"):  # a comment may follow the header
                    start = line_end(text, start)
                inside.append((start, node_end(text, part)))
    inside.sort()
    starts = [a for a, _ in inside]
    found = []
    for match in re.finditer("#", text):
        index = match.start()
        if index > 0 and text[index - 1] not in " \t\r\n":
            continue
        k = bisect.bisect_right(starts, index) - 1
        if k >= 0 and inside[k][0] <= index < inside[k][1]:
            continue
        found.append((index, text[index : line_end(text, index, keep_break=False)]))
    return found


def comment_owners(text: str, root: Node | None) -> Counter[tuple[str, tuple[Any, ...]]]:
    """Each comment with what it belongs to: the value (or key) that ends last before it
    on its line (the innermost of equals), named as :func:`named_path` names it. A
    comment on a line of its own belongs to no value."""
    ends: list[tuple[int, int, tuple[Any, ...]]] = []
    todo: list[tuple[tuple[Any, ...], Node, Node | None]] = [((), root, None)] if root else []
    while todo:  # the walk of walk(), naming list items by value on the way
        named, node, key = todo.pop()
        if not node.is_empty_null:
            ends.append((node_end(text, node), len(named), named))
        if key is not None:
            # a key and its value own a comment alike: ``decision:  # tbd`` keeps it
            # when the value is filled in, ``description: >-  # c`` when rewritten
            ends.append((key.end, len(named), named))
        if node.kind == "sequence":
            todo.extend(
                ((*named, _item_name(i, item)), item, None) for i, item in enumerate(node.items)
            )
        elif node.kind == "mapping":
            todo.extend(((*named, k.value), v, k) for k, v in node.pairs)
    ends.sort(key=lambda item: (item[0], item[1], repr(item[2])))
    positions = [end for end, _, _ in ends]
    owners: Counter[tuple[str, tuple[Any, ...]]] = Counter()
    for index, comment in comments(text, root):
        k = bisect.bisect_right(positions, index) - 1
        owner: tuple[Any, ...] = ("<own line>",)
        if k >= 0 and ends[k][0] > line_start(text, index):
            owner = ends[k][2]
        owners[(comment, owner)] += 1
    return owners


def _item_name(index: int, item: Node) -> Any:
    real = item.resolved()
    return ("item", real.value) if real.kind == "scalar" else index


def named_path(
    nodes: dict[tuple[PathPart, ...], Node], path: Sequence[PathPart]
) -> tuple[Any, ...]:
    """A path with each scalar list item named by its value, not its index (an index
    shifts when an item before it is removed)."""
    named: list[Any] = []
    for i, part in enumerate(path):
        node = nodes.get(tuple(path[: i + 1]))
        named.append(_item_name(part, node) if isinstance(part, int) and node else part)
    return tuple(named)


def owners_lost(
    before: Counter[tuple[str, tuple[Any, ...]]],
    after: Counter[tuple[str, tuple[Any, ...]]],
    edited: Sequence[tuple[Any, ...]],
) -> list[str]:
    """Comments that moved to another value, or vanished although their value was not
    edited; ``edited`` are the (item-named) paths the edit may rewrite."""
    wrong = [comment for (comment, _), n in (after - before).items() for _ in range(n)]
    for (comment, owner), n in (before - after).items():
        if not any(owner[: len(path)] == path for path in edited):
            wrong += [comment] * n
    return wrong


def dominant_newline(text: str) -> str:
    counts = Counter(_BREAK.findall(text))
    if not counts:
        return "\n"
    return max(("\n", "\r\n", "\r"), key=lambda nl: (counts[nl], nl == "\n"))
