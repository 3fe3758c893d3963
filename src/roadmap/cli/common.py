"""What every command shares: known errors become their exit code (a bug exit 3),
a portfolio is loaded only when it is valid, output goes to stdout or a file."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, ParamSpec

import typer

from .options import RunContext
from .progress import finish, quiet, stage
from .words import did_you_mean, say, say_plural, terminal_language

if TYPE_CHECKING:
    from ..errors import Problem
    from ..load import LoadResult
    from ..model import Portfolio
    from ..spreadsheet import Table

P = ParamSpec("P")

DEBUG_KEY = "roadmap.debug"
INTERRUPTED = 130  # what a shell reports for a process ended by Ctrl-C (128 + SIGINT)


@contextlib.contextmanager
def native_stdout_to_stderr() -> Iterator[None]:
    """While the block runs, the process's stdout (file descriptor 1) is set aside: to
    stderr with ``--debug``, else to nowhere.

    The MILP solver (HiGHS, C++ inside SciPy) can print diagnostics straight to file
    descriptor 1, past ``sys.stdout`` ("HighsMipSolverData::…"); inside a JSON or CSV
    document on stdout that would break the document, and for a person it is noise. C's
    buffered output is flushed before stdout comes back, so nothing the solver wrote can
    land after it either."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no stdout: nothing to keep apart
        yield
        return
    try:
        target = 2 if debugging() else os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(target, 1)
        finally:
            if target != 2:
                os.close(target)
    except OSError:  # no stderr, no null device: stdout stays as it is
        os.close(saved)
        yield
        return
    try:
        yield
    finally:
        _flush_native_output()
        os.dup2(saved, 1)
        os.close(saved)


def _flush_native_output() -> None:
    """``fflush(NULL)`` of the C library, where there is one to ask (not on every OS)."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(None).fflush(None)


def debugging() -> bool:
    """``--debug`` was given (or ``ROADMAP_DEBUG`` is set): show tracebacks of bugs."""
    try:  # typer ≥ 0.20 runs on its own copy of click
        from typer._click.globals import get_current_context
    except ImportError:
        from click import get_current_context  # type: ignore[no-redef]
    context = get_current_context(silent=True)
    given = context is not None and bool(context.find_root().meta.get(DEBUG_KEY))
    return given or bool(os.environ.get("ROADMAP_DEBUG"))


def problems_format(chosen: object) -> str:
    """How to print the problems that stop a command: as JSON beside JSON output,
    otherwise one line per problem as an editor reads it."""
    return "json" if str(chosen) == "json" else "text"


def fail(exc: BaseException, problems_as: str = "text") -> NoReturn:
    """Known errors → their problems, one line and their exit code; an internal error
    or anything unexpected is a bug: exit 3, with the traceback under ``--debug``."""
    from ..errors import DataError, InternalError, RoadmapError

    if isinstance(exc, BrokenPipeError):  # output piped into `head`: nothing to report
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1)
    if isinstance(exc, RoadmapError) and not isinstance(exc, InternalError):
        if isinstance(exc, DataError) and exc.problems:
            from ..present.registry import PROBLEM_FORMATS

            formatter = PROBLEM_FORMATS[problems_as]
            options = {"lang": terminal_language()} if formatter.localized else {}
            formatter(exc.problems, sys.stderr, None, **options)
        typer.echo(f"roadmap: {exc}", err=True)
        raise typer.Exit(exc.exit_code)
    if debugging():
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    else:
        if isinstance(exc, InternalError):
            kind = say("terminal", "internal error")
        else:
            kind = say("terminal", "unexpected error")
        bug = say("terminal", "This is a bug; run again with --debug and report the traceback.")
        typer.echo(f"roadmap: {kind}: {type(exc).__name__}: {exc}\n{bug}", err=True)
    raise typer.Exit(3)


def reports_errors(command: Callable[P, int]) -> Callable[P, None]:
    """Run a command with the garbage collector paused (a command is one short run that
    builds many objects and no cycles: the collector would only rescan them); its
    result is the exit code; known errors become theirs, Ctrl-C exit 130, anything
    else exit 3."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        from ..load import gc_paused

        try:
            with gc_paused():
                code = command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            typer.echo("roadmap: " + say("terminal", "interrupted"), err=True)
            raise typer.Exit(INTERRUPTED) from None
        except Exception as exc:
            fail(exc, problems_format(kwargs.get("format")))
        if code:
            raise typer.Exit(code)

    return wrapper


