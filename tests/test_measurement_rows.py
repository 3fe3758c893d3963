"""Long runs of one-line KPI measurements read without the YAML parser
(measurement_rows): the same data and the same problem positions as the parser gives,
and the parser whenever the fast reading could differ."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap import load, measurement_rows

from .conftest import ROOT

HEAD = (
    "id: kk\ntitle: K\nowner: X\nstatus: idea\nkpis:\n"
    "  - id: nutzung\n    title: Nutzung\n    direction: increase\n"
    "    baseline: {value: 0, date: 1989-12-31}\n"
    "    target: {value: 100, date: 2100-12-31}\n"
    "    measurements:\n"
)


def rows(count: int, first: int = 0, indent: str = "      ") -> str:
    start = dt.date(1990, 1, 1)
    return "".join(
        f"{indent}- {{date: {start + dt.timedelta(days=day)}, value: {day}}}\n"
        for day in range(first, first + count)
    )


def slow_parse(text: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as patch:
        patch.setattr(load.syntax, "_parse_rows", lambda text: None)
        return load.parse(text)


def problems(text: str) -> list[Any]:
    return load.load_project_text(text, "kk.yaml", "kk").problems


def problems_slow(text: str, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    with monkeypatch.context() as patch:
        patch.setattr(load.syntax, "_parse_rows", lambda text: None)
        return problems(text)


def test_a_long_run_is_read_fast_into_the_data_the_parser_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = HEAD + rows(500) + "    unit: Fälle\ntags: [a, b]\n"
    data, node, problem = load.parse(text)
    assert isinstance(node, measurement_rows.Collapsed)  # the fast reading was taken
    assert problem is None
    assert data == slow_parse(text, monkeypatch)[0]
    assert data["kpis"][0]["measurements"][499] == {"date": "1991-05-15", "value": 499}
    assert data["kpis"][0]["unit"] == "Fälle" and data["tags"] == ["a", "b"]


def test_numbers_of_every_shape_come_out_as_the_parser_reads_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    values = ["0", "-0", "7", "-12", "3.5", "-0.25", "10.0", "123456789012345", "007", "1e3"]
    lines = [
        f"      - {{date: 2020-01-{1 + i % 28:02d}, value: {v}}}\n"
        for i, v in enumerate(values * 8)
    ]
    text = HEAD + "".join(lines)
    fast = load.parse(text)[0]
    slow = slow_parse(text, monkeypatch)[0]
    assert fast == slow
    got = [m["value"] for m in fast["kpis"][0]["measurements"]]
    want = [m["value"] for m in slow["kpis"][0]["measurements"]]
    assert [type(v) for v in got] == [type(v) for v in want]  # 10.0 stays a float


@pytest.mark.parametrize(
    "text",
    [
        # the rows are text of a block scalar, not a list
        HEAD + rows(3) + "description: |\n" + rows(40, indent="  "),
        # inside a multi-line quoted string
        HEAD + rows(3) + 'summary: "a\n' + rows(40, indent="  ") + '  b"\n',
        # the list is anchored and used again through an alias
        HEAD.replace("measurements:\n", "measurements: &m\n") + rows(40) + "extra: *m\n",
        # the placeholder's prefix is in the text already
        HEAD + rows(40) + f"summary: {measurement_rows.PREFIX}0\n",
        # a top-level list
        rows(40, indent=""),
    ],
    ids=["block-scalar", "quoted", "alias", "prefix", "top-level-list"],
)
def test_text_the_fast_reading_could_misread_is_left_to_the_parser(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, node, problem = load.parse(text)
    assert not isinstance(node, measurement_rows.Collapsed)
    assert (data, problem) == slow_parse(text, monkeypatch)[::2]


def test_problems_inside_and_after_a_run_are_located_as_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (
        HEAD
        + rows(40)
        + "      - {date: 1990-02-30, value: 1}\n"  # no such day, in the row's own shape
        + rows(40, first=41)
        + "      - {date: 1990-04-01, value: x}\n"  # no number: the parser reads this line
        + rows(35, first=100)
        + "    unit: [oops]\n"
        + "budget: lots\n"
    )
    fast = problems(text)
    assert fast == problems_slow(text, monkeypatch)
    lines = {p.line for p in fast}
    assert HEAD.count("\n") + 41 in lines  # the impossible date, on its own line
    assert text.splitlines().index("budget: lots") + 1 in lines


def test_too_many_measurements_are_named_at_their_key(monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEAD + rows(2_001)
    fast = problems(text)
    assert fast == problems_slow(text, monkeypatch)
    assert [p.code for p in fast] == ["too-many-measurements"]
    assert (fast[0].line, fast[0].column) == (HEAD.count("\n") + 1, 7)  # the list


def test_a_finding_of_a_later_check_is_located_in_the_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from roadmap.checks import validate

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    text = HEAD + rows(60) + rows(1, first=59)  # a date twice
    (data / "projects" / "kk.yaml").write_text(text, encoding="utf-8")
    found = [p for p in validate(data, None)[1] if p.code == "duplicate-measurement"]
    with monkeypatch.context() as patch:
        patch.setattr(load.syntax, "_parse_rows", lambda text: None)
        slow = [p for p in validate(data, None)[1] if p.code == "duplicate-measurement"]
    assert found == slow and found


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(0, 80).map(lambda n: ("rows", n)),
            st.sampled_from(
                [
                    ("line", "      - {date: 2020-01-01, value: 1}  # a comment\n"),
                    ("line", "      - {date: 2020-01-01,value: 1}\n"),
                    ("line", "\n"),
                    ("line", "      - {date: '2020-01-01', value: 2.50}\n"),
                    ("line", "        - {date: 2020-01-01, value: 1}\n"),
                    ("line", "      - {date: 2020-13-01, value: 1}\n"),
                ]
            ),
        ),
        max_size=8,
    )
)
def test_any_mix_of_rows_and_other_lines_reads_as_the_parser_reads_it(
    parts: list[tuple[str, Any]],
) -> None:
    text = HEAD + "".join(rows(p[1], first=i * 100) if p[0] == "rows" else p[1]
                          for i, p in enumerate(parts))  # fmt: skip
    fast = load.parse(text)
    original = load.syntax._parse_rows
    load.syntax._parse_rows = lambda text: None  # type: ignore[assignment]
    try:
        slow = load.parse(text)
        slow_problems = problems(text)
    finally:
        load.syntax._parse_rows = original
    assert (fast[0], fast[2]) == (slow[0], slow[2])
    assert problems(text) == slow_problems


def test_a_list_too_long_is_refused_as_the_parser_refuses_it_whatever_its_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (
        HEAD
        + rows(10)
        + "      - {date: 1990-02-30, value: 1}\n"
        + rows(2_300, first=11)
        + "      - {date: 1999-02-30, value: 1}\n"
        + rows(500, first=3_000)
        + "budget: lots\n"
    )
    data, node, _ = load.parse(text)
    assert isinstance(node, measurement_rows.Collapsed)
    assert len(data["kpis"][0]["measurements"]) == 2_812  # the length is kept
    fast = problems(text)
    assert fast == problems_slow(text, monkeypatch)
    assert {p.code for p in fast} == {"too-many-measurements", "unknown-key"}
    assert "2,812 measurements" in next(p.message for p in fast if p.line == 12)


def test_only_measurements_lists_are_shortened(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "id: kk\ntitle: K\nowner: X\nstatus: idea\nmilestones:\n" + rows(2_500, indent="  ")
    data = load.parse(text)[0]
    assert data == slow_parse(text, monkeypatch)[0]
    assert problems(text) == problems_slow(text, monkeypatch)
