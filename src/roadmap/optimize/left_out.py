"""Why a project is not funded: the binding reason, worded in present/selection.py."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from ..capacity import total
from .problem import Costs, Problem, Reason, Selection, closure

_EPS = 1e-6


def why_left_out(
    problem: Problem,
    i: int,
    chosen: set[int],
    selection: Selection,
    costs: Sequence[Costs],
    running_used: Sequence[float],
    paused: Collection[str] = (),
) -> Reason:
    """The binding reason: ruled out, a prerequisite ruled out or paused by the
    recovery proposal (``paused``), or the year whose
    budget, staff or running-cost budget adding it at its earliest start (with its
    missing prerequisites) would exceed, with the later starts that do not fit either;
    or, when one of them fits, from when."""
    project = problem.projects[i]
    if project.id in problem.forced_out:
        return problem.forced_out[project.id]
    needed = closure(problem, {i}) - chosen
    ruled_out = sorted(
        problem.projects[k].id
        for k in needed
        if problem.projects[k].id in problem.forced_out and k != i
    )
    if ruled_out:
        return Reason("needs-ruled-out", {"ids": ruled_out})
    # a prerequisite the recovery proposal pauses: adding it back is not on offer
    waiting_for = sorted(problem.projects[k].id for k in needed if problem.projects[k].id in paused)
    if waiting_for:
        return Reason("needs-paused", {"ids": waiting_for})
    others = [costs[j] for j in needed if j != i]
    candidates = problem.starts_of(i)
    binding = [
        _binding(problem, [start.costs, *others], selection, running_used, len(needed) > 1)
        for start in candidates
    ]
    fits = [s for s, why in zip(candidates, binding, strict=True) if why is None]
    first = binding[0]
    if first is None or fits:
        if problem.values[i] <= 0:
            return Reason("no-value")
        if first is None or problem.model is None:
            return Reason("outvalued")
        start = problem.model.calendar.month_start(fits[0].month)
        return Reason("outvalued-later", {"from": f"{start:%Y-%m}"})
    if len(candidates) > 1 and problem.model is not None:
        later = [f"{problem.model.calendar.month_start(s.month):%Y-%m}" for s in candidates[1:]]
        return Reason(first.code, {**first.params, "later": later})
    return first


def _binding(
    problem: Problem,
    extra_costs: Sequence[Costs],
    selection: Selection,
    running_used: Sequence[float],
    with_prerequisites: bool,
) -> Reason | None:
    """The first year and capacity line that ``extra_costs`` added to the selection
    would exceed, or None when they fit."""
    for k, year in enumerate(selection.years):
        lines = [
            ("budget", selection.budget_used[k], selection.budget[k], "budget"),
            ("staff", selection.staff_used[k], selection.staff[k], "staff"),
        ]
        running_limit = problem.running[k] if problem.running else None
        if running_limit is not None and k >= problem.first_open:
            lines.append(("running", running_used[k], running_limit, "running"))
        for code, used, limit, attribute in lines:
            extra = total(getattr(c, attribute)[k] for c in extra_costs)
            if used + extra > limit + _EPS and extra > _EPS:
                return Reason(
                    code,
                    {
                        "year": year,
                        "needed": extra,
                        "free": max(0.0, limit - used),
                        "with_prerequisites": with_prerequisites,
                    },
                )
    return None
