"""German words for comparing project texts: how common a word is, its lemma, the
parts of a compound, all from the word data shipped in ``data/de_words.tsv.gz``
(wordfreq frequencies and simplemma lemmas), and its synonym groups, from
``data/de_synonyms.txt.gz`` (OpenThesaurus); sources and licences in ``data/README.md``.

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
from collections.abc import Iterable, Sequence
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
MIN_PART = 4  # letters of a first part: shorter ones are mostly function words …
SHORT_HEAD_AS_FIRST = 4.5  # … unless this common (Rat, Bau, Amt, Alt)
MIN_HEAD = 3  # letters of the last part (Amt, Rat, Bus)
LINK_COST = 0.5  # a linking element is an assumption: each letter halves the mean
MIN_PART_ZIPF = 3.0  # a part must be a word in its own right, not a fragment
LONG_HEAD = 6  # a part this long may be a rare word (Kataster) rather than a fragment
RARE_PART_ZIPF = 2.0  # … if it is a word at all
MIN_SHORT_HEAD_ZIPF = 4.0  # a three-letter head must be a common word (Amt, Rat)
MAX_SPLIT_ZIPF = 4.0  # a word this common is used as a whole (Anmeldung, zuständig)
MAX_PARTS = 3
SHORT_PART = 6  # a first part shorter than this must be a common word …
SHORT_PART_ZIPF = 3.5  # … at least this common (not "ausg", "baur", "disk")
LEMMA_DROP = 1.5  # a cut-off e this much more common than the rest is a misreading
# Endings that make adjectives, participles and feminine forms: pieces a frequency
# split takes for words ("freiwill-iger", "einheit-lich", "ablauf-ende",
# "besuch-erin") but that are never a part of a compound. A closed class of German
# grammar, like LINKS, not a list of words.
BOUND_ENDINGS = frozenset(
    """
bar chen end ende endem enden ender endes erin erinnen haft haftes ig ige igem igen iger
iges innen isch ische ischem ischen ischer isches lich liche lichem lichen licher liches
ling lings schaft schaften ung ungen
""".split()
)
FEMININE_PLURAL = "innen"  # "Anrufer-innen": split as "Anrufer"
# numerals, pronouns and particles: frequent short words no compound has as a part
# ("akti-vier-en", "baustelle-nein-richtung", "landrat-samt")
NOT_PARTS = frozenset(
    """
eins zwei drei vier fuenf sechs sieben acht neun zehn nein nen her hin ans ums ins ach
euer samt was mal
""".split()
)


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
    """The dictionary form of a folded word ("aemter" → "amt"); the word if unknown.
    Where the dictionary cuts a final e off a far more common word ("strasse" →
    "strass", "fachleute" → "fachleut"), that word is the form every inflection maps
    to: a misreading, made the same for all forms so that they still match."""
    zipf_of, lemmas = _lexicon()
    found = lemmas.get(word, word)
    with_e = found + "e"
    if lemmas.get(with_e) == found and zipf_of.get(with_e, 0.0) >= (
        zipf_of.get(found, 0.0) + LEMMA_DROP
    ):
        return with_e
    return found


def _is_part(piece: str) -> bool:
    """Whether a piece of a compound can be a word in it: no ending, numeral or
    function word."""
    return not any(
        form in BOUND_ENDINGS or form in NOT_PARTS or form in STOP_WORDS
        for form in (piece, lemma(piece))
    )


@functools.lru_cache(maxsize=200_000)
def parts(word: str) -> tuple[str, ...]:
    """The parts of a folded compound, each as its lemma, the head last
    ("gruendachkataster" → ("gruen", "dach", "kataster")); ``(word,)`` when it is no
    compound of known words."""
    if word.endswith(FEMININE_PLURAL) and len(word) - len(FEMININE_PLURAL) >= MIN_PART:
        # "Anrufer-innen": the parts of the masculine form (not "anruf", "rinne")
        word = word[: -len(FEMININE_PLURAL)]
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
        or (len(word) < MIN_PART and (known < MIN_SHORT_HEAD_ZIPF or not _inflects(word)))
    ):
        whole = None  # as a head: a fragment ("-iger", "-rin"), not a word
    elif depth < MAX_PARTS and not _is_part(word):
        whole = None
    else:
        whole = ((word,), known) if known else None
    best: tuple[tuple[str, ...], float] | None = whole
    if depth < 2 or len(word) < MIN_PART - 1 + MIN_HEAD or known >= MAX_SPLIT_ZIPF:
        return best
    for cut in range(MIN_PART - 1, len(word) - MIN_HEAD + 1):
        left, rest = word[:cut], word[cut:]
        found = _first_part(left)
        if found is None:
            continue
        left, left_zipf = found
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


@functools.cache
def _synonyms() -> dict[str, str]:
    """Each normalised word of the shipped synonym groups (OpenThesaurus; source and
    licence in ``data/README.md``) → the numbers of its groups, as written ("12,408");
    read on first use with one split per word."""
    data = resources.files("roadmap").joinpath("data", "de_synonyms.txt.gz").read_bytes()
    lines = gzip.decompress(data).decode("utf-8").split("\n")[1:-1]  # no comment, no end
    return dict(line.split(" ") for line in lines)


@functools.lru_cache(maxsize=200_000)
def synonym_groups(term: str) -> tuple[int, ...]:
    """The OpenThesaurus synonym groups a normalised term (a lemma or compound part)
    belongs to, by number; () for most words."""
    found = _synonyms().get(term)
    return tuple(map(int, found.split(","))) if found is not None else ()


@functools.cache
def _lemmas() -> frozenset[str]:
    return frozenset(_lexicon()[1].values())


def _inflects(word: str) -> bool:
    """Whether a word is the dictionary form of others ("amt" of "aemter", "rat" of
    "raete"): a content word, not a syllable, abbreviation or pronoun ("san", "min",
    "man")."""
    return word in _lemmas()


@functools.lru_cache(maxsize=200_000)
def _first_part(left: str) -> tuple[str, float] | None:
    """The word that the start of a compound is, with its Zipf value, or None: a word
    in its own right (of three letters only a common one: "Rat-s-sitzung",
    "Bau-antrag"), or one whose final e ("Schul-anmeldung") or infinitive ending
    ("Abhol-termin", "Wart-e-zeit") the compound drops."""
    get = _lexicon()[0].get
    if len(left) < MIN_PART:
        known = get(left, 0.0)
        short = known >= SHORT_HEAD_AS_FIRST and _inflects(left)
        return (left, known) if short and _is_part(left) else None
    known = get(left, 0.0)
    if known >= (SHORT_PART_ZIPF if len(left) < SHORT_PART else RARE_PART_ZIPF):
        return (left, known) if _is_part(left) else None
    known = get(left + "e", 0.0)
    return (left + "e", known) if known >= MIN_PART_ZIPF and _is_part(left + "e") else None


def words(text: str) -> list[str]:
    """The folded words of a text (letters only; hyphens and slashes separate)."""
    return _LETTERS.findall(fold(text))


# Function words only: how telling a content word is comes from its frequency.
STOP_WORDS = frozenset(
    """
