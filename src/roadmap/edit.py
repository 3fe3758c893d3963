"""Lossless edits of portfolio files: the library behind ``new``, ``set`` and ``record``.

An edit never re-serializes the document (see :mod:`roadmap.yamlsplice`). Before
anything is written, a second parser (ruamel.yaml) must read the result as exactly the
intended data, every comment must still belong to the value it belonged to, and the
portfolio must still validate. Writes are atomic, under a folder lock
(:mod:`roadmap.atomic`), and positions (which KPI, which milestone) are resolved only
after the lock is taken.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .atomic import (
    check_writable,
    folder_lock,
    read_bytes,
    remove_orphans,
    write_atomically,
)
from .errors import DataError, PathPart, Problem, Severity, UsageError
from .load import _scalar, compose, construct, decode, display_path
from .yamlsplice import (
    Node,
    column,
    comment_owners,
    compose_positions,
    content_start,
    dominant_newline,
    double_quoted,
    line_end,
    line_start,
    named_path,
    node_end,
    one_line,
    owners_lost,
    refuse_unwritable,
    render,
    tag_of,
    walk,
)

if TYPE_CHECKING:
    from .load import LoadResult
    from .model import Portfolio, Project

__all__ = [
    "Change",
    "Document",
    "EditResult",
    "apply",
    "check_project_id",
    "create",
    "create_project",
    "folder_lock",
    "new_project_text",
    "parse_assignment",
    "project_path",
    "record_measurement",
    "record_milestone",
    "render",
    "set_criterion",
    "set_fields",
    "similar_projects",
    "write_atomically",
]

Validator = Callable[[str], None]


# --------------------------------------------------------------------------- documents


def _yaml_problem(path: Path, exc: Exception) -> DataError:
    """The loader's located problem as a data error carrying it."""
    raw = getattr(exc, "problem", None)
    if raw is None:
        return DataError(f"{display_path(path)}: cannot be read as YAML")
    problem: Problem = raw.located(display_path(path))
    return DataError(f"{problem}; fix it first (nothing was changed)", [problem])


