"""Checks of strategy.yaml on its own: the period, unique ids, references between its
parts, the goal tree, criteria and capacity. Split from checks.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .check_kpis import duplicates, kpi_findings
from .errors import Finding, Severity
from .load import Suggester, did_you_mean
from .model import Strategy

MAX_GOAL_LEVELS = 20  # sub-goals below a top goal; reports nest them, people read 3 or 4


def strategy_findings(strategy: Strategy, file: str) -> Iterator[Finding]:
    """Every check of strategy.yaml on its own: the period, unique ids, references
    between its parts, goals, criteria and capacity."""
    s = strategy
    if s.period.end < s.period.start:
        yield Finding(
            file,
            ("period", "end"),
            Severity.ERROR,
            "end-before-start",
            f"period ends ({s.period.end}) before it starts ({s.period.start})",
        )
    listed: list[tuple[str, list[Any]]] = [
        ("fields", s.fields),
        ("goals", s.goals),
        ("programs", s.programs),
        ("criteria", s.criteria),
    ]
    for where, items in listed:
        yield from duplicates(file, ((i, x.id) for i, x in enumerate(items)), where)
    field_ids = {f.id for f in s.fields}
    with_field: list[tuple[str, list[Any]]] = [("goals", s.goals), ("programs", s.programs)]
    for where, items in with_field:
        for i, item in enumerate(items):
            if item.field not in field_ids:
                yield Finding(
                    file,
                    (where, i, "field"),
                    Severity.ERROR,
                    "unknown-field",
                    f"{where}[{i}]: no field of action {item.field!r}"
                    f"{did_you_mean(item.field, field_ids)}",
                )
    yield from _goal_findings(s, file)
    yield from _criteria_findings(s, file)
    yield from _capacity_findings(s, file)


def _goal_findings(s: Strategy, file: str) -> Iterator[Finding]:
    """Parents that exist, no cycles, not too deep; each goal's KPIs."""
    goal_ids = {g.id for g in s.goals}
    parents = {g.id: g.parent for g in s.goals}
    levels, cycles = _goal_levels(parents)
    suggest = Suggester(goal_ids)
    for i, goal in enumerate(s.goals):
        if goal.parent is None:
            pass
        elif goal.parent not in goal_ids:
            yield Finding(
                file,
                ("goals", i, "parent"),
                Severity.ERROR,
                "unknown-parent",
                f"goal {goal.id!r}: no parent goal {goal.parent!r}{suggest(goal.parent)}",
            )
        elif goal.id in cycles:
            yield Finding(
                file,
                ("goals", i, "parent"),
                Severity.ERROR,
                "goal-cycle",
                f"goal {goal.id!r} is its own ancestor: "
                f"{_shown_chain(cycles[goal.id])}; break the chain of parents",
            )
        elif levels.get(goal.id) == MAX_GOAL_LEVELS + 1:  # once per branch, where it starts
            yield Finding(
                file,
                ("goals", i, "parent"),
                Severity.ERROR,
                "goal-too-deep",
                f"goal {goal.id!r} is {MAX_GOAL_LEVELS + 1} levels below a top goal; "
                f"sub-goals may nest at most {MAX_GOAL_LEVELS} levels (give it a parent "
                "higher up)",
            )
        yield from kpi_findings(file, ("goals", i), goal.kpis, s.period.end)


def _criteria_findings(s: Strategy, file: str) -> Iterator[Finding]:
    """Scales that run upwards, gates inside them, pairwise comparisons of criteria
    that exist."""
    criteria = {c.id for c in s.criteria}
    for i, c in enumerate(s.criteria):
        low, high = c.scale
        if low >= high:
            yield Finding(
                file,
                ("criteria", i, "scale"),
                Severity.ERROR,
                "invalid-scale",
                f"criterion {c.id!r}: scale [{low:g}, {high:g}] must run from a "
                "lower to a higher number, e.g. [0, 5]",
            )
        if c.gate is not None and not low <= c.gate <= high:
            yield Finding(
                file,
                ("criteria", i, "gate"),
                Severity.ERROR,
                "score-out-of-scale",
                f"criterion {c.id!r}: gate {c.gate:g} lies outside its scale [{low:g}, {high:g}]",
            )
    for row, comparisons in (s.pairwise or {}).items():
        if row not in criteria:
            yield Finding(
                file,
                ("pairwise", row),
                Severity.ERROR,
                "unknown-criterion",
                f"pairwise: no criterion {row!r}{did_you_mean(row, criteria)}",
                at_key=True,
            )
        for col in comparisons:
            if col not in criteria:
                yield Finding(
                    file,
                    ("pairwise", row, col),
                    Severity.ERROR,
                    "unknown-criterion",
                    f"pairwise.{row}: no criterion {col!r}{did_you_mean(col, criteria)}",
                    at_key=True,
                )


def _capacity_findings(s: Strategy, file: str) -> Iterator[Finding]:
    """One entry per year, inside the period, and every year of the period covered."""
    years = set()
    for i, cap in enumerate(s.capacity):
        if cap.year in years:
            yield Finding(
                file,
                ("capacity", i, "year"),
                Severity.ERROR,
                "duplicate-year",
                f"capacity for {cap.year} is given twice; keep one entry per year",
            )
        years.add(cap.year)
    for i, cap in enumerate(s.capacity):
        # (a period that ends before it starts is reported once, above)
        if s.period.start <= s.period.end and not (
            s.period.start.year <= cap.year <= s.period.end.year
        ):
            yield Finding(
                file,
                ("capacity", i, "year"),
                Severity.WARNING,
                "capacity-outside-period",
                f"capacity for {cap.year} lies outside the period {s.period.start.year}–"
                f"{s.period.end.year}: plan and optimize ignore it; remove it or extend the "
                "period",
            )
    if s.capacity:
        missing = [y for y in range(s.period.start.year, s.period.end.year + 1) if y not in years]
        if missing:
            yield Finding(
                file,
                ("capacity",),
                Severity.WARNING,
                "capacity-missing",
                f"no capacity for {', '.join(map(str, missing))} in the period "
                f"{s.period.start.year}–{s.period.end.year}; add budget_eur and "
                "staff_fte for each year",
            )


def _goal_levels(
    parents: dict[str, str | None],
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """How many levels each goal lies below a top goal, and for each goal on a cycle of
    parents that cycle starting at it. Linear: each goal is walked up once."""
    levels: dict[str, int] = {}
    cycles: dict[str, list[str]] = {}
    for start in parents:
        path: list[str] = []
        on_path: dict[str, int] = {}
        current: str | None = start
        while (
            current is not None
            and current in parents
            and current not in levels
            and current not in cycles
        ):
            if current in on_path:  # a new cycle: the path from its first visit on
                loop = path[on_path[current] :]
                for k, member in enumerate(loop):
                    cycles[member] = loop[k:] + loop[:k]
                path = path[: on_path[current]]
                current = None
                break
            on_path[current] = len(path)
            path.append(current)
            current = parents[current]
        # above the path: nothing (a top goal, an unknown parent), a cycle, or a goal
        # whose level is known
        if current is None or current not in parents:
            level = -1
        elif current in cycles:
            level = 0
        else:
            level = levels[current]
        for member in reversed(path):
            level += 1
            levels[member] = level
    return levels, cycles


def _shown_chain(loop: list[str]) -> str:
    """``a → b → a``; a long cycle shortened to its first and last goals."""
    if len(loop) > 12:
        loop = [*loop[:5], f"… ({len(loop) - 10} more)", *loop[-5:]]
    return " → ".join([*loop, loop[0]])
