"""Which projects are really the same project: similarity signals per pair, and
cohesive bundles of the pairs above a threshold.

Signals, each 0..1 and explained in words a committee member understands:

* text: TF-IDF cosine of character n-grams inside the words of title (twice), summary
  and description, after folding German spellings (ä → ae, ß → ss), splitting
  hyphenated words, dropping stop words and mapping synonyms (Sperrgut → Sperrmüll,
  also inside compounds). N-grams inside words match compounds and inflections
  ("Sperrmüll-Anmeldung" ~ "Anmeldung von Sperrmüll"); IDF makes the rare, telling
  words count and "online" not. The cosine is weighed by how well each title's words
  are covered by the other project's title and summary, so that two projects written
  from one template for different objects (fishing vs hunting licence) count less;
* services: the same service-catalogue key (the strongest signal); two projects that
  both name services but none in common are about different services;
* shared tags, goals, target groups, program;
* dependency closeness: one needs the other, or both need the same project.

The department is not a signal at all: overlap across departments is the main case,
but it is no evidence either way. Pairs are found without comparing all pairs: only
projects that share a telling n-gram or a service key are compared (a sparse product).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import DEFAULT_BUNDLE_THRESHOLD, Portfolio, Project

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

DEFAULT_THRESHOLD = DEFAULT_BUNDLE_THRESHOLD
NGRAM = (3, 4)
# Candidate pairs must share telling features: n-grams (weighted) or word pairs that
# at most MAX_SHARED documents contain. The bound keeps the candidate product sparse at
# any portfolio size: a feature adds at most MAX_SHARED² pairs.
MAX_SHARED = 50
MIN_TEXT = 0.1  # text similarity below this is not reported as a reason
# What a project's text contributes: title and summary (2,000 characters each) in full,
# its description up to the first 20,000 characters and, within them, up to the first
# MAX_DESCRIPTION_WORDS different words (after folding, stop words and synonyms). A
# description is usually a paragraph (the shipped ones: at most 19 different words);
# beyond its start a long text adds little evidence but many rare words, each with
# about 15 n-grams (300 texts of 40,000 distinct words took 16 s without the bound).
MAX_DESCRIPTION_WORDS = 500

# Weight of each signal in the noisy-OR: score = 1 − Π (1 − weight × signal). Text and
# service keys are evidence on their own; the others (shared tags, goals, …) only
# strengthen text evidence: they count in full from a text signal of TEXT_GATE and not
# at all without shared text (two projects of one program are not one project).
WEIGHTS = {
    "text": 0.85,
    "services": 0.95,
    "tags": 0.15,
    "goals": 0.15,
    "target_groups": 0.05,
    "program": 0.15,
    "dependency": 0.25,
}
EVIDENCE = ("text", "services")
TEXT_GATE = 0.25
DIFFERENT_SERVICES = 0.4  # factor when both name services and share none
ALIGNMENT = 0.5  # how much title coverage weighs on the text signal (0: not at all)
COVERED = 0.6  # share of a word's trigrams the other text must contain

# Words that mean the same in municipal projects (folded spelling; the first is the
# canonical form, the others are replaced by it, also inside compounds). A city adds
# its own with bundling.synonyms in strategy.yaml.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("sperrmuell", "sperrgut", "sperrabfall"),
    ("schaden", "schaeden", "maengel", "mangel"),
    ("chatbot", "assistent", "bot"),
    ("rat", "gremien", "gremium"),
    ("mehrsprachig", "fremdsprach", "uebersetz"),
    ("anmeld", "anzeig"),
    ("bauantrag", "baugenehmigung"),
    ("wlan", "funknetz", "wifi", "hotspot"),
    ("faktor", "fido"),
    ("termin", "buchung", "vergabe"),
)

STOP_WORDS = frozenset(
    """
