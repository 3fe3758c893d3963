"""Project texts as words and character n-grams, for the text signal of the pair score."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from ..german import STOP_WORDS, fold

NGRAM = (3, 4)
# What a project's text contributes: title and summary (2,000 characters each) in full,
# its description up to the first 20,000 characters and, within them, up to the first
# MAX_DESCRIPTION_WORDS different words. Beyond its start a long text adds little
# evidence but many rare words, each with about 15 n-grams.
MAX_DESCRIPTION_WORDS = 500

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


_WRITTEN_WORD = re.compile(r"\w+")


class WrittenWords:
    """The words one project writes, to show its folded terms as written: the word a
    term folds from ("duesselpass" → "Düsselpass"), else the part of a word it folds
    from ("duessel" → "Düssel"), else the word a lemma stands for ("zustaendiger" →
    "zuständige"). Its texts are folded once, and each term is looked up once."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.written: dict[str, str] = {}  # folded word → the word as first written
        for text in texts:
            for word in _WRITTEN_WORD.findall(text):
                self.written.setdefault(fold(word), word)
        self._by_start: dict[str, list[str]] | None = None
        self._found: dict[str, tuple[int, str] | None] = {}

    def find(self, term: str) -> tuple[int, str] | None:
        """(how close, the written form): 0 the whole word, 1 a part of one, 2 another
        form of one; None when the texts do not write it."""
        if term not in self._found:
            whole = self.written.get(term)
            if whole is not None:
                self._found[term] = (0, whole)
            else:
                part = _written_part(term, self.written)
                form = None if part is not None else self._written_form(term)
                self._found[term] = (1, part) if part else (2, form) if form else None
        return self._found[term]

    def _written_form(self, term: str) -> str | None:
        """The written word of which ``term`` is another form: both alike but for their
        last letter and an ending of at most two (compared among the words that share
        its first five letters)."""
        if len(term) < 5:
            return None
        if self._by_start is None:
            self._by_start = {}
            for folded in self.written:
                self._by_start.setdefault(folded[:5], []).append(folded)
        for folded in self._by_start.get(term[:5], []):
            shared = next(
                (k for k, (x, y) in enumerate(zip(folded, term, strict=False)) if x != y),
                min(len(folded), len(term)),
            )
            if shared >= max(5, len(term) - 1) and len(folded) - shared <= 2:
                return self.written[folded]
        return None


def as_written(terms: Sequence[str], words: Sequence[WrittenWords]) -> list[str]:
    """Folded terms as the projects' texts write them, for people to read: the closest
    form any of them writes (the first of them on a tie), else the term itself."""
    shown = []
    for term in terms:
        found = [f for f in (w.find(term) for w in words) if f is not None]
        shown.append(min(found, key=lambda f: f[0])[1] if found else term)
    return shown


def _written_part(term: str, written: dict[str, str]) -> str | None:
    """The letters of a written word whose folded form is ``term`` (a part of a
    compound), or None. Folding is letter by letter (ü → ue), so the folded offsets
    map back to the word's letters where a letter's folding starts and ends."""
    for folded, word in written.items():
        at = folded.find(term)
        if at < 0:
            continue
        starts = [0]
        for letter in word:
            starts.append(starts[-1] + len(fold(letter)))
        if starts[-1] == len(folded) and at in starts and at + len(term) in starts:
            return word[starts.index(at) : starts.index(at + len(term))]
    return None
