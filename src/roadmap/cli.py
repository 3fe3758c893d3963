"""The ``roadmap`` command line: parses options, calls the library, picks a formatter,
returns an exit code. Library modules are imported inside the commands so that
``roadmap --help`` stays fast."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer

from . import __version__

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


class ProblemFormat(str, Enum):
    auto = "auto"
    table = "table"
    text = "text"
    json = "json"
    github = "github"


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


@app.command()
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
    try:
        from .checks import validate as run_validate
        from .formats import PROBLEM_FORMATS, counts

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
    except Exception as exc:
        _fail(exc)
    raise typer.Exit(1 if errors or (strict and warnings) else 0)


@app.command()
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
    try:
        from .formats import write_json
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
    except Exception as exc:
        _fail(exc)


def run() -> None:
    app()
