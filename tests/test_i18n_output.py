"""German documents and prompts say nothing in English; English ones stay English.

The documents follow ``--lang`` (else strategy.yaml's ``language``), terminal prompts
the locale variables. Checked on the example and on a small portfolio built to hit
every reason a plan gives, with hostile titles."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Cli

ROOT = Path(__file__).parents[1]
DATA = ROOT / "data"
TODAY = ("--today", "2026-01-01")
# what an untranslated English message would leave in a German document
ENGLISH_MARKERS = (
    "texts",
    "alike",
    "shared tags",
    "depends on",
    "budget exhausted",
    "not scheduled",
    "Not scheduled",
    "is not eligible",
    ".yaml:",
    "[policy-",
)
HOSTILE_TITLE = "<b>Fett</b> | *Stern* `code` [link](http://x) \\x1b[31mrot"


def hostile_portfolio(root: Path) -> Path:
    """A German portfolio whose plan has every kind of reason: a gate failure, a 'wont',
    a prerequisite that does not fit, exhausted budget, a deadline and milestones."""
    data = root / "data"
    (data / "projects").mkdir(parents=True)
    (data / "strategy.yaml").write_text(
        "organization: Stadt <script>\ntitle: 'Strategie | *x*'\nlanguage: de\n"
        "period: {start: 2026-01-01, end: 2027-12-31}\n"
        "fields:\n  - {id: verwaltung, title: Verwaltung}\n"
        "criteria:\n  - {id: nutzen, title: Nutzen, weight: 1, gate: 2}\n"
        "capacity:\n  - {year: 2026, budget_eur: 100000, staff_fte: 2}\n"
        "  - {year: 2027, budget_eur: 100000, staff_fte: 2}\n",
        encoding="utf-8",
    )
    projects = {
        "teuer": "scores: {nutzen: 5}\neffort: {budget_eur: 900000}\nduration_months: 6\n"
        "deadline: 2027-06-30\nlegal_basis: OZG\n"
        "milestones:\n  - {id: m1, title: 'Start | <i>', due: 2026-06-30, status: late}\n",
        "danach": "scores: {nutzen: 4}\ndepends_on: [schwach]\nduration_months: 6\n",
        "schwach": "scores: {nutzen: 1}\nduration_months: 6\n",
        "abgelehnt": "scores: {nutzen: 5}\ndecision: wont\nduration_months: 6\n",
    }
    for ident, body in projects.items():
        (data / "projects" / f"{ident}.yaml").write_text(
            f"id: {ident}\ntitle: {HOSTILE_TITLE + ' ' + ident!r}\nowner: X\n"
            f"field: verwaltung\n{body}",
            encoding="utf-8",
        )
    return data


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_portfolio(tmp_path_factory.mktemp("hostile"))


def workbook_text(path: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    return "\n".join([*book.sheetnames, *cells])


def documents(cli: Cli, data: Path, tmp_path: Path, lang: str) -> dict[str, str]:
    """Every document of the task in one language: name → text."""
    found = {}
    for name, args in {
        "plan.md": ("plan", "-f", "md", *TODAY),
        "prioritize.md": ("prioritize", "-f", "md"),
        "prioritize-robust.md": ("prioritize", "-f", "md", "-r", "20"),
        "export.ics": ("export", "-f", "ics", *TODAY),
        "export.csv": ("export", "-f", "csv", *TODAY),
    }.items():
        result = cli(*args, "-d", data, "--lang", lang)
        assert result.exit_code == 0, result.output
        found[name] = result.stdout
    if lang == "de":  # bundle has no --lang: the strategy's language (both are German)
        found["bundle.md"] = cli("bundle", "-f", "md", "-d", data).stdout
    book = tmp_path / f"export-{lang}.xlsx"
    result = cli("export", "-f", "xlsx", "-d", data, "--lang", lang, "--out", book, *TODAY)
    assert result.exit_code == 0, result.output
    found["export.xlsx"] = workbook_text(book)
    return found


def english_in(text: str) -> list[str]:
    return [marker for marker in ENGLISH_MARKERS if marker in text]


@pytest.mark.parametrize("which", ["example", "hostile"])
def test_german_documents_have_no_english(
    cli: Cli, tmp_path: Path, hostile: Path, which: str
) -> None:
    data = DATA if which == "example" else hostile
    found = documents(cli, data, tmp_path, "de")
    assert {name: english_in(text) for name, text in found.items() if english_in(text)} == {}
    assert "Nicht eingeplant" in found["plan.md"]
    assert "| Nr. | ID | Titel | Handlungsfeld | Status | Entscheidung |" in found["prioritize.md"]
    assert "Meilenstein (" in found["export.ics"] and "Rangfolge" in found["export.xlsx"]
    if which == "hostile":
        plan = found["plan.md"]
        assert "- schwach: Mindestanforderung nicht erfüllt: nutzen 1 liegt unter" in plan
        assert "- abgelehnt: Beschluss: wird nicht umgesetzt" in plan
        assert "- danach: hängt ab von nicht eingeplanten Projekten: schwach" in plan
        # placed after the period, and why the period has no room for it
        assert "Budget 2026 und 2027 reicht nicht: 900.000\u00a0€" in found["export.csv"]
        assert "Frist: " in found["export.ics"] and "verspätet" in found["export.xlsx"]


def test_english_documents_stay_english(cli: Cli, tmp_path: Path, hostile: Path) -> None:
    found = documents(cli, hostile, tmp_path, "en")
    plan = found["plan.md"]
    assert "**Not scheduled**" in plan and "- abgelehnt: decided 'wont'" in plan
    assert "- danach: depends on unscheduled schwach" in plan
    assert "budget exhausted in 2026 and 2027: its 900,000 EUR" in found["export.csv"]
    assert "| # | id | title | field | status | band |" in found["prioritize.md"]
    assert "Milestone (late) of" in found["export.ics"]
    assert found["export.csv"].startswith("id,title,field,")
    assert "Ranking" in found["export.xlsx"] and "Milestone" in found["export.xlsx"]
    for german in ("Nicht eingeplant", "Meilenstein", "reicht nicht", "Rangfolge"):
        assert all(german not in text for text in found.values()), german


def test_strategy_language_is_the_default(cli: Cli, hostile: Path) -> None:
    """No --lang: the German strategy's language; JSON never changes with it."""
    assert "Nicht eingeplant" in cli("plan", "-f", "md", "-d", hostile, *TODAY).stdout
    german = cli("plan", "-f", "json", "-d", hostile, *TODAY, "--lang", "de").stdout
    english = cli("plan", "-f", "json", "-d", hostile, *TODAY, "--lang", "en").stdout
    assert german == english and "depends on unscheduled" in german
    wrong = cli("plan", "-f", "md", "-d", hostile, "--lang", "fr")
    assert wrong.exit_code == 2 and "use de or en" in wrong.output


