"""Writing a command's output, and reading the option values that shape it.

Output is encoded whole before anything is written, so a JSON document arrives
complete or not at all. It is UTF-8 whatever the locale says (the JSON contract is
UTF-8; an ASCII locale such as ``LC_ALL=C`` or ``PYTHONIOENCODING=ascii`` must not turn
'→' into a crash); a terminal that cannot show a character shows a substitute.

``-`` is standard output. A regular file is replaced atomically (temporary file in the
same folder, fsync, rename; its mode kept), an existing symlink is followed and its
target written the same way, and anything else that exists (``/dev/null``, a FIFO,
``/dev/stdout``) is written through, never replaced. Problems end in a message:
a missing folder or a closed standard output is a usage error (exit 2); a full disk,
a read-only file or a refused permission an output error (exit 1).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import io
import math
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ..errors import OutputError, UsageError
from .i18n import pgettext

MIN_YEAR = 1900
MAX_YEAR = 2999
MAX_SEED = 2**64 - 1


# --------------------------------------------------------------------------- writing


def encode_output(data: str | bytes) -> bytes:
    """The bytes to write: UTF-8; a lone surrogate (never valid data) becomes '?'."""
    return data if isinstance(data, bytes) else data.encode("utf-8", "replace")


def write_output(
    data: str | bytes, out: str | os.PathLike[str] | None = None, stdout: TextIO | None = None
) -> Path | None:
    """Write the whole of ``data`` to ``out`` (``None`` or ``-``: standard output, or
    ``stdout`` when given). Returns the file written, ``None`` for standard output.

    A broken pipe (``| head``) is re-raised as :class:`BrokenPipeError` after standard
    output is pointed at ``/dev/null``, so the CLI can end quietly with exit 1."""
    payload = encode_output(data)
    if out is None or os.fspath(out) == "-":
        _write_stream(payload, sys.stdout if stdout is None else stdout)
        return None
    return _write_path(payload, Path(out))


def ensure_utf8_stdio() -> None:
    """Make ``print``, rich and typer write UTF-8 to standard output and error even
    under an ASCII locale (characters the terminal lacks become substitutes, not a
    UnicodeEncodeError). For the CLI to call once at start."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if stream is not None and encoding != "utf8" and hasattr(stream, "reconfigure"):
            with contextlib.suppress(io.UnsupportedOperation, ValueError, OSError):
                stream.reconfigure(encoding="utf-8", errors="replace")


def _silence(descriptor: int) -> None:
    """Point a failed output at /dev/null, so that Python's final flush at exit cannot
    fail again and print "Exception ignored" after our message."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, descriptor)
        os.close(null)


def _write_all(descriptor: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


def _write_stream(payload: bytes, stream: TextIO | None) -> None:
    if stream is None:  # started with a closed stdout (`>&-`): Python sets sys.stdout None
        raise UsageError("standard output is closed; give --out FILE or redirect it (> file)")
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):
        descriptor = None
    if descriptor is None:  # a stream in memory (tests, typer's CliRunner)
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()
            buffer.write(payload)
            buffer.flush()
        else:
            stream.write(payload.decode("utf-8"))
            stream.flush()
        return
    try:
        stream.flush()  # what was printed before comes first
        _write_all(descriptor, payload)
    except BrokenPipeError:
        _silence(descriptor)
        raise
    except OSError as exc:
        _silence(descriptor)
        raise OutputError(f"cannot write to standard output: {_reason(exc)}") from None


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _same_as_stdio(status: os.stat_result) -> int | None:
    """1 or 2 when ``--out`` names our own standard output or error (``/dev/stdout``,
    ``/proc/self/fd/1``): written there, so a shell's ``>>`` keeps appending."""
    for descriptor in (1, 2):
        with contextlib.suppress(OSError):
            if os.path.samestat(status, os.fstat(descriptor)):
                return descriptor
    return None


