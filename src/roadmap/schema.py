"""JSON Schema of both file kinds, generated from the models, for editors and
check-jsonschema; optionally specialised to one portfolio so that an editor completes
its ids and flags a wrong one while typing. Every property carries its model field's
description (editor hover), and :func:`describe` reads one field's documentation from
the schema: the models are the one source of the field documentation."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


# Words are English here and translated at the edge: ``present.fields`` passes a
# ``Translate`` that looks (context, English text) up in the message catalogs.
Translate = Callable[[str, str], str]
DESCRIPTION = "field"  # the catalogs' context of the fields' descriptions
TYPE_WORD = "field-type"  # … of the words of a field's type and constraints


def english(context: str, message: str) -> str:
    """The :data:`Translate` of the models' own language."""
    return message


def _drop_generated_titles(node: Any) -> None:
    """Remove the titles pydantic makes of the keys ("budget_eur" → "Budget Eur"): an
    editor would show them on hover above the description, and they say nothing the key
    does not."""
    if isinstance(node, dict):
        for key, prop in (node.get("properties") or {}).items():
            if isinstance(prop, dict) and prop.get("title") == key.replace("_", " ").title():
                del prop["title"]
        for value in node.values():
            _drop_generated_titles(value)
    elif isinstance(node, list):
        for value in node:
            _drop_generated_titles(value)


def _translate_descriptions(node: Any, translate: Translate) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("description"), str) and node["description"]:
            node["description"] = translate(DESCRIPTION, node["description"])
        for value in node.values():
            _translate_descriptions(value, translate)
    elif isinstance(node, list):
        for value in node:
            _translate_descriptions(value, translate)


def json_schemas(
    portfolio: Portfolio | None = None, say: Translate = english
) -> dict[str, dict[str, Any]]:
    """Both schemas; with ``portfolio``, ids and score scales are that portfolio's;
    descriptions in the language of ``say``."""
    result = {}
    for name, model in (("project", Project), ("strategy", Strategy)):
        document = model.model_json_schema(mode="validation")
        _bound_numbers(document)
        _drop_generated_titles(document)
        if say is not english:  # before _specialise: a portfolio's own texts stay as written
            _translate_descriptions(document, say)
        if name == "project":
            document["properties"]["dpia"] = {**document["properties"]["dpia"], **_DPIA}
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


