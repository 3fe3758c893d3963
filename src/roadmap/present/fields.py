"""The field documentation in German or English: the models' (English) descriptions and
the schema's type words looked up in the message catalogs, for ``roadmap schema
--describe``, ``roadmap schema --lang`` and the generated field tables of the docs."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping

from ..schema import (
    DESCRIPTION,
    TYPE_WORD,
    TYPE_WORDS,
    FieldDoc,
    Translate,
    field_docs,
    json_schemas,
)
from .i18n import pgettext

LABEL = "field-doc"  # the catalogs' context of the words around a field's documentation
# the words :func:`describe_text` and :func:`field_table` say, for the catalogs' check
LABELS = (
    "{name} (in {file})",
    "type: {type}",
    "constraints: {constraints}",
    "required",
    "default: {default}",
    "none",
    "key",
    "type",
    "meaning",
    "default",
)
# gettext's order: LANGUAGE (a list, "de:en") wins over LC_ALL over LC_MESSAGES over LANG
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def locale_language(environ: Mapping[str, str] | None = None) -> str:
    """``de`` when the user's locale is German (``de``, ``de_DE.UTF-8``, ``de_AT``, …),
    else ``en``: the first locale variable that is set decides."""
    environ = os.environ if environ is None else environ
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "").split(":")[0].strip()
        if value:
            return "de" if value.lower().startswith("de") else "en"
    return "en"


def translator(lang: str) -> Translate:
    """(context, English text) → the text in ``lang`` from the catalogs."""

    def say(context: str, message: str) -> str:
        # gettext maps the empty message to the catalog's header
        return pgettext(lang, context, message) if message else message

    return say


def label(lang: str, message: str, **params: str) -> str:
    return pgettext(lang, LABEL, message).format(**params)


def describe_text(doc: FieldDoc, lang: str) -> str:
    """What ``roadmap schema --describe`` prints of a field (``doc`` already in ``lang``)."""
    lines = [label(lang, "{name} (in {file})", name=doc.name, file=doc.file), doc.description]
    lines.append(label(lang, "type: {type}", type=doc.type))
    if doc.constraints:
        constraints = ", ".join(doc.constraints)
        lines.append(label(lang, "constraints: {constraints}", constraints=constraints))
    if doc.required:
        lines.append(label(lang, "required"))
    else:
        lines.append(label(lang, "default: {default}", default=doc.default or label(lang, "none")))
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Text inside one Markdown table cell: a `|` would end it, a newline the row."""
    return " ".join(text.split()).replace("|", "\\|")


def field_table(kind: str, lang: str, depth: int) -> str:
    """The Markdown table of the file kind's fields down to ``depth`` dots
    (``effort.budget_eur`` has one)."""
    head = [label(lang, word) for word in ("key", "type", "meaning", "default")]
    rows = [f"| {' | '.join(head)} |", "| --- | --- | --- | --- |"]
    for doc in field_docs(kind, say=translator(lang)):
        if doc.name.count(".") > depth:
            continue
        kind_text = " ".join((doc.type, *doc.constraints))
        if doc.required:
            default = label(lang, "required")
        else:
            default = f"`{doc.default}`" if doc.default else ""
        cells = (f"`{doc.name}`", _cell(kind_text), _cell(doc.description), _cell(default))
        rows.append(f"| {' | '.join(cells)} |")
    return "\n".join(rows)


def catalog_messages() -> set[tuple[str, str]]:
    """(context, English text) of every message of the field documentation: each
    description of the schemas (the fields' and the models'), the type words and the
    labels."""
    found = {(LABEL, message) for message in LABELS}
    found |= {(TYPE_WORD, message) for message in TYPE_WORDS}
    found |= {(DESCRIPTION, text) for text in _descriptions(json_schemas()) if text}
    return found


def _descriptions(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("description"), str):
            yield node["description"]
        for value in node.values():
            yield from _descriptions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _descriptions(value)
