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


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """`schema --describe` follows the locale: these tests set it where it matters."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


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


def test_the_editor_shows_no_titles_made_of_the_keys(portfolio: Any) -> None:
    """ "Budget Eur" above the description of budget_eur says nothing; a criterion's
    title in a specialised schema is the strategy's own and stays."""
    for schema in (*json_schemas().values(), *json_schemas(portfolio).values()):
        made = [n for n, p in _properties(schema) if p.get("title") == n.replace("_", " ").title()]
        assert made == []
    scores = json_schemas(portfolio)["project"]["properties"]["scores"]["properties"]
    assert scores["citizen_value"]["title"] == portfolio.strategy.criteria[0].title


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


def test_readme_and_german_field_tables_are_generated_from_the_models() -> None:
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


# --- the field documentation in German ---


def test_every_field_has_a_german_description_in_the_catalog() -> None:
    """A field added to the models without its German description (and a type word or
    label without its German word) fails here: add it at the end of both .po files."""
    from babel.messages.pofile import read_po

    from roadmap.present.fields import catalog_messages
    from roadmap.present.i18n import catalog_path

    with catalog_path("de").open("rb") as po:
        german = {(m.context, m.id): m.string for m in read_po(po, locale="de") if m.id}
    with catalog_path("en").open("rb") as po:
        english = {(m.context, m.id) for m in read_po(po, locale="en") if m.id}
    needed = catalog_messages()
    assert sorted(m for m in needed if not german.get(m)) == []
    assert sorted(needed - english) == []
    descriptions = {m for c, m in needed if c == "field"}
    assert len(descriptions) > 100  # every field of both file kinds, not a few


def test_every_description_in_the_german_schema_is_german() -> None:
    from roadmap.present.fields import translator

    english, german = json_schemas(), json_schemas(say=translator("de"))
    pairs = list(zip(_descriptions(english), _descriptions(german), strict=True))
    assert len(pairs) > 100
    assert [e for e, g in pairs if e == g] == []
    budget = german["project"]["$defs"]["Effort"]["properties"]["budget_eur"]
    assert budget["description"] == (
        "Einmaliges Budget in Euro für das ganze Projekt, eine Zahl ≥ 0, z. B. 250000."
    )
    # only the descriptions change: the German schema checks exactly what the English does
    assert _without_descriptions(german) == _without_descriptions(english)


def _descriptions(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["description"]] if isinstance(node.get("description"), str) else []
        return found + [d for v in node.values() for d in _descriptions(v)]
    if isinstance(node, list):
        return [d for v in node for d in _descriptions(v)]
    return []


def _without_descriptions(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_descriptions(v) for k, v in node.items() if k != "description"}
    if isinstance(node, list):
        return [_without_descriptions(v) for v in node]
    return node


def test_describe_in_german_with_lang_or_the_locale(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = [
        "effort.budget_eur (in projects/<id>.yaml)",
        "Einmaliges Budget in Euro für das ganze Projekt, eine Zahl ≥ 0, z. B. 250000.",
        "Typ: Zahl",
        "Einschränkungen: ≥ 0",
        "Standardwert: 0",
    ]
    assert cli("schema", "--describe", "effort.budget_eur", "--lang", "de").stdout.splitlines() == (
        expected
    )
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert cli("schema", "--describe", "effort.budget_eur").stdout.splitlines() == expected
    # --lang wins over the locale
    english = cli("schema", "--describe", "effort.budget_eur", "--lang", "en").stdout
    assert english.splitlines()[2] == "type: number"
    capacity = cli("schema", "--describe", "strategy.capacity").stdout.splitlines()
    assert capacity[2] == "Typ: Liste (Einträge: {year, budget_eur, staff_fte, running_eur?})"
    year = cli("schema", "--describe", "capacity.year").stdout.splitlines()
    assert year[3:] == ["Einschränkungen: ≥ 1900, ≤ 2200", "Pflichtfeld"]
    dpia = cli("schema", "--describe", "dpia").stdout.splitlines()
    assert dpia[2] == "Typ: Datum JJJJ-MM-TT oder Link https://…"


def test_the_printed_schema_is_english_whatever_the_locale(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A schema written in CI must not depend on the machine's locale; --lang de asks."""
    import json

    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    english = json.loads(cli("schema", "project").stdout)
    assert english == json.loads(json.dumps(json_schemas()["project"]))
    german = json.loads(cli("schema", "project", "--lang", "de").stdout)
    assert german["properties"]["dpia"]["description"].startswith(
        "Wann oder wo die Datenschutz-Folgenabschätzung"
    )


def test_a_language_other_than_de_or_en_is_a_usage_error(cli: Any) -> None:
    result = cli("schema", "--describe", "dpia", "--lang", "fr")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "--lang fr: use de or en" in result.stderr


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "de_AT"}, "de"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8", "LC_ALL": "C"}, "en"),  # LC_ALL wins over LANG
        ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "de_DE.UTF-8"}, "en"),
        ({"LC_MESSAGES": "de_DE.UTF-8", "LANG": "en_GB.UTF-8"}, "de"),
        ({"LANGUAGE": "de:en", "LC_ALL": "en_US.UTF-8"}, "de"),  # LANGUAGE wins, a list
        ({"LANGUAGE": "", "LANG": "de_CH.UTF-8"}, "de"),  # empty means unset
    ],
)
def test_the_locale_picks_the_language(environ: dict[str, str], lang: str) -> None:
    from roadmap.present.fields import locale_language

    assert locale_language(environ) == lang


def test_the_german_field_tables_name_every_field_in_german() -> None:
    text = (ROOT / "docs" / "felder.md").read_text(encoding="utf-8")
    from roadmap import model as models

    for kind, model in (("strategy", "Strategy"), ("project", "Project")):
        table = text.split(f"<!-- fields:{kind}:start -->")[1].split(f"<!-- fields:{kind}:end")[0]
        assert table.splitlines()[1] == "| Schlüssel | Typ | Bedeutung | Standardwert |"
        for name in getattr(models, model).model_fields:
            assert f"| `{name}` |" in table, (kind, name)
    assert (
        "| `effort.budget_eur` | Zahl ≥ 0 | Einmaliges Budget in Euro für das ganze Projekt, "
        "eine Zahl ≥ 0, z. B. 250000. | `0` |"
    ) in text


def test_every_word_the_field_docs_say_is_in_the_catalogs_list() -> None:
    """A new type word in schema.py must join TYPE_WORDS (and so the catalogs' check)."""
    from roadmap.present.fields import catalog_messages
    from roadmap.schema import field_docs

    said: set[tuple[str, str]] = set()

    def recording(context: str, message: str) -> str:
        said.add((context, message))
        return message

    for kind in ("project", "strategy"):
        list(field_docs(kind, say=recording))
    assert sorted(said - catalog_messages()) == []
    assert len({m for c, m in said if c == "field-type"}) >= 12
