"""The message catalogs: every text the report's code words has a German translation
with the same placeholders, and the catalogs hold nothing the code no longer says."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from roadmap.present import selection, texts
from roadmap.present.fields import catalog_messages as field_messages
from roadmap.present.i18n import catalog_path, npgettext, pgettext
from roadmap.present.report import template_messages
from roadmap.schedule import REASONS


def code_messages() -> set[tuple[str, str | tuple[str, str]]]:
    """(context, message id) of every message the code translates."""
    found: set[tuple[str, str | tuple[str, str]]] = set()
    found |= {(key, message) for key, message in texts.MESSAGES.items()}
    found |= {(f"attention:{key}", message) for key, message in texts.ATTENTION.items()}
    found |= {(code, pair) for code, pair in texts.POLICY_GAPS.items()}
    found |= {(code, pair) for code, pair in texts.STALE.items()}
    found |= {(key, pair) for key, pair in texts.DECISIONS.items()}
    found |= {("bundle-evidence", message) for _, message in texts.BUNDLE_EVIDENCE}
    found |= {("gate-failure", texts.GATE_FAILURE)}
    found |= {(f"unscheduled:{code}", message) for code, message in REASONS.items()}
    found |= {(f"optimize:{code}", message) for code, message in selection.MESSAGES.items()}
    found |= set(field_messages())  # the field documentation (present/fields.py)
    found |= template_messages()  # {% trans %} and _() of the shipped templates
    return found


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
