"""An over-committed, spreadsheet-born portfolio of any size for the benchmark: a fifth
of the projects in progress or approved with dates typed in long ago (many in the past),
wish dates on proposals, gaps (missing scores, zero efforts), running costs, and
commitments that exceed the yearly budget and staff (about 2.5 times the budget the
city has), so that ``optimize`` must make a recovery proposal."""

from __future__ import annotations

import random
from pathlib import Path

STATUSES = ["idea"] * 20 + ["proposed"] * 25 + ["approved"] * 12 + ["in_progress"] * 14
STATUSES += ["done"] * 6 + ["on_hold"] * 3


def generate(size: int, out: Path, seed: int = 16) -> Path:
    """``size`` projects under ``out``; returns ``out``."""
    rng = random.Random(seed)
    projects = out / "projects"
    projects.mkdir(parents=True, exist_ok=True)
    scale = size / 80
    capacity = "\n".join(
        f"  - {{year: {year}, budget_eur: {round(budget * scale)}, staff_fte: {staff * scale:.1f}}}"
        for year, budget, staff in (
            (2025, 2_000_000, 9),
            (2026, 2_300_000, 10),
            (2027, 2_500_000, 12),
            (2028, 2_600_000, 12),
            (2029, 2_600_000, 12),
            (2030, 2_600_000, 12),
        )
    )
    (out / "strategy.yaml").write_text(
        "organization: Stadt Bench\ntitle: Digitalstrategie 2025-2030\nlanguage: de\n"
        "vision: Bench\nperiod: {start: 2025-01-01, end: 2030-12-31}\n"
        "fields:\n  - {id: f1, title: Verwaltung}\n"
        "goals:\n  - {id: g1, title: Ziel, field: f1}\n"
        "criteria:\n  - {id: nutzen, title: Nutzen, weight: 3, scale: [1, 5]}\n"
        "  - {id: risiko, title: Risiko, weight: 1, direction: cost, scale: [1, 5]}\n"
        f"capacity:\n{capacity}\n",
        encoding="utf-8",
    )
    for i in range(size):
        status = STATUSES[i % len(STATUSES)]
        pid = f"p{i:05d}"
        lines = [f"id: {pid}", f"title: Projekt {i}", "field: f1", "goals: [g1]"]
        lines.append(f"status: {status}")
        if i % 17 == 3:
            lines.append("decision: must")
        if status in ("proposed", "approved", "in_progress", "done") or i % 4 == 0:
            year, month = rng.choice([2025, 2026, 2026, 2027]), rng.randint(1, 12)
            months = rng.choice([6, 12, 18, 24, 36])
            end_year, end_month = divmod(month - 1 + months - 1, 12)
            lines.append(f"start: {year}-{month:02d}-01")
            lines.append(f"end: {year + end_year}-{end_month + 1:02d}-28")
        else:
            lines.append(f"duration_months: {rng.choice([6, 12, 18, 24])}")
        if i % 11 == 7:
            lines.append("effort: {budget_eur: 0, running_eur_per_year: 0, staff_fte: 0}")
        elif i % 13 != 9:  # a few have no effort key at all
            lines.append(
                f"effort: {{budget_eur: {rng.randint(1, 20) * 60000}, running_eur_per_year: "
                f"{rng.choice([0, 20000, 50000, 120000])}, "
                f"staff_fte: {rng.choice([0.5, 1, 1.5, 2, 3])}}}"
            )
        if i > 10 and i % 5 == 0:  # a prerequisite among the projects before it
            lines.append(f"depends_on: [p{rng.randint(max(0, i - 40), i - 1):05d}]")
        score = f"nutzen: {rng.randint(1, 5)}"
        lines.append(
            f"scores: {{{score}, risiko: {rng.randint(1, 5)}}}"
            if i % 9 != 4
            else f"scores: {{{score}}}"
        )
        (projects / f"{pid}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out
