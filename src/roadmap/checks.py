"""Checks across files: references, cycles, dates, scales and the strategy's policies.

Every check is a pure function of the portfolio returning findings; :func:`validate`
runs the loader and all checks and gives located problems.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Finding, PathPart, Problem, ScoringError, Severity
from .load import (
    LoadResult,
    Suggester,
    did_you_mean,
    gc_paused,
    load_portfolio,
    locate_findings,
)
from .markers import marked
from .model import Criterion, Kpi, Portfolio, Project, RaterFile, Strategy

MAX_GOAL_LEVELS = 20  # sub-goals below a top goal; reports nest them, people read 3 or 4
FAR_FUTURE_YEARS = 100  # a date this far after the strategy's period is a typo


def _duplicates(file: str, items: Iterable[tuple[int, str]], where: str) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, ident in items:
        if ident in seen:
            yield Finding(
                file,
                (where, index, "id"),
                Severity.ERROR,
                "duplicate-id",
                f"{where}[{index}]: id {ident!r} is used twice; ids must be unique",
            )
        seen.add(ident)


def _kpi_findings(
    file: str,
    base: tuple[PathPart, ...],
    kpis: list[Kpi],
    period_end: dt.date | None,
) -> Iterator[Finding]:
    yield from _duplicates(file, ((i, k.id) for i, k in enumerate(kpis)), "kpis")
    for i, kpi in enumerate(kpis):
        at = (*base, "kpis", i)
        if _far_future(kpi.target.date, period_end):
            yield _far_future_finding(
                file, (*at, "target", "date"), f"KPI {kpi.id!r}: target date", kpi.target.date
            )
        late = [(j, m.date) for j, m in enumerate(kpi.measurements) if m.date > kpi.target.date]
        if late:
            yield Finding(
                file,
                (*at, "measurements", late[0][0], "date"),
                Severity.WARNING,
                "measurement-after-target",
                f"KPI {kpi.id!r}: {_measurements(late)} after the target date "
                f"{kpi.target.date}; move the target date or start a new KPI",
            )
        far = [
            (j, m.date) for j, m in enumerate(kpi.measurements) if _far_future(m.date, period_end)
        ]
        if far:
            yield Finding(
                file,
                (*at, "measurements", far[0][0], "date"),
                Severity.WARNING,
                "date-far-future",
                f"KPI {kpi.id!r}: {_measurements(far)} more than {FAR_FUTURE_YEARS} years "
                "after the strategy's period; a typo in the year?",
            )
        if kpi.target.date <= kpi.baseline.date:
            yield Finding(
                file,
                (*at, "target", "date"),
                Severity.ERROR,
                "kpi-dates",
                f"KPI {kpi.id!r}: target date {kpi.target.date} must come after the "
                f"baseline date {kpi.baseline.date}",
            )
        seen = set()
        for j, m in enumerate(kpi.measurements):
            if m.date < kpi.baseline.date:
                yield Finding(
                    file,
                    (*at, "measurements", j, "date"),
                    Severity.WARNING,
                    "measurement-before-baseline",
                    f"KPI {kpi.id!r}: measurement of {m.date} is older than the "
                    f"baseline ({kpi.baseline.date}); move it into the baseline",
                )
            if m.date in seen:
                yield Finding(
                    file,
                    (*at, "measurements", j, "date"),
                    Severity.ERROR,
                    "duplicate-measurement",
                    f"KPI {kpi.id!r}: two measurements on {m.date}; keep one",
                )
            seen.add(m.date)


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


def _measurements(found: list[tuple[int, dt.date]]) -> str:
    """``the measurement of D is`` or ``3 measurements (the first of D) are``: one
    warning per KPI, however many values are wrong."""
    if len(found) == 1:
        return f"the measurement of {found[0][1]} is"
    return f"{len(found):,} measurements (the first of {found[0][1]}) are"


def _far_future(day: dt.date, period_end: dt.date | None) -> bool:
    return period_end is not None and day.year > period_end.year + FAR_FUTURE_YEARS


def _far_future_finding(file: str, path: tuple[PathPart, ...], what: str, day: dt.date) -> Finding:
    return Finding(
        file,
        path,
        Severity.WARNING,
        "date-far-future",
        f"{what} {day}, more than {FAR_FUTURE_YEARS} years after the strategy's period; "
        "a typo in the year?",
    )


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
        yield from _duplicates(file, ((i, x.id) for i, x in enumerate(items)), where)
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
        yield from _kpi_findings(file, ("goals", i), goal.kpis, s.period.end)


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


@dataclass(frozen=True)
class _StrategyRefs:
    """The strategy's ids, built once per strategy rather than once per project."""

    fields: frozenset[str]
    programs: frozenset[str]
    goals: frozenset[str]
    criteria: dict[str, Criterion]


