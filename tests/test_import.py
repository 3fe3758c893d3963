"""Import of a city's project list from a spreadsheet: the shipped example, German
values, re-import of an edited sheet, and hostile files."""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from roadmap.errors import Severity
from roadmap.import_write import apply_import
from roadmap.importer import ImportMapping, plan_import, read_sheet, slug
from roadmap.load import load_portfolio
from roadmap.present.i18n import pgettext
from roadmap.scaffold import InitOptions, init_portfolio
from roadmap.spreadsheet import SheetError, read_csv, read_date, read_number, read_table

from .conftest import ROOT, example_with_title

EXAMPLE = ROOT / "examples" / "projektliste.xlsx"


def _portfolio(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    german = functools.partial(pgettext, "de")
    init_portfolio(data, InitOptions("Stadt Musterstadt", "Digitalstrategie", 2026, 2030), german)
    return data


def _import(data: Path, sheet: Path, dry_run: bool = False, **mapping: Any) -> Any:
    loaded = load_portfolio(data)
    assert loaded.portfolio is not None
    table = read_table(sheet)
    reading = read_sheet(table, loaded.portfolio.strategy, ImportMapping(**mapping))
    plan = plan_import(reading, table, loaded.portfolio.projects)
    if plan.has_errors:
        return plan, None
    return plan, apply_import(data, plan, sheet.name, dry_run=dry_run)


def _git(data: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@x", "PATH": "/usr/bin:/bin"}  # fmt: skip
    result = subprocess.run(
        ["git", "-C", str(data), *args], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout


def test_the_example_sheet_imports_field_by_field(tmp_path: Path) -> None:
    data = _portfolio(tmp_path)
    plan, result = _import(data, EXAMPLE)
    assert [p for p in plan.problems if p.severity is Severity.ERROR] == []
    assert len(plan.created) == 12 and result is not None
    assert not [p for p in result.problems if p.severity is Severity.ERROR]
    loaded = load_portfolio(data)
    assert loaded.portfolio is not None
    projects = loaded.portfolio.projects
    e_akte = projects["einfuehrung-e-akte-stadtweit"]
    assert e_akte.effort.budget_eur == 1_400_000 and e_akte.effort.running_eur_per_year == 120_000
    assert e_akte.effort.staff_fte == 3.5 and e_akte.status == "in_progress"
    assert e_akte.start == dt.date(2025, 3, 1) and e_akte.end == dt.date(2027, 12, 31)
    assert e_akte.field == "verwaltung" and e_akte.personal_data and not e_akte.citizen_facing
    termine = projects["online-terminvergabe-buergerbuero"]
    assert termine.start == dt.date(2026, 3, 1) and termine.end == dt.date(2026, 9, 30)  # 1.3.26
    assert termine.citizen_facing and termine.status == "approved"  # "x", "beschlossen"
    assert projects["dokumentenmanagementsystem"].status == "done"  # "abgeschlossen"
    assert projects["glasfaser-fuer-gewerbegebiete"].status == "on_hold"  # "pausiert"
    bauantrag = projects["digitaler-bauantrag"]
    assert bauantrag.depends_on == ["einfuehrung-e-akte-stadtweit"]  # "Abhängig von (Nr)": 1
    assert bauantrag.deadline == dt.date(2027, 12, 31)
    assert projects["beteiligungsportal"].depends_on == [
        "online-terminvergabe-buergerbuero",
        "urbane-datenplattform",
    ]  # "3, 8"
    # remarks are never lost
    assert "Doppelung mit Nr. 6?" in (
        projects["anmeldung-weiterfuehrende-schule-digital"].description or ""
    )


def test_csv_from_excel_gives_the_same_projects(tmp_path: Path) -> None:
    one, two = _portfolio(tmp_path / "a"), _portfolio(tmp_path / "b")
    _import(one, EXAMPLE)
    plan, _ = _import(two, ROOT / "examples" / "projektliste.csv")
    assert not plan.has_errors
    a, b = load_portfolio(one).portfolio, load_portfolio(two).portfolio
    assert a is not None and b is not None
    assert a.projects == b.projects


def test_reimport_of_an_edited_sheet_changes_exactly_those_lines(tmp_path: Path) -> None:
    data = _portfolio(tmp_path)
    _import(data, EXAMPLE)
    _git(data, "init", "-q")
    _git(data, "add", "-A")
    _git(data, "commit", "-qm", "import")
    edited = tmp_path / "edited.xlsx"
    workbook = load_workbook(EXAMPLE)
    sheet = workbook["Projekte"]
    sheet["H7"] = "500.000,00"  # Digitaler Bauantrag: budget
    sheet["G5"] = "in Umsetzung"  # Online-Terminvergabe: status
    sheet["N5"] = "1"  # Online-Terminvergabe now depends on the e-file
    workbook.save(edited)
    plan, _result = _import(data, edited)
    assert set(plan.changed) == {"digitaler-bauantrag", "online-terminvergabe-buergerbuero"}
    diff = _git(data, "diff", "-U0")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"]
    assert sorted(changed) == sorted(
        [
            "-  budget_eur: 450000",
            "+  budget_eur: 500000",
            "-status: approved",
            "+status: in_progress",
            "+depends_on: [einfuehrung-e-akte-stadtweit]",
        ]
    )
    again, _ = _import(data, edited)
    assert again.created == {} and again.changed == {}  # a second import is a no-op


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.400.000,00", 1_400_000), ("1.400.000 €", 1_400_000), ("2,5", 2.5), (" 480000 ", 480_000),
     ("1,400,000.00", 1_400_000), ("1.400", 1400), (120000, 120_000)],
)  # fmt: skip
def test_german_amounts(text: Any, value: float) -> None:
    assert read_number(text) == value


def test_amounts_that_are_no_amounts_say_what_to_write() -> None:
    for text in ("1,4 Mio", "ca. 500", "1.40.000", "zwei"):
        with pytest.raises(Exception, match="is not an amount") as caught:
            read_number(text)
        assert "write 1400000" in getattr(caught.value, "hint", "")


def test_german_dates_and_excel_serials() -> None:
    assert read_date("01.03.2026") == read_date("1.3.26") == dt.date(2026, 3, 1)
    assert read_date(46082) == dt.date(2026, 3, 1)  # Excel's serial number
    assert read_date("2026-03-01") == dt.date(2026, 3, 1)
    with pytest.raises(Exception, match="not a day of the calendar"):
        read_date("31.02.2026")


def test_ids_from_titles() -> None:
    assert slug("Einführung E-Akte (stadtweit)") == "einfuehrung-e-akte-stadtweit"
    assert slug("Straßenschäden melden – Ü30") == "strassenschaeden-melden-ue30"
    long = slug("Digitalisierung " * 10)
    assert len(long) <= 64 and not long.endswith("-")


def _sheet(tmp_path: Path, rows: list[list[Any]], name: str = "liste.xlsx") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def test_a_cell_that_cannot_be_read_is_located_and_nothing_is_written(tmp_path: Path) -> None:
    data = _portfolio(tmp_path)
    sheet = _sheet(tmp_path, [["Nr", "Projekt", "Budget"], [1, "A-Projekt", "1,4 Mio"]])
    plan, result = _import(data, sheet)
    assert result is None
    errors = [str(p.as_problem()) for p in plan.problems if p.severity is Severity.ERROR]
    assert errors == [
        f"{sheet}:2:3: error [cell-value] Sheet!C2: '1,4 Mio' is not an amount; "
        "write 1400000 or 1.400.000,00"
    ]
    assert list((data / "projects").glob("*.yaml")) == []


def test_hostile_sheets_are_refused_with_a_message(tmp_path: Path) -> None:
    data = _portfolio(tmp_path)
    merged = Workbook()
    ws = merged.active
    assert ws is not None
    ws.append(["Projekt", "Amt"])
    ws.append(["A-Projekt", "Hauptamt"])
    ws.append(["B-Projekt", None])
    ws.merge_cells("B2:B3")
    merged.save(tmp_path / "merged.xlsx")
    plan, _ = _import(data, tmp_path / "merged.xlsx")
    assert [p.code for p in plan.problems if p.severity is Severity.ERROR] == ["merged-cells"]

    twice = _sheet(tmp_path, [["Projekt", "Titel"], ["A", "B"]], "twice.xlsx")
    plan, _ = _import(data, twice)
    assert "column-twice" in [p.code for p in plan.problems]

    empty = _sheet(tmp_path, [], "empty.xlsx")
    plan, _ = _import(data, empty)
    assert [p.code for p in plan.problems] in (["sheet-empty"], ["no-title-column"])

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 300_000_000)
    with pytest.raises(SheetError, match="would unpack to"):
        read_table(bomb)

    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(SheetError, match="password-protected"):
        read_table(locked)

    with pytest.raises(SheetError, match="UTF-16"):
        read_csv("Projekt;Amt\r\nA;B\r\n".encode("utf-16"), "liste.csv")


