"""How long a template value's text would be, found without building it.

A list that repeats one inner list a million times costs a few megabytes of references,
but its text (``str()``, what ``{{ value }}`` prints) is gigabytes. The sandbox asks
:func:`text_size` before it turns a value into text, so such a value is refused at the
template line that prints it instead of filling the memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2.utils import Namespace

# what the text of an object we do not look into costs at most (its repr is its own:
# "<generator object …>", a macro, a loop)
OPAQUE = 120


@dataclass(frozen=True)
class TextSize:
    chars: int  # an upper estimate of len(str(value))
    items: int  # values nested inside (every item of every list, key and value of dicts)
    depth: int  # how deeply containers nest (0 for a plain value)


class TooDeep(ValueError):
    """The value nests containers deeper than allowed."""


def _children(value: Any) -> list[Any] | None:
    """The values whose text is part of ``value``'s text; None for a plain value."""
    if isinstance(value, str | bytes | int | float | complex | type(None)):
        return None
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    if isinstance(value, dict):
        return [part for pair in value.items() for part in pair]
    if isinstance(value, type({}.keys()) | type({}.values())):
        return list(value)
    if isinstance(value, type({}.items())):
        pairs: list[tuple[Any, Any]] = list(value)
        return [part for pair in pairs for part in pair]
    if isinstance(value, Namespace):
        attrs: dict[str, Any] = object.__getattribute__(value, "_Namespace__attrs")
        return [part for pair in attrs.items() for part in pair]
    return None


def _leaf_chars(value: Any, inside: bool) -> int:
    """The text of a plain value; inside a container its repr (quotes, escapes)."""
    if isinstance(value, str):
        if not inside:
            return len(value)
        # repr escapes what is not printable: at most "\U0010ffff" per character
        return len(value) + 2 if value.isprintable() else 10 * len(value) + 2
    if isinstance(value, bytes):
        return 4 * len(value) + 3
    if isinstance(value, bool) or value is None:
        return 5
    if isinstance(value, int):
        return value.bit_length() * 30103 // 100000 + 2  # log10(2) digits per bit
    if isinstance(value, float | complex):
        return 50
    return OPAQUE


def text_size(value: Any, max_depth: int = 200) -> TextSize:
    """The size of ``str(value)`` (for a container the repr of its items), walking each
    distinct object once, so a list repeating one big list costs its length, not the
    big list's times its length. Raises :class:`TooDeep` beyond ``max_depth``."""
    children = _children(value)
    if children is None:
        return TextSize(_leaf_chars(value, inside=False), 0, 0)
    done: dict[int, TextSize] = {}
    # (object, its children or None once they are pushed, depth)
    stack: list[tuple[Any, list[Any] | None, int]] = [(value, None, 0)]
    while stack:
        current, expanded, depth = stack.pop()
        key = id(current)
        if expanded is None:
            if key in done:
                continue
            below = _children(current)
            if below is None:
                done[key] = TextSize(_leaf_chars(current, inside=True), 0, 0)
                continue
            if depth >= max_depth:
                raise TooDeep(f"the value nests lists or mappings deeper than {max_depth} levels")
            done[key] = TextSize(OPAQUE, 0, 0)  # a cycle prints as "[...]"
            stack.append((current, below, depth))
            stack.extend((child, None, depth + 1) for child in below)
            continue
        chars = 2 + (type(current).__name__ == "Namespace") * 12
        items = len(expanded)
        deepest = 0
        for child in expanded:
            size = done[id(child)]
            chars += size.chars + 2  # ", " or ": "
            items += size.items
            deepest = max(deepest, size.depth)
        done[key] = TextSize(chars, items, deepest + 1)
    return done[id(value)]
