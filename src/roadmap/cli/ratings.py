"""``ratings``: the raters' scores (``ratings/<rater>.yaml``), how far they agree, who has
not rated what, and the spreadsheet form that goes out to a rater and comes back."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeAlias

import typer

from ..present.registry import JSON, Formatter
from .common import read_sheet_argument, reports_errors, show, valid_portfolio
from .options import DataOption, DryRunOption, NoCacheOption, OutOption, RunContext, choices

RATINGS_FORMATS: dict[str, Formatter] = {
    "table": Formatter("terminal", "ratings_table"),
    "json": JSON,
    "md": Formatter("text", "ratings_md"),
}
MISSING_FORMATS: dict[str, Formatter] = {
    "table": Formatter("terminal", "missing_table"),
    "json": JSON,
    "md": Formatter("text", "missing_md"),
}

if TYPE_CHECKING:
    RatingsFormat: TypeAlias = str
else:
    RatingsFormat = choices("RatingsFormat", RATINGS_FORMATS)

RaterOption = Annotated[
    str,
    typer.Option(
        "--rater",
        "-r",
        help="The rater: the name of their file ratings/NAME.yaml, e.g. amt-33.",
        show_default=False,
    ),
]

ratings_app = typer.Typer(
    help="The raters' scores in ratings/<rater>.yaml: their spread and agreement "
    "(Kendall's W), who has not rated what (--missing), the form for a rater "
    "(sheet) and reading it back (import).",
    invoke_without_command=True,
)


@reports_errors
def ratings(
    context: typer.Context,
    data: DataOption = Path("data"),
    missing: Annotated[
        bool,
        typer.Option("--missing", help="List who has not rated which project on which criterion."),
    ] = False,
    format: Annotated[
        RatingsFormat,
        typer.Option("--format", "-f", help="table for people, json for programs, md for reports."),
    ] = RatingsFormat("table"),
    out: OutOption = None,
    no_cache: NoCacheOption = False,
) -> int:
    """Per open project the raters' scores, the group's value and range (median/mean,
    IQR/min–max as strategy.yaml's ratings key says) and how far the raters agree
    (0–100 %), least agreement first; across raters Kendall's W of their rankings and
    the group's AHP weights. Exit 1 when the data has errors."""
    if context.invoked_subcommand is not None:
        return 0
    from ..present.documents import missing_document, ratings_document
    from ..ratings import missing_by_rater, overview

    run = RunContext.of(data, no_cache, format=format)
    portfolio = valid_portfolio(run)
    if not portfolio.ratings:
        typer.echo(
            f"no raters' files in {run.data / 'ratings'}; write one with roadmap ratings "
            "sheet --rater NAME and roadmap ratings import, or by hand",
            err=True,
        )
    if missing:
        show(MISSING_FORMATS[run.format], missing_document(missing_by_rater(portfolio)), out=out)
        return 0
    show(RATINGS_FORMATS[run.format], ratings_document(overview(portfolio)), out=out)
    return 0


@reports_errors
def sheet(
    rater: RaterOption,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="The form to write, an .xlsx file ('-': standard output).",
            dir_okay=False,
        ),
    ],
    data: DataOption = Path("data"),
    projects: Annotated[
        str | None,
        typer.Option(
            "--projects",
            help="Ids or patterns, comma-separated (e.g. 'ozg-*,e-akte'); default: every "
            "open project.",
            show_default=False,
        ),
    ] = None,
) -> int:
    """Write a rater's form: a row per project (id, title, summary, department), a
    column per criterion with a drop-down of its scale and its description as a
    comment, filled with the rater's scores so far. Read it back with ratings import."""
    from ..errors import UsageError
    from ..load import display_path
    from ..present.output import write_output
    from ..rating_files import check_rater
    from ..rating_sheets import rating_sheet_bytes, select_projects

    check_rater(rater)
    to_stdout = str(out) == "-"
    if out.suffix.lower() != ".xlsx" and not to_stdout:
        raise UsageError(f"--out {out}: the form is written as .xlsx; name it e.g. {rater}.xlsx")
    if to_stdout and sys.stdout.isatty():
        raise UsageError(f"a workbook is no text for the terminal; give --out {rater}.xlsx")
    portfolio = valid_portfolio(RunContext.of(data, no_cache=True))
    chosen = select_projects(portfolio, projects)
    if not portfolio.strategy.criteria:
        raise UsageError("strategy.yaml has no criteria to rate")
    # written whole and atomically; '-' is standard output; a missing folder is exit 2
    if write_output(rating_sheet_bytes(portfolio, rater, chosen), out) is None:
        return 0
    count = len(chosen)
    typer.echo(
        f"wrote {display_path(out)}: {count} project{'s' * (count != 1)} for {rater}", err=True
    )
    return 0


@reports_errors
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="The filled-in form (.xlsx, .ods or .csv; '-': standard input)."
        ),
    ],
    rater: RaterOption,
    data: DataOption = Path("data"),
    sheet_name: Annotated[
        str | None,
        typer.Option("--sheet", help="The sheet to read; default: the first.", show_default=False),
    ] = None,
    dry_run: DryRunOption = False,
) -> int:
    """Read a rater's form back into ratings/RATER.yaml: created, or only the changed
    scores set (comments and layout stay). Every cell that cannot be read is named
    (Bewertung!D7), and then nothing is written; a second import of the same form
    changes nothing."""
    from ..errors import DataError, Severity
    from ..load import display_path
    from ..rating_files import check_rater
    from ..rating_sheets import apply_rating_import, plan_rating_import, read_rating_sheet
    from ..spreadsheet import STDIN

    check_rater(rater)
    portfolio = valid_portfolio(RunContext.of(data, no_cache=True))
    table = read_sheet_argument(file, sheet_name)
    reading = read_rating_sheet(table, portfolio)
    problems = [p.as_problem() for p in reading.problems]
    if reading.has_errors:
        raise DataError(
            f"{STDIN if str(file) == '-' else display_path(file)} has cells that cannot be "
            "read; nothing was written",
            [p for p in problems if p.severity is Severity.ERROR],
        )
    plan = plan_rating_import(data, rater, reading, portfolio)
    for cell, project, criterion, value in plan.kept:
        typer.echo(
            f"{display_path(file)}:{cell}: {project}.{criterion} is empty; the earlier "
            f"score {value:g} stays (delete it in {display_path(plan.path)} to withdraw it)",
            err=True,
        )
    if not plan.changes and not plan.create:
        typer.echo(f"{display_path(plan.path)} already says so; nothing changed")
        return 0
    if dry_run:
        count = len(plan.changes)
        typer.echo(f"would set {count} score{'s' * (count != 1)} in {display_path(plan.path)}")
        return 0
    diff = apply_rating_import(plan, rater, portfolio, str(file))
    count = len(plan.changes)
    verb = "created" if plan.create else "updated"
    typer.echo(f"{verb} {display_path(plan.path)}: {count} score{'s' * (count != 1)}")
    typer.echo(diff, nl=False)
    return 0
