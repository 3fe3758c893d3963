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
* same_service: a service-catalogue key in common; different_services: both name keys
  and share none; different_target_groups: both name target groups and share none;
* context: the same program, shared goals or tags, or a prerequisite both need.

A dependency between the two is not a signal but a rule: a prerequisite and the
project that needs it are two projects, their score is 0. The department is no signal
at all. Pairs are found without comparing all pairs: only projects that share a
telling n-gram, a rare term or a service key are compared (sparse products).

Evidence is returned as codes with parameters; ``present/`` words it in the catalogs.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import german
from .german import STOP_WORDS, Terms, fold
from .model import DEFAULT_BUNDLE_THRESHOLD, Portfolio, Project

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

    from .load import LoadResult

__all__ = ["STOP_WORDS", "Terms", "fold"]

DEFAULT_THRESHOLD = DEFAULT_BUNDLE_THRESHOLD
NGRAM = (3, 4)
# Candidate pairs must share telling features: n-grams (weighted), rare terms or word
# pairs that at most MAX_SHARED documents contain. The bound keeps the candidate
# product sparse at any portfolio size: a feature adds at most MAX_SHARED² pairs.
MAX_SHARED = 50
CANDIDATE_TEXT = 0.1  # text cosine from which a pair sharing telling n-grams is compared
CANDIDATE_RARITY = 0.5  # terms at least this rare make candidates
MIN_TEXT = 0.1  # text similarity below this is not reported as evidence
# candidate cosines are computed this many pairs at a time: each pair's two rows are
# copied (a few thousand n-grams each), so a chunk costs up to ~100 MiB
CHUNK = 10_000
# What a project's text contributes: title and summary (2,000 characters each) in full,
# its description up to the first 20,000 characters and, within them, up to the first
# MAX_DESCRIPTION_WORDS different words. Beyond its start a long text adds little
# evidence but many rare words, each with about 15 n-grams.
MAX_DESCRIPTION_WORDS = 500
TERM_WORDS = 60  # words of the description whose terms count (after title and summary)
ALIGNMENT = 0.5  # how much title coverage weighs on the text signal (0: not at all)
COVERED = 0.6  # share of a word's trigrams the other text must contain

# The fitted model (bench/bundle_eval.py fit, both training sets; README "bundle").
# z = INTERCEPT + Σ COEFFICIENTS[signal] × value; score = 1 / (1 + e^−z).
INTERCEPT = -6.04
COEFFICIENTS: dict[str, float] = {
    "text": 9.02,
    "shared_term": 4.13,
    "same_service": 3.82,
    "different_services": -3.01,
    "different_target_groups": -3.48,
    "context": 0.87,
}

_WORD = re.compile(r"[a-z0-9]+")
_TOKEN = re.compile(r"[^\W_]+")


class Normalizer:
    """Text → words for the n-gram text signal: folded, stop words dropped; hyphens and
    slashes separate words. Each distinct token is normalized once."""

    def __init__(self) -> None:
        self.known: dict[str, list[str]] = {}

    def token(self, token: str) -> list[str]:
        known = self.known.get(token)
        if known is None:
            # folding can split a token: "é" → "e" + mark
            known = [w for w in _WORD.findall(fold(token)) if w not in STOP_WORDS and len(w) > 1]
            self.known[token] = known
        return known

    def __call__(self, text: str) -> list[str]:
        return [w for token in _TOKEN.findall(text) for w in self.token(token)]

    def start(self, text: str, distinct: int) -> list[str]:
        """The words of ``text`` up to (not including) the first that would make more
        than ``distinct`` different ones."""
        result: list[str] = []
        seen: set[str] = set()
        for token in _TOKEN.findall(text):
            for w in self.token(token):
                if w not in seen:
                    if len(seen) == distinct:
                        return result
                    seen.add(w)
                result.append(w)
        return result


def words(text: str) -> list[str]:
    """Folded words without stop words."""
    return Normalizer()(text)


def ngrams(word: str) -> list[str]:
    """Character n-grams of a word padded with '<' and '>' (the word itself when short)."""
    padded = f"<{word}>"
    if len(padded) <= NGRAM[0]:
        return [padded]
    return [
        padded[i : i + n] for n in range(NGRAM[0], NGRAM[1] + 1) for i in range(len(padded) - n + 1)
    ]


@functools.lru_cache(maxsize=500_000)
def trigrams(word: str) -> frozenset[str]:
    padded = f"<{word}>"
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


