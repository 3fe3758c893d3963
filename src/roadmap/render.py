"""Exports of the computed roadmap: CSV (also for German Excel), an iCalendar file of
milestones and deadlines (RFC 5545), and JSON of everything."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from .kpi import KpiState
from .model import Portfolio
from .schedule import Plan
from .score import Ranking


def projects_csv(portfolio: Portfolio, ranking: Ranking, plan: Plan, excel: bool = False) -> str:
    """One row per project with rank, score and plan dates. ``excel``: what German
    Excel opens correctly on a double click — UTF-8 with BOM, ';' between fields and a
    decimal comma."""
    placed = plan.by_id()
    unscheduled = {u.project.id: u.reason for u in plan.unscheduled}
    ranked = {e.id: e for e in ranking.entries}

    def number(value: float) -> str:
        text = f"{value:.2f}"
        return text.replace(".", ",") if excel else text

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(
        [
            "id",
            "title",
            "field",
            "department",
            "owner",
            "status",
            "decision",
            "rank",
            "score",
            "own_score",
            "start",
            "end",
            "not_planned_because",
        ]
    )
    for pid, project in sorted(
        portfolio.projects.items(),
        key=lambda item: (ranked[item[0]].rank if item[0] in ranked else 10**9, item[0]),
    ):
        entry = ranked.get(pid)
        slot = placed.get(pid)
        writer.writerow(
            [
                pid,
                project.title,
                project.field or "",
                project.department or "",
                project.owner or "",
                project.status,
                project.decision or "",
                entry.rank if entry else "",
                number(entry.score) if entry else "",
                number(entry.own.own) if entry else "",
                slot.start_date.isoformat() if slot else "",
                slot.end_date.isoformat() if slot else "",
                unscheduled.get(pid, ""),
            ]
        )
    return ("\ufeff" if excel else "") + out.getvalue()


def _ics_text(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newlines escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def milestones_ics(portfolio: Portfolio, stamp: dt.datetime) -> str:
    """All-day events for every milestone and every deadline. UIDs are stable, so a
    calendar that imports the file again updates the events instead of doubling them."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//roadmap//Digitalstrategie//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_text(portfolio.strategy.title)}",
    ]
    dtstamp = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")

    def event(uid: str, day: dt.date, summary: str, description: str) -> None:
        lines.extend(
            [
                "BEGIN:VEVENT",
                f"UID:{uid}",
                f"DTSTAMP:{dtstamp}",
                f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
                f"SUMMARY:{_ics_text(summary)}",
                f"DESCRIPTION:{_ics_text(description)}",
                "TRANSP:TRANSPARENT",
                "STATUS:CONFIRMED",
                "END:VEVENT",
            ]
        )

    for pid, project in sorted(portfolio.projects.items()):
        for m in project.milestones:
            state = {"done": "erledigt", "late": "verspätet", "dropped": "entfallen"}.get(
                m.status, "geplant"
            )
            event(
                f"{pid}.{m.id}@roadmap",
                m.due,
                f"{project.title}: {m.title}",
                f"Meilenstein ({state}) von {project.title} ({pid})",
            )
        if project.deadline:
            event(
                f"{pid}.deadline@roadmap",
                project.deadline,
                f"Frist: {project.title}",
                f"Harte Frist{f' ({project.legal_basis})' if project.legal_basis else ''} "
                f"von {project.title} ({pid})",
            )
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def roadmap_json(
    portfolio: Portfolio,
    ranking: Ranking,
    plan: Plan,
    kpis: Sequence[KpiState],
    bundles: dict[str, Any],
) -> dict[str, Any]:
    """The whole computed roadmap as one document."""
    from .formats import plan_document, ranking_document

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
        "kpis": [kpi_item(s) for s in kpis],
    }


def kpi_item(s: KpiState) -> dict[str, Any]:
    k = s.kpi
    return {
        "owner": s.owner,
        "id": k.id,
        "title": k.title,
        "unit": k.unit,
        "direction": k.direction,
        "baseline": {"value": k.baseline.value, "date": k.baseline.date.isoformat()},
        "target": {"value": k.target.value, "date": k.target.date.isoformat()},
        "latest": {"value": s.latest_value, "date": s.latest_date.isoformat()},
        "progress_pct": None if s.progress is None else round(s.progress, 1),
        "trend_per_year": None if s.trend_per_year is None else round(s.trend_per_year, 3),
        "forecast": None if s.forecast is None else round(s.forecast, 3),
        "status": s.status,
    }
