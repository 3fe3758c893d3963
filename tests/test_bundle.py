from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from roadmap.bundle import bundles, explain_pair, similar_pairs, words
from roadmap.model import DEFAULT_BUNDLE_THRESHOLD, Project

from .conftest import ROOT, Cli

EVAL = Path(__file__).parent / "bundle_eval" / "pairs.yaml"


def load_eval() -> tuple[list[Project], dict[tuple[str, str], tuple[bool, str]]]:
    items = yaml.safe_load(EVAL.read_text(encoding="utf-8"))
    projects, labels = [], {}
    for k, item in enumerate(items):
        a = Project.model_validate({"id": f"a{k:02d}", **item["a"]})
        b = Project.model_validate({"id": f"b{k:02d}", **item["b"]})
        projects += [a, b]
        labels[(a.id, b.id)] = (item["same"], item["name"])
    return projects, labels


def test_precision_and_recall_on_the_labelled_pairs() -> None:
    """The whole pipeline (candidates, signals, default threshold) on 49 labelled
    German pairs (training data; see tests/bundle_eval/README.md). Floors at the
    figures measured with the shipped coefficients (bench/bundle_eval.py): a change
    that loses pairs fails here."""
    projects, labels = load_eval()
    found = {(p.a, p.b) for p in similar_pairs(projects, DEFAULT_BUNDLE_THRESHOLD)}
    predicted = {pair: pair in found or pair[::-1] in found for pair in labels}
    tp = sum(1 for pair, (same, _) in labels.items() if same and predicted[pair])
    fp = sum(1 for pair, (same, _) in labels.items() if not same and predicted[pair])
    fn = sum(1 for pair, (same, _) in labels.items() if same and not predicted[pair])
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert len(labels) >= 40
    print(f"precision {precision:.3f} recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})")
    assert precision >= 0.74 and recall >= 0.76, (precision, recall)


@pytest.mark.parametrize(
    ("folder", "precision", "recall"),
    [
        # Hafenau: training data since it rejected the previous model
        ("blind", 0.5, 0.1),
        # Ebersried: training data since the synonym signal was fitted on it
        ("blind2", 0.72, 0.44),
    ],
)
def test_a_labelled_portfolio_at_the_default_threshold(
    folder: str, precision: float, recall: float
) -> None:
    """No prerequisite pair suggested; precision and recall at least as measured with
    the shipped model (tests/bundle_eval/README.md)."""
    from roadmap.checks import validate

    path = Path(__file__).parent / "bundle_eval" / folder
    loaded, _ = validate(path)
    assert loaded.portfolio is not None
    document = yaml.safe_load((path / "labels.yaml").read_text(encoding="utf-8"))
    labels = {frozenset((x["a"], x["b"])): x["same"] for x in document["pairs"]}
    projects = list(loaded.portfolio.projects.values())
    found = {frozenset((p.a, p.b)) for p in similar_pairs(projects, DEFAULT_BUNDLE_THRESHOLD)}
    by_id = loaded.portfolio.projects
    assert not [
        pair
        for pair in found
        if any(other in by_id[one].depends_on for one in pair for other in pair)
    ]
    tp = sum(1 for pair, same in labels.items() if same and pair in found)
    fp = sum(1 for pair, same in labels.items() if not same and pair in found)
    assert tp / (tp + fp) >= precision and tp / sum(labels.values()) >= recall, (tp, fp)


def test_synonyms_from_the_thesaurus_are_a_signal_with_evidence() -> None:
    """OpenThesaurus groups: "Trauung" and "Eheschließung" share no letters worth a
    match but are one service; the pair scores higher than with an unrelated word, and
    --explain names the two words."""
    from roadmap.bundle import COEFFICIENTS, Evidence

    a = project("aa", title="Trauung online anmelden")
    b = project("bb", title="Eheschließung online anmelden")
    c = project("cc", title="Hundesteuer online anmelden")
    synonyms = explain_pair([a, b, c], "aa", "bb")
    unrelated = explain_pair([a, b, c], "aa", "cc")
    signal = {s.name: s for s in synonyms.signals}["synonym"]
    assert COEFFICIENTS["synonym"] > 0 and signal.value > 0.5
    assert signal.evidence == (Evidence("synonyms", ("Trauung ~ Eheschließung",)),)
    assert {s.name: s for s in unrelated.signals}["synonym"].value == 0
    assert synonyms.score > unrelated.score


