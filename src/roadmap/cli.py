"""The ``roadmap`` command line: parses options, calls the library, picks a formatter,
returns an exit code. Library modules are imported inside the commands so that
``roadmap --help`` stays fast."""

from __future__ import annotations

import datetime
import functools
import gc
import itertools
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional, ParamSpec

import typer

from . import __version__

if TYPE_CHECKING:
    from .bundle import Bundle
    from .errors import Problem
    from .load import LoadResult
    from .model import Portfolio
    from .score import Ranking

P = ParamSpec("P")

app = typer.Typer(
    name="roadmap",
    help="A city's digital strategy as YAML files in git: validate it, rank, bundle and "
    "schedule its projects, and render the council's roadmap.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rich's help formatter costs ~0.1 s of imports
    context_settings={"help_option_names": ["-h", "--help"]},
)

_debug = False

DataOption = Annotated[
    Path,
    typer.Option(
        "--data",
        "-d",
        envvar="ROADMAP_DATA",
        show_envvar=True,
        help="Portfolio folder with strategy.yaml and projects/.",
        file_okay=False,
    ),
]
NoCacheOption = Annotated[
    bool,
    typer.Option("--no-cache", help="Do not read or write the per-file validation cache."),
]


TodayOption = Annotated[
    Optional[datetime.datetime],
    typer.Option(
        "--today",
        formats=["%Y-%m-%d"],
        help="Plan from this date (YYYY-MM-DD); default: today.",
        show_default=False,
    ),
]


class ProblemFormat(str, Enum):
    auto = "auto"
    table = "table"
    text = "text"
    json = "json"
    github = "github"


class Method(str, Enum):
    weighted_sum = "weighted_sum"
    wsjf = "wsjf"
    topsis = "topsis"


class RankingFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


class ExplainFormat(str, Enum):
    table = "table"
    json = "json"


class Status(str, Enum):
    idea = "idea"
    proposed = "proposed"
    approved = "approved"
    in_progress = "in_progress"
    on_hold = "on_hold"
    done = "done"
    cancelled = "cancelled"


MethodOption = Annotated[
    Optional[Method],
    typer.Option(
        "--method",
        "-m",
        help="Scoring method; default: scoring.method of strategy.yaml.",
        show_default=False,
    ),
]
StatusOption = Annotated[
    Optional[list[Status]],
    typer.Option(
        "--status",
        "-s",
        help="Rank only projects with this status (repeatable). "
        "Default: everything not done or cancelled.",
        show_default=False,
    ),
]
SeedOption = Annotated[int, typer.Option("--seed", help="Seed of the robustness draws.")]
PullOption = Annotated[
    Optional[bool],
    typer.Option(
        "--pull/--no-pull",
        help="Dependency pull; default: scoring.dependency_pull.",
        show_default=False,
    ),
]


class PlanFormat(str, Enum):
    table = "table"
    json = "json"
    md = "md"


class GraphFormat(str, Enum):
    mermaid = "mermaid"
    dot = "dot"


def _year_values(values: list[str] | None, option: str) -> dict[int, float]:
    """``["2027=3000000", …]`` → ``{2027: 3000000.0}``."""
    from .errors import UsageError

    result = {}
    for item in values or []:
        year, _, amount = item.partition("=")
        try:
            result[int(year)] = float(amount.replace("_", ""))
        except ValueError:
            raise UsageError(
                f"{option} {item}: expected YEAR=NUMBER, e.g. {option} 2027=3000000"
            ) from None
    return result


class SchemaKind(str, Enum):
    both = "both"
    project = "project"
    strategy = "strategy"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"roadmap {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        Optional[bool],
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = None,
    debug: Annotated[
        bool,
        typer.Option("--debug", help="Show a traceback for unexpected errors (to report a bug)."),
    ] = False,
) -> None:
    global _debug
    _debug = debug or bool(os.environ.get("ROADMAP_DEBUG"))


def _cache_dir(no_cache: bool) -> Path | None:
    if no_cache:
        return None
    from .load import default_cache_dir

    configured = os.environ.get("ROADMAP_CACHE_DIR")
    return Path(configured) if configured else default_cache_dir()


def _fail(exc: BaseException) -> NoReturn:
    """Known errors → one line and their exit code; anything else is a bug (exit 3)."""
    from .errors import RoadmapError

    if isinstance(exc, BrokenPipeError):  # output piped into `head`: nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1)
    if isinstance(exc, RoadmapError):
        typer.echo(f"roadmap: {exc}", err=True)
        raise typer.Exit(exc.exit_code)
    if _debug:
        raise exc
    typer.echo(
        f"roadmap: unexpected error: {type(exc).__name__}: {exc}\n"
        "This is a bug; run again with --debug and report the traceback.",
        err=True,
    )
    raise typer.Exit(3)


