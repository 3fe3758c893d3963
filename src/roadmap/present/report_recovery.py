"""The report's sentences on an over-committed portfolio ("Zu entscheiden"): per year
from today on whose commitments alone exceed the budget, by how much, whether the
overrun can still be recovered (not when the months before today already spent more
than the year's budget), and that ``roadmap optimize`` proposes what to stretch or
pause. The figures are the plan's, from the one capacity model (capacity.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..capacity import CapacityModel, total
from .i18n import marked, pgettext
from .report_local import Local
from .report_schedule import current_years

if TYPE_CHECKING:
    from ..model import Portfolio
    from ..schedule import Plan

MESSAGES = {
    "over": marked("recovery_over", "The commitments exceed the budget by {items}."),
    "spent": marked(
        "recovery_spent",
        "Not recoverable: {items} already spent before today, more than the year's budget.",
    ),
    "proposal": marked(
        "recovery_proposal",
        '"roadmap optimize" proposes which commitments to stretch or pause so that every '
        "year that can still be recovered fits (a proposal: the files stay as they are).",
    ),
    "item": marked("recovery_item", "{amount} ({year})"),
}


def recovery_sentences(portfolio: Portfolio, plan: Plan, local: Local) -> list[str]:
    """One decision for the summary, in two or three sentences, or none when the
    commitments fit every year from today on."""
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
    sentences.append(_say(local, "proposal"))
    return [" ".join(sentences)]


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
    return [total(row[k] for row in rows) for k in range(len(plan.years))]


def _say(local: Local, key: str) -> str:
    return pgettext(local.lang, f"recovery_{key}", MESSAGES[key])
