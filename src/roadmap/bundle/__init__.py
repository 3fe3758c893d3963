"""Which projects are really the same project: a calibrated pair score, and cohesive
bundles of the pairs above a threshold.

The pair score estimates the probability that a committee would run the two projects
as one: a logistic model, score = 1 / (1 + e^−z), z = INTERCEPT + Σ COEFFICIENTS[s] × s,
over a handful of signals, each 0..1 (fitted with ``bench/bundle_eval.py fit`` on the
labelled sets in tests/bundle_eval/; the README explains the scale). The signals:

* text: TF-IDF cosine of character n-grams inside the words of title (twice), summary
  and description, weighed by how well each title's words are covered by the other's
  title and summary (two projects written from one template for different objects
  count less). N-grams inside words match inflections and compounds;
* title, terms: the weighted share of terms the two titles (title and summary) have in
  common. A word's terms are its lemma and, for a compound, its parts
  ("Gründachkataster" → gruendachkataster, gruen, dach, kataster), all from
  ``german.py``; a term weighs by how rare it is in German (wordfreq: "online" little,
  "Hundesteuer" much) and in this portfolio. The strategy's ``bundling.synonyms`` map
  terms after this normalisation, so any form the user writes takes effect;
* synonym: two different words of one OpenThesaurus synonym group (shipped data, see
  ``german.py``), one in each title or summary, weighed by the rarity of the commoner
  word (squared) and of the group in this portfolio ("Trauung" ~ "Eheschließung");
* same_service: a service-catalogue key in common; different_services: both name keys
  and share none; different_target_groups: both name target groups and share none;
* context: the same program, shared goals or tags, or a prerequisite both need.

A dependency between the two is not a signal but a rule: a prerequisite and the
project that needs it are two projects, their score is 0. The department is no signal
at all. Pairs are found without comparing all pairs: only projects that share a
telling n-gram, a rare term, a synonym group or a service key are compared (sparse
products).

Evidence is returned as codes with parameters; ``present/`` words it in the catalogs.
The parts: ``text`` (words, n-grams), ``pair`` (the fitted model and a pair's record),
``similarity`` (the signals), ``candidates`` (which pairs to score), ``clusters``
(bundles and suggestions); this module is what the rest of roadmap calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..german import STOP_WORDS, Terms, fold
from ..model import DEFAULT_BUNDLE_THRESHOLD, Portfolio, Project
from .candidates import MAX_SHARED, could_reach, distinct, needed_for, similar
from .clusters import bundles, suggest, synonyms_of
from .pair import COEFFICIENTS, INTERCEPT, Bundle, Evidence, Pair, PairTerms, Signal, logistic
from .similarity import Similarity
from .text import MAX_DESCRIPTION_WORDS, Normalizer, ngrams, words

if TYPE_CHECKING:
    from ..load import LoadResult

__all__ = [
    "COEFFICIENTS",
    "DEFAULT_THRESHOLD",
    "INTERCEPT",
    "MAX_DESCRIPTION_WORDS",
    "MAX_SHARED",
    "STOP_WORDS",
    "Bundle",
    "Evidence",
    "Normalizer",
    "Pair",
    "PairTerms",
    "Signal",
    "Similarity",
    "Terms",
    "bundles",
    "cached_suggestions",
    "distinct",
    "explain_pair",
    "fold",
    "logistic",
    "ngrams",
    "similar_pairs",
    "similar_to",
    "suggest",
    "synonyms_of",
    "words",
]

DEFAULT_THRESHOLD = DEFAULT_BUNDLE_THRESHOLD


def similar_pairs(
    projects: Sequence[Project], threshold: float, synonyms: Sequence[Sequence[str]] = ()
) -> list[Pair]:
    """Pairs scoring at least ``threshold``, strongest first (then by ids)."""
    return similar(Similarity(projects, synonyms), threshold)


def explain_pair(
    projects: Sequence[Project], a: str, b: str, synonyms: Sequence[Sequence[str]] = ()
) -> Pair:
    """Every signal of the pair a, b among ``projects``, with the terms of both."""
    similarity = Similarity(projects, synonyms)
    return similarity.explain(similarity.index[a], similarity.index[b])


def similar_to(
    candidate: Project, portfolio: Portfolio, threshold: float | None = None
) -> list[tuple[float, Project]]:
    """The projects that look like ``candidate`` (a project not yet in the portfolio),
    done and cancelled ones included (re-entering a finished project is the costliest
    double): pair score at least ``threshold`` (default: the strategy's), most similar
    first. The similarity model is built once for all of them, so this grows linearly
    with the portfolio; the scores equal ``explain_pair`` over the same list."""
    if threshold is None:
        threshold = portfolio.strategy.bundling.threshold
    import numpy as np

    others = list(portfolio.projects.values())
    similarity = Similarity([candidate, *others], synonyms_of(portfolio))
    # every cosine with the candidate in one sparse product; only projects sharing
    # some text, term or service key can reach a threshold above the intercept's score
    cosines = np.asarray((similarity.vectors @ similarity.vectors[0].T).todense()).ravel()
    needed = needed_for(threshold)
    found = []
    for j, other in enumerate(others, start=1):
        # only pairs whose score could reach the threshold are scored in full
        if not could_reach(similarity, 0, j, float(cosines[j]), needed):
            continue
        pair = similarity.pair(0, j, float(cosines[j]))
        if pair.score >= threshold:
            found.append((pair.score, other))
    return sorted(found, key=lambda item: (-item[0], item[1].id))


def cached_suggestions(loaded: LoadResult) -> list[Bundle]:
    """The default suggestions of a loaded portfolio, from the cache when no file
    changed since they were computed."""
    assert loaded.portfolio is not None, "only a loaded portfolio has suggestions"
    cache = loaded.cache
    found: list[Bundle] | None = (
        cache.derived("bundles", loaded.content_key) if cache is not None else None
    )
    if found is None:
        found, _ = suggest(loaded.portfolio)
        if cache is not None:
            cache.store_derived("bundles", loaded.content_key, found)
    return found
