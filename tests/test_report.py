"""The committee's Markdown roadmap: golden files of the example portfolio, escaping of
hostile data, the template sandbox."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from .conftest import ROOT, Cli, example_with_title

GOLDEN = Path(__file__).parent / "golden"
FIXED = ["--today", "2026-11-21", "--period", "2026-Q4"]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_report_matches_golden_file(cli: Cli, lang: str, golden: Any) -> None:
    """Any change of the rendered roadmap shows as a diff of tests/golden/ in review;
    regenerate with `pytest --update-golden`."""
    result = cli("report", "-d", str(ROOT / "data"), "--lang", lang, *FIXED)
    assert result.exit_code == 0, result.output
    golden(f"roadmap.{lang}.md", result.stdout)


def test_report_formats_dates_and_amounts_per_language() -> None:
    de = (GOLDEN / "roadmap.de.md").read_text(encoding="utf-8")
    en = (GOLDEN / "roadmap.en.md").read_text(encoding="utf-8")
    # Babel: a no-break space before €
    assert "| 2024 | 1.400.000\u00a0€ |" in de
    assert "Planungszeitraum 01.01.2024 – 31.12.2030" in de
    assert "| 2024 | €1,400,000 |" in en and "Planning period 1 Jan 2024 – 31 Dec 2030" in en
    assert "⚠ gefährdet" in de and "⚠ at risk" in en  # status as symbol and text
    # behind with the target date years away: not on track; with it passed: missed
    assert "✘ nicht auf Kurs: Arbeitsplätze mit E-Akte — 36 % (30.06.2026), Ziel 100 % " in de
    assert "✘ verfehlt: Besetzte Stellen der Digitalagentur — 11 Stellen (31.12.2025)" in de
    assert "| ✘ missed | Besetzte Stellen der Digitalagentur (Stellen) |" in en
    assert "| Blockchain-Pilot für Verwaltungsabläufe | pausiert | wird nicht umgesetzt |" in de
    assert "| 41 | Online-Fundbüro | Idee | Mindestanforderung nicht erfüllt |" in de


def test_hostile_titles_stay_text_and_keep_tables_intact(cli: Cli, tmp_path: Path) -> None:
    data = example_with_title(tmp_path, '"Wohnsitz | <script>alert(1)</script>\\nzweite Zeile"')
    md = cli("report", "-d", str(data), *FIXED).stdout
    tokens = MarkdownIt().enable("table").parse(md)
    # the ranking table (after the summary's and the overview's): a header and 15 rows,
    # each with eight cells
    tables = [i for i, t in enumerate(tokens) if t.type == "table_open"]
    ranking = tokens[tables[3] :]
    rows, cells, row_cells = 0, [], 0
    for token in ranking:
        if token.type == "tr_open":
            row_cells = 0
        elif token.type in ("td_open", "th_open"):
            row_cells += 1
        elif token.type == "tr_close":
            rows += 1
            cells.append(row_cells)
        elif token.type == "table_close":
            break
    assert rows == 16 and set(cells) == {8}
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "Wohnsitz \\| &lt;script&gt;alert(1)&lt;/script&gt; zweite Zeile" in md


def test_template_sandbox_and_errors(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    evil = tmp_path / "evil.md.j2"
    evil.write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    result = cli("report", "-d", str(ROOT / "data"), "--template", str(evil), "--out", str(out))
    assert result.exit_code == 1
    assert "evil.md.j2:1: the sandbox refuses this: access to attribute '__class__'" in (
        result.stderr
    )
    broken = tmp_path / "broken.md.j2"
    broken.write_text("# {{ title }}\n{% for x in %}\n", encoding="utf-8")
    result = cli("report", "-d", str(ROOT / "data"), "--template", str(broken), "--out", str(out))
    assert result.exit_code == 1 and "broken.md.j2:2: syntax error" in result.stderr
    assert not out.exists()  # nothing written on error
    own = tmp_path / "own.md.j2"
    own.write_text("{{ organization }}: {{ top|length }} / {{ open_total }}\n", encoding="utf-8")
    result = cli("report", "-d", str(ROOT / "data"), "--template", str(own))
    assert result.stdout == "Landeshauptstadt Düsseldorf: 15 / 41\n"


def test_bad_period_is_a_usage_error(cli: Cli) -> None:
    result = cli("report", "-d", str(ROOT / "data"), "--period", "2026-3")
    assert result.exit_code == 2 and "expected a quarter such as 2026-Q3" in result.output


def test_every_reason_for_not_planning_reads_in_german_and_english() -> None:
    import datetime as dt

    from roadmap.model import Project
    from roadmap.present.texts import why_text
    from roadmap.schedule import REASONS, Unscheduled, Why

    from .test_schedule import portfolio as make_portfolio

    data = make_portfolio([{"id": "pp", "scores": {"nutzen": 1}}])
    params = {
        "not-eligible": {"failures": ["nutzen 1 is below its gate 2"]},
        "wont": {},
        "depends-on-unscheduled": {"ids": ["a", "b"]},
        "too-long": {"months": 96, "period": 84},
        "past-period-end": {"end": dt.date(2030, 12, 31), "months": 12, "start": "2030-06"},
        "staff": {"years": [2027], "fte": 1.5, "months": 12},
        "budget": {"years": [2027, 2028, 2029], "budget": 900_000.0},
        "prerequisite-late": {"ids": ["a"], "until": "2029-06", "months": 6},
        "staff-and-budget": {},
    }
    assert params.keys() == REASONS.keys()
    project: Project = data.projects["pp"]
    texts = {
        code: (
            why_text(Unscheduled(project, Why(code, p)), data, "de"),
            Unscheduled(project, Why(code, p)).reason,
        )
        for code, p in params.items()
    }
    assert texts["budget"] == (
        "Budget 2027, 2028 und 2029 reicht nicht: 900.000\u00a0€ (samt etwaiger laufender Kosten) "
        "passen nie hinein",
        "budget exhausted in 2027, 2028 and 2029: its 900,000 EUR (and running costs) never fit",
    )
    assert (
        texts["staff"][0] == "Personal 2027 reicht nicht: 1,5 VZÄ sind nie 12 Monate am Stück frei"
    )
    assert texts["past-period-end"][0].startswith(
        "passt nicht mehr in den Planungszeitraum (bis 31.12.2030)"
    )
    for german, english in texts.values():
        assert "{" not in german and "{" not in english


@pytest.mark.parametrize("lang", ["de", "en"])
def test_html_report_matches_golden_file(cli: Cli, lang: str, golden: Any) -> None:
    result = cli("report", "-d", str(ROOT / "data"), "--lang", lang, "-f", "html", *FIXED)
    assert result.exit_code == 0, result.output
    golden(f"roadmap.{lang}.html", result.stdout)


ENGLISH_MARKERS = [
    "texts",
    "alike",
    "shared tags",
    "depends on",
    "budget exhausted",
    "not scheduled",
    "is not eligible",
    ".yaml:",
    "[policy-",
    "policy-",
]


def hostile_portfolio(tmp_path: Path) -> Path:
    """The example with every principle a warning and projects that break them all: no
    accessibility, no DPIA, closed source without a reason, no owner, a missed legal
    deadline, a fixed start before its prerequisite ends, one that never fits."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    strategy = data / "strategy.yaml"
    text = strategy.read_text(encoding="utf-8")
    for policy in ["data_protection", "accessibility", "analog_access"]:
        text = text.replace(f"  {policy}: error", f"  {policy}: warning")
    strategy.write_text(text, encoding="utf-8")
    for i in range(7):
        (data / "projects" / f"buergerdienst-{i}.yaml").write_text(
            f"id: buergerdienst-{i}\ntitle: Bürgerdienst {i} online\nstatus: proposed\n"
            "field: buergerservice\ncitizen_facing: true\npersonal_data: true\n"
            "open_source: false\neffort: {budget_eur: 50000, staff_fte: 0.2}\n"
            "duration_months: 6\nscores: {citizen_value: 3, strategic_fit: 3}\n"
            "tags: [termine, abfall]\nsummary: Termine online buchen und Abfall anmelden\n",
            encoding="utf-8",
        )
    (data / "projects" / "ozg-frist.yaml").write_text(
        "id: ozg-frist\ntitle: OZG-Leistung mit Frist\nstatus: approved\nowner: A. B.\n"
        "field: buergerservice\nlegal_basis: OZG\ndeadline: 2026-12-31\n"
        "depends_on: [e-akte]\nstart: 2026-01-01\nend: 2027-12-31\n"
        "effort: {budget_eur: 50000, staff_fte: 0.2}\n"
        "scores: {citizen_value: 5, strategic_fit: 4}\n",
        encoding="utf-8",
    )
    (data / "projects" / "tablets.yaml").write_text(
        "id: tablets\ntitle: Tablets für Lehrkräfte\nstatus: in_progress\nowner: A. B.\n"
        "field: buergerservice\ndepends_on: [e-akte]\nstart: 2025-04-01\nend: 2027-12-31\n"
        "effort: {budget_eur: 50000, staff_fte: 0.2}\n"
        "scores: {citizen_value: 2, strategic_fit: 2}\n",
        encoding="utf-8",
    )
    (data / "projects" / "riesenprojekt.yaml").write_text(
        "id: riesenprojekt\ntitle: Riesenprojekt\nstatus: proposed\nowner: A. B.\n"
        "field: buergerservice\ndeadline: 2027-06-30\nduration_months: 12\n"
        "effort: {budget_eur: 90000000, staff_fte: 1}\n"
        "scores: {citizen_value: 5, strategic_fit: 4}\n",
        encoding="utf-8",
    )
    return data