@dataclass
class Document:
    """A file's text; edits splice the text and re-read its positions."""

    path: Path
    raw: bytes
    text: str
    bom: bool
    newline: str
    # the position tree of ``text`` as last composed: several steps of one edit need it
    _positions: tuple[str, Node] | None = dataclass_field(default=None, repr=False, compare=False)
    _data: tuple[str, Any] | None = dataclass_field(default=None, repr=False, compare=False)

    @classmethod
    def read(cls, path: Path) -> Document:
        if path.is_symlink():
            raise UsageError(f"{path} is a symbolic link; edit the file it points to")
        raw = read_bytes(path)
        text, problem = decode(raw)
        if text is None:
            located = (
                problem.located(display_path(path))
                if problem
                else Problem(
                    display_path(path), 1, 1, Severity.ERROR, "file-unreadable", "cannot be read"
                )
            )
            raise DataError(f"{located}", [located])
        document = cls(path, raw, text, raw.startswith(b"\xef\xbb\xbf"), dominant_newline(text))
        document.data()  # a YAML problem is reported now, located, before any edit
        return document

    def node(self) -> Node:
        if self._positions is not None and self._positions[0] == self.text:
            return self._positions[1]
        root = compose_positions(self.text)
        if root is None:
            raise DataError(f"{display_path(self.path)} is empty")
        self._positions = (self.text, root)
        return root

    def data(self) -> Any:
        """The text's data (a fresh copy: callers change it)."""
        if self._data is None or self._data[0] != self.text:
            try:
                node = compose(self.text)
                if node is None:
                    raise DataError(f"{display_path(self.path)} is empty")
                self._data = (self.text, construct(node))
            except DataError:
                raise
            except Exception as exc:  # the loader's located problem (_YamlProblem)
                raise _yaml_problem(self.path, exc) from None
        return copy.deepcopy(self._data[1])

    def encoded(self) -> bytes:
        return ("\ufeff" if self.bom else "").encode() + self.text.encode("utf-8")

    # ------------------------------------------------------------------ navigation

    def find(
        self, path: Sequence[PathPart], root: Node | None = None
    ) -> tuple[Node | None, Node | None]:
        """The (key node, value node) at ``path``; (None, None) where it is missing. The
        value may be an alias (its own position); parents are followed through aliases."""
        node: Node | None = root or self.node()
        key: Node | None = None
        for part in path:
            real = node.resolved() if node is not None else None
            if real is None:
                return None, None
            if real.kind == "mapping":
                for k, v in real.pairs:
                    if k.value == part and k.kind == "scalar":
                        key, node = k, v
                        break
                else:
                    return None, None
            elif real.kind == "sequence" and isinstance(part, int) and 0 <= part < len(real.items):
                key, node = None, real.items[part]
            else:
                return None, None
        return key, node

    def equivalent_paths(
        self, path: Sequence[PathPart], alias_is_own: bool
    ) -> list[tuple[PathPart, ...]]:
        """Every path at which a change at ``path`` shows: more than one where the value,
        or a parent, is shared through an anchor. ``alias_is_own``: a scalar set on an
        alias replaces the alias itself, so only ``path`` changes."""
        root = self.node()
        node: Node = root
        depth = 0
        for _ in path:
            _, child = self.find(tuple(path[: depth + 1]), root)
            if child is None:
                break
            node, depth = child, depth + 1
        if depth == len(path) and node.kind == "alias" and alias_is_own:
            return [tuple(path)]
        target = node.resolved()
        rest = tuple(path[depth:])
        found = [p + rest for p, n, _ in walk(root) if n.resolved() is target]
        return found or [tuple(path)]

    def _newline_at(self, index: int) -> str:
        """The line break of the line holding ``index`` (mixed files keep each part's)."""
        end = line_end(self.text, index, keep_break=False)
        after = self.text[end : end + 2]
        if after.startswith("\r\n"):
            return "\r\n"
        if after[:1] in ("\r", "\n"):
            return after[:1]
        return self.newline

    def splice(self, start: int, end: int, replacement: str) -> None:
        self.text = self.text[:start] + replacement + self.text[end:]

    def _insert_end(self, node: Node) -> int:
        """Where a line can go after ``node``: after its text, or, when it ends in a
        block scalar that keeps its trailing blank lines (``|+``), after those."""
        last = node
        while last.kind in ("sequence", "mapping") and not last.flow:
            children = last.items or [part for pair in last.pairs for part in pair]
            if not children:
                break
            last = max(children, key=lambda child: node_end(self.text, child))
        if last.kind == "scalar" and last.style in ("|", ">"):
            header = self.text[content_start(self.text, last) : last.end].split("\n", 1)[0]
            if "+" in header.split("#", 1)[0]:
                if last.end == len(self.text) and not self.text.endswith(("\n", "\r")):
                    raise UsageError(
                        f"{display_path(self.path)} ends in a |+ block scalar without a "
                        "final line break; add one, then edit again"
                    )
                return last.end
        return node_end(self.text, node)

    def _insert_line_after(self, index: int, line: str) -> None:
        """A new line after the one holding ``index - 1``; a file without a final line
        break stays without one."""
        nl = self._newline_at(max(index - 1, 0))
        at = line_end(self.text, max(index - 1, 0))
        if at == len(self.text) and not self.text.endswith(("\n", "\r")):
            self.splice(at, at, nl + line)
        else:
            self.splice(at, at, line + nl)

    # ------------------------------------------------------------------ edits

    def set_value(self, path: Sequence[PathPart], value: Any) -> None:
        """Set a scalar, or add the key (to its mapping, creating parents) if missing."""
        refuse_unwritable(value, ".".join(map(str, path)))
        key, node = self.find(path)
        if node is None:
            self.add_key(path[:-1], str(path[-1]), value)
            return
        if node.kind == "alias":  # replace the alias itself; the anchored value stays
            self.splice(node.start, node.end, render(value))
            return
        if node.kind == "scalar":
            if node.is_empty_null:
                self._fill_empty(key, path, render(value))
                return
            start = content_start(self.text, node)
            if node.style in ("|", ">"):
                self._set_block_scalar(node, start, value)
                return
            self.splice(start, node.end, _render_like(value, node))
            return
        if node.flow and isinstance(value, list | dict):
            self.splice(content_start(self.text, node), node.end, render(value))
            return
        raise UsageError(
            f"{'.'.join(map(str, path))} is a {node.kind} written over several lines;"
            " set its items instead, or edit the file"
        )

    def _fill_empty(self, key: Node | None, path: Sequence[PathPart], text: str) -> None:
        """``decision:`` or ``decision:  # tbd`` → ``decision: must  # tbd``."""
        if key is None:
            raise UsageError(f"{'.'.join(map(str, path))} is an empty list item; edit the file")
        colon = self.text.index(":", key.end)
        self.splice(colon + 1, colon + 1, " " + text)

    def _set_block_scalar(self, node: Node, start: int, value: Any) -> None:
        """Keep ``>-``/``|`` style where the new text allows it; the header's comment,
        the line breaks and blank lines after the text stay in place."""
        end = node_end(self.text, node)
        header_end = line_end(self.text, start, keep_break=False)
        indicator_end = start
        while indicator_end < header_end and self.text[indicator_end] not in " \t":
            indicator_end += 1
        header_rest = self.text[indicator_end:header_end]
        body_start = line_end(self.text, start)
        first = next(
            (i for i in range(body_start, max(end, body_start)) if self.text[i] not in " \t\r\n"),
            None,
        )
        indent = (
            column(self.text, first) if first is not None else column(self.text, node.start) + 2
        )
        if isinstance(value, str) and _fits_block(value):
            nl = self._newline_at(start)
            style = "|" if "\n" in value.rstrip("\n") else node.style
            chomp = "" if value.endswith("\n") else "-"
            lines = value[:-1].split("\n") if value.endswith("\n") else value.split("\n")
            body = nl.join((" " * indent + line) if line else "" for line in lines)
            self.splice(start, end, f"{style}{chomp}{header_rest}{nl}{body}")
            return
        self.splice(start, end, _render_like(value, node) + header_rest)

    def add_key(self, parent_path: Sequence[PathPart], key: str, value: Any) -> None:
        parent_key, parent = self.find(parent_path)
        if parent is None:  # create the parent mapping too
            if not parent_path:
                raise UsageError("the file's top level is not a mapping")
            self.add_key(parent_path[:-1], str(parent_path[-1]), {key: value})
            return
        shown = ".".join(map(str, parent_path))
        if parent.kind == "alias":
            parent = parent.resolved()
        if parent.kind == "scalar" and parent.is_null():
            if parent.is_empty_null and parent_key is not None:
                # ``scores:`` left empty → a block mapping under it
                indent = column(self.text, parent_key.start) + 2
                nl = self._newline_at(parent_key.start)
                line = " " * indent + self._key_value(key, value, indent, nl)
                self._insert_line_after(line_end(self.text, parent_key.end, False), line)
                return
            start = content_start(self.text, parent)
            self.splice(start, parent.end, render({key: value}))
            return
        if parent.kind != "mapping":
            raise UsageError(f"{shown} is not a mapping, so it cannot have {key}")
        if parent.flow:
            if parent.pairs:
                at = node_end(self.text, parent.pairs[-1][1])
                self.splice(at, at, f", {key}: {render(value)}")
            else:
                close = parent.end - 1  # the '}'
                self.splice(close, close, f"{key}: {render(value)}")
            return
        if not parent.pairs:
            raise UsageError(f"cannot add {key} to the empty mapping {shown}; edit the file")
        first_key = parent.pairs[0][0]
        indent = column(self.text, first_key.start)
        last_key, last = parent.pairs[-1]
        end = max(last_key.end, self._insert_end(last))
        nl = self._newline_at(end)
        self._insert_line_after(end, " " * indent + self._key_value(key, value, indent, nl))

    def _key_value(self, key: str, value: Any, indent: int, nl: str) -> str:
        if isinstance(value, dict) and value:
            inner = (nl + " " * (indent + 2)).join(
                f"{render(k)}: {render(v)}" for k, v in value.items()
            )
            return f"{key}:{nl}{' ' * (indent + 2)}{inner}"
        if isinstance(value, list) and value and all(isinstance(v, dict) and v for v in value):
            # a new list of mappings (milestones, KPIs) in the block style people write
            pad = " " * (indent + 2)
            items = [
                f"{pad}- "
                + (nl + pad + "  ").join(f"{render(k)}: {render(v)}" for k, v in item.items())
                for item in value
            ]
            return f"{key}:{nl}" + nl.join(items)
        return f"{key}: {render(value)}"

    def append_item(self, path: Sequence[PathPart], item: Any) -> None:
        """Append to a list (flow or block; in the style of its last item), creating it
        if missing."""
        refuse_unwritable(item, ".".join(map(str, path)))
        key, found = self.find(path)
        if found is None:
            self.add_key(path[:-1], str(path[-1]), [item])
            return
        node = found.resolved()
        if node.is_empty_null:
            self._fill_empty(key, path, render([item]))
            return
        if node.kind != "sequence":
            raise UsageError(f"{'.'.join(map(str, path))} is not a list")
        if node.flow:
            if node.items and self._append_on_own_line(node.items[-1], render(item)):
                return
            if node.items:  # after the last item: a trailing comma stays trailing
                at = node_end(self.text, node.items[-1])
                self.splice(at, at, f", {render(item)}")
            else:
                close = node.end - 1  # the ']'
                self.splice(close, close, render(item))
            return
        last = node.items[-1]
        first = line_start(self.text, last.start)
        dash = self.text.rfind("-", first, last.start)
        if dash < 0:
            raise UsageError(f"{'.'.join(map(str, path))}: unusual list layout; edit the file")
        prefix = self.text[first:dash]
        real = last.resolved()
        if (
            real.kind == "mapping"
            and last.kind != "alias"
            and not real.flow
            and real.pairs
            and isinstance(item, dict)
        ):
            at = column(self.text, real.pairs[0][0].start)
            nl = self._newline_at(last.start)
            lines = [f"{render(k)}: {render(v)}" for k, v in item.items()]
            body = lines[0] + "".join(nl + " " * at + line for line in lines[1:])
        else:
            body = render(item)
        after = self.text[dash + 1 : content_start(self.text, last)]
        after = after if after.strip() == "" else " "
        self._insert_line_after(self._insert_end(last), f"{prefix}-{after}{body}")

    def _append_on_own_line(self, last: Node, rendered: str) -> bool:
        """In a flow list written one item a line, the new item gets a line of its own,
        so that the last item's comment stays with it."""
        end = node_end(self.text, last)
        first = line_start(self.text, last.start)
        rest = _REST_OF_ITEM.fullmatch(self.text[end : line_end(self.text, end, False)])
        if rest is None or self.text[first : last.start].strip(" \t") or not rest.group():
            return False
        indent = self.text[first : last.start]
        if rest.group().lstrip(" \t").startswith(","):  # written with trailing commas
            self._insert_line_after(end + 1, f"{indent}{rendered},")
        else:
            self.splice(end, end, ",")
            self._insert_line_after(end + 1, f"{indent}{rendered}")
        return True

    def remove_item(self, path: Sequence[PathPart], item: Any) -> None:
        _, found = self.find(path)
        shown = ".".join(map(str, path))
        if found is None or found.resolved().kind != "sequence":
            raise UsageError(f"{shown} is not a list")
        node = found.resolved()
        position = next(
            (
                i
                for i, child in enumerate(node.items)
                if child.resolved().kind == "scalar" and _value_of(child.resolved()) == item
            ),
            None,
        )
        if position is None:
            known = [c.resolved().value for c in node.items if c.resolved().kind == "scalar"]
            raise UsageError(
                f"{shown} has no item {item!r}" + (f"; it has: {', '.join(known)}" if known else "")
            )
        child = node.items[position]
        if child.kind != "alias" and child.anchor and self._aliased(child):
            raise UsageError(
                f"{item!r} in {shown} carries the anchor &{child.anchor}, which other values "
                "refer to; removing it would leave them without a value; edit the file"
            )
        if node.flow:
            self._remove_flow_item(node, position)
            return
        if len(node.items) == 1:
            raise UsageError(
                f"{item!r} is the only item of {shown}; a block list cannot be left empty "
                "here; edit the file"
            )
        start = line_start(self.text, child.start)
        self.splice(start, line_end(self.text, node_end(self.text, child) - 1), "")

    def _aliased(self, anchored: Node) -> bool:
        """Some alias in the document refers to this node."""
        stack = [self.node()]
        while stack:
            current = stack.pop()
            if current is None:
                continue
            if current.kind == "alias":
                if current.target is anchored:
                    return True
                continue
            stack.extend(current.items)
            stack.extend(n for pair in current.pairs for n in pair)
        return False

    def _remove_flow_item(self, node: Node, position: int) -> None:
        """Remove an item with its separator. An item alone on its line goes with its
        line (and its comment); every other comment stays with its own item."""
        text = self.text
        child = node.items[position]
        start, end = child.start, node_end(text, child)
        first = line_start(text, start)
        rest = text[end : line_end(text, end, keep_break=False)]
        alone = text[first:start].strip(" \t") == "" and bool(_REST_OF_ITEM.fullmatch(rest))
        whole_line = (first, line_end(text, end))
        if position + 1 < len(node.items):
            following = node.items[position + 1].start
            if alone and line_start(text, following) != first:
                self.splice(*whole_line, "")
            else:
                self.splice(start, following, "")
            return
        if position == 0:  # the only item; a comma after it goes too
            if alone:
                self.splice(*whole_line, "")
            else:
                trailing = re.match(r"[ \t]*,", rest)
                self.splice(start, end + (trailing.end() if trailing else 0), "")
            return
        previous_end = node_end(text, node.items[position - 1])
        if not alone:  # "a, b]" → "a]"
            self.splice(previous_end, end, "")
            return
        # "a,  # first\n  b  # second\n]" → "a  # first\n]"; a trailing comma after b
        # means the list is written with trailing commas: a's comma stays
        self.splice(*whole_line, "")
        if not rest.lstrip(" \t").startswith(","):
            comma = text.index(",", previous_end)
            self.splice(comma, comma + 1, "")


