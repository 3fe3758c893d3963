"""The report's "Wo die Bewertungen auseinandergehen" (issue 19, item 4): with raters'
files, the projects whose rank the raters' disagreement makes uncertain and Kendall's
W; without, no such section. And the templates' own words ({% trans %}) in both
catalogs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from roadmap.present.i18n import translations
from roadmap.present.report import template_messages
from roadmap.present.sandbox import render_template

from .conftest import ROOT, Cli
from .test_report_structure import html_outline, md_outline

WORKSHOP = ROOT / "examples" / "workshop"
TODAY = ["--today", "2026-11-21"]
HEADING = {"de": "Wo die Bewertungen auseinandergehen", "en": "Where the ratings disagree"}


@pytest.mark.parametrize("format", ["md", "html"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_section_is_in_the_contents_once_and_in_order(
    cli: Cli, tmp_path: Path, format: str, lang: str
) -> None:
    out = tmp_path / f"roadmap.{format}"
    result = cli("report", "-d", WORKSHOP, "-f", format, "--lang", lang, "--out", out, *TODAY)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    toc, ids = html_outline(text) if format == "html" else md_outline(text)
    target = "disagreement" if format == "html" else HEADING[lang].lower().replace(" ", "-")
    assert ids.count(target) == 1 and target in toc
    assert [i for i in set(ids) if ids.count(i) > 1] == []  # no id twice
    assert all(ids.count(entry) == 1 for entry in toc)  # each entry: one element
    assert toc == sorted(toc, key=ids.index)
    if format == "md":
        assert toc == ids  # every section is in the contents
    # after "how projects are scored", before the schedule
    method = {"de": "wie-bewertet-wird", "en": "how-projects-are-scored"}[lang]
    assert toc.index(target) == toc.index("method" if format == "html" else method) + 1
    assert text.count(HEADING[lang]) == (2 if format == "md" else 3)  # toc, heading (caption)


def test_the_german_section_names_ranks_raters_and_kendalls_w(cli: Cli) -> None:
    result = cli("report", "-d", WORKSHOP, "--lang", "de", *TODAY)
    assert result.exit_code == 0, result.output
    section = result.stdout.split("## Wo die Bewertungen auseinandergehen\n")[1]
    section = section.split("\n## ")[0]
    assert "die Rangfolge 1.000-mal berechnet" in section
    assert "| Rang | Projekt | Rangspanne | Wo die Bewertenden auseinanderliegen |" in section
    # the two projects whose rank the raters' spread moves, most uncertain first; who
    # gave the lowest and the highest score of the criteria they disagree on most
    rows = [line for line in section.splitlines() if re.match(r"\| \d", line)]
    assert [row.split(" | ")[1:3] for row in rows] == [
        ["Hundesteuer: Hunde online anmelden und abmelden", "3–4"],
        ["Online-Fundbüro", "3–4"],
    ]
    assert (
        "Nutzen für Bürgerinnen, Bürger und Unternehmen 3 (Amt 10 Organisation) – "
        "5 (Amt 33 Bürgerservice)" in rows[1]
    )
    assert "1 (Projektdatei) – 4 (Amt 33 Bürgerservice)" in rows[1]
    assert rows[0].endswith("| 81 % |") and rows[1].endswith("| 75 % |")
    assert (
        "Kendalls W, die Übereinstimmung der Rangfolgen der Bewertenden, beträgt 0,25 über "
        "die 2 Projekte, die alle bewertet haben" in section
    )
    for english in ("raters", "Rank range", "Agreement", "project file"):
        assert english not in section


def test_kendalls_w_in_the_report_is_the_ratings_commands(cli: Cli) -> None:
    shown = cli("ratings", "-d", WORKSHOP, "-f", "json")
    assert shown.exit_code == 0, shown.output
    import json

    w = json.loads(shown.stdout)["kendalls_w"]
    report = cli("report", "-d", WORKSHOP, "--lang", "en", *TODAY).stdout
    assert f"Kendall's W, the agreement of the raters' rankings, is {w:.2f} over the 2 " in report


def test_without_raters_files_there_is_no_section(cli: Cli) -> None:
    for format in ("md", "html"):
        text = cli("report", "-d", ROOT / "data", "-f", format, *TODAY).stdout
        assert HEADING["de"] not in text and "disagreement" not in text


def test_raters_who_agree_leave_every_rank_in_place(cli: Cli, tmp_path: Path) -> None:
    """Raters' files whose scores are all alike: the section says that no rank moves."""
    data = tmp_path / "workshop"
    shutil.copytree(WORKSHOP, data)
    for name in ("amt-33.yaml", "fraktion-gruene.yaml"):
        (data / "ratings" / name).unlink()
    text = cli("report", "-d", data, "--lang", "de", *TODAY, "--no-cache").stdout
    section = text.split("## Wo die Bewertungen auseinandergehen\n")[1].split("\n## ")[0]
    assert "Innerhalb der Spanne der Bewertenden ändert kein Projekt seinen Rang." in section
    assert "| Rangspanne |" not in section


