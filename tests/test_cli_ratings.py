"""``roadmap ratings``, ``ratings sheet``/``import``, validate over ratings/ and explain's
raters, on copies of examples/workshop (a small portfolio with three raters)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, Cli, snapshot

WORKSHOP = ROOT / "examples" / "workshop"


@pytest.fixture
def workshop(tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(WORKSHOP, target)
    return target


def test_the_shipped_workshop_example_is_valid(cli: Cli) -> None:
    result = cli("validate", "-d", WORKSHOP)
    assert result.exit_code == 0, result.output


def test_ratings_json_lists_spread_agreement_and_kendalls_w(cli: Cli) -> None:
    result = cli("ratings", "-d", WORKSHOP, "-f", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [r["id"] for r in document["raters"]] == [
        "amt-10",
        "amt-33",
        "fraktion-gruene",
        "project file",
    ]
    assert (document["aggregate"], document["spread"]) == ("median", "iqr")
    assert document["kendalls_w_projects"] == 2
    assert 0 <= document["kendalls_w"] <= 1
    by_id = {p["id"]: p for p in document["projects"]}
    e_akte = by_id["e-akte"]["criteria"]["efficiency"]
    # amt-10 5, amt-33 4, fraktion 3, project file 5: median 4.5, quartiles 3.75–5
    assert e_akte["raters"] == {"amt-10": 5, "amt-33": 4, "fraktion-gruene": 3, "project file": 5}
    assert (e_akte["value"], e_akte["low"], e_akte["high"]) == (4.5, 3.75, 5)
    agreements = [p["agreement"] for p in document["projects"]]
    assert agreements == sorted(agreements)  # least agreement first
    assert document["group_weights"]["inconsistent"] == []


def test_ratings_missing_names_who_has_not_rated_what(cli: Cli) -> None:
    result = cli("ratings", "-d", WORKSHOP, "--missing", "-f", "json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)["items"]
    assert {"rater": "fraktion-gruene", "project": "e-akte", "criteria": [
        "legal_obligation", "strategic_fit", "risk"
    ]} in items  # fmt: skip
    table = cli("ratings", "-d", WORKSHOP, "--missing")
    assert "never counted as 0" in table.stdout


def test_explain_shows_each_raters_contribution(cli: Cli) -> None:
    result = cli("explain", "e-akte", "-d", WORKSHOP, "-f", "json", "-r", "0")
    assert result.exit_code == 0, result.output
    raters = {r["rater"]: r for r in json.loads(result.stdout)["raters"]}
    assert raters["fraktion-gruene"]["scores"] == {
        "citizen_value": 2,
        "efficiency": 3,
        "sustainability": 4,
    }
    assert raters["amt-10"]["name"] == "Amt 10 Organisation"
    assert raters["amt-10"]["total"] == pytest.approx(sum(raters["amt-10"]["points"].values()))


def test_identical_raters_rank_like_the_projects_own_scores(cli: Cli, workshop: Path) -> None:
    shutil.rmtree(workshop / "ratings")
    before = json.loads(cli("prioritize", "-d", workshop, "-f", "json").stdout)
    (workshop / "ratings").mkdir()
    from roadmap.load import load_portfolio

    loaded = load_portfolio(workshop).portfolio
    assert loaded is not None
    scores = {i: dict(p.scores) for i, p in loaded.projects.items() if p.scores}
    for rater in ("a", "b", "c"):  # JSON is YAML
        (workshop / "ratings" / f"{rater}.yaml").write_text(json.dumps({"scores": scores}))
    assert cli("validate", "-d", workshop).exit_code == 0
    after = json.loads(cli("prioritize", "-d", workshop, "-f", "json").stdout)
    assert [(p["id"], p["score"]) for p in after["projects"]] == [
        (p["id"], p["score"]) for p in before["projects"]
    ]


def test_validate_locates_problems_in_raters_files(cli: Cli, workshop: Path) -> None:
    (workshop / "ratings" / "bad.yaml").write_text(
        "scores:\n"
        "  e-akt: {citizen_value: 2}\n"
        "  e-rechnung: {citizen_valeu: 3, risk: 7}\n"
        "pairwise:\n"
        "  citizen_value: {efficiency: 9}\n"
    )
    (workshop / "ratings" / "leer.yaml").write_text("name: Niemand\n")
    result = cli("validate", "-d", workshop, "-f", "json")
    assert result.exit_code == 1
    found = {
        (Path(p["file"]).name, p["line"], p["column"], p["code"])
        for p in json.loads(result.stdout)["problems"]
    }
    assert found == {
        ("bad.yaml", 2, 3, "unknown-project"),
        ("bad.yaml", 3, 16, "unknown-criterion"),
        ("bad.yaml", 3, 40, "score-out-of-scale"),
        ("bad.yaml", 5, 3, "invalid-pairwise"),
        ("leer.yaml", 1, 1, "rated-nothing"),
    }
    messages = " ".join(p["message"] for p in json.loads(result.stdout)["problems"])
    assert "did you mean 'e-akte'" in messages
    assert "did you mean 'citizen_value'" in messages
    assert "7 is outside the scale 1–5 of risk" in messages
    # the ranking refuses the broken data and changes nothing
    assert cli("prioritize", "-d", workshop).exit_code == 1


def test_an_inconsistent_rater_is_a_warning_naming_the_rater(cli: Cli, workshop: Path) -> None:
    path = workshop / "ratings" / "amt-33.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "citizen_value: {efficiency: 3, legal_obligation: 2,",
            "citizen_value: {efficiency: 9, legal_obligation: 1/9,",
        ).replace("1/9", "0.111")
    )
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("efficiency: {legal_obligation: 1,", "efficiency: {legal_obligation: 9,")
    )
    result = cli("validate", "-d", workshop, "-f", "json")
    assert result.exit_code == 0, result.output
    problems = json.loads(result.stdout)["problems"]
    assert [(p["code"], p["severity"]) for p in problems] == [("inconsistent-rater", "warning")]
    assert "rater amt-33's comparisons are inconsistent" in problems[0]["message"]


def test_without_a_ratings_folder_nothing_changes(cli: Cli, workshop: Path) -> None:
    shutil.rmtree(workshop / "ratings")
    assert cli("validate", "-d", workshop).exit_code == 0
    result = cli("ratings", "-d", workshop, "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["projects"] == []
    assert "no raters' files" in result.stderr


# --------------------------------------------------------------------------- sheets


def test_sheet_edit_import_changes_exactly_the_edited_cells(
    cli: Cli, workshop: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    form = tmp_path / "bewertung.xlsx"
    result = cli("ratings", "sheet", "-d", workshop, "--rater", "amt-33", "--out", form)
    assert result.exit_code == 0, result.output
    book = load_workbook(form)
    sheet = book["Bewertung"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["ID", "Projekt", "Kurzbeschreibung", "Amt"]
    assert headers[4] == "Nutzen für Bürgerinnen, Bürger und Unternehmen"
    assert "citizen_value, 1–5" in sheet.cell(1, 5).comment.text
    rule = sheet.data_validations.dataValidation[0]
    assert (rule.type, rule.formula1) == ("list", "'Listen'!$A$2:$A$6")
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert [c.value for c in rows["e-akte"][4:]] == [3, 4, 4, 4, 3, 4]  # the rater's scores
    rows["e-akte"][5].value = 2  # efficiency 4 → 2
    rows["e-rechnung"][4].value = "5"  # a new score, typed as text
    book.save(form)
    path = workshop / "ratings" / "amt-33.yaml"
    before = path.read_text(encoding="utf-8")
    result = cli("ratings", "import", form, "-d", workshop, "--rater", "amt-33")
    assert result.exit_code == 0, result.output
    assert "updated" in result.stdout and "2 scores" in result.stdout
    after = path.read_text(encoding="utf-8")
    changed = [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=False)
        if old != new
    ]
    assert changed[0] == (
        "  e-akte: {citizen_value: 3, efficiency: 4, legal_obligation: 4, strategic_fit: 4, "
        "sustainability: 3, risk: 4}",
        "  e-akte: {citizen_value: 3, efficiency: 2, legal_obligation: 4, strategic_fit: 4, "
        "sustainability: 3, risk: 4}",
    )
    assert after.startswith("# Amt 33 Bürgerservice\n")  # the comment stays
    ratings = json.loads(cli("ratings", "-d", workshop, "-f", "json").stdout)
    by_id = {p["id"]: p for p in ratings["projects"]}
    assert by_id["e-rechnung"]["criteria"]["citizen_value"]["raters"]["amt-33"] == 5
    again = cli("ratings", "import", form, "-d", workshop, "--rater", "amt-33")
    assert again.exit_code == 0
    assert "nothing changed" in again.stdout
    assert path.read_text(encoding="utf-8") == after


def test_import_creates_a_new_raters_file(cli: Cli, workshop: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    form = tmp_path / "neu.xlsx"
    cli("ratings", "sheet", "-d", workshop, "-r", "amt-50", "-o", form, "--projects", "e-*")
    book = load_workbook(form)
    sheet = book.active
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["e-akte", "e-rechnung"]
    sheet["E2"] = 4
    sheet["J3"] = 2
    book.save(form)
    result = cli("ratings", "import", form, "-d", workshop, "-r", "amt-50")
    assert result.exit_code == 0, result.output
    assert (
        (workshop / "ratings" / "amt-50.yaml")
        .read_text(encoding="utf-8")
        .endswith("scores:\n  e-akte:\n    citizen_value: 4\n  e-rechnung:\n    risk: 2\n")
    )
    assert cli("validate", "-d", workshop).exit_code == 0


def test_a_bad_cell_is_located_and_nothing_is_written(
    cli: Cli, workshop: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    form = tmp_path / "bewertung.xlsx"
    cli("ratings", "sheet", "-d", workshop, "-r", "amt-33", "-o", form)
    book = load_workbook(form)
    sheet = book.active
    sheet["G2"] = 7
    sheet["H3"] = "viel"
    sheet["A4"] = "e-akt"
    book.save(form)
    before = snapshot(workshop)
    result = cli("ratings", "import", form, "-d", workshop, "-r", "amt-33")
    assert result.exit_code == 1
    assert (
        "bewertung.xlsx:2:7: error [score-out-of-scale] Bewertung!G2: '7' is outside the "
        "scale 1–5 of Rechtliche Verpflichtung (OZG, EGovG, Fristen)" in result.stderr
    )
    assert "Bewertung!H3: 'viel' is not a score; write a number from 1 to 5" in result.stderr
    assert "Bewertung!A4: no project 'e-akt' (did you mean 'e-akte'?)" in result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(workshop) == before


@pytest.mark.parametrize(
    "args",
    [
        ("ratings", "sheet", "-r", "Amt 33", "-o", "x.xlsx"),
        ("ratings", "sheet", "-r", "amt-33", "-o", "x.ods"),
        ("ratings", "sheet", "-r", "amt-33", "-o", "x.xlsx", "--projects", "nix-*"),
        ("ratings", "import", "missing.xlsx", "-r", "amt-33"),
    ],
)
def test_usage_errors_exit_2(
    cli: Cli, workshop: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    before = snapshot(workshop)
    result = cli(*[a.replace("x.", f"{tmp_path}/x.") for a in args], "-d", workshop)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert snapshot(workshop) == before


def test_ratings_md_and_a_blank_cell_keeps_the_earlier_score(
    cli: Cli, workshop: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    md = cli("ratings", "-d", workshop, "-f", "md")
    assert md.exit_code == 0
    assert "| e-akte | 77% | 4 | 2 (2–2.25) | 4.5 (3.75–5) |" in md.stdout
    form = tmp_path / "bewertung.xlsx"
    cli("ratings", "sheet", "-d", workshop, "-r", "amt-33", "-o", form, "--projects", "e-akte")
    book = load_workbook(form)
    book.active["E2"] = None
    book.save(form)
    before = snapshot(workshop)
    result = cli("ratings", "import", form, "-d", workshop, "-r", "amt-33")
    assert result.exit_code == 0, result.output
    assert "Bewertung!E2: e-akte.citizen_value is empty; the earlier score 3 stays" in (
        result.stderr
    )
    assert snapshot(workshop) == before
