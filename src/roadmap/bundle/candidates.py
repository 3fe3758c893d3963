"""Which pairs are worth scoring, found without comparing all pairs: only projects that
share a telling n-gram, a telling word pair, a rare term or a service key (sparse
products), and of those only pairs whose score could reach the threshold."""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .. import german
from ..model import Project
from . import pair as model
from .pair import Pair
from .similarity import CANDIDATE_RARITY, Similarity

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

# Candidate pairs must share telling features: n-grams (weighted), rare terms or word
# pairs that at most MAX_SHARED documents contain. The bound keeps the candidate
# product sparse at any portfolio size: a feature adds at most MAX_SHARED² pairs.
MAX_SHARED = 50
CANDIDATE_TEXT = 0.1  # text cosine from which a pair sharing telling n-grams is compared
# candidate cosines are computed this many pairs at a time: each pair's two rows are
# copied (a few thousand n-grams each), so a chunk costs up to ~100 MiB
CHUNK = 10_000


def distinct(a: Project, b: Project) -> bool:
    """The committee decided these two are not to be merged."""
    return b.id in a.distinct_from or a.id in b.distinct_from


def similar(
    similarity: Similarity, threshold: float, rows: Sequence[int] | None = None
) -> list[Pair]:
    """The pairs scoring at least ``threshold`` among all projects or only ``rows``,
    strongest first (then by ids). A dependency between two projects or a
    ``distinct_from`` keeps a pair out."""
    needed = needed_for(threshold)
    # a pair that shares no telling n-grams (text below CANDIDATE_TEXT) reaches the
    # threshold only with a term of this weight
    c = _positive()
    rest = needed - c["context"] - c["text"] * CANDIDATE_TEXT
    floors = [rest / c[name] if c[name] > 0 else math.inf for name in ("shared_term", "synonym")]
    term_floor, synonym_floor = (min(1.0, max(0.0, f)) for f in floors)
    found = candidates(similarity, CANDIDATE_TEXT, rows, term_floor, synonym_floor)
    pairs = []
    for (i, j), cosine in found.items():
        a, b = similarity.projects[i], similarity.projects[j]
        if distinct(a, b) or a.id in b.depends_on or b.id in a.depends_on:
            continue  # never suggested (a prerequisite scores 0)
        if not could_reach(similarity, i, j, cosine, needed):
            continue
        pair = similarity.pair(i, j, cosine)
        if pair.score >= threshold:
            pairs.append(pair)
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return pairs


def could_reach(similarity: Similarity, i: int, j: int, cosine: float, needed: float) -> bool:
    """Whether the pair's contributions could sum to ``needed``: an upper bound from
    every signal but the text, which is at most the cosine (its title coverage, the
    costly part, only for pairs that could make it)."""
    text = max(0.0, model.COEFFICIENTS["text"])
    bound = math.fsum(
        (text if name == "text" else model.COEFFICIENTS[name]) * value
        for name, value in similarity.features(i, j, cosine, exact=False).items()
    )
    return bound >= needed


def _positive() -> dict[str, float]:
    """The coefficients, negative ones as 0: an upper bound of each contribution."""
    return {name: max(0.0, value) for name, value in model.COEFFICIENTS.items()}


def needed_for(threshold: float) -> float:
    """The sum of contributions a pair needs to score ``threshold``."""
    if threshold <= 0:
        return -math.inf
    if threshold >= 1:
        return math.inf
    return math.log(threshold / (1 - threshold)) - model.INTERCEPT


def candidates(
    similarity: Similarity,
    minimum: float = CANDIDATE_TEXT,
    rows: Sequence[int] | None = None,
    term_floor: float = CANDIDATE_RARITY,
    synonym_floor: float = CANDIDATE_RARITY,
) -> dict[tuple[int, int], float]:
    """Pairs (i < j) worth scoring, with their text cosine: those sharing telling
    n-grams whose cosine reaches ``minimum``, telling word pairs, terms of at least
    ``term_floor`` weight, a synonym group worth ``synonym_floor`` or a service key.
    With ``rows`` (ascending), only pairs among these projects, and a feature is
    telling by how many of them share it (one row stands for its copies)."""
    if len(similarity.projects) < 2 or (rows is not None and len(rows) < 2):
        return {}
    members = list(range(len(similarity.projects))) if rows is None else list(rows)
    keep, word_pairs = _telling(similarity, rows)
    found = _sharing(keep, members, minimum)
    for matrix in (
        word_pairs,
        _rare_terms(similarity, members, term_floor),
        _telling_groups(similarity, members, synonym_floor),
    ):
        found.update(_sharing(matrix, members, None))
    by_service: dict[str, list[int]] = defaultdict(list)
    for i in members:
        for key in set(similarity.projects[i].services):
            by_service[key].append(i)
    for group in by_service.values():
        if len(group) <= MAX_SHARED:  # a key in everything is a catalogue error
            found.update((a, b) for k, a in enumerate(group) for b in group[k + 1 :])
    return _cosines(similarity, sorted(found))


