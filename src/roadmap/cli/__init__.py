"""The ``roadmap`` command line: one module per group of commands, each command parsing
its options into a :class:`~roadmap.cli.options.RunContext`, calling the library,
picking a formatter from a registry and returning an exit code.

Library modules are imported inside the commands, so that ``roadmap --help`` stays
fast; only this package imports typer."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import __version__
from . import add, bundle, check, edit, plan, rank, ratings, report, sheets
from .common import DEBUG_KEY
from .progress import QUIET_KEY

app = typer.Typer(
    name="roadmap",
    help="A city's digital strategy as YAML files in git: validate it, rank, bundle and "
    "schedule its projects, and render the council's roadmap.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion for bash, zsh and fish
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rich's help formatter costs ~0.1 s of imports
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"roadmap {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    context: typer.Context,
    version: Annotated[
        bool | None,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = None,
    debug: Annotated[
        bool,
        typer.Option("--debug", help="Show a traceback for unexpected errors (to report a bug)."),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="No progress indicator and no messages about files written."
        ),
    ] = False,
) -> None:
    context.meta[DEBUG_KEY] = debug
    context.meta[QUIET_KEY] = quiet


record_app = typer.Typer(
    help="Record a KPI measurement or a finished milestone.", no_args_is_help=True
)

# in the order of `roadmap --help`
app.command()(check.validate)
app.command()(rank.prioritize)
app.command()(rank.explain)
app.command()(plan.plan)
app.command()(plan.graph)
app.command()(bundle.bundle)
app.command()(plan.optimize)
app.command(name="set")(edit.set_)
app.add_typer(record_app, name="record")
record_app.command("kpi", context_settings={"ignore_unknown_options": True})(edit.record_kpi)
record_app.command("milestone")(edit.record_milestone)
app.command()(edit.new)
app.add_typer(add.add_app, name="add")
add.add_app.command("milestone")(add.add_milestone)
add.add_app.command("kpi")(add.add_kpi)
add.add_app.command("dependency")(add.add_dependency)
app.command()(sheets.init)
app.command(name="import")(sheets.import_)
app.add_typer(ratings.ratings_app, name="ratings")
ratings.ratings_app.callback()(ratings.ratings)
ratings.ratings_app.command("sheet")(ratings.sheet)
ratings.ratings_app.command("import")(ratings.import_)
app.command()(report.kpi)
app.command()(report.export)
app.command()(report.report)
app.command()(check.schema)


def run() -> None:
    import os

    from ..present.output import ensure_utf8_stdio
    from .options import utf8_command_line

    again = utf8_command_line()
    if again is not None:  # UTF-8 arguments under an ASCII locale: read them as UTF-8
        os.execv(again[0], again)
    ensure_utf8_stdio()  # UTF-8 even under LC_ALL=C: '→' must not end a run
    app()
