"""The shipped portfolio is the first thing a new user sees: it must be valid and rich."""

from __future__ import annotations

from roadmap.checks import validate

from .conftest import ROOT


def test_shipped_data_has_no_errors_and_covers_the_format() -> None:
    loaded, problems = validate(ROOT / "data")
    assert [p for p in problems if p.is_error] == []
    portfolio = loaded.portfolio
    assert portfolio is not None
    strategy = portfolio.strategy
    assert len(strategy.fields) >= 6 and len(strategy.criteria) >= 5
    assert {c.year for c in strategy.capacity} == set(range(2024, 2031))
    assert any(g.parent for g in strategy.goals) and any(g.kpis for g in strategy.goals)
    projects = portfolio.projects
    assert len(projects) >= 40
    assert projects["buergerportal"].depends_on == ["servicekonto", "dms-plattform"]
    assert projects["papierlose-verwaltung"].depends_on == ["e-akte"]
    assert sum(1 for p in projects.values() if p.milestones) >= 25
    assert sum(1 for p in projects.values() for k in p.kpis if k.measurements) >= 15
    assert {p.status for p in projects.values()} >= {
        "idea",
        "proposed",
        "approved",
        "in_progress",
        "done",
        "on_hold",
    }
