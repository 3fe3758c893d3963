"""The report's sentences on an over-committed portfolio ("Zu entscheiden"): per year
from today on whose commitments alone exceed the budget, by how much, whether the
overrun can still be recovered (not when the months before today already spent more
than the year's budget), and that ``roadmap optimize`` proposes what to stretch or
pause. The figures are the plan's, from the one capacity model (capacity.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..capacity import CapacityModel, total
from .i18n import marked, npgettext, pgettext
from .report_local import Local
from .report_schedule import current_years

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from ..model import Portfolio
    from ..recovery import Step
    from ..schedule import Plan

MESSAGES = {
    "over": marked("recovery_over", "The commitments exceed the budget by {items}."),
    "spent": marked(
        "recovery_spent",
        "Not recoverable: {items} already spent before today, more than the year's budget.",
    ),
    "proposal": marked(
        "recovery_proposal",
        "Proposal to get every year that can still be recovered back within the budget "
        "(not decided; the files stay as they are): {steps}.",
    ),
    "prerequisites": marked(
        "recovery_prerequisites",
        "The proposal also makes room for what committed projects not yet begun need "
        "first and is not committed yet: {items}.",
    ),
    "pause": marked("recovery_pause", "pause {title} (frees {frees})"),
    "pause_needed": marked(
        "recovery_pause_needed", "pause {title} (it needs a project that is paused)"
    ),
    "stretch": marked("recovery_stretch", "stretch {title} until {end} (frees {frees})"),
    "stretch_later": marked(
        "recovery_stretch_later",
        "stretch {title} until {end} (frees {frees}; needs {later} more)",
    ),
    "frees": marked("recovery_frees", "{amount} in {year}"),
    "frees_staff": marked("recovery_frees_staff", "{staff} staff-years in {year}"),
    "item": marked("recovery_item", "{amount} ({year})"),
}


def recovery_sentences(
    portfolio: Portfolio, plan: Plan, local: Local, today: dt.date | None = None
) -> list[str]:
    """One decision for the summary, in two or three sentences, or none when the
    commitments fit every year from today on: by how much, what can no longer be
    recovered, and (with ``today``) the steps of optimize's recovery proposal."""
    spent = spent_before_today(portfolio, plan)
    now = current_years(plan)
    over, lost = [], []
    for k, use in enumerate(plan.years):
        if use.year not in now or use.committed_budget - use.budget <= 0.5:
            continue
        amount = local.money(use.committed_budget - use.budget)
        over.append(_say(local, "item").format(amount=amount, year=use.year))
        if spent[k] > use.budget + 0.5:
            lost.append(_say(local, "item").format(amount=local.money(spent[k]), year=use.year))
    if not over:
        return []
    sentences = [_say(local, "over").format(items=local.listing(over))]
    if lost:
        sentences.append(_say(local, "spent").format(items=local.listing(lost)))
    steps: list[str] = []
    needed = ""
    if today is not None:
        from ..optimize import recovery_proposal

        proposal = recovery_proposal(portfolio, today)
        steps = recovery_steps(portfolio, proposal.steps, local)
        needed = _prerequisites_sentence(portfolio, proposal.prerequisites, now, local)
    if steps:
        # steps apart by semicolons: a step's own list of waiting projects uses "and"
        sentences.append(_say(local, "proposal").format(steps="; ".join(steps)))
        if needed:
            sentences.append(needed)
    return [" ".join(sentences)]


def _prerequisites_sentence(
    portfolio: Portfolio,
    prerequisites: list[tuple[str, dict[int, float]]],
    years: Collection[int],
    local: Local,
) -> str:
    """What the proposal makes room for beyond the plan's commitments: projects not
    committed yet that a commitment not yet begun needs first, with their budget in the
    years from today on (the plan schedules them by rank, so its figures leave them
    out); or nothing."""
    items = []
    for pid, budget in prerequisites:
        amounts = [
            _say(local, "frees").format(amount=local.money(amount), year=year)
            for year, amount in sorted(budget.items())
            if year in years and amount > 0.5
        ]
        if amounts:
            title = portfolio.projects[pid].title if pid in portfolio.projects else pid
            items.append(f"{title} ({local.listing(amounts)})")
    if not items:
        return ""
    return _say(local, "prerequisites").format(items=local.listing(items))


def recovery_steps(portfolio: Portfolio, steps: Sequence[Step], local: Local) -> list[str]:
    """The proposal's steps in words: which commitment to pause or stretch (until
    when) and what each frees per year, as optimize proposes them."""
    worded = []
    for step in steps:
        frees = [
            _say(local, "frees").format(amount=local.money(amount), year=year)
            if amount > 0.5
            else _say(local, "frees_staff").format(
                staff=local.number(step.frees_staff.get(year, 0.0), 2), year=year
            )
            for year, amount in sorted(step.frees_budget.items())
            if amount > 0.5 or step.frees_staff.get(year, 0.0) > 0.005
        ]
        # a stretch moves costs into later years: what it needs there too
        later = [
            _say(local, "frees").format(amount=local.money(-amount), year=year)
            for year, amount in sorted(step.frees_budget.items())
            if amount < -0.5
        ]
        project = portfolio.projects.get(step.id)
        title = project.title if project is not None else step.id
        key = "pause" if step.action != "stretch" else "stretch_later" if later else "stretch"
        if not frees and step.action != "stretch":
            key = "pause_needed"  # it frees nothing itself: it needs a paused project
        text = _say(local, key).format(
            title=title,
            end=local.day(step.end),
            frees=local.listing(frees),
            later=local.listing(later),
        )
        if step.dependants:
            waiting = [
                portfolio.projects[d].title if d in portfolio.projects else d
                for d in step.dependants
            ]
            text += npgettext(
                local.lang,
                "recovery_waiting",
                " – {n} project waits for it: {titles}",
                " – {n} projects wait for it: {titles}",
                len(waiting),
            ).format(n=len(waiting), titles=local.listing(waiting))
        worded.append(text)
    return worded


def spent_before_today(portfolio: Portfolio, plan: Plan) -> list[float]:
    """Per year of the plan: what the commitments (and what projects recorded as spent
    outside their planned months) used of the budget in the months before the plan's
    origin — what no step can change."""
    cal = plan.calendar
    if plan.origin <= 0 or not cal.months:
        return [0.0] * len(plan.years)
    # the day before the origin's month: the model's spent months end where the plan's do
    today = cal.month_start(min(plan.origin, cal.months - 1)) - dt.timedelta(days=1)
    if plan.origin >= cal.months:
        today = cal.month_end(cal.months - 1)
    model = CapacityModel.of(portfolio, today)
    rows: list[list[float]] = []
    for placed in plan.placed:
        if placed.fixed:
            whole = model.yearly_costs(placed.project, placed.start, placed.months)[0]
            ahead = model.yearly_costs(
                placed.project, placed.start, placed.months, since=model.spent_until
            )[0]
            rows.append([a - b for a, b in zip(whole, ahead, strict=True)])
        apart = model.spent_apart(placed.project, placed.start)
        if apart is not None:
            rows.append(apart.budget)
    for unplaced in plan.unscheduled:  # won't, gated: what they spent is spent all the same
        apart = model.spent_apart(unplaced.project, cal.months)
        if apart is not None:
            rows.append(apart.budget)
    return [total(row[k] for row in rows) for k in range(len(plan.years))]


def _say(local: Local, key: str) -> str:
    return pgettext(local.lang, f"recovery_{key}", MESSAGES[key])