# --------------------------------------------------------------------------- pairs


@dataclass(frozen=True)
class Evidence:
    """A piece of evidence: a code (worded in present/ through the catalogs) and its
    parameters in order."""

    code: str
    params: tuple[str | float, ...] = ()


@dataclass(frozen=True)
class Signal:
    """One signal of a pair: its value (0..1), its evidence, and its contribution to the
    score's log-odds (coefficient × value)."""

    name: str
    value: float
    evidence: tuple[Evidence, ...] = ()
    contribution: float = 0.0


@dataclass(frozen=True)
class PairTerms:
    """The normalised terms of both projects' titles and summaries and those they share,
    rarest first, each with its weight."""

    a: tuple[str, ...]
    b: tuple[str, ...]
    shared: tuple[tuple[str, float], ...]


@dataclass
class Pair:
    a: str
    b: str
    score: float
    signals: list[Signal]
    terms: PairTerms | None = None

    @property
    def reasons(self) -> list[Evidence]:
        return [e for s in self.signals for e in s.evidence]

    @property
    def log_odds(self) -> float:
        return INTERCEPT + math.fsum(s.contribution for s in self.signals)


@dataclass
class Bundle:
    projects: list[str]
    score: float
    reasons: list[Evidence]
    pairs: list[Pair] = field(default_factory=list)


