"""The report's schedule in the committee's terms (issues 15 and 16): capacity per year as
committed / planned / free for budget and staff, the same figures as ``plan --format
json`` (running costs counted or not, as the strategy says); the projects the plan places
after the period and the wish dates it moved, in the summary and the schedule; and dates
that time has overtaken in "Handlungsbedarf"."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, Cli

TODAY = ["--today", "2026-11-30"]


def section(md: str, heading: str) -> str:
    """The text of a Markdown section from its heading to the next of its level."""
    level = heading.split(" ")[0]
    return md.split(f"\n{heading}\n")[1].split(f"\n{level} ")[0]


def table(text: str) -> list[list[str]]:
    """The body rows of the first Markdown table in ``text``, as cells."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("|"):
            lines.append(line)
        elif lines:
            break
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def amount(cell: str) -> float:
    """``€1,234`` or ``⚠ -€1,234`` (English) as a number."""
    return float(re.sub(r"[^\d.\-]", "", cell.replace("⚠", "")))


@pytest.fixture
def overcommitted(tmp_path: Path) -> Path:
    data = tmp_path / "ueberbucht"
    shutil.copytree(ROOT / "examples" / "ueberbucht", data)
    return data


def set_running_costs(data: Path, counted: bool, separate: int | None = None) -> None:
    strategy = data / "strategy.yaml"
    text = strategy.read_text(encoding="utf-8")
    text = text.replace(
        "capacity_includes_running_costs: false",
        f"capacity_includes_running_costs: {str(counted).lower()}",
    )
    if separate is not None:
        old = f"  - {{year: {separate}, budget_eur: 1900000, staff_fte: 8}}"
        assert old in text
        text = text.replace(old, old[:-1] + ", running_eur: 300000}")
    strategy.write_text(text, encoding="utf-8")


def report_capacity(cli: Cli, data: Path) -> tuple[list[list[str]], str]:
    result = cli("report", "-d", data, "--lang", "en", *TODAY)
    assert result.exit_code == 0, result.output
    return table(section(result.stdout, "### Capacity per year")), result.stdout


@pytest.mark.parametrize(
    ("counted", "separate"), [(True, None), (False, None), (True, 2028)], ids=str
)
def test_the_capacity_table_shows_the_figures_of_plan_json(
    cli: Cli, overcommitted: Path, counted: bool, separate: int | None
) -> None:
    set_running_costs(overcommitted, counted, separate)
    plan = cli("plan", "-d", overcommitted, "-f", "json", *TODAY)
    assert plan.exit_code == 0, plan.output
    capacity = json.loads(plan.stdout)["capacity"]
    rows, md = report_capacity(cli, overcommitted)
    assert [row[0] for row in rows] == list(capacity)
    for row in rows:
        year = capacity[row[0]]
        budget = [year[k] for k in ("budget", "committed_budget", "planned_budget", "free_budget")]
        staff = [year[k] for k in ("staff", "committed_staff", "planned_staff", "free_staff")]
        assert [amount(c) for c in row[1:5]] == [round(v) for v in budget], row
        assert [float(c.replace("⚠", "")) for c in row[5:9]] == [round(v, 1) for v in staff]
        assert row[4].startswith("⚠") == (year["free_budget"] < -0.5)
    # the summary's table is the same model's
    summary = table(section(md, "## At a glance"))
    assert [r[:5] for r in rows] == summary
    note = section(md, "### Capacity per year")
    if separate is not None:
        assert "In 2028 running costs count against a budget of their own." in note
    elif counted:
        assert "The budget also carries the running costs of projects after they end." in note
    else:
        assert "Running costs of finished projects do not count against this budget" in note


def test_running_costs_change_what_the_report_counts(cli: Cli, overcommitted: Path) -> None:
    """Not a formality: the example's running costs move its figures."""
    without, _ = report_capacity(cli, overcommitted)
    set_running_costs(overcommitted, True)
    counted, _ = report_capacity(cli, overcommitted)
    assert sum(amount(r[2]) for r in counted) > sum(amount(r[2]) for r in without)