def test_formulas_are_read_as_their_cached_values_never_evaluated(tmp_path: Path) -> None:
    data = _portfolio(tmp_path)
    path = _sheet(tmp_path, [["Projekt", "Budget"], ["A-Projekt", "=1+1"]])
    plan, _ = _import(data, path)
    # openpyxl stores no cached value: the cell reads empty, nothing is computed
    assert not plan.has_errors
    assert plan.created["a-projekt"].get("effort") is None


def test_a_sheet_too_large_is_named(tmp_path: Path) -> None:
    rows = [["Projekt"]] + [[f"P{i}"] for i in range(20_002)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(r[0] for r in rows), encoding="utf-8")
    with pytest.raises(SheetError, match="at most 20,000"):
        read_table(path)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_export_then_import_of_the_shipped_example_changes_nothing(
    tmp_path: Path, lang: str
) -> None:
    from roadmap.sheet_export import workbook_bytes

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    loaded = load_portfolio(data)
    assert loaded.portfolio is not None
    workbook = tmp_path / "export.xlsx"
    workbook.write_bytes(workbook_bytes(loaded.portfolio, functools.partial(pgettext, lang)))
    plan, _ = _import(data, workbook, dry_run=True)
    assert [str(p.as_problem()) for p in plan.problems] == []
    assert plan.created == {} and plan.changed == {} and plan.missing == []


