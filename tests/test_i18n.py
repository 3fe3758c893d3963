"""The message catalogs: every text the code words has a German translation with the
same placeholders, and the catalogs hold nothing the code no longer says.

The code's messages are what Babel's extractor finds in src/ and templates/ (the
marker functions below are its keywords), plus the tables of present/texts.py that
are not marked yet."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from roadmap.present import texts
from roadmap.present.fields import catalog_messages as field_messages
from roadmap.present.i18n import catalog_path, npgettext, pgettext
from roadmap.present.report import template_messages

ROOT = Path(__file__).parents[1]
# the marker functions and where their context and message(s) are: (2, "c") is the
# second argument as context (the first of pgettext is the language)
KEYWORDS = {
    "pgettext": ((2, "c"), 3),
    "npgettext": ((2, "c"), 3, 4),
    "marked": ((1, "c"), 2),
    "marked_plural": ((1, "c"), 2, 3),
    "say": ((1, "c"), 2),
    "say_plural": ((1, "c"), 2, 3),
}
METHODS = [("**.py", "python"), ("**.j2", "jinja2.ext:babel_extract")]

Message = tuple[str, str | tuple[str, str]]


def extracted_messages() -> dict[Message, str]:
    """(context, message id) → where: every literal message of a marker call in src/
    and templates/ (a message without a context is an error: every message has one)."""
    found: dict[Message, str] = {}
    # Babel warns on stderr about f-strings it skips (calls with a computed message)
    with contextlib.redirect_stderr(io.StringIO()):
        for folder in (ROOT / "src" / "roadmap", ROOT / "templates"):
            for file, line, message, _, context in extract_from_dir(
                folder, METHODS, keywords=KEYWORDS, comment_tags=()
            ):
                key = message if isinstance(message, str) else (message[0], message[1])
                found[(str(context), key)] = f"{folder.name}/{file}:{line}"
    return found


def test_every_extracted_message_has_a_context() -> None:
    found = extracted_messages().items()
    assert [where for (context, _), where in found if context == "None"] == []


def code_messages() -> set[Message]:
    """(context, message id) of every message the code translates: what the extractor
    finds, the field documentation (read from the models) and the templates' messages."""
    return set(extracted_messages()) | set(field_messages()) | template_messages()


def report_tables() -> set[Message]:
    """The tables of present/texts.py, read as the report reads them."""
    found: set[Message] = set()
    found |= {(key, message) for key, message in texts.MESSAGES.items()}
    found |= {(f"attention:{key}", message) for key, message in texts.ATTENTION.items()}
    found |= {(code, pair) for code, pair in texts.POLICY_GAPS.items()}
    found |= {(code, pair) for code, pair in texts.STALE.items()}
    found |= {(key, pair) for key, pair in texts.DECISIONS.items()}
    found |= {("bundle-evidence", message) for _, message in texts.BUNDLE_EVIDENCE}
    found |= {("gate-failure", texts.GATE_FAILURE)}
    return found


def test_the_report_tables_are_marked_with_the_context_the_report_uses() -> None:
    assert sorted(map(str, report_tables() - code_messages())) == []


def catalog(lang: str) -> dict[tuple[str, str | tuple[str, str]], str | tuple[str, ...]]:
    with catalog_path(lang).open("rb") as po:
        read = read_po(po, locale=lang)
    return {
        (str(m.context), m.id if isinstance(m.id, str) else (m.id[0], m.id[1])): m.string
        for m in read
        if m.id
    }


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{([a-z_0-9]*)\}", text))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_catalogs_and_code_agree(lang: str) -> None:
    """A message added to the code needs its entry in both catalogs (German with the
    translation); a message removed from the code goes from the catalogs."""
    in_code, in_catalog = code_messages(), catalog(lang)
    assert sorted(map(str, in_code - in_catalog.keys())) == [], "add these to the .po"
    assert sorted(map(str, in_catalog.keys() - in_code)) == [], "remove these from the .po"


def test_every_message_has_a_german_translation_with_its_placeholders() -> None:
    for (context, message), german in catalog("de").items():
        forms = [german] if isinstance(german, str) else list(german)
        assert all(forms), f"{context}: {message!r} has no German translation"
        english = [message] if isinstance(message, str) else list(message)
        for form in forms:
            # a German singular may write "1" instead of {n}
            assert placeholders(form) - {"n"} == placeholders(english[-1]) - {"n"}, context


def test_plurals_and_lists_follow_the_language() -> None:
    one, many = texts.POLICY_GAPS["policy-accessibility"]
    assert npgettext("de", "policy-accessibility", one, many, 1).startswith("1 bürgernahes")
    assert (
        npgettext("de", "policy-accessibility", one, many, 7)
        .format(n=7)
        .startswith("7 bürgernahe Projekte")
    )
    assert (
        npgettext("en", "policy-accessibility", one, many, 2)
        .format(n=2)
        .startswith("2 citizen-facing projects")
    )
    assert pgettext("de", "summary", "At a glance") == "Auf einen Blick"
    assert pgettext("fr", "summary", "At a glance") == "At a glance"  # no catalog: English


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "de_AT"}, "de"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({}, "en"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "de_DE.UTF-8"}, "en"),  # LC_ALL before LANG
        ({"LC_MESSAGES": "de_DE.UTF-8", "LANG": "en_GB.UTF-8"}, "de"),
        ({"LANGUAGE": "de:en", "LANG": "en_GB.UTF-8"}, "de"),  # LANGUAGE overrides
        ({"LANGUAGE": "en", "LC_ALL": "de_DE.UTF-8"}, "en"),
        ({"LANGUAGE": "de", "LANG": "C.UTF-8"}, "en"),  # not under the C locale
        ({"LANGUAGE": "de"}, "en"),  # nor without a locale (gettext's rule)
    ],
)
def test_terminal_language_follows_the_locale_variables(
    environ: dict[str, str], language: str
) -> None:
    from roadmap.present.i18n import environment_language

    assert environment_language(environ) == language