_REFS: dict[int, tuple[Strategy, _StrategyRefs]] = {}


def _refs(strategy: Strategy) -> _StrategyRefs:
    hit = _REFS.get(id(strategy))
    if hit is not None and hit[0] is strategy:
        return hit[1]
    refs = _StrategyRefs(
        frozenset(f.id for f in strategy.fields),
        frozenset(g.id for g in strategy.programs),
        frozenset(g.id for g in strategy.goals),
        {c.id: c for c in strategy.criteria},
    )
    _REFS.clear()
    _REFS[id(strategy)] = (strategy, refs)
    return refs


def _policy(strategy: Strategy, name: str) -> Severity | None:
    severity = strategy.policy_severity(name)
    return None if severity == "off" else Severity(severity)


def project_findings(
    project: Project,
    file: str,
    strategy: Strategy,
    known_ids: set[str],
    partial: bool = False,
    today: dt.date | None = None,
    suggest_project: Suggester | None = None,
) -> Iterator[Finding]:
    """Checks of one project against the strategy and the other project ids. For a
    ``partial`` model (the valid keys of an invalid file) only what is present is
    checked: a missing score or owner may just be a key with an error. ``today`` adds
    the checks of dates in the future; ``suggest_project`` is the index of
    ``known_ids`` for "did you mean", built once per portfolio."""
    p, s = project, strategy
    refs = _refs(s)
    if suggest_project is None:
        suggest_project = Suggester(known_ids)
    yield from _reference_findings(p, file, refs, known_ids, suggest_project)
    yield from _score_findings(p, file, refs, partial, s.scoring.missing_scores)
    yield from _date_findings(p, file, s, today)
    yield from _kpi_findings(file, (), p.kpis, s.period.end)
    if not partial and p.is_open and not (p.effort.budget_eur or p.effort.staff_fte):
        yield Finding(
            file,
            ("effort",) if "effort" in p.model_fields_set else (),
            Severity.WARNING,
            "effort-missing",
            "no budget and no staff: an estimate is missing (optimize does not fund the "
            "project and the plan marks it); add effort: {budget_eur: …, staff_fte: …}",
        )
    spent = p.effort.spent_eur
    if not partial and spent is not None and spent > p.effort.budget_eur:
        yield Finding(
            file,
            ("effort", "spent_eur"),
            Severity.WARNING,
            "spent-over-budget",
            f"spent_eur {spent:,.0f} is more than budget_eur {p.effort.budget_eur:,.0f}: "
            "nothing is left to plan; raise budget_eur to what the project costs in all",
        )
    if today is not None:
        yield from stale_project_findings(p, file, today)
        yield from stale_kpi_findings(file, (), p.kpis, today, s.kpi_stale_after_months)
    if not partial:
        yield from policy_findings(p, file, s)


def _reference_findings(
    p: Project,
    file: str,
    refs: _StrategyRefs,
    known_ids: set[str],
    suggest_project: Suggester,
) -> Iterator[Finding]:
    """Field, program and goals that strategy.yaml has, and the projects named."""
    field_ids = refs.fields
    if p.field is not None and p.field not in field_ids:
        yield Finding(
            file,
            ("field",),
            Severity.ERROR,
            "unknown-field",
            f"no field of action {p.field!r} in strategy.yaml{did_you_mean(p.field, field_ids)}",
        )
    programs = refs.programs
    if p.program is not None and p.program not in programs:
        yield Finding(
            file,
            ("program",),
            Severity.ERROR,
            "unknown-program",
            f"no program {p.program!r} in strategy.yaml{did_you_mean(p.program, programs)}",
        )
    goal_ids = refs.goals
    for i, goal in enumerate(p.goals):
        if goal not in goal_ids:
            yield Finding(
                file,
                ("goals", i),
                Severity.ERROR,
                "unknown-goal",
                f"goals[{i}]: no goal {goal!r} in strategy.yaml{did_you_mean(goal, goal_ids)}",
            )
    yield from _named_project_findings(p, file, known_ids, suggest_project)


