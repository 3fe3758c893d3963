"""Seeded synthetic portfolios for the benchmarks: N projects with dependencies,
milestones and KPIs, written like the shipped example (same strategy)."""

from __future__ import annotations

import random
import re
import shutil
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR_VERSION = 7  # bump when the output changes, so cached folders are rewritten
WORDS = (
    "Online Antrag Portal Termin Akte Daten Plattform Schule WLAN Kita Sensor Karte Bürger "
    "Service Register Gewerbe Parken Abfall Kultur Bibliothek Sicherheit Netz Cloud Formular "
    "Bescheid Postfach Zahlung Beteiligung Karte App Dashboard Archiv Rechnung Personal"
).split()
PREFIXES = (
    "Bau Park Schul Kita Wohn Steuer Hunde Müll Sperr Gewerbe Fund Rats Bürger Melde Ausweis "
    "Pass Sozial Jugend Kultur Sport Bad Friedhof Verkehr Grün Baum Wasser Energie Klima "
    "Daten Karten Geo Sensor Netz Funk Licht Feuer Rettungs Gesundheit Pflege Senioren Eltern "
    "Zuwanderer Wahl Statistik Archiv Bibliotheks Museums Theater Musik Markt Taxi"
).split()
SUFFIXES = (
    "antrag ausweis anmeldung portal register zentrum navigator kataster plattform dienst "
    "meldung verfahren buchung verwaltung kasse auskunft bescheid genehmigung erlaubnis "
    "förderung beratung netz system akte app karte termin abgabe gebühr steuer"
).split()


def _vocabulary(size: int = 20_000, seed: int = 7) -> tuple[list[str], list[float]]:
    """Pseudo-words from random syllables with Zipf frequencies (rank^-1.1), like the
    words of real texts: a few common ones and a long tail of telling ones."""
    rng = random.Random(seed)
    onsets = "b d f g h k l m n p r s t w z sch st br tr pf".split()
    vowels = ["a", "e", "i", "o", "u", "ei", "au", "ie"]
    words = sorted(
        {
            "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))
            + rng.choice(["", "n", "r"])
            for _ in range(size)
        }
    )
    rng.shuffle(words)
    # ranks from 100 on: the most frequent words of a language are its stop words,
    # which the tools drop anyway (see STOP_WORDS in bundle.py)
    return words, [1 / (rank + 101) ** 1.1 for rank in range(len(words))]


VOCABULARY, _FREQUENCY = _vocabulary()
STATUSES = ["idea", "proposed", "approved", "in_progress", "on_hold", "done"]
FIELDS = [
    "buergerservice",
    "verwaltung",
    "infrastruktur",
    "smart-city",
    "bildung-kultur",
    "teilhabe",
    "steuerung",
]
CRITERIA = [
    "citizen_value",
    "efficiency",
    "legal_obligation",
    "strategic_fit",
    "sustainability",
    "risk",
]


