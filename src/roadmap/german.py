"""German words for comparing project texts: how common a word is, its lemma, and the
parts of a compound, all from the word data shipped in ``data/de_words.tsv.gz``
(wordfreq frequencies and simplemma lemmas; source and licence in ``data/README.md``).

Nothing here is a word list written for roadmap: rarity comes from how often a word
occurs in general German text, lemmas from a dictionary, and compounds are split by
the frequency method of Koehn & Knight (2003, "Empirical methods for compound
splitting"): a word is cut into known words (with a linking element such as the "s" of
"Bürgerservice-s-portal") when the geometric mean of the parts' frequencies beats the
whole word's.
"""

from __future__ import annotations

import functools
import gzip
import math
import re
import unicodedata
from importlib import resources

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_LETTERS = re.compile(r"[a-z]+")

# Zipf frequency (log10 of occurrences per billion words): at COMMON a word is so
# frequent that sharing it says nothing ("und", "online": 5.4); at RARE and below a
# shared word is full evidence ("Hundesteuer": 2.5); unknown words are rare.
COMMON = 6.0
RARE = 2.5
# the linking elements (Fugenelemente) of German compounds, longest first
LINKS = ("es", "en", "er", "s", "n", "e", "")
MIN_PART = 4  # letters of a first part: shorter ones are mostly function words
MIN_HEAD = 3  # letters of the last part (Amt, Rat, Bus)
LINK_COST = 0.5  # a linking element is an assumption: each letter halves the mean
MIN_PART_ZIPF = 3.0  # a part must be a word in its own right, not a fragment
LONG_HEAD = 6  # a part this long may be a rare word (Kataster) rather than a fragment
RARE_PART_ZIPF = 2.0  # … if it is a word at all
MIN_SHORT_HEAD_ZIPF = 4.0  # a three-letter head must be a common word (Amt, Rat)
MAX_SPLIT_ZIPF = 4.0  # a word this common is used as a whole (Anmeldung, zuständig)
MAX_PARTS = 3


def fold(text: str) -> str:
    """Lower case with German spellings folded: ä → ae, ß → ss, other accents dropped."""
    folded = text.lower().translate(_UMLAUTS)
    if folded.isascii():
        return folded
    folded = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in folded if not unicodedata.combining(c))


@functools.cache
def _lexicon() -> tuple[dict[str, float], dict[str, str]]:
    """(Zipf frequency of each folded word, its lemma where it differs); read with a
    few splits (170,000 words in about 0.1 s)."""
    data = resources.files("roadmap").joinpath("data", "de_words.tsv.gz").read_bytes()
    _, words, values, pairs = gzip.decompress(data).decode("utf-8").split("\n\n")
    zipf = dict(zip(words.split("\n"), [int(v) / 100 for v in values.split("\n")], strict=True))
    tokens = pairs.split()
    return zipf, dict(zip(tokens[::2], tokens[1::2], strict=True))


def zipf(word: str) -> float:
    """How common a folded word is in German (Zipf scale, 0 when unknown)."""
    return _lexicon()[0].get(word, 0.0)


@functools.lru_cache(maxsize=200_000)
def rarity(word: str) -> float:
    """0 for a word too common to tell anything, 1 for a rare (or unknown) one."""
    return min(1.0, max(0.0, (COMMON - zipf(word)) / (COMMON - RARE)))


@functools.lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The dictionary form of a folded word ("aemter" → "amt"); the word if unknown."""
    return _lexicon()[1].get(word, word)


@functools.lru_cache(maxsize=200_000)
def parts(word: str) -> tuple[str, ...]:
    """The parts of a folded compound, each as its lemma, the head last
    ("gruendachkataster" → ("gruen", "dach", "kataster")); ``(word,)`` when it is no
    compound of known words."""
    best = _split(word, MAX_PARTS)
    if best is None or len(best[0]) == 1:
        return (word,)
    return tuple(lemma(p) for p in best[0])


_LINK_COST_LOG = math.log10(LINK_COST)


@functools.lru_cache(maxsize=200_000)
def _split(word: str, depth: int) -> tuple[tuple[str, ...], float] | None:
    """The split of ``word`` into at most ``depth`` known words with the highest
    geometric mean of frequencies (the word itself competes): (parts, log10 of the
    mean, i.e. the mean Zipf value)."""
    get = _lexicon()[0].get
    known = max(get(lemma(word), 0.0), get(word, 0.0))
    if depth < MAX_PARTS and (
        known < (MIN_PART_ZIPF if len(word) < LONG_HEAD else RARE_PART_ZIPF)
        or (len(word) < MIN_PART and known < MIN_SHORT_HEAD_ZIPF)
    ):
        whole = None  # as a head: a fragment ("-iger", "-rin"), not a word
    else:
        whole = ((word,), known) if known else None
    best: tuple[tuple[str, ...], float] | None = whole
    if depth < 2 or len(word) < MIN_PART + MIN_HEAD or known >= MAX_SPLIT_ZIPF:
        return best
    for cut in range(MIN_PART, len(word) - MIN_HEAD + 1):
        left, rest = word[:cut], word[cut:]
        left_zipf = get(left, 0.0)
        if left_zipf < (MIN_PART_ZIPF if cut < LONG_HEAD else RARE_PART_ZIPF):
            # a first part may drop its final e ("Schul-anmeldung", "Sprach-kurs")
            left_zipf = get(left + "e", 0.0)
            if left_zipf < MIN_PART_ZIPF:
                continue
            left += "e"
        for link in LINKS:
            if not rest.startswith(link) or len(rest) - len(link) < MIN_HEAD:
                continue
            tail = _split(rest[len(link) :], depth - 1)
            if tail is None:
                continue
            tail_parts, tail_mean = tail
            mean = (left_zipf + len(tail_parts) * tail_mean) / (1 + len(tail_parts))
            mean += len(link) * _LINK_COST_LOG
            if best is None or mean > best[1]:
                best = ((left, *tail_parts), mean)
    return best


def words(text: str) -> list[str]:
    """The folded words of a text (letters only; hyphens and slashes separate)."""
    return _LETTERS.findall(fold(text))