def _named_project_findings(
    p: Project, file: str, known_ids: set[str], suggest_project: Suggester
) -> Iterator[Finding]:
    """Projects named in depends_on and distinct_from: existing, once each, and not the
    project itself."""
    for key in ("depends_on", "distinct_from"):
        seen: set[str] = set()
        for i, other in enumerate(getattr(p, key)):
            if other == p.id:
                yield Finding(
                    file,
                    (key, i),
                    Severity.ERROR,
                    f"self-{key.replace('_', '-')}",
                    f"{key}[{i}]: a project cannot name itself; remove {other!r}",
                )
            elif other not in known_ids:
                code = "unknown-dependency" if key == "depends_on" else "unknown-project"
                yield Finding(
                    file,
                    (key, i),
                    Severity.ERROR,
                    code,
                    f"{key}[{i}]: no project {other!r}{suggest_project(other)}",
                )
            elif other in seen:
                yield Finding(
                    file,
                    (key, i),
                    Severity.WARNING,
                    "duplicate-entry",
                    f"{key}[{i}]: {other!r} is listed twice",
                )
            seen.add(other)


def _score_findings(
    p: Project, file: str, refs: _StrategyRefs, partial: bool, missing_counts_as: str
) -> Iterator[Finding]:
    """Scores for criteria that exist, within their scales; a missing score (and what
    the scorer counts it as: scoring.missing_scores)."""
    criteria = refs.criteria
    for cid, value in p.scores.items():
        criterion = criteria.get(cid)
        if criterion is None:
            yield Finding(
                file,
                ("scores", cid),
                Severity.ERROR,
                "unknown-criterion",
                f"scores: no criterion {cid!r} in strategy.yaml{did_you_mean(cid, criteria)}",
                at_key=True,
            )
            continue
        low, high = criterion.scale
        values = value if isinstance(value, list) else [value]
        if isinstance(value, list) and value[0] > value[1]:
            yield Finding(
                file,
                ("scores", cid),
                Severity.ERROR,
                "invalid-range",
                f"scores.{cid}: range [{value[0]:g}, {value[1]:g}] must be [low, high]",
            )
        elif any(not low <= v <= high for v in values):
            shown = f"[{value[0]:g}, {value[1]:g}]" if isinstance(value, list) else f"{value:g}"
            yield Finding(
                file,
                ("scores", cid),
                Severity.ERROR,
                "score-out-of-scale",
                f"scores.{cid}: {shown} lies outside the scale [{low:g}, {high:g}] "
                f"of criterion {cid!r}",
            )
    if p.is_open and not partial:
        missing = [c for c in criteria if c not in p.scores]
        if missing:
            yield Finding(
                file,
                ("scores",) if p.scores else (),
                Severity.WARNING,
                "missing-score",
                missing_score_message(missing, missing_counts_as),
                at_key=True,
            )


def missing_score_message(missing: Sequence[str], missing_counts_as: str) -> str:
    """What the missing-score warning says: which criteria, and what the scorer counts."""
    counted = (
        "score as the scale's minimum"
        if missing_counts_as == "minimum"
        else "score as its criterion's worst value (scoring.missing_scores)"
    )
    return f"no score for {', '.join(missing)}; prioritize counts a missing {counted}"


def _date_findings(p: Project, file: str, s: Strategy, today: dt.date | None) -> Iterator[Finding]:
    """The project's dates in order; its milestones unique, consistent and plausible."""
    if p.start and p.end and p.end < p.start:
        yield Finding(
            file,
            ("end",),
            Severity.ERROR,
            "end-before-start",
            f"end {p.end} is before start {p.start}; end must be on or after start",
        )
    yield from _duplicates(file, ((i, m.id) for i, m in enumerate(p.milestones)), "milestones")
    for i, m in enumerate(p.milestones):
        if m.done_on is not None and m.status != "done":
            yield Finding(
                file,
                ("milestones", i, "status"),
                Severity.WARNING,
                "milestone-status",
                f"milestone {m.id!r} has done_on {m.done_on} but status "
                f"{m.status!r}; set status: done",
            )
        if m.done_on is not None and today is not None and m.done_on > today:
            yield Finding(
                file,
                ("milestones", i, "done_on"),
                Severity.WARNING,
                "milestone-done-in-future",
                f"milestone {m.id!r} is marked done on {m.done_on}, after today ({today}); "
                "set done_on when it is reached",
            )
        if _far_future(m.due, s.period.end):
            yield _far_future_finding(
                file, ("milestones", i, "due"), f"milestone {m.id!r} is due", m.due
            )
        if p.start and m.due < p.start:
            yield Finding(
                file,
                ("milestones", i, "due"),
                Severity.WARNING,
                "milestone-dates",
                f"milestone {m.id!r} is due {m.due}, before the project starts ({p.start})",
            )


