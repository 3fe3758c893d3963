from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from roadmap.errors import Severity
from roadmap.load import Cache, decode, load_portfolio, load_project_text, locate, parse


def test_yaml_1_2_core_schema() -> None:
    value, _, problem = parse(
        "a: no\nb: on\nc: yes\nd: 0o17\ne: 0x1F\nf: 017\ng: 1e3\nh: ~\ni: True\n"
        "j: 2026-01-01\nk: 1_000\nl: .inf\nm: -.5\n"
    )
    assert problem is None
    assert value == {
        "a": "no",
        "b": "on",
        "c": "yes",
        "d": 15,
        "e": 31,
        "f": 17,
        "g": 1000.0,
        "h": None,
        "i": True,
        "j": "2026-01-01",
        "k": "1_000",
        "l": float("inf"),
        "m": -0.5,
    }


def test_duplicate_key_names_both_lines() -> None:
    _, _, problem = parse("id: a\ntitle: x\nid: b\n")
    assert problem is not None
    assert (problem.line, problem.column, problem.code) == (3, 1, "yaml-duplicate-key")
    assert "first given on line 1" in problem.message


def test_custom_tag_and_merge_key_are_refused() -> None:
    _, _, tagged = parse("title: !python/object foo\n")
    assert tagged is not None and tagged.code == "yaml-tag"
    _, _, merged = parse("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert merged is not None and (merged.code, merged.line) == ("yaml-merge-key", 3)


def test_tabs_message_says_to_use_spaces() -> None:
    _, _, problem = parse("a:\n\tb: 1\n")
    assert problem is not None and "not tabs" in problem.message


def test_anchors_within_budget_are_fine() -> None:
    value, _, problem = parse("a: &x [1, 2]\nb: *x\n")
    assert problem is None and value == {"a": [1, 2], "b": [1, 2]}


def test_decode_reports_position_of_bad_byte() -> None:
    text, problem = decode(b"id: a\ntitle: Stra\xdfe\n")
    assert text is None and problem is not None
    assert (problem.line, problem.column, problem.code) == (2, 12, "file-encoding")


def test_decode_accepts_bom() -> None:
    text, problem = decode("\ufeffid: a\n".encode())
    assert problem is None and text == "id: a\n"


def test_locate_points_at_value_or_key_and_falls_back_to_parent() -> None:
    _, node, _ = parse("id: a\nmilestones:\n  - id: m\n    due: 2026-01-01\n")
    assert locate(node, ("milestones", 0, "due")) == (4, 10)
    assert locate(node, ("milestones", 0, "due"), at_key=True) == (4, 5)
    assert locate(node, ("milestones", 0, "title")) == (3, 5)  # missing: its mapping
    assert locate(node, ("milestones", 5)) == (3, 3)


def test_schema_messages_suggest_the_right_key_and_value() -> None:
    result = load_project_text("id: a1\ntitel: x\nstatus: aproved\n", "a1.yaml", "a1")
    messages = {p.code: p.message for p in result.problems}
    assert messages["unknown-key"] == "unknown key 'titel' (did you mean 'title'?)"
    assert "(did you mean 'approved'?)" in messages["invalid-value"]
    assert messages["missing-key"] == "missing required key 'title'"


def test_nested_unknown_key_suggests_from_the_nested_model() -> None:
    result = load_project_text(
        "id: a1\ntitle: x\nmilestones:\n  - {id: m, title: M, due: 2026-01-01, stauts: done}\n",
        "a1.yaml",
        "a1",
    )
    assert [p.message for p in result.problems] == ["unknown key 'stauts' (did you mean 'status'?)"]
    assert (result.problems[0].line, result.problems[0].column) == (4, 40)


def test_valid_project_parses_dates_and_ranges() -> None:
    result = load_project_text(
        "id: a1\ntitle: x\nstart: 2026-03-01\nscores: {nutzen: [2, 4], risiko: 3}\n"
        "dpia: https://example.org/dsfa\nopen_source: {value: false, reason: Vertrag}\n",
        "a1.yaml",
        "a1",
    )
    assert result.problems == []
    project = result.model
    assert project.start == dt.date(2026, 3, 1)
    assert project.scores == {"nutzen": [2.0, 4.0], "risiko": 3.0}
    assert project.open_source_value is False


def test_cache_serves_identical_results_and_never_stale(tmp_path: Path, portfolio: Path) -> None:
    cache = tmp_path / "c"
    first = load_portfolio(portfolio, cache)
    second = load_portfolio(portfolio, cache)
    assert first.portfolio == second.portfolio and first.problems == second.problems
    (portfolio / "projects" / "e-akte.yaml").write_text("id: e-akte\ntitle: [\n", encoding="utf-8")
    third = load_portfolio(portfolio, cache)
    assert [p.code for p in third.problems] == ["yaml-syntax"]


def test_cache_key_depends_on_content_and_name() -> None:
    assert Cache.key("project", "a.yaml", b"x") != Cache.key("project", "a.yaml", b"y")
    assert Cache.key("project", "a.yaml", b"x") != Cache.key("project", "b.yaml", b"x")
    assert Cache.key("project", "a.yaml", b"x") != Cache.key("strategy", "a.yaml", b"x")


def test_corrupt_cache_is_ignored(tmp_path: Path, portfolio: Path) -> None:
    cache = tmp_path / "c"
    load_portfolio(portfolio, cache)
    for file in cache.rglob("*.json"):
        file.write_bytes(b"not an entry")
    assert load_portfolio(portfolio, cache).problems == []


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    from roadmap.errors import UsageError

    with pytest.raises(UsageError, match="does not exist"):
        load_portfolio(tmp_path / "nowhere")
    with pytest.raises(UsageError, match=r"no strategy\.yaml"):
        load_portfolio(tmp_path)


def test_problems_of_invalid_file_include_its_references(portfolio: Path) -> None:
    (portfolio / "projects" / "b1.yaml").write_text(
        "id: b1\ntitel: x\nfield: verwaltng\n", encoding="utf-8"
    )
    from roadmap.checks import validate

    _, problems = validate(portfolio)
    codes = {(p.code, p.severity) for p in problems if p.file.endswith("b1.yaml")}
    assert ("unknown-field", Severity.ERROR) in codes and ("unknown-key", Severity.ERROR) in codes
