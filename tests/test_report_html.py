"""The HTML report: self-contained, escaped, and accessible in a real browser
(headless Chromium + axe-core, WCAG 2.1 A/AA), printing on A4."""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from roadmap.cli import app

from . import browser
from .conftest import ROOT, example_with_title

runner = CliRunner()
FIXED = ["--today", "2026-11-21", "--period", "2026-Q4"]
ARTIFACTS = Path(os.environ.get("ROADMAP_TEST_ARTIFACTS", ROOT / "build" / "test-artifacts"))


def render(data: Path, out: Path, *extra: str) -> str:
    result = runner.invoke(
        app, ["report", "-d", str(data), "--format", "html", "--out", str(out), *FIXED, *extra]
    )
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_html_is_self_contained_and_escapes_data(tmp_path: Path) -> None:
    data = example_with_title(
        tmp_path, '"Wohnsitz <script>alert(1)</script> & <img src=x onerror=alert(2)>"'
    )
    html = render(data, tmp_path / "r.html")
    assert "<script" not in html and "<img" not in html
    assert "Wohnsitz &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x" in html
    # nothing to load: no scripts, stylesheets, fonts or images from anywhere
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html)
    assert "@import" not in html and "url(" not in html
    assert "default-src 'none'" in html  # and the browser is told to load nothing
    # the timeline: an SVG bar per scheduled project, with the title as text
    assert html.count('<svg class="timeline"') == 1
    assert "<title>Wohnsitz &lt;script&gt;" in html


def test_html_report_in_german_and_english(tmp_path: Path) -> None:
    de = render(ROOT / "data", tmp_path / "de.html", "--lang", "de")
    en = render(ROOT / "data", tmp_path / "en.html", "--lang", "en")
    assert '<html lang="de">' in de and '<html lang="en">' in en
    assert '<td class="num">1.400.000\u00a0€</td>' in de
    assert '<td class="num">€1,400,000</td>' in en
    assert "⚠ gefährdet" in de and "⚠ at risk" in en


@pytest.fixture(scope="module")
def tools() -> browser.Tools:
    found = browser.tools()
    if isinstance(found, str):
        # on a developer's machine a missing browser skips; in CI it must not hide
        if browser.in_ci():
            pytest.fail(f"CI=true but the HTML report cannot be tested in a browser: {found}")
        pytest.skip(f"HTML report not tested in a browser: {found}")
    return found


def _start(tools: browser.Tools, profile: Path) -> object:
    """Chromium started over WebDriver; when it is installed but cannot start (no
    display libraries, a broken sandbox), skip on a developer's machine, fail in CI."""
    try:
        return browser.start(tools, profile)
    except Exception as exc:  # selenium raises its own and OSError subclasses alike
        message = f"Chromium cannot start: {str(exc).strip()[:400]}"
        if browser.in_ci():
            pytest.fail(f"CI=true but the HTML report cannot be tested in a browser: {message}")
        pytest.skip(f"HTML report not tested in a browser: {message}")


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_html_report_passes_axe_in_chromium_and_prints_on_a4(
    tools: browser.Tools, tmp_path: Path
) -> None:
    page = tmp_path / "roadmap.html"
    render(ROOT / "data", page)
    driver: Any = _start(tools, tmp_path / "chromium-profile")
    try:
        driver.get(page.as_uri())
        assert driver.title.startswith("Digitalisierungsstrategie 2024–2030")
        violations = browser.axe_violations(driver, tools.axe)
        assert violations == [], "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] for n in v["nodes"][:5])
            for v in violations
        )
        # the page loaded nothing but itself
        assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
        bars = driver.execute_script("return document.querySelectorAll('svg.timeline rect').length")
        assert bars == 39  # one per project the plan places (roadmap plan: 39, 2 not)
        png = browser.full_page_png(driver)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "roadmap.de.png").write_bytes(png)
        width, height = _png_size(png)
        assert width >= 1000 and height > 3000
        pdf = browser.print_pdf(driver)
        (ARTIFACTS / "roadmap.de.pdf").write_bytes(pdf)
    finally:
        driver.quit()
    # A4 is 595.28 × 841.89 points; every page of the print has that size
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert len(boxes) >= 5
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}


def test_axe_finds_what_it_should(tools: browser.Tools, tmp_path: Path) -> None:
    """The harness fails where it must: a page without a language and with grey on
    grey text has two WCAG violations."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>x</title></head><body><main>"
        '<p style="color:#aaa;background:#bbb">kaum lesbar</p></main></body></html>',
        encoding="utf-8",
    )
    driver: Any = _start(tools, tmp_path / "chromium-profile")
    try:
        driver.get(page.as_uri())
        found = {v["id"] for v in browser.axe_violations(driver, tools.axe)}
    finally:
        driver.quit()
    assert found == {"html-has-lang", "color-contrast"}


def test_the_workshop_report_with_its_disagreement_and_frontier_passes_axe(
    tools: browser.Tools, tmp_path: Path
) -> None:
    """The sections that only some reports have (raters' disagreement, --frontier with
    its inline SVG) are accessible too."""
    page = tmp_path / "workshop.html"
    html = render(ROOT / "examples" / "workshop", page, "--frontier")
    assert 'id="disagreement"' in html and '<svg class="frontier"' in html
    driver: Any = _start(tools, tmp_path / "chromium-profile")
    try:
        driver.get(page.as_uri())
        violations = browser.axe_violations(driver, tools.axe)
        assert violations == [], [(v["id"], v["nodes"][0]["target"]) for v in violations]
    finally:
        driver.quit()