def _reports_errors(command: Callable[P, None]) -> Callable[P, None]:
    """Known errors become their exit code, anything else "unexpected error" (exit 3)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        # A command is one short run that builds many objects and no garbage cycles:
        # the cyclic collector would only rescan them (see load.gc_paused).
        gc.disable()
        try:
            command(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            _fail(exc)

    return wrapper


@app.command()
@_reports_errors
def validate(
    paths: Annotated[
        Optional[list[Path]],
        typer.Argument(
            metavar="FILE",
            help="Report only on these files (the whole portfolio is still checked, since "
            "references cross files). Default: every file.",
            show_default=False,
        ),
    ] = None,
    data: DataOption = Path("data"),
    format: Annotated[
        ProblemFormat,
        typer.Option(
            "--format",
            "-f",
            help="table for people, json for programs, github for Actions "
            "annotations, text for editors; auto picks github when GITHUB_ACTIONS is set.",
        ),
    ] = ProblemFormat.auto,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Check every file: schema, references, cycles, dates, scales and policies.

    Reports every problem of every file at once with file, line and column.
    Exit 0 when there is no error (and no warning with --strict), 1 otherwise."""
    from .checks import validate as run_validate
    from .present.registry import PROBLEM_FORMATS
    from .present.text import counts

    loaded, problems = run_validate(data, _cache_dir(no_cache))
    if paths:
        wanted = {os.path.realpath(p) for p in paths}
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            from .errors import UsageError

            raise UsageError(f"no such file: {', '.join(missing)}")
        problems = [
            p
            for p in problems
            if os.path.realpath(p.file) in wanted
            or any(os.path.realpath(p.file).startswith(w + os.sep) for w in wanted)
        ]
    chosen = format.value
    if chosen == "auto":
        chosen = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "table"
    files = len(loaded.known_ids) + 1
    PROBLEM_FORMATS[chosen](problems, sys.stdout, files)
    errors, warnings = counts(problems)
    raise typer.Exit(1 if errors or (strict and warnings) else 0)


def _validated(data: Path, no_cache: bool) -> tuple[LoadResult, list[Problem]]:
    """The loaded portfolio and its warnings, or exit 1 listing its errors: ranking
    broken data would mislead."""
    from .checks import validate as run_validate
    from .errors import DataError, Severity

    loaded, problems = run_validate(data, _cache_dir(no_cache))
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors or loaded.portfolio is None:
        for problem in errors:
            typer.echo(str(problem), err=True)
        raise DataError(
            f"the data has {len(errors)} error{'s' * (len(errors) != 1)}; fix "
            "them first (roadmap validate lists them with the warnings)"
        )
    return loaded, problems


def _valid_portfolio(data: Path, no_cache: bool) -> Portfolio:
    loaded, _ = _validated(data, no_cache)
    assert loaded.portfolio is not None
    return loaded.portfolio


def _suggestions(loaded: LoadResult) -> list[Bundle]:
    """The default bundle suggestions, from the cache when no file changed."""
    from .bundle import suggest

    assert loaded.portfolio is not None
    cache = loaded.cache
    found: list[Bundle] | None = (
        cache.derived("bundles", loaded.content_key) if cache is not None else None
    )
    if found is None:
        found, _ = suggest(loaded.portfolio)
        if cache is not None:
            cache.store_derived("bundles", loaded.content_key, found)
    return found


def _check_fields(portfolio: Portfolio, fields: list[str]) -> None:
    from .errors import UsageError
    from .load import did_you_mean

    known = {f.id for f in portfolio.strategy.fields}
    for name in fields:
        if name not in known:
            raise UsageError(
                f"--field {name}: no such field of action"
                f"{did_you_mean(name, known)}; fields: {', '.join(sorted(known))}"
            )


@app.command()
@_reports_errors
def prioritize(
    data: DataOption = Path("data"),
    method: MethodOption = None,
    top: Annotated[
        Optional[int],
        typer.Option(
            "--top",
            "-n",
            min=1,
            help="Show the first N projects (and, with --robustness, "
            "count P(rank ≤ N)); default: all, P(top 10).",
            show_default=False,
        ),
    ] = None,
    field: Annotated[
        Optional[list[str]],
        typer.Option(
            "--field",
            help="Show only projects of this field of action (repeatable); ranks "
            "are renumbered, overall_rank keeps the place in the whole ranking.",
            show_default=False,
        ),
    ] = None,
    status: StatusOption = None,
    robustness: Annotated[
        int,
        typer.Option(
            "--robustness",
            "-r",
            min=0,
            help="Re-rank N times with weights drawn around the "
            "given ones (and scores inside their ranges); adds rank 5–95 % and P(top).",
        ),
    ] = 0,
    seed: SeedOption = 0,
    pull: PullOption = None,
    format: Annotated[
        RankingFormat,
        typer.Option(
            "--format", "-f", help="table for people, json/csv for programs, md for reports."
        ),
    ] = RankingFormat.table,
    no_cache: NoCacheOption = False,
) -> None:
    """Rank the portfolio: committee decisions first, then score, prerequisites first.

    Each project's own score comes from its criteria scores and the weights (or the
    WSJF block); a prerequisite is pulled up to the best score of the projects that
    need it. Exit 1 when the data has errors."""
    from .present.documents import ranking_document
    from .present.registry import RANKING_FORMATS
    from .score import rank
    from .score import robustness as run_robustness

    portfolio = _valid_portfolio(data, no_cache)
    _check_fields(portfolio, field or [])
    ranking = rank(
        portfolio,
        method.value if method else None,
        [s.value for s in status] if status else None,
        pull,
    )
    if robustness:
        run_robustness(portfolio, ranking, robustness, seed, top or 10)
    document = ranking_document(ranking, field or [], top, seed if robustness else None)
    RANKING_FORMATS[format.value](document, sys.stdout)


