"""optimize's typed document: the selection, what was left out and why, the
frontier, overruns of the commitments and the recovery proposal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from .document_parts import CapacityRow, YearRow, capacity_row, year_row

if TYPE_CHECKING:
    from ..optimize import FrontierPoint, Selection


class SelectedItem(TypedDict):
    id: str
    score: float
    effort_missing: bool  # no budget and no staff estimated: funded as if free
    start: NotRequired[str]  # the start the optimizer chose (ISO date)
    starts_later: NotRequired[bool]  # later than its earliest start, where there is room


class LeftOutItem(TypedDict):
    id: str
    reason: str
    code: str  # the reason's code (optimize.Reason), stable across languages
    params: dict[str, Any]


class FrontierItem(TypedDict):
    scale: float
    budget: float
    value: float
    projects: int
    added: list[str]
    removed: list[str]


class CauseItem(TypedDict):
    id: str
    amount: float


class OverrunItem(TypedDict):
    year: int
    resource: str
    needed: float
    available: float
    over: float
    causes: list[CauseItem]


class PauseItem(TypedDict):
    id: str
    action: str  # pause or stretch
    value: float
    why_committed: str
    why_committed_code: str
    frees_budget: dict[str, float]
    frees_staff: dict[str, float]
    text: str
    months_before: NotRequired[int]  # stretch: the months before and after it
    months: NotRequired[int]
    end: NotRequired[str]
    staff_fte: NotRequired[float]
    set_end: NotRequired[str]  # stretch: the end to write into the file
    set_duration_months: NotRequired[int]  # … or the duration, when it has no end
    set: NotRequired[dict[str, str | int | float]]  # the fields to write (roadmap set)


class SelectionDocument(TypedDict):
    value: float
    selected: list[SelectedItem]
    left_out: list[LeftOutItem]
    years: dict[str, YearRow]
    optimal: bool
    gap: float | None
    notes: list[str]
    frontier: NotRequired[list[FrontierItem]]
    overrun: list[OverrunItem]
    recovery: list[PauseItem]
    allow_overrun_pct: float
    effort_missing: list[str]  # open projects with no budget and no staff estimated
    capacity: dict[str, CapacityRow]
    recovery_optimal: bool  # the proposal is proven the mildest (else: best found in time)
    recovery_gap: float | None


def _overrun_items(s: Selection) -> list[OverrunItem]:
    """Where the commitments alone exceed the capacity, and which commitments spend there."""
    return [
        {
            "year": o.year,
            "resource": o.resource,
            "needed": round(o.needed, 2),
            "available": round(o.available, 2),
            "over": round(o.over, 2),
            "causes": [{"id": pid, "amount": round(a, 2)} for pid, a in o.causes],
        }
        for o in s.overrun
    ]


def _recovery_items(s: Selection, lang: str) -> list[PauseItem]:
    """The recovery proposal: commitments to stretch or pause, each with what it frees
    per year (never applied to the files)."""
    from .selection import reason_text, step_text

    items: list[PauseItem] = []
    for p in s.recovery:
        item: PauseItem = {
            "id": p.id,
            "action": p.action,
            "value": round(p.value, 4),
            "why_committed": reason_text(p.why_forced, lang),
            "why_committed_code": p.why_forced.code,
            "frees_budget": {str(y): round(a, 2) for y, a in p.frees_budget.items()},
            "frees_staff": {str(y): round(a, 4) for y, a in p.frees_staff.items()},
            "text": step_text(p, lang),
        }
        if p.writes:
            item["set"] = dict(p.writes)
        if p.action == "stretch":
            item["months_before"] = p.months_before
            item["months"] = p.months
            if p.end is not None:
                item["end"] = p.end.isoformat()
            item["staff_fte"] = round(p.staff_fte or 0.0, 4)
            if p.file_end is not None:
                item["set_end"] = p.file_end.isoformat()
            else:
                item["set_duration_months"] = p.months
        items.append(item)
    return items


def _selected_item(s: Selection, pid: str, score: float, missing: bool) -> SelectedItem:
    item: SelectedItem = {"id": pid, "score": round(score, 4), "effort_missing": missing}
    if pid in s.starts:
        item["start"] = s.starts[pid].isoformat()
        item["starts_later"] = pid in s.moved_later
    return item


def selection_document(
    selection: Selection, frontier: Sequence[FrontierPoint] = (), lang: str = "en"
) -> SelectionDocument:
    """optimize's answer; reasons and notes worded in ``lang`` (JSON: English)."""
    from .selection import note_texts, reason_text

    s = selection
    missing = set(s.effort_missing)
    document: SelectionDocument = {
        "value": round(s.value, 4),
        "selected": [_selected_item(s, pid, score, pid in missing) for pid, score in s.selected],
        "left_out": [
            {
                "id": pid,
                "reason": reason_text(reason, lang),
                "code": reason.code,
                "params": dict(reason.params),
            }
            for pid, reason in s.left_out
        ],
        "years": {
            str(year): year_row(s.budget_used[k], s.budget[k], s.staff_used[k], s.staff[k])
            for k, year in enumerate(s.years)
        },
        "optimal": s.optimal,
        "gap": s.gap,
        "notes": note_texts(s, lang),
        "overrun": _overrun_items(s),
        "recovery": _recovery_items(s, lang),
        "allow_overrun_pct": s.allow_overrun_pct,
        "effort_missing": s.effort_missing,
        "recovery_optimal": s.recovery_optimal,
        "recovery_gap": s.recovery_gap,
        "capacity": {
            str(year): capacity_row(
                s.committed_budget[k] if s.committed_budget else 0.0,
                s.budget_used[k],
                s.budget[k],
                s.committed_staff[k] if s.committed_staff else 0.0,
                s.staff_used[k],
                s.staff[k],
            )
            for k, year in enumerate(s.years)
        },
    }
    if frontier:
        document["frontier"] = [
            {
                "scale": p.scale,
                "budget": round(p.budget, 2),
                "value": round(p.value, 4),
                "projects": p.count,
                "added": p.added,
                "removed": p.removed,
            }
            for p in frontier
        ]
    return document
