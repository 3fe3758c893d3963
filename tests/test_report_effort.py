"""A project without an effort estimate ("Aufwand fehlt", the check effort-missing) is
shown as such in the report's ranking, schedule and summary, not as costing 0 €
(issue 16, item 3)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, Cli

TODAY = ["--today", "2026-11-21"]
TITLE = "Bewohnerparkausweis online beantragen"


@pytest.fixture
def without_effort(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "projects" / "bewohnerparken-online.yaml"
    text = path.read_text(encoding="utf-8")
    estimate = "effort:\n  budget_eur: 55000\n  running_eur_per_year: 7000\n  staff_fte: 0.2\n"
    assert estimate in text
    path.write_text(text.replace(estimate, "effort: {budget_eur: 0, staff_fte: 0}\n"), "utf-8")
    return data


def test_validate_warns_and_the_markdown_report_says_effort_missing(
    cli: Cli, without_effort: Path
) -> None:
    checked = cli("validate", "-d", without_effort)
    assert "bewohnerparken-online.yaml" in checked.output and "effort-missing" in checked.output
    result = cli("report", "-d", without_effort, "--lang", "de", *TODAY)
    assert result.exit_code == 0, result.output
    md = result.stdout
    ranking = md.split("## Priorisierung")[1].split("\n## ")[0]
    row = next(line for line in ranking.splitlines() if TITLE in line)
    assert "| Aufwand fehlt |" in row and "0\u00a0€" not in row
    assert f"    {TITLE} (Aufwand fehlt) :" in md  # the gantt bar
    summary = md.split("## Auf einen Blick")[1].split("\n## ")[0]
    assert (
        "1 Projekt hat keine Aufwandsschätzung (kein Budget, kein Personal) und ist "
        f"eingeplant, als koste es nichts: {TITLE}." in summary
    )
    attention = md.split("## Handlungsbedarf")[1].split("\n## ")[0]
    assert "1 Projekt hat keine Aufwandsschätzung" in attention.split("**Konflikte")[1]
    annex = md.split("## Anhang")[1]
    assert f"| {TITLE} | vorgeschlagen · Aufwand fehlt |" in annex


def test_the_html_report_and_english(cli: Cli, without_effort: Path) -> None:
    html = cli("report", "-d", without_effort, "-f", "html", "--lang", "en", *TODAY).stdout
    assert (
        f"<td>{TITLE}</td><td>Amt für Verkehrsmanagement (66)</td>"
        '<td class="num">effort missing</td>' in html
    )
    assert "in progress" in html and "proposed · effort missing" in html
    assert "and is scheduled as if it cost nothing: " + TITLE in html


def test_the_shipped_example_has_every_estimate(cli: Cli) -> None:
    md = cli("report", "-d", ROOT / "data", *TODAY).stdout
    assert "Aufwand fehlt" not in md and "Aufwandsschätzung" not in md


def test_a_project_with_staff_but_no_budget_is_not_shown_as_free(cli: Cli, tmp_path: Path) -> None:
    """Staff given, budget_eur not written (a gap in the spreadsheet): the ranking says
    "Budget fehlt", the summary names it beside the total it is not part of; a budget
    written as 0 stays 0 €."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "projects" / "bewohnerparken-online.yaml"
    text = path.read_text(encoding="utf-8")
    estimate = "effort:\n  budget_eur: 55000\n  running_eur_per_year: 7000\n  staff_fte: 0.2\n"
    path.write_text(text.replace(estimate, "effort:\n  staff_fte: 0.2\n"), "utf-8")
    md = cli("report", "-d", data, "--lang", "de", *TODAY).stdout
    ranking = md.split("## Priorisierung")[1].split("\n## ")[0]
    row = next(line for line in ranking.splitlines() if TITLE in line)
    assert "| Budget fehlt |" in row
    summary = md.split("## Auf einen Blick")[1].split("\n## ")[0]
    assert (
        f"922.000\u00a0€ im Jahr laufend. Eines davon nennt nur Personal, kein Budget: {TITLE}."
        in summary
    )
    path.write_text(text.replace(estimate, "effort:\n  budget_eur: 0\n  staff_fte: 0.2\n"), "utf-8")
    md = cli("report", "-d", data, "--lang", "de", *TODAY).stdout
    ranking = md.split("## Priorisierung")[1].split("\n## ")[0]
    assert "| 0\u00a0€ |" in next(line for line in ranking.splitlines() if TITLE in line)
    assert "kein Budget:" not in md
