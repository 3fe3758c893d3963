"""Writing output and reading option values: every failure is a message with exit 1 or
2, never a traceback; files are replaced atomically, links and devices written through."""

from __future__ import annotations

import datetime as dt
import io
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from roadmap.errors import OutputError, UsageError
from roadmap.present.output import (
    parse_date,
    parse_number,
    parse_quarter,
    parse_seed,
    parse_year,
    parse_year_values,
    validate_choice,
    write_output,
)

DOCUMENT = '{\n  "title": "Straße → Ziel ✓"\n}\n'
ROOT = os.geteuid() == 0


def captured() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="ascii")


def test_dash_and_none_write_utf8_to_stdout_whatever_its_encoding() -> None:
    for out in (None, "-"):
        stream = captured()
        assert write_output(DOCUMENT, out, stdout=stream) is None
        assert stream.buffer.getvalue() == DOCUMENT.encode("utf-8")  # type: ignore[attr-defined]


def test_a_stream_without_buffer_gets_text() -> None:
    stream = io.StringIO()
    write_output(DOCUMENT.encode(), stdout=stream)
    assert stream.getvalue() == DOCUMENT


def test_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "dir" / "x.json"
    with pytest.raises(UsageError) as caught:
        write_output(DOCUMENT, out)
    assert caught.value.exit_code == 2
    assert str(caught.value) == f"folder {tmp_path}/missing/dir does not exist (for --out {out})"
    assert not (tmp_path / "missing").exists()


def test_a_folder_or_a_file_in_the_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is a folder; give a file name"):
        write_output(DOCUMENT, tmp_path)
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="a folder in the path is a file"):
        write_output(DOCUMENT, tmp_path / "file" / "x.json")


def test_a_regular_file_is_replaced_atomically_keeping_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    out.write_text("old")
    out.chmod(0o640)
    inode = out.stat().st_ino
    assert write_output(DOCUMENT, out) == out
    assert out.read_bytes() == DOCUMENT.encode("utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert out.stat().st_ino != inode  # a new file renamed over the old one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]  # no temp left


def test_a_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    mask = os.umask(0o027)
    try:
        write_output("x", tmp_path / "new.csv")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_output(DOCUMENT, link)
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == DOCUMENT
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "created.json")
    write_output("x", dangling)
    assert dangling.is_symlink() and (tmp_path / "created.json").read_text() == "x"


def test_a_fifo_and_a_link_to_it_are_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(fifo)
    for out in (fifo, link):
        received: list[bytes] = []
        reader = threading.Thread(target=lambda into=received: into.append(fifo.read_bytes()))
        reader.start()
        write_output(DOCUMENT, out)
        reader.join(timeout=10)
        assert received == [DOCUMENT.encode("utf-8")]
        assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert link.is_symlink()


def test_dev_null_is_written_not_replaced() -> None:
    write_output(DOCUMENT, "/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_device_is_an_output_error() -> None:
    with pytest.raises(OutputError, match="cannot write /dev/full: No space left on device"):
        write_output(DOCUMENT, "/dev/full")


def test_a_read_only_file_is_refused_even_for_root(tmp_path: Path) -> None:
    out = tmp_path / "locked.json"
    out.write_text("old")
    out.chmod(0o444)
    with pytest.raises(OutputError, match="the file is read-only") as caught:
        write_output(DOCUMENT, out)
    assert caught.value.exit_code == 1
    assert out.read_text() == "old"


@pytest.mark.skipif(ROOT, reason="root may write into any folder")
def test_a_read_only_folder_is_an_output_error(tmp_path: Path) -> None:
    folder = tmp_path / "closed"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="Permission denied"):
            write_output(DOCUMENT, folder / "x.json")
    finally:
        folder.chmod(0o755)
    assert list(folder.iterdir()) == []


# --------------------------------------------------------------------------- processes

PROGRAM = """
import ast, sys
from roadmap.errors import RoadmapError
from roadmap.present.output import write_output
text = ast.literal_eval(sys.argv[1])  # ASCII on the command line whatever the locale
try:
    write_output(text * int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None)
except BrokenPipeError:
    sys.exit(1)
except RoadmapError as exc:
    print(f"roadmap: {exc}", file=sys.stderr)
    sys.exit(exc.exit_code)
"""


