"""Words outside the committee report, in the reader's language: why a project is not
planned (a code and its parameters), a project's status, decision and decision band.

The English texts are the catalogs' message ids; the report's own wording is in
:mod:`roadmap.present.texts`, whose status and decision words these reuse, so that a
status reads the same in the report, a plan and a spreadsheet."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from .i18n import listed, locale_of, pgettext

# what score.gate_failures writes (English): "<criterion> <value> is below its gate <gate>"
_GATE_FAILURE = re.compile(r"^(\S+) (\S+) is below its gate (\S+)$")


def status_word(status: str, lang: str) -> str:
    """A project's status as the glossary words it (``in_progress`` → "in Umsetzung")."""
    from .texts import texts

    return texts(lang).get(status, status)


def band_word(band: str, lang: str) -> str:
    """A decision band or committee decision (``wont`` → "wird nicht umgesetzt",
    ``not eligible`` → "Mindestanforderung nicht erfüllt"); ``none`` is empty."""
    from .texts import texts

    if band == "none":
        return ""
    return texts(lang).get(band, band)


def gate_failure_text(text: str, lang: str) -> str:
    """One of score.gate_failures' texts in the language (English as it is)."""
    from babel.numbers import format_decimal

    from .texts import GATE_FAILURE

    match = _GATE_FAILURE.match(text)
    if lang == "en" or not match:
        return text
    criterion, value, gate = match.groups()
    locale = locale_of(lang)
    return pgettext(lang, "gate-failure", GATE_FAILURE).format(
        criterion=criterion,
        value=format_decimal(float(value), locale=locale),
        gate=format_decimal(float(gate), locale=locale),
    )


def reason_text(code: str, params: Mapping[str, Any], lang: str) -> str:
    """Why a project is not planned (a code of ``schedule.REASONS`` and its parameters)
    in the language: numbers, dates and lists as the language writes them."""
    from babel.dates import format_date
    from babel.numbers import format_currency, format_decimal

    from ..schedule import REASONS, Why

    if code not in REASONS:
        return code
    if lang == "en":  # the English wording is the JSON's "reason", word for word
        return Why(code, dict(params)).english()
    locale = locale_of(lang)
    shown = dict(params)
    if "years" in shown:
        shown["years"] = listed([str(y) for y in shown["years"]], lang)
    if "budget" in shown and lang == "en":  # the English message says "EUR" itself
        shown["budget"] = format_decimal(shown["budget"], format="#,##0", locale=locale)
    elif "budget" in shown:
        shown["budget"] = format_currency(
            shown["budget"], "EUR", format="#,##0\u00a0¤", currency_digits=False, locale=locale
        )
    if "fte" in shown:
        shown["fte"] = format_decimal(shown["fte"], locale=locale)
    if isinstance(shown.get("end"), dt.date):
        shown["end"] = format_date(shown["end"], format="medium", locale=locale)
    if "ids" in shown:
        shown["ids"] = listed(list(shown["ids"]), lang)
    if "failures" in shown:
        shown["failures"] = "; ".join(gate_failure_text(f, lang) for f in shown["failures"])
    return pgettext(lang, f"unscheduled:{code}", REASONS[code]).format(**shown)
