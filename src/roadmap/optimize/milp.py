"""The selection as a mixed-integer program over (project, start) pairs, solved with
SciPy's ``milp`` (HiGHS)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .problem import Problem, Start

_EPS = 1e-6


def milp_selection(
    problem: Problem,
    paused: set[str],
    budget_limit: Sequence[float],
    staff_limit: Sequence[float],
    time_limit: float | None,
    funded: set[int] | None = None,
) -> tuple[Any, list[tuple[int, Start]]]:
    """The selection MILP over (project, start) pairs: most value, at most one start
    per project (exactly one for a project forced in), each open year's budget, staff
    and running-cost budget held, and every funded project's prerequisites funded and
    ended before it starts. With ``funded``: exactly these projects, as early as
    possible (fewest months of delay in total). Returns the result and what each
    variable stands for."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    n = len(problem.projects)
    variables = [
        (i, start)
        for i in range(n)
        for start in problem.starts_of(i)
        if funded is None or i in funded
    ]
    first_of: dict[int, int] = {}
    for v, (i, _) in enumerate(variables):
        first_of.setdefault(i, v)
    count = len(variables)
    upper, one_lower = _bounds(problem, variables, paused, funded)
    per_project = coo_matrix(
        (np.ones(count), ([i for i, _ in variables], np.arange(count))), shape=(n, count)
    )
    constraints = [LinearConstraint(per_project.tocsr(), one_lower, 1.0)]
    constraints += _capacity_constraints(problem, variables, budget_limit, staff_limit)
    dependencies = _dependency_rows(problem, variables, first_of)
    if dependencies is not None:
        constraints.append(LinearConstraint(dependencies, -np.inf, 0.0))
    if funded is None:
        cost = np.array([-problem.values[i] for i, _ in variables])
    else:
        cost = np.array([float(s.month - problem.starts[i]) for i, s in variables])
    options = {"time_limit": time_limit} if time_limit else {}
    result = milp(
        c=cost,
        integrality=np.ones(count),
        bounds=Bounds(np.zeros(count), upper),
        constraints=constraints,
        options=options,
    )
    return result, variables


def _dependency_rows(
    problem: Problem, variables: list[tuple[int, Start]], first_of: Mapping[int, int]
) -> Any:
    """For each reduced dependency edge and each start of the dependent: funded at that
    start → the prerequisite funded at a start that ends by then (the two earliest
    starts always go together: that is how the earliest starts were computed, and a
    commitment keeps its date whatever its prerequisite does)."""
    import numpy as np
    from scipy.sparse import coo_matrix

    requires = [
        (i, k)
        for i in sorted(problem.needs)
        for k in problem.needs[i]
        if i in first_of and k in first_of
    ]
    if not requires:
        return None
    rows, cols, vals = [], [], []
    row = 0
    for dependent, prerequisite in requires:
        months = problem.months[prerequisite] if problem.months else 0
        d_first, p_first = first_of[dependent], first_of[prerequisite]
        p_vars = range(p_first, p_first + len(problem.starts_of(prerequisite)))
        for offset, start in enumerate(problem.starts_of(dependent)):
            v = d_first + offset
            rows.append(row)
            cols.append(v)
            vals.append(1.0)
            for w in p_vars:
                if (offset == 0 and w == p_first) or variables[w][1].month + months <= start.month:
                    rows.append(row)
                    cols.append(w)
                    vals.append(-1.0)
            row += 1
    matrix = coo_matrix(
        (np.array(vals), (np.array(rows), np.array(cols))), shape=(row, len(variables))
    )
    return matrix.tocsr()


def _bounds(
    problem: Problem,
    variables: list[tuple[int, Start]],
    paused: set[str],
    funded: set[int] | None,
) -> tuple[Any, Any]:
    """Each variable's upper bound (0: ruled out or paused) and each project's least
    number of starts (1: forced in, or one of ``funded``)."""
    import numpy as np

    upper = np.ones(len(variables))
    one_lower = np.zeros(len(problem.projects))
    for v, (i, _) in enumerate(variables):
        pid = problem.projects[i].id
        if funded is not None:
            one_lower[i] = 1
        elif pid in problem.forced_out or pid in paused:
            upper[v] = 0
        elif pid in problem.forced_in:
            one_lower[i] = 1
    return upper, one_lower


def _capacity_constraints(
    problem: Problem,
    variables: list[tuple[int, Start]],
    budget_limit: Sequence[float],
    staff_limit: Sequence[float],
) -> list[Any]:
    """Each year's budget and staff, and each open year's separate running-cost
    budget, held."""
    import numpy as np
    from scipy.optimize import LinearConstraint

    y = len(problem.years)
    budget_rows = np.array([[s.costs.budget[k] for _, s in variables] for k in range(y)])
    staff_rows = np.array([[s.costs.staff[k] for _, s in variables] for k in range(y)])
    constraints = [
        LinearConstraint(budget_rows, -np.inf, np.array(budget_limit) + _EPS),
        LinearConstraint(staff_rows, -np.inf, np.array(staff_limit) + _EPS),
    ]
    separate = [
        k for k, r in enumerate(problem.running) if r is not None and k >= problem.first_open
    ]
    if separate:
        running_rows = np.array([[s.costs.running[k] for _, s in variables] for k in separate])
        limits = np.array([float(problem.running[k] or 0.0) for k in separate])
        constraints.append(LinearConstraint(running_rows, -np.inf, limits + _EPS))
    return constraints