def logistic(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z > -700 else 0.0


class Similarity:
    """TF-IDF vectors and term sets of a set of projects, and the pair signals built
    on them."""

    def __init__(self, projects: Sequence[Project], synonyms: Sequence[Sequence[str]] = ()) -> None:
        import numpy as np
        from scipy.sparse import csr_matrix, diags

        self.projects = list(projects)
        self.index = {p.id: i for i, p in enumerate(self.projects)}
        normalize = Normalizer()
        self.term_of = Terms(synonyms)
        n = len(self.projects)
        # documents × words (the title counts twice; a long text says no more than its
        # start: MAX_DESCRIPTION_WORDS), then words × n-grams: their product gives each
        # document's n-grams without building them document by document
        word_ids: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        self.title_words: list[list[str]] = []
        self.text_keys: list[tuple[tuple[str, ...], ...]] = []  # the words that count
        self.short_terms: list[frozenset[str]] = []  # the terms a shared term may be
        self.head_terms: list[frozenset[str]] = []  # those of title and summary
        short: list[list[str]] = []
        for row, p in enumerate(self.projects):
            title = normalize(p.title[:2_000])
            summary = normalize((p.summary or "")[:2_000])
            description = normalize.start((p.description or "")[:20_000], MAX_DESCRIPTION_WORDS)
            self.title_words.append(title)
            self.text_keys.append((tuple(title), tuple(summary), tuple(description)))
            short.append(title + summary)
            self.head_terms.append(self.term_of(title + summary))
            self.short_terms.append(self.term_of(title + summary + description[:TERM_WORDS]))
            for w, k in Counter(title + title + summary + description).items():
                rows.append(row)
                cols.append(word_ids.setdefault(w, len(word_ids)))
                vals.append(k)
        # each word's distinct n-grams in one flat list; ids in order of first
        # appearance (as one setdefault per n-gram would give them), looked up in C
        every_gram: list[str] = []
        w_rows: list[int] = []
        for i, w in enumerate(word_ids):  # ids are 0, 1, … in insertion order
            grams = set(ngrams(w))
            every_gram.extend(grams)
            w_rows.extend(itertools.repeat(i, len(grams)))
        gram_ids = {gram: k for k, gram in enumerate(dict.fromkeys(every_gram))}
        w_cols = list(map(gram_ids.__getitem__, every_gram))
        del every_gram
        # float32 throughout: half the memory, and cosines need no more digits
        by_word = csr_matrix(
            (np.ones(len(w_rows), dtype=np.float32), (w_rows, w_cols)),
            shape=(len(word_ids), len(gram_ids)),
        )
        by_doc = csr_matrix(
            (np.array(vals, dtype=np.float32), (rows, cols)), shape=(n, len(word_ids))
        )
        del rows, cols, vals, w_rows, w_cols
        counts = (by_doc @ by_word).tocsr()
        del by_doc, by_word
        df = np.bincount(counts.indices, minlength=len(gram_ids))
        idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
        counts.data = (1 + np.log(counts.data)) * idf[counts.indices]  # in place: TF-IDF
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        self.vectors: csr_matrix = (
            diags((1 / np.where(norms > 0, norms, 1.0)).astype(np.float32)) @ counts
        ).tocsr()
        del counts
        # what only the pair search needs is built when it runs (similar_to compares
        # one candidate with every project and needs none of it)
        self._df, self._short = df, short
        self._features: tuple[np.ndarray, csr_matrix, csr_matrix] | None = None
        # for the title coverage: each title+summary's trigrams and how telling a word
        # is (IDF over titles and summaries)
        self._trigrams: dict[int, frozenset[str]] = {}
        word_df: Counter[str] = Counter()
        for ws in short:
            word_df.update(set(ws))
        self.word_idf = {w: math.log((1 + n) / (1 + d)) + 1 for w, d in word_df.items()}
        # how common a term is here, over distinct texts: copies count once
        distinct_terms = set(self.short_terms)
        self.term_df: Counter[str] = Counter()
        for terms in distinct_terms:
            self.term_df.update(terms)
        self.distinct_texts = len(distinct_terms)
        self._weights: dict[str, float] = {}

    def weight(self, term: str) -> float:
        """How telling a shared term is: its rarity in German (a synonym group's term
        counts as rare) times its rarity in this portfolio (1 when two of its distinct
        texts have it, falling to 0 when all have it)."""
        known = self._weights.get(term)
        if known is not None:
            return known
        n = self.distinct_texts
        general = 1.0 if term.startswith("=") else german.rarity(term)
        df = max(2, self.term_df.get(term, 2))
        local = 1.0 if n <= 3 else max(0.0, math.log((1 + n) / (1 + df)) / math.log((1 + n) / 3))
        value = general * min(1.0, local)
        self._weights[term] = value
        return value

    def cosine(self, i: int, j: int) -> float:
        # summed as similar_to's one product sums it, so that both agree to the digit
        return float((self.vectors[j] @ self.vectors[i].T).toarray()[0, 0])

    def coverage(self, i: int, j: int) -> float:
        """The IDF-weighted share of project i's title words that project j's title and
        summary contain (≥ COVERED of a word's trigrams: compounds count)."""
        title = self.title_words[i]
        if not title:
            return 0.0
        other = self._trigrams.get(j)
        if other is None:
            other = frozenset().union(*(trigrams(w) for w in self._short[j]))
            self._trigrams[j] = other
        total = covered = 0.0
        for word in title:
            weight = self.word_idf.get(word, 1.0)
            grams = trigrams(word)
            total += weight
            if len(grams & other) >= COVERED * len(grams):
                covered += weight
        return covered / total

    def text(self, i: int, j: int, cosine: float | None = None) -> float:
        """The text signal: cosine weighed by the titles' mutual coverage."""
        value = self.cosine(i, j) if cosine is None else cosine
        alignment = (self.coverage(i, j) + self.coverage(j, i)) / 2
        return value * ((1 - ALIGNMENT) + ALIGNMENT * alignment)

    def features(
        self, i: int, j: int, cosine: float | None = None, exact: bool = True
    ) -> dict[str, float]:
        """Every signal of the pair (i, j), each 0..1, by name (COEFFICIENTS' keys).
        Not ``exact``: the text signal is the cosine, its upper bound (no coverage)."""
        a, b = self.projects[i], self.projects[j]
        services_a, services_b = set(a.services), set(b.services)
        groups_a, groups_b = set(a.target_groups), set(b.target_groups)
        if exact:
            text = self.text(i, j, cosine)
        else:
            text = self.cosine(i, j) if cosine is None else cosine
        return {
            "text": text,
            "shared_term": max(
                map(self.weight, self.short_terms[i] & self.short_terms[j]), default=0.0
            ),
            "same_service": float(bool(services_a & services_b)),
            "different_services": float(
                bool(services_a and services_b and not services_a & services_b)
            ),
            "different_target_groups": float(
                bool(groups_a and groups_b and not groups_a & groups_b)
            ),
            "context": max(
                float(a.program is not None and a.program == b.program),
                _overlap(a.goals, b.goals)[0],
                _overlap(a.tags, b.tags)[0],
                _overlap(a.depends_on, b.depends_on)[0],
            ),
        }

    def candidates(
        self,
        minimum: float = CANDIDATE_TEXT,
        rows: Sequence[int] | None = None,
        term_floor: float = CANDIDATE_RARITY,
    ) -> dict[tuple[int, int], float]:
        """Pairs (i < j) worth scoring, with their text cosine: those sharing telling
        n-grams whose cosine reaches ``minimum``, telling word pairs, terms of at least
        ``term_floor`` weight or a service key. With ``rows`` (ascending), only pairs
        among these projects, and a
        feature is telling by how many of them share it (one row stands for its
        copies)."""
        import numpy as np
        from scipy.sparse import triu

        if len(self.projects) < 2 or (rows is not None and len(rows) < 2):
            return {}
        if self._features is None:
            self._features = _candidate_features(self._df, self._short, len(self.projects))
        telling, telling_pairs, all_word_pairs = self._features
        if rows is None:
            keep = self.vectors[:, telling]
            word_pairs = telling_pairs
            members = list(range(len(self.projects)))
        else:
            members = list(rows)
            vectors = self.vectors[members]
            df = np.bincount(vectors.indices, minlength=vectors.shape[1])
            keep = vectors[:, (df >= 2) & (df <= MAX_SHARED)]
            word_pairs = all_word_pairs[members]
            pair_df = np.bincount(word_pairs.indices, minlength=word_pairs.shape[1])
            word_pairs = word_pairs[:, np.flatnonzero((pair_df >= 2) & (pair_df <= MAX_SHARED))]
        product = triu(keep @ keep.T, k=1).tocoo()
        mask = product.data >= minimum
        found = {
            (members[int(i)], members[int(j)])
            for i, j in zip(product.row[mask], product.col[mask], strict=True)
        }
        for matrix in (word_pairs, self._rare_terms(members, term_floor)):
            shared = triu(matrix @ matrix.T, k=1).tocoo()
            found.update(
                (members[int(i)], members[int(j)])
                for i, j in zip(shared.row, shared.col, strict=True)
            )
        by_service: dict[str, list[int]] = defaultdict(list)
        for i in members:
            for key in set(self.projects[i].services):
                by_service[key].append(i)
        for group in by_service.values():
            if len(group) <= MAX_SHARED:  # a key in everything is a catalogue error
                found.update((a, b) for k, a in enumerate(group) for b in group[k + 1 :])
        if not found:
            return {}
        pairs = sorted(found)
        values = np.empty(len(pairs))
        for start in range(0, len(pairs), CHUNK):  # bounded memory for many candidates
            chunk = pairs[start : start + CHUNK]
            left = self.vectors[np.array([a for a, _ in chunk])]
            right = self.vectors[np.array([b for _, b in chunk])]
            values[start : start + len(chunk)] = np.asarray(
                left.multiply(right).sum(axis=1)
            ).ravel()
        return {pair: float(v) for pair, v in zip(pairs, values, strict=True)}

    def _rare_terms(self, members: Sequence[int], floor: float) -> csr_matrix:
        """Members × their title and summary terms of at least ``floor`` weight that 2
        to MAX_SHARED of them have (description terms count in the score, but make no
        candidates: a long text shares some rare word with too many others)."""
        import numpy as np
        from scipy.sparse import csr_matrix

        df: Counter[str] = Counter()
        for i in members:
            df.update(self.head_terms[i])
        ids: dict[str, int] = {}
        rows, cols = [], []
        for row, i in enumerate(members):
            for term in self.head_terms[i]:
                if 2 <= df[term] <= MAX_SHARED and self.weight(term) >= floor:
                    rows.append(row)
                    cols.append(ids.setdefault(term, len(ids)))
        return csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(members), len(ids))
        )

    def pair(self, i: int, j: int, cosine: float | None = None) -> Pair:
        """The pair (i, j) with every signal, its evidence and the calibrated score."""
        a, b = self.projects[i], self.projects[j]
        values = self.features(i, j, cosine)
        signals = [
            Signal(name, value, self._evidence(name, value, i, j), COEFFICIENTS[name] * value)
            for name, value in values.items()
        ]
        if b.id in a.depends_on or a.id in b.depends_on:
            # a prerequisite and the project that needs it are two projects by
            # definition: the dependency is evidence against a merge, whatever they share
            first, second = (a, b) if b.id in a.depends_on else (b, a)
            evidence = (Evidence("prerequisite", (first.id, second.id)),)
            return Pair(a.id, b.id, 0.0, [*signals, Signal("prerequisite", 1.0, evidence)])
        score = logistic(INTERCEPT + math.fsum(s.contribution for s in signals))
        return Pair(a.id, b.id, score, signals)

    def explain(self, i: int, j: int) -> Pair:
        """The pair with the normalised terms of both projects and those they share."""
        pair = self.pair(i, j)
        a, b = self.short_terms[i], self.short_terms[j]
        shared = sorted(((t, round(self.weight(t), 4)) for t in a & b), key=lambda x: (-x[1], x[0]))
        pair.terms = PairTerms(tuple(sorted(a)), tuple(sorted(b)), tuple(shared))
        return pair

    def _evidence(self, name: str, value: float, i: int, j: int) -> tuple[Evidence, ...]:
        a, b = self.projects[i], self.projects[j]
        if name == "text" and value >= MIN_TEXT:
            return (Evidence("texts-alike", (round(value, 2), a.title, b.title)),)
        if name == "shared_term" and value > 0:
            shared = self.short_terms[i] & self.short_terms[j]
            telling = sorted(
                (t for t in shared if self.weight(t) >= CANDIDATE_RARITY),
                key=lambda t: (-self.weight(t), t),
            )
            if telling:
                return (Evidence("shared-terms", (", ".join(telling[:6]),)),)
        if name == "same_service" and value:
            keys = sorted(set(a.services) & set(b.services))
            return (Evidence("same-service", (", ".join(keys),)),)
        if name == "different_services" and value:
            both = f"{', '.join(sorted(a.services))} / {', '.join(sorted(b.services))}"
            return (Evidence("different-services", (both,)),)
        if name == "different_target_groups" and value:
            groups = (sorted(a.target_groups), sorted(b.target_groups))
            both = f"{', '.join(groups[0])} / {', '.join(groups[1])}"
            return (Evidence("different-target-groups", (both,)),)
        if name == "context" and value:
            found = []
            if a.program is not None and a.program == b.program:
                found.append(Evidence("same-program", (a.program,)))
            for code, mine, theirs in (
                ("shared-goals", a.goals, b.goals),
                ("shared-tags", a.tags, b.tags),
                ("both-depend", a.depends_on, b.depends_on),
            ):
                items = _overlap(mine, theirs)[1]
                if items:
                    found.append(Evidence(code, (", ".join(items),)))
            return tuple(found)
        return ()


