"""The report's "Handlungsbedarf" (needs attention) in plain words: missed deadlines,
conflicts of the schedule (prerequisites, over-committed years, projects without an
effort estimate), dates that time has overtaken and the principles' gaps, grouped; no
files, no codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .i18n import npgettext, pgettext
from .report_local import Local
from .report_schedule import over_committed
from .texts import ATTENTION, POLICY_GAPS, STALE, why_text

if TYPE_CHECKING:
    from ..errors import Problem
    from ..model import Portfolio, Project
    from ..schedule import Plan


def effort_missing(project: Project) -> bool:
    """An open project with neither budget nor staff: its estimate is missing (the
    check ``effort-missing``), so the plan places it as if it cost nothing."""
    return project.is_open and not (project.effort.budget_eur or project.effort.staff_fte)


def budget_missing(project: Project) -> bool:
    """An open project that gives staff but no budget (``budget_eur`` not written): its
    cost is unknown, not zero."""
    return project.is_open and "budget_eur" not in project.effort.model_fields_set


def effort_missing_sentence(portfolio: Portfolio, local: Local) -> str:
    """ "2 projects have no effort estimate …: A and B", or nothing."""
    titles = sorted(p.title for p in portfolio.projects.values() if effort_missing(p))
    if not titles:
        return ""
    return local.plural("decide_effort", len(titles)).format(
        n=len(titles), titles=local.listing(titles)
    )


def attention_view(
    portfolio: Portfolio,
    plan: Plan,
    problems: Sequence[Problem],
    local: Local,
    today: dt.date | None = None,
) -> dict[str, list[str]]:
    """ "Handlungsbedarf" in plain words, without files or codes: missed deadlines,
    conflicts of the schedule, dates overtaken by time (with ``today``), and the
    principles' gaps grouped by principle."""
    words = {
        key: pgettext(local.lang, f"attention:{key}", message) for key, message in ATTENTION.items()
    }
    stale = stale_view(portfolio, today, local) if today is not None else []
    return {
        "deadlines": _deadlines(portfolio, plan, local, words, today),
        "conflicts": _conflicts(portfolio, plan, local, words),
        "stale": stale,
        "gaps": _policy_gaps(portfolio, problems, local, words),
    }


def _deadlines(
    portfolio: Portfolio, plan: Plan, local: Local, words: dict[str, str], today: dt.date | None
) -> list[str]:
    """Legal deadlines the plan misses, that have passed for an open project, or whose
    project is not planned at all; the earliest deadline first."""
    deadlines = []
    for p in sorted(plan.placed, key=lambda p: (p.project.deadline or dt.date.max, p.project.id)):
        deadline = p.project.deadline
        basis = p.project.legal_basis or words["no_basis"]
        passed = deadline is not None and today is not None and deadline < today
        if deadline and passed and p.project.is_open and p.end_date <= deadline:
            # the plan keeps a stale end (before the deadline), but the day is gone and
            # the project is open: missed all the same
            deadlines.append(
                words["passed"].format(
                    title=p.project.title, deadline=local.day(deadline), basis=basis
                )
            )
        elif deadline and p.end_date > deadline:
            deadlines.append(
                words["late"].format(
                    title=p.project.title,
                    deadline=local.day(deadline),
                    basis=basis,
                    end=local.day(p.end_date),
                    days=(p.end_date - deadline).days,
                )
            )
    for u in plan.unscheduled:
        if u.project.deadline:
            deadlines.append(
                words["unplanned"].format(
                    title=u.project.title,
                    deadline=local.day(u.project.deadline),
                    basis=u.project.legal_basis or words["no_basis"],
                    reason=why_text(u, portfolio, local.lang),
                )
            )
    return deadlines