@app.command()
@_reports_errors
def explain(
    project_id: Annotated[str, typer.Argument(metavar="ID", help="The project's id.")],
    data: DataOption = Path("data"),
    method: MethodOption = None,
    status: StatusOption = None,
    robustness: Annotated[
        int,
        typer.Option(
            "--robustness", "-r", min=0, help="Draws of the weights for the rank interval (0: off)."
        ),
    ] = 1000,
    top: Annotated[
        int, typer.Option("--top", "-n", min=1, help="The top N that P(top) counts.")
    ] = 10,
    seed: SeedOption = 0,
    pull: PullOption = None,
    format: Annotated[ExplainFormat, typer.Option("--format", "-f")] = ExplainFormat.table,
    no_cache: NoCacheOption = False,
) -> None:
    """Why a project has its score and rank: weights, each criterion's raw value,
    normalized value and contribution, what pulls it up, its decision band, how stable
    its rank is, and which single score change would move it up one rank."""
    from .errors import UsageError
    from .load import did_you_mean
    from .present.documents import explanation_document
    from .present.registry import EXPLANATION_FORMATS
    from .score import levers, rank
    from .score import robustness as run_robustness

    portfolio = _valid_portfolio(data, no_cache)
    project = portfolio.projects.get(project_id)
    if project is None:
        raise UsageError(f"no project {project_id!r}{did_you_mean(project_id, portfolio.projects)}")
    statuses = [s.value for s in status] if status else None
    ranking = rank(portfolio, method.value if method else None, statuses, pull)
    if project_id not in ranking.by_id():
        raise UsageError(
            f"{project_id} has status {project.status!r}, which is not "
            "ranked; add --status " + project.status
        )
    if robustness:
        run_robustness(portfolio, ranking, robustness, seed, top)
    found, no_lever = levers(portfolio, ranking, project_id)
    dependents = sorted(p.id for p in portfolio.projects.values() if project_id in p.depends_on)
    document = explanation_document(ranking, project_id, found, no_lever, dependents)
    EXPLANATION_FORMATS[format.value](document, sys.stdout)


