"""Markers for the message catalogs, importable from every layer.

Babel's extractor finds a message where the code calls ``marked`` or
``marked_plural`` with literal text (tests/test_i18n.py names them as keywords). Both
only return their text: a message held in a table is marked where it is written and
worded in the reader's language at the edge (``roadmap.present.i18n``)."""

from __future__ import annotations


def marked(context: str, message: str) -> str:
    """``message`` unchanged: marks it (with its context) for the catalogs."""
    return message


def marked_plural(context: str, singular: str, plural: str) -> tuple[str, str]:
    """``(singular, plural)`` unchanged: marks both forms for the catalogs."""
    return singular, plural