aber alle allen aller als also am an auch auf aus bei beim bis da damit dann das dass
dem den der des die dies diese diesem diesen dieser doch dort durch ein eine einem einen
einer eines es fuer gegen hat ihr im in ist ja jede jeder jedes kann kein keine mit nach
nicht noch nur ob oder ohne sich sie sind so sowie ueber um und uns unter vom von vor
war wie wir wird wo zu zum zur zwischen
online digital digitale digitalen digitaler digitales stadt staedtische staedtischen
projekt projekte einfuehrung einfuehren neue neuer neues neuen ausbau ausbauen zentral
zentrale zentrales antrag antraege beantragen beantragt bezahlen kaufen buchen erhalten
buerger buergerinnen innen verwaltung leistungen ueberall schnell einfach moeglich
the a an and of for to in on with by at from or
""".split()
)

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case with German spellings folded: ä → ae, ß → ss, other accents dropped."""
    folded = text.lower().translate(_UMLAUTS)
    if folded.isascii():
        return folded
    folded = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in folded if not unicodedata.combining(c))


class Normalizer:
    """Text → words: folded, stop words dropped, synonyms mapped to their first form
    (also inside compounds); hyphens and slashes separate words. Each distinct token
    is normalized once."""

    def __init__(self, synonyms: Sequence[Sequence[str]] = SYNONYMS) -> None:
        self.synonyms = synonyms
        self.known: dict[str, list[str]] = {}
        # one search tells whether a word holds any synonym at all (most hold none)
        others = sorted({re.escape(o) for group in synonyms for o in group[1:] if o})
        self.any_synonym = re.compile("|".join(others)) if others else None

    def token(self, token: str) -> list[str]:
        known = self.known.get(token)
        if known is not None:
            return known
        result = []
        for part in _WORD.findall(fold(token)):  # folding can split: "é" → "e" + mark
            if part in STOP_WORDS or len(part) < 2:
                continue
            if self.any_synonym is None or not self.any_synonym.search(part):
                result.append(part)
                continue
            for group in self.synonyms:
                for other in group[1:]:
                    if other in part:
                        part = part.replace(other, group[0])
            result.append(part)
        self.known[token] = result
        return result

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


_TOKEN = re.compile(r"[^\W_]+")


def words(text: str, synonyms: Sequence[Sequence[str]] = SYNONYMS) -> list[str]:
    """Folded words without stop words, synonyms mapped to their first form."""
    return Normalizer(synonyms)(text)


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
class Signal:
    name: str
    value: float
    reason: str


@dataclass
class Pair:
    a: str
    b: str
    score: float
    signals: list[Signal]

    @property
    def reasons(self) -> list[str]:
        return [s.reason for s in self.signals if s.reason]


@dataclass
class Bundle:
    projects: list[str]
    score: float
    reasons: list[str]
    pairs: list[Pair] = field(default_factory=list)