def _candidate_features(
    df: np.ndarray, short: list[list[str]], n: int
) -> tuple[np.ndarray, csr_matrix, csr_matrix]:
    """The telling n-grams (a mask over columns), each document's telling word pairs
    (a 0/1 matrix) and all its word pairs; telling: shared by 2 to MAX_SHARED
    documents."""
    import numpy as np
    from scipy.sparse import csr_matrix

    pair_ids: dict[tuple[str, str], int] = {}
    rows, cols = [], []
    for row, ws in enumerate(short):
        for pair in set(itertools.pairwise(ws)):
            rows.append(row)
            cols.append(pair_ids.setdefault(pair, len(pair_ids)))
    word_pairs = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(pair_ids)))
    pair_df = np.bincount(word_pairs.indices, minlength=len(pair_ids))
    keep = np.flatnonzero((pair_df >= 2) & (pair_df <= MAX_SHARED))
    word_pairs = word_pairs.tocsr()
    return (df >= 2) & (df <= MAX_SHARED), word_pairs[:, keep], word_pairs


def _overlap(a: Iterable[str], b: Iterable[str]) -> tuple[float, list[str]]:
    """Overlap coefficient |A ∩ B| / min(|A|, |B|) and the shared items."""
    set_a, set_b = set(a), set(b)
    shared = sorted(set_a & set_b)
    if not set_a or not set_b:
        return 0.0, []
    return len(shared) / min(len(set_a), len(set_b)), shared


