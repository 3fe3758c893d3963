"""The synonym data of `roadmap bundle`: how scripts/make_synonym_data.py reads
OpenThesaurus lines, and what the shipped file holds."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from roadmap import german

from .conftest import ROOT


def script() -> ModuleType:
    path = ROOT / "scripts" / "make_synonym_data.py"
    spec = importlib.util.spec_from_file_location("make_synonym_data", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_labels_phrases_and_fragments_are_dropped() -> None:
    make = script()
    assert make.term("Eheschließung") == "eheschliessung"
    assert make.term("Heirat (Hauptform)") == "heirat"
    assert make.term("Verehelichung (Amtsdeutsch)") == "verehelichung"
    dropped = [
        "Jawort (ugs.)",
        "Lappen (ugs.)",
        "Führerausweis (schweiz.)",
        "Boom (fig.)",
        "eheliche Verbindung",
        "Deputat...",
        "(eine Regel) befolgen",
    ]
    for entry in dropped:
        assert make.term(entry) is None, entry


def test_groups_keep_two_to_twelve_words_and_drop_contained_ones() -> None:
    make = script()
    lines = [
        "# a comment",
        "Trauung;Jawort (ugs.);Eheschließung;Heirat (Hauptform)",
        "Trauung;Eheschließung",  # inside the first
        "Fundsache;Fundgegenstand",
        "Einzelwort",
        ";".join(f"Wort{n}sache" for n in range(20)),  # too large a set
    ]
    assert make.groups(lines) == [
        ("trauung", "eheschliessung", "heirat"),
        ("fundsache", "fundgegenstand"),
    ]


def test_the_shipped_file_maps_normalised_words_to_shared_groups() -> None:
    assert set(german.synonym_groups("trauung")) & set(german.synonym_groups("eheschliessung"))
    assert set(german.synonym_groups("buecherei")) & set(german.synonym_groups("bibliothek"))
    assert german.synonym_groups("lappen") == () or not (
        set(german.synonym_groups("lappen")) & set(german.synonym_groups("fuehrerschein"))
    )  # "Lappen (ugs.)" for a driving licence is colloquial: no link
    assert german.synonym_groups("gibtsnicht") == ()