def test_generic_synonyms_weigh_little() -> None:
    """ "Amt" ~ "Behörde" is a synonym, but as generic as the words: it weighs far less
    than a rare pair."""
    a = project("aa", title="Amt digital")
    b = project("bb", title="Behörde digital")
    c = project("cc", title="Trauung planen")
    d = project("dd", title="Eheschließung planen")
    generic = {s.name: s.value for s in explain_pair([a, b, c, d], "aa", "bb").signals}
    rare = {s.name: s.value for s in explain_pair([a, b, c, d], "cc", "dd").signals}
    assert 0 < generic["synonym"] < 0.2 < rare["synonym"]


def test_a_synonym_pair_sharing_nothing_else_is_found() -> None:
    """The candidate search finds pairs whose only link is a synonym group."""
    a = project("aa", title="Eheschließung", summary="Anmeldung beim Standesamt")
    b = project("bb", title="Trauung", summary="Termin vereinbaren")
    others = [project(f"x{k}", title=f"Projekt {w}") for k, w in enumerate(["Kita", "Hund"])]
    found = similar_pairs([a, b, *others], 0.01)
    assert [(p.a, p.b) for p in found if {p.a, p.b} == {"aa", "bb"}] == [("aa", "bb")]


def test_german_words_fold_and_terms_hold_lemmas_and_compound_parts() -> None:
    from roadmap.bundle import Terms

    assert words("Sperrmüll-Anmeldung für Straßen") == ["sperrmuell", "anmeldung", "strassen"]
    assert words("Straße") == words("Strasse") == ["strasse"]
    terms = Terms()
    assert set(terms.of_word("gruendachkataster")) >= {"gruendachkataster", "dach", "kataster"}
    assert "dach" in terms(words("Potenzialkarte der Dachflächen"))
    assert "amt" in terms(words("Ämter"))  # the lemma


def test_rare_words_weigh_more_than_generic_ones() -> None:
    from roadmap import german

    assert german.rarity("hundesteuer") > 0.9
    assert german.rarity("online") < 0.3
    assert german.rarity("software") < german.rarity("fundsache")


def project(pid: str, **kw: Any) -> Project:
    return Project.model_validate({"id": pid, "title": kw.pop("title", pid), **kw})


def test_shared_service_key_is_the_strongest_signal_and_says_so() -> None:
    from roadmap.bundle import COEFFICIENTS, Evidence

    a = project("aa", title="Anwohnerparken", services=["99058006000000"])
    b = project("bb", title="Parkausweis für Bewohner", services=["99058006000000"])
    c = project("cc", title="Parkausweis für Bewohner")
    with_key = explain_pair([a, b, c], "aa", "bb")
    without = explain_pair([a, b, c], "aa", "cc")
    assert COEFFICIENTS["same_service"] > 0
    assert with_key.score > without.score
    assert Evidence("same-service", ("99058006000000",)) in with_key.reasons


def test_the_score_is_the_logistic_of_the_contributions() -> None:
    """--explain's units: each signal adds coefficient × value to the log-odds."""
    import math

    from roadmap.bundle import COEFFICIENTS, INTERCEPT

    a = project("aa", title="Hundesteuer online anmelden", target_groups=["citizens"])
    b = project("bb", title="Digitale Hundesteuer-Anmeldung", target_groups=["citizens"])
    pair = explain_pair([a, b], "aa", "bb")
    z = INTERCEPT + sum(COEFFICIENTS[s.name] * s.value for s in pair.signals)
    assert pair.log_odds == pytest.approx(z)
    assert pair.score == pytest.approx(1 / (1 + math.exp(-z)))
    assert pair.terms is not None and "hundesteuer" in dict(pair.terms.shared)
    assert pair.score > 0.5


def test_different_service_keys_lower_the_score() -> None:
    texts = {"title": "Online-Antrag Fischereischein", "summary": "Antrag online stellen"}
    a = project("aa", **texts, services=["1"])
    b = project("bb", **texts, services=["2"])
    c = project("cc", **texts)
    assert explain_pair([a, b, c], "aa", "bb").score < explain_pair([a, b, c], "aa", "cc").score


