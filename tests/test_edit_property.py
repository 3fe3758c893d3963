"""Random edits on documents in every style: each one is written losslessly or refused
with a message, never an internal error, and reads back as intended with both parsers."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap.edit import Change, apply
from roadmap.errors import DataError, UsageError

BLOCKS = [
    "title: 'Alt'  # quoted\n",
    'owner: "A. B."\n',
    "description: >-\n  zwei\n  Zeilen\n",
    "summary: |+\n  behalten\n\n",
    "decision:\n",
    "status: idea  # Kommentar\n",
    "tags: [a, b, ]\n",
    "goals: [x,  # erstes\n  y   # zweites\n]\n",
    "depends_on:\n  - p\n  # dazwischen\n  - q\n",
    "services: &s [k1, k2]\n",
    "distinct_from: *s\n",
    "scores:\n",
    "effort: {budget_eur: 5}\n",
    "wsjf:\n  job_size: 3\n",
    "target_groups: []\n",
    "summary: ein langer\n  Satz über zwei Zeilen\n",
    'department: "doppelt\n  gefaltet"\n',
    "effort: {budget_eur: 5,  # Budget\n  staff_fte: 1}\n",
    "scores:  # bitte bewerten\n  a: 1  # gering\n",
    "analog_access:\n  - &t a\n  - *t\n",
    "title: &title Titel\n",
    "legal_basis: ~\n",
    "start: 2027-01-01\n",
    "deadline: null  # offen\n",
]
KEYS = [
    "title",
    "owner",
    "description",
    "summary",
    "decision",
    "status",
    "extra",
    "department",
    "legal_basis",
    "deadline",
]
LISTS = [
    "analog_access",
    "tags",
    "goals",
    "depends_on",
    "services",
    "distinct_from",
    "target_groups",
    "neu",
]
WORDS = st.sampled_from(["a", "y", "k1", "neu", "it's", "zwei\nZeilen", "Ä ö # x", "1", "no"])
CHANGES = st.one_of(
    st.builds(lambda k, v: Change("set", (k,), v), st.sampled_from(KEYS), WORDS),
    st.builds(
        lambda k, v: Change("set", (k, "c"), v),
        st.sampled_from(["scores", "effort", "wsjf"]),
        st.integers(0, 9),
    ),
    st.builds(lambda k, v: Change("append", (k,), v), st.sampled_from(LISTS), WORDS),
    st.builds(lambda k, v: Change("remove", (k,), v), st.sampled_from(LISTS), WORDS),
)


@settings(
    max_examples=int(os.environ.get("EDIT_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=8, unique=True),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
    st.lists(CHANGES, min_size=1, max_size=3),
)
def test_random_edits_are_lossless_or_refused(
    tmp_path: Path, blocks: list[str], newline: str, final: bool, changes: list[Change]
) -> None:
    if "distinct_from: *s\n" in blocks and "services: &s [k1, k2]\n" in blocks:
        blocks.remove("distinct_from: *s\n")
        blocks.insert(blocks.index("services: &s [k1, k2]\n") + 1, "distinct_from: *s\n")
    elif "distinct_from: *s\n" in blocks:
        blocks.remove("distinct_from: *s\n")
    blocks = list({block.split(":")[0]: block for block in reversed(blocks)}.values())[::-1]
    if not blocks:
        return
    text = "".join(blocks).replace("\n", newline)
    if not final:
        text = text.rstrip(newline)
    path = tmp_path / "x.yaml"
    path.write_bytes(text.encode())
    try:
        apply(path, changes, lambda _: None)
    except UsageError:
        assert path.read_bytes() == text.encode()
    except DataError as exc:
        assert "internal error" not in str(exc), (text, changes, str(exc))
        if not [p for p in exc.problems if p.code.startswith("edit-")]:
            raise
        assert path.read_bytes() == text.encode()  # a located refusal changes nothing