_REST_OF_ITEM = re.compile(r"[ \t]*,?[ \t]*(?:#.*)?")


def _value_of(node: Node) -> Any:
    """A scalar's value under the YAML 1.2 core schema."""
    tag = tag_of(node.value) if node.style == "" else "tag:yaml.org,2002:str"
    return _scalar(yaml.ScalarNode(tag, node.value))


def _fits_block(value: str) -> bool:
    """A value a block scalar can hold as written: no leading white space on any line,
    no trailing white space or blank lines, no character libyaml takes for a line
    break; otherwise it is written quoted."""
    lines = value.removesuffix("\n").split("\n")
    return (
        value != ""
        and not value.endswith(("\n\n", " ", "\t"))
        and not any(line[:1] in (" ", "\t") for line in lines)
        and all(char.isprintable() or char in "\t\n" for char in value)
    )


def _render_like(value: Any, old: Node) -> str:
    """Keep the old scalar's quoting where the new value allows it."""
    if isinstance(value, str) and old.style == "'" and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, str) and old.style in ('"', "|", ">"):
        return double_quoted(value)
    return render(value)


# --------------------------------------------------------------------------- checks


def check_with_second_parser(text: str, expected: Any) -> None:
    """ruamel.yaml (YAML 1.2) must read the edited text as exactly the intended data."""
    from ruamel.yaml import YAML

    parser = YAML(typ="safe", pure=True)
    parser.version = (1, 2)
    try:
        seen = parser.load(io.StringIO(text))
    except Exception as exc:  # any parser failure means the splice went wrong
        raise DataError(
            f"internal error: the edit produced invalid YAML ({exc}); nothing was written"
        ) from None
    if _plain(seen) != _plain(expected):
        raise DataError(
            "internal error: the edited file would not read as intended; nothing was written"
        )


