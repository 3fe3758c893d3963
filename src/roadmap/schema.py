"""JSON Schema of both file kinds, generated from the models, for editors and
check-jsonschema; optionally specialised to one portfolio so that an editor completes
its ids and flags a wrong one while typing."""

from __future__ import annotations

from typing import Any

from . import __version__
from .model import Portfolio, Project, Strategy

SCHEMA_ID = "urn:kommune-roadmap:schema:{version}:{name}"
# JSON has no NaN or infinity, but YAML has (.nan, .inf) and editors pass them on; the
# schema refuses them as `roadmap validate` does
LARGEST = 1e15
_DPIA = {
    "anyOf": [
        {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        {"type": "string", "pattern": r"^https?://\S+$"},
        {"type": "null"},
    ]
}


def _bound_numbers(node: Any) -> None:
    """Every number gets finite bounds; every object refuses the merge key `<<`
    (not YAML 1.2, refused by `roadmap validate`)."""
    if isinstance(node, dict):
        if node.get("type") in ("number", "integer"):
            node.setdefault("minimum", -LARGEST)  # refuses -inf
            # every comparison with NaN is false, so a bound alone lets it pass; this
            # fails for NaN and +inf only ("is greater than LARGEST" must not hold)
            node["not"] = {"exclusiveMinimum": LARGEST}
        if node.get("type") == "object" or "properties" in node:
            node.setdefault("propertyNames", {"not": {"const": "<<"}})
        for value in node.values():
            _bound_numbers(value)
    elif isinstance(node, list):
        for value in node:
            _bound_numbers(value)


def json_schemas(portfolio: Portfolio | None = None) -> dict[str, dict[str, Any]]:
    """Both schemas; with ``portfolio``, ids and score scales are that portfolio's."""
    result = {}
    for name, model in (("project", Project), ("strategy", Strategy)):
        document = model.model_json_schema(mode="validation")
        _bound_numbers(document)
        if name == "project":
            document["properties"]["dpia"] = {**_DPIA, "default": None, "title": "Dpia"}
        if portfolio is not None and name == "project":
            _specialise(document, portfolio)
        result[name] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMA_ID.format(version=__version__, name=name),
            **document,
        }
    return result


def _one_of_ids(ids: list[str]) -> dict[str, Any]:
    return {"anyOf": [{"type": "string", "enum": ids}, {"type": "null"}], "default": None}


def _specialise(document: dict[str, Any], portfolio: Portfolio) -> None:
    strategy = portfolio.strategy
    properties = document["properties"]
    fields = sorted(f.id for f in strategy.fields)
    programs = sorted(p.id for p in strategy.programs)
    goals = sorted(g.id for g in strategy.goals)
    projects = sorted(portfolio.projects)
    if fields:
        properties["field"] = {**_one_of_ids(fields), "title": "Field"}
    if programs:
        properties["program"] = {**_one_of_ids(programs), "title": "Program"}
    for key, ids in (("goals", goals), ("depends_on", projects), ("distinct_from", projects)):
        if ids:
            properties[key] = {
                "type": "array",
                "items": {"type": "string", "enum": ids},
                "default": [],
                "title": properties[key].get("title", key),
            }
    scores: dict[str, Any] = {}
    for criterion in strategy.criteria:
        low, high = criterion.scale
        number = {"type": "number", "minimum": low, "maximum": high}
        scores[criterion.id] = {
            "title": criterion.title,
            "description": criterion.description or criterion.title,
            "anyOf": [number, {"type": "array", "items": number, "minItems": 2, "maxItems": 2}],
        }
    properties["scores"] = {
        "type": "object",
        "title": "Scores",
        "properties": scores,
        "additionalProperties": False,
        "default": {},
    }