@app.command()
@_reports_errors
def plan(
    data: DataOption = Path("data"),
    method: MethodOption = None,
    today: TodayOption = None,
    capacity_scale: Annotated[
        float,
        typer.Option(
            "--capacity-scale",
            min=0.0,
            help="What-if: multiply every year's budget and "
            "staff, e.g. 1.2 for 20 % more; lists what moves earlier or becomes schedulable.",
        ),
    ] = 1.0,
    budget: Annotated[
        Optional[list[str]],
        typer.Option(
            "--budget",
            help="What-if: a year's budget in EUR, e.g. --budget 2027=3000000 (repeatable).",
            show_default=False,
        ),
    ] = None,
    staff: Annotated[
        Optional[list[str]],
        typer.Option(
            "--staff",
            help="What-if: a year's staff in FTE, e.g. --staff 2027=14 (repeatable).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        PlanFormat,
        typer.Option("--format", "-f", help="table; json; md with a Mermaid gantt chart."),
    ] = PlanFormat.table,
    no_cache: NoCacheOption = False,
) -> None:
    """Schedule the open projects month by month within capacity and dependencies.

    Projects are placed in ranking order at the earliest month where their
    prerequisites have ended and the year's budget and staff suffice; in_progress
    projects and projects with a start keep their dates. Shows what does not fit
    and why, capacity per year, missed deadlines, the critical path, and the plan's
    length against a lower bound."""
    from .load import locate_findings
    from .present.documents import plan_document
    from .present.registry import PLAN_FORMATS
    from .schedule import compare
    from .schedule import plan as make_plan
    from .score import rank

    portfolio = _valid_portfolio(data, no_cache)
    ranking = rank(portfolio, method.value if method else None)
    day = today.date() if today else datetime.date.today()
    budgets, staffs = _year_values(budget, "--budget"), _year_values(staff, "--staff")
    what_if = None
    if capacity_scale == 1.0 and not budgets and not staffs:
        result = make_plan(portfolio, ranking, day)
    else:
        base = make_plan(portfolio, ranking, day)
        capacity = {c.year: c for c in portfolio.strategy.capacity}
        only_more = (
            capacity_scale >= 1.0
            and all(
                amount >= (capacity[y].budget_eur if y in capacity else 0.0)
                for y, amount in budgets.items()
            )
            and all(
                amount >= (capacity[y].staff_fte if y in capacity else 0.0)
                for y, amount in staffs.items()
            )
        )
        # more capacity: improve on the base plan, so that nothing moves later
        result = make_plan(
            portfolio,
            ranking,
            day,
            capacity_scale,
            budgets,
            staffs,
            base=base if only_more else None,
        )
        earlier, gained = compare(base, result)
        what_if = {
            "capacity_scale": capacity_scale,
            "budget": budgets,
            "staff": staffs,
            "earlier": [
                {"id": i, "from": a.isoformat(), "to": b.isoformat()} for i, a, b in earlier
            ],
            "schedulable": gained,
        }
    warnings = sorted(locate_findings(result.findings))
    PLAN_FORMATS[format.value](plan_document(result, what_if, warnings), sys.stdout)


@app.command()
@_reports_errors
def graph(
    data: DataOption = Path("data"),
    format: Annotated[
        GraphFormat,
        typer.Option(
            "--format", "-f", help="mermaid (renders on GitHub/GitLab) or dot (Graphviz)."
        ),
    ] = GraphFormat.mermaid,
    field: Annotated[
        Optional[list[str]],
        typer.Option(
            "--field",
            help="Only projects of this field of action (repeatable).",
            show_default=False,
        ),
    ] = None,
    around: Annotated[
        Optional[str],
        typer.Option(
            "--around",
            metavar="ID",
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
) -> None:
    """Draw the dependency graph: projects coloured (and labelled) by status, the
    critical path of the open projects in bold red."""
    from .errors import UsageError
    from .graph import dependency_graph, neighbourhood
    from .load import did_you_mean
    from .present.registry import GRAPH_FORMATS
    from .schedule import cpm, duration_months

    portfolio = _valid_portfolio(data, no_cache)
    _check_fields(portfolio, field or [])
    network = dependency_graph(portfolio)
    keep = {
        p.id
        for p in portfolio.projects.values()
        if (all_projects or p.is_open) and (not field or p.field in field)
    }
    if around is not None:
        if around not in portfolio.projects:
            raise UsageError(
                f"--around: no project {around!r}{did_you_mean(around, portfolio.projects)}"
            )
        keep = set(neighbourhood(network, around, depth)) & (keep | {around})
    shown = network.subgraph(keep)
    nodes = [portfolio.projects[n] for n in sorted(shown)]
    edges = sorted(shown.edges())
    open_nodes = [p for p in nodes if p.is_open]
    path = cpm(
        {p.id: float(duration_months(p)[0]) for p in open_nodes},
        {p.id: p.depends_on for p in open_nodes},
    ).critical_path()
    critical = set(itertools.pairwise(path))
    GRAPH_FORMATS[format.value](nodes, edges, critical, sys.stdout)


class BundleFormat(str, Enum):
    table = "table"
    json = "json"
    md = "md"


@app.command()
@_reports_errors
def bundle(
    data: DataOption = Path("data"),
    threshold: Annotated[
        Optional[float],
        typer.Option(
            "--threshold",
            "-t",
            min=0.0,
            max=1.0,
            help="Suggest pairs scoring at least this "
            "(0..1); default: bundling.threshold of strategy.yaml.",
            show_default=False,
        ),
    ] = None,
    explain: Annotated[
        Optional[tuple[str, str]],
        typer.Option(
            "--explain",
            metavar="A B",
            help="Show every signal for the pair A, B instead.",
            show_default=False,
        ),
    ] = None,
    include_closed: Annotated[
        bool, typer.Option("--all", help="Include done and cancelled projects.")
    ] = False,
    format: Annotated[BundleFormat, typer.Option("--format", "-f")] = BundleFormat.table,
    no_cache: NoCacheOption = False,
) -> None:
    """Suggest projects to merge or run as one program, each bundle with its evidence.

    Signals per pair: text similarity (German-aware), shared service keys, tags,
    goals, target groups, program and dependencies. Pairs marked distinct_from are
    never suggested. Bundles stay cohesive: every member is similar to every other."""
    from .bundle import explain_pair, suggest, synonyms_of
    from .errors import UsageError
    from .load import did_you_mean
    from .present.documents import bundle_document, pair_document
    from .present.registry import BUNDLE_FORMATS
    from .present.terminal import pair_table

    portfolio = _valid_portfolio(data, no_cache)
    if explain is not None:
        for pid in explain:
            if pid not in portfolio.projects:
                raise UsageError(
                    f"--explain: no project {pid!r}{did_you_mean(pid, portfolio.projects)}"
                )
        # the same projects as the suggestions, so that the numbers agree
        projects = [
            p
            for _, p in sorted(portfolio.projects.items())
            if include_closed or p.is_open or p.id in explain
        ]
        document = pair_document(explain_pair(projects, *explain, synonyms_of(portfolio)))
        if format is BundleFormat.json:
            BUNDLE_FORMATS["json"](document, sys.stdout)
        else:
            pair_table(document, sys.stdout)
        return
    found, used = suggest(portfolio, threshold, include_closed)
    titles = {p.id: p.title for p in portfolio.projects.values()}
    BUNDLE_FORMATS[format.value](bundle_document(found, used, titles), sys.stdout)


@app.command()
@_reports_errors
def optimize(
    data: DataOption = Path("data"),
    method: MethodOption = None,
    today: TodayOption = None,
    keep_running: Annotated[
        bool,
        typer.Option("--keep-running/--no-keep-running", help="Force projects in progress in."),
    ] = True,
    force_in: Annotated[
        Optional[list[str]],
        typer.Option(
            "--force-in", metavar="ID", help="Fund this project (repeatable).", show_default=False
        ),
    ] = None,
    force_out: Annotated[
        Optional[list[str]],
        typer.Option(
            "--force-out",
            metavar="ID",
            help="Do not fund this project (repeatable).",
            show_default=False,
        ),
    ] = None,
    budget_scale: Annotated[
        float,
        typer.Option("--budget-scale", min=0.0, help="Multiply every year's budget (what-if)."),
    ] = 1.0,
    frontier: Annotated[
        bool,
        typer.Option(
            "--frontier",
            help="Also solve for 50 % to 200 % of the budget in steps of 10 % "
            "and show value against budget.",
        ),
    ] = False,
    time_limit: Annotated[
        Optional[float],
        typer.Option(
            "--time-limit",
            min=0.1,
            help="Seconds per solve; past it the best selection found "
            "is shown with its optimality gap.",
            show_default=False,
        ),
    ] = None,
    format: Annotated[PlanFormat, typer.Option("--format", "-f")] = PlanFormat.table,
    no_cache: NoCacheOption = False,
) -> None:
    """Choose the projects to fund: the most total value (own scores) that each year's
    budget and staff can carry, with every funded project's prerequisites funded.

    Projects decided 'must' and those in progress are forced in, 'wont' and not eligible
    ones out. Solved exactly with a mixed-integer solver (SciPy's milp, HiGHS). Each
    project left out gets its binding reason."""
    from .errors import UsageError
    from .load import did_you_mean
    from .optimize import build, solve
    from .optimize import frontier as solve_frontier
    from .present.documents import selection_document
    from .present.registry import SELECTION_FORMATS

    portfolio = _valid_portfolio(data, no_cache)
    for pid in [*(force_in or []), *(force_out or [])]:
        if pid not in portfolio.projects:
            raise UsageError(f"no project {pid!r}{did_you_mean(pid, portfolio.projects)}")
    day = today.date() if today else datetime.date.today()
    problem = build(
        portfolio,
        day,
        method.value if method else None,
        keep_running,
        force_in or [],
        force_out or [],
    )
    selection = solve(problem, budget_scale, time_limit)
    points = []
    if frontier:
        scales = [round(0.5 + 0.1 * k, 2) for k in range(16)]
        points = solve_frontier(problem, [budget_scale * s for s in scales], time_limit)
    SELECTION_FORMATS[format.value](selection_document(selection, points), sys.stdout)


DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Print the change as a unified diff; write nothing.")
]
DateOption = Annotated[
    Optional[datetime.datetime],
    typer.Option(
        "--date", formats=["%Y-%m-%d"], help="YYYY-MM-DD; default: today.", show_default=False
    ),
]


def _emit(text: str, out: Path | None) -> None:
    """Standard output, or the file ``out`` written atomically."""
    if out is None:
        sys.stdout.write(text)
        return
    from .edit import write_atomically

    write_atomically(out, text.encode("utf-8"), 0o644)
    typer.echo(f"wrote {out}", err=True)


def _report_edit(path: Path, diff: str, dry_run: bool) -> None:
    from .load import display_path

    if not diff:
        typer.echo(f"{display_path(path)} already says so; nothing changed")
        return
    if not dry_run:
        typer.echo(f"updated {display_path(path)}")
    typer.echo(diff, nl=False)


@app.command(name="set")
@_reports_errors
def set_(
    project_id: Annotated[str, typer.Argument(metavar="ID", help="The project's id.")],
    assignments: Annotated[
        list[str],
        typer.Argument(
            metavar="KEY=VALUE...",
            help="status=approved, owner='A. Muster', "
            "scores.citizen_value=4, effort.staff_fte=2, depends_on+=e-akte, tags-=alt.",
        ),
    ],
    data: DataOption = Path("data"),
    dry_run: DryRunOption = False,
) -> None:
    """Change fields of a project file, keeping every other byte (comments, order,
    quoting, style) as it was. The result is validated before it is written."""
    from .edit import apply, parse_assignment, project_path, project_validator
    from .model import Project

    path = project_path(data, project_id)
    changes = [parse_assignment(a, list(Project.model_fields)) for a in assignments]
    diff = apply(path, changes, project_validator(data, project_id), dry_run)
    _report_edit(path, diff, dry_run)


record_app = typer.Typer(
    help="Record a KPI measurement or a finished milestone.", no_args_is_help=True
)
app.add_typer(record_app, name="record")


@record_app.command("kpi")
@_reports_errors
def record_kpi(
    owner_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A project id, or a goal id (for the KPIs of goals in strategy.yaml).",
        ),
    ],
    kpi_id: Annotated[str, typer.Argument(metavar="KPI", help="The KPI's id.")],
    value: Annotated[float, typer.Argument(metavar="VALUE", help="The measured value.")],
    date: DateOption = None,
    data: DataOption = Path("data"),
    dry_run: DryRunOption = False,
) -> None:
    """Append a measurement to a KPI's measurements (a project's, or a goal's)."""
    from .edit import Change, Document, apply, index_of, project_validator, strategy_validator
    from .errors import UsageError

    day = date.date() if date else datetime.date.today()
    measured = int(value) if value.is_integer() else value
    project = data / "projects" / f"{owner_id}.yaml"
    if project.exists():
        kpis = Document.read(project).data().get("kpis") or []
        k = index_of(kpis, kpi_id, "KPI", owner_id)
        change = Change("append", ("kpis", k, "measurements"), {"date": day, "value": measured})
        diff = apply(project, [change], project_validator(data, owner_id), dry_run)
        _report_edit(project, diff, dry_run)
        return
    strategy = data / "strategy.yaml"
    goals = Document.read(strategy).data().get("goals") or []
    if owner_id not in [g.get("id") for g in goals if isinstance(g, dict)]:
        raise UsageError(f"no project or goal {owner_id!r}")
    g = index_of(goals, owner_id, "goal", "strategy.yaml")
    k = index_of(goals[g].get("kpis") or [], kpi_id, "KPI", owner_id)
    change = Change(
        "append", ("goals", g, "kpis", k, "measurements"), {"date": day, "value": measured}
    )
    diff = apply(strategy, [change], strategy_validator(data), dry_run)
    _report_edit(strategy, diff, dry_run)


