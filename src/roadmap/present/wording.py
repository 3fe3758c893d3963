"""Messages known by code and parameters (:class:`roadmap.errors.Message`: plan and
ranking notes, the plan's findings, validate's problems) worded in the reader's
language from the catalogs: numbers, dates and lists as the language writes them.

English is the message itself (its wording is the JSON's, word for word); another
language takes the catalog's translation of the template under the message's
context, and falls back to English where the catalog has none or a broken one."""

from __future__ import annotations

import datetime as dt

from ..errors import NUMBER_DIGITS, Message
from .i18n import listed, locale_of, marked, number, pgettext, translated

# how a project placed after the period is listed ("starts": pairs of id and month)
STARTS_FROM = marked("plan-note", "{id} from {month}")


def worded(text: str, lang: str) -> str:
    """``text`` for a reader of ``lang``: a :class:`Message` from the catalogs, any
    other text as it is."""
    if lang == "en" or not isinstance(text, Message):
        return str(text)
    n = text.params.get("n", 1)
    template = translated(lang, text.context, text.template, n if isinstance(n, int) else 1)
    shown = {name: value_text(name, value, lang) for name, value in text.params.items()}
    try:
        return template.format(**shown)
    except (KeyError, IndexError, ValueError):  # a translation with a wrong placeholder
        return str(text)


def value_text(name: str, value: object, lang: str) -> str:
    """One parameter in the language (see :class:`Message` for the kinds)."""
    from babel.dates import format_date

    from ..placement import Why
    from .words import band_word, reason_text, status_word

    if isinstance(value, Message):
        return worded(value, lang)
    if isinstance(value, Why):  # why a project is not planned, inside another message
        return reason_text(value.code, value.params, lang)
    if isinstance(value, str):
        if name in ("band", "status"):  # a project's band or status, as the glossary says
            return (band_word if name == "band" else status_word)(value, lang)
        return value
    if isinstance(value, bool):  # as the YAML writes it
        return str(value).lower()
    if isinstance(value, int):
        return number(value, lang) if name.rsplit("_", 1)[-1] == "eur" else str(value)
    if isinstance(value, float):
        return number(value, lang, NUMBER_DIGITS.get(name.rsplit("_", 1)[-1]))
    if isinstance(value, dt.date):
        if name.endswith("month"):  # "Juni 2027"
            return str(format_date(value, format="MMMM yyyy", locale=locale_of(lang)))
        return str(format_date(value, format="medium", locale=locale_of(lang)))
    if isinstance(value, (list, tuple)):
        if name == "starts":
            each = pgettext(lang, "plan-note", STARTS_FROM)
            return "; ".join(
                each.format(id=i, month=value_text("month", month, lang)) for i, month in value
            )
        items = [value_text("", v, lang) for v in value]
        # "first": the head of a longer list, which a message goes on to count
        return ", ".join(items) if name == "first" else listed(items, lang)
    return str(value)
