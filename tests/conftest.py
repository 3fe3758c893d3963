from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
MINIMAL = CASES / "valid" / "minimal"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden files under tests/golden/ from what the code renders now",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Compare rendered text with tests/golden/NAME; `pytest --update-golden` rewrites the
    file instead (review the diff before committing it)."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, text: str) -> None:
        path = ROOT / "tests" / "golden" / name
        if update:
            path.write_text(text, encoding="utf-8", newline="")
            return
        assert text == path.read_text(encoding="utf-8"), f"{name} differs; see --update-golden"

    return check


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never read or write the user's cache; GitHub's variables never leak into a test."""
    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("ROADMAP_CONFIG_DIR", str(tmp_path_factory.getbasetemp() / "config"))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("ROADMAP_DATA", raising=False)
    # terminal messages follow the locale variables: English unless a test says otherwise
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


Cli = Callable[..., Result]


@pytest.fixture
def cli() -> Cli:
    """Run ``roadmap ARGS…`` in this process: ``cli("plan", "-d", data)`` returns click's
    result with ``exit_code``, ``stdout`` and ``stderr`` apart. Arguments may be paths;
    ``input=`` feeds standard input."""
    from roadmap.cli import app

    runner = CliRunner()

    def invoke(*args: object, input: str | None = None) -> Result:
        return runner.invoke(app, [str(a) for a in args], input=input)

    return invoke


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    """A copy of the minimal valid portfolio to change in a test."""
    target = tmp_path / "data"
    shutil.copytree(MINIMAL, target)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def example_with_title(tmp_path: Path, title: str) -> Path:
    """A copy of the shipped example whose e-wohnsitzanmeldung has this title (YAML
    text, quoted as needed)."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "projects" / "e-wohnsitzanmeldung.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("title: Elektronische Wohnsitzanmeldung", f"title: {title}", 1),
        encoding="utf-8",
    )
    return data
