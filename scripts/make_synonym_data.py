"""Build src/roadmap/data/de_synonyms.txt.gz, the German synonym groups of `roadmap bundle`.

Source: OpenThesaurus (www.openthesaurus.de, Daniel Naber and contributors, LGPL-2.1+)
as Debian packages it. Run once, from the repository, with roadmap installed (the
groups are normalised by roadmap's own ``german.lemma``, so ``de_words.tsv.gz`` must be
the shipped one):

    cd /tmp && apt-get download openthesaurus-de-text   # 20160424-4, 34,398 sets
    dpkg-deb -x openthesaurus-de-text_*_all.deb /tmp/ot/x
    .venv/bin/python scripts/make_synonym_data.py \
        /tmp/ot/x/usr/share/openthesaurus-de/openthesaurus.txt

What is kept of each synonym set (a line "Wort;Wort (Hinweis);…"):
- single words only (a phrase such as "eheliche Verbindung" is no term);
- no entry with a usage label other than (Hauptform), (fachspr.), (Amtsdeutsch) or
  (Plural): colloquial, vulgar, derogatory, dated, regional, jocular and figurative
  entries ("(ugs.)", "(vulg.)", "(derb)", "(veraltet)", "(schweiz.)", "(fig.)", …) are
  ambiguous or not the language of a city's projects, and entries cut short ("Deputat...");
- each word folded and lemmatised as roadmap does (``german.lemma``), so that it meets
  the terms of a project's words; words too common to tell anything (Zipf ≥ 6, rarity 0)
  are dropped;
- sets of 2 to MAX_GROUP such words (larger sets are loose: "machen", "gut");
  a set that another one contains is dropped, as are repeats.

Format: a comment line, then one line per word, sorted: the word, a space and the
numbers of its groups separated by commas (groups numbered from 0 in the order of the
source; the words of group n are the lines that name n). Written with gzip mtime 0, so
the same input gives the same bytes.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

from roadmap import german

MAX_GROUP = 12
KEEP_LABELS = {"Hauptform", "fachspr.", "Amtsdeutsch", "Plural"}
OUT = Path(__file__).resolve().parent.parent / "src" / "roadmap" / "data" / "de_synonyms.txt.gz"
_ENTRY = re.compile(r"^(?P<word>[^\s()]+)(?:\s+\((?P<labels>[^()]*)\))?$")


def term(entry: str) -> str | None:
    """An entry's normalised word, or None when it is no single word to keep."""
    match = _ENTRY.match(entry.strip())
    if match is None or "..." in entry or "…" in entry:
        return None
    labels = match.group("labels")
    if labels is not None and not {x.strip() for x in labels.split(",")} <= KEEP_LABELS:
        return None
    found = german.words(match.group("word"))
    if len(found) != 1 or len(found[0]) < 3 or found[0] in german.STOP_WORDS:
        return None
    base = german.lemma(found[0])
    return base if german.rarity(base) > 0 else None


def groups(lines: list[str]) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        members = tuple(dict.fromkeys(t for t in map(term, line.split(";")) if t is not None))
        if 2 <= len(members) <= MAX_GROUP:
            found.append(members)
    # drop repeats and sets inside others (the larger set says all they say)
    sets = [frozenset(g) for g in found]
    by_size = sorted(range(len(found)), key=lambda k: -len(sets[k]))
    kept: list[frozenset[str]] = []
    keep = set()
    for k in by_size:
        if not any(sets[k] <= other for other in kept):
            kept.append(sets[k])
            keep.add(k)
    return [g for k, g in enumerate(found) if k in keep]


def main() -> None:
    source = Path(sys.argv[1])
    result = groups(source.read_text(encoding="utf-8").splitlines())
    header = (
        "# German synonym groups from OpenThesaurus (www.openthesaurus.de, LGPL-2.1+, "
        "Debian openthesaurus-de-text 20160424), normalised for roadmap; see "
        "src/roadmap/data/README.md"
    )
    # an index, so that roadmap reads it with one split per word: each word and the
    # numbers of its groups (the groups in the order of the source, from 0)
    index: dict[str, list[int]] = {}
    for number, group in enumerate(result):
        for word in group:
            index.setdefault(word, []).append(number)
    rows = [f"{w} {','.join(map(str, index[w]))}" for w in sorted(index)]
    text = "\n".join([header, *rows]) + "\n"
    with gzip.GzipFile(OUT, "wb", mtime=0) as out:
        out.write(text.encode("utf-8"))
    words = len({w for g in result for w in g})
    print(f"{len(result)} groups, {words} words → {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