def test_distinct_from_is_never_suggested() -> None:
    a = project("aa", title="Sperrmüll online anmelden", distinct_from=["bb"])
    b = project("bb", title="Sperrmüll online anmelden")
    assert similar_pairs([a, b], 0.2) == []


def test_bundles_stay_cohesive() -> None:
    """A ~ B and B ~ C, but A and C share nothing: no bundle of all three."""
    a = project("aa", title="Sperrmüll Abholung Termin Kalender")
    b = project("bb", title="Sperrmüll Abholung Kalender Wohngeld Zuschuss Rechner")
    c = project("cc", title="Wohngeld Zuschuss Rechner")
    pairs = similar_pairs([a, b, c], 0.2)
    names = {(p.a, p.b) for p in pairs}
    assert ("aa", "bb") in names and ("bb", "cc") in names and ("aa", "cc") not in names
    assert all(len(bundle.projects) == 2 for bundle in bundles(pairs, [a, b, c], 0.2))


@pytest.mark.parametrize("case", ["empty", "long", "copies", "single", "non-latin"])
def test_awkward_input_gives_sensible_output(case: str) -> None:
    if case == "empty":
        projects = [project("aa", title="X", description=""), project("bb", title="Y")]
    elif case == "long":
        text = "Sperrmüll " * 100_000  # about 1 MB
        projects = [
            project("aa", title="A", description=text),
            project("bb", title="B", description=text),
        ]
    elif case == "copies":
        projects = [
            project("aa", title="Digitaler Zwilling"),
            project("bb", title="Digitaler Zwilling"),
        ]
    elif case == "single":
        projects = [project("aa", title="Allein")]
    else:
        projects = [
            project("aa", title="数字孪生城市"),
            project("bb", title="Цифровой двойник"),
            project("cc", title="数字孪生城市"),
        ]
    pairs = similar_pairs(projects, DEFAULT_BUNDLE_THRESHOLD)
    result = bundles(pairs, projects, DEFAULT_BUNDLE_THRESHOLD)
    if case in ("copies", "long"):
        assert [b.projects for b in result] == [["aa", "bb"]]
    elif case in ("empty", "single"):
        assert result == []


def test_a_description_counts_up_to_its_first_distinct_words() -> None:
    """Beyond MAX_DESCRIPTION_WORDS different words a description adds nothing: two
    projects whose long texts differ only after that are as alike as identical ones."""
    from roadmap.bundle import MAX_DESCRIPTION_WORDS, Normalizer, Similarity

    start = " ".join(f"wort{i:04d}" for i in range(MAX_DESCRIPTION_WORDS))
    assert Normalizer().start("Sperrgut Sperrgut Akte Bescheid", 2) == [
        "sperrgut",
        "sperrgut",
        "akte",
    ]
    a = project("aa", title="Sperrmüll", description=f"{start} Gebühr Kalender")
    b = project("bb", title="Sperrmüll", description=f"{start} Fischerei Jagd")
    c = project("cc", title="Sperrmüll", description=start)
    similarity = Similarity([a, b, c])
    # the vectors are float32: equal up to their precision on every NumPy/SciPy allowed
    assert similarity.cosine(0, 1) == pytest.approx(1.0, abs=1e-4)
    assert similarity.cosine(0, 2) == pytest.approx(1.0, abs=1e-4)


def test_synonyms_take_effect_after_normalisation() -> None:
    """Issue 17: a group of two compounds, written in any form, maps both to one term,
    also inside longer compounds, and never lowers a pair's score."""
    from roadmap.bundle import Terms

    plain = Terms()
    own = Terms([["Gründachkataster", "Dachbegrünungskarten"], ["Sperrgut", "Sperrmüll"]])
    first = own(words("Gründachkataster Hafenau"))
    second = own(words("Dachbegrünungskarte"))
    assert first & second - plain(words("Gründachkataster Hafenau"))  # a shared new term
    assert own(words("Sperrgutabfuhr")) & own(words("Sperrmüll"))
    a = project("aa", title="Gründachkataster")
    b = project("bb", title="Dachbegrünungskarte")
    groups = [["Gründachkataster", "Dachbegrünungskarten"]]
    pair = explain_pair([a, b], "aa", "bb", groups)
    assert pair.score > explain_pair([a, b], "aa", "bb").score
    # the evidence names the group by its word, not by the internal "=" term
    shared = {s.name: s for s in pair.signals}["shared_term"].evidence
    assert shared and "=" not in str(shared[0].params), shared


