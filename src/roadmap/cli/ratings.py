"""``ratings``: the raters' scores (``ratings/<rater>.yaml``), how far they agree, who has
not rated what, and the spreadsheet form that goes out to a rater and comes back."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeAlias

import typer

from ..present.registry import MISSING_FORMATS, RATINGS_FORMATS
from .common import read_sheet_argument, reports_errors, show, valid_portfolio
from .options import (
    DataOption,
    DryRunOption,
    NoCacheOption,
    OutOption,
    RunContext,
    choices,
    document_language,
)
from .words import say, say_plural

if TYPE_CHECKING:
    from ..rating_sheets import ImportPlan

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
        none = say(
            "ratings",
            "no raters' files in {folder}; write one with roadmap ratings sheet --rater NAME "
            "and roadmap ratings import, or by hand",
        )
        typer.echo(none.format(folder=run.data / "ratings"), err=True)
    # a table for the terminal's language, Markdown in the strategy's
    language = document_language(None, portfolio.strategy.language, run.format)
    if missing:
        document = missing_document(missing_by_rater(portfolio))
        show(MISSING_FORMATS[run.format], document, out=out, lang=language)
        return 0
    show(RATINGS_FORMATS[run.format], ratings_document(overview(portfolio)), out=out, lang=language)
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
    from ..present.i18n import pgettext
    from ..present.output import write_output
    from ..rating_files import check_rater
    from ..rating_sheets import rating_sheet_bytes, select_projects

    check_rater(rater)
    to_stdout = str(out) == "-"
    if out.suffix.lower() != ".xlsx" and not to_stdout:
        wrong = say("usage", "--out {out}: the form is written as .xlsx; name it e.g. {rater}.xlsx")
        raise UsageError(wrong.format(out=out, rater=rater))
    if to_stdout and sys.stdout.isatty():
        wrong = say("usage", "a workbook is no text for the terminal; give --out {rater}.xlsx")
        raise UsageError(wrong.format(rater=rater))
    portfolio = valid_portfolio(RunContext.of(data, no_cache=True))
    chosen = select_projects(portfolio, projects)
    if not portfolio.strategy.criteria:
        raise UsageError(say("usage", "strategy.yaml has no criteria to rate"))
    words = functools.partial(pgettext, portfolio.strategy.language)  # the sheet's language
    # written whole and atomically; '-' is standard output; a missing folder is exit 2
    if write_output(rating_sheet_bytes(portfolio, rater, chosen, words), out) is None:
        return 0
    count = len(chosen)
    wrote = say_plural(
        "ratings",
        "wrote {path}: {n} project for {rater}",
        "wrote {path}: {n} projects for {rater}",
        count,
    )
    typer.echo(wrote.format(path=display_path(out), n=count, rater=rater), err=True)
    return 0


# import's options
_File = Annotated[
    Path,
    typer.Argument(
        metavar="FILE", help="The filled-in form (.xlsx, .ods or .csv; '-': standard input)."
    ),
]
_SheetName = Annotated[
    str | None,
    typer.Option("--sheet", help="The sheet to read; default: the first.", show_default=False),
]


@reports_errors
def import_(
    file: _File,
    rater: RaterOption,
    data: DataOption = Path("data"),
    sheet_name: _SheetName = None,
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
        unread = say("usage", "{file} has cells that cannot be read; nothing was written")
        raise DataError(
            unread.format(file=STDIN if str(file) == "-" else display_path(file)),
            [p for p in problems if p.severity is Severity.ERROR],
        )
    plan = plan_rating_import(data, rater, reading, portfolio)
    _say_kept(plan, file)
    path = display_path(plan.path)
    if not plan.changes and not plan.create:
        typer.echo(say("terminal", "{path} already says so; nothing changed").format(path=path))
        return 0
    count = len(plan.changes)
    if dry_run:
        would = say_plural(
            "ratings", "would set {n} score in {path}", "would set {n} scores in {path}", count
        )
        typer.echo(would.format(n=count, path=path))
        return 0
    diff = apply_rating_import(plan, rater, portfolio, str(file))
    if plan.create:
        done = say_plural(
            "ratings", "created {path}: {n} score", "created {path}: {n} scores", count
        )
    else:
        done = say_plural(
            "ratings", "updated {path}: {n} score", "updated {path}: {n} scores", count
        )
    typer.echo(done.format(path=path, n=count))
    typer.echo(diff, nl=False)
    return 0


def _say_kept(plan: ImportPlan, file: Path) -> None:
    """The scores the form leaves empty and the file keeps, each named on standard error."""
    from ..load import display_path

    for cell, project, criterion, value in plan.kept:
        kept = say(
            "ratings",
            "{file}:{cell}: {project}.{criterion} is empty; the earlier score {value} stays "
            "(delete it in {path} to withdraw it)",
        )
        typer.echo(
            kept.format(
                file=display_path(file),
                cell=cell,
                project=project,
                criterion=criterion,
                value=f"{value:g}",
                path=display_path(plan.path),
            ),
            err=True,
        )