# ----------------------------------------------------------------- the templates' words


def test_every_template_message_has_its_placeholders_in_german() -> None:
    """{% trans %} text is formatted with %(name)s: a German translation that drops or
    renames one would end the report in a KeyError."""
    german = translations("de")
    found = template_messages()
    assert found, "the shipped templates translate nothing with {% trans %}"
    for context, message in found:
        forms = message if isinstance(message, tuple) else (message,)
        for n, english in enumerate(forms):
            shown = (
                german.npgettext(context, forms[0], forms[1], 1 if n == 0 else 5)
                if isinstance(message, tuple)
                else german.pgettext(context, english)
            )
            assert shown != english, f"{english!r} has no German translation"
            wanted = set(re.findall(r"%\((\w+)\)s", english))
            assert set(re.findall(r"%\((\w+)\)s", shown)) == wanted, english


def test_user_templates_get_trans_in_the_reports_language_and_stay_sandboxed() -> None:
    source = (
        '{% trans "summary" %}At a glance{% endtrans %} · {{ _("x %(v)s", v="<b>") }}'
        " · {% trans n=2 %}{{ n }} project{% pluralize %}{{ n }} projects{% endtrans %}"
    )
    german = render_template(
        source, "own.html.j2", {}, autoescape=True, translations=translations("de")
    )
    assert german == "Auf einen Blick · x &lt;b&gt; · 2 projects"
    english = render_template(source, "own.md.j2", {}, autoescape=False)
    assert english == "At a glance · x <b> · 2 projects"
    from roadmap.errors import TemplateProblem

    with pytest.raises(TemplateProblem, match=r"own\.j2:2: the sandbox refuses this"):
        render_template(
            "\n{% trans v=''.__class__.__mro__ %}{{ v }}{% endtrans %}",
            "own.j2",
            {},
            autoescape=False,
        )
    with pytest.raises(TemplateProblem, match=r"own\.j2:1: .*formatted text would have"):
        render_template(
            "{% trans x='a' * 60000000 %}{{ x }}{{ x }}{% endtrans %}",
            "own.j2",
            {},
            autoescape=False,
        )


@pytest.mark.parametrize("format", ["md", "html"])
def test_the_german_workshop_report_has_no_english_words(cli: Cli, format: str) -> None:
    from .test_report import ENGLISH_MARKERS

    text = cli("report", "-d", WORKSHOP, "-f", format, "--lang", "de", *TODAY).stdout
    for marker in [*ENGLISH_MARKERS, "raters", "ratings disagree", "Rank range", "median of"]:
        assert marker not in text, marker
    # "Wie bewertet wird" says where the scores come from
    assert (
        "Die Bewertungen stammen aus den Dateien der Bewertenden in ratings/ (3): je Projekt "
        "und Kriterium der Median derer, die es bewertet haben" in text
    )


def test_a_project_waiting_for_a_lower_ranked_prerequisite_is_named(
    cli: Cli, tmp_path: Path
) -> None:
    """The Online-Fundbüro depends on the E-Rechnung, which misses a minimum: it keeps
    its place after it (rank 4) while its score alone would put it at 2–3. The row says
    why, instead of a rank outside its own range without a word."""
    data = tmp_path / "workshop"
    shutil.copytree(WORKSHOP, data)
    rater = data / "ratings" / "amt-10.yaml"
    rater.write_text(
        rater.read_text(encoding="utf-8").replace(
            "e-rechnung: {citizen_value: 2, efficiency: 4, legal_obligation: 5, strategic_fit: 4",
            "e-rechnung: {citizen_value: 2, efficiency: 4, legal_obligation: 5, strategic_fit: 1",
        ),
        encoding="utf-8",
    )
    project = data / "projects" / "e-rechnung.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("\n  strategic_fit: 4\n", "\n  strategic_fit: 1\n"), "utf-8")
    found = data / "projects" / "fundbuero-online.yaml"
    text = found.read_text(encoding="utf-8")
    found.write_text(text.replace("status: idea\n", "status: idea\ndepends_on: [e-rechnung]\n"))
    md = cli("report", "-d", data, "--lang", "de", *TODAY, "--no-cache").stdout
    section = md.split("## Wo die Bewertungen auseinandergehen\n")[1].split("\n## ")[0]
    row = next(line for line in section.splitlines() if "| Online-Fundbüro |" in line)
    assert row.startswith(
        "| 4 | Online-Fundbüro | 2–3 (wartet auf E-Rechnung: elektronischer Rechnungseingang) |"
    )
    assert "Ein Projekt, das auf eine niedriger gereihte Voraussetzung wartet" in section
    html = cli("report", "-d", data, "-f", "html", "--lang", "en", *TODAY).stdout
    assert "2–3 (waits for E-Rechnung: elektronischer Rechnungseingang)</td>" in html