def _portfolio(projects: list[Project]) -> Any:
    from roadmap.model import Portfolio, Strategy

    strategy = Strategy.model_validate(
        {
            "organization": "Stadt",
            "title": "T",
            "period": {"start": "2026-01-01", "end": "2027-12-31"},
        }
    )
    return Portfolio(strategy=strategy, projects={p.id: p for p in projects})


COPY = {
    "title": "Digitale Sperrmüllanmeldung mit Terminwahl",
    "description": "Bürgerinnen melden Sperrmüll über ein Formular an und wählen einen Termin.",
    "tags": ["abfall"],
}


@pytest.mark.parametrize("count", [2, 3, 50, 51, 400])
def test_any_number_of_copies_is_one_bundle(count: int) -> None:
    """Features shared by more than MAX_SHARED projects are no candidates; more copies
    are grouped first, so that 400 copies are found as 3 are (with the same score)."""
    from roadmap.bundle import suggest

    copies = [project(f"kopie-{i:03d}", **COPY) for i in range(count)]
    other = project("wohngeld", title="Wohngeldrechner für Mieter")
    found, _ = suggest(_portfolio([*copies, other]))
    assert [b.projects for b in found] == [[p.id for p in copies]]
    three = [project(f"kopie-{i:03d}", **COPY) for i in range(3)]
    (expected,) = bundles(similar_pairs(three, DEFAULT_BUNDLE_THRESHOLD), three, 0.5)
    assert found[0].score == pytest.approx(expected.score)
    assert found[0].reasons == expected.reasons


def test_copies_take_in_a_near_copy_and_keep_what_is_needed_apart() -> None:
    """A re-filed variant joins 80 copies; the copy another project needs and the one
    a distinct_from names are compared one by one: the first joins, the second stays
    out of the bundle that its 'distinct' project is in."""
    from roadmap.bundle import suggest

    copies = [project(f"kopie-{i:03d}", **COPY) for i in range(80)]
    variant = project("neu", **{**COPY, "title": COPY["title"] + " (neu)"})
    needing = project("statistik", title="Abfallstatistik", depends_on=["kopie-000"])
    apart = project("extra", **COPY, distinct_from=["kopie-001"])
    found, _ = suggest(_portfolio([*copies, variant, needing, apart]))
    expected = sorted(["extra", "neu", *(p.id for p in copies if p.id != "kopie-001")])
    assert [b.projects for b in found] == [expected]
    assert 0.9 < found[0].score < 1.0


def test_without_copies_suggestions_are_the_pairs_bundles() -> None:
    from roadmap.bundle import suggest

    projects = sorted(load_eval()[0], key=lambda p: p.id)  # as suggest takes them
    found, threshold = suggest(_portfolio(projects))
    expected = bundles(similar_pairs(projects, threshold), projects, threshold)
    assert [(b.projects, b.score, b.reasons) for b in found] == [
        (b.projects, b.score, b.reasons) for b in expected
    ]


def test_a_prerequisite_is_never_suggested_as_a_merge() -> None:
    """Issue 17: "Digitale Schülerakte" needs "Einführung DMS"; texts alike or not, the
    two are two projects, and the dependency says why in --explain."""
    from roadmap.bundle import Evidence, Similarity
    from roadmap.model import Project

    dms = Project.model_validate(
        {
            "id": "dms",
            "title": "Einführung DMS Schulen",
            "summary": "Dokumentenmanagement für Schulakten",
        }
    )
    akte = Project.model_validate(
        {"id": "schuelerakte", "title": "Digitale Schülerakte im DMS Schulen",
         "summary": "Schulakten im Dokumentenmanagement", "depends_on": ["dms"]}
    )  # fmt: skip
    pair = Similarity([dms, akte]).pair(0, 1)
    assert pair.score == 0.0
    assert [s.name for s in pair.signals][-1] == "prerequisite"
    assert pair.signals[-1].evidence == (Evidence("prerequisite", ("schuelerakte", "dms")),)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("strassenschaeden", ("strasse", "schaden")),  # not the lemma misreading "strass"
        ("einkaufsstrassen", ("einkauf", "strasse")),
        ("archivverbund", ("archiv", "verbund")),  # not "verb" + "und"
        ("baustelleneinrichtungen", ("bau", "stelle", "einrichtung")),  # not "nein"
        ("ratssitzungen", ("rat", "sitzung")),  # a common three-letter word starts it
        ("landratsamt", ("land", "rat", "amt")),  # not "samt"
        ("hundehalterinnen", ("hund", "halter")),  # not "rinne"
        ("gruendachkataster", ("gruen", "dach", "kataster")),
    ],
)
def test_compounds_split_into_real_words(word: str, expected: tuple[str, ...]) -> None:
    from roadmap import german

    assert german.parts(german.lemma(word)) == expected


