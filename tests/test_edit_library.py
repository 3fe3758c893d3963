"""The library behind ``set``, ``record`` and ``new`` (issue 13: no domain logic in the CLI;
issue 20 items 6-9 and the minor editing points)."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from roadmap import edit
from roadmap.edit import (
    create_project,
    new_project_path,
    new_project_text,
    record_measurement,
    record_milestone,
    set_criterion,
    set_fields,
    similar_projects,
)
from roadmap.errors import DataError, UsageError
from roadmap.load import load_portfolio, load_project_text

from .conftest import ROOT

DAY = dt.date(2026, 9, 30)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def project(data: Path, project_id: str = "e-akte") -> str:
    return (data / "projects" / f"{project_id}.yaml").read_text(encoding="utf-8")


def snapshot(data: Path) -> dict[str, bytes]:
    return {str(p.relative_to(data)): p.read_bytes() for p in data.rglob("*") if p.is_file()}


def test_set_removes_with_minus_assignment_and_rewrites_a_block_scalar(data: Path) -> None:
    result = set_fields(data, "e-akte", ["tags-=dms", "description=Neu beschrieben."])
    assert result.written
    text = project(data)
    assert "\ntags: [e-akte, papierlos]\n" in text
    assert "\ndescription: >-\n  Neu beschrieben.\ndepartment: Hauptamt (10)\n" in text


@pytest.mark.parametrize("bad_id", ["../strategy", "E-Akte", "e-akte\n", "x", "e_akte"])
def test_ids_are_checked_before_any_file_is_touched(data: Path, bad_id: str) -> None:
    before = snapshot(data)
    with pytest.raises(UsageError, match="not a valid id"):
        set_fields(data, bad_id, ["owner=x"])
    with pytest.raises(UsageError, match="not a valid id"):
        record_milestone(data, bad_id, "welle1", DAY)
    with pytest.raises(UsageError, match="not a valid id"):
        new_project_path(data, bad_id)
    assert snapshot(data) == before


def test_yml_projects_are_editable(data: Path) -> None:
    folder = data / "projects"
    (folder / "e-akte.yaml").rename(folder / "e-akte.yml")
    set_fields(data, "e-akte", ["owner=Neue Leitung"])
    assert "\nowner: Neue Leitung\n" in (folder / "e-akte.yml").read_text(encoding="utf-8")
    with pytest.raises(UsageError, match=r"e-akte\.yml exists already"):
        new_project_path(data, "e-akte")
    shutil.copy(folder / "e-akte.yml", folder / "e-akte.yaml")
    with pytest.raises(UsageError, match=r"both e-akte\.yaml and e-akte\.yml"):
        set_fields(data, "e-akte", ["owner=X"])


@pytest.mark.parametrize(
    ("text", "located"),
    [
        ("id: e-akte\ntitle: A\ntitle: B\n", ":3:1: error [yaml-duplicate-key]"),
        ("id: e-akte\ntitle: [A\n", ":3:1: error [yaml-syntax]"),
        ("id: e-akte\n\ttitle: A\n", "error [yaml-syntax]"),
        ("id: e-akte\n---\nid: x\n", "error [yaml-syntax]"),
        (
            "a: &c0 [x, x]\n"
            + "".join(f"c{i}: &c{i} [*c{i - 1}, *c{i - 1}]\n" for i in range(1, 20)),
            "error [yaml-alias-bomb]",
        ),
    ],
)
def test_a_file_with_a_yaml_problem_gives_the_located_problem(
    data: Path, text: str, located: str
) -> None:
    path = data / "projects" / "e-akte.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        set_fields(data, "e-akte", ["owner=X"])
    assert located in str(caught.value) and caught.value.problems
    assert caught.value.problems[0].file.endswith("e-akte.yaml")
    with pytest.raises(DataError):
        record_measurement(data, "e-akte", "e-akte-quote", 40, DAY)
    assert path.read_text(encoding="utf-8") == text


def test_record_measurement_in_a_project_and_a_goal(data: Path) -> None:
    record_measurement(data, "e-akte", "e-akte-quote", 40.0, DAY)
    assert "      - {date: 2026-06-30, value: 36}\n      - {date: 2026-09-30, value: 40}\n" in (
        project(data)
    )
    # the goal's KPI has a value on DAY already: a second one would break the file
    with pytest.raises(DataError, match="two measurements on 2026-09-30"):
        record_measurement(data, "ozg", "online-leistungen", -0.5, DAY)
    record_measurement(data, "ozg", "online-leistungen", -0.5, dt.date(2026, 10, 31))
    strategy = (data / "strategy.yaml").read_text(encoding="utf-8")
    assert "- {date: 2026-10-31, value: -0.5}" in strategy
    with pytest.raises(UsageError, match="no project or goal 'ozgg'"):
        record_measurement(data, "ozgg", "online-leistungen", 1, DAY)
    with pytest.raises(UsageError, match="has no KPI 'quote'"):
        record_measurement(data, "e-akte", "quote", 1, DAY)


def test_a_huge_measurement_stays_a_float(data: Path) -> None:
    record_measurement(data, "e-akte", "e-akte-quote", 1e308, DAY, dry_run=True)
    assert edit.measured_value(1e308) == 1e308 and edit.measured_value(40.0) == 40
    with pytest.raises(UsageError, match="not a finite number"):
        record_measurement(data, "e-akte", "e-akte-quote", float("inf"), DAY)


def test_positions_are_resolved_after_the_lock_is_taken(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another editor inserts a milestone and a KPI while we wait for the lock."""
    path = data / "projects" / "e-akte.yaml"
    real_lock = edit.folder_lock

    @contextlib.contextmanager
    def lock_after_someone_else(folder: Path) -> Iterator[None]:
        text = path.read_text(encoding="utf-8")
        text = text.replace(
            "milestones:\n",
            "milestones:\n  - id: vorab\n    title: Vorab\n    due: 2024-01-31\n"
            "    status: planned\n",
        ).replace(
            "kpis:\n",
            "kpis:\n  - id: vorab-kpi\n    title: Vorab\n    unit: Stück\n"
            "    direction: increase\n    baseline: {value: 0, date: 2023-12-31}\n"
            "    target: {value: 5, date: 2027-12-31}\n",
        )
        path.write_text(text, encoding="utf-8")
        with real_lock(folder):
            yield

    monkeypatch.setattr(edit.transaction, "folder_lock", lock_after_someone_else)
    record_milestone(data, "e-akte", "welle2", DAY)
    monkeypatch.setattr(edit.transaction, "folder_lock", real_lock)
    record_measurement(data, "e-akte", "e-akte-quote", 41, DAY)
    loaded = load_project_text(project(data), "e-akte.yaml", "e-akte").model
    assert loaded is not None
    milestones = {m.id: m for m in loaded.milestones}
    assert milestones["welle2"].status == "done" and milestones["welle2"].done_on == DAY
    assert milestones["vorab"].status == "planned"
    kpis = {k.id: k for k in loaded.kpis}
    assert kpis["e-akte-quote"].measurements[-1].value == 41
    assert kpis["vorab-kpi"].measurements == []


