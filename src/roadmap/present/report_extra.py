"""The report's sections that options add: what changed since a git revision
(``--since``) and the optimizer's frontier (``--frontier``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .report_local import Local, heading_anchor
from .texts import LOCALES, texts

if TYPE_CHECKING:
    from ..changes import Changes
    from ..model import Milestone, Portfolio
    from ..optimize import FrontierPoint
    from ..score import Ranking


def changes_view(changes: Changes, revision: str, since: dt.date, lang: str) -> dict[str, Any]:
    """The "changes since" section as headed lists of sentences in the language."""
    from babel.dates import format_date
    from babel.numbers import format_decimal

    t = texts(lang)
    locale = LOCALES[lang]

    def day(value: dt.date) -> str:
        return format_date(value, format="medium", locale=locale)

    def moved(old: int, new: int) -> str:
        key = "rank_up" if new < old else "rank_down"
        return t[key].format(old=old, new=new, n=abs(old - new))

    def slipped(old: Milestone, new: Milestone) -> str:
        if new.due > old.due:
            later = t["days_later"].format(n=(new.due - old.due).days)
            return f"{day(old.due)} → {day(new.due)} ({later})"
        return f"{day(new.due)}, {t['now_late']}"

    def band(value: str | None) -> str:
        return t[value] if value else "–"

    parts = [
        (t["added"], [f"{p.title} ({t[p.status]})" for p in changes.added]),
        (t["removed"], [p.title for p in changes.removed]),
        (t["status_changes"], [f"{p.title}: {t[a]} → {t[b]}" for p, a, b in changes.status]),
        (t["rank_moves"], [f"{p.title}: {moved(a, b)}" for p, a, b in changes.rank]),
        (t["slipped"], [f"{p.title} – {b.title}: {slipped(a, b)}" for p, a, b in changes.slipped]),
        (
            t["kpi_values"],
            [
                f"{k.title} ({owner}): "
                f"{format_decimal(v.value, locale=locale)} {k.unit} {t['on']} {day(v.date)}"
                for owner, k, v in changes.kpi_values
            ],
        ),
        (t["decisions"], [f"{p.title}: {band(a)} → {band(b)}" for p, a, b in changes.decisions]),
    ]
    heading = t["changes"].format(revision=revision, date=day(since))
    return {
        "heading": heading,
        "anchor": heading_anchor(heading),
        "parts": [{"title": title, "entries": entries} for title, entries in parts],
    }


def changes_section(
    data: Path, revision: str, portfolio: Portfolio, ranking: Ranking, lang: str
) -> dict[str, Any]:
    """The report's "changes since" section: the data folder as git has it at the
    revision, loaded and ranked like today's."""
    from ..changes import compare
    from ..gitsource import portfolio_at
    from ..score import rank

    old, date = portfolio_at(data, revision)
    return changes_view(compare(old, rank(old), portfolio, ranking), revision, date, lang)


FRONTIER_WIDTH, FRONTIER_HEIGHT, FRONTIER_PAD = 640, 300, 56


def frontier_view(
    points: Sequence[FrontierPoint], portfolio: Portfolio, lang: str
) -> dict[str, Any]:
    """The optimizer's frontier for the report: per budget level the value reached, the
    projects funded and who joins; and the geometry of the HTML report's line chart."""
    local = Local(lang)
    titles = {pid: p.title for pid, p in portfolio.projects.items()}
    rows = [
        {
            "scale": f"{local.number(100 * point.scale, 0)} %",
            "budget": local.money(point.budget),
            "value": local.number(point.value),
            "count": point.count,
            "added": local.listing([titles.get(i, i) for i in point.added]) if point.added else "",
            "removed": local.listing([titles.get(i, i) for i in point.removed])
            if point.removed
            else "",
        }
        for point in points
    ]
    chart: dict[str, Any] = {"width": FRONTIER_WIDTH, "height": FRONTIER_HEIGHT, "points": []}
    if points:
        low_b, high_b = min(p.budget for p in points), max(p.budget for p in points)
        high_v = max(p.value for p in points) or 1.0
        inner_w = FRONTIER_WIDTH - 2 * FRONTIER_PAD
        inner_h = FRONTIER_HEIGHT - 2 * FRONTIER_PAD

        def x(budget: float) -> float:
            span = (high_b - low_b) or 1.0
            return round(FRONTIER_PAD + (budget - low_b) / span * inner_w, 1)

        def y(value: float) -> float:
            return round(FRONTIER_HEIGHT - FRONTIER_PAD - value / high_v * inner_h, 1)

        chart["points"] = [
            {"x": x(p.budget), "y": y(p.value), "label": row["scale"], "value": row["value"]}
            for p, row in zip(points, rows, strict=True)
        ]
        chart["line"] = " ".join(f"{q['x']},{q['y']}" for q in chart["points"])
        chart["axis_y"] = FRONTIER_HEIGHT - FRONTIER_PAD
        chart["low"], chart["high"] = local.money(low_b), local.money(high_b)
        chart["top"] = local.number(high_v)
    return {"rows": rows, "chart": chart}
