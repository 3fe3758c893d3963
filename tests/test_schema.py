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


def _properties(node: Any) -> Any:
    """Every (name, property) of every object in a schema, $defs included."""
    if isinstance(node, dict):
        yield from node.get("properties", {}).items()
        for value in node.values():
            yield from _properties(value)
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value)


@pytest.mark.parametrize("specialised", [False, True])
def test_every_property_has_a_description_for_the_editor(portfolio: Any, specialised: bool) -> None:
    for kind, schema in json_schemas(portfolio if specialised else None).items():
        names = [n for n, p in _properties(schema) if len(p.get("description", "")) < 15]
        # criteria of a specialised schema are described by the strategy's titles
        if specialised and kind == "project":
            criteria = {c.id for c in portfolio.strategy.criteria}
            names = [n for n in names if n not in criteria]
        assert names == [], kind
    assert (
        "e.g. 250000"
        in json_schemas()["project"]["$defs"]["Effort"]["properties"]["budget_eur"]["description"]
    )


def test_the_dpia_and_specialised_properties_keep_their_description(portfolio: Any) -> None:
    properties = json_schemas(portfolio)["project"]["properties"]
    for key in ("dpia", "field", "program", "goals", "depends_on", "distinct_from", "scores"):
        assert properties[key]["description"], key
    assert "impact assessment" in properties["dpia"]["description"]


def test_describe_prints_meaning_type_and_constraints(cli: Any) -> None:
    result = cli("schema", "--describe", "effort.budget_eur")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "effort.budget_eur (in projects/<id>.yaml)",
        "One-off budget in euros for the whole project, a number ≥ 0, e.g. 250000.",
        "type: number",
        "constraints: ≥ 0",
        "default: 0",
    ]
    dpia = cli("schema", "--describe", "dpia").stdout.splitlines()
    assert dpia[2] == "type: date YYYY-MM-DD or link https://…"
    capacity = cli("schema", "--describe", "strategy.capacity").stdout.splitlines()
    assert capacity[0] == "capacity (in strategy.yaml)"
    assert capacity[2] == "type: list of {year, budget_eur, staff_fte, running_eur?}"
    year = cli("schema", "--describe", "capacity.year").stdout.splitlines()
    assert year[3:] == ["constraints: ≥ 1900, ≤ 2200", "required"]


def test_describe_of_an_unknown_field_suggests_one(cli: Any) -> None:
    result = cli("schema", "--describe", "effort.budget")
    assert result.exit_code == 2
    assert "no such field (did you mean 'effort.budget_eur'?)" in result.stderr


def test_describe_with_data_lists_the_portfolios_ids(cli: Any) -> None:
    result = cli("schema", "--data", ROOT / "data", "--describe", "field")
    assert result.exit_code == 0
    assert "`verwaltung`" in result.stdout.splitlines()[2]


def test_schema_with_data_is_specialised_to_the_portfolio(cli: Any, tmp_path: Any) -> None:
    import json

    result = cli("schema", "project", "--data", ROOT / "data")
    assert result.exit_code == 0
    field = json.loads(result.stdout)["properties"]["field"]
    assert "verwaltung" in field["anyOf"][0]["enum"]
    out = cli("schema", "--data", ROOT / "data", "--out-dir", tmp_path / "schemas")
    assert out.exit_code == 0
    written = json.loads((tmp_path / "schemas" / "project.schema.json").read_text("utf-8"))
    assert "verwaltung" in written["properties"]["field"]["anyOf"][0]["enum"]


def test_schema_with_broken_data_says_what_is_wrong(cli: Any) -> None:
    result = cli("schema", "--data", ROOT / "tests" / "cases" / "invalid" / "references")
    assert result.exit_code == 1
    assert "unknown-dependency" in result.stderr
    assert "Traceback" not in result.output


def test_readme_field_tables_are_generated_from_the_models() -> None:
    import subprocess
    import sys

    from .test_readme import skip_unless_locked

    skip_unless_locked("pydantic")  # the tables are made with the locked pydantic

    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "field_docs.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_readme_tables_name_every_field() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for kind, model in (("strategy", "Strategy"), ("project", "Project")):
        from roadmap import model as models

        table = text.split(f"<!-- fields:{kind}:start -->")[1].split(f"<!-- fields:{kind}:end")[0]
        for name in getattr(models, model).model_fields:
            assert f"| `{name}` |" in table, (kind, name)