@pytest.mark.parametrize(
    "word",
    ["freiwilliger", "zustaendiger", "einheitliche", "besucherinnen", "ablaufende",
     "diskriminierende", "fischereischein", "beantragen", "aktivieren"],
)  # fmt: skip
def test_endings_numerals_and_fragments_are_never_parts(word: str) -> None:
    """Issue 17: "iger", "strass" and the like were terms in `bundle --explain`."""
    from roadmap import german

    parts = german.parts(german.lemma(word))
    junk = {"iger", "lich", "ende", "erin", "innen", "isch", "ein", "vier", "bean", "disk"}
    assert not junk & set(parts), parts
    assert all(german.zipf(p) > 0 for p in parts), parts  # each a word of German


def test_explain_shows_the_synonym_match_in_both_languages(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`bundle --explain A B` names the two words of a thesaurus group as evidence,
    worded through the catalogs."""
    import json
    import shutil

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    for pid, title in (("trauung-online", "Trauung online anmelden"),
                       ("eheschliessung-digital", "Eheschließung digital anmelden")):  # fmt: skip
        (data / "projects" / f"{pid}.yaml").write_text(
            f"id: {pid}\ntitle: {title}\ndepartment: Standesamt\nowner: A. B.\n"
            "field: teilhabe\nstatus: idea\n",
            encoding="utf-8",
        )
    args = ("bundle", "-d", str(data), "--explain", "trauung-online", "eheschliessung-digital")
    document = json.loads(cli(*args, "-f", "json").stdout)
    synonym = next(s for s in document["signals"] if s["signal"] == "synonym")
    assert synonym["reasons"] == ["synonyms (OpenThesaurus): Trauung ~ Eheschließung"]
    assert synonym["contribution"] > 1
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert "Synonyme (OpenThesaurus): Trauung ~ Eheschließung" in " ".join(result.stdout.split())


def test_a_compound_inside_a_compound_is_a_term_and_meets_its_synonyms() -> None:
    # fourth trial: "Hochzeitstermin" split into hoch, zeit, termin, so the shipped
    # thesaurus never saw "Hochzeit" ~ "Eheschließung"
    from roadmap.german import Terms, synonym_groups

    terms = Terms().of_word("hochzeitstermin")
    assert {"hoch", "zeit", "termin", "hochzeit"} <= set(terms)
    assert "zeittermin" not in terms  # only words that exist
    shared = set(synonym_groups("hochzeit")) & set(synonym_groups("eheschliessung"))
    assert shared


def test_shared_words_are_shown_as_the_texts_write_them() -> None:
    """The evidence names words as a committee reads them: "Düsselpass", not the folded
    "duesselpass"; a part of a compound as its letters ("Düssel"), a lemma as the word
    written ("zuständige"); a term no text writes stays as it is."""
    from roadmap.bundle.text import WrittenWords, as_written

    texts = ["Digitaler Düsselpass an der Straße", "Plastikkarten für zuständige Ämter"]
    terms = ["duesselpass", "duessel", "strasse", "karte", "zustaendiger", "aemter", "wallet"]
    assert as_written(terms, [WrittenWords(texts[:1]), WrittenWords(texts[1:])]) == [
        "Düsselpass",
        "Düssel",
        "Straße",
        "karte",
        "zuständige",
        "Ämter",
        "wallet",
    ]
