"""German output words the plan's and the ranking's notes, the plan's findings,
explain's sentences and validate's problems from the catalogs: none of the English
wording is left (issue 15), while JSON keeps the English message word for word.

Checked on the overbooked example, the shipped data and a portfolio built to give
every note and finding a plan and a ranking have."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Cli
from .test_i18n_output import ENGLISH_MARKERS, hostile_portfolio

ROOT = Path(__file__).parents[1]
TODAY = ("--today", "2026-06-01")
# what the English wording of a note, finding, reason or problem would leave
NOTE_MARKERS = (
    "placed after the period",
    "although its prerequisite",
    "taken as wishes",
    "already need",
    "already spend",
    "more than its budget",
    "days after its deadline",
    "is missed",
    "planned with",
    "as if free",
    "on hold that had begun",
    "missing scores",
    "counted as",
    "runs until",
    "the period has no room",
    "is ranked first",
    "above it",
    "did you mean",
    "has passed",
    "was last measured",
    "an estimate is missing",
    "is still planned",
    "no score for",
    "no project",
    "staff-years",
    "is more than budget_eur",
    "after the target date",
    "years after the strategy's period",
)
# the report and Markdown documents also name no file and no rule
DOCUMENT_MARKERS = NOTE_MARKERS + ENGLISH_MARKERS


def project(ident: str, body: str) -> str:
    return f"id: {ident}\ntitle: Projekt {ident}\nowner: X\nfield: verwaltung\n{body}"


def notes_portfolio(root: Path) -> Path:
    """A German portfolio whose plan has every note and finding: an assumed duration,
    missing effort, projects after the period, a moved wish, a resumed project, a
    commitment before its prerequisite ends, commitments over budget and staff, a
    missed deadline (planned late and not planned), a dependant with no room after its
    prerequisite; and whose ranking notes missing scores."""
    data = root / "data"
    (data / "projects").mkdir(parents=True)
    (data / "strategy.yaml").write_text(
        "organization: Stadt\ntitle: Strategie\nlanguage: de\n"
        "period: {start: 2026-01-01, end: 2027-12-31}\n"
        "fields:\n  - {id: verwaltung, title: Verwaltung}\n"
        "criteria:\n  - {id: nutzen, title: Nutzen, weight: 2, gate: 2}\n"
        "  - {id: wirkung, title: Wirkung, weight: 1}\n"
        "capacity:\n  - {year: 2026, budget_eur: 200000, staff_fte: 2}\n"
        "  - {year: 2027, budget_eur: 200000, staff_fte: 2}\n",
        encoding="utf-8",
    )
    projects = {
        # commitments: over budget and staff, one before its prerequisite ends
        "basis": "status: in_progress\nstart: 2026-01-01\nend: 2026-12-31\n"
        "effort: {budget_eur: 400000, staff_fte: 3}\nscores: {nutzen: 5, wirkung: 5}\n",
        "frueh": "status: approved\nstart: 2026-07-01\nend: 2026-12-31\n"
        "effort: {budget_eur: 10000, staff_fte: 0.5}\ndepends_on: [basis]\n"
        "scores: {nutzen: 5, wirkung: 4}\n",
        # after the period for budget, with a deadline it misses
        "teuer": "status: proposed\nduration_months: 6\neffort: {budget_eur: 900000}\n"
        "deadline: 2027-06-30\nscores: {nutzen: 4, wirkung: 4}\n",
        # a dependant that alone would fit
        "folge": "status: idea\nduration_months: 6\neffort: {budget_eur: 1000}\n"
        "depends_on: [teuer]\nscores: {nutzen: 4, wirkung: 3}\n",
        # a wish moved: it wanted to start before its prerequisite ends
        "wunsch": "status: proposed\nstart: 2026-08-01\nend: 2026-10-31\n"
        "effort: {budget_eur: 1000}\ndepends_on: [basis]\nscores: {nutzen: 3, wirkung: 3}\n",
        # no dates, no duration, no effort, a missing score
        "ohne": "status: idea\nscores: {nutzen: 3}\n",
        # on hold and begun before today
        "pause": "status: on_hold\nstart: 2025-06-01\nend: 2026-03-31\n"
        "effort: {budget_eur: 1000}\nscores: {nutzen: 3, wirkung: 2}\n",
        # below the gate, with a deadline: not planned
        "schwach": "status: idea\nduration_months: 3\ndeadline: 2027-01-31\n"
        "effort: {budget_eur: 1000}\nscores: {nutzen: 1, wirkung: 5}\n",
    }
    # spent more than its budget; a KPI measured after its target date and one far out
    projects["ueber"] = (
        "status: done\nstart: 2025-01-01\nend: 2025-06-30\n"
        "effort: {budget_eur: 1000, spent_eur: 2000}\nscores: {nutzen: 3, wirkung: 3}\n"
        "kpis:\n  - {id: k1, title: K, unit: '%', direction: increase,\n"
        "     baseline: {value: 1, date: 2026-01-01}, target: {value: 5, date: 2026-03-31},\n"
        "     measurements: [{date: 2026-05-01, value: 2}, {date: 2226-05-01, value: 3}]}\n"
    )
    for ident, body in projects.items():
        (data / "projects" / f"{ident}.yaml").write_text(project(ident, body), encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def portfolios(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("notes")
    return {
        "ueberbucht": ROOT / "examples" / "ueberbucht",
        "data": ROOT / "data",
        "hostile": hostile_portfolio(root / "hostile"),
        "notes": notes_portfolio(root / "notes"),
    }


def german_outputs(cli: Cli, data: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """plan, prioritize and explain as Markdown and for the terminal, the report in
    Markdown and HTML, and validate's table: each in German."""
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    found = {}
    for name, args in {
        "plan.md": ("plan", "-f", "md", "--lang", "de", *TODAY),
        "plan": ("plan", "--lang", "de", *TODAY),
        "prioritize.md": ("prioritize", "-f", "md", "--lang", "de"),
        "prioritize": ("prioritize", "--lang", "de"),
        "report.md": ("report", "-f", "md", "--lang", "de", *TODAY),
        "report.html": ("report", "-f", "html", "--lang", "de", *TODAY),
    }.items():
        result = cli(*args, "-d", data)
        assert result.exit_code == 0, (name, result.output)
        found[name] = result.stdout
    ranking = json.loads(cli("prioritize", "-f", "json", "-d", data).stdout)["projects"]
    # the first (no lever: it is first) and a few more
    for item in ranking[:4]:
        result = cli("explain", item["id"], "-d", data)
        assert result.exit_code == 0, result.output
        found[f"explain {item['id']}"] = result.stdout
    result = cli("validate", "-d", data, *TODAY)
    found["validate"] = result.stdout
    return found