def stale_project_findings(p: Project, file: str, today: dt.date) -> Iterator[Finding]:
    """Dates that time has overtaken: an open project whose end has passed, a proposed
    or approved one whose start has passed, a milestone past due and still planned."""
    if p.is_open and p.end is not None and p.end < today:
        yield Finding(
            file,
            ("end",),
            Severity.WARNING,
            "stale-end",
            f"the project is {p.status} but its end {p.end} has passed (today is {today}); "
            "set status: done or cancelled, or a new end",
        )
    if p.status in ("proposed", "approved") and p.start is not None and p.start < today:
        yield Finding(
            file,
            ("start",),
            Severity.WARNING,
            "stale-start",
            f"the project is still {p.status} but its start {p.start} has passed (today is "
            f"{today}); set status: in_progress if it has begun, or a new start",
        )
    for i, m in enumerate(p.milestones):
        if m.status == "planned" and m.due < today:
            yield Finding(
                file,
                ("milestones", i, "due"),
                Severity.WARNING,
                "milestone-overdue",
                f"milestone {m.id!r} was due {m.due} and is still planned (today is {today}); "
                "set status: done (with done_on) or late, or a new due date",
            )


def stale_kpi_findings(
    file: str, base: tuple[PathPart, ...], kpis: list[Kpi], today: dt.date, months: int
) -> Iterator[Finding]:
    """A KPI whose latest measurement (or baseline) is older than ``months`` months."""
    limit = _months_before(today, months)
    for i, kpi in enumerate(kpis):
        dates = [kpi.baseline.date, *(m.date for m in kpi.measurements)]
        latest = max(dates)
        if latest < limit and kpi.target.date >= limit:
            yield Finding(
                file,
                (*base, "kpis", i, "measurements" if kpi.measurements else "baseline"),
                Severity.WARNING,
                "kpi-stale",
                f"KPI {kpi.id!r} was last measured on {latest}, more than {months} months "
                f"before today ({today}); record a measurement (roadmap record)",
            )


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, 28))


# what each policy's problem says (one message per code, so that the CLI can word it
# in the reader's language; JSON and CI formats keep the English)
POLICY_MESSAGES = {
    "policy-open-source": marked(
        "policy:policy-open-source",
        "open_source is false without a reason; write open_source: {value: false, "
        "reason: '…'} (why no open-source solution fits)",
    ),
    "policy-data-protection": marked(
        "policy:policy-data-protection",
        "personal_data is true but no dpia is given; add dpia: the date (YYYY-MM-DD) or "
        "link of the data-protection impact assessment",
    ),
    "policy-accessibility": marked(
        "policy:policy-accessibility",
        "a citizen-facing project must state accessibility, e.g. accessibility: BITV 2.0",
    ),
    "policy-analog-access": marked(
        "policy:policy-analog-access",
        "a citizen-facing project must say how it stays usable offline, e.g. "
        "analog_access: Bürgerbüro vor Ort",
    ),
    "policy-kpi-required": marked(
        "policy:policy-kpi-required",
        "a project that is approved or in progress needs at least one KPI under kpis:",
    ),
    "policy-owner-required": marked(
        "policy:policy-owner-required", "no owner is named; add owner: the responsible person"
    ),
}


