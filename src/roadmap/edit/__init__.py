"""Lossless edits of portfolio files: the library behind ``new``, ``set``, ``record``,
``add`` and ``criterion``.

An edit never re-serializes the document (see :mod:`roadmap.yamlsplice`). Before
anything is written, a second parser must read the result as exactly the intended
data, every comment must still belong to the value it belonged to, and the portfolio
must still validate. Writes are atomic, under a folder lock (:mod:`roadmap.atomic`),
and positions (which KPI, which milestone) are resolved only after the lock is taken.

The modules, bottom up: ``document`` (a file's text and its splices; ``lists`` for
list items), ``transaction`` (one edit: checks, diff, atomic write), ``assignments``
(``KEY=VALUE`` from the command line), ``validators`` (what an edit can break),
``commands`` (set, record, add, criterion), ``new_project`` (``roadmap new``).
"""

from __future__ import annotations

from ..atomic import folder_lock, write_atomically
from ..yamlsplice import render
from .assignments import LIST_FIELDS, NESTED, parse_assignment, parse_range, parse_value
from .commands import (
    EditResult,
    add_item,
    check_project_id,
    index_of,
    measured_value,
    project_path,
    record_measurement,
    record_milestone,
    set_criterion,
    set_fields,
)
from .document import Document
from .new_project import (
    NEW_PROJECT,
    create_project,
    new_project_path,
    new_project_text,
    similar_projects,
)
from .transaction import (
    Change,
    Validator,
    apply,
    check_comments,
    check_with_second_parser,
    create,
    edited,
    unified_diff,
)
from .validators import project_validator, strategy_validator

__all__ = [
    "LIST_FIELDS",
    "NESTED",
    "NEW_PROJECT",
    "Change",
    "Document",
    "EditResult",
    "Validator",
    "add_item",
    "apply",
    "check_comments",
    "check_project_id",
    "check_with_second_parser",
    "create",
    "create_project",
    "edited",
    "folder_lock",
    "index_of",
    "measured_value",
    "new_project_path",
    "new_project_text",
    "parse_assignment",
    "parse_range",
    "parse_value",
    "project_path",
    "project_validator",
    "record_measurement",
    "record_milestone",
    "render",
    "set_criterion",
    "set_fields",
    "similar_projects",
    "strategy_validator",
    "unified_diff",
    "write_atomically",
]
