"""The real browser for the HTML report's tests: Debian's Chromium and ChromeDriver and
the axe-core accessibility engine from npm, installed here when missing. Where they
cannot be installed or Chromium cannot start, ``tools()`` says why, and the tests skip
with that message, or fail under ``CI=true`` (a CI job must not pass untested)."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AXE_VERSION = "4.14.1"
DEBIAN_PACKAGES = ["chromium", "chromium-driver"]
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TOOLS = Path(os.environ.get("ROADMAP_TEST_TOOLS", Path.home() / ".cache" / "roadmap-test-tools"))


@dataclass(frozen=True)
class Tools:
    chromium: str
    chromedriver: str
    axe: Path


def _run(command: list[str]) -> str | None:
    """None when the command succeeded, else the tail of what it printed."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    if done.returncode == 0:
        return None
    return (done.stderr or done.stdout).strip()[-400:]


def _install_debian_packages() -> str | None:
    if not shutil.which("apt-get"):
        return "no apt-get on this machine"
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    command = [*prefix, "apt-get", "install", "-y", "-q", "--no-install-recommends"]
    failure = _run([*command, *DEBIAN_PACKAGES])
    if failure and _run([*prefix, "apt-get", "update", "-q"]) is None:
        failure = _run([*command, *DEBIAN_PACKAGES])
    return failure


def in_ci() -> bool:
    """Whether this runs in CI (GitHub Actions and GitLab CI both set ``CI=true``)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def tools() -> Tools | str:
    """The browser tools, installing what is missing; a message when that fails."""
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        failure = _install_debian_packages()
        if failure or not (shutil.which("chromium") and shutil.which("chromedriver")):
            return f"Chromium could not be installed (Debian packages {DEBIAN_PACKAGES}): {failure}"
    axe = TOOLS / f"axe-core-{AXE_VERSION}" / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.is_file():
        if not shutil.which("npm"):
            return "axe-core could not be installed: no npm on this machine"
        failure = _run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(axe.parents[2]),
                f"axe-core@{AXE_VERSION}",
            ]
        )
        if failure or not axe.is_file():
            return f"axe-core {AXE_VERSION} could not be installed from npm: {failure}"
    return Tools(str(shutil.which("chromium")), str(shutil.which("chromedriver")), axe)


def start(tools: Tools, user_data: Path) -> Any:
    """A headless Chromium driven over WebDriver; Selenium is given the driver, so it
    downloads nothing."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = tools.chromium
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={user_data}", "--window-size=1280,1000"]:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=tools.chromedriver), options=options)


def axe_violations(driver: Any, axe: Path) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A and AA violations of the loaded page."""
    driver.execute_script(axe.read_text(encoding="utf-8"))
    result: dict[str, Any] = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done({violations: r.violations, passes: r.passes.length}))"
        ".catch(e => done({error: String(e)}));",
        WCAG_TAGS,
    )
    if "error" in result:
        raise RuntimeError(f"axe-core failed: {result['error']}")
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def full_page_png(driver: Any) -> bytes:
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        },
    )
    return base64.b64decode(shot["data"])


def print_pdf(driver: Any) -> bytes:
    """The page printed as the print stylesheet asks (its @page size wins)."""
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})
    return base64.b64decode(pdf["data"])
