"""The targeted check of a project edit (issue 20 item 16: one ``set`` in 30,000
projects within 2 s) refuses exactly the edits that the full validation of the whole
portfolio, with the edited file in place, finds new errors in or errors in that file."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap.checks import portfolio_findings
from roadmap.edit import Change, edited, project_validator
from roadmap.errors import DataError, Severity, UsageError
from roadmap.load import LoadResult, display_path, load_portfolio, load_project_text

from .conftest import ROOT

IDS = sorted(p.stem for p in (ROOT / "data" / "projects").glob("*.yaml"))
VALUES = st.sampled_from([*IDS, "gibt-es-nicht"])
CHANGES = st.one_of(
    st.builds(lambda v: Change("append", ("depends_on",), v), VALUES),
    st.builds(lambda v: Change("append", ("distinct_from",), v), VALUES),
    st.builds(
        lambda v: Change("append", ("goals",), v), st.sampled_from(["papierlos", "kein-ziel"])
    ),
    st.builds(lambda v: Change("set", ("field",), v), st.sampled_from(["verwaltung", "kein-feld"])),
    st.builds(lambda v: Change("set", ("scores", "risk"), v), st.sampled_from([1, 3, 5, 9, -1])),
    st.builds(lambda v: Change("set", ("status",), v), st.sampled_from(["idea", "done"])),
    st.builds(lambda v: Change("set", ("decision",), v), st.sampled_from(["must", "wont"])),
)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LoadResult]:
    target = tmp_path_factory.mktemp("targeted") / "data"
    shutil.copytree(ROOT / "data", target)
    return target, load_portfolio(target)


def _errors(loaded: LoadResult, project_id: str | None = None, model: Any = None) -> set[Any]:
    assert loaded.portfolio is not None
    portfolio = loaded.portfolio
    if project_id is not None:
        portfolio = portfolio.model_copy(
            update={"projects": {**portfolio.projects, project_id: model}}
        )
    return {
        (f.file, f.path, f.code, f.message)
        for f in portfolio_findings(portfolio, loaded.known_ids)
        if f.severity is Severity.ERROR
    }


def full_validation_refuses(loaded: LoadResult, project_id: str, shown: str, text: str) -> bool:
    result = load_project_text(text, shown, project_id)
    if any(p.severity is Severity.ERROR for p in result.problems):
        return True
    after = _errors(loaded, project_id, result.model)
    new = after - _errors(loaded)
    return bool(new) or any(file == shown for file, *_ in after)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.sampled_from(IDS), st.lists(CHANGES, min_size=1, max_size=3))
def test_the_targeted_check_refuses_what_the_full_validation_refuses(
    data: tuple[Path, LoadResult], project_id: str, changes: list[Change]
) -> None:
    folder, loaded = data
    path = folder / "projects" / f"{project_id}.yaml"
    try:
        _, document = edited(path, changes)
    except (UsageError, DataError):
        return  # refused before any validation (e.g. a shared anchor)
    shown = display_path(path)
    expected = full_validation_refuses(loaded, project_id, shown, document.text)
    for check in (
        project_validator(folder, project_id, path),  # the files
        project_validator(folder, project_id, path, loaded),
    ):  # loaded
        try:
            check(document.text)
            refused = False
        except DataError:
            refused = True
        assert refused == expected, (project_id, changes)


def test_a_cycle_through_the_edited_project_is_refused_and_one_elsewhere_is_not(
    tmp_path: Path,
) -> None:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    check = project_validator(target, "dms-plattform")
    text = (target / "projects" / "dms-plattform.yaml").read_text(encoding="utf-8")
    with pytest.raises(DataError, match=r"dependency cycle: .*e-akte"):
        check(text.replace("status:", "depends_on: [e-akte]\nstatus:", 1))
    check(text.replace("status:", "depends_on: [servicekonto]\nstatus:", 1))
