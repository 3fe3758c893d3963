"""Data reaches every output as text: never a formula in a spreadsheet, markup or an
escape sequence in a terminal, Markdown, a Mermaid or DOT directive, or an iCalendar
property. One hostile project, every command that shows it."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from .conftest import MINIMAL, Cli

EVIL_TITLE = "[bold]Fett[/] \x1b]8;;http://x\x1b\\Link\x1b]8;;\x1b\\ [link=http://x]hier[/link]"
FORMULA = '=HYPERLINK("http://x","klick")'


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "projects" / "evil.yaml").write_text(
        f"id: evil\ntitle: {EVIL_TITLE!r}\n".replace("\\x1b", "\\e").replace("'", '"')
        + f"owner: '{FORMULA}'\n"
        "field: verwaltung\n"
        "scores: {nutzen: 3}\n"
        "depends_on: [e-akte]\n"
        "milestones:\n"
        '  - {id: m1, title: "Start;\\r jetzt, sofort", due: 2026-06-30}\n',
        encoding="utf-8",
    )
    return data


def title_in(data: Path) -> str:
    import yaml

    return str(yaml.safe_load((data / "projects" / "evil.yaml").read_text())["title"])


def test_the_fixture_is_hostile(hostile: Path) -> None:
    assert "\x1b]8;;" in title_in(hostile)


def test_csv_export_has_no_formula(cli: Cli, hostile: Path) -> None:
    for excel in ([], ["--excel"]):
        result = cli("export", "-f", "csv", "-d", hostile, *excel)
        assert result.exit_code == 0, result.output
        rows = list(
            csv.reader(io.StringIO(result.stdout.lstrip("\ufeff")), delimiter=";" if excel else ",")
        )
        owners = [row[4] for row in rows if row[0] == "evil"]
        assert owners == ["'" + FORMULA]


def test_prioritize_csv_has_no_formula(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    path = data / "projects" / "e-akte.yaml"
    path.write_text(path.read_text().replace("title: E-Akte", "title: '@SUM(1+1)'"))
    result = cli("prioritize", "-f", "csv", "-d", data)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[1][2] == "'@SUM(1+1)"
    assert rows[1][0] == "1"  # numbers stay numbers


@pytest.mark.parametrize(
    "command",
    [
        ["prioritize"],
        ["explain", "evil", "-r", "0"],
        ["plan"],
        ["bundle", "--explain", "evil", "e-akte"],
        ["optimize"],
    ],
)
def test_terminal_output_shows_markup_and_no_escape_sequence(
    cli: Cli, hostile: Path, command: list[str]
) -> None:
    result = cli(*command, "-d", hostile)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    if command[0] in ("prioritize", "explain"):
        assert "[bold]Fett[/]" in result.stdout


def test_plan_warnings_keep_their_code_visible(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    path = data / "projects" / "e-akte.yaml"
    path.write_text(path.read_text() + "deadline: 2026-02-01\nduration_months: 12\n")
    result = cli("plan", "-d", data, "--today", "2026-01-01")
    assert result.exit_code == 0, result.output
    assert "[deadline-missed]" in result.stdout


def test_kpi_table_shows_markup_as_text(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    path = data / "projects" / "e-akte.yaml"
    path.write_text(
        path.read_text()
        + "kpis:\n  - {id: k, title: '[red]Quote[/red]', unit: '[/]', direction: increase,"
        " baseline: {value: 0, date: 2025-12-31}, target: {value: 10, date: 2027-12-31}}\n"
    )
    result = cli("kpi", "-d", data)
    assert result.exit_code == 0, result.output
    assert "[red]Quote[/red] ([/])" in result.stdout


def test_markdown_outputs_escape_markup(cli: Cli, hostile: Path) -> None:
    result = cli("prioritize", "-f", "md", "-d", hostile)
    assert "\\[bold\\]Fett\\[/\\]" in result.stdout
    assert "\x1b" not in result.stdout


def test_gantt_ends_bars_on_their_last_day_and_labels_are_text(cli: Cli, hostile: Path) -> None:
    result = cli("plan", "-f", "md", "-d", hostile, "--today", "2026-01-01")
    assert result.exit_code == 0, result.output
    assert "    inclusiveEndDates\n" in result.stdout
    gantt = result.stdout.split("```")[1]
    assert "\x1b" not in gantt and "[link=http#58;//x]" in gantt


def test_graph_labels_are_text(cli: Cli, hostile: Path) -> None:
    mermaid = cli("graph", "-d", hostile).stdout
    assert "\x1b" not in mermaid and "http#58;//x" in mermaid
    dot = cli("graph", "-f", "dot", "-d", hostile).stdout
    assert "\x1b" not in dot and '"evil" [label="[bold]Fett[/] ' in dot


def test_ics_has_no_bare_cr(cli: Cli, hostile: Path) -> None:
    result = cli("export", "-f", "ics", "-d", hostile)
    assert result.exit_code == 0, result.output
    body = result.stdout.replace("\r\n", "\n")
    assert "\r" not in body
    assert "Start\\; jetzt\\, sofort" in body.replace("\n ", "")


def test_report_vision_keeps_paragraphs_and_escapes_markup(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    strategy = data / "strategy.yaml"
    strategy.write_text(
        strategy.read_text()
        + "vision: |\n  # Keine Überschrift\n  <b>fett</b>\n\n  Zweiter Absatz\n"
    )
    result = cli("report", "-d", data)
    assert result.exit_code == 0, result.output
    assert "\\# Keine Überschrift\n&lt;b&gt;fett&lt;/b&gt;\n\nZweiter Absatz" in result.stdout


def test_problems_table_shows_file_names_without_escape_sequences(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "projects" / "evil\x1b[31m.yaml").write_text("id: evil\ntitle: [x\n")
    result = cli("validate", "-d", data, "-f", "table")
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout
    assert "evil.yaml:3:1: error [yaml-syntax]" in result.stdout
