"""What the CLI says to the person at the terminal (prompts, "wrote …", summaries), in
the language of the usual locale variables (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``: ``de*`` is German, anything else English). Documents the
commands write follow ``--lang`` or strategy.yaml instead."""

from __future__ import annotations

import os


def terminal_language() -> str:
    from ..present.i18n import environment_language

    return environment_language(os.environ)


def say(context: str, message: str) -> str:
    """``message`` (a literal, marked for the catalogs) in the terminal's language."""
    from ..present.i18n import pgettext

    return pgettext(terminal_language(), context, message)


def say_plural(context: str, singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the terminal's language."""
    from ..present.i18n import npgettext

    return npgettext(terminal_language(), context, singular, plural, n)
