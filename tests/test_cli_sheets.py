"""`roadmap init`, `roadmap import` and `roadmap add` as a new user runs them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .conftest import ROOT, snapshot

EXAMPLE = ROOT / "examples" / "projektliste.xlsx"


def _init(cli: Any, tmp_path: Path, *extra: str) -> Path:
    data = tmp_path / "stadt"
    result = cli("init", data, "--organization", "Stadt Musterstadt", "--period", "2026-2030",
                 *extra)  # fmt: skip
    assert result.exit_code == 0, result.output
    return data


def test_init_makes_a_portfolio_that_validates(cli: Any, tmp_path: Path) -> None:
    data = _init(cli, tmp_path, "--budget", "1.400.000", "--budget", "2027=2.300.000",
                 "--staff", "6")  # fmt: skip
    text = (data / "strategy.yaml").read_text(encoding="utf-8")
    assert "organization: Stadt Musterstadt" in text and "# Handlungsfelder" in text
    assert "  - {year: 2026, budget_eur: 1400000, staff_fte: 6}" in text
    assert "  - {year: 2027, budget_eur: 2300000, staff_fte: 6}" in text
    assert (data / "projects").is_dir() and (data / "ci" / "gitlab-ci.yml").is_file()
    result = cli("validate", "-d", data)
    assert result.exit_code == 0, result.output
    again = cli("init", data)
    assert again.exit_code == 2 and "already holds a portfolio" in again.output


def test_init_refuses_a_year_outside_the_period(cli: Any, tmp_path: Path) -> None:
    result = cli("init", tmp_path / "x", "--period", "2026-2028", "--budget", "2031=5")
    assert result.exit_code == 2 and "2031, outside 2026–2028" in result.output
    assert not (tmp_path / "x").exists()


def test_import_stops_at_look_alike_rows_then_imports_with_yes(cli: Any, tmp_path: Path) -> None:
    data = _init(cli, tmp_path)
    before = snapshot(data)
    first = cli("import", EXAMPLE, "-d", data)
    assert first.exit_code == 2
    assert "row 9 'Anmeldung weiterführende Schule digital' ~ row 8" in first.output
    assert snapshot(data) == before  # nothing written
    second = cli("import", EXAMPLE, "-d", data, "--yes")
    assert second.exit_code == 0, second.output
    assert "12 new, 0 changed, 0 unchanged, 0 not in the sheet" in second.stderr
    assert cli("validate", "-d", data).exit_code == 0
    third = cli("import", EXAMPLE, "-d", data, "--yes")
    assert "0 new, 0 changed, 12 unchanged" in third.stderr


def test_import_of_an_unreadable_cell_names_it_and_writes_nothing(cli: Any, tmp_path: Path) -> None:
    data = _init(cli, tmp_path)
    sheet = tmp_path / "liste.csv"
    sheet.write_bytes("Nr;Projekt;Budget;Beginn\n1;Bürgerportal;1,4 Mio;01.03.2026\n"
                      "2;E-Akte;200000;31.02.2026\n".encode("cp1252"))  # fmt: skip
    before = snapshot(data)
    result = cli("import", sheet, "-d", data)
    assert result.exit_code == 1
    assert "C2: '1,4 Mio' is not an amount; write 1400000 or 1.400.000,00" in result.output
    assert "D3: '31.02.2026' is not a day of the calendar" in result.output
    assert snapshot(data) == before


def test_import_with_a_mapping_file(cli: Any, tmp_path: Path) -> None:
    data = _init(cli, tmp_path)
    sheet = tmp_path / "liste.csv"
    sheet.write_text("Vorhaben-Nr,Maßnahme,Phase\nA1,Bürgerportal,läuft noch\n", encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "columns:\n  Vorhaben-Nr: number\n  Phase: status\n"
        "values:\n  status:\n    läuft noch: in_progress\n",
        encoding="utf-8",
    )
    shown = cli("import", sheet, "-d", data, "--mapping", mapping, "--show-mapping")
    assert "A 'Vorhaben-Nr' → number" in shown.output and "C 'Phase' → status" in shown.output
    result = cli("import", sheet, "-d", data, "--mapping", mapping)
    assert result.exit_code == 0, result.output
    text = (data / "projects" / "buergerportal.yaml").read_text(encoding="utf-8")
    assert "status: in_progress" in text and "title: Bürgerportal" in text
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("columns:\n  Phase: stauts\n", encoding="utf-8")
    refused = cli("import", sheet, "-d", data, "--mapping", wrong)
    assert refused.exit_code == 2 and "no field 'stauts'" in refused.output


def test_add_milestone_kpi_and_dependency(cli: Any, tmp_path: Path) -> None:
    data = _init(cli, tmp_path)
    assert cli("import", EXAMPLE, "-d", data, "--yes").exit_code == 0
    project = data / "projects" / "beteiligungsportal.yaml"
    result = cli("add", "milestone", "beteiligungsportal", "--title", "Pilot im Bauamt",
                 "--due", "31.03.2027", "-d", data)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "milestones:\n  - id: pilot-im-bauamt\n    title: Pilot im Bauamt\n    due: 2027-03-31\n"
        in (project.read_text(encoding="utf-8"))
    )
    result = cli("add", "kpi", "beteiligungsportal", "--title", "Beiträge", "--unit",
                 "Beiträge", "--baseline", "0@31.12.2025", "--target", "1.500,5@31.12.2027",
                 "-d", data)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "value: 1500.5" in project.read_text(encoding="utf-8")
    cycle = cli("add", "dependency", "urbane-datenplattform", "beteiligungsportal", "-d", data)
    assert cycle.exit_code == 1 and "dependency cycle" in cycle.output
    twice = cli("add", "milestone", "beteiligungsportal", "--title", "Pilot im Bauamt",
                "--due", "2027-04-30", "-d", data)  # fmt: skip
    assert twice.exit_code == 2 and "already" in twice.output
    assert cli("validate", "-d", data).exit_code == 0


def test_export_xlsx_then_import_is_a_round_trip(cli: Any, tmp_path: Path) -> None:
    """Export → edit a cell as a department would → import = exactly that change."""
    import shutil

    from openpyxl import load_workbook

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    sheet = tmp_path / "portfolio.xlsx"
    result = cli("export", "--format", "xlsx", "--out", sheet, "-d", data)
    assert result.exit_code == 0, result.output
    workbook = load_workbook(sheet)
    assert workbook.sheetnames == [
        "Projekte", "Listen", "Rangfolge", "Zeitplan", "Kapazität", "Kennzahlen", "Meilensteine"
    ]  # fmt: skip
    assert workbook["Rangfolge"]["E2"].value in ("beschlossen", "in Umsetzung", "vorgeschlagen")
    projects = workbook["Projekte"]
    headers = [c.value for c in projects[1]]
    row = next(r for r in projects.iter_rows(min_row=2) if r[0].value == "e-akte")
    row[headers.index("Budget (EUR)")].value = 123456
    workbook.save(sheet)
    before = snapshot(data)
    done = cli("import", sheet, "-d", data, "--yes")
    assert done.exit_code == 0, done.output
    assert "0 new, 1 changed" in done.stderr
    after = snapshot(data)
    changed = [name for name in after if after[name] != before[name]]
    assert changed == ["projects/e-akte.yaml"]
    assert b"budget_eur: 123456" in after["projects/e-akte.yaml"]
