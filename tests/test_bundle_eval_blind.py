"""Integrity of the blind evaluation set for `roadmap bundle` (tests/bundle_eval/blind).

These tests check the set, never the tool: the tool's precision and recall on it
are measured elsewhere, and nothing here may be tuned to them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

import pytest
import yaml

from roadmap.checks import validate
from roadmap.model import Project

from .conftest import ROOT

BLIND = ROOT / "tests" / "bundle_eval" / "blind"
KINDS = {"duplicate", "prerequisite", "shared-words", "same-technology", "other"}
HARD_NEGATIVE_KINDS = {"shared-words", "same-technology"}
FEW_SHARED_WORDS = "(few shared words)"


@dataclass(frozen=True)
class Label:
    a: str
    b: str
    same: bool
    kind: str
    note: str

    @property
    def key(self) -> frozenset[str]:
        return frozenset((self.a, self.b))


@cache
def projects() -> dict[str, Project]:
    loaded, problems = validate(BLIND)
    errors = [p for p in problems if p.is_error]
    assert errors == [], errors
    assert loaded.portfolio is not None
    return dict(loaded.portfolio.projects)


@cache
def raw_labels() -> list[object]:
    document = yaml.safe_load((BLIND / "labels.yaml").read_text(encoding="utf-8"))
    assert isinstance(document, dict) and set(document) == {"pairs"}, (
        "labels.yaml holds one key, pairs:"
    )
    pairs = document["pairs"]
    assert isinstance(pairs, list)
    return pairs


def labels() -> list[Label]:
    result = []
    for index, entry in enumerate(raw_labels()):
        assert isinstance(entry, dict), f"pairs[{index}] is not a mapping"
        assert set(entry) == {"a", "b", "same", "kind", "note"}, (
            f"pairs[{index}] keys: {sorted(entry)}"
        )
        result.append(Label(**entry))
    return result


def readme_counts() -> dict[str, int]:
    """The `| what | count |` table of the set's README."""
    text = (BLIND / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (.+?) \| (\d+) \|$", text, flags=re.MULTILINE)
    return {what: int(count) for what, count in rows}


def long_words(text: str) -> set[str]:
    return {word for word in re.findall(r"\w+", text.lower()) if len(word) >= 4}


def has_edge(a: str, b: str) -> bool:
    """Whether one of the two depends on the other (an unknown id has no edges)."""
    all_projects = projects()
    a_needs = all_projects[a].depends_on if a in all_projects else []
    b_needs = all_projects[b].depends_on if b in all_projects else []
    return b in a_needs or a in b_needs


def test_the_blind_portfolio_validates_without_errors() -> None:
    all_projects = projects()
    assert len(all_projects) >= 80
    assert {p.status for p in all_projects.values()} >= {
        "idea",
        "proposed",
        "approved",
        "in_progress",
        "done",
    }


def test_every_label_is_well_formed() -> None:
    for label in labels():
        where = f"{label.a} · {label.b}"
        assert isinstance(label.a, str) and isinstance(label.b, str), where
        assert label.a != label.b, f"{where}: a project paired with itself"
        assert isinstance(label.same, bool), f"{where}: same must be true or false"
        assert label.kind in KINDS, f"{where}: kind {label.kind!r} is not one of {sorted(KINDS)}"
        assert label.same == (label.kind == "duplicate"), (
            f"{where}: same: true if and only if kind: duplicate"
        )
        assert isinstance(label.note, str) and label.note.strip(), f"{where}: note is empty"
        assert "\n" not in label.note, f"{where}: note must be one line"


def test_every_labelled_id_is_a_project_of_the_set() -> None:
    known = set(projects())
    unknown = sorted({i for label in labels() for i in (label.a, label.b)} - known)
    assert unknown == []


def test_no_pair_is_labelled_twice() -> None:
    counts = Counter(label.key for label in labels())
    assert [sorted(key) for key, n in counts.items() if n > 1] == []


def test_prerequisite_pairs_depend_on_each_other_and_are_never_the_same() -> None:
    for label in labels():
        if label.kind == "prerequisite":
            assert not label.same, f"{label.a} · {label.b}"
            assert has_edge(label.a, label.b), f"{label.a} · {label.b}: no depends_on edge"
        if label.same:
            assert not has_edge(label.a, label.b), (
                f"{label.a} · {label.b}: same, yet one depends on the other"
            )


def test_every_labelled_dependency_pair_is_labelled_prerequisite() -> None:
    wrong = [
        (x.a, x.b, x.kind) for x in labels() if has_edge(x.a, x.b) and x.kind != "prerequisite"
    ]
    assert wrong == []


def test_same_groups_are_labelled_completely() -> None:
    """One project the same as two others makes all three the same: label every pair."""
    group_of: dict[str, set[str]] = {}
    for label in labels():
        if label.same:
            merged = group_of.get(label.a, {label.a}) | group_of.get(label.b, {label.b})
            for member in merged:
                group_of[member] = merged
    same_keys = {label.key for label in labels() if label.same}
    for group in {frozenset(g) for g in group_of.values()}:
        members = sorted(group)
        missing = [
            (x, y)
            for i, x in enumerate(members)
            for y in members[i + 1 :]
            if frozenset((x, y)) not in same_keys
        ]
        assert missing == [], f"group {members}: pairs not labelled same: {missing}"


def test_pairs_marked_few_shared_words_have_titles_without_a_common_word() -> None:
    all_projects = projects()
    marked = [label for label in labels() if FEW_SHARED_WORDS in label.note]
    assert all(label.same for label in marked)
    for label in marked:
        common = long_words(all_projects[label.a].title) & long_words(all_projects[label.b].title)
        assert common == set(), f"{label.a} · {label.b} share {sorted(common)}"


def test_the_readme_counts_are_those_of_the_set() -> None:
    all_labels = labels()
    all_projects = projects()
    kinds = Counter(label.kind for label in all_labels)
    assert readme_counts() == {
        "projects": len(all_projects),
        "labelled pairs": len(all_labels),
        "same: true (kind duplicate)": sum(label.same for label in all_labels),
        'of them with titles sharing no word of four or more letters ("few shared words")': sum(
            FEW_SHARED_WORDS in label.note for label in all_labels
        ),
        "of them with one project already done": sum(
            label.same and "done" in (all_projects[label.a].status, all_projects[label.b].status)
            for label in all_labels
        ),
        "prerequisite pairs (one depends_on the other, same: false)": kinds["prerequisite"],
        "hard negatives (kind shared-words or same-technology)": sum(
            kinds[k] for k in HARD_NEGATIVE_KINDS
        ),
        "other negatives": kinds["other"],
    }


@pytest.mark.parametrize(
    ("what", "at_least"),
    [
        ("labelled pairs", 70),
        ("same: true (kind duplicate)", 25),
        ('of them with titles sharing no word of four or more letters ("few shared words")', 8),
        ("prerequisite pairs (one depends_on the other, same: false)", 10),
        ("hard negatives (kind shared-words or same-technology)", 25),
    ],
)
def test_the_set_is_large_enough_to_measure_with(what: str, at_least: int) -> None:
    assert readme_counts()[what] >= at_least


def test_the_readme_forbids_tuning_on_the_set() -> None:
    text = " ".join((BLIND / "README.md").read_text(encoding="utf-8").split())
    assert "never tune on this set" in text.lower()
    assert "it becomes a training set and a new blind set is needed" in text
