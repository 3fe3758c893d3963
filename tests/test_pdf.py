"""`roadmap report --format pdf`: a tagged A4 PDF for the council's information system,
read back with pypdf."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import ROOT, Cli

FIXED = ["--today", "2026-11-21", "--period", "2026-Q4"]


@pytest.fixture(scope="module")
def german_pdf(tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    from typer.testing import CliRunner

    from roadmap.cli import app

    out = tmp_path_factory.mktemp("pdf") / "roadmap.pdf"
    result = CliRunner().invoke(
        app, ["report", "-d", str(ROOT / "data"), "--format", "pdf", "--out", str(out), *FIXED]
    )
    assert result.exit_code == 0, result.output
    return PdfReader(out)


def outline_titles(items: list[object]) -> list[str]:
    titles: list[str] = []
    for item in items:
        if isinstance(item, list):
            titles += outline_titles(item)
        else:
            titles.append(str(item.title))  # type: ignore[attr-defined]
    return titles


def test_pdf_has_a4_pages_title_language_and_tags(german_pdf: PdfReader) -> None:
    sizes = {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in german_pdf.pages
    }
    assert sizes == {(595, 842)}  # A4 in points
    assert len(german_pdf.pages) >= 5
    assert german_pdf.metadata is not None
    assert (
        german_pdf.metadata.title
        == "Digitalisierungsstrategie 2024–2030 – Landeshauptstadt Düsseldorf"
    )
    root = german_pdf.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root  # tagged


def test_pdf_has_bookmarks_contents_with_pages_and_a_footer(german_pdf: PdfReader) -> None:
    titles = outline_titles(german_pdf.outline)
    for heading in ["Ziele und Kennzahlen", "Priorisierung", "Zeitplan", "Handlungsbedarf"]:
        assert titles.count(heading) == 1
    first = german_pdf.pages[0].extract_text()
    # the contents: each section with the page it starts on
    lines = [line for line in first.splitlines() if "...." in line]
    assert any(line.startswith("Priorisierung") and line.rstrip()[-1].isdigit() for line in lines)
    last = german_pdf.pages[-1].extract_text()
    pages = len(german_pdf.pages)
    assert f"Seite {pages} von {pages}" in last
    assert "Stand 21.11.2026" in last


def test_pdf_holds_the_reports_text(german_pdf: PdfReader) -> None:
    text = "\n".join(page.extract_text() for page in german_pdf.pages)
    assert "Handlungsbedarf" in text and "Ziele und Kennzahlen" in text
    assert "1 Projekt ohne verantwortliche Person: Hitzewarnungen und kühle Orte per App" in text


def test_pdf_refuses_a_terminal_and_writes_to_a_redirected_stdout(cli: Cli, tmp_path: Path) -> None:
    # standard output redirected (CliRunner's is not a terminal): the PDF's bytes
    result = cli("report", "-d", ROOT / "data", "--format", "pdf", *FIXED)
    assert result.exit_code == 0 and result.stdout_bytes.startswith(b"%PDF-")
    # a terminal: refused with a usage error, nothing printed as binary
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "roadmap", "report", "-d", str(ROOT / "data"), "-f", "pdf"],
            stdout=follower,
            stderr=subprocess.PIPE,
            env={**os.environ, "ROADMAP_CACHE_DIR": str(tmp_path)},
            timeout=120,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2
    assert b"a PDF needs --out FILE" in done.stderr


def test_the_workshop_pdf_has_the_disagreement_section(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "workshop.pdf"
    result = cli("report", "-d", ROOT / "examples" / "workshop", "-f", "pdf", "--out", out, *FIXED)
    assert result.exit_code == 0, result.output
    pdf = PdfReader(out)
    titles = outline_titles(pdf.outline)
    assert titles.count("Wo die Bewertungen auseinandergehen") == 1
    assert titles.index("Wie bewertet wird") + 1 == titles.index(
        "Wo die Bewertungen auseinandergehen"
    )
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "Kendalls W, die Übereinstimmung der Rangfolgen der Bewertenden, beträgt 0,25" in text


def test_the_pdf_timeline_draws_the_highest_ranked_projects_with_a_note(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page holds about 50 bars legibly: the PDF's chart draws the highest-ranked and
    says so; its table keeps every project's dates (39 are scheduled in data/)."""
    import roadmap.present.pdf

    monkeypatch.setattr(roadmap.present.pdf, "TIMELINE_ROWS", 10)
    out = tmp_path / "roadmap.pdf"
    result = cli("report", "-d", ROOT / "data", "-f", "pdf", "-o", out, *FIXED)
    assert result.exit_code == 0, result.output
    # without any whitespace: older pypdf releases (the lowest allowed) space a
    # paragraph's extracted words differently
    text = "".join("".join(p.extract_text() for p in PdfReader(out).pages).split())
    note = (
        "Die Zeitleiste zeigt die 10 am höchsten gereihten von 39 eingeplanten Projekten; "
        "die Tabelle darunter nennt die Termine aller."
    )
    assert "".join(note.split()) in text
    html = cli("report", "-d", ROOT / "data", "-f", "html", *FIXED).stdout
    assert "am höchsten gereihten" not in html  # the HTML report draws every project


