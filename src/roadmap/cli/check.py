"""``validate`` and ``schema``: the data against its rules, and the rules as JSON Schema."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .common import reports_errors
from .options import (
    DataOption,
    NoCacheOption,
    ProblemFormat,
    RunContext,
    SchemaKind,
    document_language,
    problem_format,
)
from .progress import finish, quiet, shows_progress, stage
from .words import did_you_mean, say, terminal_language

if TYPE_CHECKING:
    from ..errors import Problem
    from ..model import Portfolio
    from ..present.problems import Where


# validate's options
_Paths = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="FILE",
        help="Report only on these files (the whole portfolio is still checked, since "
        "references cross files). Default: every file.",
        show_default=False,
    ),
]
_ValidateFormat = Annotated[
    ProblemFormat,
    typer.Option(
        "--format",
        "-f",
        help="table for people, json for programs, github for Actions "
        "annotations, gitlab for GitLab's Code Quality report, sarif for code "
        "scanning, text for editors; auto picks github when GITHUB_ACTIONS is set.",
    ),
]
_Output = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "--out",
        "-o",
        help="Write the report in --format to this file ('-': standard output); "
        "standard output then shows the problems for people (as without --format).",
        dir_okay=False,
        show_default=False,
    ),
]
_ProblemLang = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="de or en for the problems shown to people (table, text); default: the "
        "locale (LANG). json, github, gitlab and sarif stay English.",
        show_default=False,
    ),
]
_Strict = Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")]
_CheckDay = Annotated[
    str | None,
    typer.Option(
        "--today",
        metavar="YYYY-MM-DD",
        help="Check dates against this day (stale ends, starts, milestones, KPI "
        "measurements); default: today.",
        show_default=False,
    ),
]


@reports_errors
@shows_progress
def validate(
    paths: _Paths = None,
    data: DataOption = Path("data"),
    format: _ValidateFormat = ProblemFormat("auto"),
    output: _Output = None,
    strict: _Strict = False,
    today: _CheckDay = None,
    no_cache: NoCacheOption = False,
    lang: _ProblemLang = None,
) -> int:
    """Check every file: schema, references, cycles, dates, scales and policies.

    Reports every problem of every file at once with file, line and column.
    Exit 0 when there is no error (and no warning with --strict), 1 otherwise."""
    from ..checks import validate as run_validate
    from ..errors import UsageError, problems_in
    from ..present.problems import counts

    run = RunContext.of(data, no_cache, today, format=problem_format(format))
    language = document_language(lang, terminal_language())
    stage("loading and checking the data")
    loaded, problems = run_validate(run.data, run.cache, run.today)
    finish()  # the indicator ends before the report is written
    if paths:
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise UsageError(say("usage", "no such file: {files}").format(files=", ".join(missing)))
        problems = problems_in(problems, [str(p) for p in paths])
    files = len(loaded.known_ids) + 1
    where = report_context(run.data)
    to_file = output if output is not None and str(output) != "-" else None
    if to_file is None:
        write_problems(run.format, problems, files, where, None, language)
    else:  # the log of a CI job stays readable; the step summary gets one table
        write_problems(
            run.format, problems, files, replace(where, step_summary=None), to_file, language
        )
        write_problems(problem_format("auto"), problems, files, where, None, language)
    errors, warnings = counts(problems)
    return 1 if errors or (strict and warnings) else 0


def write_problems(
    format: str,
    problems: list[Problem],
    files: int,
    where: Where,
    output: Path | None,
    lang: str | None = None,
) -> None:
    """The problems in ``format`` to standard output or, written whole, to ``output``;
    for people in ``lang`` (default: the terminal's language)."""
    import io

    from ..present.output import write_output
    from ..present.registry import PROBLEM_FORMATS

    finish()  # the progress indicator ends before the report
    formatter = PROBLEM_FORMATS[format]
    # for people (table, text): the terminal's language; for programs: as they are
    options = {"lang": lang or terminal_language()} if formatter.localized else {}
    buffer = io.StringIO()
    formatter(problems, buffer, files, where, **options)
    if output is None:  # written whole, as every command's output (closed stdout, full disk)
        write_output(buffer.getvalue(), None)
        return
    write_output(buffer.getvalue(), output)
    if not quiet():
        typer.echo(say("terminal", "wrote {path}").format(path=output), err=True)


def repository_root(start: Path) -> Path | None:
    """The top folder of the git repository holding ``start``: the nearest folder
    upwards with a ``.git`` folder (or file, in a worktree or submodule). Found without
    running git, which a CI image may lack."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def report_context(data: Path) -> Where:
    """Where the report is for: the repository of the data folder (else the current
    folder) for the paths of GitLab and SARIF reports, and GitHub's step summary."""
    import os

    from ..present.problems import Where

    cwd = Path.cwd()
    root = repository_root((cwd / data).resolve()) or cwd
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    return Where(root=root, cwd=cwd, step_summary=Path(summary) if summary else None)


# schema's options
_SchemaKind = Annotated[
    SchemaKind,
    typer.Argument(help='Which file kind; \'both\' prints {"project": …, "strategy": …}.'),
]
_OutDir = Annotated[
    Path | None,
    typer.Option(
        "--out-dir",
        "--out",
        "-o",
        help="Write project.schema.json and strategy.schema.json into this folder "
        "instead ('-': standard output, as without it).",
        file_okay=False,
    ),
]
_SchemaData = Annotated[
    Path | None,
    typer.Option(
        "--data",
        "-d",
        help="Specialise the schema to this portfolio: its field, goal, program and "
        "project ids as choices, each criterion's score scale.",
        file_okay=False,
        show_default=False,
    ),
]
_Describe = Annotated[
    str | None,
    typer.Option(
        "--describe",
        metavar="NAME",
        help="Print what one field means, its type and constraints, e.g. "
        "effort.budget_eur, dpia, strategy.capacity.",
        show_default=False,
    ),
]
_SchemaLang = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="de or en: the language of the descriptions; default: English for the "
        "schema, the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) for --describe.",
        show_default=False,
    ),
]


