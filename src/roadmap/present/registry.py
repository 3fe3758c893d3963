"""Format name → formatter, one registry per kind of document. The CLI takes its
``--format`` choices from these dictionaries, so a new format is one entry here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TextIO

from ..errors import Problem
from . import terminal, text

ProblemFormatter = Callable[[Sequence[Problem], TextIO, "int | None"], None]
DocumentFormatter = Callable[[Any, TextIO], None]

PROBLEM_FORMATS: dict[str, ProblemFormatter] = {
    "table": terminal.problems_table,
    "text": text.problems_text,
    "json": text.problems_json,
    "github": text.problems_github,
}

RANKING_FORMATS: dict[str, DocumentFormatter] = {
    "table": terminal.ranking_table,
    "json": text.ranking_json,
    "csv": text.ranking_csv,
    "md": text.ranking_md,
}

EXPLANATION_FORMATS: dict[str, DocumentFormatter] = {
    "table": terminal.explanation_table,
    "json": text.ranking_json,
}

PLAN_FORMATS: dict[str, DocumentFormatter] = {
    "table": terminal.plan_table,
    "json": text.ranking_json,
    "md": text.plan_md,
}

GRAPH_FORMATS = {"mermaid": text.graph_mermaid, "dot": text.graph_dot}

BUNDLE_FORMATS: dict[str, DocumentFormatter] = {
    "table": terminal.bundle_table,
    "json": text.ranking_json,
    "md": text.bundle_md,
}

SELECTION_FORMATS: dict[str, DocumentFormatter] = {
    "table": terminal.selection_table,
    "json": text.ranking_json,
    "md": text.selection_md,
}
