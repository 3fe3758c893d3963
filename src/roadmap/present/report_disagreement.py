"""The report's "Wo die Bewertungen auseinandergehen" (where the ratings disagree): the
projects whose rank the raters' disagreement makes least certain, from the robustness
draws over the raters' spread, and Kendall's W of the raters' rankings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Portfolio
    from ..ratings import ProjectRatings
    from ..score import Ranking
    from .report_local import Local

# the ranking is re-scored this often, seeded, so the report is the same on every run
DRAWS = 1000
SEED = 0
SHOWN = 10  # projects in the table
CRITERIA_SHOWN = 3  # criteria per project, widest spread first


def disagreement_view(
    portfolio: Portfolio, ranking: Ranking, local: Local
) -> dict[str, Any] | None:
    """None without raters' files; else the projects whose rank moves within the raters'
    spread (most uncertain first) with their rank range, where the raters lie apart
    (lowest and highest score and who gave it) and their agreement, and Kendall's W.
    A project that waits for a prerequisite ranked lower keeps its place after it in
    the ranking (``ranking``, the report's), while its range is where its score puts
    it; the row names the prerequisites it waits for."""
    from ..ratings import OWN_RATER, overview, uncertain_ranks

    if not portfolio.ratings:
        return None
    found = uncertain_ranks(portfolio, DRAWS, SEED, SHOWN)
    summary = overview(portfolio)
    rated = {p.id: p for p in summary.projects}
    entries = ranking.by_id()
    names = {r.id: r.name for r in summary.raters} | {OWN_RATER: local.t["own_rater"]}
    rows = []
    for uncertain in found:
        project = rated.get(uncertain.id)
        entry = entries.get(uncertain.id)
        waits = [portfolio.projects[i].title for i in entry.waits_for] if entry else []
        rows.append(
            {
                "id": uncertain.id,
                "title": uncertain.title,
                "rank": uncertain.rank,
                "ranks": f"{uncertain.rank_low}–{uncertain.rank_high}",
                "spread": _spread(project, uncertain.criteria, portfolio, names, local),
                "agreement": f"{local.number(100 * project.agreement, 0)} %" if project else "",
                "raters": len(project.raters) if project else 0,
                "waits_for": local.listing(waits) if waits else "",
            }
        )
    w = summary.kendalls_w
    return {
        "rows": rows,
        "waiting": any(row["waits_for"] for row in rows),
        "draws": local.number(DRAWS, 0),
        "raters": len(portfolio.ratings),
        "aggregate": portfolio.strategy.ratings.aggregate,  # median or mean
        "w": "" if w is None else local.number(w, 2),
        "w_projects": summary.w_projects,
    }


def _spread(
    project: ProjectRatings | None,
    criteria: list[str],
    portfolio: Portfolio,
    names: dict[str, str],
    local: Local,
) -> list[str]:
    """Per criterion the lowest and the highest score and who gave each:
    ``Bürgernutzen 2 (Ratsfraktion) – 5 (Amt 33)``."""
    if project is None:
        return []
    titles = {c.id: c.title for c in portfolio.strategy.criteria}
    shown = []
    for criterion in criteria:
        given = project.criteria.get(criterion)
        if given is None or len(set(given.raters.values())) < 2:
            continue
        low = min(given.raters.items(), key=lambda item: (item[1], item[0]))
        high = max(given.raters.items(), key=lambda item: (item[1], item[0]))
        shown.append(
            f"{titles.get(criterion, criterion)} {local.measured(low[1])} "
            f"({names.get(low[0], low[0])}) – {local.measured(high[1])} "
            f"({names.get(high[0], high[0])})"
        )
        if len(shown) == CRITERIA_SHOWN:
            break
    return shown
