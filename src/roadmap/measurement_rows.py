"""Long runs of one-line KPI measurements, read without the YAML parser.

A KPI measured daily for years holds thousands of lines such as
``      - {date: 2026-06-30, value: 249}`` (the shape ``roadmap record kpi`` writes).
libyaml spends about 20 µs on each (five nodes, four scalars resolved in Python), so
1,000 such KPIs took the better part of a minute before anything was checked. Here a
run of such lines is replaced by one placeholder item followed by blank lines (so every
other line keeps its number and column), the YAML parser reads the rest, and the rows
are put back in place of the placeholder as the dicts the parser would have built.

Only this exact shape is read here: plain date and number, no comment, no quotes, the
same indentation on consecutive lines. Anything else stays with the parser, and the
fast reading is given up (the whole text goes to the parser) whenever its result could
differ: a placeholder that did not end up as an item of a list, exactly once (a run
inside a block scalar or a multi-line string, an alias), or any YAML problem, so that
problems are always located in the text as written.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

_ROW_BODY = r"- \{date: \d{4}-\d\d-\d\d, value: -?(?:0|[1-9]\d{0,14})(?:\.\d{1,15})?\} *"
# a run: consecutive lines of that shape, all with the first one's indentation
RUN = re.compile(rf"^( *){_ROW_BODY}(?:\n\1{_ROW_BODY})*$", re.M | re.ASCII)
# one row of a run, its fields
ROW = re.compile(r"^( *)- \{date: (\d{4}-\d\d-\d\d), value: (-?\d+)(\.\d+)?\} *$", re.M | re.ASCII)
FIELDS = re.compile(r"\{date: (\d{4}-\d\d-\d\d), value: (-?\d+)(\.\d+)?\}", re.ASCII)
MIN_RUN = 32  # shorter runs cost the parser little
PREFIX = "roadmap-measurement-rows-"  # a plain YAML string; text holding it is not collapsed


@dataclass(frozen=True)
class Run:
    """Consecutive rows with one indentation: the line of the first (0-based), where
    the run starts and ends in the text, and how many rows it has."""

    line: int
    start: int
    end: int
    count: int


# where the items of an expanded list came from, one entry per stretch: the index of its
# first item in the expanded list, and either the index of that item in the collapsed
# list (one item) or the run whose rows it is
Origin = tuple[int, int | None, Run | None]


@dataclass
class Collapsed:
    """A text with its long runs of rows collapsed, and (once parsed) the node tree of
    the collapsed text and the data with the rows back in place."""

    source: str
    text: str
    runs: dict[str, Run]
    origins: dict[int, list[Origin]] = field(default_factory=dict)  # by id() of the list
    node: Any = None
    data: Any = None
    lines: dict[int, list[re.Match[str]]] = field(default_factory=dict)  # by run start

    def row_match(self, run: Run, index: int) -> re.Match[str]:
        """The ``index``-th row of ``run`` as written (for locating a problem in it)."""
        if run.start not in self.lines:
            self.lines[run.start] = list(ROW.finditer(self.source, run.start, run.end))
        return self.lines[run.start][index]

    def rows(self, run: Run, wanted: int | None = None) -> list[dict[str, Any]]:
        """The run's rows as the YAML parser builds them: the date a string (YAML 1.2
        has no dates), the value an int, or a float when it has a fraction. With
        ``wanted``, only the first that many are read."""
        fields = (
            FIELDS.findall(self.source, run.start, run.end)
            if wanted is None or wanted >= run.count
            else [
                m.groups()
                for m in itertools.islice(FIELDS.finditer(self.source, run.start, run.end), wanted)
            ]
        )
        return [
            {"date": date, "value": float(whole + fraction) if fraction else int(whole)}
            for date, whole, fraction in fields
        ]


def collapse(text: str) -> Collapsed | None:
    """``text`` with each run of at least :data:`MIN_RUN` rows collapsed, or None when
    there is none (or the text holds the placeholder's prefix itself)."""
    # most files have no long run: counting the rows' start (in C) settles that at once
    if text.count("- {date: ") < MIN_RUN or PREFIX in text:
        return None
    runs: dict[str, Run] = {}
    pieces: list[str] = []
    done = 0  # text before this offset is in pieces
    line = 0  # 0-based line of offset `done`
    for found in RUN.finditer(text):
        count = found.group().count("\n") + 1
        if count < MIN_RUN:
            continue
        token = f"{PREFIX}{len(runs)}"
        line += text.count("\n", done, found.start())
        runs[token] = Run(line, found.start(), found.end(), count)
        pieces.append(text[done : found.start()])
        pieces.append(f"{found.group(1)}- {token}" + "\n" * (count - 1))
        line += count - 1
        done = found.end()
    if not runs:
        return None
    pieces.append(text[done:])
    return Collapsed(text, "".join(pieces), runs)


def expand(
    collapsed: Collapsed, data: Any, max_depth: int, max_measurements: int | None = None
) -> bool:
    """Put the rows back into ``data`` (the parsed collapsed text) in place; False when
    a placeholder is anywhere but an item of a list, appears twice or never, or its
    rows would nest deeper than ``max_depth`` (then the parser must read the text).

    A ``measurements`` list longer than ``max_measurements`` keeps its length, but its
    rows past that many + 1 are copies of the last one read: the schema refuses such a
    list for its length alone (pydantic stops at the first item too many and reports
    only that), so what they hold is never seen, and 1,000 KPIs of 10,000 values are
    refused in seconds instead of building ten million dicts."""
    expander = _Expander(collapsed, max_depth, max_measurements)
    found = expander.walk(data, 1) and expander.seen == collapsed.runs.keys()
    if found:
        collapsed.data = data
    return found


class _Expander:
    """The state of one expand(); a class, not a recursive closure, because a closure
    that calls itself is a reference cycle, which the paused collector would keep (with
    the whole text and its rows)."""

    def __init__(self, collapsed: Collapsed, max_depth: int, max_measurements: int | None) -> None:
        self.collapsed = collapsed
        self.max_depth = max_depth
        self.max_measurements = max_measurements
        self.seen: set[str] = set()

    def walk(self, value: Any, depth: int, key: Any = None) -> bool:
        if isinstance(value, str):
            return PREFIX not in value
        if isinstance(value, dict):
            return all(
                self.walk(key, depth + 1) and self.walk(item, depth + 1, key)
                for key, item in value.items()
            )
        if not isinstance(value, list):
            return True
        runs = self.collapsed.runs
        if not any(isinstance(item, str) and item in runs for item in value):
            return all(self.walk(item, depth + 1) for item in value)
        expanded: list[Any] = []
        origins: list[Origin] = []
        for index, item in enumerate(value):
            run = runs.get(item) if isinstance(item, str) else None
            if run is None:
                if not self.walk(item, depth + 1):
                    return False
                origins.append((len(expanded), index, None))
                expanded.append(item)
                continue
            # a row is a mapping one level below the list, its scalars two
            if item in self.seen or depth + 2 > self.max_depth:
                return False
            self.seen.add(item)
            origins.append((len(expanded), None, run))
            expanded += self._rows(run, len(expanded), key == "measurements")
        value[:] = expanded
        self.collapsed.origins[id(value)] = origins
        return True

    def _rows(self, run: Run, before: int, measurements: bool) -> list[dict[str, Any]]:
        """The run's rows, in a list holding ``before`` items already; see expand()
        for the rows of a list of measurements that is too long."""
        limit = self.max_measurements
        if not measurements or limit is None or before + run.count <= limit + 1:
            return self.collapsed.rows(run)
        read = self.collapsed.rows(run, max(1, limit + 1 - before))
        return read + [read[-1]] * (run.count - len(read))


def locate(
    collapsed: Collapsed,
    path: Sequence[Any],
    at_key: bool,
    locate_in_tree: Callable[[Any, list[Any], bool], tuple[int, int]],
) -> tuple[int, int]:
    """Line and column (1-based) of ``path`` in the text as written: inside a row from
    the row's line, elsewhere from the collapsed text's tree (whose lines are the
    original's), with list indices translated to the collapsed lists'."""
    translated: list[Any] = []
    current = collapsed.data
    for position, part in enumerate(path):
        origins = collapsed.origins.get(id(current)) if isinstance(current, list) else None
        if origins is not None and isinstance(part, int) and 0 <= part < len(current):
            first, index, run = next(o for o in reversed(origins) if o[0] <= part)
            if run is not None:
                match = collapsed.row_match(run, part - first)
                return _in_row(match, run.line + part - first, path[position + 1 :], at_key)
            translated.append(index)
            current = current[part]
            continue
        translated.append(part)
        inside_list = isinstance(current, list) and isinstance(part, int)
        if (isinstance(current, dict) and part in current) or (
            inside_list and 0 <= part < len(current)
        ):
            current = current[part]
        # otherwise a part that is no key (a union member's name): the parser's locate
        # skips it, and so does this walk
    return locate_in_tree(collapsed.node, translated, at_key)


def _in_row(match: re.Match[str], line: int, rest: Sequence[Any], at_key: bool) -> tuple[int, int]:
    """Line and column (1-based) of a row written on the 0-based ``line``, or of its
    date or value (or their keys)."""
    start = match.start()
    for part in rest:
        if part in ("date", "value"):
            group = 2 if part == "date" else 3
            column = match.start(group) - start
            if at_key:
                column -= len(f"{part}: ")
            return line + 1, column + 1
    return line + 1, len(match.group(1)) + 3  # the '{' after "- "