def check_comments(
    before: str,
    after: str,
    edited: Sequence[Sequence[PathPart]],
    old_root: Node | None = None,
    new_root: Node | None = None,
) -> None:
    """Every comment still belongs to the value it belonged to (or went with a value
    the edit removed or rewrote). The texts' position trees may be given."""
    old_root = old_root or compose_positions(before)
    new_root = new_root or compose_positions(after)
    nodes = {path: node for path, node, _ in walk(old_root)}
    wrong = owners_lost(
        comment_owners(before, old_root),
        comment_owners(after, new_root),
        [named_path(nodes, path) for path in edited],
    )
    if wrong:
        raise DataError(
            f"internal error: the edit would move the comment {wrong[0]!r} to another "
            "value; nothing was written"
        )


def _plain(value: Any) -> Any:
    """Data with dates as ISO text, so that both parsers' results compare."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def unified_diff(path: Path, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )


# --------------------------------------------------------------------------- changes


@dataclass(frozen=True)
class Change:
    """One edit: ``set`` a value, ``append`` or ``remove`` a list item at ``path``."""

    kind: str
    path: tuple[PathPart, ...]
    value: Any

    def apply_text(self, document: Document) -> None:
        if self.kind == "set":
            document.set_value(self.path, self.value)
        elif self.kind == "append":
            document.append_item(self.path, self.value)
        else:
            document.remove_item(self.path, self.value)

    def shown_at(self, document: Document) -> list[tuple[PathPart, ...]]:
        """Where the change will show in the document (before the change): more than one
        place for a value shared through an anchor."""
        return document.equivalent_paths(self.path, alias_is_own=self.kind == "set")

    def apply_data(self, data: Any, paths: Sequence[tuple[PathPart, ...]] = ()) -> None:
        """The same change on the parsed data, at ``paths`` (default: its own path):
        what the edited file must read as."""
        paths = paths or [self.path]
        value = self.value.isoformat() if isinstance(self.value, dt.date) else self.value
        done: set[int] = set()
        for path in paths:
            parent = data
            for part in path[:-1]:
                if isinstance(parent, dict):
                    if parent.get(part) is None:
                        parent[part] = {}
                    parent = parent[part]
                else:
                    parent = parent[int(part)]
            last = path[-1]
            if self.kind == "set":
                parent[last] = copy.deepcopy(value)
                continue
            if parent.get(last) is None if isinstance(parent, dict) else False:
                parent[last] = []
            target = parent[last]
            if id(target) in done:  # one list object shared by both parsers' results
                continue
            done.add(id(target))
            if self.kind == "append":
                target.append(copy.deepcopy(value))
            elif value in target:
                target.remove(value)


def apply(
    path: Path,
    changes: Sequence[Change] | Callable[[Document], Sequence[Change]],
    validate: Validator,
    dry_run: bool = False,
    *,
    force: bool = False,
) -> str:
    """Apply ``changes`` to the file at ``path`` losslessly; ``validate(text)`` raises
    when the result would make the portfolio invalid. ``changes`` may be a function of
    the document, called under the lock (positions resolved there). Returns the unified
    diff; writes (atomically, under a folder lock) unless ``dry_run``."""
    with folder_lock(path.parent):
        if not dry_run:
            remove_orphans(path.parent)
            check_writable(path, force)
        before, document = edited(path, changes)
        if document.text != before:
            validate(document.text)
        diff = unified_diff(path, before, document.text)
        if not dry_run and document.text != before:
            write_atomically(path, document.encoded(), force=force)
        return diff


def edited(
    path: Path, changes: Sequence[Change] | Callable[[Document], Sequence[Change]]
) -> tuple[str, Document]:
    """The file's text before ``changes`` and the document after them: spliced, read
    back by the second parser as exactly the intended data, every comment still beside
    its value. Writes nothing; the caller holds the folder lock."""
    document = Document.read(path)
    before = document.text
    before_root = document.node()
    expected = document.data()
    planned = changes(document) if callable(changes) else changes
    for change in planned:
        shown_at = change.shown_at(document)
        change.apply_text(document)  # refuses what cannot be done, with a message
        change.apply_data(expected, shown_at)
    if document.text != before:
        check_with_second_parser(document.text, expected)
        paths = [c.path for c in planned]
        check_comments(before, document.text, paths, before_root, document.node())
    return before, document


def create(path: Path, text: str) -> None:
    """Write a new file atomically; refuse to replace one that exists."""
    with folder_lock(path.parent):
        remove_orphans(path.parent)
        if path.exists() or path.is_symlink():
            raise UsageError(f"{display_path(path)} exists already")
        write_atomically(path, text.encode("utf-8"), 0o644)


# --------------------------------------------------------------------------- assignments

_ASSIGNMENT = re.compile(r"^(?P<key>[a-z_][a-z0-9_.-]*?)(?P<op>\+=|-=|=)(?P<value>.*)$", re.S)
LIST_FIELDS = {"goals", "depends_on", "tags", "target_groups", "services", "distinct_from"}
NESTED = {"scores", "effort", "wsjf"}


def parse_value(text: str, what: str = "value") -> Any:
    """A command-line value read as a YAML 1.2 scalar: 4 → 4, true → True, a date or
    a word stays text (the model then checks its type)."""
    refuse_unwritable(text, what)
    if len(text.strip().lstrip("+-")) > 100 and text.strip().lstrip("+-").isdigit():
        raise UsageError(f"{what} {text[:20]}…: a number of more than 100 digits; write less")
    try:
        value = _scalar(yaml.ScalarNode(tag_of(text), text))
    except ValueError as exc:  # e.g. an integer beyond Python's digit limit
        raise UsageError(f"{what} {text[:40]!r}: not a value roadmap can write ({exc})") from None
    refuse_unwritable(value, what)
    return value


def parse_range(text: str, what: str) -> list[int | float]:
    """``1..10``, ``1-10``, ``[1, 10]`` or ``1,10`` → ``[1, 10]``."""
    match = re.fullmatch(
        r"\s*\[?\s*(-?[0-9.]+(?:[eE][-+]?\d+)?)\s*(?:\.\.|,|–|\s)\s*(-?[0-9.]+(?:[eE][-+]?\d+)?)\s*\]?\s*",
        text,
    )
    if match is None:
        raise UsageError(f"{what}={text!r}: expected a range such as 1..5 or [0, 10]")
    bounds = [parse_value(match[1]), parse_value(match[2])]
    if not all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds):
        raise UsageError(f"{what}={text!r}: both ends must be numbers, e.g. 1..5")
    if bounds[0] >= bounds[1]:
        raise UsageError(f"{what}={text!r}: the lower end must be below the upper, e.g. 1..5")
    return bounds


def parse_assignment(text: str, project_fields: Sequence[str]) -> Change:
    """``status=approved``, ``scores.citizen_value=4``, ``tags+=x``, ``depends_on-=y``."""
    from .load import did_you_mean

    match = _ASSIGNMENT.match(text)
    if match is None:
        raise UsageError(
            f"{text!r}: expected KEY=VALUE, KEY+=ITEM or KEY-=ITEM, e.g. status=approved"
        )
    key, op, raw = match["key"], match["op"], match["value"]
    path = tuple(key.split("."))
    if path[0] not in project_fields:
        raise UsageError(f"{key}: no such key{did_you_mean(path[0], project_fields)}")
    if path[0] in {"id", "milestones", "kpis"}:
        raise UsageError(
            f"{key} cannot be set here; use roadmap record for milestones and "
            "KPIs, and rename the file to change an id"
        )
    if len(path) > 2 or (len(path) == 2 and path[0] not in NESTED) or "" in path:
        raise UsageError(f"{key}: only scores.X, effort.X and wsjf.X have parts")
    if op != "=" and path[0] not in LIST_FIELDS:
        raise UsageError(f"{key} is not a list; use {key}=VALUE")
    if op == "=" and path[0] in LIST_FIELDS:
        raise UsageError(f"{key} is a list; add with {key}+=ITEM or remove with {key}-=ITEM")
    if path[0] in LIST_FIELDS:
        refuse_unwritable(raw, key)
        value: Any = raw
    else:
        value = parse_value(raw, key)
    return Change({"=": "set", "+=": "append", "-=": "remove"}[op], path, value)


# --------------------------------------------------------------------------- validators


def project_validator(
    data_dir: Path,
    project_id: str,
    path: Path | None = None,
    loaded: LoadResult | None = None,
) -> Validator:
    """A check of an edited project file: its own problems, its references against the
    portfolio, and the dependency cycles with it in place. Only what an edit of this one
    file can break is checked, over the portfolio as the validation cache has it (a
    single edit in 30,000 projects must not re-read them all)."""
    from .cache import default_cache_dir
    from .checks import cycle_findings, project_findings
    from .errors import Severity
    from .load import load_portfolio, load_project_text, locate_findings

    path = path or data_dir / "projects" / f"{project_id}.yaml"
    shown = display_path(path)

    def check(text: str) -> None:
        result = load_project_text(text, shown, project_id)
        errors = [p.located(shown) for p in result.problems if p.severity is Severity.ERROR]
        if errors:
            raise DataError(
                "the edit would make the file invalid, so nothing was written: "
                + "; ".join(f"line {p.line}: {p.message}" for p in errors),
                errors,
            )
        base = loaded or load_portfolio(data_dir, default_cache_dir())
        if base.portfolio is None:
            raise DataError(
                "strategy.yaml has errors; fix them first (roadmap validate)", base.problems
            )
        portfolio = base.portfolio.model_copy(
            update={
                "projects": {**base.portfolio.projects, project_id: result.model},
                "project_files": {**base.portfolio.project_files, project_id: shown},
            }
        )
        known = base.known_ids | {project_id}
        found = project_findings(result.model, shown, portfolio.strategy, known)
        findings = [
            f
            for f in [*found, *cycle_findings(portfolio)]
            if f.severity is Severity.ERROR and (f.file == shown or f.code == "dependency-cycle")
        ]
        if findings:
            located = locate_findings([f for f in findings if f.file != shown])
            messages = [f.message for f in findings if f.file == shown] + [str(p) for p in located]
            raise DataError(
                "the edit would make the portfolio invalid, so nothing was "
                "written: " + "; ".join(dict.fromkeys(messages)),
                located,
            )

    return check


def strategy_validator(data_dir: Path, whole_portfolio: bool = False) -> Validator:
    """A check of an edited strategy.yaml; with ``whole_portfolio`` also the projects
    against it (a narrower score range can put their scores out of range)."""
    from .checks import portfolio_findings
    from .errors import Severity
    from .load import load_portfolio, load_strategy_text, locate_findings

    shown = display_path(data_dir / "strategy.yaml")

    def check(text: str) -> None:
        result = load_strategy_text(text, shown)
        errors = [p.located(shown) for p in result.problems if p.severity is Severity.ERROR]
        if errors:
            raise DataError(
                "the edit would make strategy.yaml invalid, so nothing was "
                "written: " + "; ".join(f"line {p.line}: {p.message}" for p in errors),
                errors,
            )
        if not whole_portfolio:
            return
        loaded = load_portfolio(data_dir)
        if loaded.portfolio is None:
            return
        portfolio = loaded.portfolio.model_copy(update={"strategy": result.model})
        findings = [
            f
            for f in portfolio_findings(portfolio, loaded.known_ids)
            if f.severity is Severity.ERROR
        ]
        if findings:
            located = locate_findings(findings)
            raise DataError(
                "the edit would make the portfolio invalid, so nothing was written: "
                + "; ".join(str(p) for p in located[:5])
                + (f" (and {len(located) - 5} more)" if len(located) > 5 else ""),
                located,
            )

    return check


# --------------------------------------------------------------------------- projects


def check_project_id(project_id: str) -> None:
    """Refuse what is not a project id (a path, a trailing newline, upper case)."""
    from .model import PROJECT_ID_PATTERN

    if not re.fullmatch(PROJECT_ID_PATTERN.strip("^$"), project_id):
        raise UsageError(
            f"{project_id!r} is not a valid id: use lower-case letters, digits "
            "and hyphens, 2–64 characters, e.g. e-akte"
        )


def project_path(data_dir: Path, project_id: str) -> Path:
    """The file of an existing project (``.yaml`` or ``.yml``)."""
    from .load import did_you_mean, project_files

    check_project_id(project_id)
    folder = data_dir / "projects"
    found = [folder / f"{project_id}{suffix}" for suffix in (".yaml", ".yml")]
    existing = [p for p in found if p.exists() or p.is_symlink()]
    if len(existing) == 2:
        raise UsageError(
            f"both {project_id}.yaml and {project_id}.yml exist in "
            f"{display_path(folder)}; keep one of them"
        )
    if not existing:
        known = [p.stem for p in project_files(data_dir)]
        raise UsageError(f"no project {project_id!r}{did_you_mean(project_id, known)}")
    return existing[0]


def index_of(items: Sequence[Any], wanted: str, what: str, owner: str) -> int:
    from .load import did_you_mean

    ids = [item.get("id") if isinstance(item, dict) else None for item in items]
    if wanted not in ids:
        known = [str(i) for i in ids if i]
        raise UsageError(
            f"{owner} has no {what} {wanted!r}{did_you_mean(wanted, known)}"
            f"{'; ' + what + 's: ' + ', '.join(known) if known else ''}"
        )
    return ids.index(wanted)


@dataclass(frozen=True)
class EditResult:
    """What an edit did: the file, its unified diff (empty: the file already said so)
    and whether it was written."""

    path: Path
    diff: str
    written: bool


def _result(path: Path, diff: str, dry_run: bool) -> EditResult:
    return EditResult(path, diff, bool(diff) and not dry_run)


def set_fields(
    data_dir: Path,
    project_id: str,
    assignments: Sequence[str],
    *,
    dry_run: bool = False,
    force: bool = False,
) -> EditResult:
    """``roadmap set ID KEY=VALUE…``: change fields of a project file losslessly.

    Raises UsageError (bad id, key or value; read-only or foreign file), DataError (the
    file has a YAML problem, carried in ``problems``; or the edit would make the
    portfolio invalid)."""
    from .model import Project

    path = project_path(data_dir, project_id)
    changes = [parse_assignment(a, list(Project.model_fields)) for a in assignments]
    if not changes:
        raise UsageError("say what to set, e.g. status=approved")
    diff = apply(path, changes, project_validator(data_dir, project_id, path), dry_run, force=force)
    return _result(path, diff, dry_run)


def measured_value(value: float | int) -> int | float:
    """A measurement as written: whole numbers as integers (40, not 40.0) while they are
    exact, large ones stay floats (1e308, not a 309-digit integer)."""
    if isinstance(value, bool):
        raise UsageError("a measurement is a number, not true or false")
    refuse_unwritable(value, "value")
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def record_measurement(
    data_dir: Path,
    owner_id: str,
    kpi_id: str,
    value: float | int,
    day: dt.date,
    *,
    dry_run: bool = False,
    force: bool = False,
) -> EditResult:
    """``roadmap record kpi``: append ``{date, value}`` to the measurements of a
    project's KPI, or of a goal's KPI in strategy.yaml when no project has that id.
    The KPI is looked up under the folder lock, in the text being edited.

    Raises UsageError (no such project, goal or KPI; bad value), DataError (a YAML
    problem in the file; a second measurement on that date)."""
    measured = measured_value(value)
    entry = {"date": day, "value": measured}
    if re.fullmatch(r"[a-z0-9][a-z0-9-]{1,63}", owner_id):
        folder = data_dir / "projects"
        if any((folder / f"{owner_id}{s}").exists() for s in (".yaml", ".yml")):
            path = project_path(data_dir, owner_id)

            def in_project(document: Document) -> list[Change]:
                kpis = _items(document.data(), "kpis")
                k = index_of(kpis, kpi_id, "KPI", owner_id)
                _refuse_second_measurement(kpis[k], day, f"{owner_id}/{kpi_id}")
                return [Change("append", ("kpis", k, "measurements"), entry)]

            validator = project_validator(data_dir, owner_id, path)
            diff = apply(path, in_project, validator, dry_run, force=force)
            return _result(path, diff, dry_run)
    strategy = data_dir / "strategy.yaml"
    if not strategy.is_file():
        raise UsageError(f"no strategy.yaml in {display_path(data_dir)}")

    def in_strategy(document: Document) -> list[Change]:
        goals = _items(document.data(), "goals")
        if owner_id not in [g.get("id") for g in goals if isinstance(g, dict)]:
            from .load import did_you_mean, project_files

            known = [p.stem for p in project_files(data_dir)] + [
                str(g.get("id")) for g in goals if isinstance(g, dict)
            ]
            raise UsageError(f"no project or goal {owner_id!r}{did_you_mean(owner_id, known)}")
        g = index_of(goals, owner_id, "goal", "strategy.yaml")
        kpis = _items(goals[g], "kpis")
        k = index_of(kpis, kpi_id, "KPI", owner_id)
        _refuse_second_measurement(kpis[k], day, f"{owner_id}/{kpi_id}")
        return [Change("append", ("goals", g, "kpis", k, "measurements"), entry)]

    diff = apply(strategy, in_strategy, strategy_validator(data_dir), dry_run, force=force)
    return _result(strategy, diff, dry_run)


def _refuse_second_measurement(kpi: Any, day: dt.date, shown: str) -> None:
    """A KPI has one value per date: a second one would make the file invalid."""
    if any(
        isinstance(m, dict) and str(m.get("date")) == day.isoformat()
        for m in _items(kpi, "measurements")
    ):
        raise DataError(
            f"{shown} would have two measurements on {day.isoformat()}, so nothing was "
            "written; give another --date or correct that value in the file"
        )


def _items(data: Any, key: str) -> list[Any]:
    items = data.get(key) if isinstance(data, dict) else None
    return items if isinstance(items, list) else []


def record_milestone(
    data_dir: Path,
    project_id: str,
    milestone_id: str,
    day: dt.date,
    *,
    dry_run: bool = False,
    force: bool = False,
) -> EditResult:
    """``roadmap record milestone ID M --done``: status done, done_on the date. The
    milestone is looked up under the folder lock.

    Raises UsageError (no such project or milestone), DataError (YAML problem; the
    result would be invalid)."""
    path = project_path(data_dir, project_id)

    def plan(document: Document) -> list[Change]:
        milestones = _items(document.data(), "milestones")
        m = index_of(milestones, milestone_id, "milestone", project_id)
        return [
            Change("set", ("milestones", m, "status"), "done"),
            Change("set", ("milestones", m, "done_on"), day),
        ]

    diff = apply(path, plan, project_validator(data_dir, project_id, path), dry_run, force=force)
    return _result(path, diff, dry_run)


def add_item(
    data_dir: Path,
    owner: str,
    key: str,
    item: dict[str, Any],
    *,
    dry_run: bool = False,
    force: bool = False,
) -> EditResult:
    """``roadmap add milestone|kpi``: append ``item`` to the ``key`` list (milestones,
    kpis) of a project, or of a goal in strategy.yaml when ``owner`` is ``goal:ID``.
    Refuses an id the list already has."""

    def appended(items: list[Any], where: tuple[PathPart, ...], whose: str) -> list[Change]:
        ids = [i.get("id") for i in items if isinstance(i, dict)]
        if item["id"] in ids:
            raise UsageError(f"{whose} has a {key[:-1]} {item['id']!r} already; choose --id")
        return [Change("append", (*where, key), item)]

    if owner.startswith("goal:"):
        goal = owner.removeprefix("goal:")
        path = data_dir / "strategy.yaml"

        def in_goal(document: Document) -> list[Change]:
            goals = _items(document.data(), "goals")
            g = index_of(goals, goal, "goal", "strategy.yaml")
            return appended(_items(goals[g], key), ("goals", g), f"goal {goal}")

        diff = apply(path, in_goal, strategy_validator(data_dir), dry_run, force=force)
        return _result(path, diff, dry_run)
    path = project_path(data_dir, owner)

    def in_project(document: Document) -> list[Change]:
        return appended(_items(document.data(), key), (), owner)

    diff = apply(path, in_project, project_validator(data_dir, owner, path), dry_run, force=force)
    return _result(path, diff, dry_run)


def set_criterion(
    data_dir: Path,
    criterion_id: str,
    assignments: Sequence[str],
    *,
    dry_run: bool = False,
    force: bool = False,
) -> EditResult:
    """Change a criterion in strategy.yaml: ``scale=1..10`` (or ``[1, 10]``),
    ``weight=2``, ``direction=cost``, ``title=…``, ``gate=2``. The projects' scores are
    checked against the new range before anything is written."""
    allowed = ("scale", "weight", "direction", "title", "description", "gate")
    parsed: list[tuple[str, Any]] = []
    for assignment in assignments:
        key, sep, raw = assignment.partition("=")
        if not sep or key not in allowed:
            raise UsageError(
                f"{assignment!r}: expected one of {', '.join(k + '=…' for k in allowed)}"
            )
        parsed.append((key, parse_range(raw, key) if key == "scale" else parse_value(raw, key)))
    if not parsed:
        raise UsageError("say what to set, e.g. scale=1..10")
    path = data_dir / "strategy.yaml"

    def plan(document: Document) -> list[Change]:
        criteria = _items(document.data(), "criteria")
        c = index_of(criteria, criterion_id, "criterion", "strategy.yaml")
        return [Change("set", ("criteria", c, key), value) for key, value in parsed]

    validator = strategy_validator(data_dir, whole_portfolio=True)
    diff = apply(path, plan, validator, dry_run, force=force)
    return _result(path, diff, dry_run)


# --------------------------------------------------------------------------- new


def new_project_path(data_dir: Path, project_id: str) -> Path:
    """Where ``roadmap new ID`` writes; refuses a bad id and one that exists."""
    check_project_id(project_id)
    folder = data_dir / "projects"
    for suffix in (".yaml", ".yml"):
        existing = folder / f"{project_id}{suffix}"
        if existing.exists() or existing.is_symlink():
            raise UsageError(f"{display_path(existing)} exists already")
    return folder / f"{project_id}.yaml"


def similar_projects(
    portfolio: Portfolio, project_id: str, title: str, limit: int = 5
) -> list[tuple[float, Project]]:
    """Projects that look like a new one (score ≥ the bundling threshold), most similar
    first: duplicates are cheapest to stop when they are entered."""
    from .bundle import similar_to
    from .model import Project

    candidate = Project.model_validate({"id": project_id, "title": title})
    found = [(score, p) for score, p in similar_to(candidate, portfolio) if p.id != project_id]
    return sorted(found, key=lambda item: (-item[0], item[1].id))[:limit]


def create_project(
    data_dir: Path,
    project_id: str,
    text: str,
    *,
    dry_run: bool = False,
    loaded: LoadResult | None = None,
) -> Path:
    """Validate the text of a new project against the portfolio (``loaded``, when the
    caller has loaded it already) and write it (unless ``dry_run``). Raises UsageError
    (bad id; the file exists), DataError (invalid)."""
    path = new_project_path(data_dir, project_id)
    project_validator(data_dir, project_id, path, loaded)(text)
    if not dry_run:
        create(path, text)
    return path


NEW_PROJECT = """\
# {title}
id: {id}
title: {title_yaml}
# summary: Ein Satz, was das Projekt für wen erreicht.
# description: >-
#   Ausführlicher: Ausgangslage, Lösung, Abgrenzung zu anderen Projekten.
{field}{department}{owner}status: {status}
# decision: must | should | could | wont   (Beschluss des Ausschusses)
# start: 2027-01-01
# duration_months: 12
# deadline: 2027-12-31   (harte Frist, z. B. gesetzlich)
effort:
  budget_eur: 0
  running_eur_per_year: 0
  staff_fte: 0