def distinct(a: Project, b: Project) -> bool:
    """The committee decided these two are not to be merged."""
    return b.id in a.distinct_from or a.id in b.distinct_from


def similar_pairs(
    projects: Sequence[Project], threshold: float, synonyms: Sequence[Sequence[str]] = ()
) -> list[Pair]:
    """Pairs scoring at least ``threshold``, strongest first (then by ids)."""
    return _similar(Similarity(projects, synonyms), threshold)


def _similar(
    similarity: Similarity, threshold: float, rows: Sequence[int] | None = None
) -> list[Pair]:
    """``similar_pairs`` on built vectors, among all projects or only ``rows``."""
    # only pairs with some text, a telling term or a service key in common are compared,
    # and of them only those whose score could reach the threshold (an upper bound from
    # the cheap signals: the text signal is at most the cosine, context at most 1)
    c = {name: max(0.0, value) for name, value in COEFFICIENTS.items()}
    if threshold <= 0:
        needed = -math.inf
    elif threshold >= 1:
        needed = math.inf
    else:
        needed = math.log(threshold / (1 - threshold)) - INTERCEPT
    # a pair that shares no telling n-grams (text below CANDIDATE_TEXT) reaches the
    # threshold only with a term of this weight
    floor = (needed - c["context"] - c["text"] * CANDIDATE_TEXT) / c["shared_term"]
    candidates = similarity.candidates(CANDIDATE_TEXT, rows, min(1.0, max(0.0, floor)))
    pairs = []
    for (i, j), cosine in candidates.items():
        a, b = similarity.projects[i], similarity.projects[j]
        if distinct(a, b) or a.id in b.depends_on or b.id in a.depends_on:
            continue  # never suggested (a prerequisite scores 0)
        # an upper bound first: every signal but the text, which is at most the cosine
        # (its title coverage, the costly part, only for pairs that could make it)
        bound = math.fsum(
            (c["text"] if name == "text" else COEFFICIENTS[name]) * value
            for name, value in similarity.features(i, j, cosine, exact=False).items()
        )
        if bound < needed:
            continue
        pair = similarity.pair(i, j, cosine)
        if pair.score >= threshold:
            pairs.append(pair)
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return pairs