def prompts_of_new(cli: Cli, data: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """What `roadmap new` asks and says at a terminal (``new`` sees a terminal; the
    answers come from the test's standard input)."""
    from types import SimpleNamespace

    terminal = SimpleNamespace(stdin=SimpleNamespace(isatty=lambda: True))
    monkeypatch.setattr("roadmap.cli.edit.sys", terminal)
    result = cli(
        "new", "neues-portal", "-d", data, "--dry-run", input="Neues Portal\n\nA. B.\nAmt 1\n"
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_new_asks_in_the_terminal_language(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    german = prompts_of_new(cli, data, monkeypatch)
    assert "Titel: " in german and "Handlungsfeld (" in german
    assert "Verantwortlich (Person): " in german and "Amt: " in german
    assert english_in(german.replace(".yaml", "")) == []
    monkeypatch.setenv("LANG", "C.UTF-8")
    english = prompts_of_new(cli, data, monkeypatch)
    assert "Title: " in english and "Field of action (" in english and "Titel:" not in english
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.setenv("LANGUAGE", "de:en")  # LANGUAGE comes first (but not under C)
    assert "Titel: " in prompts_of_new(cli, data, monkeypatch)


def test_terminal_tables_follow_the_locale(
    cli: Cli, hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tables are for the person at the terminal: LANG decides, --lang overrides."""
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    plan = cli("plan", "-d", hostile, *TODAY).stdout
    ranking = cli("prioritize", "-d", hostile).stdout
    # a warning names its file and line for the editor (as validate does)
    assert english_in(plan.split("Warnung:")[0]) == [] and english_in(ranking) == []
    assert "nicht eingeplant (3):" in plan and "Kapazität je Jahr" in plan
    assert "  danach: hängt ab von nicht eingeplanten Projekten: schwach" in plan
    assert ranking.startswith("Verfahren weighted_sum; Gewichte (vorgegeben): nutzen 1,00")
    assert "schwach: Mindestanforderung nicht erfüllt: nutzen 1 liegt unter" in ranking
    english = cli("plan", "-d", hostile, *TODAY, "--lang", "en").stdout
    assert "not scheduled (3):" in english and "capacity per year" in english
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert "not scheduled (3):" in cli("plan", "-d", hostile, *TODAY).stdout
    assert (
        "is not eligible: nutzen 1 is below its gate 2" in cli("prioritize", "-d", hostile).stdout
    )


def minimal_with(tmp_path: Path, **files: str) -> Path:
    """A copy of the minimal portfolio with these project files (name without .yaml)."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(ROOT / "tests" / "cases" / "valid" / "minimal", data)
    for name, text in files.items():
        (data / "projects" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return data


def test_validate_speaks_the_terminal_language_and_json_stays(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    data = minimal_with(
        tmp_path,
        portal="id: portal\ntitle: Portal\nfield: verwaltung\ncitizen_facing: true\n"
        "personal_data: true\nscores: {nutzen: 3}\n",
    )
    english_json = cli("validate", "-d", data, "-f", "json").stdout
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    table = cli("validate", "-d", data).stdout
    assert (
        "Warnung [policy-accessibility] ein bürgernahes Projekt muss die Barrierefreiheit" in table
    )
    assert "keine verantwortliche Person genannt; ergänzen Sie owner:" in table
    assert table.rstrip().endswith("0 Fehler, 5 Warnungen in 3 Dateien")
    text = cli("validate", "-d", data, "-f", "text").stdout
    assert "portal.yaml:4:1: Warnung [policy-accessibility] ein bürgernahes" in text
    german_json = cli("validate", "-d", data, "-f", "json").stdout
    assert german_json == english_json
    assert "a citizen-facing project must state accessibility" in german_json
    messages = [p["message"] for p in json.loads(german_json)["problems"]]
    assert all("Projekt" not in m for m in messages)


def test_new_writes_its_comments_in_the_portfolios_language(cli: Cli, tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    german = cli("new", "neu", "--title", "Neu", "-d", data, "--dry-run", "--yes").stdout
    assert "# summary: Ein Satz, was das Projekt für wen erreicht." in german
    assert "# scores:   (bitte bewerten)" in german and "please" not in german
    strategy = data / "strategy.yaml"
    strategy.write_text(
        strategy.read_text(encoding="utf-8").replace("language: de", "language: en"),
        encoding="utf-8",
    )
    english = cli("new", "neu", "--title", "Neu", "-d", data, "--dry-run", "--yes").stdout
    assert "# summary: One sentence: what the project achieves for whom." in english
    assert "# scores:   (please rate)" in english
    assert '# open_source: true     (or {value: false, reason: "…"})' in english
    assert "Ausschuss" not in english and "bewerten" not in english


def test_wrong_usage_is_explained_in_the_terminal_language(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    english = cli("prioritize", "-d", DATA, "--field", "verwaltng")
    assert english.exit_code == 2 and "no such field of action (did you mean" in english.output
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    german = cli("prioritize", "-d", DATA, "--field", "verwaltng")
    assert german.exit_code == 2
    assert "--field verwaltng: kein solches Handlungsfeld (meinten Sie 'verwaltung'?)" in (
        german.output
    )
    assert (
        "kein Projekt 'e-akt' (meinten Sie 'e-akte'?)" in cli("explain", "e-akt", "-d", DATA).output
    )


def test_schema_and_syntax_problems_speak_german_from_a_warm_cache_too(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What an analyst sees first after editing a file by hand: a wrong status, a number
    as a spreadsheet writes it, a misspelt key and a broken quote, in the terminal's
    language on the first run and on the second (from the cache); JSON stays English."""
    import json

    data = minimal_with(
        tmp_path,
        portal="id: portal\ntitel: Portal\ntitle: Portal\nfield: verwaltung\nstatus: läuft\n"
        "end: 2026-03-31\neffort: {budget_eur: '1.200.000,50 €'}\nscores: {nutzen: 3}\n",
        kaputt='id: kaputt\ntitle: "Kaputt\n',
    )
    english = json.loads(cli("validate", "-d", data, "-f", "json", "--today", "2026-11-30").stdout)
    messages = {p["code"]: p["message"] for p in english["problems"]}
    assert messages["wrong-type"] == (
        "effort.budget_eur: expected number, got '1.200.000,50 €' (text); "
        "write it as a plain number: 1200000.5"
    )
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    for run in ("cold", "warm"):
        table = cli("validate", "-d", data, "--today", "2026-11-30").stdout
        assert (
            "Fehler [invalid-value] status: 'läuft' ist nicht erlaubt (meinten Sie "
            "'in_progress'?); verwenden Sie einen dieser Werte: idea, proposed" in table
        ), run
        assert (
            "effort.budget_eur: erwartet wird eine Zahl, angegeben ist '1.200.000,50 €' "
            "(ein Text); schreiben Sie eine einfache Zahl mit Punkt als Dezimalzeichen: "
            "1200000.5" in table
        ), run
        assert "unbekannter Schlüssel 'titel' (meinten Sie 'title'?)" in table, run
        assert (
            "ungültiges YAML: beim Lesen eines Textes in Anführungszeichen: unerwartetes "
            "Ende der Datei" in table
        ), run
        # the status could not be read: no project is judged by a status it does not have
        assert "stale-end" not in table, run
    german = json.loads(cli("validate", "-d", data, "-f", "json", "--today", "2026-11-30").stdout)
    assert german == english


def test_validate_lang_overrides_the_locale(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = minimal_with(
        tmp_path, portal="id: portal\ntitle: Portal\nfield: verwaltung\nstatus: läuft\n"
    )
    german = cli("validate", "-d", data, "--lang", "de")
    assert german.exit_code == 1
    assert german.stdout.rstrip().endswith("1 Fehler, 0 Warnungen in 3 Dateien")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    english = cli("validate", "-d", data, "--lang", "en", "-f", "text")
    assert "error [invalid-value] status: 'läuft' is not allowed" in english.stdout
    wrong = cli("validate", "-d", data, "--lang", "fr")
    assert wrong.exit_code == 2 and "--lang fr: de oder en angeben" in wrong.stderr


def test_explain_names_the_method_and_writes_numbers_in_the_language(cli: Cli) -> None:
    example = ROOT / "examples" / "ueberbucht"
    german = cli("explain", "e-akte", "-d", example, "--lang", "de").stdout
    assert "Rang 2 von 25 nach gewichteter Summe: 78,1 Punkte" in german
    assert "nutzen von 2 auf 4,68 (vor buergerportal)" in german
    english = cli("explain", "e-akte", "-d", example, "--lang", "en").stdout
    assert "rank 2 of 25 by weighted sum: score 78.1" in english
    assert "nutzen from 2 to 4.68 (above buergerportal)" in english


def test_validate_says_what_a_spreadsheet_word_means(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A status as the import reads it ("läuft"), a German date, an unclosed quote: the
    message gives the value to write, and the quote's own line and column."""
    data = minimal_with(
        tmp_path,
        portal="id: portal\ntitle: Portal\nfield: verwaltung\nstatus: genehmigt\n"
        "decision: muss\nend: 31.3.27\n"
        "milestones:\n  - {id: m, title: M, due: 2027-01-01, status: geplant}\n",
        kaputt='id: kaputt\ntitle: Kaputt\nsummary: "nie zu\nowner: A. B.\n',
    )
    text = cli("validate", "-d", data, "-f", "text").stdout
    assert "status: 'genehmigt' is not allowed (did you mean 'approved'?); use one of:" in text
    assert "decision: 'muss' is not allowed (did you mean 'must'?); use one of:" in text
    assert "got '31.3.27'; write 2027-03-31" in text
    # a milestone's status has values of its own: no project status is suggested
    assert "milestones.0.status: 'geplant' is not allowed; use one of: planned" in text
    assert (
        "kaputt.yaml:3:10: error [yaml-syntax] invalid YAML: while scanning a quoted scalar "
        "found unexpected end of stream; close the quote that starts here" in text
    )
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    german = cli("validate", "-d", data, "-f", "text").stdout
    assert "status: 'genehmigt' ist nicht erlaubt (meinten Sie 'approved'?)" in german
    assert "angegeben ist '31.3.27'; schreiben Sie 2027-03-31" in german
    assert "schließen Sie das Anführungszeichen, das hier beginnt" in german


def test_a_file_with_an_error_keeps_the_staleness_checks_its_status_allows(
    cli: Cli, tmp_path: Path
) -> None:
    """A partial model (an unknown key elsewhere in the file) still gets its overdue
    milestone and, with no status written (an idea), its stale end; a status that could
    not be read is not judged by the default in its place; cold and from the cache."""
    milestone = "milestones:\n  - {id: start, title: Start, due: 2026-02-01}\n"
    data = minimal_with(
        tmp_path,
        ohne="id: ohne\ntitle: Ohne\nfield: verwaltung\nend: 2026-03-31\ntitel: x\n" + milestone,
        falsch="id: falsch\ntitle: Falsch\nfield: verwaltung\nstatus: läuft\nend: 2026-03-31\n"
        + milestone,
    )
    for run in ("cold", "warm"):
        text = cli("validate", "-d", data, "-f", "text", "--today", "2026-11-30").stdout
        found = {(line.split(":")[0].rsplit("/", 1)[-1], line.split("[")[1].split("]")[0])
                 for line in text.splitlines() if "[" in line}  # fmt: skip
        assert {("ohne.yaml", "stale-end"), ("ohne.yaml", "milestone-overdue")} <= found, run
        assert ("falsch.yaml", "milestone-overdue") in found, run
        assert ("falsch.yaml", "stale-end") not in found, run


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("1.200.000,50 €", "; write it as a plain number: 1200000.5"),
        ("12,5", "; write it as a plain number: 12.5"),
        ("1 200 000", "; write it as a plain number: 1200000"),
        ("480000", "; write it as a plain number: 480000"),
        ("0.125", ""),  # a group after a leading 0 is no thousands group
        ("250,000 EUR", ""),  # a quarter million in English, 250 in German
        ("1,200", ""),
        ("abc", ""),
    ],
)
def test_the_plain_number_hint_never_guesses(written: str, hint: str) -> None:
    from roadmap.load.validate import _plain_number_hint

    assert str(_plain_number_hint(written)) == hint


def new_portfolio_and_sheet(cli: Cli, tmp_path: Path, csv: str) -> tuple[Path, Path]:
    """A portfolio just made with ``init`` (German) and a CSV sheet to import into it."""
    data = tmp_path / "stadt"
    assert cli("init", data, "--lang", "de").exit_code == 0
    sheet = tmp_path / "liste.csv"
    sheet.write_text(csv, encoding="utf-8")
    return data, sheet


def test_import_names_bad_cells_in_the_terminal_language(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import is where an Excel list meets the tool: every cell it cannot read is
    named with what to write, in German for a German terminal."""
    data, sheet = new_portfolio_and_sheet(
        cli,
        tmp_path,
        "Projekt;Status;Budget (EUR);Beginn;Bürgernah\n"
        "E-Akte;irgendwie;abc;31.02.2026;vielleicht\n",
    )
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    result = cli("import", sheet, "--data", data, "--yes")
    assert result.exit_code == 1
    assert (
        "B2: 'irgendwie' ist kein gültiger Wert für den Status; schreiben Sie einen dieser "
        "Werte: Idee, vorgeschlagen, beschlossen, in Umsetzung, pausiert, abgeschlossen, "
        "abgebrochen, oder ordnen Sie ihn in --mapping zu (values:)" in result.output
    )
    assert "C2: 'abc' ist kein Betrag; schreiben Sie 1400000 oder 1.400.000,00" in result.output
    assert "D2: '31.02.2026' ist kein Kalendertag; prüfen Sie Tag und Monat" in result.output
    assert "E2: 'vielleicht' ist weder ja noch nein; schreiben Sie ja oder nein" in result.output
    monkeypatch.setenv("LANG", "C.UTF-8")
    english = cli("import", sheet, "--data", data, "--yes").output
    assert "C2: 'abc' is not an amount; write 1400000 or 1.400.000,00" in english


def test_a_problem_in_a_file_the_import_would_write_names_the_sheets_row(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, sheet = new_portfolio_and_sheet(
        cli,
        tmp_path,
        "Projekt;Status;Beginn;Ende\nPortal;Idee;01.01.2027;31.12.2027\n"
        "E-Akte;Idee;01.07.2027;30.06.2027\n",
    )
    for folder in (data, Path(".")):  # the data folder as given: also "." inside it
        monkeypatch.chdir(data if folder == Path(".") else tmp_path)
        result = cli("import", sheet, "--data", folder, "--yes")
        assert result.exit_code == 1
        assert "e-akte.yaml:" in result.output and "[end-before-start]" in result.output
        assert "(liste.csv, row 3)" in result.output, folder
        assert not (data / "projects" / "e-akte.yaml").exists()