@record_app.command("milestone")
@_reports_errors
def record_milestone(
    project_id: Annotated[str, typer.Argument(metavar="ID", help="The project's id.")],
    milestone_id: Annotated[str, typer.Argument(metavar="MILESTONE")],
    done: Annotated[bool, typer.Option("--done", help="Mark it done (required).")] = False,
    date: DateOption = None,
    data: DataOption = Path("data"),
    dry_run: DryRunOption = False,
) -> None:
    """Mark a milestone done: status done and done_on the date."""
    from .edit import Change, Document, apply, index_of, project_path, project_validator
    from .errors import UsageError

    if not done:
        raise UsageError("say what to record: --done")
    path = project_path(data, project_id)
    milestones = Document.read(path).data().get("milestones") or []
    m = index_of(milestones, milestone_id, "milestone", project_id)
    day = date.date() if date else datetime.date.today()
    changes = [
        Change("set", ("milestones", m, "status"), "done"),
        Change("set", ("milestones", m, "done_on"), day),
    ]
    diff = apply(path, changes, project_validator(data, project_id), dry_run)
    _report_edit(path, diff, dry_run)


@app.command()
@_reports_errors
def new(
    project_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="The new project's id: lower-case letters, digits, hyphens."
        ),
    ],
    title: Annotated[Optional[str], typer.Option("--title", show_default=False)] = None,
    field: Annotated[Optional[str], typer.Option("--field", show_default=False)] = None,
    department: Annotated[Optional[str], typer.Option("--department", show_default=False)] = None,
    owner: Annotated[Optional[str], typer.Option("--owner", show_default=False)] = None,
    status: Annotated[Status, typer.Option("--status")] = Status.idea,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Create it even if similar projects exist.")
    ] = False,
    data: DataOption = Path("data"),
    dry_run: DryRunOption = False,
) -> None:
    """Create projects/ID.yaml with helpful comments for the optional parts. In a
    terminal it asks for what is missing. Shows existing projects that look like the
    new one first: duplicates are cheapest to stop when they are entered."""
    import re

    from .bundle import explain_pair, synonyms_of
    from .edit import create, new_project_text, project_validator
    from .errors import UsageError
    from .load import did_you_mean, display_path
    from .model import PROJECT_ID_PATTERN, Project

    if not re.match(PROJECT_ID_PATTERN, project_id):
        raise UsageError(
            f"{project_id!r} is not a valid id: use lower-case letters, digits "
            "and hyphens, 2–64 characters, e.g. e-akte"
        )
    portfolio = _valid_portfolio(data, True)
    path = data / "projects" / f"{project_id}.yaml"
    if path.exists() or project_id in portfolio.projects:
        raise UsageError(f"{display_path(path)} exists already")
    interactive = sys.stdin.isatty()
    fields = [f.id for f in portfolio.strategy.fields]
    if title is None:
        if not interactive:
            raise UsageError("--title is required")
        title = typer.prompt("Title")
    if field is None and interactive and fields:
        field = typer.prompt(f"Field of action ({', '.join(fields)})", default=fields[0])
    if field is not None and field not in fields:
        raise UsageError(f"--field {field}: no such field{did_you_mean(field, fields)}")
    if owner is None and interactive:
        owner = typer.prompt("Owner (responsible person)", default="", show_default=False) or None
    if department is None and interactive:
        department = typer.prompt("Department", default="", show_default=False) or None
    criteria = [(c.id, f"{c.scale[0]:g}–{c.scale[1]:g}") for c in portfolio.strategy.criteria]
    text = new_project_text(project_id, title, criteria, field, department, owner, status.value)
    candidate = Project.model_validate({"id": project_id, "title": title})
    others = [p for p in portfolio.projects.values() if p.is_open]
    similar = []
    for other in others:
        pair = explain_pair([candidate, *others], project_id, other.id, synonyms_of(portfolio))
        if pair.score >= portfolio.strategy.bundling.threshold:
            similar.append((pair.score, other))
    if similar:
        typer.echo("Existing projects that look like this one:")
        for score, other in sorted(similar, key=lambda item: -item[0])[:5]:
            typer.echo(f"  {other.id}: {other.title} (similarity {score:.2f})")
        if not yes and not dry_run:
            if not interactive:
                raise UsageError(
                    "similar projects exist; check them, then run again with "
                    "--yes to create it anyway"
                )
            if not typer.confirm("Create it anyway?", default=False):
                raise typer.Exit(1)
    project_validator(data, project_id)(text)
    if dry_run:
        typer.echo(text, nl=False)
        return
    create(path, text)
    typer.echo(f"created {display_path(path)}")