def _documented(new: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """``new`` with the title and description of the property it replaces."""
    return {**{k: old[k] for k in ("title", "description") if k in old}, **new}


def _specialise(document: dict[str, Any], portfolio: Portfolio) -> None:
    strategy = portfolio.strategy
    properties = document["properties"]
    fields = sorted(f.id for f in strategy.fields)
    programs = sorted(p.id for p in strategy.programs)
    goals = sorted(g.id for g in strategy.goals)
    projects = sorted(portfolio.projects)
    if fields:
        properties["field"] = _documented(_one_of_ids(fields), properties["field"])
    if programs:
        properties["program"] = _documented(_one_of_ids(programs), properties["program"])
    for key, ids in (("goals", goals), ("depends_on", projects), ("distinct_from", projects)):
        if ids:
            properties[key] = _documented(
                {"type": "array", "items": {"type": "string", "enum": ids}, "default": []},
                properties[key],
            )
    scores: dict[str, Any] = {}
    for criterion in strategy.criteria:
        low, high = criterion.scale
        number = {"type": "number", "minimum": low, "maximum": high}
        scores[criterion.id] = {
            "title": criterion.title,
            "description": criterion.description or criterion.title,
            "anyOf": [number, {"type": "array", "items": number, "minItems": 2, "maxItems": 2}],
        }
    properties["scores"] = _documented(
        {"type": "object", "properties": scores, "additionalProperties": False, "default": {}},
        properties["scores"],
    )


# --- one field's documentation, read from the schema ---

FILES = {"project": "projects/<id>.yaml", "strategy": "strategy.yaml"}


@dataclass(frozen=True)
class FieldDoc:
    """What ``roadmap schema --describe`` and the README's field tables say of a field."""

    name: str  # dotted from the file's top, e.g. "effort.budget_eur"
    kind: str  # "project" or "strategy"
    description: str
    type: str  # e.g. "number", "list of {id, title, due, status?, …}"
    constraints: tuple[str, ...]  # e.g. ("≥ 0",)
    required: bool
    default: str  # as YAML would say it; "" when there is none

    @property
    def file(self) -> str:
        return FILES[self.kind]


def field_docs(
    kind: str, portfolio: Portfolio | None = None, say: Translate = english
) -> Iterator[FieldDoc]:
    """Every field of the file kind, depth first (``effort``, ``effort.budget_eur``, …),
    described in the language of ``say``."""
    document = json_schemas(portfolio, say)[kind]
    yield from _walk(document, _Walk(document.get("$defs", {}), kind, say), "")


def describe(
    name: str, portfolio: Portfolio | None = None, say: Translate = english
) -> FieldDoc | None:
    """The field ``name``: ``strategy.capacity`` or ``project.dpia`` name the file, a
    bare name is a project field if there is one, else a strategy field."""
    kind, _, rest = name.partition(".")
    if kind in FILES and rest:
        candidates = [(kind, rest)]
    else:
        candidates = [("project", name), ("strategy", name)]
    for kind, dotted in candidates:
        for doc in field_docs(kind, portfolio, say):
            if doc.name == dotted:
                return doc
    return None


def field_names() -> list[str]:
    """Every name :func:`describe` knows (strategy fields with their prefix)."""
    names = [d.name for d in field_docs("project")]
    names += [f"strategy.{d.name}" for d in field_docs("strategy")]
    return names


@dataclass(frozen=True)
class _Walk:
    defs: dict[str, Any]
    kind: str
    say: Translate

    def word(self, message: str, **params: str) -> str:
        """A type or constraint word in the language, its placeholders filled."""
        return self.say(TYPE_WORD, message).format(**params)


# every word _single and _constraints say, for the catalogs' check
TYPE_WORDS = (
    "date YYYY-MM-DD",
    "link https://…",
    "text",
    "whole number",
    "number",
    "true/false",
    "list of {item}",
    "map {key} → {value}",
    "mapping",
    "key",
    "any value",
    "{first} or {second}",
    "not empty",
    "matching `{pattern}`",
    "exactly {n} items",
    "at least {n} items",
)


def _walk(node: dict[str, Any], walk: _Walk, prefix: str) -> Iterator[FieldDoc]:
    target = _object_of(node, walk.defs)
    if target is None:
        return
    required = set(target.get("required", []))
    for key, prop in target.get("properties", {}).items():
        name = f"{prefix}{key}"
        kind_text, constraints = _type(prop, walk)
        yield FieldDoc(
            name=name,
            kind=walk.kind,
            description=prop.get("description", ""),
            type=kind_text,
            constraints=constraints,
            required=key in required,
            default="" if key in required else _default(prop.get("default")),
        )
        yield from _walk(prop, walk, f"{name}.")


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _members(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The alternatives of a union, without null (which only makes the field optional)."""
    members = node.get("anyOf") or node.get("oneOf") or [node]
    return [m for m in members if m.get("type") != "null"]


def _object_of(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any] | None:
    """The object with properties a field holds (itself, its list's items, its union's
    member), whose properties are the field's sub-fields."""
    for member in _members(_resolve(node, defs)):
        member = _resolve(member, defs)
        if member.get("type") == "array" and "items" in member:
            member = _resolve(member["items"], defs)
        if "properties" in member:
            return member
    return None


def _type(node: dict[str, Any], walk: _Walk) -> tuple[str, tuple[str, ...]]:
    members = _members(_resolve(node, walk.defs))
    if len(members) == 1:
        return _single(_resolve(members[0], walk.defs), walk)
    texts = [_inline(_single(_resolve(m, walk.defs), walk)) for m in members]
    text = texts[0]
    for other in texts[1:]:
        text = walk.word("{first} or {second}", first=text, second=other)
    return text, ()


def _inline(typed: tuple[str, tuple[str, ...]]) -> str:
    """A type with its constraints in one phrase: ``number (≥ 0)``."""
    text, constraints = typed
    return f"{text} ({', '.join(constraints)})" if constraints else text


def _single(node: dict[str, Any], walk: _Walk) -> tuple[str, tuple[str, ...]]:
    constraints = tuple(_constraints(node, walk))
    if "enum" in node:
        return " | ".join(f"`{v}`" for v in node["enum"]), ()
    kind = node.get("type")
    if kind == "string":
        if node.get("format") == "date":
            return walk.word("date YYYY-MM-DD"), ()
        if str(node.get("pattern", "")).startswith("^https?://"):
            return walk.word("link https://…"), ()
        return walk.word("text"), constraints
    if kind in ("number", "integer"):
        return walk.word("whole number" if kind == "integer" else "number"), constraints
    if kind == "boolean":
        return walk.word("true/false"), ()
    if kind == "array":
        items = _inline(_type(node.get("items", {}), walk))
        return walk.word("list of {item}", item=items), constraints
    if "properties" in node:
        required = set(node.get("required", []))
        keys = [k if k in required else f"{k}?" for k in node["properties"]]
        return "{" + ", ".join(keys) + "}", ()
    if kind == "object":
        names = node.get("propertyNames", {})
        key = " | ".join(f"`{v}`" for v in names["enum"]) if "enum" in names else walk.word("key")
        value = node.get("additionalProperties")
        if isinstance(value, dict):
            return walk.word("map {key} → {value}", key=key, value=_inline(_type(value, walk))), ()
        return walk.word("mapping"), ()
    return walk.word("any value"), ()


def _constraints(node: dict[str, Any], walk: _Walk) -> Iterator[str]:
    # the bounds ±LARGEST only keep NaN and infinity out: not worth saying
    if "minimum" in node and node["minimum"] != -LARGEST:
        yield f"≥ {_number(node['minimum'])}"
    if "exclusiveMinimum" in node:
        yield f"> {_number(node['exclusiveMinimum'])}"
    if "maximum" in node:
        yield f"≤ {_number(node['maximum'])}"
    if "exclusiveMaximum" in node:
        yield f"< {_number(node['exclusiveMaximum'])}"
    if node.get("minLength") == 1:
        yield walk.word("not empty")
    if "pattern" in node:
        yield walk.word("matching `{pattern}`", pattern=node["pattern"])
    low, high = node.get("minItems"), node.get("maxItems")
    if low is not None and low == high:
        yield walk.word("exactly {n} items", n=str(low))
    elif low == 1:
        yield walk.word("not empty")
    elif low:
        yield walk.word("at least {n} items", n=str(low))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _default(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": ")).replace('"', "")
