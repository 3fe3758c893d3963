"""Typed views of every result, built once: what each formatter (table, JSON, CSV,
Markdown, the report) reads. The JSON output of a command is its document as it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import Problem

if TYPE_CHECKING:
    from ..bundle import Bundle, Pair
    from ..kpi import KpiState
    from ..model import Portfolio
    from ..optimize import FrontierPoint, Selection
    from ..schedule import Plan, WhatIf
    from ..score import Ranking


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def ranking_document(
    ranking: Ranking, field: Sequence[str] = (), top: int | None = None, seed: int | None = None
) -> dict[str, Any]:
    """The ranking as JSON-ready data; ``rank`` follows the listed order (after the
    field filter), ``overall_rank`` is the place in the whole ranking."""
    entries = [e for e in ranking.entries if not field or e.project.field in field]
    if top is not None:
        entries = entries[:top]
    weights = ranking.weights
    document: dict[str, Any] = {
        "method": ranking.method,
        "weights": {c: _round(w, 6) for c, w in weights.values.items()},
        "weights_source": weights.source,
        "dependency_pull": ranking.dependency_pull,
        "notes": ranking.notes,
    }
    if weights.ahp is not None:
        document["consistency_ratio"] = _round(weights.ahp.consistency_ratio, 6)
    if ranking.robustness_draws:
        document["robustness"] = {
            "draws": ranking.robustness_draws,
            "top": ranking.top,
            "seed": seed,
        }
    projects = []
    for position, e in enumerate(entries, start=1):
        item: dict[str, Any] = {
            "rank": position,
            "id": e.id,
            "title": e.project.title,
            "score": _round(e.score),
            "own_score": _round(e.own.own),
            "breakdown": {k: _round(v) for k, v in e.own.breakdown.items()},
            "pulled_by": e.pulled_by,
            "status": e.project.status,
            "overall_rank": e.rank,
            "field": e.project.field,
            "decision": e.project.decision,
            "band": e.band_name,
            "eligible": not e.gate_failures,
            "gate_failures": e.gate_failures,
            "waits_for": e.waits_for,
            "missing_scores": e.own.missing,
        }
        if ranking.robustness_draws:
            item.update(rank_low=e.rank_low, rank_high=e.rank_high, p_top=_round(e.p_top))
        projects.append(item)
    document["projects"] = projects
    return document


def explanation_document(
    ranking: Ranking,
    project_id: str,
    levers: Sequence[Any],
    no_lever: str,
    dependents: Sequence[str],
) -> dict[str, Any]:
    entry = ranking.by_id()[project_id]
    weights = ranking.weights.values
    criteria = []
    for name, contribution in entry.own.breakdown.items():
        given = entry.project.scores.get(name)
        criteria.append(
            {
                "criterion": name,
                "weight": _round(weights.get(name), 6),
                "raw": entry.own.raw.get(name),
                "range": given if isinstance(given, list) else None,
                "normalized": _round(entry.own.normalized.get(name)),
                "contribution": _round(contribution),
                "missing": name in entry.own.missing,
            }
        )
    document: dict[str, Any] = {
        "id": entry.id,
        "title": entry.project.title,
        "method": ranking.method,
        "rank": entry.rank,
        "of": len(ranking.entries),
        "score": _round(entry.score),
        "own_score": _round(entry.own.own),
        "criteria": criteria,
        "pulled_by": entry.pulled_by,
        "dependents": list(dependents),
        "prerequisites": list(entry.project.depends_on),
        "decision": entry.project.decision,
        "band": entry.band_name,
        "band_from": entry.band_from,
        "gate_failures": entry.gate_failures,
        "waits_for": entry.waits_for,
        "levers": [
            {"criterion": lv.criterion, "from": lv.current, "to": lv.needed, "above": lv.above}
            for lv in levers
        ],
        "no_lever": no_lever or None,
        "notes": ranking.notes,
    }
    if ranking.robustness_draws:
        document["robustness"] = {
            "draws": ranking.robustness_draws,
            "rank_low": entry.rank_low,
            "rank_high": entry.rank_high,
            "top": ranking.top,
            "p_top": _round(entry.p_top),
        }
    return document


def plan_document(
    plan: Plan, what_if: WhatIf | None = None, warnings: Sequence[Problem] = ()
) -> dict[str, Any]:
    network = plan.network
    document: dict[str, Any] = {
        "projects": [
            {
                "id": p.project.id,
                "start": p.start_date.isoformat(),
                "end": p.end_date.isoformat(),
                "critical": p.critical,
                "slack_days": p.slack_days,
                "title": p.project.title,
                "months": p.months,
                "fixed": p.fixed,
                "status": p.project.status,
                "deadline": p.project.deadline.isoformat() if p.project.deadline else None,
            }
            for p in plan.placed
        ],
        "unscheduled": [
            {"id": u.project.id, "reason": u.reason, "title": u.project.title}
            for u in plan.unscheduled
        ],
        "end": plan.end_date.isoformat() if plan.end_date else None,
        "start": plan.calendar.month_start(plan.origin).isoformat()
        if plan.origin < plan.calendar.months
        else None,
        "plan_months": plan.length_months,
        "lower_bound_months": _round(plan.lower_bound_months, 2),
        "quality": _round(plan.quality, 3),
        "critical_path": network.critical_path() if network else [],
        "network_months": _round(network.duration - plan.origin, 2) if network else None,
        "years": {
            str(u.year): {
                "budget_used": round(u.budget_used, 2),
                "budget": u.budget,
                "staff_used": round(u.staff_used, 3),
                "staff": u.staff,
            }
            for u in plan.years
        },
        "notes": plan.notes,
        "warnings": [p.as_dict() for p in warnings],
    }
    if what_if is not None:
        document["what_if"] = {
            "capacity_scale": what_if.capacity_scale,
            "budget": what_if.budget,
            "staff": what_if.staff,
            "earlier": [
                {"id": i, "from": a.isoformat(), "to": b.isoformat()} for i, a, b in what_if.earlier
            ],
            "schedulable": what_if.schedulable,
        }
    return document


def bundle_document(
    bundles: Sequence[Bundle], threshold: float, titles: dict[str, str]
) -> dict[str, Any]:
    return {
        "threshold": threshold,
        "bundles": [
            {
                "projects": b.projects,
                "score": round(b.score, 4),
                "reasons": b.reasons,
                "titles": [titles[p] for p in b.projects],
            }
            for b in bundles
        ],
    }


def pair_document(pair: Pair) -> dict[str, Any]:
    return {
        "projects": [pair.a, pair.b],
        "score": round(pair.score, 4),
        "signals": [
            {"signal": s.name, "value": round(s.value, 4), "reason": s.reason} for s in pair.signals
        ],
    }


def selection_document(
    selection: Selection, frontier: Sequence[FrontierPoint] = ()
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "value": round(selection.value, 4),
        "selected": [{"id": pid, "score": round(score, 4)} for pid, score in selection.selected],
        "left_out": [{"id": pid, "reason": reason} for pid, reason in selection.left_out],
        "years": {
            str(year): {
                "budget_used": round(selection.budget_used[k], 2),
                "budget": selection.budget[k],
                "staff_used": round(selection.staff_used[k], 3),
                "staff": selection.staff[k],
            }
            for k, year in enumerate(selection.years)
        },
        "optimal": selection.optimal,
        "gap": selection.gap,
        "notes": selection.notes,
    }
    if frontier:
        document["frontier"] = [
            {
                "scale": p.scale,
                "budget": round(p.budget, 2),
                "value": round(p.value, 4),
                "projects": p.count,
                "added": p.added,
                "removed": p.removed,
            }
            for p in frontier
        ]
    return document


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

    def json(self) -> dict[str, object]:
        return {
            "owner": self.owner,
            "id": self.id,
            "title": self.title,
            "unit": self.unit,
            "direction": self.direction,
            "baseline": {"value": self.baseline, "date": self.baseline_date.isoformat()},
            "target": {"value": self.target, "date": self.target_date.isoformat()},
            "latest": {"value": self.latest, "date": self.latest_date.isoformat()},
            "progress_pct": _round(self.progress, 1),
            "trend_per_year": _round(self.trend_per_year, 3),
            "forecast": _round(self.forecast, 3),
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


def kpi_document(rows: Sequence[KpiRow]) -> dict[str, object]:
    """``kpi --format json``."""
    return {"kpis": [row.json() for row in rows]}


def roadmap_json(
    portfolio: Portfolio,
    ranking: Ranking,
    plan: Plan,
    kpis: Sequence[KpiState],
    bundles: dict[str, Any],
) -> dict[str, Any]:
    """The whole computed roadmap as one document."""
    strategy = portfolio.strategy
    return {
        "organization": strategy.organization,
        "title": strategy.title,
        "vision": strategy.vision,
        "period": {
            "start": strategy.period.start.isoformat(),
            "end": strategy.period.end.isoformat(),
        },
        "ranking": ranking_document(ranking),
        "plan": plan_document(plan),
        "bundles": bundles,
        "kpis": [row.json() for row in kpi_rows(kpis)],
    }