class KpiFormat(str, Enum):
    table = "table"
    json = "json"


class ReportFormat(str, Enum):
    md = "md"
    html = "html"


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"
    ics = "ics"
    tjp = "tjp"


@app.command()
@_reports_errors
def kpi(
    data: DataOption = Path("data"),
    status: Annotated[
        Optional[list[str]],
        typer.Option(
            "--status",
            help="Only KPIs with this status: on_track, at_risk, off_track, no_data (repeatable).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[KpiFormat, typer.Option("--format", "-f")] = KpiFormat.table,
    no_cache: NoCacheOption = False,
) -> None:
    """Every KPI of goals and projects: baseline, latest value, target, progress, linear
    trend, forecast at the target date and a status (✔ on_track, ⚠ at_risk, ✘ off_track,
    – no_data): on track if the target is met or the forecast meets it, at risk if the
    forecast reaches 80 % of the planned change, otherwise off track."""
    from rich.console import Console
    from rich.table import Table

    from .kpi import all_kpis
    from .present.documents import kpi_item
    from .present.text import write_json

    portfolio = _valid_portfolio(data, no_cache)
    states = [s for s in all_kpis(portfolio) if not status or s.status in status]
    if format is KpiFormat.json:
        write_json({"kpis": [kpi_item(s) for s in states]}, sys.stdout)
        return
    table = Table(header_style="bold", box=None, pad_edge=False)
    for name in (
        "status",
        "of",
        "kpi",
        "baseline",
        "latest",
        "target",
        "progress",
        "trend/year",
        "forecast",
    ):
        table.add_column(
            name,
            no_wrap=name != "kpi",
            justify="right"
            if name in ("baseline", "latest", "target", "progress", "trend/year", "forecast")
            else "left",
        )
    for s in states:
        k = s.kpi
        table.add_row(
            f"{s.symbol} {s.status}",
            s.owner,
            f"{k.title} ({k.unit})",
            f"{k.baseline.value:g}",
            f"{s.latest_value:g}",
            f"{k.target.value:g} ({k.target.date:%Y})",
            "" if s.progress is None else f"{s.progress:.0f} %",
            "" if s.trend_per_year is None else f"{s.trend_per_year:+.1f}",
            "" if s.forecast is None else f"{s.forecast:.1f}",
        )
    Console(file=sys.stdout, highlight=False).print(table)


@app.command()
@_reports_errors
def export(
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="csv (projects with rank, score, plan dates), ics "
            "(milestones and deadlines), json (the whole computed roadmap), tjp "
            "(a TaskJuggler 3 project of what the plan considers).",
        ),
    ],
    data: DataOption = Path("data"),
    out: Annotated[
        Optional[Path],
        typer.Option(
            "--out",
            "-o",
            help="Write to this file (default: standard output).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel", help="CSV for German Excel: UTF-8 with BOM, ';' and decimal comma."
        ),
    ] = False,
    today: TodayOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Export the roadmap for spreadsheets, calendars or other programs."""
    import io

    from .bundle import suggest
    from .kpi import all_kpis
    from .present.documents import bundle_document, roadmap_json
    from .present.exports import milestones_ics, portfolio_tjp, projects_csv
    from .present.text import write_json
    from .schedule import plan as make_plan
    from .score import rank

    portfolio = _valid_portfolio(data, no_cache)
    day = today.date() if today else datetime.date.today()
    if format is ExportFormat.ics:
        stamp = datetime.datetime.combine(day, datetime.time(), datetime.UTC)
        text = milestones_ics(portfolio, stamp)
    elif format is ExportFormat.tjp:
        text = portfolio_tjp(portfolio, rank(portfolio), day)
    else:
        ranking = rank(portfolio)
        result = make_plan(portfolio, ranking, day)
        if format is ExportFormat.csv:
            text = projects_csv(portfolio, ranking, result, excel)
        else:
            found, threshold = suggest(portfolio)
            titles = {p.id: p.title for p in portfolio.projects.values()}
            buffer = io.StringIO()
            write_json(
                roadmap_json(
                    portfolio,
                    ranking,
                    result,
                    all_kpis(portfolio),
                    bundle_document(found, threshold, titles),
                ),
                buffer,
            )
            text = buffer.getvalue()
    _emit(text, out)


@app.command()
@_reports_errors
def report(
    data: DataOption = Path("data"),
    format: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            help="md (renders on GitHub/GitLab) or html (one self-contained file: inline "
            "SVG timeline, no scripts, prints on A4).",
        ),
    ] = ReportFormat.md,
    lang: Annotated[
        Optional[str],
        typer.Option(
            "--lang", help="de or en; default: language of strategy.yaml.", show_default=False
        ),
    ] = None,
    period: Annotated[
        Optional[str],
        typer.Option(
            "--period",
            help="The quarter to review, e.g. 2026-Q3; default: the current one.",
            show_default=False,
        ),
    ] = None,
    template: Annotated[
        Optional[Path],
        typer.Option(
            "--template",
            help="Your own Jinja template (runs in the sandbox).",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Optional[Path],
        typer.Option(
            "--out",
            "-o",
            help="Write to this file (default: standard output).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        Optional[str],
        typer.Option(
            "--since",
            help="A git revision (e.g. the tag of the last committee meeting): add what "
            "changed since then, read from git.",
            show_default=False,
        ),
    ] = None,
    top: Annotated[
        int,
        typer.Option("--top", min=1, help="Projects in the body's ranking; all are in the annex."),
    ] = 15,
    today: TodayOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """The committee's roadmap in Markdown or HTML: vision, goal tree with KPIs,
    portfolio overview, ranking, schedule (Mermaid gantt or SVG timeline), capacity,
    milestones of the quarter and the next, KPIs, bundles, what needs attention, and
    with --since what changed since the last meeting."""
    from .errors import UsageError
    from .kpi import all_kpis
    from .load import locate_findings
    from .present.report import render_report
    from .present.report_view import quarter, report_view
    from .schedule import plan as make_plan
    from .score import rank

    loaded, problems = _validated(data, no_cache)
    portfolio = loaded.portfolio
    assert portfolio is not None
    language = lang or portfolio.strategy.language
    if language not in ("de", "en"):
        raise UsageError(f"--lang {language}: use de or en")
    day = today.date() if today else datetime.date.today()
    window = quarter(period or f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    ranking = rank(portfolio)
    result = make_plan(portfolio, ranking, day)
    attention = [p for p in problems if p.code.startswith("policy-")] + sorted(
        locate_findings(f for f in result.findings if f.code == "deadline-missed")
    )
    found = _suggestions(loaded)
    view = report_view(
        portfolio,
        ranking,
        result,
        all_kpis(portfolio),
        found,
        attention,
        language,
        day,
        window,
        top,
    )
    if since is not None:
        view["changes"] = _changes_since(data, since, portfolio, ranking, language)
    text = render_report(
        view, template, html=format is ReportFormat.html, cache_dir=_cache_dir(no_cache)
    )
    _emit(text, out)


def _changes_since(
    data: Path, revision: str, portfolio: Portfolio, ranking: Ranking, language: str
) -> dict[str, object]:
    """The report's "changes since" section: the data folder as git has it at the
    revision, loaded and ranked like today's."""
    import tempfile

    from .changes import compare
    from .errors import DataError, Severity
    from .gitsource import snapshot
    from .load import load_portfolio
    from .present.report_view import changes_view
    from .score import rank

    with tempfile.TemporaryDirectory(prefix="roadmap-since-") as tmp:
        then = snapshot(data, revision, Path(tmp))
        loaded = load_portfolio(then.folder)
        errors = [p for p in loaded.problems if p.severity is Severity.ERROR]
        if errors or loaded.portfolio is None:
            first = errors[0].message if errors else "it could not be read"
            raise DataError(
                f"--since {revision}: the data at {revision} has {len(errors)} "
                f"error{'s' * (len(errors) != 1)} (first: {first}); compare with a "
                "revision whose data validates"
            )
        old = loaded.portfolio
    changes = compare(old, rank(old), portfolio, ranking)
    return changes_view(changes, revision, then.date, language)


@app.command()
@_reports_errors
def schema(
    kind: Annotated[
        SchemaKind,
        typer.Argument(help='Which file kind; \'both\' prints {"project": …, "strategy": …}.'),
    ] = SchemaKind.both,
    out_dir: Annotated[
        Optional[Path],
        typer.Option(
            "--out-dir",
            help="Write project.schema.json and strategy.schema.json here instead.",
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of the file kinds, for editors and check-jsonschema."""
    from .present.text import write_json_indented as write_json
    from .schema import json_schemas

    schemas = json_schemas()
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, document in schemas.items():
            with open(out_dir / f"{name}.schema.json", "w", encoding="utf-8") as fh:
                write_json(document, fh)
            typer.echo(f"wrote {out_dir / f'{name}.schema.json'}")
        return
    write_json(schemas if kind is SchemaKind.both else schemas[kind.value], sys.stdout)


def run() -> None:
    app()
