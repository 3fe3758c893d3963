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


STRATEGY = """\
organization: Stadt Musterstadt
title: Digitalprogramm
language: de
period: {start: 2026-01-01, end: 2027-12-31}
fields:
  - {id: f1, title: Verwaltung}
goals:
  - id: g1
    title: Papierlos
    field: f1
    kpis:
      - id: quote
        title: Anteil digitaler Akten
        unit: "%"
        baseline: {value: 10, date: 2024-01-31}
        target: {value: 80, date: 2028-12-31}
criteria:
  - {id: nutzen, title: Nutzen, scale: [1, 5]}
capacity:
  - {year: 2026, budget_eur: 100000, staff_fte: 2}
  - {year: 2027, budget_eur: 100000, staff_fte: 2}
"""

PROJECTS = {
    "akte": """\
id: akte
title: E-Akte
owner: A
field: f1
status: in_progress
start: 2026-01-01
end: 2027-12-31
effort: {budget_eur: 150000, staff_fte: 1}
scores: {nutzen: 5}
milestones:
  - {id: pilot, title: Pilot im Bauamt, due: 2026-09-30, status: planned}
""",
    "termine": """\
id: termine
title: Online-Termine
owner: A
field: f1
status: proposed
start: 2026-03-01
end: 2026-08-31
effort: {budget_eur: 10000, staff_fte: 0.5}
scores: {nutzen: 4}
""",
    "portal": """\
id: portal
title: Neues Portal
owner: A
field: f1
status: idea
duration_months: 12
effort: {budget_eur: 200000, staff_fte: 1}
scores: {nutzen: 3}
""",
    "scan": """\
id: scan
title: Scanstraße
owner: A
field: f1
status: in_progress
start: 2025-01-01
end: 2025-06-30
effort: {budget_eur: 20000, staff_fte: 0.2}
scores: {nutzen: 2}
""",
}


@pytest.fixture
def small(tmp_path: Path) -> Path:
    data = tmp_path / "klein"
    (data / "projects").mkdir(parents=True)
    (data / "strategy.yaml").write_text(STRATEGY, encoding="utf-8")
    for name, text in PROJECTS.items():
        (data / "projects" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return data


def test_projects_after_the_period_and_moved_wishes_are_decisions(cli: Cli, small: Path) -> None:
    plan = json.loads(cli("plan", "-d", small, "-f", "json", *TODAY).stdout)
    after = [p["id"] for p in plan["projects"] if "after_period" in p]
    assert after == ["portal"] and plan["unscheduled"] == []
    result = cli("report", "-d", small, *TODAY)
    assert result.exit_code == 0, result.output
    md = result.stdout
    decide = section(md, "## Auf einen Blick").split("- Zu entscheiden:")[1].split("\n\n")[0]
    assert (
        "  - 1 Projekt passt nicht in den Zeitraum (nach 2027, frühestens 01/2028): "
        "Neues Portal.\n" in decide
    )
    assert (
        "  - Den Wunschtermin von 1 nicht zugesagten Projekt hat der Zeitplan verschoben: "
        "Online-Termine (01.03.2026 → 01.12.2026)." in decide
    )
    assert "überschreiten" not in decide  # the commitments fit
    after_table = table(section(md, "### Nach dem Zeitraum eingeplant"))
    assert after_table[0][:3] == ["Neues Portal", "01.01.2028", "31.12.2028"]
    assert "reicht nicht" in after_table[0][3]
    assert table(section(md, "### Verschobene Wunschtermine")) == [
        ["Online-Termine", "01.03.2026", "01.12.2026", "31.05.2027"]
    ]


def test_dates_overtaken_by_time_are_grouped_in_plain_german(cli: Cli, small: Path) -> None:
    md = cli("report", "-d", small, *TODAY).stdout
    stale = section(md, "## Handlungsbedarf").split("**Überholte Termine:**\n\n")[1]
    assert stale.split("\n\n")[0].splitlines() == [
        "- 2 Projekte sind noch offen, obwohl ihr Ende verstrichen ist: "
        "Online-Termine (31.08.2026) und Scanstraße (30.06.2025)",
        "- 1 vorgeschlagenes oder beschlossenes Projekt, dessen Beginn verstrichen ist: "
        "Online-Termine (01.03.2026)",
        "- 1 Meilenstein ist überfällig und noch als geplant geführt: "
        "E-Akte – Pilot im Bauamt (30.09.2026)",
        "- 1 Kennzahl ohne Messwert in den letzten 12 Monaten: "
        "Anteil digitaler Akten (Papierlos, letzter Wert 31.01.2024)",
    ]
    # the same rules as validate --today, which names file and line
    checked = cli("validate", "-d", small, *TODAY).output
    for code in ("stale-end", "stale-start", "milestone-overdue", "kpi-stale"):
        assert code in checked
    # a day before the dates passed, nothing is stale
    early = cli("report", "-d", small, "--today", "2024-01-01").stdout
    assert "Überholte Termine" not in early


def test_english_words_for_the_same(cli: Cli, small: Path) -> None:
    md = cli("report", "-d", small, "--lang", "en", *TODAY).stdout
    assert "1 project does not fit into the period (after 2027, from 01/2028 at the earliest)" in md
    assert "**Dates overtaken by time:**" in md
    assert "1 KPI without a value in the last 12 months: Anteil digitaler Akten" in md


def test_the_html_timeline_runs_on_to_what_is_placed_after_the_period(
    cli: Cli, small: Path
) -> None:
    html = cli("report", "-d", small, "-f", "html", *TODAY).stdout
    years = re.findall(r'<text x="[\d.]+" y="14">(\d{4})</text>', html)
    assert years == ["2026", "2027", "2028"]  # the period is 2026–2027
    bar = re.search(
        r'<g class="idea (?:critical )?after_period"><title>Neues Portal: 01\.01\.2028 – '
        r"31\.12\.2028, Idee, nach dem Zeitraum eingeplant.*?</title>.*?<rect x=\"([\d.]+)\"",
        html,
    )
    assert bar is not None
    period_end = re.search(r'<line x1="([\d.]+)" y1="0" x2="[\d.]+" y2="\d+"[^>]*/>\n</g>', html)
    assert period_end is not None and float(bar.group(1)) >= float(period_end.group(1))
    assert "gestrichelter Rahmen: nach dem Zeitraum eingeplant" in html


def test_a_deadline_that_passed_while_the_project_is_open_is_missed(cli: Cli) -> None:
    """A new user's E-Rechnung was in progress with its legal deadline passed three days
    ago; the plan kept its stale end before the deadline and the report listed no missed
    deadline."""
    before = cli("report", "-d", str(ROOT / "data"), "--today", "2026-12-15").stdout
    after = cli("report", "-d", str(ROOT / "data"), "--today", "2027-01-04").stdout
    missed = "E-Rechnung"
    assert "Frist 31.12.2026" not in before
    line = next(x for x in after.splitlines() if "Frist 31.12.2026" in x)
    assert missed in line and "ist verstrichen, das Projekt ist nicht abgeschlossen" in line