def _write_path(payload: bytes, path: Path) -> Path:
    try:
        status: os.stat_result | None = os.stat(path)  # follows symlinks
    except FileNotFoundError:
        status = None
    except NotADirectoryError:
        raise UsageError(f"--out {path}: a folder in the path is a file") from None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise UsageError(f"--out {path}: is a folder; give a file name")
    descriptor = _same_as_stdio(status) if status is not None else None
    if descriptor is not None:
        _write_stream(payload, sys.stdout if descriptor == 1 else sys.stderr)
        return path
    if status is not None and not stat.S_ISREG(status.st_mode):
        _write_through(payload, path)
        return path
    # a symlink (dangling or not) is followed: its target is written, the link stays
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent
    if not folder.is_dir():
        if folder.exists():
            raise UsageError(f"--out {path}: {folder} is not a folder")
        raise UsageError(f"folder {folder} does not exist (for --out {path})")
    if status is not None and not status.st_mode & 0o222:
        raise OutputError(f"cannot write {path}: the file is read-only")
    _replace_atomically(target, payload, status)
    return path


def _write_through(payload: bytes, path: Path) -> None:
    """A device or FIFO: opened and written, never replaced."""
    try:
        flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
    try:
        _write_all(descriptor, payload)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
    finally:
        os.close(descriptor)


