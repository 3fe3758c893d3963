"""The Grödenau blind set (tests/bundle_eval/blind3) is whole and labelled consistently.

These tests check the set, never the tool's figures on it: the set must stay blind.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from functools import cache
from typing import Any

import yaml

from roadmap.checks import validate

from .conftest import ROOT

SET = ROOT / "tests" / "bundle_eval" / "blind3"
KINDS = {"duplicate", "prerequisite", "shared-words", "same-technology", "other"}
FEW = "(few shared words)"


@cache
def _projects() -> dict[str, dict[str, Any]]:
    files = sorted((SET / "projects").glob("*.yaml"))
    return {f.stem: yaml.safe_load(f.read_text(encoding="utf-8")) for f in files}


@cache
def _labels() -> list[dict[str, Any]]:
    pairs: list[dict[str, Any]] = yaml.safe_load((SET / "labels.yaml").read_text(encoding="utf-8"))[
        "pairs"
    ]
    return pairs


def _edges() -> set[frozenset[str]]:
    return {
        frozenset((pid, dep))
        for pid, project in _projects().items()
        for dep in project.get("depends_on") or []
    }


def _title_words(project_id: str) -> set[str]:
    title = _projects()[project_id]["title"]
    return {w for w in re.findall(r"[^\W\d_]+", title.lower()) if len(w) >= 4}


def _is_done(project_id: str) -> bool:
    return bool(_projects()[project_id].get("status") == "done")


def test_the_portfolio_validates_without_errors() -> None:
    loaded, problems = validate(SET)
    assert [p for p in problems if p.is_error] == []
    assert loaded.portfolio is not None
    assert len(loaded.portfolio.projects) == len(_projects())
    assert 90 <= len(_projects()) <= 120


def test_labels_name_existing_projects_once_each_with_a_valid_kind() -> None:
    seen: set[frozenset[str]] = set()
    for label in _labels():
        assert set(label) == {"a", "b", "same", "kind", "note"}, label
        assert label["a"] in _projects() and label["b"] in _projects(), label
        pair = frozenset((label["a"], label["b"]))
        assert len(pair) == 2, label
        assert pair not in seen, f"labelled twice: {label}"
        seen.add(pair)
        assert label["kind"] in KINDS, label
        assert label["same"] is (label["kind"] == "duplicate"), label
        assert label["note"].strip(), label


def test_prerequisite_pairs_are_exactly_the_dependency_edges() -> None:
    labelled = {frozenset((lb["a"], lb["b"])): lb["kind"] for lb in _labels()}
    edges = _edges()
    assert edges, "the portfolio has dependencies"
    for edge in edges:
        assert labelled.get(edge) == "prerequisite", sorted(edge)
    for pair, kind in labelled.items():
        assert (kind == "prerequisite") == (pair in edges), sorted(pair)


def test_every_pair_within_a_group_of_the_same_project_is_labelled_same() -> None:
    same = {frozenset((lb["a"], lb["b"])) for lb in _labels() if lb["same"]}
    group_of = {pid: {pid} for pair in same for pid in pair}
    for a, b in (tuple(pair) for pair in same):
        merged = group_of[a] | group_of[b]
        for pid in merged:
            group_of[pid] = merged
    groups = {frozenset(g) for g in group_of.values()}
    assert max(len(g) for g in groups) >= 3
    for group in groups:
        for a, b in itertools.combinations(sorted(group), 2):
            assert frozenset((a, b)) in same, f"{a} and {b} are in one group but not labelled"


def test_few_shared_words_marks_match_the_titles() -> None:
    for label in _labels():
        if not label["same"]:
            assert FEW not in label["note"], label
            continue
        shares_nothing = not (_title_words(label["a"]) & _title_words(label["b"]))
        assert label["note"].endswith(FEW) is shares_nothing, label


def _readme_counts() -> dict[str, int]:
    rows = re.findall(r"^\| (.+?) \| (\d+) \|$", (SET / "README.md").read_text("utf-8"), re.M)
    return {what: int(count) for what, count in rows}


def test_the_readme_counts_are_those_of_the_set() -> None:
    labels = _labels()
    kinds = Counter(lb["kind"] for lb in labels)
    same = [lb for lb in labels if lb["same"]]
    counts = _readme_counts()
    few = 'of them with titles sharing no word of four or more letters ("few shared words")'
    assert counts == {
        "projects": len(_projects()),
        "of them done": sum(_is_done(pid) for pid in _projects()),
        "labelled pairs": len(labels),
        "same: true (kind duplicate)": len(same),
        few: sum(lb["note"].endswith(FEW) for lb in same),
        "of them with one project already done": sum(
            _is_done(lb["a"]) != _is_done(lb["b"]) for lb in same
        ),
        "prerequisite pairs (one depends_on the other, same: false)": kinds["prerequisite"],
        "hard negatives (kind shared-words or same-technology)": kinds["shared-words"]
        + kinds["same-technology"],
        "other negatives": kinds["other"],
    }


def test_the_set_is_as_large_as_the_issue_asks() -> None:
    labels = _labels()
    same = sum(lb["same"] for lb in labels)
    hard = sum(lb["kind"] in {"prerequisite", "shared-words", "same-technology"} for lb in labels)
    assert len(labels) >= 100 and same >= 30 and hard >= 65