def _telling(similarity: Similarity, rows: Sequence[int] | None) -> tuple[csr_matrix, csr_matrix]:
    """The members' vectors over telling n-grams and their telling word pairs."""
    import numpy as np

    if similarity.search_index is None:
        similarity.search_index = _candidate_features(
            similarity.gram_df, similarity.short_words, len(similarity.projects)
        )
    telling, telling_pairs, all_word_pairs = similarity.search_index
    if rows is None:
        return similarity.vectors[:, telling], telling_pairs
    members = list(rows)
    vectors = similarity.vectors[members]
    df = np.bincount(vectors.indices, minlength=vectors.shape[1])
    word_pairs = all_word_pairs[members]
    pair_df = np.bincount(word_pairs.indices, minlength=word_pairs.shape[1])
    return (
        vectors[:, (df >= 2) & (df <= MAX_SHARED)],
        word_pairs[:, np.flatnonzero((pair_df >= 2) & (pair_df <= MAX_SHARED))],
    )


def _sharing(matrix: csr_matrix, members: list[int], minimum: float | None) -> set[tuple[int, int]]:
    """The pairs of members whose rows' product is non-zero (at least ``minimum``)."""
    from scipy.sparse import triu

    product = triu(matrix @ matrix.T, k=1).tocoo()
    row, col = product.row, product.col
    if minimum is not None:
        mask = product.data >= minimum
        row, col = row[mask], col[mask]
    return {(members[int(i)], members[int(j)]) for i, j in zip(row, col, strict=True)}


def _cosines(similarity: Similarity, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], float]:
    import numpy as np

    if not pairs:
        return {}
    values = np.empty(len(pairs))
    for start in range(0, len(pairs), CHUNK):  # bounded memory for many candidates
        chunk = pairs[start : start + CHUNK]
        left = similarity.vectors[np.array([a for a, _ in chunk])]
        right = similarity.vectors[np.array([b for _, b in chunk])]
        values[start : start + len(chunk)] = np.asarray(left.multiply(right).sum(axis=1)).ravel()
    return {pair: float(v) for pair, v in zip(pairs, values, strict=True)}


def _rare_terms(similarity: Similarity, members: Sequence[int], floor: float) -> csr_matrix:
    """Members × their title and summary terms of at least ``floor`` weight that 2
    to MAX_SHARED of them have (description terms count in the score, but make no
    candidates: a long text shares some rare word with too many others)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    df: Counter[str] = Counter()
    for i in members:
        df.update(similarity.head_terms[i])
    ids: dict[str, int] = {}
    rows, cols = [], []
    for row, i in enumerate(members):
        for term in similarity.head_terms[i]:
            if 2 <= df[term] <= MAX_SHARED and similarity.weight(term) >= floor:
                rows.append(row)
                cols.append(ids.setdefault(term, len(ids)))
    return csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(members), len(ids))
    )


def _telling_groups(similarity: Similarity, members: Sequence[int], floor: float) -> csr_matrix:
    """Members × the synonym groups of their title and summary terms that 2 to
    MAX_SHARED of them have, where the member's own word could make the synonym signal
    reach ``floor`` (the signal takes the commoner of the two words: an upper bound)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    found: list[dict[int, None]] = []
    df: Counter[int] = Counter()
    for i in members:
        groups: dict[int, None] = {}
        if floor <= 1.0:
            for term in similarity.head_terms[i]:
                if german.rarity(term) >= floor:
                    groups.update(dict.fromkeys(german.synonym_groups(term)))
        found.append(groups)
        df.update(groups.keys())
    ids: dict[int, int] = {}
    rows, cols = [], []
    for row, groups in enumerate(found):
        for group in groups:
            if 2 <= df[group] <= MAX_SHARED and similarity.local(df[group]) >= floor:
                rows.append(row)
                cols.append(ids.setdefault(group, len(ids)))
    return csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(members), len(ids))
    )


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