def explain_pair(
    projects: Sequence[Project], a: str, b: str, synonyms: Sequence[Sequence[str]] = ()
) -> Pair:
    """Every signal of the pair a, b among ``projects``, with the terms of both."""
    similarity = Similarity(projects, synonyms)
    return similarity.explain(similarity.index[a], similarity.index[b])


# --------------------------------------------------------------------------- bundles


def bundles(
    pairs: Sequence[Pair], projects: Sequence[Project], threshold: float, cohesion: float = 0.5
) -> list[Bundle]:
    """Group pairs into bundles, strongest pairs first; a project joins a bundle only if
    it is similar to *every* member (score ≥ ``cohesion`` × threshold) — no chains of
    A ~ B ~ C ~ D where A and D have nothing in common — and never a project the
    committee keeps distinct from it."""
    by_id = {p.id: p for p in projects}
    score = {(p.a, p.b): p for p in pairs}
    score.update({(p.b, p.a): p for p in pairs})
    floor = cohesion * threshold
    member_of: dict[str, int] = {}
    groups: list[list[str]] = []

    def fits(group: list[str], newcomer: str) -> bool:
        return all(
            (m, newcomer) in score
            and score[(m, newcomer)].score >= floor
            and not distinct(by_id[m], by_id[newcomer])
            for m in group
        )

    for pair in pairs:
        ga, gb = member_of.get(pair.a), member_of.get(pair.b)
        if ga is None and gb is None:
            member_of[pair.a] = member_of[pair.b] = len(groups)
            groups.append([pair.a, pair.b])
        elif ga is not None and gb is None and fits(groups[ga], pair.b):
            groups[ga].append(pair.b)
            member_of[pair.b] = ga
        elif gb is not None and ga is None and fits(groups[gb], pair.a):
            groups[gb].append(pair.a)
            member_of[pair.a] = gb
        elif (
            ga is not None
            and gb is not None
            and ga != gb
            and all(fits(groups[ga], m) for m in groups[gb])
        ):
            groups[ga].extend(groups[gb])
            for m in groups[gb]:
                member_of[m] = ga
            groups[gb] = []
    result = []
    for group in groups:
        if not group:
            continue
        members = sorted(group)
        inner = [
            score[(x, y)]
            for k, x in enumerate(members)
            for y in members[k + 1 :]
            if (x, y) in score
        ]
        strongest = sorted(inner, key=lambda p: -p.score)
        reasons: list[Evidence] = []
        for p in strongest:
            for r in p.reasons:
                if r not in reasons:
                    reasons.append(r)
        mean = math.fsum(p.score for p in inner) / len(inner)  # exact: same on every Python
        result.append(Bundle(members, mean, reasons, strongest))
    result.sort(key=lambda b: (-b.score, b.projects))
    return result


