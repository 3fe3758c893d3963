"""What changed between two versions of the portfolio: the committee's "since the last
meeting" (pure: two portfolios and their rankings in, facts out)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import DatedValue, Kpi, Milestone, Portfolio, Project
from .score import Ranking


@dataclass
class Changes:
    added: list[Project] = field(default_factory=list)
    removed: list[Project] = field(default_factory=list)
    status: list[tuple[Project, str, str]] = field(default_factory=list)
    rank: list[tuple[Project, int, int]] = field(default_factory=list)  # old, new rank
    slipped: list[tuple[Project, Milestone, Milestone]] = field(default_factory=list)
    kpi_values: list[tuple[str, Kpi, DatedValue]] = field(default_factory=list)  # owner title
    decisions: list[tuple[Project, str | None, str | None]] = field(default_factory=list)


def _kpis(portfolio: Portfolio) -> dict[tuple[str, str], tuple[str, Kpi]]:
    found = {("goal:" + g.id, k.id): (g.title, k) for g in portfolio.strategy.goals for k in g.kpis}
    for p in portfolio.projects.values():
        found.update({("project:" + p.id, k.id): (p.title, k) for k in p.kpis})
    return found


def compare(old: Portfolio, old_ranking: Ranking, new: Portfolio, new_ranking: Ranking) -> Changes:
    result = Changes()
    before, now = old.projects, new.projects
    result.added = [now[i] for i in sorted(now.keys() - before.keys())]
    result.removed = [before[i] for i in sorted(before.keys() - now.keys())]
    old_rank = {e.id: e.rank for e in old_ranking.entries}
    for entry in new_ranking.entries:  # in the new order
        was = old_rank.get(entry.id)
        if was is not None and was != entry.rank:
            result.rank.append((entry.project, was, entry.rank))
    result.rank.sort(key=lambda move: (-abs(move[1] - move[2]), move[2]))
    for pid in sorted(now.keys() & before.keys()):
        p, q = now[pid], before[pid]
        if p.status != q.status:
            result.status.append((p, q.status, p.status))
        if p.decision != q.decision:
            result.decisions.append((p, q.decision, p.decision))
        earlier = {m.id: m for m in q.milestones}
        for m in p.milestones:
            was_m = earlier.get(m.id)
            if was_m is not None and (
                m.due > was_m.due or (m.status == "late" and was_m.status != "late")
            ):
                result.slipped.append((p, was_m, m))
    old_kpis = _kpis(old)
    for key, (owner, kpi) in _kpis(new).items():
        known = {v.date for v in old_kpis[key][1].measurements} if key in old_kpis else set()
        result.kpi_values += [(owner, kpi, v) for v in kpi.measurements if v.date not in known]
    result.kpi_values.sort(key=lambda item: (item[2].date, item[0], item[1].id))
    return result
