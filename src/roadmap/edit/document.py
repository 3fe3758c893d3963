"""A file's text and the lossless splices of one edit: set a value, add a key, append
or remove a list item. Positions come from :mod:`roadmap.yamlsplice`; nothing is
re-serialized."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

from ..atomic import read_bytes
from ..errors import DataError, PathPart, Problem, Severity, UsageError
from ..load import compose, construct, decode, display_path
from ..yamlsplice import (
    Node,
    column,
    compose_positions,
    content_start,
    dominant_newline,
    double_quoted,
    line_end,
    line_start,
    node_end,
    refuse_unwritable,
    render,
    walk,
)


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
            except Exception as exc:  # the loader's located problem (YamlProblem)
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

    def refusal(self, index: int, code: str, message: str) -> DataError:
        """A located refusal of an edit this file's shape does not allow."""
        line = len(_LINE_BREAK.findall(self.text, 0, index)) + 1
        problem = Problem(
            display_path(self.path),
            line,
            column(self.text, index) + 1,
            Severity.ERROR,
            code,
            message,
        )
        return DataError(f"{problem}; nothing was written", [problem])

    def refuse_shared(
        self, path: Sequence[PathPart], shown_at: Sequence[Sequence[PathPart]]
    ) -> DataError:
        """The refusal of a change at ``path`` that would show at other places too: the
        value (or a parent) carries an anchor that aliases elsewhere refer to."""
        anchored: Node | None = None
        for depth in range(len(path), 0, -1):
            _, node = self.find(path[:depth])
            if node is not None and node.resolved().anchor:
                anchored = node.resolved()
                break
        places = []
        for other in sorted(
            ((self._alias_on(p), p) for p in shown_at if tuple(p) != tuple(path)),
            key=lambda place: place[0],
        ):
            line = len(_LINE_BREAK.findall(self.text, 0, other[0])) + 1
            places.append(f"{'.'.join(map(str, other[1]))} (line {line})")
        name = f"&{anchored.anchor}" if anchored is not None else "an anchor"
        shown = ".".join(map(str, path))
        return self.refusal(
            anchored.start if anchored is not None else 0,
            "edit-shared-anchor",
            f"{shown} is shared through the anchor {name} with {', '.join(places)}: "
            "changing it would change those too; write the value out where it should "
            "differ (instead of the alias), then edit again",
        )

    def _alias_on(self, path: Sequence[PathPart]) -> int:
        """Where the first alias on the way to ``path`` is written (or the value, when
        no alias leads there)."""
        last = 0
        for depth in range(1, len(path) + 1):
            key, node = self.find(path[:depth])
            if node is None:
                break
            last = key.start if key is not None else node.start
            if node.kind == "alias":
                return node.start
        return last

    def newline_at(self, index: int) -> str:
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

    def insert_end(self, node: Node) -> int:
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

    def insert_line_after(self, index: int, line: str) -> None:
        """A new line after the one holding ``index - 1``; a file without a final line
        break stays without one."""
        nl = self.newline_at(max(index - 1, 0))
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
                self.fill_empty(key, path, render(value))
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

    def fill_empty(self, key: Node | None, path: Sequence[PathPart], text: str) -> None:
        """``decision:`` or ``decision:  # tbd`` → ``decision: must  # tbd``."""
        shown = ".".join(map(str, path))
        if key is None:
            raise UsageError(f"{shown} is an empty list item; edit the file")
        colon = _COLON.match(self.text, key.end)
        if colon is None:  # ``? key`` with no ``:`` line: the value's place is unclear
            raise self.refusal(
                key.start,
                "edit-complex-key",
                f"{shown} is written as a complex key ('? {key.value}') without a value; "
                f"write it as '{key.value}: VALUE', then edit again",
            )
        self.splice(colon.end(), colon.end(), " " + text)

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
            nl = self.newline_at(start)
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
                nl = self.newline_at(parent_key.start)
                line = " " * indent + self._key_value(key, value, indent, nl)
                self.insert_line_after(line_end(self.text, parent_key.end, False), line)
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
        indent = self._key_column(first_key)
        last_key, last = parent.pairs[-1]
        end = max(last_key.end, self.insert_end(last))
        nl = self.newline_at(end)
        self.insert_line_after(end, " " * indent + self._key_value(key, value, indent, nl))

    def _key_column(self, key: Node) -> int:
        """Where the keys of a block mapping start: the key's column, or that of its
        ``?`` when it is written as a complex key."""
        first = line_start(self.text, key.start)
        before = self.text[first : key.start]
        if before.strip(" \t") == "?":
            return len(before) - len(before.lstrip(" \t"))
        return column(self.text, key.start)

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
        from .lists import append_item

        append_item(self, path, item)

    def remove_item(self, path: Sequence[PathPart], item: Any) -> None:
        """Remove the first item equal to ``item`` with its separator and, where it is
        alone on its line, its line."""
        from .lists import remove_item

        remove_item(self, path, item)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_COLON = re.compile(r"[ \t]*:")


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
