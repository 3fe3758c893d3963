"""The plan's typed document (``plan``): placed and unscheduled projects, the
capacity per year, the what-if comparison."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from ..errors import Problem
from .document_parts import (
    CapacityRow,
    ProblemItem,
    YearRow,
    capacity_per_year,
    capacity_split,
    problem_item,
    round_or_none,
)

if TYPE_CHECKING:
    from ..schedule import Plan, WhatIf


# --------------------------------------------------------------------------- plan


class PlacedItem(TypedDict):
    id: str
    start: str
    end: str
    critical: bool
    slack_days: int
    title: str
    months: int
    fixed: bool
    status: str
    deadline: str | None
    effort_missing: bool  # no budget and no staff estimated: planned as if free
    after_period: NotRequired[str]  # why the period has no room for it
    after_period_code: NotRequired[str]  # … as a code (schedule.REASONS)
    wish_moved: NotRequired[bool]  # its start is a wish the plan moved


class UnscheduledItem(TypedDict):
    id: str
    reason: str
    title: str
    code: str  # the reason's code (schedule.REASONS), the same in every language
    params: dict[str, Any]  # its parameters, worded per language in present/


class MovedItem(TypedDict("MovedItem", {"from": str})):
    id: str
    to: str


class WhatIfItem(TypedDict):
    capacity_scale: float
    budget: dict[int, float]
    staff: dict[int, float]
    earlier: list[MovedItem]
    schedulable: list[str]


class PlanDocument(TypedDict):
    projects: list[PlacedItem]
    unscheduled: list[UnscheduledItem]
    end: str | None
    start: str | None
    plan_months: int | None
    lower_bound_months: float | None
    quality: float | None
    critical_path: list[str]
    network_months: float | None
    years: dict[str, YearRow]
    capacity: dict[str, CapacityRow]
    effort_missing: list[str]  # placed projects with no budget and no staff estimated
    notes: list[str]
    warnings: list[ProblemItem]
    what_if: NotRequired[WhatIfItem]


def _mark_after_period(plan: Plan, document: PlanDocument) -> None:
    """Projects placed after the period carry why the period has no room for them."""
    for item, placed in zip(document["projects"], plan.placed, strict=True):
        if placed.beyond is not None:
            item["after_period"] = placed.beyond.english()
            item["after_period_code"] = placed.beyond.code
        start = placed.project.start
        item["wish_moved"] = not placed.fixed and start is not None and placed.start_date != start


def plan_document(
    plan: Plan, what_if: WhatIf | None = None, warnings: Sequence[Problem] = ()
) -> PlanDocument:
    from ..capacity import has_effort

    network = plan.network
    document: PlanDocument = {
        "projects": [
            {
                "id": p.project.id,
                "start": p.start_date.isoformat(),
                "end": p.end_date.isoformat(),
                "critical": p.critical,
                "slack_days": p.slack_days,
                "title": p.project.title,
                "months": p.months,
                "fixed": p.fixed,
                "status": p.project.status,
                "deadline": p.project.deadline.isoformat() if p.project.deadline else None,
                "effort_missing": not has_effort(p.project),
            }
            for p in plan.placed
        ],
        "unscheduled": [
            {
                "id": u.project.id,
                "reason": u.reason,
                "title": u.project.title,
                "code": u.why.code,
                "params": dict(u.why.params),
            }
            for u in plan.unscheduled
        ],
        "end": plan.end_date.isoformat() if plan.end_date else None,
        "start": plan.calendar.month_start(plan.first_month).isoformat(),
        "plan_months": plan.length_months,
        "lower_bound_months": round_or_none(plan.lower_bound_months, 2),
        "quality": round_or_none(plan.quality, 3),
        "critical_path": network.critical_path() if network else [],
        "network_months": round_or_none(network.duration - plan.origin, 2) if network else None,
        "years": capacity_per_year(plan.years),
        "capacity": capacity_split(plan.years),
        "effort_missing": sorted(p.project.id for p in plan.placed if not has_effort(p.project)),
        "notes": plan.notes,
        "warnings": [problem_item(p) for p in warnings],
    }
    _mark_after_period(plan, document)
    if what_if is not None:
        document["what_if"] = {
            "capacity_scale": what_if.capacity_scale,
            "budget": what_if.budget,
            "staff": what_if.staff,
            "earlier": [
                {"id": i, "from": a.isoformat(), "to": b.isoformat()} for i, a, b in what_if.earlier
            ],
            "schedulable": what_if.schedulable,
        }
    return document