aber alle allen aller als also am an auch auf aus bei beim bis da damit dann das dass
dem den der des die dies diese diesem diesen dieser doch dort durch ein eine einem einen
einer eines es fuer gegen hat ihr im in ist ja jede jeder jedes kann kein keine mit nach
nicht noch nur ob oder ohne sich sie sind so sowie ueber um und uns unter vom von vor
war wie wir wird wo zu zum zur zwischen
the a an and of for to in on with by at from or
""".split()
)


class Terms:
    """Words → terms: each word's lemma and, for a compound, its parts. A synonym group
    (normalised the same way) adds one term, "=" and its first member, to every word
    that is a member, has a member as a run of its parts, or begins or ends with one
    ("Sperrgutabfuhr" holds "Sperrgut")."""

    def __init__(self, synonyms: Sequence[Sequence[str]] = ()) -> None:
        self.known: dict[str, tuple[str, ...]] = {}
        self.runs: dict[tuple[str, ...], str] = {}
        self.edges: dict[str, str] = {}
        for group in synonyms:
            members = [m for m in (self._plain(member) for member in group) if m[0]]
            if len(members) < 2:
                continue
            canonical = "=" + members[0][1]
            for run, form in members:
                self.runs[run] = canonical
                if len(form) >= MIN_PART:
                    self.edges[form] = canonical
        self.longest = max((len(run) for run in self.runs), default=0)
        edges = "|".join(sorted(map(re.escape, self.edges), key=lambda e: (-len(e), e)))
        self.starts = re.compile(f"^(?:{edges})") if edges else None
        self.ends = re.compile(f"(?:{edges})$") if edges else None

    @staticmethod
    def _plain(text: str) -> tuple[tuple[str, ...], str]:
        """A synonym as a run of parts (its words' parts in order) and as one word."""
        found: list[str] = []
        lemmas: list[str] = []
        for w in words(text):
            if w not in STOP_WORDS and len(w) > 1:
                lemmas.append(lemma(w))
                found.extend(parts(lemmas[-1]))
        return tuple(found), "".join(lemmas)

    def of_word(self, word: str) -> tuple[str, ...]:
        known = self.known.get(word)
        if known is not None:
            return known
        base = lemma(word)
        pieces = parts(base)
        terms = dict.fromkeys((base, *pieces) if pieces != (base,) else (base,))
        # a compound inside the compound is a term too: the split prefers common short
        # parts ("hoch", "zeit", "termin"), and "Hochzeit" is what the word is about
        for n in range(2, len(pieces)):
            for k in range(len(pieces) - n + 1):
                inner = "".join(pieces[k : k + n])
                if zipf(inner) >= MIN_PART_ZIPF:
                    terms[inner] = None
        if self.runs:
            for n in range(1, min(self.longest, len(pieces)) + 1):
                for k in range(len(pieces) - n + 1):
                    canonical = self.runs.get(pieces[k : k + n])
                    if canonical is not None:
                        terms[canonical] = None
            for pattern, text in ((self.starts, word), (self.ends, base)):
                match = pattern.search(text) if pattern is not None else None
                if match is not None:
                    terms[self.edges[match.group()]] = None
        # a word too common to tell anything ("werden", "der") is no term
        result = tuple(t for t in terms if t.startswith("=") or rarity(t) > 0)
        self.known[word] = result
        return result

    def __call__(self, words: Iterable[str]) -> frozenset[str]:
        return frozenset(t for w in words for t in self.of_word(w))
