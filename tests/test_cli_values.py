"""Option values the CLI refuses with a clear message and exit 2 (never a traceback,
never an empty result that looks like an answer)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import MINIMAL, Cli


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["kpi", "--status", "bogus"], "--status 'bogus': expected one of on_track"),
        (["kpi", "--status", "on_trak"], "did you mean 'on_track'?"),
        (["prioritize", "-r", "5", "--seed", "-1"], "--seed -1: a seed between 0 and"),
        (["explain", "x", "--seed", "ten"], "--seed ten: expected a whole number"),
        (["plan", "--today", "9999-12-31"], "--today 9999-12-31: must lie between 1900-01-01"),
        (["plan", "--today", "31.13.2026"], "--today 31.13.2026: expected a date YYYY-MM-DD"),
        (["plan", "--today", "2026/12/31"], "expected a date YYYY-MM-DD or DD.MM.YYYY"),
        (["plan", "--budget", "2027=nan"], "expected a finite number"),
        (["plan", "--staff", "2027=-3"], "must be at least 0"),
        (["plan", "--budget", "2027=1", "--budget", "2027=2"], "the year 2027 is given twice"),
        (["plan", "--budget", "27=1"], "a year between 1900 and 2999"),
        (["report", "--period", "2026-Q5"], "--period 2026-Q5: expected a quarter"),
        (["report", "--period", "9999-Q4"], "a year between 1900 and 2999"),
        (["export", "-f", "csv", "--today", "0001-01-01"], "must lie between"),
    ],
)
def test_bad_option_values_are_usage_errors(cli: Cli, args: list[str], message: str) -> None:
    result = cli(*args, "-d", MINIMAL)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_a_known_kpi_status_still_filters(cli: Cli) -> None:
    result = cli("kpi", "-d", MINIMAL, "--status", "no_data", "--format", "json")
    assert result.exit_code == 0, result.output


def test_record_date_is_checked(cli: Cli, portfolio: Path) -> None:
    before = (portfolio / "strategy.yaml").read_bytes()
    result = cli("record", "milestone", "x", "m", "--done", "--date", "9999-12-31", "-d", portfolio)
    assert result.exit_code == 2
    assert "--date 9999-12-31: must lie between" in result.stderr
    assert (portfolio / "strategy.yaml").read_bytes() == before


def test_a_german_date_is_taken_like_an_iso_one(cli: Cli) -> None:
    # fourth trial: `record kpi … --date 30.11.2026` was refused while `add` took it
    german = cli("plan", "-d", MINIMAL, "--today", "30.11.2026", "-f", "json")
    iso = cli("plan", "-d", MINIMAL, "--today", "2026-11-30", "-f", "json")
    assert german.exit_code == 0, german.output
    assert german.stdout == iso.stdout


def test_a_date_is_written_in_ascii_digits(cli: Cli) -> None:
    # review of round 3: \d took Arabic-Indic and full-width digits
    for day in ("٣٠.١١.٢٠٢٦", "３０.１１.２０２６"):
        result = cli("plan", "-d", MINIMAL, "--today", day)
        assert result.exit_code == 2 and "expected a date" in result.stderr
