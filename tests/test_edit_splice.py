"""Lossless splices on every YAML style the red team tried (issue 20, items 5, 6 and the
minor editing points): the exact bytes written, read back by both parsers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from roadmap.edit import Change, apply, parse_assignment
from roadmap.errors import DataError, UsageError
from roadmap.model import Project
from roadmap.yamlsplice import comment_owners, compose_positions

from .conftest import ROOT


def edited(tmp_path: Path, text: str, *changes: Change) -> str:
    """The file after ``apply`` (second parser and comment check included)."""
    path = tmp_path / "x.yaml"
    path.write_bytes(text.encode())
    apply(path, list(changes), lambda _: None)
    return path.read_bytes().decode()


def put(path: str, value: object) -> Change:
    return Change("set", tuple(path.split(".")), value)


def add(path: str, value: object) -> Change:
    return Change("append", tuple(path.split(".")), value)


def drop(path: str, value: object) -> Change:
    return Change("remove", tuple(path.split(".")), value)


@pytest.mark.parametrize(
    ("before", "change", "after"),
    [
        # block scalars: the line break before the next key stays, and the final newline
        (
            "description: >-\n  alt text\n  more\nnext: 1\n",
            put("description", "Neu"),
            "description: >-\n  Neu\nnext: 1\n",
        ),
        (
            "a: 1\ndescription: >-\n  alt\n",
            put("description", "Neu"),
            "a: 1\ndescription: >-\n  Neu\n",
        ),
        (
            "description: |+\n  alt\n\nnext: 1\n",
            put("description", "Neu"),
            "description: |-\n  Neu\n\nnext: 1\n",
        ),
        (
            "description: >  # Kommentar\n  alt\n\n\nnext: 1\n",
            put("description", "zwei\nZeilen"),
            "description: |-  # Kommentar\n  zwei\n  Zeilen\n\n\nnext: 1\n",
        ),
        (
            "description: |-\n    tief\nnext: 1\n",
            put("description", " Einzug"),
            'description: " Einzug"\nnext: 1\n',
        ),
        # empty values, with and without a comment
        ("decision:\nnext: 1\n", put("decision", "must"), "decision: must\nnext: 1\n"),
        (
            "decision: # offen\nnext: 1\n",
            put("decision", "must"),
            "decision: must # offen\nnext: 1\n",
        ),
        ("scores:\nx: 1\n", put("scores.c", 4), "scores:\n  c: 4\nx: 1\n"),
        ("scores: # offen\nx: 1\n", put("scores.c", 4), "scores: # offen\n  c: 4\nx: 1\n"),
        ("scores: null\nx: 1\n", put("scores.c", 4), "scores: {c: 4}\nx: 1\n"),
        ("tags:\nx: 1\n", add("tags", "neu"), "tags: [neu]\nx: 1\n"),
        # flow lists: trailing comma, comments on several lines
        ("tags: [a, b, ]\n", add("tags", "c"), "tags: [a, b, c, ]\n"),
        ("tags: [a, b, ]\n", drop("tags", "b"), "tags: [a, ]\n"),
        ("tags: [a, b]\n", drop("tags", "b"), "tags: [a]\n"),
        ("tags: [a]  # x\n", drop("tags", "a"), "tags: []  # x\n"),
        (
            "tags: [a,  # first\n  b   # second\n]\n",
            drop("tags", "b"),
            "tags: [a  # first\n]\n",
        ),
        (
            "tags: [a,  # first\n  b,  # second\n  c  # third\n]\n",
            drop("tags", "b"),
            "tags: [a,  # first\n  c  # third\n]\n",
        ),
        (
            "tags: [a,  # first\n  b,  # second\n]\n",
            drop("tags", "b"),
            "tags: [a,  # first\n]\n",
        ),
        # aliases and anchors: an alias item keeps its place, an anchor stays
        (
            "b: &x q\ntags:\n  - a\n  - *x\nz: 1\n",
            add("tags", "c"),
            "b: &x q\ntags:\n  - a\n  - *x\n  - c\nz: 1\n",
        ),
        ("b: &x q\ntags: [a, *x]\n", add("tags", "c"), "b: &x q\ntags: [a, *x, c]\n"),
        ("base: &b 3\ncopy: *b\n", put("copy", 5), "base: &b 3\ncopy: 5\n"),
        ("base: &b 3\nother: 1\n", put("base", 4), "base: &b 4\nother: 1\n"),
        # line endings: CR only, and a mixed file keeps each line's own
        ("a: 1\rb: 2\r", put("c", 3), "a: 1\rb: 2\rc: 3\r"),
        ("a: 1\r\nb: 2\r\nc: 3\n", put("d", 4), "a: 1\r\nb: 2\r\nc: 3\nd: 4\n"),
        ("a: 1\r\nb: 2\nc: 3\r\n", put("d", 4), "a: 1\r\nb: 2\nc: 3\r\nd: 4\r\n"),
        ("a: 1\r\nb: 2", put("d", 4), "a: 1\r\nb: 2\r\nd: 4"),
        # values that need quoting or escaping
        ("t: 'x'\n", put("t", "it's"), "t: 'it''s'\n"),
        ("t: x\n", put("t", "a\u2028b\u2029c\ufeff"), 't: "a\\u2028b\\u2029c\\ufeff"\n'),
        ("t: x\n", put("t", "zwei\nZeilen"), 't: "zwei\\nZeilen"\n'),
        ("t: x\n", put("t", "a: b # c"), 't: "a: b # c"\n'),
        ("t: x\n", put("t", "no"), "t: no\n"),
        ("t: x\n", put("t", "123"), 't: "123"\n'),
        ("t: x\n", put("t", 1e308), "t: 1e+308\n"),
        ("t: x\n", put("t", "emoji 🎉 und \U0010fffd"), 't: "emoji 🎉 und \U0010fffd"\n'),
    ],
)
def test_splice(tmp_path: Path, before: str, change: Change, after: str) -> None:
    assert edited(tmp_path, before, change) == after


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("a\x85b", "U+0085 (NEXT LINE)"),
        ("\x7f", "U+007F"),
        ("a\rb", "U+000D (CARRIAGE RETURN)"),
        ("\x9b", "U+009B"),
        ("\ufffe", "U+FFFE"),
        ("a\x1bb", "U+001B"),
        (float("inf"), "not a finite number"),
        (float("nan"), "not a finite number"),
    ],
)
def test_values_no_file_can_hold_are_refused_clearly(
    tmp_path: Path, value: object, message: str
) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"t: x\n")
    with pytest.raises(UsageError, match=re.escape(message)):
        apply(path, [put("t", value)], lambda _: None)
    assert path.read_bytes() == b"t: x\n"


@pytest.mark.parametrize("raw", ["1e400", "-1e400", ".inf", ".nan", "x\x85y"])
def test_command_line_values_that_overflow_are_refused(raw: str) -> None:
    with pytest.raises(UsageError):
        parse_assignment(f"owner={raw}", list(Project.model_fields))


def test_minus_assignment_removes_an_item() -> None:
    fields = list(Project.model_fields)
    assert parse_assignment("tags-=dms", fields) == Change("remove", ("tags",), "dms")
    assert parse_assignment("tags+=a-b", fields) == Change("append", ("tags",), "a-b")
    assert parse_assignment("scores.a-b=3", fields) == Change("set", ("scores", "a-b"), 3)


def test_a_moved_comment_is_noticed() -> None:
    right = "tags: [a  # first\n]\n"
    wrong = "tags: [a   # second\n]\n"
    before = "tags: [a,  # first\n  b   # second\n]\n"
    owners = comment_owners(before, compose_positions(before))
    assert owners[("# second", ("tags", ("item", "b")))] == 1
    assert comment_owners(right, compose_positions(right)) <= owners
    assert not comment_owners(wrong, compose_positions(wrong)) <= owners


def test_every_shipped_description_can_be_set(tmp_path: Path) -> None:
    for source in sorted((ROOT / "data" / "projects").glob("*.yaml")):
        text = source.read_text(encoding="utf-8")
        after = edited(tmp_path, text, put("description", "Neu beschrieben."))
        assert after.endswith("\n") and "Neu beschrieben." in after, source.name
        assert after.count("\n") <= text.count("\n"), source.name


def test_a_document_with_a_yaml_problem_is_reported_where_it_is(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\nb: 2\na: 3\n")
    with pytest.raises(DataError) as caught:
        apply(path, [put("b", 5)], lambda _: None)
    assert [str(p) for p in caught.value.problems] == [
        f"{caught.value.problems[0].file}:3:1: error [yaml-duplicate-key] duplicate key 'a' "
        "(first given on line 1); keep one of them"
    ]
    assert path.read_bytes() == b"a: 1\nb: 2\na: 3\n"


def test_removing_an_anchored_item_that_an_alias_uses_is_refused(tmp_path: Path) -> None:
    from roadmap.edit import Change, Document
    from roadmap.errors import UsageError

    path = tmp_path / "p.yaml"
    path.write_text("id: p\ntags:\n  - &t a\n  - *t\n", encoding="utf-8")
    document = Document.read(path)
    with pytest.raises(UsageError, match="carries the anchor &t"):
        Change("remove", ("tags",), "a").apply_text(document)


@pytest.mark.parametrize(
    ("text", "change", "where", "aliases"),
    [
        ("base: &b 3\ncopy: *b\n", put("base", 4), ":1:7:", "copy (line 2)"),
        ("e: &e {x: 1}\nf: *e\n", put("e.y", 2), ":1:4:", "f.y (line 2)"),
        ("e: &e {x: 1}\nf: *e\n", put("f.x", 2), ":1:4:", "e.x (line 1)"),
        ("t: &t\n  - a\nu: *t\nv: *t\n", add("t", "b"), ":1:4:", "u (line 3), v (line 4)"),
        ("t: &t [a, b]\nu: *t\n", drop("u", "a"), ":1:4:", "t (line 1)"),
    ],
)
def test_a_value_that_aliases_repeat_is_refused_where_its_anchor_is(
    tmp_path: Path, text: str, change: Change, where: str, aliases: str
) -> None:
    """Changing an anchored value would silently change every alias of it too."""
    path = tmp_path / "x.yaml"
    path.write_bytes(text.encode())
    with pytest.raises(DataError) as caught:
        apply(path, [change], lambda _: None)
    problem = caught.value.problems[0]
    assert problem.code == "edit-shared-anchor"
    assert where in str(problem) and aliases in problem.message
    assert path.read_bytes() == text.encode()


@pytest.mark.parametrize(
    "text",
    ["id: p\n? title\n", "id: p\n? title\nowner: z\n", "id: p\n? title\n:\n  # later\n"],
)
def test_a_complex_key_without_a_value_is_refused_where_it_is(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(text.encode())
    with pytest.raises(DataError, match=r"x\.yaml:2:3: error \[edit-complex-key\] title is"):
        apply(path, [put("title", "Neu")], lambda _: None)
    assert path.read_bytes() == text.encode()


@pytest.mark.parametrize(
    ("before", "change", "after"),
    [
        ("id: p\n? title\n: T\n", put("title", "x"), "id: p\n? title\n: x\n"),
        ("id: p\n? title\n: T\n", put("owner", "x"), "id: p\n? title\n: T\nowner: x\n"),
        ("id: p\n? tags\n: [a]\n", add("tags", "b"), "id: p\n? tags\n: [a, b]\n"),
        ("id: p\ntitle: T\n...\n", put("owner", "x"), "id: p\ntitle: T\nowner: x\n...\n"),
        ("id: p\ntitle: T\n...\n# Ende\n", put("title", "x"), "id: p\ntitle: x\n...\n# Ende\n"),
        ("id: p\ntags:\n  - a\n...", add("tags", "b"), "id: p\ntags:\n  - a\n  - b\n..."),
        ("--- \nid: p\n...\n", put("owner", "x"), "--- \nid: p\nowner: x\n...\n"),
    ],
)
def test_complex_keys_and_document_markers_are_edited_in_place(
    tmp_path: Path, before: str, change: Change, after: str
) -> None:
    assert edited(tmp_path, before, change) == after


@pytest.mark.parametrize(
    ("before", "change", "after"),
    [
        (
            "? services\n: - k1\n  - k2\n",
            put("decision", "must"),
            "? services\n: - k1\n  - k2\ndecision: must\n",
        ),
        ("? owner\n: X\n", put("decision", "must"), "? owner\n: X\ndecision: must\n"),
        ("? department\na: 1\n", put("b", 2), "? department\na: 1\nb: 2\n"),
        ("wsjf: # c\n", put("department", "D"), "wsjf: # c\ndepartment: D\n"),
        ("wsjf: # c\n...\n", put("department", "D"), "wsjf: # c\ndepartment: D\n...\n"),
    ],
)
def test_keys_added_after_complex_keys_and_empty_values(
    tmp_path: Path, before: str, change: Change, after: str
) -> None:
    assert edited(tmp_path, before, change) == after


def test_removing_an_item_on_the_line_of_its_complex_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    text = "? services\n: - k1\n  - k2\n"
    path.write_bytes(text.encode())
    with pytest.raises(DataError, match=r"x\.yaml:2:5: error \[edit-list-layout\] services"):
        apply(path, [drop("services", "k1")], lambda _: None)
    assert path.read_bytes() == text.encode()
    assert edited(tmp_path, text, drop("services", "k2")) == "? services\n: - k1\n"


@pytest.mark.parametrize(
    ("text", "where"), [("--- \n...\n", ":2:1:"), ("- a\n", ":1:1:"), ("~\n", ":1:1:")]
)
def test_a_file_without_keys_is_refused_where_it_is(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(text.encode())
    with pytest.raises(DataError, match=rf"x\.yaml{where} error \[edit-not-a-mapping\]"):
        apply(path, [put("title", "Neu")], lambda _: None)
    assert path.read_bytes() == text.encode()
