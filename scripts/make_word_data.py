"""Build src/roadmap/data/de_words.tsv.gz, the German word data of `roadmap bundle`.

Run once in a scratch environment that has wordfreq and simplemma (neither is needed
at run time, nothing is downloaded by roadmap):

    python -m venv /tmp/words && /tmp/words/bin/pip install wordfreq==3.1.1 simplemma==2.0.0
    /tmp/words/bin/python scripts/make_word_data.py

Four blocks separated by an empty line (so that roadmap reads them with a few splits):
a comment; the folded words (lower case, ä → ae, ö → oe, ü → ue, ß → ss, other accents
dropped), one a line, most frequent first; their Zipf frequencies × 100 in German
(wordfreq, "large" list), in the same order; and "word lemma" for every word whose
lemma (simplemma, folded) differs from it. Words of the letters a–z
only, at least two letters, Zipf ≥ MIN_ZIPF; a folded word that several spellings give
keeps the highest frequency.
"""

from __future__ import annotations

import gzip
import math
import re
import sys
import unicodedata
from pathlib import Path

import simplemma
import wordfreq

MIN_ZIPF = 2.0
OUT = Path(__file__).resolve().parent.parent / "src" / "roadmap" / "data" / "de_words.tsv.gz"
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower().translate(_UMLAUTS))
    return "".join(c for c in folded if not unicodedata.combining(c))


def main() -> None:
    zipf: dict[str, float] = {}
    lemma: dict[str, str] = {}
    frequencies = wordfreq.get_frequency_dict("de", wordlist="large")
    zipf_of = {fold(w) for w, f in frequencies.items() if math.log10(f * 1e9) >= MIN_ZIPF}
    for word, freq in frequencies.items():
        value = math.log10(freq * 1e9)
        folded = fold(word)
        if value < MIN_ZIPF or not re.fullmatch(r"[a-z]{2,}", folded):
            continue
        if value > zipf.get(folded, -1.0):
            zipf[folded] = value
            # as a noun first (German nouns are capitalised; lower case reads as a verb:
            # "karten" → "karten", "Karten" → "Karte"), as written if that is no word
            base = fold(simplemma.lemmatize(word.capitalize(), lang="de"))
            if base not in zipf_of:
                base = fold(simplemma.lemmatize(word, lang="de"))
            if re.fullmatch(r"[a-z]{2,}", base) and base != folded:
                lemma[folded] = base
            else:
                lemma.pop(folded, None)
    order = sorted(zipf.items(), key=lambda item: (-item[1], item[0]))
    words = [w for w, _ in order]
    values = [str(round(z * 100)) for _, z in order]
    pairs = [f"{w} {lemma[w]}" for w in words if w in lemma]
    header = (
        "# German word frequencies (wordfreq 3.1.1, CC BY-SA 4.0) and lemmas (simplemma "
        "2.0.0, MIT); see src/roadmap/data/README.md. Blocks: words, Zipf × 100, "
        "word and lemma."
    )
    text = "\n\n".join([header, "\n".join(words), "\n".join(values), "\n".join(pairs)])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(OUT, "wb", mtime=0) as out:
        out.write((text + "\n").encode("utf-8"))
    lines = words
    print(f"{len(lines)} words → {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
