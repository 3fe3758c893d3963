"""Every report is a well-formed document: each table-of-contents entry points at
exactly one element, no id appears twice, and the sections follow the contents."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from roadmap.cli import app

from .conftest import ROOT
from .test_report_since import repo  # noqa: F401  (the fixture: a git repository)

runner = CliRunner()
TODAY = ["--today", "2026-11-21"]


class Outline(HTMLParser):
    """The ids of a page in document order, and the links of its <nav>."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.toc: list[str] = []
        self._in_nav = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "nav":
            self._in_nav = True
        elif tag == "a" and self._in_nav and (found.get("href") or "").startswith("#"):
            self.toc.append(str(found["href"])[1:])

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_nav = False


def html_outline(html: str) -> tuple[list[str], list[str]]:
    outline = Outline()
    outline.feed(html)
    return outline.toc, outline.ids


def github_slug(text: str) -> str:
    """GitHub's heading anchors (github-slugger): lower case, punctuation removed, each
    space a hyphen; GitLab's agree as long as no two hyphens meet."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def md_outline(md: str) -> tuple[list[str], list[str]]:
    """The fragments of the contents list, and the anchors of the level-2 headings."""
    tokens = MarkdownIt().enable("table").parse(md)
    headings = [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h2"
    ]
    contents = md.index("\n## ", 0) + 1
    section = md[contents : md.index("\n## ", contents + 1)]
    links = re.findall(r"\]\(#([^)]*)\)", section)
    anchors = [github_slug(h) for h in headings[1:]]  # the contents' own heading aside
    for slug in anchors:
        assert "--" not in slug, f"#{slug}: GitHub and GitLab would disagree"
    return links, anchors


@pytest.mark.parametrize("format", ["md", "html"])
@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("since", [False, True])
@pytest.mark.parametrize("period", [None, "2026-Q4", "2027-Q1"])
def test_contents_point_at_one_element_each_in_order(
    repo: Path,  # noqa: F811
    tmp_path: Path,
    format: str,
    lang: str,
    since: bool,
    period: str | None,
) -> None:
    data = repo / "strategy"
    out = tmp_path / f"roadmap.{format}"
    args = ["report", "-d", str(data), "--format", format, "--lang", lang, "--out", str(out)]
    args += [*TODAY, *(["--period", period] if period else [])]
    args += ["--since", "ausschuss-2026-q3"] if since else []
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    toc, ids = html_outline(text) if format == "html" else md_outline(text)
    assert len(toc) >= 9
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert duplicates == []
    for target in toc:
        assert ids.count(target) == 1, f"#{target} is not one element"
    positions = [ids.index(target) for target in toc]
    assert positions == sorted(positions), "the sections are not in the order of the contents"
    if format == "md":
        assert toc == ids  # every section is in the contents
    goals = {"de": "Ziele und Kennzahlen", "en": "Goals and KPIs"}[lang]
    assert text.count(goals) == 2  # in the contents and once as the heading


def test_the_example_report_without_since_has_the_goal_tree() -> None:
    result = runner.invoke(app, ["report", "-d", str(ROOT / "data"), "--format", "html", *TODAY])
    toc, ids = html_outline(result.stdout)
    assert ids.count("goals") == 1 and "goals" in toc
    assert "Digitale Bürgerservices" in result.stdout.split('id="goals"')[1].split("</section>")[0]


@pytest.mark.parametrize("format", ["md", "html"])
def test_the_frontier_is_a_section_of_its_own(tmp_path: Path, format: str) -> None:
    out = tmp_path / f"roadmap.{format}"
    args = ["report", "-d", str(ROOT / "data"), "-f", format, "--out", str(out), *TODAY]
    result = runner.invoke(app, [*args, "--frontier"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    toc, ids = html_outline(text) if format == "html" else md_outline(text)
    target = "frontier" if format == "html" else "was-mehr-oder-weniger-budget-bewirkt"
    assert ids.count(target) == 1 and target in toc
    assert toc == sorted(toc, key=ids.index)
    # 16 budget levels from 50 % to 200 %: a point each in the chart, a row each
    if format == "html":
        assert text.count("<circle ") == 16 and '<svg class="frontier"' in text
    else:
        # movable projects may start in a later year: all 39 open projects at 100 %
        assert "| 100 % | 16.400.000\u00a0€ | 2.213,6 | 39 |" in text
        assert "| 50 % |" in text and "| 200 % |" in text


@pytest.mark.parametrize("format", ["md", "html"])
def test_a_new_portfolio_without_goals_or_kpis_says_so(tmp_path: Path, format: str) -> None:
    """A portfolio just imported from a spreadsheet has fields but no goals and no KPIs:
    the report says so in one sentence each instead of empty headings and tables."""
    data = tmp_path / "stadt"
    assert runner.invoke(app, ["init", str(data), "--lang", "de"]).exit_code == 0
    out = tmp_path / f"roadmap.{format}"
    args = ["report", "-d", str(data), "-f", format, "--out", str(out), "--lang", "de", *TODAY]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    goals = text.split("Ziele und Kennzahlen")[2].split("Portfolio im Überblick")[0]
    assert "Die Strategie nennt noch keine Ziele." in goals
    assert "<h3>" not in goals and "\n### " not in goals  # no heading without content
    kpis = text.split(">Kennzahlen</h2>" if format == "html" else "## Kennzahlen\n")[1]
    kpis = kpis.split("Messwerte im Zeitraum")[0]
    assert "keine" in kpis and "Ausgangswert" not in kpis  # no table of nothing