class Similarity:
    """TF-IDF vectors of a set of projects and the pair signals built on them."""

    def __init__(
        self, projects: Sequence[Project], synonyms: Sequence[Sequence[str]] = SYNONYMS
    ) -> None:
        import numpy as np
        from scipy.sparse import csr_matrix, diags

        self.projects = list(projects)
        self.index = {p.id: i for i, p in enumerate(self.projects)}
        normalize = Normalizer(synonyms)
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
        short: list[list[str]] = []
        for row, p in enumerate(self.projects):
            title = normalize(p.title[:2_000])
            summary = normalize((p.summary or "")[:2_000])
            description = normalize.start((p.description or "")[:20_000], MAX_DESCRIPTION_WORDS)
            self.title_words.append(title)
            self.text_keys.append((tuple(title), tuple(summary), tuple(description)))
            short.append(title + summary)
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
        self.telling, self.word_pairs, self.all_word_pairs = _candidate_features(df, short, n)
        # for the title coverage: each title+summary's trigrams and how telling a word
        # is (IDF over titles and summaries)
        self.short_trigrams = [frozenset().union(*(trigrams(w) for w in ws)) for ws in short]
        word_df: Counter[str] = Counter()
        for ws in short:
            word_df.update(set(ws))
        self.word_idf = {w: math.log((1 + n) / (1 + d)) + 1 for w, d in word_df.items()}

    def cosine(self, i: int, j: int) -> float:
        return float(self.vectors[i].multiply(self.vectors[j]).sum())

    def coverage(self, i: int, j: int) -> float:
        """The IDF-weighted share of project i's title words that project j's title and
        summary contain (≥ COVERED of a word's trigrams: compounds count)."""
        title = self.title_words[i]
        if not title:
            return 0.0
        other = self.short_trigrams[j]
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

    def candidates(
        self, minimum: float, rows: Sequence[int] | None = None
    ) -> dict[tuple[int, int], float]:
        """Pairs (i < j) that share a telling feature and whose text similarity reaches
        ``minimum``, and every pair sharing a service key, with their text similarity.
        With ``rows`` (ascending), only pairs among these projects, and a feature is
        telling by how many of them share it (one row stands for its copies)."""
        import numpy as np
        from scipy.sparse import triu

        if len(self.projects) < 2 or (rows is not None and len(rows) < 2):
            return {}
        if rows is None:
            keep = self.vectors[:, self.telling]
            word_pairs = self.word_pairs
            members = list(range(len(self.projects)))
        else:
            members = list(rows)
            vectors = self.vectors[members]
            df = np.bincount(vectors.indices, minlength=vectors.shape[1])
            keep = vectors[:, (df >= 2) & (df <= MAX_SHARED)]
            word_pairs = self.all_word_pairs[members]
            pair_df = np.bincount(word_pairs.indices, minlength=word_pairs.shape[1])
            word_pairs = word_pairs[:, np.flatnonzero((pair_df >= 2) & (pair_df <= MAX_SHARED))]
        product = triu(keep @ keep.T, k=1).tocoo()
        mask = product.data >= minimum
        found = {
            (members[int(i)], members[int(j)])
            for i, j in zip(product.row[mask], product.col[mask], strict=True)
        }
        shared_pairs = triu(word_pairs @ word_pairs.T, k=1).tocoo()
        found.update(
            (members[int(i)], members[int(j)])
            for i, j in zip(shared_pairs.row, shared_pairs.col, strict=True)
        )
        by_service: dict[str, list[int]] = defaultdict(list)
        for i in members:
            for key in set(self.projects[i].services):
                by_service[key].append(i)
        self._service_pairs: set[tuple[int, int]] = set()
        for members in by_service.values():
            if len(members) <= MAX_SHARED:  # a key in everything is a catalogue error
                self._service_pairs.update(
                    (a, b) for k, a in enumerate(members) for b in members[k + 1 :]
                )
        found |= self._service_pairs
        if not found:
            return {}
        pairs = sorted(found)
        values = np.empty(len(pairs))
        for start in range(0, len(pairs), 100_000):  # bounded memory for many candidates
            chunk = pairs[start : start + 100_000]
            left = self.vectors[np.array([a for a, _ in chunk])]
            right = self.vectors[np.array([b for _, b in chunk])]
            values[start : start + len(chunk)] = np.asarray(
                left.multiply(right).sum(axis=1)
            ).ravel()
        return {
            pair: float(v)
            for pair, v in zip(pairs, values, strict=True)
            if v >= minimum or pair in self._service_pairs
        }


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


