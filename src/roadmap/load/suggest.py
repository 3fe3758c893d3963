"""\"Did you mean\" for a misspelt name among known ones."""

from __future__ import annotations

import collections
import difflib
from collections.abc import Iterable

from ..errors import say


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or nothing."""
    return Suggester(choices)(word)


class Suggester:
    """ "Did you mean" over a fixed set of choices, for many words.

    Few choices: difflib over all of them. Many (project ids): an index of character
    trigrams picks the choices that share the word's rarer trigrams, and difflib ranks
    only those, so 2,000 misspelt ids among 30,000 cost milliseconds, not minutes. The
    pick is the one difflib.get_close_matches would make among the candidates (highest
    ratio, ties to the greater id)."""

    SCAN_ALL_BELOW = 400  # choices; up to this many difflib is fast enough
    CANDIDATES = 16  # choices ranked by difflib per word
    COMMON = 2_000  # a trigram in more choices than this says little

    def __init__(self, choices: Iterable[str]) -> None:
        self.choices = sorted(set(choices))
        self._index: dict[str, list[int]] | None = None

    def __call__(self, word: str) -> str:
        match = self.best(word)
        return say("suggestion", " (did you mean {name}?)", name=repr(match)) if match else ""

    def best(self, word: str) -> str | None:
        if len(self.choices) <= self.SCAN_ALL_BELOW:
            found = difflib.get_close_matches(word, self.choices, n=1, cutoff=0.6)
            return found[0] if found else None
        return self._best_indexed(word)

    @staticmethod
    def _trigrams(text: str) -> set[str]:
        padded = f"^{text}$"
        return {padded[i : i + 3] for i in range(len(padded) - 2)}

    def _best_indexed(self, word: str) -> str | None:
        if self._index is None:
            self._index = {}
            for number, choice in enumerate(self.choices):
                for gram in self._trigrams(choice):
                    self._index.setdefault(gram, []).append(number)
        postings = sorted((self._index.get(gram, []) for gram in self._trigrams(word)), key=len)
        # the rarer trigrams always; common ones only while few have been used
        hits: collections.Counter[int] = collections.Counter()
        for used, posting in enumerate(postings):
            if used >= 3 and len(posting) > self.COMMON:
                break
            hits.update(posting)
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)
        best: tuple[float, str] | None = None
        for number, _ in hits.most_common(self.CANDIDATES):
            choice = self.choices[number]
            matcher.set_seq1(choice)
            if (
                matcher.real_quick_ratio() >= 0.6
                and matcher.quick_ratio() >= 0.6
                and (ratio := matcher.ratio()) >= 0.6
                and (best is None or (ratio, choice) > best)
            ):
                best = (ratio, choice)
        return best[1] if best else None