def english_in(text: str, markers: tuple[str, ...]) -> list[str]:
    return [marker for marker in markers if marker in text]


@pytest.mark.parametrize("which", ["ueberbucht", "data", "hostile", "notes"])
def test_german_output_has_no_english_notes_or_findings(
    cli: Cli, portfolios: dict[str, Path], monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    found = german_outputs(cli, portfolios[which], monkeypatch)
    english = {
        name: english_in(text, DOCUMENT_MARKERS if "." in name else NOTE_MARKERS)
        for name, text in found.items()
    }
    assert {name: markers for name, markers in english.items() if markers} == {}


def test_every_note_and_finding_is_worded_in_german(
    cli: Cli, portfolios: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The notes portfolio gives each note and finding: the German words are there,
    numbers and dates written as German writes them."""
    data = portfolios["notes"]
    found = german_outputs(cli, data, monkeypatch)
    plan = found["plan.md"]
    for german in (
        "nach dem Zeitraum eingeplant (im Zeitraum ist kein Platz für sie",
        "teuer ab Januar 2028; folge ab Juli 2028",
        "2 Starttermine nicht zugesagter Projekte (nicht in Umsetzung, beschlossen oder "
        "fixed: true) als Wunsch behandelt und verschoben: pause und wunsch",
        "1 Projekt ohne Termine oder duration\\_months mit 12 Monaten geplant: ohne",
        "bei 1 Projekt, als kostenlos geplant: ohne",
        "1 pausiertes, schon begonnenes Projekt wieder",
        "behält den Start 01.07.2026, obwohl die Voraussetzung basis bis 31.12.2026 läuft",
        "Projekte mit festen Terminen geben 2026 schon 410.000 EUR aus, mehr als das Budget "
        "von 200.000 EUR",
        "Projekte mit festen Terminen brauchen im Juli 2026 schon 3,5 VZÄ gleichzeitig",
        "Tage nach der Frist 30.06.2027",
        "nicht eingeplant (Mindestanforderung nicht erfüllt",
        "die Frist 31.01.2027 wird verfehlt",
    ):
        assert german in plan, german
    report = found["report.md"]
    # the council reads titles and month names, no ids or ISO months (fourth trial)
    assert (
        "die Voraussetzung Projekt teuer läuft bis Juni 2028; danach ist im Zeitraum kein Platz"
    ) in report
    assert (
        "1 Projekt mit fehlenden Bewertungen, gezählt als schlechtester Wert"
        in (found["prioritize.md"])
    )
    first = next(text for name, text in found.items() if name.startswith("explain "))
    assert "es steht schon an erster Stelle" in first
    assert "keine Schätzung" not in found["validate"]
    assert "kein Budget und kein Personal: eine Schätzung fehlt" in found["validate"]


def test_the_newer_problems_are_german_too(
    cli: Cli, portfolios: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # review of round 3: these were f-strings, English in a German validate
    validate = german_outputs(cli, portfolios["notes"], monkeypatch)["validate"]
    flat = " ".join(validate.split())
    for german in (
        "spent_eur 2.000 ist mehr als budget_eur 1.000",
        "2 Messwerte (der erste vom 01.05.2026) liegen nach dem Zieldatum 31.03.2026",
        "liegt mehr als 100 Jahre nach dem Zeitraum der Strategie",
    ):
        assert german in flat, german


def test_json_keeps_the_english_messages(
    cli: Cli, portfolios: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Notes and warnings are worded only at the edge: JSON is English in any language,
    the same text as ever."""
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    data = portfolios["notes"]
    german = cli("plan", "-f", "json", "-d", data, *TODAY, "--lang", "de").stdout
    assert german == cli("plan", "-f", "json", "-d", data, *TODAY, "--lang", "en").stdout
    document = json.loads(german)
    assert (
        "2 start dates of projects that are not committed (not in progress, approved or "
        "fixed: true) taken as wishes and moved: pause, wunsch"
    ) in document["notes"]
    assert any(
        w["message"]
        == "projects with fixed dates already spend 410,000 EUR in 2026, more than its "
        "budget of 200,000 EUR"
        for w in document["warnings"]
    )
    folge = next(p for p in document["projects"] if p["id"] == "folge")
    assert folge["after_period_code"] == "prerequisite-late"


def test_validate_is_german_on_a_warm_cache_too(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache keeps a problem's code and parameters, not only its English text."""
    data = notes_portfolio(tmp_path)
    (data / "projects" / "tippfehler.yaml").write_text(
        project("tippfehler", "depends_on: [basiss]\nscores: {nutzen: 3, wirkung: 3}\n"),
        encoding="utf-8",
    )
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    runs = [cli("validate", "-d", data, *TODAY) for _ in range(2)]
    assert runs[0].stdout == runs[1].stdout
    assert "depends_on[0]: kein Projekt 'basiss' (meinten Sie 'basis'?)" in runs[1].stdout
    assert english_in(runs[1].stdout, NOTE_MARKERS) == []


def test_the_german_plan_summary_writes_german_dates_and_numbers(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fourth trial: "Plan von 2026-12-01 bis …; Untergrenze 84.0 Monate (Verhältnis 1.16)"
    monkeypatch.setenv("COLUMNS", "200")
    args = ("plan", "-d", ROOT / "examples" / "ueberbucht", "--today", "2026-11-30")
    german = " ".join(cli(*args, "--lang", "de").stdout.split())
    assert "Plan von 01.12.2026 bis 30.06.2031: 55 Monate; Untergrenze 49,0 Monate" in german
    assert "(49,0 Monate)" in german
    english = " ".join(cli(*args, "--lang", "en").stdout.split())
    assert "plan from 2026-12-01 to 2031-06-30: 55 months; lower bound 49.0 months" in english


def test_bundle_and_explain_take_lang_like_their_neighbours(cli: Cli) -> None:
    # fourth trial: "No such option: --lang" on bundle and explain
    german = cli("bundle", "-d", ROOT / "data", "--lang", "de")
    assert german.exit_code == 0 and "Bündelungsvorschläge" in german.stdout
    english = cli("bundle", "-d", ROOT / "data", "--lang", "en")
    assert "Bündelungsvorschläge" not in english.stdout
    explained = cli("explain", "e-akte", "-d", ROOT / "data", "--lang", "de", "-r", "0")
    assert explained.exit_code == 0 and "Kriterium" in explained.stdout


def test_what_rounds_to_zero_is_written_as_zero() -> None:
    # second trial of round 3: "-0,00" free staff in plan, "-0,0" in the report
    from roadmap.present.i18n import number
    from roadmap.present.report_local import Local

    assert number(-0.0001, "de", 2) == "0,00" and number(-0.01, "de", 2) == "-0,01"
    assert Local("de").number(-0.04, 1) == "0,0" and Local("de").number(-0.2, 1) == "-0,2"


def test_optimize_names_a_commitment_by_its_german_status(cli: Cli) -> None:
    # second trial of round 3: "pausieren (zugesagt: approved mit Terminen)"
    args = ("optimize", "-d", ROOT / "examples" / "ueberbucht", "--today", "2026-11-30")
    german = cli(*args, "--lang", "de", "-f", "md").stdout
    assert "zugesagt: beschlossen mit Terminen" in german and "approved mit" not in german
