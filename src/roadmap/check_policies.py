"""The strategy's policies (each with the severity ``policies`` gives it) and the
project dates that time has overtaken. Split from checks.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from .errors import Finding, PathPart, Severity, say
from .markers import marked
from .model import Project, Strategy


def policy_severity(strategy: Strategy, name: str) -> Severity | None:
    severity = strategy.policy_severity(name)
    return None if severity == "off" else Severity(severity)


def stale_project_findings(p: Project, file: str, today: dt.date) -> Iterator[Finding]:
    """Dates that time has overtaken: an open project whose end has passed, a proposed
    or approved one whose start has passed, a milestone past due and still planned.
    A status that could not be read (a partial model) is not judged by its default."""
    status_known = "status" not in p.invalid_keys
    if status_known and p.is_open and p.end is not None and p.end < today:
        yield Finding(
            file,
            ("end",),
            Severity.WARNING,
            "stale-end",
            say(
                "problem:stale-end",
                "the project is {status} but its end {end} has passed (today is {today}); "
                "set status: done or cancelled, or a new end",
                status=p.status,
                end=p.end,
                today=today,
            ),
        )
    if (
        status_known
        and p.status in ("proposed", "approved")
        and p.start is not None
        and p.start < today
    ):
        yield Finding(
            file,
            ("start",),
            Severity.WARNING,
            "stale-start",
            say(
                "problem:stale-start",
                "the project is still {status} but its start {start} has passed (today is "
                "{today}); set status: in_progress if it has begun, or a new start",
                status=p.status,
                start=p.start,
                today=today,
            ),
        )
    for i, m in enumerate(p.milestones):
        if m.status == "planned" and m.due < today:
            yield Finding(
                file,
                ("milestones", i, "due"),
                Severity.WARNING,
                "milestone-overdue",
                say(
                    "problem:milestone-overdue",
                    "milestone {name} was due {due} and is still planned (today is {today}); "
                    "set status: done (with done_on) or late, or a new due date",
                    name=repr(m.id),
                    due=m.due,
                    today=today,
                ),
            )


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
        severity = policy_severity(s, name) if violated else None
        if severity is not None:
            code = f"policy-{name.replace('_', '-')}"
            yield Finding(file, path, severity, code, POLICY_MESSAGES[code], at_key=True)