def project_text(
    rng: random.Random, index: int, ids: list[str], below: list[int], totals: dict[str, float]
) -> str:
    """One project file. ``below`` are earlier projects one dependency level lower: chains
    stay at most four projects long, as in a real portfolio, so that they fit the period."""
    pid = ids[index]
    title = " ".join(rng.choices(VOCABULARY, _FREQUENCY, k=rng.randint(3, 5)))
    status = rng.choice(STATUSES)
    year = rng.randint(2024, 2029)
    deps = sorted({ids[rng.choice(below)] for _ in range(rng.choice([1, 1, 2]))}) if below else []
    months = rng.randint(3, 18)
    staff = rng.choice([0.25, 0.5, 1, 1.5, 2])
    budget = rng.randint(2, 80) * 5000
    if status != "done":
        totals["staff_months"] += staff * months
        totals["budget"] += budget
    lines = [
        f"# {title}",
        f"id: {pid}",
        f"title: {title} {index}",
        f"summary: {' '.join(rng.choices(VOCABULARY, _FREQUENCY, k=10))}.",
        "description: >-",
        f"  {' '.join(rng.choices(VOCABULARY, _FREQUENCY, k=12))}",
        f"  {' '.join(rng.choices(VOCABULARY, _FREQUENCY, k=12))}.",
        f"department: Amt {rng.randint(10, 99)}",
        f"owner: Person {rng.randint(1, 300)}",
        f"field: {rng.choice(FIELDS)}",
        f"status: {status}",
        *(
            [f"start: {rng.randint(2024, 2025)}-{rng.randint(1, 12):02d}-01"]
            if status == "in_progress"
            else []
        ),
        f"duration_months: {months}",
        "effort:",
        f"  budget_eur: {budget}",
        "  running_eur_per_year: 0",
        f"  staff_fte: {staff}",
    ]
    if deps:
        lines.append(f"depends_on: [{', '.join(deps)}]")
    lines.append("scores:")
    lines += [f"  {c}: {rng.randint(1, 5)}" for c in CRITERIA]
    lines.append(
        f"wsjf: {{business_value: {rng.randint(1, 10)}, time_criticality: "
        f"{rng.randint(1, 10)}, risk_reduction: {rng.randint(1, 10)}, job_size: "
        f"{rng.choice([1, 2, 3, 5, 8, 13])}}}"
    )
    lines.append(f"tags: [{rng.choice(WORDS).lower()}, {rng.choice(WORDS).lower()}]")
    lines.append("target_groups: [citizens]")
    lines.append("open_source: true")
    lines.append("milestones:")
    for m in range(rng.randint(1, 3)):
        lines += [
            f"  - id: m{m + 1}",
            f"    title: Meilenstein {m + 1}",
            f"    due: {year + m + 1}-{rng.randint(1, 12):02d}-28",
            f"    status: {rng.choice(['planned', 'done', 'late'])}",
        ]
    lines += [
        "kpis:",
        "  - id: nutzung",
        "    title: Nutzung",
        "    unit: Vorgänge",
        "    direction: increase",
        f"    baseline: {{value: {rng.randint(0, 100)}, date: {year - 1}-12-31}}",
        f"    target: {{value: {rng.randint(200, 900)}, date: {year + 3}-12-31}}",
        "    measurements:",
        f"      - {{date: {year}-06-30, value: {rng.randint(100, 200)}}}",
    ]
    return "\n".join(lines) + "\n"


def generate(size: int, out: Path, seed: int = 20261121) -> Path:
    """Write a portfolio of ``size`` projects to ``out`` (reused if already there)."""
    stamp = out / ".complete"
    if stamp.exists() and stamp.read_text() == f"{size} {seed} {GENERATOR_VERSION}":
        return out
    if out.exists():
        shutil.rmtree(out)
    (out / "projects").mkdir(parents=True)
    rng = random.Random(seed)
    ascii_words = [w.lower() for w in WORDS if w.isascii()]
    ids = [f"p{i:05d}-{rng.choice(ascii_words)}" for i in range(size)]
    by_level: list[list[int]] = [[], [], [], []]
    totals = {"staff_months": 0.0, "budget": 0.0}
    texts: list[str] = []
    for index, pid in enumerate(ids):
        level = rng.choices([0, 1, 2, 3], weights=[50, 30, 15, 5])[0]
        below = by_level[level - 1] if level else []
        text = project_text(rng, index, ids, below, totals)
        if texts and rng.random() < 0.01:  # a department files the same project again
            twin = texts[rng.randrange(len(texts))].splitlines()
            title = next(line for line in twin if line.startswith("title: "))
            summary = next(line for line in twin if line.startswith("summary: "))
            text = (
                "\n".join(
                    f"{title} (neu)"
                    if line.startswith("title: ")
                    else summary
                    if line.startswith("summary: ")
                    else line
                    for line in text.splitlines()
                )
                + "\n"
            )
        texts.append(text)
        (out / "projects" / f"{pid}.yaml").write_text(text, encoding="utf-8")
        by_level[level].append(index)
    # capacity for the whole work in about 6¼ of the 7 years: tight enough that capacity,
    # not only the dependency chains, decides when projects run
    staff = round(totals["staff_months"] / 75, 1)
    budget = round(totals["budget"] / 6.25, -3)
    strategy = (ROOT / "data" / "strategy.yaml").read_text(encoding="utf-8")
    strategy = re.sub(
        r"^capacity:\n(?:  - .*\n)+",
        "capacity:\n"
        + "".join(
            f"  - {{year: {y}, budget_eur: {budget:.0f}, staff_fte: {staff}}}\n"
            for y in range(2024, 2031)
        ),
        strategy,
        flags=re.M,
    )
    (out / "strategy.yaml").write_text(strategy, encoding="utf-8")
    stamp.write_text(f"{size} {seed} {GENERATOR_VERSION}")
    return out


