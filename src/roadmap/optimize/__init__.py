"""Which projects to fund: the set of open projects with the most total value that the
yearly budget and staff can carry, closed under dependencies — solved exactly as a
mixed-integer program with SciPy's ``milp`` (HiGHS).

The cost model is capacity.py's coarse per-year one (``CapacityModel.yearly_costs``;
the plan uses the monthly one beside it):

* a commitment — ``in_progress``, ``fixed: true``, ``approved`` by default — keeps
  its dates; every other project may start at its earliest month that dependencies
  allow (from today) or on the 1 January of a later year of the period where it still
  ends inside it (:func:`start_candidates`): one binary variable per start, at most one
  chosen, a dependent only after its prerequisite's chosen start has ended. Among
  selections of equal value the earlier starts win (a tie-break far below any score);
* a project runs for its duration; one that is no commitment and would end after the
  period even at its earliest start is not funded (``past-period-end``, as the plan
  places it after the period);
* it spends ``effort.budget_eur`` evenly over its months (with ``effort.spent_eur``:
  that in its months before today, the rest after), plus ``running_eur_per_year``
  from the month after it ends to the end of the period (against the budget or a
  separate running-cost budget, as the strategy says); what a paused or moved project
  spent before today stays in those months whether or not it is funded;
* it needs ``staff_fte × months in the year / 12`` staff-years in each year, against
  ``capacity[].staff_fte`` (the year's staff, available all year).

Sums are ``math.fsum`` (capacity.total): the same on every Python version.

The value of a project is its own score (as ``prioritize`` computes it, without the
dependency pull: a prerequisite's worth shows through the projects it enables).

The package: :mod:`.problem` (the problem's data, its costs and what is forced),
:mod:`.rows` (the capacity rows of the open years), :mod:`.milp` (the mixed-integer
program), :mod:`.solve` (the selection, with a recovery proposal when the commitments
do not fit), :mod:`.left_out` (why a project is not funded) and :mod:`.frontier` (value
against budget).
"""

from __future__ import annotations

from .frontier import FrontierPoint, frontier
from .problem import (
    Costs,
    Overrun,
    Problem,
    Reason,
    Selection,
    Start,
    build,
    check_clashes,
    costs_and_starts,
    costs_per_year,
    forced_closure,
    project_costs,
    start_candidates,
)
from .rows import capacity_rows, forced_overrun, row_limits, spent_costs
from .solve import (
    LARGE,
    SELECTION_TIME_LIMIT,
    SELECTION_TIME_LIMIT_LARGE,
    recovery_proposal,
    selection_time_limit,
    solve,
)

__all__ = [
    "LARGE",
    "SELECTION_TIME_LIMIT",
    "SELECTION_TIME_LIMIT_LARGE",
    "Costs",
    "FrontierPoint",
    "Overrun",
    "Problem",
    "Reason",
    "Selection",
    "Start",
    "build",
    "capacity_rows",
    "check_clashes",
    "costs_and_starts",
    "costs_per_year",
    "forced_closure",
    "forced_overrun",
    "frontier",
    "project_costs",
    "recovery_proposal",
    "row_limits",
    "selection_time_limit",
    "solve",
    "spent_costs",
    "start_candidates",
]