def test_the_limited_timeline_keeps_the_top_of_the_ranking_and_every_date() -> None:
    import datetime as dt

    from roadmap.checks import validate
    from roadmap.present.report_view import roadmap_view

    day = dt.date(2026, 11, 21)
    loaded, warnings = validate(ROOT / "data", None, day)
    window = (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    full, _ = roadmap_view(loaded, warnings, "de", day, window)
    limited, ranking = roadmap_view(loaded, warnings, "de", day, window, timeline_rows=10)
    assert len(full["timeline"]["rows"]) == full["timeline"]["total"] == 39
    rows = limited["timeline"]["rows"]
    placed = [e.id for e in ranking.entries if e.id in {r["id"] for r in full["timeline"]["rows"]}]
    assert {r["id"] for r in rows} == set(placed[:10])
    assert [r["y"] for r in rows] == [22 + 18 * i for i in range(10)]  # one below the other
    assert limited["timeline"]["table"] == full["timeline"]["table"]
    assert limited["timeline"]["height"] < full["timeline"]["height"]


@pytest.mark.parametrize("portfolio", ["data", "bench-300"])
def test_no_table_runs_off_the_a4_page(cli: Cli, tmp_path: Path, portfolio: str) -> None:
    """A new user found the ranking's right-hand columns cut off at the page's edge:
    every table (ranking, capacity, KPIs) fits the A4 page's text width; also for the
    bench's 300 projects, whose cells break only at spaces and hyphens (issue 15: the
    PDF in 10 s)."""
    from weasyprint import CSS, HTML

    from roadmap.present.pdf import PDF_CSS

    data = ROOT / "data"
    if portfolio == "bench-300":
        from bench.generate import generate

        data = generate(300, tmp_path / "p300")
    page_html = tmp_path / "r.html"
    result = cli("report", "-d", str(data), "-f", "html", "-o", str(page_html))
    assert result.exit_code == 0, result.output
    css = CSS(string=PDF_CSS % {"footer": "x", "page": "Seite", "of": "von"})
    document = HTML(string=page_html.read_text(encoding="utf-8")).render(stylesheets=[css])
    overflowing = []
    for number, page in enumerate(document.pages, start=1):
        box = page._page_box  # WeasyPrint's laid-out boxes: the only way to see widths
        right_edge = box.position_x + box.margin_left + box.padding_left + box.width

        def walk(b: object, number: int = number, right_edge: float = right_edge) -> None:
            right = b.position_x + b.margin_width() - b.margin_right  # type: ignore[attr-defined]
            if getattr(b, "element_tag", None) == "table" and right > right_edge + 1:
                overflowing.append((number, round(right - right_edge)))
                return
            for child in getattr(b, "children", None) or []:
                walk(child)

        for child in box.children:
            if type(child).__name__ != "MarginBox":
                walk(child)
    assert overflowing == []


def test_timeline_colours_are_attributes_the_pdf_renderer_reads(cli: Cli, tmp_path: Path) -> None:
    """WeasyPrint draws inline SVG without the page's CSS: the bars were all black in the
    PDF while the legend promised blue and green. The colours are attributes too."""
    import re

    page = tmp_path / "r.html"
    assert cli("report", "-d", str(ROOT / "data"), "-f", "html", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    bars = re.findall(r'<g class="(\w+)[^"]*"><title>.*?<rect [^>]*fill="(#[0-9a-f]+)"', html)
    colours = {status: fill for status, fill in bars}
    assert colours["in_progress"] == "#0b5394" and colours["approved"] == "#3d7a3d"
    assert 'class="today"' in html and 'stroke="#b00020"' in html