def pair_signals(a: Project, b: Project, text: float) -> Pair:
    """Every signal for one pair and the combined score (noisy-OR)."""
    signals = [
        Signal(
            "text",
            text,
            f"texts {text:.2f} alike: '{a.title}' / '{b.title}'" if text >= MIN_TEXT else "",
        )
    ]
    _, shared_services = _overlap(a.services, b.services)
    if shared_services:
        signals.append(Signal("services", 1.0, f"both name service {', '.join(shared_services)}"))
    else:
        signals.append(Signal("services", 0.0, ""))
    for name, label in (("tags", "tags"), ("goals", "goals"), ("target_groups", "target groups")):
        value, shared = _overlap(getattr(a, name), getattr(b, name))
        signals.append(
            Signal(
                name,
                value,
                f"shared {label}: {', '.join(shared)}"
                if shared and name != "target_groups"
                else "",
            )
        )
    same_program = a.program is not None and a.program == b.program
    signals.append(
        Signal(
            "program",
            1.0 if same_program else 0.0,
            f"same program: {a.program}" if same_program else "",
        )
    )
    if b.id in a.depends_on or a.id in b.depends_on:
        # a prerequisite and the project that needs it are two projects by definition:
        # the dependency is evidence against a merge, whatever the texts share
        first, second = (a, b) if b.id in a.depends_on else (b, a)
        reason = f"{first.id} depends on {second.id}: a prerequisite is never merged"
        return Pair(a.id, b.id, 0.0, [*signals, Signal("prerequisite", 1.0, reason)])
    common = sorted(set(a.depends_on) & set(b.depends_on))
    signals.append(
        Signal(
            "dependency",
            0.5 if common else 0.0,
            f"both depend on {', '.join(common)}" if common else "",
        )
    )
    remaining = supporting = 1.0
    for s in signals:
        if s.name in EVIDENCE:
            remaining *= 1 - WEIGHTS[s.name] * s.value
        else:
            supporting *= 1 - WEIGHTS[s.name] * s.value
    gate = min(1.0, text / TEXT_GATE)
    score = 1 - remaining * (1 - gate * (1 - supporting))
    if a.services and b.services and not shared_services:
        score *= DIFFERENT_SERVICES
        signals.append(
            Signal(
                "different_services",
                1.0,
                f"different services: {', '.join(sorted(a.services))} / "
                f"{', '.join(sorted(b.services))}",
            )
        )
    return Pair(a.id, b.id, score, signals)


def distinct(a: Project, b: Project) -> bool:
    """The committee decided these two are not to be merged."""
    return b.id in a.distinct_from or a.id in b.distinct_from


def similar_pairs(
    projects: Sequence[Project], threshold: float, synonyms: Sequence[Sequence[str]] = SYNONYMS
) -> list[Pair]:
    """Pairs scoring at least ``threshold``, strongest first (then by ids)."""
    return _similar(Similarity(projects, synonyms), threshold)


def _similar(
    similarity: Similarity, threshold: float, rows: Sequence[int] | None = None
) -> list[Pair]:
    """``similar_pairs`` on built vectors, among all projects or only ``rows``."""
    # only pairs with some text in common (or a shared service key) are compared; half
    # the threshold as a floor for the cosine keeps every pair the other signals could
    # lift over the threshold
    candidates = similarity.candidates(threshold / 2, rows)
    pairs = []
    for (i, j), cosine in candidates.items():
        a, b = similarity.projects[i], similarity.projects[j]
        if distinct(a, b):
            continue
        pair = pair_signals(a, b, similarity.text(i, j, cosine))
        if pair.score >= threshold:
            pairs.append(pair)
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return pairs


def explain_pair(
    projects: Sequence[Project], a: str, b: str, synonyms: Sequence[Sequence[str]] = SYNONYMS
) -> Pair:
    similarity = Similarity(projects, synonyms)
    i, j = similarity.index[a], similarity.index[b]
    return pair_signals(similarity.projects[i], similarity.projects[j], similarity.text(i, j))


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
        reasons: list[str] = []
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
            pair = pair_signals(projects[a], projects[b], similarity.text(a, b))
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
    reasons: list[str] = []
    for p in strongest:
        for r in p.reasons:
            if r not in reasons:
                reasons.append(r)
    score = sum(p.score * k for p, k in units) / sum(k for _, k in units)
    return Bundle(members, score, reasons, strongest)


def synonyms_of(portfolio: Portfolio) -> tuple[tuple[str, ...], ...]:
    """The default synonyms and the strategy's own (folded like the texts)."""
    own = tuple(tuple(fold(w) for w in group) for group in portfolio.strategy.bundling.synonyms)
    return SYNONYMS + own


# --- moved from the CLI (arch)

if TYPE_CHECKING:
    from .load import LoadResult


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
    others = list(portfolio.projects.values())
    similarity = Similarity([candidate, *others], synonyms_of(portfolio))
    found = []
    for j, other in enumerate(others, start=1):
        pair = pair_signals(candidate, other, similarity.text(0, j))
        if pair.score >= threshold:
            found.append((pair.score, other))
    return sorted(found, key=lambda item: -item[0])


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
