"""How the CLI ends: known errors with their exit code and message, bugs with exit 3
(a traceback only with --debug), Ctrl-C with 130, and the garbage collector on again."""

from __future__ import annotations

import gc
import json

import pytest

from roadmap.errors import InternalError

from .conftest import CASES, ROOT, Cli

DATA = ROOT / "data"
BROKEN = CASES / "invalid" / "references"


def test_data_errors_are_listed_as_problems_then_summed_up(cli: Cli) -> None:
    result = cli("prioritize", "-d", BROKEN)
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert "invalid/references/projects/" in lines[0] and ": error [" in lines[0]
    assert lines[-1].startswith("roadmap: the data has ") and "fix them first" in lines[-1]


def test_with_format_json_the_problems_are_json_too(cli: Cli) -> None:
    result = cli("prioritize", "-d", BROKEN, "-f", "json")
    assert result.exit_code == 1 and result.stdout == ""
    document, _, summary = result.stderr.rpartition("}\n")
    problems = json.loads(document + "}")
    assert problems["ok"] is False and problems["errors"] == len(problems["problems"]) > 0
    assert {"file", "line", "column", "severity", "code", "message"} <= set(problems["problems"][0])
    assert summary.startswith("roadmap: the data has ")


def _raise(error: BaseException) -> None:
    raise error


def test_an_internal_error_is_a_bug_with_exit_3(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "roadmap.score.rank", lambda *args, **kwargs: _raise(InternalError("ranks overlap"))
    )
    result = cli("prioritize", "-d", DATA)
    assert result.exit_code == 3
    assert result.stderr == (
        "roadmap: internal error: InternalError: ranks overlap\n"
        "This is a bug; run again with --debug and report the traceback.\n"
    )


def test_debug_shows_the_traceback_and_still_exits_3(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("roadmap.score.rank", lambda *args, **kwargs: _raise(ZeroDivisionError()))
    quiet = cli("prioritize", "-d", DATA)
    assert quiet.exit_code == 3 and "Traceback" not in quiet.stderr
    assert "unexpected error: ZeroDivisionError" in quiet.stderr
    loud = cli("--debug", "prioritize", "-d", DATA)
    assert loud.exit_code == 3
    assert loud.stderr.startswith("Traceback (most recent call last):")
    assert loud.stderr.rstrip().endswith("ZeroDivisionError")


def test_ctrl_c_exits_130(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("roadmap.score.rank", lambda *args, **kwargs: _raise(KeyboardInterrupt()))
    result = cli("prioritize", "-d", DATA)
    assert (result.exit_code, result.stderr) == (130, "roadmap: interrupted\n")


@pytest.mark.parametrize("args", [("prioritize", "-d", DATA), ("prioritize", "-d", BROKEN)])
def test_the_garbage_collector_is_on_again_after_a_command(cli: Cli, args: tuple[object]) -> None:
    assert gc.isenabled()
    cli(*args)
    assert gc.isenabled()


def test_usage_errors_exit_2_with_one_line(cli: Cli) -> None:
    result = cli("explain", "e-akt", "-d", DATA)
    assert result.exit_code == 2
    assert result.stderr == "roadmap: no project 'e-akt' (did you mean 'e-akte'?)\n"
