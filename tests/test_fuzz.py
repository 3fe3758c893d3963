"""Whatever text a file holds, the loader answers with problems, never an exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap.load import decode, load_project_text, load_strategy_text

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


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(YAMLISH, st.text(max_size=200)))
def test_any_text_gives_problems_not_exceptions(text: str) -> None:
    for result in (load_project_text(text, "p.yaml", "p1"), load_strategy_text(text, "s.yaml")):
        assert (result.model is None) == any(
            p.is_error if hasattr(p, "is_error") else p.severity.value == "error"
            for p in result.problems
        )
        for problem in result.problems:
            assert problem.line >= 1 and problem.column >= 1 and problem.message


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_any_mapping_gives_problems_not_exceptions(data: dict[str, object]) -> None:
    import json

    text = json.dumps(data, allow_nan=True)  # JSON is YAML 1.2
    result = load_project_text(text, "p.yaml", "p1")
    assert all(p.line >= 1 for p in result.problems)


@given(st.binary(max_size=300))
def test_any_bytes_decode_or_give_a_problem(data: bytes) -> None:
    text, problem = decode(data)
    assert (text is None) == (problem is not None)