@reports_errors
@shows_progress
def schema(
    kind: _SchemaKind = SchemaKind("both"),
    out_dir: _OutDir = None,
    data: _SchemaData = None,
    describe: _Describe = None,
    lang: _SchemaLang = None,
    no_cache: NoCacheOption = False,
) -> int:
    """Print the JSON Schema of the file kinds, for editors and check-jsonschema."""
    from ..errors import UsageError
    from ..present.fields import locale_language, translator
    from ..present.text import write_json_indented as write_json
    from ..schema import json_schemas

    if lang is not None and lang not in ("de", "en"):
        raise UsageError(f"--lang {lang}: use de or en")
    portfolio = None
    if data is not None:
        from .common import valid_portfolio

        portfolio = valid_portfolio(RunContext.of(data, no_cache))
    finish()
    if describe is not None:
        return describe_field(describe, portfolio, lang or locale_language())
    schemas = json_schemas(portfolio, translator(lang or "en"))
    if out_dir is not None and str(out_dir) != "-":
        from .common import show

        out_dir.mkdir(parents=True, exist_ok=True)
        for name, document in schemas.items():  # "wrote …" goes to standard error
            show(write_json, document, out=out_dir / f"{name}.schema.json")
        return 0
    from .common import show

    show(write_json, schemas if kind == "both" else schemas[str(kind)])
    return 0


def describe_field(name: str, portfolio: Portfolio | None, lang: str) -> int:
    """``schema --describe NAME``: the field's documentation from the models, in ``lang``."""
    from ..errors import UsageError
    from ..present.fields import describe_text, translator
    from ..schema import describe, field_names

    doc = describe(name, portfolio, translator(lang))
    if doc is None:
        wrong = say(
            "usage",
            "--describe {name}: no such field{suggestion}; name it as in the file, e.g. "
            "effort.budget_eur or strategy.capacity",
        )
        raise UsageError(wrong.format(name=name, suggestion=did_you_mean(name, field_names())))
    typer.echo(describe_text(doc, lang))
    return 0