def _conflicts(portfolio: Portfolio, plan: Plan, local: Local, words: dict[str, str]) -> list[str]:
    """Commitments that start before a prerequisite ends, projects without an effort
    estimate, and years the commitments alone over-commit."""
    placed = plan.by_id()
    conflicts = []
    first_open = plan.calendar.month_start(plan.origin)  # what starts before has begun
    for p in plan.placed:
        if not p.fixed:
            continue
        for dep in p.project.depends_on:
            before = placed.get(dep)
            if before is not None and before.end_date >= p.start_date:
                key = "prerequisite"
                if p.start_date < first_open:
                    running = p.project.status == "in_progress"
                    key = "prerequisite_started" if running else "prerequisite_overdue"
                conflicts.append(
                    words[key].format(
                        title=p.project.title,
                        start=local.day(p.start_date),
                        before=before.project.title,
                        end=local.day(before.end_date),
                    )
                )
    missing = effort_missing_sentence(portfolio, local)
    if missing:
        conflicts.append(missing.rstrip("."))
    over_budget, _ = over_committed(plan)
    for use in plan.years:
        if str(use.year) in over_budget:
            conflicts.append(
                words["over_budget"].format(
                    year=use.year,
                    used=local.money(use.committed_budget),
                    budget=local.money(use.budget),
                )
            )
    return conflicts


def _policy_gaps(
    portfolio: Portfolio, problems: Sequence[Problem], local: Local, words: dict[str, str]
) -> list[str]:
    """The principles' gaps, one sentence per principle naming its projects, the
    principle with the most first."""
    gaps: dict[str, list[str]] = {}
    for problem in problems:
        if problem.code.startswith("policy-"):
            project = portfolio.projects.get(Path(problem.file).stem)
            gaps.setdefault(problem.code, []).append(project.title if project else problem.file)
    grouped = []
    for code, titles in sorted(gaps.items(), key=lambda item: (-len(item[1]), item[0])):
        shown = sorted(set(titles))
        if code in POLICY_GAPS:
            one, many = POLICY_GAPS[code]
            lead = npgettext(local.lang, code, one, many, len(shown)).format(n=len(shown))
        else:
            lead = words["other_gap"].format(n=len(shown), code=code)
        grouped.append(f"{lead}: {local.listing(shown)}")
    return grouped


def stale_view(portfolio: Portfolio, today: dt.date, local: Local) -> list[str]:
    """Dates that time has overtaken, one sentence per kind, by the staleness checks of
    checks.py (the one rule ``validate --today`` applies): open projects past their end,
    proposals whose start has passed, overdue milestones, KPIs without recent values."""
    from ..checks import stale_kpi_findings, stale_project_findings

    found: dict[str, list[str]] = {code: [] for code in STALE}
    months = portfolio.strategy.kpi_stale_after_months
    owners = [(g.title, g.kpis) for g in portfolio.strategy.goals]
    for project in sorted(portfolio.projects.values(), key=lambda p: p.title):
        owners.append((project.title, project.kpis))
        for finding in stale_project_findings(project, "", today):
            if finding.code == "stale-end" and project.end:
                found[finding.code].append(f"{project.title} ({local.day(project.end)})")
            elif finding.code == "stale-start" and project.start:
                found[finding.code].append(f"{project.title} ({local.day(project.start)})")
            elif finding.code == "milestone-overdue":
                m = project.milestones[int(finding.path[1])]
                found[finding.code].append(f"{project.title} – {m.title} ({local.day(m.due)})")
    for owner, kpis in owners:
        for finding in stale_kpi_findings("", (), kpis, today, months):
            kpi = kpis[int(finding.path[1])]
            latest = max([kpi.baseline.date, *(v.date for v in kpi.measurements)])
            last = local.t["last_value"].format(date=local.day(latest))
            found[finding.code].append(f"{kpi.title} ({owner}, {last})")
    sentences = []
    for code, items in found.items():
        if items:
            one, many = STALE[code]
            lead = npgettext(local.lang, code, one, many, len(items))
            sentences.append(f"{lead.format(n=len(items), months=months)}: {local.listing(items)}")
    return sentences


def attention(warnings: Sequence[Problem], plan: Plan) -> list[Problem]:
    """The report's "needs attention": policy violations, then missed deadlines (the
    dates overtaken by time the view finds itself, at the report's day)."""
    from ..load import locate_findings

    return [p for p in warnings if p.code.startswith("policy-")] + sorted(
        locate_findings(f for f in plan.findings if f.code == "deadline-missed")
    )
