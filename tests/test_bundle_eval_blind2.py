"""Integrity of the second blind evaluation set for `roadmap bundle` (tests/bundle_eval/blind2).

These tests check the set, never the tool: the tool's precision and recall on it are
measured elsewhere, and nothing here may be tuned to them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

import yaml

from roadmap.checks import validate
from roadmap.model import Project

from .conftest import ROOT

BLIND2 = ROOT / "tests" / "bundle_eval" / "blind2"
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

    @property
    def where(self) -> str:
        return f"{self.a} · {self.b}"


@cache
def projects() -> dict[str, Project]:
    loaded, problems = validate(BLIND2)
    errors = [str(p) for p in problems if p.is_error]
    assert errors == []
    assert loaded.portfolio is not None
    return dict(loaded.portfolio.projects)


@cache
def labels() -> tuple[Label, ...]:
    document = yaml.safe_load((BLIND2 / "labels.yaml").read_text(encoding="utf-8"))
    assert isinstance(document, dict) and set(document) == {"pairs"}, (
        "labels.yaml holds one key, pairs:"
    )
    result = []
    for index, entry in enumerate(document["pairs"]):
        assert isinstance(entry, dict), f"pairs[{index}] is not a mapping"
        assert set(entry) == {"a", "b", "same", "kind", "note"}, (
            f"pairs[{index}] keys: {sorted(entry)}"
        )
        result.append(Label(**entry))
    return tuple(result)


def has_edge(a: str, b: str) -> bool:
    """Whether one of the two depends on the other."""
    all_projects = projects()
    return b in all_projects[a].depends_on or a in all_projects[b].depends_on


def long_words(text: str) -> set[str]:
    return {word for word in re.findall(r"\w+", text.lower()) if len(word) >= 4}


def readme_counts() -> dict[str, int]:
    """The `| what | count |` table of the set's README."""
    text = (BLIND2 / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (.+?) \| (\d+) \|$", text, flags=re.MULTILINE)
    return {what: int(count) for what, count in rows}


def test_the_portfolio_validates_and_is_of_the_size_asked_for() -> None:
    all_projects = projects()
    assert 80 <= len(all_projects) <= 110
    statuses = Counter(p.status for p in all_projects.values())
    assert statuses["done"] >= 5
    assert {"idea", "proposed", "approved", "in_progress"} <= set(statuses)
    assert sum(1 for p in all_projects.values() if p.depends_on) >= 10


def test_every_label_is_well_formed() -> None:
    for label in labels():
        assert isinstance(label.a, str) and isinstance(label.b, str), label.where
        assert label.a != label.b, f"{label.where}: a project paired with itself"
        assert isinstance(label.same, bool), f"{label.where}: same must be true or false"
        assert label.kind in KINDS, f"{label.where}: kind {label.kind!r} not in {sorted(KINDS)}"
        assert label.same == (label.kind == "duplicate"), (
            f"{label.where}: same: true if and only if kind: duplicate"
        )
        assert isinstance(label.note, str) and label.note.strip(), f"{label.where}: empty note"
        assert "\n" not in label.note, f"{label.where}: the note must be one line"


def test_every_labelled_id_is_a_project_of_the_set() -> None:
    known = set(projects())
    unknown = sorted({i for label in labels() for i in (label.a, label.b)} - known)
    assert unknown == []


def test_no_pair_is_labelled_twice() -> None:
    counts = Counter(label.key for label in labels())
    assert [sorted(key) for key, n in counts.items() if n > 1] == []


def test_prerequisite_labels_and_depends_on_edges_agree() -> None:
    """A pair is labelled prerequisite exactly when one depends on the other, and
    every edge of the portfolio is labelled."""
    for label in labels():
        assert (label.kind == "prerequisite") == has_edge(label.a, label.b), label.where
    labelled = {label.key for label in labels()}
    edges = {
        frozenset((project.id, needed))
        for project in projects().values()
        for needed in project.depends_on
    }
    assert sorted(sorted(edge) for edge in edges - labelled) == []


def test_same_groups_are_labelled_completely() -> None:
    """Projects that are the same form groups; every pair within a group is labelled same."""
    group_of: dict[str, set[str]] = {}
    for label in labels():
        if label.same:
            merged = group_of.get(label.a, {label.a}) | group_of.get(label.b, {label.b})
            for member in merged:
                group_of[member] = merged
    same = {label.key for label in labels() if label.same}
    missing = sorted(
        sorted((a, b))
        for group in {frozenset(g) for g in group_of.values()}
        for a in group
        for b in group
        if a < b and frozenset((a, b)) not in same
    )
    assert missing == []


def test_few_shared_words_marks_say_what_the_titles_share() -> None:
    all_projects = projects()
    wrong = []
    for label in labels():
        if not label.same:
            assert FEW_SHARED_WORDS not in label.note, label.where
            continue
        shares = long_words(all_projects[label.a].title) & long_words(all_projects[label.b].title)
        if label.note.endswith(FEW_SHARED_WORDS) == bool(shares):
            wrong.append((label.where, sorted(shares)))
    assert wrong == []


def test_the_readme_counts_are_those_of_the_set() -> None:
    all_projects = projects()
    same = [label for label in labels() if label.same]
    kinds = Counter(label.kind for label in labels())
    assert readme_counts() == {
        "projects": len(all_projects),
        "labelled pairs": len(labels()),
        "same: true (kind duplicate)": len(same),
        'of them with titles sharing no word of four or more letters ("few shared words")': sum(
            1 for label in same if label.note.endswith(FEW_SHARED_WORDS)
        ),
        "of them with one project already done": sum(
            1
            for label in same
            if "done" in (all_projects[label.a].status, all_projects[label.b].status)
        ),
        "prerequisite pairs (one depends_on the other, same: false)": kinds["prerequisite"],
        "hard negatives (kind shared-words or same-technology)": sum(
            kinds[kind] for kind in HARD_NEGATIVE_KINDS
        ),
        "other negatives": kinds["other"],
    }


def test_the_set_is_as_large_and_as_hard_as_issue_17_asks() -> None:
    """At least 70 pairs: 25–30 same (many sharing few words, a few with a done side)
    and at least 40 hard non-same pairs (prerequisites, shared words, same technology)."""
    all_projects = projects()
    same = [label for label in labels() if label.same]
    hard = [x for x in labels() if x.kind in HARD_NEGATIVE_KINDS | {"prerequisite"}]
    assert len(labels()) >= 70
    assert 25 <= len(same) <= 30
    assert sum(1 for label in same if label.note.endswith(FEW_SHARED_WORDS)) >= len(same) // 2
    done_side = [x for x in same if "done" in (all_projects[x.a].status, all_projects[x.b].status)]
    assert len(done_side) >= 3
    assert len(hard) >= 40
