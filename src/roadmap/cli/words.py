"""What the CLI says to the person at the terminal (prompts, "wrote …", summaries), in
the language of the usual locale variables (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``: ``de*`` is German, anything else English). Documents the
commands write follow ``--lang`` or strategy.yaml instead."""

from __future__ import annotations

import os
from collections.abc import Iterable


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


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice in the terminal's language, or
    nothing (load.Suggester picks it)."""
    from ..load import Suggester

    match = Suggester(choices).best(word)
    if match is None:
        return ""
    return say("usage", " (did you mean {name}?)").format(name=repr(match))