# depends_on: [andere-projekt-id]
{scores}# tags: [stichwort]
# target_groups: [citizens]   (citizens, businesses, staff, schools, visitors)
# services: ["99..."]   (LeiKa-Schlüssel der Leistung)
# personal_data: true   → dann dpia: Datum oder Link der Datenschutz-Folgenabschätzung
# citizen_facing: true  → dann accessibility: BITV 2.0 und analog_access: …
# open_source: true     (oder {{value: false, reason: "…"}})
# milestones:
#   - {{id: start, title: Projektstart, due: 2027-01-31}}
# kpis:
#   - id: nutzung
#     title: Nutzung
#     unit: Vorgänge
#     direction: increase
#     baseline: {{value: 0, date: 2026-12-31}}
#     target: {{value: 1000, date: 2027-12-31}}
"""


def new_project_text(
    project_id: str,
    title: str,
    criteria: Sequence[tuple[str, str]],
    field: str | None = None,
    department: str | None = None,
    owner: str | None = None,
    status: str = "idea",
) -> str:
    """The text of a new project file. Every value is rendered as YAML (quoted and
    escaped where needed) and the title's comment line has no line break of any kind,
    so no text can add keys."""
    check_project_id(project_id)
    for what, value in (
        ("title", title),
        ("field", field),
        ("department", department),
        ("owner", owner),
        ("status", status),
    ):
        if value is not None:
            refuse_unwritable(value, f"--{what}")

    def line(key: str, value: str | None) -> str:
        return f"{key}: {render(value)}\n" if value else ""

    scores = "".join(f"#   {one_line(c)}: …   ({one_line(scale)})\n" for c, scale in criteria)
    return NEW_PROJECT.format(
        id=project_id,
        title=one_line(title),
        title_yaml=render(title),
        field=line("field", field),
        department=line("department", department),
        owner=line("owner", owner),
        status=render(status),
        scores=f"# scores:   (bitte bewerten)\n{scores}" if scores else "",
    )