def _umask() -> int:
    """The process's umask, read without changing it where Linux allows."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _replace_atomically(target: Path, payload: bytes, status: os.stat_result | None) -> None:
    """Temporary file beside the target, fsync, rename over it, fsync the folder: a
    reader sees the old file or the new one. Mode (and owner, where allowed) kept."""
    mode = stat.S_IMODE(status.st_mode) if status is not None else 0o666 & ~_umask()
    temporary = None
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        if status is not None and hasattr(os, "chown"):  # only root can give it away
            with contextlib.suppress(OSError):
                os.chown(temporary, status.st_uid, status.st_gid)
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}: {_reason(exc)}; the file was left as it was"
        ) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    # the rename itself made durable; folders cannot be opened for this on Windows
    with contextlib.suppress(OSError, AttributeError):
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


# --------------------------------------------------------------------------- option values


def _usage(message: str, **params: object) -> UsageError:
    """A usage error: ``message`` (already in the reader's language) with its values."""
    return UsageError(message.format(**params))


def validate_choice(value: str, choices: Iterable[str], option: str, lang: str = "en") -> str:
    """``value`` if it is one of ``choices``; otherwise a usage error that lists them."""
    allowed = list(choices)
    if value in allowed:
        return value
    close = difflib.get_close_matches(value, allowed, n=1)
    hint = ""
    if close:
        hint = pgettext(lang, "usage", " (did you mean {name}?)").format(name=repr(close[0]))
    raise _usage(
        pgettext(lang, "usage", "{option} {value}: expected one of {choices}{hint}"),
        option=option,
        value=repr(value),
        choices=", ".join(allowed),
        hint=hint,
    )


def parse_number(
    text: str | float,
    option: str,
    minimum: float | None = None,
    maximum: float | None = None,
    lang: str = "en",
) -> float:
    """A finite number (``3000000``, ``3_000_000``, ``1.5e6``); ``nan``, ``inf`` and
    values beyond a float (``1e400``) are refused, as are values outside the bounds."""
    try:
        value = float(text.replace("_", "") if isinstance(text, str) else text)
    except ValueError:
        hint = ""
        if isinstance(text, str) and "," in text:
            hint = pgettext(lang, "usage", " (use a decimal point, not a comma)")
        message = pgettext(lang, "usage", "{option} {text}: expected a number{hint}")
        raise _usage(message, option=option, text=text, hint=hint) from None
    if not math.isfinite(value):
        message = pgettext(lang, "usage", "{option} {text}: expected a finite number, not {value}")
        raise _usage(message, option=option, text=text, value=value)
    if minimum is not None and value < minimum:
        message = pgettext(lang, "usage", "{option} {text}: must be at least {bound}")
        raise _usage(message, option=option, text=text, bound=f"{minimum:g}")
    if maximum is not None and value > maximum:
        message = pgettext(lang, "usage", "{option} {text}: must be at most {bound}")
        raise _usage(message, option=option, text=text, bound=f"{maximum:g}")
    return value


def parse_amount(text: str, option: str, minimum: float | None = None, lang: str = "en") -> float:
    """An amount as people type it, German or English (``3.000.000``, ``2,5``,
    ``1.400.000 €``, as ``init --budget`` reads it: spreadsheet.read_number), or any
    number :func:`parse_number` takes (``3_000_000``, ``1.5e6``)."""
    from ..spreadsheet import CellValueError, read_number

    try:
        value = read_number(text)
    except CellValueError:
        return parse_number(text, option, minimum=minimum, lang=lang)
    return parse_number(value, option, minimum=minimum, lang=lang)


def parse_year(text: str | int, option: str, lang: str = "en") -> int:
    """A calendar year between 1900 and 2999."""
    try:
        year = int(text)
    except ValueError:
        message = pgettext(lang, "usage", "{option} {text}: expected a year such as 2027")
        raise _usage(message, option=option, text=text) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        message = pgettext(lang, "usage", "{option} {text}: a year between {first} and {last}")
        raise _usage(message, option=option, text=text, first=MIN_YEAR, last=MAX_YEAR)
    return year


def parse_year_values(
    values: Iterable[str] | None, option: str, minimum: float | None = 0.0, lang: str = "en"
) -> dict[int, float]:
    """``["2027=3000000", …]`` → ``{2027: 3000000.0}``: years in range, each once,
    amounts finite and not below ``minimum``."""
    result: dict[int, float] = {}
    for item in values or []:
        year_text, equals, amount = item.partition("=")
        if not equals:
            message = pgettext(
                lang, "usage", "{option} {item}: expected YEAR=NUMBER, e.g. {option} 2027=3000000"
            )
            raise _usage(message, option=option, item=item)
        try:
            year = parse_year(year_text.strip(), option, lang)
            number = parse_amount(amount.strip(), option, minimum=minimum, lang=lang)
        except UsageError as exc:  # the message names the whole item, once
            _, _, reason = str(exc).partition(": ")
            raise UsageError(f"{option} {item}: {reason}") from None
        if year in result:
            message = pgettext(lang, "usage", "{option} {item}: the year {year} is given twice")
            raise _usage(message, option=option, item=item, year=year)
        result[year] = number
    return result


def parse_date(
    value: str | dt.date,
    option: str,
    earliest: dt.date = dt.date(MIN_YEAR, 1, 1),
    latest: dt.date = dt.date(MAX_YEAR, 12, 31),
    lang: str = "en",
) -> dt.date:
    """An ISO date (``YYYY-MM-DD``) or a German one (``31.12.2026``, as Excel and the
    import take them) between ``earliest`` and ``latest`` (by default the years 1900 to
    2999: date arithmetic one quarter or year on stays in range)."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        german = re.fullmatch(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})", value.strip())
        try:
            day = (
                dt.date(int(german[3]), int(german[2]), int(german[1]))
                if german
                else dt.date.fromisoformat(value.strip())
            )
        except ValueError:
            message = pgettext(
                lang, "usage", "{option} {value}: expected a date YYYY-MM-DD or DD.MM.YYYY"
            )
            raise _usage(message, option=option, value=value) from None
    if not earliest <= day <= latest:
        message = pgettext(
            lang, "usage", "{option} {day}: must lie between {earliest} and {latest}"
        )
        raise _usage(
            message,
            option=option,
            day=day.isoformat(),
            earliest=earliest.isoformat(),
            latest=latest.isoformat(),
        )
    return day


def parse_quarter(text: str, option: str = "--period", lang: str = "en") -> tuple[dt.date, dt.date]:
    """``2026-Q3`` → (2026-07-01, 2026-09-30); years 1900 to 2999."""
    match = re.fullmatch(r"(\d{4})-[Qq]([1-4])", text.strip())
    if match is None:
        message = pgettext(lang, "usage", "{option} {text}: expected a quarter such as 2026-Q3")
        raise _usage(message, option=option, text=text)
    year, number = parse_year(match[1], f"{option} {text}:", lang), int(match[2])
    first = dt.date(year, 3 * number - 2, 1)
    after = dt.date(year + 1, 1, 1) if number == 4 else dt.date(year, 3 * number + 1, 1)
    return first, after - dt.timedelta(days=1)


def parse_seed(value: str | int, option: str = "--seed", lang: str = "en") -> int:
    """A seed for random draws: a whole number from 0 to 2**64 - 1."""
    try:
        seed = int(value)
    except ValueError:
        message = pgettext(lang, "usage", "{option} {value}: expected a whole number such as 42")
        raise _usage(message, option=option, value=value) from None
    if not 0 <= seed <= MAX_SEED:
        message = pgettext(lang, "usage", "{option} {value}: a seed between 0 and {most}")
        raise _usage(message, option=option, value=value, most=MAX_SEED)
    return seed
