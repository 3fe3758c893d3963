"""The signals of a pair of projects: TF-IDF vectors of their texts' n-grams, their
normalised terms and how telling each is, and the evidence for each signal."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import german
from ..german import Terms
from ..model import Project
from . import pair as model
from .pair import Evidence, Pair, PairTerms, Signal, logistic
from .text import MAX_DESCRIPTION_WORDS, Normalizer, WrittenWords, as_written, ngrams, trigrams

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

CANDIDATE_RARITY = 0.5  # terms at least this rare make candidates (and are evidence)
MIN_TEXT = 0.1  # text similarity below this is not reported as evidence
TERM_WORDS = 60  # words of the description whose terms count (after title and summary)
ALIGNMENT = 0.5  # how much title coverage weighs on the text signal (0: not at all)
COVERED = 0.6  # share of a word's trigrams the other text must contain


class Similarity:
    """TF-IDF vectors and term sets of a set of projects, and the pair signals built
    on them."""

    def __init__(self, projects: Sequence[Project], synonyms: Sequence[Sequence[str]] = ()) -> None:
        self.projects = list(projects)
        self.index = {p.id: i for i, p in enumerate(self.projects)}
        self.term_of = Terms(synonyms)
        self.title_words: list[list[str]] = []
        self.text_keys: list[tuple[tuple[str, ...], ...]] = []  # the words that count
        self.short_terms: list[frozenset[str]] = []  # the terms a shared term may be
        self.head_terms: list[frozenset[str]] = []  # those of title and summary
        self.short_words: list[list[str]] = []  # the words of title and summary
        self.vectors, self.gram_df = _tfidf(self._read_texts(), len(self.projects))
        # what only the pair search needs is built when it runs (similar_to compares
        # one candidate with every project and needs none of it)
        self.search_index: tuple[np.ndarray, csr_matrix, csr_matrix] | None = None
        # for the title coverage: each title+summary's trigrams and how telling a word
        # is (IDF over titles and summaries)
        self._trigrams: dict[int, frozenset[str]] = {}
        n = len(self.projects)
        word_df: Counter[str] = Counter()
        for ws in self.short_words:
            word_df.update(set(ws))
        self.word_idf = {w: math.log((1 + n) / (1 + d)) + 1 for w, d in word_df.items()}
        # how common a term is here, over distinct texts: copies count once
        distinct_terms = set(self.short_terms)
        self.term_df: Counter[str] = Counter()
        for terms in distinct_terms:
            self.term_df.update(terms)
        self.distinct_texts = len(distinct_terms)
        self._weights: dict[str, float] = {}
        self._written: dict[int, WrittenWords] = {}
        # the synonym groups (OpenThesaurus) of each project's terms, and how many
        # distinct texts have a word of each group
        of_terms: dict[frozenset[str], frozenset[int]] = {}
        for terms in self.head_terms:
            if terms not in of_terms:
                of_terms[terms] = _concepts(terms)
        self.concepts = [of_terms[terms] for terms in self.head_terms]
        self.concept_df: Counter[int] = Counter()
        for concepts in of_terms.values():
            self.concept_df.update(concepts)

    def _read_texts(self) -> _WordCounts:
        """Each project's words and terms; returns the documents × words counts for the
        vectors (the title counts twice; a long text says no more than its start)."""
        normalize = Normalizer()
        counted = _WordCounts()
        for row, p in enumerate(self.projects):
            title = normalize(p.title[:2_000])
            summary = normalize((p.summary or "")[:2_000])
            description = normalize.start((p.description or "")[:20_000], MAX_DESCRIPTION_WORDS)
            self.title_words.append(title)
            self.text_keys.append((tuple(title), tuple(summary), tuple(description)))
            self.short_words.append(title + summary)
            self.head_terms.append(self.term_of(title + summary))
            self.short_terms.append(self.term_of(title + summary + description[:TERM_WORDS]))
            for w, k in Counter(title + title + summary + description).items():
                counted.rows.append(row)
                counted.cols.append(counted.ids.setdefault(w, len(counted.ids)))
                counted.vals.append(k)
        return counted

    def weight(self, term: str) -> float:
        """How telling a shared term is: its rarity in German (a synonym group's term
        counts as rare) times its rarity in this portfolio (1 when two of its distinct
        texts have it, falling to 0 when all have it)."""
        known = self._weights.get(term)
        if known is not None:
            return known
        general = 1.0 if term.startswith("=") else german.rarity(term)
        value = general * self.local(self.term_df.get(term, 2))
        self._weights[term] = value
        return value

    def local(self, df: int) -> float:
        """How rare a term (or group) that ``df`` distinct texts have is in this
        portfolio: 1 for two of them, falling to 0 when all have it."""
        n = self.distinct_texts
        if n <= 3:
            return 1.0
        return min(1.0, max(0.0, math.log((1 + n) / (1 + max(2, df))) / math.log((1 + n) / 3)))

    def synonym(self, i: int, j: int) -> tuple[float, tuple[str, str] | None]:
        """The synonym signal: two different words of one OpenThesaurus group, one in
        each project's title or summary, neither of them in both; weighed by the rarity
        of the commoner of the two, squared (a synonym of a generic word tells less
        than the word itself: "Amt" ~ "Behörde" little, "Trauung" ~ "Eheschließung"
        much), times the group's rarity in this portfolio; and the two words."""
        best, words = 0.0, None
        for group in self.concepts[i] & self.concepts[j]:
            mine = [t for t in self.head_terms[i] if group in german.synonym_groups(t)]
            theirs = [t for t in self.head_terms[j] if group in german.synonym_groups(t)]
            if set(mine) & set(theirs):
                continue  # a word of the group in both: the shared term says it
            local = self.local(self.concept_df[group])
            for a in mine:
                for b in theirs:
                    value = min(german.rarity(a), german.rarity(b)) ** 2 * local
                    if a != b and (value, (a, b)) > (best, words or ("", "")):
                        best, words = value, (a, b)
        return best, words

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
            other = frozenset().union(*(trigrams(w) for w in self.short_words[j]))
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
            "synonym": self.synonym(i, j)[0],
            "same_service": float(bool(services_a & services_b)),
            "different_services": float(
                bool(services_a and services_b and not services_a & services_b)
            ),
            "different_target_groups": float(
                bool(groups_a and groups_b and not groups_a & groups_b)
            ),
            "context": max(
                float(a.program is not None and a.program == b.program),
                overlap(a.goals, b.goals)[0],
                overlap(a.tags, b.tags)[0],
                overlap(a.depends_on, b.depends_on)[0],
            ),
        }

    def pair(self, i: int, j: int, cosine: float | None = None) -> Pair:
        """The pair (i, j) with every signal, its evidence and the calibrated score."""
        a, b = self.projects[i], self.projects[j]
        values = self.features(i, j, cosine)
        signals = [
            Signal(name, value, self._evidence(name, value, i, j), model.COEFFICIENTS[name] * value)
            for name, value in values.items()
        ]
        if b.id in a.depends_on or a.id in b.depends_on:
            # a prerequisite and the project that needs it are two projects by
            # definition: the dependency is evidence against a merge, whatever they share
            first, second = (a, b) if b.id in a.depends_on else (b, a)
            evidence = (Evidence("prerequisite", (first.id, second.id)),)
            return Pair(a.id, b.id, 0.0, [*signals, Signal("prerequisite", 1.0, evidence)])
        score = logistic(model.INTERCEPT + math.fsum(s.contribution for s in signals))
        return Pair(a.id, b.id, score, signals)

    def explain(self, i: int, j: int) -> Pair:
        """The pair with the normalised terms of both projects and those they share."""
        pair = self.pair(i, j)
        a, b = self.short_terms[i], self.short_terms[j]
        shared = sorted(((t, round(self.weight(t), 4)) for t in a & b), key=lambda x: (-x[1], x[0]))
        pair.terms = PairTerms(tuple(sorted(a)), tuple(sorted(b)), tuple(shared))
        return pair

    def written_words(self, i: int) -> WrittenWords:
        """Project ``i``'s words as written, read when its evidence is first shown."""
        found = self._written.get(i)
        if found is None:
            p = self.projects[i]
            # the terms come from the description's first TERM_WORDS words after stop
            # words: four times as many words as written hold them
            start = " ".join((p.description or "")[:20_000].split()[: 4 * TERM_WORDS])
            found = self._written[i] = WrittenWords([p.title, p.summary or "", start])
        return found

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
                # a synonym group's term ("=hund") reads as its first member
                shown = dict.fromkeys(t.removeprefix("=") for t in telling[:6])
                written = as_written(list(shown), [self.written_words(i), self.written_words(j)])
                return (Evidence("shared-terms", (", ".join(written),)),)
        if name == "synonym" and value > 0:
            found = self.synonym(i, j)[1]
            if found is not None:
                [first] = as_written([found[0]], [self.written_words(i)])
                [second] = as_written([found[1]], [self.written_words(j)])
                return (Evidence("synonyms", (f"{first} ~ {second}",)),)
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
            return _context_evidence(a, b)
        return ()


