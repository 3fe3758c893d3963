"""Command-line assignments read as changes: ``status=approved``, ``tags+=x``,
``depends_on-=y``, ``scores.nutzen=4``, ranges such as ``1..5``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..errors import UsageError
from ..yamlsplice import plain_value, refuse_unwritable
from .transaction import Change

_ASSIGNMENT = re.compile(r"^(?P<key>[a-z_][a-z0-9_.-]*?)(?P<op>\+=|-=|=)(?P<value>.*)$", re.S)
LIST_FIELDS = {"goals", "depends_on", "tags", "target_groups", "services", "distinct_from"}
NESTED = {"scores", "effort", "wsjf"}
_SCORE_RANGE = re.compile(r"\s*\[.*\]\s*|.*\d\s*(?:\.\.|–)\s*-?\d.*")


def parse_value(text: str, what: str = "value") -> Any:
    """A command-line value read as a YAML 1.2 scalar: 4 → 4, true → True, a date or
    a word stays text (the model then checks its type)."""
    refuse_unwritable(text, what)
    if len(text.strip().lstrip("+-")) > 100 and text.strip().lstrip("+-").isdigit():
        raise UsageError(f"{what} {text[:20]}…: a number of more than 100 digits; write less")
    try:
        value = plain_value(text)
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
    from ..load import did_you_mean

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
    elif path[0] == "scores" and _SCORE_RANGE.fullmatch(raw):
        # a score given as a range, [low, high]; "3,5" stays a (German) number
        value = parse_range(raw, key)
    else:
        value = parse_value(raw, key)
    return Change({"=": "set", "+=": "append", "-=": "remove"}[op], path, value)