def run(
    shell_redirect: str, text: str, times: str, *out: str, env: dict[str, str] | None = None
) -> tuple[int, bytes, str]:
    """The program writing ``text`` ``times`` times, in a shell with ``shell_redirect``
    applied to its standard output."""
    done = subprocess.run(
        [
            "bash",
            "-c",
            f'"$0" -c "$PROGRAM" "$@" {shell_redirect}',
            sys.executable,
            ascii(text),
            times,
            *out,
        ],
        capture_output=True,
        env={**os.environ, "PROGRAM": PROGRAM, **(env or {})},
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr.decode("utf-8", "replace")


def test_closed_stdout_is_a_usage_error() -> None:
    code, _, err = run(">&-", "→", "1")
    assert (code, err) == (
        2,
        "roadmap: standard output is closed; give --out FILE or redirect it (> file)\n",
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_stdout_to_dev_full_is_an_output_error() -> None:
    code, _, err = run(">/dev/full", "→", "1")
    assert (code, err) == (1, "roadmap: cannot write to standard output: No space left on device\n")


@pytest.mark.parametrize(
    "env",
    [
        {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
        {"PYTHONIOENCODING": "ascii"},
    ],
)
def test_an_ascii_stdout_gets_the_complete_utf8_document(env: dict[str, str]) -> None:
    code, out, err = run("", DOCUMENT, "1", env=env)
    assert (code, err) == (0, "")
    assert out == DOCUMENT.encode("utf-8")


def test_ensure_utf8_stdio_lets_print_write_any_character() -> None:
    program = (
        "from roadmap.present.output import ensure_utf8_stdio\n"
        "ensure_utf8_stdio()\nimport sys\nprint('\\u2192 ok'); print('\\u2713', file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        env={**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": "ascii"},
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "→ ok\n".encode(), "✓\n".encode())


def test_a_broken_pipe_ends_quietly() -> None:
    code, _, err = run("| head -c 10 >/dev/null; exit ${PIPESTATUS[0]}", "x" * 1000, "1000")
    assert "Traceback" not in err and "Exception ignored" not in err
    assert code == 1


def test_out_dev_stdout_appends_where_the_shell_appends(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    log.write_text("before\n")
    code, _, err = run(f">>{log}", "new\n", "1", "/dev/stdout")
    assert (code, err) == (0, "")
    assert log.read_text() == "before\nnew\n"
    assert not log.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_out_dash_is_stdout() -> None:
    code, out, _ = run("", "→", "2", "-")
    assert (code, out) == (0, "→→".encode())


# --------------------------------------------------------------------------- option values


def test_validate_choice() -> None:
    assert validate_choice("at_risk", ["on_track", "at_risk"], "--status") == "at_risk"
    with pytest.raises(UsageError) as caught:
        validate_choice("bogus", ["on_track", "at_risk", "off_track"], "--status")
    assert str(caught.value) == "--status 'bogus': expected one of on_track, at_risk, off_track"
    assert caught.value.exit_code == 2
    with pytest.raises(UsageError, match=r"\(did you mean 'at_risk'\?\)"):
        validate_choice("at-risk", ["on_track", "at_risk"], "--status")


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "1e400", "zwei", "2,5", ""])
def test_parse_number_refuses_what_is_not_a_finite_number(text: str) -> None:
    with pytest.raises(UsageError, match="--budget-scale"):
        parse_number(text, "--budget-scale")


def test_parse_number() -> None:
    assert parse_number("3_000_000", "--x") == 3_000_000.0
    assert parse_number("1.5e6", "--x") == 1_500_000.0
    with pytest.raises(UsageError, match="must be at least 0"):
        parse_number("-1", "--x", minimum=0)


def test_parse_year_values() -> None:
    assert parse_year_values(["2027=3000000", "2028 = 2_500_000"], "--budget") == {
        2027: 3_000_000.0,
        2028: 2_500_000.0,
    }
    for bad, message in (
        ("2027=nan", "finite"),
        ("2027=inf", "finite"),
        ("2027=-5", "at least 0"),
        ("0000=5", "between 1900 and 2999"),
        ("99999=5", "between 1900 and 2999"),
        ("2027", "YEAR=NUMBER"),
        ("x=5", "a year such as 2027"),
    ):
        with pytest.raises(UsageError, match=message) as caught:
            parse_year_values([bad], "--budget")
        assert str(caught.value).startswith(f"--budget {bad}")
    with pytest.raises(UsageError, match="given twice"):
        parse_year_values(["2027=1", "2027=2"], "--budget")


def test_parse_dates_quarters_years_and_seeds() -> None:
    assert parse_date("2026-11-30", "--today") == dt.date(2026, 11, 30)
    assert parse_date(dt.datetime(2026, 1, 2, 3, 4), "--today") == dt.date(2026, 1, 2)
    for bad in ("9999-12-31", "0001-01-01", "2026-02-30", "morgen"):
        with pytest.raises(UsageError, match="--today"):
            parse_date(bad, "--today")
    with pytest.raises(UsageError, match="between 2024-01-01 and 2030-12-31"):
        parse_date("2031-01-01", "--today", dt.date(2024, 1, 1), dt.date(2030, 12, 31))
    assert parse_quarter("2026-Q4") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert parse_quarter("2999-Q4") == (dt.date(2999, 10, 1), dt.date(2999, 12, 31))
    for bad in ("9999-Q4", "0000-Q1", "2026-Q5", "2026Q1"):
        with pytest.raises(UsageError, match="--period"):
            parse_quarter(bad)
    assert parse_year("2027", "--year") == 2027
    assert parse_seed(0) == 0 and parse_seed("42") == 42
    for bad_seed in (-1, "-1", 2**64, "x"):
        with pytest.raises(UsageError, match="--seed"):
            parse_seed(bad_seed)
