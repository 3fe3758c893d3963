"""The KPI rows every KPI view shows, and ``kpi --format json``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from .document_parts import round_or_none

if TYPE_CHECKING:
    from ..kpi import KpiState


class DatedValueItem(TypedDict):
    value: float
    date: str


class KpiItem(TypedDict):
    owner: str
    id: str
    title: str
    unit: str
    direction: str
    baseline: DatedValueItem
    target: DatedValueItem
    latest: DatedValueItem
    progress_pct: float | None
    trend_per_year: float | None
    forecast: float | None
    status: str


class KpiDocument(TypedDict):
    kpis: list[KpiItem]


@dataclass(frozen=True)
class KpiRow:
    """One KPI as every view shows it; ``json()`` is its item in ``kpi --format json``
    (rounded there, so that the table formats the exact values)."""

    owner: str
    id: str
    title: str
    unit: str
    direction: str
    baseline: float
    baseline_date: dt.date
    target: float
    target_date: dt.date
    latest: float
    latest_date: dt.date
    progress: float | None
    trend_per_year: float | None
    forecast: float | None
    status: str
    symbol: str

    def json(self) -> KpiItem:
        return {
            "owner": self.owner,
            "id": self.id,
            "title": self.title,
            "unit": self.unit,
            "direction": self.direction,
            "baseline": {"value": self.baseline, "date": self.baseline_date.isoformat()},
            "target": {"value": self.target, "date": self.target_date.isoformat()},
            "latest": {"value": self.latest, "date": self.latest_date.isoformat()},
            "progress_pct": round_or_none(self.progress, 1),
            "trend_per_year": round_or_none(self.trend_per_year, 3),
            "forecast": round_or_none(self.forecast, 3),
            "status": self.status,
        }


def kpi_rows(states: Iterable[KpiState], statuses: Sequence[str] = ()) -> list[KpiRow]:
    """The KPI rows, only those with one of ``statuses`` when given."""
    return [
        KpiRow(
            owner=s.owner,
            id=s.kpi.id,
            title=s.kpi.title,
            unit=s.kpi.unit,
            direction=s.kpi.direction,
            baseline=s.kpi.baseline.value,
            baseline_date=s.kpi.baseline.date,
            target=s.kpi.target.value,
            target_date=s.kpi.target.date,
            latest=s.latest_value,
            latest_date=s.latest_date,
            progress=s.progress,
            trend_per_year=s.trend_per_year,
            forecast=s.forecast,
            status=s.status,
            symbol=s.symbol,
        )
        for s in states
        if not statuses or s.status in statuses
    ]


def kpi_document(rows: Sequence[KpiRow]) -> KpiDocument:
    """``kpi --format json``."""
    return {"kpis": [row.json() for row in rows]}
