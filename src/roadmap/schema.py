"""JSON Schema of both file kinds, generated from the models."""

from __future__ import annotations

from typing import Any

from .model import Project, Strategy


def json_schemas() -> dict[str, dict[str, Any]]:
    result = {}
    for name, model in (("project", Project), ("strategy", Strategy)):
        document = model.model_json_schema(mode="validation")
        document = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            **document,
        }
        result[name] = document
    return result
