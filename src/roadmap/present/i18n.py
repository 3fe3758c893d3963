"""The report's message catalogs: gettext ``.po`` files under ``roadmap/locale`` (kept
in git, edited with any PO editor), compiled in memory with Babel on first use. The
code's English text is the message id, each with a context (the key of the text) so
that one English word can have two German ones (a plan's "planned" is "verplant" for
the budget used and "geplant" for what the plan adds)."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..markers import marked, marked_plural

__all__ = ["marked", "marked_plural"]

DOMAIN = "roadmap"
LANGUAGES = ("de", "en")


def catalog_path(lang: str) -> Path:
    """``locale/<lang>/LC_MESSAGES/roadmap.po`` inside the package."""
    return Path(__file__).parents[1] / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(lang: str) -> Any:
    """The language's ``babel.support.Translations``, compiled from its ``.po`` file
    (a few milliseconds; once per process and language). English needs no catalog:
    the message ids are English."""
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import NullTranslations, Translations

    path = catalog_path(lang)
    if lang not in LANGUAGES or not path.is_file():
        return NullTranslations()
    # Babel prints what it finds wrong in a catalog to stdout, which would break a
    # JSON document there: to stderr with it (tests/test_catalog_files.py keeps the
    # shipped catalogs clean)
    with path.open("rb") as po, contextlib.redirect_stdout(sys.stderr):
        try:
            catalog = read_po(po, locale=lang, domain=DOMAIN)
        except (ValueError, IndexError, KeyError) as exc:
            # a catalog older Babel releases cannot read at all (they fail where newer
            # ones warn): English, and a word why, rather than no output
            print(f"roadmap: {path}: unreadable catalog ({exc}); English instead", file=sys.stderr)
            return NullTranslations()
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def pgettext(lang: str, context: str, message: str) -> str:
    """The message in the language (the English message where it has no translation)."""
    text: str = translations(lang).pgettext(context, message)
    return text


def npgettext(lang: str, context: str, singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the language's plural rule."""
    text: str = translations(lang).npgettext(context, singular, plural, n)
    return text


def translated(lang: str, context: str, message: str | tuple[str, str], n: int = 1) -> str:
    """A marked message in the language (a plural pair by ``n``)."""
    if isinstance(message, tuple):
        return npgettext(lang, context, message[0], message[1], n)
    return pgettext(lang, context, message)


# --------------------------------------------------------------------------- languages

LOCALES = {"de": "de_DE", "en": "en_GB"}
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def environment_language(environ: Mapping[str, str]) -> str:
    """The language of terminal messages and prompts, from the usual locale variables
    as gettext reads them: the locale is the first of ``LC_ALL``, ``LC_MESSAGES``,
    ``LANG`` that is set; ``LANGUAGE`` (a list such as ``de:en``, its first entry)
    overrides it unless the locale is ``C``/``POSIX`` or unset. ``de*`` is German,
    anything else English."""
    locale = next(
        (environ[name].strip() for name in LOCALE_VARIABLES[1:] if environ.get(name, "").strip()),
        "",
    )
    chosen = locale
    listed_first = environ.get("LANGUAGE", "").strip().split(":", 1)[0]
    if listed_first and locale.split(".", 1)[0] not in ("", "C", "POSIX"):
        chosen = listed_first
    return "de" if chosen.lower().startswith("de") else "en"


def locale_of(lang: str) -> str:
    """Babel's locale for a language (numbers, dates, lists)."""
    return LOCALES.get(lang, "en_GB")


def listed(items: Iterable[str], lang: str) -> str:
    """``a, b and c`` / ``a, b und c``: a list as the language writes it."""
    from babel.lists import format_list

    values = list(items)
    return str(format_list(values, locale=locale_of(lang))) if values else ""


def number(value: float, lang: str, digits: int | None = None) -> str:
    """A number as the language writes it (``1.234,5`` in German); ``digits`` fixed."""
    from babel.numbers import format_decimal

    pattern = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    if abs(value) < 0.5 * 10 ** -(3 if digits is None else digits):
        value = 0.0  # what rounds to zero is zero, never "-0,00"
    return str(format_decimal(value, format=pattern, locale=locale_of(lang)))
