"""The report's message catalogs: gettext ``.po`` files under ``roadmap/locale`` (kept
in git, edited with any PO editor), compiled in memory with Babel on first use. The
code's English text is the message id, each with a context (the key of the text) so
that one English word can have two German ones (a plan's "planned" is "verplant" for
the budget used and "geplant" for what the plan adds)."""

from __future__ import annotations

import contextlib
import functools
import sys
from pathlib import Path
from typing import Any

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
        catalog = read_po(po, locale=lang, domain=DOMAIN)
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