def validated(run: RunContext) -> tuple[LoadResult, list[Problem]]:
    """The loaded portfolio and its warnings; a ``DataError`` with the errors when there
    are any: ranking broken data would mislead."""
    from ..checks import validate
    from ..errors import DataError, InternalError, Severity

    stage("loading and checking the data")
    loaded, problems = validate(run.data, run.cache)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        stop = say_plural(
            "terminal",
            "the data has {n} error; fix it first (roadmap validate lists it with the warnings)",
            "the data has {n} errors; fix them first (roadmap validate lists them with the "
            "warnings)",
            len(errors),
        )
        raise DataError(stop.format(n=len(errors)), errors)
    if loaded.portfolio is None:
        raise InternalError("the portfolio was not built although no error was found")
    return loaded, problems


def valid_portfolio(run: RunContext) -> Portfolio:
    loaded, _ = validated(run)
    assert loaded.portfolio is not None  # validated() guarantees it
    return loaded.portfolio


def read_sheet_argument(file: Path, sheet: str | None) -> Table:
    """The sheet a command was given: a file, or standard input for ``-``."""
    from ..errors import UsageError
    from ..spreadsheet import SheetError, read_table, read_table_stream

    try:
        if str(file) == "-":
            return read_table_stream(sys.stdin.buffer, sheet)
        return read_table(file, sheet)
    except SheetError as exc:
        raise UsageError(str(exc)) from None


def check_fields(portfolio: Portfolio, fields: list[str]) -> None:
    """Every ``--field`` names a field of action of the strategy."""
    from ..errors import UsageError

    known = {f.id for f in portfolio.strategy.fields}
    for name in fields:
        if name not in known:
            wrong = say(
                "usage", "--field {name}: no such field of action{suggestion}; fields: {fields}"
            )
            raise UsageError(
                wrong.format(
                    name=name,
                    suggestion=did_you_mean(name, known),
                    fields=", ".join(sorted(known)),
                )
            )


def check_project(portfolio: Portfolio, project_id: str, option: str = "") -> None:
    """``project_id`` is a project of the portfolio (with a did-you-mean otherwise)."""
    from ..errors import UsageError

    if project_id not in portfolio.projects:
        prefix = f"{option}: " if option else ""
        wrong = say("usage", "no project {id}{suggestion}").format(
            id=repr(project_id), suggestion=did_you_mean(project_id, portfolio.projects)
        )
        raise UsageError(prefix + wrong)


class Captured(io.StringIO):
    """A formatter's output collected in memory, so that the CLI writes it once (a JSON
    document arrives whole or not at all). It looks like a terminal to rich exactly when
    the text goes to a standard output that is one (colours and width as before)."""

    def __init__(self, terminal: bool) -> None:
        super().__init__()
        self._terminal = terminal

    def isatty(self) -> bool:
        return self._terminal


def _to_terminal(out: Path | None) -> bool:
    if out is not None and str(out) != "-":
        return False
    stream = sys.stdout
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):
        return False


def render(
    formatter: Callable[..., object],
    *args: object,
    out: Path | None = None,
    lang: str | None = None,
) -> str:
    """What ``formatter(*args, stream)`` writes, as text; a formatter that writes a
    document in a language (``localized``) gets ``lang``."""
    buffer = Captured(_to_terminal(out))
    if lang is not None and getattr(formatter, "localized", False):
        formatter(*args, buffer, lang=lang)
    else:
        formatter(*args, buffer)
    return buffer.getvalue()


def emit(text: str | bytes, out: Path | None) -> None:
    """Standard output (``out`` None or ``-``), or the file ``out`` written atomically
    (through a symlink; a device is written, never replaced); the message goes to
    standard error."""
    from ..present.output import write_output

    finish()
    written = write_output(text, out)
    if written is not None and not quiet():
        typer.echo(say("terminal", "wrote {path}").format(path=written), err=True)


def show(
    formatter: Callable[..., object],
    *args: object,
    out: Path | None = None,
    lang: str | None = None,
) -> None:
    """Render with ``formatter`` and write the text once: :func:`render`, :func:`emit`."""
    emit(render(formatter, *args, out=out, lang=lang), out)


def report_edit(path: Path, diff: str, dry_run: bool) -> None:
    """What an edit did: nothing, or the file and its diff."""
    from ..load import display_path

    if not diff:
        unchanged = say("terminal", "{path} already says so; nothing changed")
        typer.echo(unchanged.format(path=display_path(path)), err=True)
        return
    if not dry_run:
        typer.echo(say("terminal", "updated {path}").format(path=display_path(path)), err=True)
    typer.echo(diff, nl=False)
