"""List edits of a document: append an item in the style of the list's last one, remove
an item with its separator, its line where it is alone on one, and never a comment of
another item."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import PathPart, UsageError
from ..yamlsplice import (
    Node,
    column,
    content_start,
    line_end,
    line_start,
    node_end,
    refuse_unwritable,
    render,
    scalar_value,
)

if TYPE_CHECKING:
    from .document import Document

_REST_OF_ITEM = re.compile(r"[ \t]*,?[ \t]*(?:#.*)?")


def append_item(document: Document, path: Sequence[PathPart], item: Any) -> None:
    """Append to a list (flow or block; in the style of its last item), creating it
    if missing."""
    refuse_unwritable(item, ".".join(map(str, path)))
    key, found = document.find(path)
    if found is None:
        document.add_key(path[:-1], str(path[-1]), [item])
        return
    node = found.resolved()
    if node.is_empty_null:
        document.fill_empty(key, path, render([item]))
        return
    if node.kind != "sequence":
        raise UsageError(f"{'.'.join(map(str, path))} is not a list")
    if node.flow:
        if node.items and _append_on_own_line(document, node.items[-1], render(item)):
            return
        if node.items:  # after the last item: a trailing comma stays trailing
            at = node_end(document.text, node.items[-1])
            document.splice(at, at, f", {render(item)}")
        else:
            close = node.end - 1  # the ']'
            document.splice(close, close, render(item))
        return
    last = node.items[-1]
    first = line_start(document.text, last.start)
    dash = document.text.rfind("-", first, last.start)
    if dash < 0:
        raise UsageError(f"{'.'.join(map(str, path))}: unusual list layout; edit the file")
    # what precedes the dash on its line, as blanks: the ': ' of a complex key's value
    # or the '- ' of an outer list ("? services\n: - k1") must not start the new line
    prefix = re.sub(r"[^ \t]", " ", document.text[first:dash])
    real = last.resolved()
    if (
        real.kind == "mapping"
        and last.kind != "alias"
        and not real.flow
        and real.pairs
        and isinstance(item, dict)
    ):
        at = column(document.text, real.pairs[0][0].start)
        nl = document.newline_at(last.start)
        lines = [f"{render(k)}: {render(v)}" for k, v in item.items()]
        body = lines[0] + "".join(nl + " " * at + line for line in lines[1:])
    else:
        body = render(item)
    after = document.text[dash + 1 : content_start(document.text, last)]
    after = after if after.strip() == "" else " "
    document.insert_line_after(document.insert_end(last), f"{prefix}-{after}{body}")


def _append_on_own_line(document: Document, last: Node, rendered: str) -> bool:
    """In a flow list written one item a line, the new item gets a line of its own,
    so that the last item's comment stays with it."""
    end = node_end(document.text, last)
    first = line_start(document.text, last.start)
    rest = _REST_OF_ITEM.fullmatch(document.text[end : line_end(document.text, end, False)])
    if rest is None or document.text[first : last.start].strip(" \t") or not rest.group():
        return False
    indent = document.text[first : last.start]
    if rest.group().lstrip(" \t").startswith(","):  # written with trailing commas
        document.insert_line_after(end + 1, f"{indent}{rendered},")
    else:
        document.splice(end, end, ",")
        document.insert_line_after(end + 1, f"{indent}{rendered}")
    return True


def remove_item(document: Document, path: Sequence[PathPart], item: Any) -> None:
    _, found = document.find(path)
    shown = ".".join(map(str, path))
    if found is None or found.resolved().kind != "sequence":
        raise UsageError(f"{shown} is not a list")
    node = found.resolved()
    position = next(
        (
            i
            for i, child in enumerate(node.items)
            if child.resolved().kind == "scalar" and scalar_value(child.resolved()) == item
        ),
        None,
    )
    if position is None:
        known = [c.resolved().value for c in node.items if c.resolved().kind == "scalar"]
        raise UsageError(
            f"{shown} has no item {item!r}" + (f"; it has: {', '.join(known)}" if known else "")
        )
    child = node.items[position]
    if child.kind != "alias" and child.anchor and _aliased(document, child):
        raise UsageError(
            f"{item!r} in {shown} carries the anchor &{child.anchor}, which other values "
            "refer to; removing it would leave them without a value; edit the file"
        )
    if node.flow:
        _remove_flow_item(document, node, position)
        return
    if len(node.items) == 1:
        raise UsageError(
            f"{item!r} is the only item of {shown}; a block list cannot be left empty "
            "here; edit the file"
        )
    start = line_start(document.text, child.start)
    dash = document.text.rfind("-", start, child.start)
    if document.text[start:dash].strip(" \t"):  # e.g. ": - k1" after a "? key" line
        raise document.refusal(
            child.start,
            "edit-list-layout",
            f"{shown}: the item {item!r} shares its line with what comes before it; "
            "write the list one item a line, then edit again",
        )
    document.splice(start, line_end(document.text, node_end(document.text, child) - 1), "")


def _aliased(document: Document, anchored: Node) -> bool:
    """Some alias in the document refers to this node."""
    stack = [document.node()]
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


def _remove_flow_item(document: Document, node: Node, position: int) -> None:
    """Remove an item with its separator. An item alone on its line goes with its
    line (and its comment); every other comment stays with its own item."""
    text = document.text
    child = node.items[position]
    start, end = child.start, node_end(text, child)
    first = line_start(text, start)
    rest = text[end : line_end(text, end, keep_break=False)]
    alone = text[first:start].strip(" \t") == "" and bool(_REST_OF_ITEM.fullmatch(rest))
    whole_line = (first, line_end(text, end))
    if position + 1 < len(node.items):
        following = node.items[position + 1].start
        if alone and line_start(text, following) != first:
            document.splice(*whole_line, "")
        else:
            document.splice(start, following, "")
        return
    if position == 0:  # the only item; a comma after it goes too
        if alone:
            document.splice(*whole_line, "")
        else:
            trailing = re.match(r"[ \t]*,", rest)
            document.splice(start, end + (trailing.end() if trailing else 0), "")
        return
    previous_end = node_end(text, node.items[position - 1])
    if not alone:  # "a, b]" → "a]"
        document.splice(previous_end, end, "")
        return
    # "a,  # first\n  b  # second\n]" → "a  # first\n]"; a trailing comma after b
    # means the list is written with trailing commas: a's comma stays
    document.splice(*whole_line, "")
    if not rest.lstrip(" \t").startswith(","):
        comma = text.index(",", previous_end)
        document.splice(comma, comma + 1, "")
