"""``plan``, ``graph`` and ``optimize``: when the projects run, how they depend on each
other, and which of them to fund."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .common import (
    check_fields,
    check_project,
    native_stdout_to_stderr,
    reports_errors,
    show,
    valid_portfolio,
)
from .options import (
    DataOption,
    GraphFormat,
    LangOption,
    MethodOption,
    NoCacheOption,
    OutOption,
    PlanFormat,
    RunContext,
    SelectionFormat,
    TodayOption,
    chosen,
    complete_field_id,
    complete_project_id,
    document_language,
    finite,
)
from .progress import shows_progress, stage
from .words import terminal_language

if TYPE_CHECKING:
    from ..capacity import Overrides
    from ..model import Portfolio
    from ..optimize import FrontierPoint, Problem, Selection


# the same capacity what-ifs for plan and optimize
CapacityScaleOption = Annotated[
    float,
    typer.Option(
        "--capacity-scale",
        min=0.0,
        help="What-if: multiply every year's budget and "
        "staff, e.g. 1.2 for 20 % more; lists what moves earlier or becomes schedulable.",
    ),
]
BudgetScaleOption = Annotated[
    float,
    typer.Option("--budget-scale", min=0.0, help="Multiply every year's budget (what-if)."),
]
StaffScaleOption = Annotated[
    float,
    typer.Option("--staff-scale", min=0.0, help="Multiply every year's staff (what-if)."),
]
BudgetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--budget",
        help="What-if: a year's budget in EUR, e.g. --budget 2027=3000000 (repeatable).",
        show_default=False,
    ),
]
StaffOption = Annotated[
    list[str] | None,
    typer.Option(
        "--staff",
        help="What-if: a year's staff in FTE, e.g. --staff 2027=14 (repeatable).",
        show_default=False,
    ),
]


def capacity_overrides(
    portfolio: Portfolio,
    capacity_scale: float,
    budget_scale: float,
    staff_scale: float,
    budget: list[str] | None,
    staff: list[str] | None,
) -> Overrides:
    """The what-if options as one value; a year outside the period is a usage error."""
    from ..capacity import Overrides
    from ..errors import UsageError
    from ..present.output import parse_year_values

    period = portfolio.strategy.period
    budgets = parse_year_values(budget, "--budget", lang=terminal_language())
    staffs = parse_year_values(staff, "--staff", lang=terminal_language())
    for option, values in (("--budget", budgets), ("--staff", staffs)):
        outside = sorted(y for y in values if not period.start.year <= y <= period.end.year)
        if outside:
            raise UsageError(
                f"{option} {outside[0]}: outside the period "
                f"{period.start.year}–{period.end.year}; give a year of the period"
            )
    scales = (
        finite(capacity_scale, "--capacity-scale"),
        finite(budget_scale, "--budget-scale"),
        finite(staff_scale, "--staff-scale"),
    )
    return Overrides(*scales, budgets, staffs)


@reports_errors
@shows_progress
def plan(
    data: DataOption = Path("data"),
    method: MethodOption = None,
    today: TodayOption = None,
    capacity_scale: CapacityScaleOption = 1.0,
    budget_scale: BudgetScaleOption = 1.0,
    staff_scale: StaffScaleOption = 1.0,
    budget: BudgetOption = None,
    staff: StaffOption = None,
    format: Annotated[
        PlanFormat,
        typer.Option("--format", "-f", help="table; json; md with a Mermaid gantt chart."),
    ] = PlanFormat("table"),
    lang: LangOption = None,
    out: OutOption = None,
    no_cache: NoCacheOption = False,
) -> int:
    """Schedule the open projects month by month within capacity and dependencies.

    Projects are placed in ranking order at the earliest month from today where their
    prerequisites have ended and the year's budget and staff suffice; commitments
    (in_progress, approved or fixed: true, with dates) keep their dates, other dates
    are wishes the plan may move. Shows what does not fit
    and why, capacity per year, missed deadlines, the critical path, and the plan's
    length against a lower bound."""
    from ..load import locate_findings
    from ..present.documents import plan_document
    from ..present.registry import PLAN_FORMATS
    from ..schedule import what_if
    from ..score import rank

    run = RunContext.of(data, no_cache, today, format)
    portfolio = valid_portfolio(run)
    stage("ranking")
    ranking = rank(portfolio, chosen(method))
    stage("planning")
    o = capacity_overrides(portfolio, capacity_scale, budget_scale, staff_scale, budget, staff)
    result, change = what_if(
        portfolio,
        ranking,
        run.today,
        o.capacity_scale,
        dict(o.budget or {}),
        dict(o.staff or {}),
        budget_scale=o.budget_scale,
        staff_scale=o.staff_scale,
    )
    warnings = sorted(locate_findings(result.findings))
    language = document_language(lang, portfolio.strategy.language, run.format)
    document = plan_document(result, change, warnings)
    show(PLAN_FORMATS[run.format], document, out=out, lang=language)
    return 0


@reports_errors
@shows_progress
def graph(
    data: DataOption = Path("data"),
    format: Annotated[
        GraphFormat,
        typer.Option(
            "--format",
            "-f",
            help="mermaid (renders on GitHub/GitLab), dot (Graphviz) or json (nodes, "
            "edges, critical).",
        ),
    ] = GraphFormat("mermaid"),
    out: OutOption = None,
    field: Annotated[
        list[str] | None,
        typer.Option(
            "--field",
            autocompletion=complete_field_id,
            help="Only projects of this field of action (repeatable).",
            show_default=False,
        ),
    ] = None,
    around: Annotated[
        str | None,
        typer.Option(
            "--around",
            metavar="ID",
            autocompletion=complete_project_id,
            help="Only the neighbourhood of this project.",
            show_default=False,
        ),
    ] = None,
    depth: Annotated[
        int, typer.Option("--depth", min=1, help="With --around: how many dependency steps.")
    ] = 1,
    all_projects: Annotated[
        bool, typer.Option("--all", help="Include done and cancelled projects.")
    ] = False,
    no_cache: NoCacheOption = False,
) -> int:
    """Draw the dependency graph: projects coloured (and labelled) by status, the
    critical path of the open projects in bold red."""
    from ..capacity import duration_months
    from ..graph import view
    from ..present.registry import GRAPH_FORMATS

    run = RunContext.of(data, no_cache, format=format)
    portfolio = valid_portfolio(run)
    check_fields(portfolio, field or [])
    if around is not None:
        check_project(portfolio, around, "--around")
    shown = view(portfolio, field or [], around, depth, all_projects, duration=duration_months)
    language = portfolio.strategy.language  # status labels in the strategy's language
    show(
        GRAPH_FORMATS[run.format], shown.nodes, shown.edges, shown.critical, out=out, lang=language
    )
    return 0


def _solved(
    problem: Problem, time_limit: float | None, allow_overrun: float, frontier: bool
) -> tuple[Selection, list[FrontierPoint]]:
    """The selection, and with ``frontier`` the value at 50 % to 200 % of the budget (the
    solver's own output goes to stderr, progress names the stage)."""
    from ..optimize import frontier as solve_frontier
    from ..optimize import solve

    stage("optimizing")
    with native_stdout_to_stderr():
        # the budget scale is in the problem's capacity already: the frontier scales that
        selection = solve(problem, 1.0, time_limit, finite(allow_overrun, "--allow-overrun"))
        points = []
        if frontier:
            stage("optimizing for each budget level")
            points = solve_frontier(
                problem, [round(0.5 + 0.1 * k, 2) for k in range(16)], time_limit
            )
    return selection, points


# optimize's own options
KeepRunningOption = Annotated[
    bool,
    typer.Option("--keep-running/--no-keep-running", help="Force projects in progress in."),
]

ForceInOption = Annotated[
    list[str] | None,
    typer.Option(
        "--force-in",
        metavar="ID",
        autocompletion=complete_project_id,
        help="Fund this project (repeatable).",
        show_default=False,
    ),
]

ForceOutOption = Annotated[
    list[str] | None,
    typer.Option(
        "--force-out",
        metavar="ID",
        autocompletion=complete_project_id,
        help="Do not fund this project (repeatable).",
        show_default=False,
    ),
]

AllowOverrunOption = Annotated[
    float,
    typer.Option(
        "--allow-overrun",
        min=0.0,
        metavar="PCT",
        help="Let every open year's budget and staff be exceeded by up to PCT percent.",
    ),
]

FrontierOption = Annotated[
    bool,
    typer.Option(
        "--frontier",
        help="Also solve for 50 % to 200 % of the budget in steps of 10 % "
        "and show value against budget.",
    ),
]

TimeLimitOption = Annotated[
    float | None,
    typer.Option(
        "--time-limit",
        min=0.1,
        help="Seconds per solve (default: 3, or 30 from 1,000 projects on; the "
        "recovery proposal's search 1.5); past it the best selection found is shown "
        "with its optimality gap.",
        show_default=False,
    ),
]


@reports_errors
@shows_progress
def optimize(
    data: DataOption = Path("data"),
    method: MethodOption = None,
    today: TodayOption = None,
    keep_running: KeepRunningOption = True,
    force_in: ForceInOption = None,
    force_out: ForceOutOption = None,
    budget_scale: BudgetScaleOption = 1.0,
    capacity_scale: CapacityScaleOption = 1.0,
    staff_scale: StaffScaleOption = 1.0,
    budget: BudgetOption = None,
    staff: StaffOption = None,
    allow_overrun: AllowOverrunOption = 0.0,
    frontier: FrontierOption = False,
    time_limit: TimeLimitOption = None,
    format: Annotated[SelectionFormat, typer.Option("--format", "-f")] = SelectionFormat("table"),
    lang: LangOption = None,
    out: OutOption = None,
    no_cache: NoCacheOption = False,
) -> int:
    """Choose the projects to fund: the most total value (own scores) that each year's
    budget and staff can carry, with every funded project's prerequisites funded.

    Projects decided 'must' and those in progress are forced in, 'wont' and not eligible
    ones out. A project whose dates are no commitment may start later than it could
    (on 1 January of a later year) where that leaves room. Solved exactly with a
    mixed-integer solver (SciPy's milp, HiGHS) within --time-limit. Each project left
    out gets its binding reason."""
    from ..optimize import build
    from ..present.documents import selection_document
    from ..present.registry import SELECTION_FORMATS

    run = RunContext.of(data, no_cache, today, format)
    portfolio = valid_portfolio(run)
    language = document_language(lang, portfolio.strategy.language, run.format)
    for pid in [*(force_in or []), *(force_out or [])]:
        check_project(portfolio, pid)
    overrides = capacity_overrides(
        portfolio, capacity_scale, budget_scale, staff_scale, budget, staff
    )
    problem = build(
        portfolio,
        run.today,
        chosen(method),
        keep_running,
        force_in or [],
        force_out or [],
        overrides,
    )
    selection, points = _solved(problem, time_limit, allow_overrun, frontier)
    # JSON never changes with the language
    notes_language = "en" if run.format == "json" else language
    show(
        SELECTION_FORMATS[run.format],
        selection_document(selection, points, notes_language),
        out=out,
        lang=language,
    )
    return 0
