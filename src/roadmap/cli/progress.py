"""A progress indicator on standard error for the runs that take a while: shown only
when standard error is a terminal, ``--quiet`` is not given, and the run is still going
after half a second (short runs never flash a spinner), so that a user sees a sign of
life within a second of pressing Enter. Its first frame is written as plain text at
once; rich, imported only then, takes over the line when it is loaded (the import
competes with the run for the interpreter and may take a few tenths of a second)."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

from ..markers import marked

P = ParamSpec("P")
R = TypeVar("R")

QUIET_KEY = "roadmap.quiet"
DELAY = 0.5  # seconds after the command line was read before the indicator appears
# when the command line was read (this module is imported first thing): the delay counts
# from here, not from the command's start, which waits for the imports of the library
STARTED = time.monotonic()
FIRST_FRAME = "⠋"  # rich's "dots" spinner starts with this frame


def delay() -> float:
    """:data:`DELAY`, or ``ROADMAP_PROGRESS_DELAY`` seconds (tests use 0)."""
    try:
        return max(0.0, float(os.environ.get("ROADMAP_PROGRESS_DELAY", DELAY)))
    except ValueError:
        return DELAY


def quiet() -> bool:
    """``--quiet`` was given: no progress, no "wrote …" messages."""
    try:  # typer ≥ 0.20 runs on its own copy of click
        from typer._click.globals import get_current_context
    except ImportError:
        from click import get_current_context  # type: ignore[no-redef]
    context = get_current_context(silent=True)
    return context is not None and bool(context.find_root().meta.get(QUIET_KEY))


class Progress:
    """A spinner with a label, started by a timer thread after :data:`DELAY`."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._lock = threading.Lock()
        self._status: Any = None
        self._plain = 0  # width of the plain first frame on the terminal, 0 once gone
        self._stopped = False
        waited = time.monotonic() - STARTED
        self._timer = threading.Timer(max(0.0, delay() - waited), self._show)
        self._timer.daemon = True

    def start(self) -> None:
        self._timer.start()

    def _show(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self._plain = _write_line(f"{FIRST_FRAME} {self.label}")
        from rich.console import Console

        with self._lock:
            if self._stopped:
                return
            self._clear_plain()
            self._status = Console(stderr=True).status(self.label)
            self._status.start()

    def _clear_plain(self) -> None:
        """Blank the plain first frame (carriage return, spaces, carriage return: no
        escape sequence, so a dumb terminal shows no junk)."""
        if self._plain:
            _write_line(" " * self._plain)
            self._plain = 0

    def update(self, label: str) -> None:
        with self._lock:
            self.label = label
            if self._status is not None:
                self._status.update(label)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._timer.cancel()
            self._clear_plain()
            if self._status is not None:
                self._status.stop()
                self._status = None


def _write_line(text: str) -> int:
    """Write ``text`` over the current terminal line (cut to the terminal's width, so
    that it cannot wrap); its width, 0 if it failed."""
    try:
        width = os.get_terminal_size(sys.stderr.fileno()).columns - 1
    except (OSError, ValueError, AttributeError):
        width = 0
    text = text[: width if width > 0 else 79]  # a terminal of unknown size: 80 columns
    try:
        sys.stderr.write(f"\r{text}\r")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        return 0
    return len(text)


_current: Progress | None = None


def _wanted() -> bool:
    stream = sys.stderr
    try:
        return stream is not None and stream.isatty() and not quiet()
    except (ValueError, OSError):
        return False


@contextlib.contextmanager
def running(label: str = "working") -> Iterator[None]:
    """The indicator for the duration of the block (when wanted); :func:`stage` names
    what is being done, :func:`finish` ends it before the output is written."""
    global _current
    if not _wanted():
        yield
        return
    from .words import say

    progress = Progress(say("progress", label))
    _current = progress
    progress.start()
    try:
        yield
    finally:
        progress.stop()
        _current = None


# what a run can be doing, marked for the catalogs; a stage not listed here is shown in
# English
STAGES = (
    marked("progress", "working"),
    marked("progress", "loading and checking the data"),
    marked("progress", "ranking"),
    marked("progress", "robustness: {n} draws"),
    marked("progress", "planning"),
    marked("progress", "optimizing"),
    marked("progress", "optimizing for each budget level"),
    marked("progress", "ranking and planning"),
    marked("progress", "laying out the PDF"),
    marked("progress", "bundling"),
    marked("progress", "comparing the pair"),
)


def stage(label: str, **params: object) -> None:
    """Say what the run does now (loading, checking, planning, …; one of
    :data:`STAGES`, in the terminal's language); no-op without an indicator."""
    if _current is not None:
        from .words import say

        _current.update(say("progress", label).format(**params))


def finish() -> None:
    """End the indicator: output or a question follows."""
    if _current is not None:
        _current.stop()


def shows_progress(command: Callable[P, R]) -> Callable[P, R]:
    """Run the command with a progress indicator (under :func:`reports_errors`)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with running():
            return command(*args, **kwargs)

    return wrapper