def policy_findings(p: Project, file: str, s: Strategy) -> Iterator[Finding]:
    """The strategy's principles, each with the severity ``policies`` gives it."""
    if p.status == "cancelled":
        return
    checks: list[tuple[str, bool, tuple[PathPart, ...]]] = [
        (
            "open_source",
            p.open_source_value is False
            and not (
                not isinstance(p.open_source, bool) and p.open_source and p.open_source.reason
            ),
            ("open_source",),
        ),
        ("data_protection", bool(p.personal_data and p.dpia is None), ("personal_data",)),
        ("accessibility", bool(p.citizen_facing and not p.accessibility), ("citizen_facing",)),
        ("analog_access", bool(p.citizen_facing and not p.analog_access), ("citizen_facing",)),
        ("kpi_required", p.status in ("approved", "in_progress") and not p.kpis, ("status",)),
        ("owner_required", not p.owner, ()),
    ]
    for name, violated, path in checks:
        severity = _policy(s, name) if violated else None
        if severity is not None:
            code = f"policy-{name.replace('_', '-')}"
            yield Finding(file, path, severity, code, POLICY_MESSAGES[code], at_key=True)


def _has_cycle(portfolio: Portfolio) -> bool:
    """Quick answer from the standard library, so that a portfolio without cycles
    (the usual case) does not pay for importing networkx."""
    import graphlib

    sorter = graphlib.TopologicalSorter(
        {
            p.id: [d for d in p.depends_on if d in portfolio.projects and d != p.id]
            for p in portfolio.projects.values()
        }
    )
    try:
        sorter.prepare()
    except graphlib.CycleError:
        return True
    return False


def cycle_findings(portfolio: Portfolio) -> Iterator[Finding]:
    if not _has_cycle(portfolio):
        return
    from .graph import dependency_graph, find_cycles  # networkx is slow to import

    for cycle in find_cycles(dependency_graph(portfolio)):
        shown = " → ".join([*cycle, cycle[0]])
        for position, needed in enumerate(cycle):
            needer = cycle[(position + 1) % len(cycle)]
            project = portfolio.projects[needer]
            index = project.depends_on.index(needed)
            yield Finding(
                portfolio.file_of(needer),
                ("depends_on", index),
                Severity.ERROR,
                "dependency-cycle",
                f"dependency cycle: {shown} (each needs the one before it); "
                "remove one of these depends_on entries",
            )


def scoring_findings(strategy: Strategy, file: str) -> Iterator[Finding]:
    """Weights that cannot be derived are errors; inconsistent AHP judgments a warning."""
    from .errors import ScoringError
    from .score import CONSISTENCY_LIMIT, criterion_weights

    try:
        weights = criterion_weights(strategy)
    except ScoringError as exc:
        # a whole section (pairwise:, criteria:) is reported at its key
        yield Finding(
            file, exc.path, Severity.ERROR, "invalid-weights", str(exc), at_key=len(exc.path) == 1
        )
        return
    if weights.ahp and weights.ahp.consistency_ratio > CONSISTENCY_LIMIT:
        yield Finding(
            file,
            ("pairwise",),
            Severity.WARNING,
            "ahp-inconsistent",
            f"pairwise comparisons are inconsistent: consistency ratio "
            f"{weights.ahp.consistency_ratio:.3f} > {CONSISTENCY_LIMIT}; revise "
            "the judgments that contradict each other",
            at_key=True,
        )


def decision_findings(portfolio: Portfolio) -> Iterator[Finding]:
    """A project cannot be done if the committee decided against one it needs."""
    for project in portfolio.projects.values():
        if project.decision == "wont" or not project.is_open:
            continue
        for i, dep in enumerate(project.depends_on):
            needed = portfolio.projects.get(dep)
            if needed is not None and needed.decision == "wont" and needed.is_open:
                yield Finding(
                    portfolio.file_of(project.id),
                    ("depends_on", i),
                    Severity.WARNING,
                    "depends-on-wont",
                    f"depends_on[{i}]: {dep!r} is decided 'wont'; this project "
                    "cannot be done without it (decide both, or drop the "
                    "dependency)",
                )


def portfolio_findings(
    portfolio: Portfolio,
    known_ids: set[str],
    partials: dict[str, tuple[Project, str]] | None = None,
    today: dt.date | None = None,
) -> list[Finding]:
    """Every check; ``partials`` (the valid part of invalid files) get the per-project
    checks too, so one run reports a wrong reference next to a schema error. ``today``
    adds the checks of dates in the future."""
    strategy = portfolio.strategy
    findings = list(strategy_findings(strategy, portfolio.strategy_file))
    findings += scoring_findings(strategy, portfolio.strategy_file)
    findings += decision_findings(portfolio)
    if today is not None:
        for i, goal in enumerate(strategy.goals):
            findings += stale_kpi_findings(
                portfolio.strategy_file,
                ("goals", i),
                goal.kpis,
                today,
                strategy.kpi_stale_after_months,
            )
    known = known_ids | set(portfolio.projects)
    suggest = Suggester(known)
    for project in portfolio.projects.values():
        findings += project_findings(
            project, portfolio.file_of(project.id), strategy, known, False, today, suggest
        )
    for project, file in (partials or {}).values():
        findings += project_findings(project, file, strategy, known, True, today, suggest)
    findings += cycle_findings(portfolio)
    return findings


