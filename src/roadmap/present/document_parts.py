"""What several typed documents share: a problem as a JSON item, rounding that keeps
None, and the per-year capacity rows of plan and optimize."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict

from ..errors import Problem

if TYPE_CHECKING:
    from ..schedule import YearUse


def round_or_none(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


# --------------------------------------------------------------------------- problems


class ProblemItem(TypedDict):
    file: str
    line: int
    column: int
    severity: str
    code: str
    message: str


def problem_item(p: Problem) -> ProblemItem:
    return {
        "file": p.file,
        "line": p.line,
        "column": p.column,
        "severity": p.severity.value,
        "code": p.code,
        "message": p.message,
    }


# --------------------------------------------------------------------------- capacity


class YearRow(TypedDict):
    """One year's use of capacity against what the strategy allows (plan: the year's
    budget and the peak monthly staff; optimize: budget and staff-years)."""

    budget_used: float
    budget: float
    staff_used: float
    staff: float


def year_row(budget_used: float, budget: float, staff_used: float, staff: float) -> YearRow:
    return {
        "budget_used": round(budget_used, 2),
        "budget": budget,
        "staff_used": round(staff_used, 3),
        "staff": staff,
    }


class CapacityRow(TypedDict):
    """One year of the one capacity model as the committee decides on it: what the
    commitments use (committed), what the plan or the selection adds (planned), and
    what is left (free; negative when over), for budget and staff."""

    budget: float
    committed_budget: float
    planned_budget: float
    free_budget: float
    staff: float
    committed_staff: float
    planned_staff: float
    free_staff: float


def capacity_row(
    committed_budget: float,
    budget_used: float,
    budget: float,
    committed_staff: float,
    staff_used: float,
    staff: float,
) -> CapacityRow:
    return {
        "budget": budget,
        "committed_budget": round(committed_budget, 2),
        "planned_budget": round(budget_used - committed_budget, 2),
        "free_budget": round(budget - budget_used, 2),
        "staff": staff,
        "committed_staff": round(committed_staff, 3),
        "planned_staff": round(staff_used - committed_staff, 3),
        "free_staff": round(staff - staff_used, 3),
    }


def capacity_split(years: Iterable[YearUse]) -> dict[str, CapacityRow]:
    """The plan's committed / planned / free per year, keyed by the year as text."""
    return {
        str(u.year): capacity_row(
            u.committed_budget, u.budget_used, u.budget, u.committed_staff, u.staff_used, u.staff
        )
        for u in years
    }


def capacity_per_year(years: Iterable[YearUse]) -> dict[str, YearRow]:
    """The plan's capacity table, keyed by the year as text (JSON object keys)."""
    return {str(u.year): year_row(u.budget_used, u.budget, u.staff_used, u.staff) for u in years}