def _concepts(terms: Iterable[str]) -> frozenset[int]:
    """The synonym groups of a set of terms."""
    groups = german.synonym_groups
    return frozenset(itertools.chain.from_iterable(map(groups, terms)))


def _context_evidence(a: Project, b: Project) -> tuple[Evidence, ...]:
    found = []
    if a.program is not None and a.program == b.program:
        found.append(Evidence("same-program", (a.program,)))
    for code, mine, theirs in (
        ("shared-goals", a.goals, b.goals),
        ("shared-tags", a.tags, b.tags),
        ("both-depend", a.depends_on, b.depends_on),
    ):
        items = overlap(mine, theirs)[1]
        if items:
            found.append(Evidence(code, (", ".join(items),)))
    return tuple(found)


@dataclass
class _WordCounts:
    """Documents × words as coordinates (row, column, count); words by id."""

    ids: dict[str, int] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    vals: list[float] = field(default_factory=list)


def _tfidf(counted: _WordCounts, n: int) -> tuple[csr_matrix, np.ndarray]:
    """Documents' unit TF-IDF vectors over their words' n-grams, and each n-gram's
    document frequency. Documents × words, then words × n-grams: their product gives
    each document's n-grams without building them document by document."""
    import numpy as np
    from scipy.sparse import csr_matrix, diags

    word_ids, rows, cols, vals = counted.ids, counted.rows, counted.cols, counted.vals
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
    by_doc = csr_matrix((np.array(vals, dtype=np.float32), (rows, cols)), shape=(n, len(word_ids)))
    del rows, cols, vals, w_rows, w_cols
    counted.rows, counted.cols, counted.vals = [], [], []
    counts = (by_doc @ by_word).tocsr()
    del by_doc, by_word
    df = np.bincount(counts.indices, minlength=len(gram_ids))
    idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
    counts.data = (1 + np.log(counts.data)) * idf[counts.indices]  # in place: TF-IDF
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    vectors = (diags((1 / np.where(norms > 0, norms, 1.0)).astype(np.float32)) @ counts).tocsr()
    return vectors, df


def overlap(a: Iterable[str], b: Iterable[str]) -> tuple[float, list[str]]:
    """Overlap coefficient |A ∩ B| / min(|A|, |B|) and the shared items."""
    set_a, set_b = set(a), set(b)
    shared = sorted(set_a & set_b)
    if not set_a or not set_b:
        return 0.0, []
    return len(shared) / min(len(set_a), len(set_b)), shared
