"""Seeded synthetic portfolios for the benchmarks: N projects with dependencies,
milestones and KPIs, written like the shipped example (same strategy)."""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR_VERSION = 2  # bump when the output changes, so cached folders are rewritten
WORDS = (
    "Online Antrag Portal Termin Akte Daten Plattform Schule WLAN Kita Sensor Karte Bürger "
    "Service Register Gewerbe Parken Abfall Kultur Bibliothek Sicherheit Netz Cloud Formular "
    "Bescheid Postfach Zahlung Beteiligung Karte App Dashboard Archiv Rechnung Personal"
).split()
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


def project_text(rng: random.Random, index: int, ids: list[str]) -> str:
    pid = ids[index]
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 5)))
    status = rng.choice(STATUSES)
    year = rng.randint(2024, 2029)
    deps = sorted(
        {ids[rng.randrange(index)] for _ in range(rng.choice([0, 0, 1, 1, 2, 3]))}
        if index
        else set()
    )
    lines = [
        f"# {title}",
        f"id: {pid}",
        f"title: {title} {index}",
        f"summary: {' '.join(rng.choice(WORDS) for _ in range(8))}.",
        "description: >-",
        f"  {' '.join(rng.choice(WORDS) for _ in range(12))}",
        f"  {' '.join(rng.choice(WORDS) for _ in range(12))}.",
        f"department: Amt {rng.randint(10, 99)}",
        f"owner: Person {rng.randint(1, 300)}",
        f"field: {rng.choice(FIELDS)}",
        f"status: {status}",
        f"start: {year}-{rng.randint(1, 12):02d}-01",
        f"duration_months: {rng.randint(3, 36)}",
        "effort:",
        f"  budget_eur: {rng.randint(2, 80) * 5000}",
        f"  running_eur_per_year: {rng.randint(0, 20) * 1000}",
        f"  staff_fte: {rng.choice([0.25, 0.5, 1, 1.5, 2])}",
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
    shutil.copy(ROOT / "data" / "strategy.yaml", out / "strategy.yaml")
    rng = random.Random(seed)
    ascii_words = [w.lower() for w in WORDS if w.isascii()]
    ids = [f"p{i:05d}-{rng.choice(ascii_words)}" for i in range(size)]
    for index, pid in enumerate(ids):
        (out / "projects" / f"{pid}.yaml").write_text(
            project_text(rng, index, ids), encoding="utf-8"
        )
    stamp.write_text(f"{size} {seed} {GENERATOR_VERSION}")
    return out


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    print(generate(size, ROOT / "bench" / "out" / str(size)))