def validate(
    data_dir: Path, cache_dir: Path | None = None, today: dt.date | None = None
) -> tuple[LoadResult, list[Problem]]:
    """Load the portfolio and run every check; every problem of every file, sorted.
    When no file changed since the last run, the checks across files come from the
    cache too (keyed by every file's content). ``today`` (default: the real date) is
    the day the staleness checks compare with."""
    today = today or dt.date.today()
    loaded = load_portfolio(data_dir, cache_dir, today)
    problems = list(loaded.problems)
    if loaded.portfolio is not None:
        # the staleness checks depend on the day as well as the content
        key = f"{loaded.content_key} {today.isoformat()}"
        found = loaded.cache.derived("findings", key) if loaded.cache else None
        if found is None:
            with gc_paused():
                found = locate_findings(
                    portfolio_findings(loaded.portfolio, loaded.known_ids, loaded.partials, today)
                )
            if loaded.cache:
                loaded.cache.store_derived("findings", key, found)
        problems += found
        problems += _with_ratings(data_dir, loaded)
        problems = without_rated_gaps(problems, loaded.portfolio)
    return loaded, sorted(set(problems))


def rater_pairwise_findings(
    model: RaterFile, file: str, rater: str, criteria: Sequence[str]
) -> Iterator[Finding]:
    """A rater's comparisons: every pair once, reciprocal, and consistent (a warning
    naming the rater: the group's weights still use them)."""
    from .score import CONSISTENCY_LIMIT, ahp

    if not model.pairwise:
        return
    comparisons = {row: dict(columns) for row, columns in model.pairwise.items()}
    try:
        found = ahp(criteria, comparisons)
    except ScoringError as exc:
        yield Finding(file, exc.path, Severity.ERROR, "invalid-pairwise", str(exc))
        return
    if found.consistency_ratio > CONSISTENCY_LIMIT:
        yield Finding(
            file, ("pairwise",), Severity.WARNING, "inconsistent-rater",
            f"rater {rater}'s comparisons are inconsistent: consistency ratio "
            f"{found.consistency_ratio:.2f} > {CONSISTENCY_LIMIT:.2f}; revise them (the "
            "group's weights still use them)",
            at_key=True,
        )  # fmt: skip


def _with_ratings(data_dir: Path, loaded: LoadResult) -> list[Problem]:
    """The raters' files of ``ratings/``, if the folder exists: checked, and the valid
    ones attached to the portfolio (rating_files.py)."""
    if loaded.portfolio is None or not (data_dir / "ratings").is_dir():
        return []
    from .rating_files import load_ratings

    rated = load_ratings(data_dir, loaded.portfolio, rater_pairwise_findings, loaded.cache)
    if rated.raters:
        loaded.portfolio = loaded.portfolio.model_copy(
            update={"ratings": rated.raters, "rating_files": rated.files}
        )
    return rated.problems


def without_rated_gaps(problems: list[Problem], portfolio: Portfolio | None) -> list[Problem]:
    """The missing-score warnings less what the raters' files score: a criterion some
    rater scored for the project is not missing (the ranking uses the group's score);
    a warning whose criteria all are rated goes."""
    if portfolio is None or not portfolio.ratings:
        return problems
    rated: dict[str, set[str]] = {}
    for rater in portfolio.ratings.values():
        for rated_id, scores in rater.scores.items():
            rated.setdefault(rated_id, set()).update(scores)
    rule = portfolio.strategy.scoring.missing_scores
    kept = []
    for problem in problems:
        project = portfolio.projects.get(Path(problem.file).stem)
        if problem.code != "missing-score" or project is None or project.id not in rated:
            kept.append(problem)
            continue
        missing = [
            c.id
            for c in portfolio.strategy.criteria
            if c.id not in project.scores and c.id not in rated[project.id]
        ]
        if missing:
            kept.append(dataclasses.replace(problem, message=missing_score_message(missing, rule)))
    return kept