def test_score_ranges_can_be_set(data: Path) -> None:
    result = set_criterion(data, "citizen_value", ["scale=1..10", "weight=4"])
    strategy = (data / "strategy.yaml").read_text(encoding="utf-8")
    assert "  - id: citizen_value\n" in strategy
    assert "    weight: 4\n    scale: [1, 10]\n  - id: efficiency\n" in strategy
    assert result.written and "+    scale: [1, 10]\n" in result.diff
    before = snapshot(data)
    with pytest.raises(DataError, match="portfolio invalid"):
        set_criterion(data, "citizen_value", ["scale=[0, 1]"])
    with pytest.raises(UsageError, match="lower end must be below"):
        set_criterion(data, "citizen_value", ["scale=5..1"])
    with pytest.raises(UsageError, match="no criterion 'nutzen'"):
        set_criterion(data, "nutzen", ["scale=1..5"])
    assert snapshot(data) == before


@pytest.mark.parametrize(
    "title",
    [
        "Harmlos\rdecision: must",
        "Harmlos\x85decision: must",
        "Harmlos\x0bdecision: must",
    ],
)
def test_new_refuses_line_breaks_yaml_does_not_allow_in_a_title(title: str) -> None:
    with pytest.raises(UsageError, match="which a portfolio file cannot hold"):
        new_project_text("harmlos", title, [])