@pytest.mark.parametrize("format", ["md", "html"])
def test_a_german_report_has_no_english_or_developer_words(
    cli: Cli, tmp_path: Path, format: str
) -> None:
    example = cli("report", "-d", ROOT / "data", "-f", format, *FIXED)
    hostile = cli("report", "-d", hostile_portfolio(tmp_path), "-f", format, *FIXED)
    assert example.exit_code == 0 and hostile.exit_code == 0, hostile.output
    for report in (example.stdout, hostile.stdout):
        found = [marker for marker in ENGLISH_MARKERS if marker in report.lower()]
        assert found == []
    needs = hostile.stdout
    assert "7 bürgernahe Projekte ohne Angabe zur Barrierefreiheit: Bürgerdienst 0 online" in needs
    assert "OZG-Leistung mit Frist: Frist 31.12.2026 (OZG)" in needs
    assert "Riesenprojekt: Frist 30.06.2027" in needs
    assert "OZG-Leistung mit Frist sollte am 01.01.2026 beginnen, obwohl die Voraussetzung" in needs
    assert "Tablets für Lehrkräfte hat am 01.04.2025 begonnen, obwohl die Voraussetzung" in needs
    # deadlines come first in "Handlungsbedarf", then conflicts, then the gaps
    section = needs[
        needs.index("Handlungsbedarf</h2>" if format == "html" else "## Handlungsbedarf") :
    ]
    assert section.index("Fristen") < section.index("Konflikte") < section.index("Lücken")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("a\n{{ range(100001)|list|length }}\n", "<stdin>:2: the sandbox refuses this: range()"),
        ("a\n\n{{ '{x}'.format_map() }}", "<stdin>:3: "),
        ("\n\n{{ ('a' * 10) * 10**8 }}", "<stdin>:3: the sandbox refuses this"),
        ("{{ nothing_like_this }}", "<stdin>:1: 'nothing_like_this' is undefined"),
        ("x\n{{ [[1]*1000]*1000000 }}", "<stdin>:2: the sandbox refuses this: a repetition"),
        (
            "{% set x = [[1]*1000]*30000 %}\n\n{{ x }}",
            "<stdin>:3: the sandbox refuses this: the printed value would have",
        ),
    ],
)
def test_template_from_stdin_and_its_problems(cli: Cli, template: str, message: str) -> None:
    """A template's problem is exit 1 with the template's line (the template is input,
    like the data), never exit 3 or a MemoryError (issue 20)."""
    result = cli("report", "-d", ROOT / "data", "--template", "-", input=template)
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert result.stdout == ""


