"""Checks of the names a project gives: its field, program and goals in strategy.yaml,
and the projects in depends_on and distinct_from. Split from checks.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .errors import Finding, Severity, say
from .load import Suggester, did_you_mean
from .model import Criterion, Project, Strategy


@dataclass(frozen=True)
class StrategyRefs:
    """The strategy's ids, built once per strategy rather than once per project."""

    fields: frozenset[str]
    programs: frozenset[str]
    goals: frozenset[str]
    criteria: dict[str, Criterion]


_REFS: dict[int, tuple[Strategy, StrategyRefs]] = {}


def strategy_refs(strategy: Strategy) -> StrategyRefs:
    hit = _REFS.get(id(strategy))
    if hit is not None and hit[0] is strategy:
        return hit[1]
    refs = StrategyRefs(
        frozenset(f.id for f in strategy.fields),
        frozenset(g.id for g in strategy.programs),
        frozenset(g.id for g in strategy.goals),
        {c.id: c for c in strategy.criteria},
    )
    _REFS.clear()
    _REFS[id(strategy)] = (strategy, refs)
    return refs


def reference_findings(
    p: Project,
    file: str,
    refs: StrategyRefs,
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
            say(
                "problem:unknown-field",
                "no field of action {name} in strategy.yaml{suggestion}",
                name=repr(p.field),
                suggestion=did_you_mean(p.field, field_ids),
            ),
        )
    programs = refs.programs
    if p.program is not None and p.program not in programs:
        yield Finding(
            file,
            ("program",),
            Severity.ERROR,
            "unknown-program",
            say(
                "problem:unknown-program",
                "no program {name} in strategy.yaml{suggestion}",
                name=repr(p.program),
                suggestion=did_you_mean(p.program, programs),
            ),
        )
    goal_ids = refs.goals
    for i, goal in enumerate(p.goals):
        if goal not in goal_ids:
            yield Finding(
                file,
                ("goals", i),
                Severity.ERROR,
                "unknown-goal",
                say(
                    "problem:unknown-goal",
                    "goals[{i}]: no goal {name} in strategy.yaml{suggestion}",
                    i=i,
                    name=repr(goal),
                    suggestion=did_you_mean(goal, goal_ids),
                ),
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
                    say(
                        "problem:self-reference",
                        "{key}[{i}]: a project cannot name itself; remove {name}",
                        key=key,
                        i=i,
                        name=repr(other),
                    ),
                )
            elif other not in known_ids:
                code = "unknown-dependency" if key == "depends_on" else "unknown-project"
                yield Finding(
                    file,
                    (key, i),
                    Severity.ERROR,
                    code,
                    say(
                        "problem:unknown-project",
                        "{key}[{i}]: no project {name}{suggestion}",
                        key=key,
                        i=i,
                        name=repr(other),
                        suggestion=suggest_project(other),
                    ),
                )
            elif other in seen:
                yield Finding(
                    file,
                    (key, i),
                    Severity.WARNING,
                    "duplicate-entry",
                    say(
                        "problem:duplicate-entry",
                        "{key}[{i}]: {name} is listed twice",
                        key=key,
                        i=i,
                        name=repr(other),
                    ),
                )
            seen.add(other)