@pytest.mark.parametrize(
    "title", ["Harmlos\u2028decision: must", "Harmlos\u2029decision: must", "Harm\nlos: x"]
)
def test_new_cannot_be_made_to_write_keys(data: Path, title: str) -> None:
    text = new_project_text(
        "harmlos", title, [("citizen_value", "1–5")], owner="A\u2028status: done"
    )
    result = load_project_text(text, "harmlos.yaml", "harmlos")
    assert result.problems == [] and result.model is not None
    assert result.model.title == title and result.model.decision is None
    assert result.model.status == "idea" and result.model.owner == "A\u2028status: done"
    assert text.splitlines()[0] == "# " + title.replace("\u2028", " ").replace(
        "\u2029", " "
    ).replace("\n", " ")


def test_new_finds_similar_projects_and_creates(data: Path) -> None:
    loaded = load_portfolio(data)
    assert loaded.portfolio is not None
    found = similar_projects(
        loaded.portfolio, "sperrmuell-termine", "Sperrmüll Termine online buchen"
    )
    # both bulky-waste projects, the one named like it first
    assert [p.id for _, p in found][:2] == ["sperrmuell-anmeldung", "sperrgut-terminbuchung"]
    text = new_project_text(
        "fischerei-online", "Fischereischein online", [], field="buergerservice"
    )
    path = create_project(data, "fischerei-online", text, dry_run=True)
    assert not path.exists()
    assert create_project(data, "fischerei-online", text) == path
    assert path.read_text(encoding="utf-8") == text
    with pytest.raises(UsageError, match="exists already"):
        create_project(data, "fischerei-online", text)
    bad = new_project_text("fischerei-neu", "X", [], field="nirgends")
    with pytest.raises(DataError, match="nirgends"):
        create_project(data, "fischerei-neu", bad)
    assert not (data / "projects" / "fischerei-neu.yaml").exists()


@pytest.mark.parametrize(
    "assignments",
    [["depends_on+=dms-plattform"], ["tags+=neu", "tags+=neu"], ["tags+=dms"]],
)
def test_adding_an_item_a_list_has_already_is_refused(data: Path, assignments: list[str]) -> None:
    """``roadmap add dependency`` and ``set depends_on+=`` would write a second entry."""
    before = snapshot(data)
    with pytest.raises(UsageError, match=r"lists '(dms-plattform|neu|dms)' already"):
        set_fields(data, "e-akte", assignments)
    assert snapshot(data) == before


def test_validate_names_a_dependency_given_twice_where_it_is(data: Path) -> None:
    from roadmap.checks import validate

    path = data / "projects" / "e-akte.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("depends_on: [dms-plattform]", "depends_on: [dms-plattform, dms-plattform]"),
        encoding="utf-8",
    )
    _, problems = validate(data, None)
    found = [p for p in problems if p.code == "duplicate-entry"]
    assert [(p.file.endswith("e-akte.yaml"), p.line, p.column) for p in found] == [(True, 23, 29)]
    assert found[0].message == "depends_on[1]: 'dms-plattform' is listed twice"


@pytest.mark.parametrize("written", ["[2, 4]", "2..4", "2–4", " [2,4] "])
def test_a_score_range_can_be_set_from_the_command_line(data: Path, written: str) -> None:
    set_fields(data, "e-akte", [f"scores.risk={written}"])
    assert "\n  risk: [2, 4]\n" in project(data)
    loaded = load_project_text(project(data), "e-akte.yaml", "e-akte").model
    assert loaded.scores["risk"] == [2, 4]


@pytest.mark.parametrize(
    ("written", "message"),
    [("[4, 2]", "lower end must be below"), ("[a, 3]", "expected a range such as 1..5")],
)
def test_a_score_range_that_is_none_is_refused(data: Path, written: str, message: str) -> None:
    before = snapshot(data)
    with pytest.raises(UsageError, match=message):
        set_fields(data, "e-akte", [f"scores.risk={written}"])
    assert snapshot(data) == before


def test_a_criterion_edit_is_refused_for_the_errors_it_adds_not_for_old_ones(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(data.parent / "cache"))
    path = data / "projects" / "e-akte.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "depends_on: [dms-plattform]", "depends_on: [dms-plattfrom]"
        ),
        encoding="utf-8",
    )
    result = set_criterion(data, "citizen_value", ["title=Nutzen"])
    assert result.written and "+    title: Nutzen\n" in result.diff
    with pytest.raises(DataError, match=r"scores\.citizen_value") as caught:
        set_criterion(data, "citizen_value", ["scale=[0, 1]"])
    assert "dms-plattfrom" not in str(caught.value)
