"""Progress, trend and forecast of every KPI, of goals and of projects.

For a KPI with baseline ``b``, target ``t`` and measurements:

* latest: the newest measurement (the baseline when there is none);
* progress: ``(latest − b) / (t − b)`` in percent (100 % when ``t = b`` and it is met);
* trend: the least-squares line through the baseline and the measurements, as change
  per year;
* forecast: that line's value at the target date;
* status:
  - ``no_data``: no measurement yet;
  - once a measurement is on or after the target date, only it counts: ``on_track``
    if it meets the target, else ``off_track``;
  - ``on_track``: the target is met already, or the forecast meets it;
  - ``at_risk``: the forecast reaches at least 80 % of the planned change;
  - ``off_track``: otherwise (including a trend away from the target).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from .model import Kpi, Portfolio

AT_RISK_SHARE = 0.8
SYMBOLS = {"on_track": "✔", "at_risk": "⚠", "off_track": "✘", "no_data": "–"}


@dataclass(frozen=True)
class KpiState:
    owner: str  # "goal:<id>" or "project:<id>"
    kpi: Kpi
    latest_value: float
    latest_date: dt.date
    progress: float | None  # percent
    trend_per_year: float | None
    forecast: float | None
    status: str

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.status]


def _met(value: float, kpi: Kpi) -> bool:
    if kpi.direction == "increase":
        return value >= kpi.target.value
    return value <= kpi.target.value


def assess(owner: str, kpi: Kpi) -> KpiState:
    points = sorted(
        [(kpi.baseline.date, kpi.baseline.value)] + [(m.date, m.value) for m in kpi.measurements]
    )
    latest_date, latest = (
        points[-1] if kpi.measurements else (kpi.baseline.date, kpi.baseline.value)
    )
    change = kpi.target.value - kpi.baseline.value
    progress = (
        (100.0 if _met(latest, kpi) else 0.0)
        if change == 0
        else 100 * (latest - kpi.baseline.value) / change
    )
    slope = forecast = None
    if len({d for d, _ in points}) >= 2:
        xs = [(d - points[0][0]).days for d, _ in points]
        ys = [v for _, v in points]
        # fsum: exact, so forecasts do not depend on Python's sum(), which changed in 3.12
        mean_x, mean_y = math.fsum(xs) / len(xs), math.fsum(ys) / len(ys)
        slope_per_day = math.fsum(
            (x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)
        ) / math.fsum((x - mean_x) ** 2 for x in xs)
        slope = slope_per_day * 365.25
        forecast = mean_y + slope_per_day * ((kpi.target.date - points[0][0]).days - mean_x)
    if not kpi.measurements:
        status = "no_data"
    elif latest_date >= kpi.target.date:
        status = "on_track" if _met(latest, kpi) else "off_track"
    elif _met(latest, kpi) or (forecast is not None and _met(forecast, kpi)):
        status = "on_track"
    elif (
        forecast is not None
        and change != 0
        and (forecast - kpi.baseline.value) / change >= AT_RISK_SHARE
    ):
        status = "at_risk"
    else:
        status = "off_track"
    return KpiState(owner, kpi, latest, latest_date, progress, slope, forecast, status)


def all_kpis(portfolio: Portfolio) -> list[KpiState]:
    """Goals' KPIs in strategy order, then projects' by project id."""
    states = [assess(f"goal:{g.id}", k) for g in portfolio.strategy.goals for k in g.kpis]
    for pid, project in sorted(portfolio.projects.items()):
        states += [assess(f"project:{pid}", k) for k in project.kpis]
    return states