def suggest(
    portfolio: Portfolio, threshold: float | None = None, include_closed: bool = False
) -> tuple[list[Bundle], float]:
    """The bundles to suggest, and the threshold used (argument, strategy, default).

    More than MAX_SHARED copies (projects alike in every signal: the same words,
    services, tags, goals, target groups, program and prerequisites) are grouped first
    and one of each group is compared with the rest, so that any number of copies is
    one bundle, found in linear time; a project that others need or that a
    ``distinct_from`` names is never taken for a copy."""
    if threshold is None:
        threshold = portfolio.strategy.bundling.threshold
    projects = [p for _, p in sorted(portfolio.projects.items()) if include_closed or p.is_open]
    similarity = Similarity(projects, synonyms_of(portfolio))
    groups = _copies(similarity, threshold)
    if not groups:
        return bundles(_similar(similarity, threshold), projects, threshold), threshold
    grouped = {m for members, _ in groups.values() for m in members}
    rows = sorted(set(range(len(projects))) - grouped | set(groups))
    found = bundles(_similar(similarity, threshold, rows), [projects[i] for i in rows], threshold)
    copies = {
        projects[i].id: ([projects[m].id for m in ms], pair) for i, (ms, pair) in groups.items()
    }
    result = [_with_copies(b, copies) if copies.keys() & set(b.projects) else b for b in found]
    bundled = {pid for b in found for pid in b.projects}
    result += [_with_copies(Bundle([pid], 0.0, []), copies) for pid in copies if pid not in bundled]
    result.sort(key=lambda b: (-b.score, b.projects))
    return result, threshold


def _copies(similarity: Similarity, threshold: float) -> dict[int, tuple[list[int], Pair]]:
    """Groups of more than MAX_SHARED copies (their words would be no candidates'
    features) whose pair reaches the threshold: the first member → (all members, the
    pair of the first two)."""
    projects = similarity.projects
    needed = {d for p in projects for d in p.depends_on}
    kept_apart = {d for p in projects for d in p.distinct_from}
    kept_apart |= {p.id for p in projects if p.distinct_from}
    by_key: dict[tuple[object, ...], list[int]] = {}
    for i, p in enumerate(projects):
        if p.id in needed or p.id in kept_apart:
            continue
        key = (
            similarity.text_keys[i],
            frozenset(p.services),
            frozenset(p.tags),
            frozenset(p.goals),
            frozenset(p.target_groups),
            p.program,
            frozenset(p.depends_on),
        )
        by_key.setdefault(key, []).append(i)
    groups = {}
    for members in by_key.values():
        if len(members) > MAX_SHARED:  # fewer: the pair search finds them, as always
            a, b = members[0], members[1]
            pair = similarity.pair(a, b)
            if pair.score >= threshold:
                groups[a] = (members, pair)
    return groups


def _with_copies(bundle: Bundle, copies: dict[str, tuple[list[str], Pair]]) -> Bundle:
    """A bundle of group representatives with every copy in it: its score is the mean
    over all pairs of its projects (each pair of representatives stands for the pairs
    of their copies, each group's pair for the pairs inside it); one pair per kind."""

    def size(pid: str) -> int:
        return len(copies[pid][0]) if pid in copies else 1

    units = [(p, size(p.a) * size(p.b)) for p in bundle.pairs]
    units += [
        (copies[pid][1], size(pid) * (size(pid) - 1) // 2)
        for pid in bundle.projects
        if pid in copies
    ]
    members = sorted(
        m for pid in bundle.projects for m in (copies[pid][0] if pid in copies else [pid])
    )
    strongest = [p for p, _ in sorted(units, key=lambda unit: -unit[0].score)]
    reasons: list[Evidence] = []
    for p in strongest:
        for r in p.reasons:
            if r not in reasons:
                reasons.append(r)
    score = sum(p.score * k for p, k in units) / sum(k for _, k in units)
    return Bundle(members, score, reasons, strongest)


def synonyms_of(portfolio: Portfolio) -> tuple[tuple[str, ...], ...]:
    """The strategy's synonym groups (normalised when the model is built)."""
    return tuple(tuple(group) for group in portfolio.strategy.bundling.synonyms)


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
    terms = similarity.short_terms[0]
    services = set(candidate.services)
    # a pair sharing nothing scores at most this (only context adds without sharing)
    unshared = logistic(INTERCEPT + max(0.0, COEFFICIENTS["context"]))
    found = []
    for j, other in enumerate(others, start=1):
        if (
            threshold > unshared
            and cosines[j] <= 0
            and not terms & similarity.short_terms[j]
            and not services & set(other.services)
        ):
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