def test_template_from_stdin_renders(cli: Cli) -> None:
    result = cli("report", "-d", ROOT / "data", "--template", "-", input="{{ organization }}\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Landeshauptstadt Düsseldorf\n"


def test_a_missing_template_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("report", "-d", ROOT / "data", "--template", tmp_path / "none.j2")
    assert result.exit_code == 2
    assert f"--template {tmp_path / 'none.j2'}: no such file" in result.stderr


def test_nothing_is_cached_on_disk(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(cache))
    own = tmp_path / "own.md.j2"
    own.write_text("{{ organization }}\n", encoding="utf-8")
    assert cli("report", "-d", ROOT / "data", "--template", own).exit_code == 0
    assert cli("report", "-d", ROOT / "data").exit_code == 0
    assert not (cache / "templates").exists()


def test_an_unwritable_cache_folder_does_not_matter(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(blocker / "cache"))
    result = cli("report", "-d", ROOT / "data", "--today", "2026-11-21")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_one_template_renders_markdown_then_html(cli: Cli, tmp_path: Path) -> None:
    own = tmp_path / "own.j2"
    own.write_text("{{ '<b>' }}\n", encoding="utf-8")
    markdown = cli("report", "-d", ROOT / "data", "--template", own, "-f", "md")
    html = cli("report", "-d", ROOT / "data", "--template", own, "-f", "html")
    again = cli("report", "-d", ROOT / "data", "--template", own, "-f", "md")
    assert (markdown.stdout, html.stdout, again.stdout) == ("<b>\n", "&lt;b&gt;\n", "<b>\n")