def test_an_exported_title_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    from roadmap.sheet_export import workbook_bytes

    data = example_with_title(tmp_path, '\'=HYPERLINK("http://x","y")\'')
    loaded = load_portfolio(data)
    assert loaded.portfolio is not None
    path = tmp_path / "export.xlsx"
    path.write_bytes(workbook_bytes(loaded.portfolio, functools.partial(pgettext, "de")))
    sheet = load_workbook(path)["Projekte"]
    cells = [c for c in sheet["B"] if str(c.value).startswith("=HYPERLINK")]
    assert len(cells) == 1 and cells[0].data_type == "s" and cells[0].quotePrefix
    plan, _ = _import(data, path, dry_run=True)
    assert plan.changed == {}  # the title comes back as the same text


def test_a_hidden_row_is_named_not_imported_unseen(tmp_path: Path) -> None:
    data = _portfolio(tmp_path)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (["Projekt", "Amt"], ["A-Projekt", "Hauptamt"], ["B-Projekt", "Bauamt"]):
        sheet.append(row)
    sheet.row_dimensions[3].hidden = True
    path = tmp_path / "hidden.xlsx"
    workbook.save(path)
    plan, result = _import(data, path)
    assert result is None
    assert [(p.code, p.where) for p in plan.problems if p.severity is Severity.ERROR] == [
        ("hidden-row", "Sheet!A3")
    ]
