"""Whatever text a file holds, the loader answers with problems, never an exception."""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap.load import FileResult, decode, load_project_text, load_strategy_text
from roadmap.model import Project

# `make fuzz` runs these with ROADMAP_FUZZ_SCALE=150 (about ten minutes)
SCALE = int(os.environ.get("ROADMAP_FUZZ_SCALE", "1"))

YAMLISH = st.text(
    alphabet=st.sampled_from(list("abc:- \n\t[]{},&*!|>'\"#%@`?~0123456789.eE+_ü\x00\ufeff")),
    max_size=200,
)
KEYS = st.sampled_from(
    ["id", "title", "status", "scores", "depends_on", "milestones", "start", "effort", "kpis", "x"]
)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=300 * SCALE, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(YAMLISH, st.text(max_size=200)))
def test_any_text_gives_problems_not_exceptions(text: str) -> None:
    for result in (load_project_text(text, "p.yaml", "p1"), load_strategy_text(text, "s.yaml")):
        assert (result.model is None) == any(
            p.is_error if hasattr(p, "is_error") else p.severity.value == "error"
            for p in result.problems
        )
        for problem in result.problems:
            assert problem.line >= 1 and problem.column >= 1 and problem.message


@settings(max_examples=200 * SCALE, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_any_mapping_gives_problems_not_exceptions(data: dict[str, object]) -> None:
    text = json.dumps(data, allow_nan=True)  # JSON is YAML 1.2
    result = load_project_text(text, "p.yaml", "p1")
    assert all(p.line >= 1 for p in result.problems)


@given(st.binary(max_size=300))
def test_any_bytes_decode_or_give_a_problem(data: bytes) -> None:
    text, problem = decode(data)
    assert (text is None) == (problem is not None)


# --------------------------------------------------------------------------- hostile classes

HOSTILE_SCALARS = st.one_of(
    st.integers(min_value=90, max_value=6_000).map(lambda n: "9" * n),  # huge literals
    st.integers(min_value=90, max_value=6_000).map(lambda n: "0x" + "f" * n),
    st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "1e400", "-.inf", ".nan"]),
)
TAGS = st.sampled_from(
    ["", "!!python/object/apply:os.system ", "!!binary ", "!!set ", "!custom ", "!!map ", "!!seq "]
)


@settings(max_examples=200 * SCALE, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    KEYS.filter(lambda k: k not in ("id", "title")),  # those would be duplicate keys
    HOSTILE_SCALARS,
    TAGS,
    st.sampled_from(["[{}]", "{{x: {}}}", "{}"]),
)
def test_hostile_values_give_located_problems(key: str, scalar: str, tag: str, shape: str) -> None:
    """Huge numbers, impossible or far dates, tags on any kind of node: problems with a
    place, never an exception."""
    text = f"id: p1\ntitle: T\n{key}: {tag}{shape.format(scalar)}\n"
    result = load_project_text(text, "p.yaml", "p1")
    for problem in result.problems:
        assert problem.line >= 1 and problem.column >= 1 and problem.message
    if tag.strip() and tag.strip() not in ("!!map", "!!seq"):
        assert any(p.code == "yaml-tag" for p in result.problems)


@settings(max_examples=200 * SCALE, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(YAMLISH, st.dictionaries(KEYS, VALUES, max_size=6).map(json.dumps)))
def test_cached_result_equals_the_fresh_one(text: str) -> None:
    """What the cache keeps (plain JSON) gives back exactly the fresh result."""
    fresh = load_project_text(text, "p.yaml", "p1")
    entry = fresh.cached()
    if entry is None:  # data JSON cannot hold unchanged is not cached
        return
    again = FileResult.from_cache(json.loads(json.dumps(entry)), Project)
    assert again is not None
    assert (again.model, again.partial, again.problems) == (
        fresh.model,
        fresh.partial,
        fresh.problems,
    )
