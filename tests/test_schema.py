"""The JSON Schema: every shipped file passes it; what `roadmap validate` refuses, the
schema refuses too where JSON Schema can say it; specialised to a portfolio, it knows
the portfolio's ids and scales."""

from __future__ import annotations

import math
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from roadmap.load import load_portfolio
from roadmap.schema import json_schemas

from .conftest import ROOT


def _plain(path: Any) -> Any:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dates_as_text(value: Any) -> Any:
    import datetime as dt

    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    return value


@pytest.fixture(scope="module")
def portfolio() -> Any:
    loaded = load_portfolio(ROOT / "data")
    assert loaded.portfolio is not None
    return loaded.portfolio


@pytest.mark.parametrize("specialised", [False, True])
def test_every_shipped_file_passes_the_schema(portfolio: Any, specialised: bool) -> None:
    schemas = json_schemas(portfolio if specialised else None)
    project = Draft202012Validator(schemas["project"])
    for path in sorted((ROOT / "data" / "projects").glob("*.yaml")):
        errors = [e.message for e in project.iter_errors(_dates_as_text(_plain(path)))]
        assert errors == [], path.name
    strategy = Draft202012Validator(schemas["strategy"])
    assert [
        e.message
        for e in strategy.iter_errors(_dates_as_text(_plain(ROOT / "data" / "strategy.yaml")))
    ] == []


def test_the_schema_refuses_what_validate_refuses(portfolio: Any) -> None:
    schema = Draft202012Validator(json_schemas()["project"])
    base = {"id": "e-akte", "title": "E-Akte"}
    for bad in (
        {"effort": {"budget_eur": math.nan}},
        {"effort": {"budget_eur": math.inf}},
        {"dpia": "irgendwann"},
        {"<<": {"title": "x"}},
    ):
        assert list(schema.iter_errors({**base, **bad})), bad
    for good in ({"dpia": "2026-03-01"}, {"dpia": "https://intranet/dsfa/42"}):
        assert not list(schema.iter_errors({**base, **good})), good


def test_a_specialised_schema_knows_ids_and_scales(portfolio: Any) -> None:
    schema = json_schemas(portfolio)["project"]
    assert schema["$id"].startswith("urn:kommune-roadmap:schema:")
    checker = Draft202012Validator(schema)
    base = {"id": "neu", "title": "Neu"}
    assert not list(checker.iter_errors({**base, "field": "verwaltung"}))
    assert list(checker.iter_errors({**base, "field": "verwaltnug"}))  # a typo is flagged
    assert list(checker.iter_errors({**base, "depends_on": ["gibt-es-nicht"]}))
    assert list(checker.iter_errors({**base, "scores": {"citizen_value": 9}}))  # scale 1–5
    assert not list(checker.iter_errors({**base, "scores": {"citizen_value": [2, 4]}}))