# --------------------------------------------------------------------------- shapes
# Portfolios of one pathological shape each (bench/pathological_analysis.py): the shipped
# strategy and minimal valid projects, so that the shape alone decides the time.


def minimal_project(
    pid: str,
    title: str,
    depends_on: list[str] | tuple[str, ...] = (),
    months: int = 1,
    description: str = "",
) -> str:
    """A valid open project: one month, little budget and staff, all scores given."""
    lines = [
        f"id: {pid}",
        f"title: {title}",
        "field: verwaltung",
        "status: proposed",
        f"duration_months: {months}",
        "effort: {budget_eur: 1000, running_eur_per_year: 0, staff_fte: 0.1}",
        "scores: {" + ", ".join(f"{c}: {1 + i % 5}" for i, c in enumerate(CRITERIA)) + "}",
        "open_source: true",
    ]
    if depends_on:
        lines.append(f"depends_on: [{', '.join(depends_on)}]")
    if description:
        lines.append("description: >-")
        lines += [f"  {line}" for line in textwrap.wrap(description, 100)]
    return "\n".join(lines) + "\n"


def write_shape(out: Path, name: str, projects: Iterable[tuple[str, str]]) -> Path:
    """Write (id, file text) pairs beside the shipped strategy into ``out`` (reused when
    the stamp says the same shape is there already)."""
    stamp = out / ".complete"
    if stamp.exists() and stamp.read_text() == f"{name} {GENERATOR_VERSION}":
        return out
    if out.exists():
        shutil.rmtree(out)
    (out / "projects").mkdir(parents=True)
    for pid, text in projects:
        (out / "projects" / f"{pid}.yaml").write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "data" / "strategy.yaml", out / "strategy.yaml")
    stamp.write_text(f"{name} {GENERATOR_VERSION}")
    return out


def _shape_id(index: int) -> str:
    return f"p{index:05d}"


def chain(size: int, out: Path) -> Path:
    """Each project depends on the one before: one dependency chain of ``size``."""
    return write_shape(
        out,
        f"chain-{size}",
        (
            (
                _shape_id(i),
                minimal_project(_shape_id(i), f"Vorhaben {i}", [_shape_id(i - 1)] if i else []),
            )
            for i in range(size)
        ),
    )


def independent(size: int, out: Path) -> Path:
    """``size`` projects of equal duration without any dependency."""
    return write_shape(
        out,
        f"independent-{size}",
        ((_shape_id(i), minimal_project(_shape_id(i), f"Vorhaben {i}")) for i in range(size)),
    )


def complete_dag(size: int, out: Path) -> Path:
    """Each project depends on every earlier one: size × (size − 1) / 2 edges."""
    ids = [_shape_id(i) for i in range(size)]
    return write_shape(
        out,
        f"complete-dag-{size}",
        ((ids[i], minimal_project(ids[i], f"Vorhaben {i}", ids[:i])) for i in range(size)),
    )


def long_texts(
    size: int, words: int, out: Path, seed: int = 20261130, distinct: bool = False
) -> Path:
    """``size`` projects with a description of ``words`` Zipf-distributed words each;
    ``distinct``: random letters instead, so that nearly every word is new (the worst
    case for the n-gram vocabulary)."""
    rng = random.Random(seed)

    def text(count: int) -> str:
        if not distinct:
            return " ".join(rng.choices(VOCABULARY, _FREQUENCY, k=count))
        letters = "abcdefghijklmnopqrstuvwxyz"
        return " ".join("".join(rng.choices(letters, k=rng.randint(4, 12))) for _ in range(count))

    return write_shape(
        out,
        f"long-texts-{size}-{words}-{seed}-{distinct}",
        (
            (_shape_id(i), minimal_project(_shape_id(i), text(4), description=text(words)))
            for i in range(size)
        ),
    )


def identical(size: int, out: Path) -> Path:
    """``size`` copies of one project under different ids (a form filed again and again)."""
    title = "Digitale Sperrmüllanmeldung mit Terminwahl"
    description = (
        "Bürgerinnen melden Sperrmüll über ein Formular an, wählen einen Abholtermin und "
        "erhalten eine Bestätigung per E-Mail; die Tourenplanung übernimmt die Termine."
    )
    return write_shape(
        out,
        f"identical-{size}",
        (
            (_shape_id(i), minimal_project(_shape_id(i), title, description=description))
            for i in range(size)
        ),
    )


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    print(generate(size, ROOT / "bench" / "out" / str(size)))
