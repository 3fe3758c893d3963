"""The one capacity model of plan and optimize (capacity.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from roadmap.capacity import CapacityModel, Overrides, keeps_dates, plannable, total
from roadmap.model import Portfolio, Strategy
from roadmap.optimize import build, costs_per_year, solve
from roadmap.schedule import plan
from roadmap.score import rank

from . import factories
from .conftest import Cli

TODAY = dt.date(2026, 1, 1)


def portfolio(
    projects: list[dict[str, Any]],
    budget: float = 1_000_000,
    staff: float = 3,
    capacity: list[dict[str, Any]] | None = None,
    **strategy: Any,
) -> Portfolio:
    data = factories.portfolio(projects, years=(2026, 2027), capacity=(budget, staff), **strategy)
    if capacity is None:
        return data
    given = Strategy.model_validate({**data.strategy.model_dump(), "capacity": capacity})
    return Portfolio(strategy=given, projects=data.projects)


def test_commitments_are_in_progress_fixed_and_approved_projects_with_dates() -> None:
    start = {"start": "2026-03-01", "end": "2026-08-31"}
    data = portfolio(
        [
            {"id": "laeuft", "status": "in_progress"},
            {"id": "fest", "status": "proposed", "fixed": True, **start},
            {"id": "genehmigt", "status": "approved", **start},
            {"id": "genehmigt-ohne-datum", "status": "approved"},
            {"id": "wunsch", "status": "proposed", **start},
            {"id": "idee", "status": "idea", **start},
        ]
    )
    kept = {pid for pid, p in data.projects.items() if keeps_dates(p, data.strategy)}
    assert kept == {"laeuft", "fest", "genehmigt"}
    relaxed = portfolio(
        [{"id": "genehmigt", "status": "approved", **start}],
        approved_dates_are_commitments=False,
    )
    assert not keeps_dates(relaxed.projects["genehmigt"], relaxed.strategy)


def test_the_plan_moves_wish_dates_and_says_so() -> None:
    data = portfolio(
        [
            {
                "id": "wunsch",
                "status": "proposed",
                "start": "2027-03-01",
                "end": "2027-05-31",
                "scores": {"nutzen": 3},
            }
        ]
    )
    result = plan(data, rank(data), dt.date(2026, 6, 15))
    placed = result.by_id()["wunsch"]
    assert not placed.fixed
    assert (placed.start_date, placed.end_date) == (dt.date(2026, 6, 1), dt.date(2026, 8, 31))
    assert any("taken as wishes and moved: wunsch" in note for note in result.notes)


def test_plannable_leaves_out_gated_wont_and_what_depends_on_them() -> None:
    data = portfolio(
        [
            {"id": "nein", "decision": "wont", "scores": {"nutzen": 5}},
            {"id": "danach", "depends_on": ["nein"], "scores": {"nutzen": 4}},
            {"id": "laeuft", "status": "in_progress", "depends_on": ["nein"]},
            {"id": "frei", "scores": {"nutzen": 1}},
        ]
    )
    projects, excluded = plannable(rank(data), data.strategy)
    assert sorted(p.id for p in projects) == ["frei", "laeuft"]
    assert {pid: e.code for pid, e in excluded.items()} == {
        "nein": "wont",
        "danach": "depends-on-unscheduled",
    }
    result = plan(data, rank(data), TODAY)
    assert {u.project.id: u.why.code for u in result.unscheduled} == {
        "nein": "wont",
        "danach": "depends-on-unscheduled",
    }


def test_yearly_model_counts_staff_years_where_the_monthly_one_counts_staff_at_once() -> None:
    """Where the two resolutions differ: a year of 1 FTE holds a 1-FTE project for six
    months plus a 2-FTE project for three months in staff-years (0.5 + 0.5 = 1), so
    optimize funds both; but the second needs 2 FTE at once, which no month of the year
    has, so the plan cannot place it in 2026."""
    data = portfolio(
        [
            {"id": "aa", "duration_months": 6, "effort": {"staff_fte": 1}, "scores": {"nutzen": 5}},
            {"id": "bb", "duration_months": 3, "effort": {"staff_fte": 2}, "scores": {"nutzen": 4}},
        ],
        capacity=[
            {"year": 2026, "budget_eur": 1_000_000, "staff_fte": 1},
            {"year": 2027, "budget_eur": 1_000_000, "staff_fte": 1},
        ],
    )
    years, costs = costs_per_year(data, list(data.projects.values()), TODAY)
    assert years == [2026, 2027]
    assert [c.staff for c in costs] == [[0.5, 0.0], [0.5, 0.0]]
    selection = solve(build(data, TODAY))
    assert sorted(pid for pid, _ in selection.selected) == ["aa", "bb"]
    assert selection.staff_used == [1.0, 0.0]
    result = plan(data, rank(data), TODAY)
    beyond = result.by_id()["bb"].beyond
    assert beyond is not None and beyond.code == "staff"
    assert result.by_id()["bb"].start_date == dt.date(2028, 1, 1)  # after the period


def test_both_models_book_the_same_budget_per_year() -> None:
    data = portfolio(
        [
            {
                "id": "aa",
                "start": "2026-07-01",
                "end": "2027-06-30",
                "status": "approved",
                "effort": {"budget_eur": 120_000, "running_eur_per_year": 24_000},
            }
        ]
    )
    model = CapacityModel.of(data, TODAY)
    budget, running, staff = model.yearly_costs(data.projects["aa"], 6, 12)
    assert staff == [0.0, 0.0]
    assert budget == pytest.approx([60_000, 60_000 + 12_000])
    assert running == [0.0, 0.0]
    result = plan(data, rank(data), TODAY)
    assert [y.budget_used for y in result.years] == pytest.approx(budget)


RUNNING = [
    {
        "id": "alt",
        "status": "approved",
        "start": "2026-01-01",
        "end": "2026-06-30",
        "effort": {"budget_eur": 100_000, "running_eur_per_year": 400_000},
        "scores": {"nutzen": 5},
    },
    {
        "id": "neu",
        "duration_months": 12,
        "effort": {"budget_eur": 500_000},
        "scores": {"nutzen": 3},
    },
]


def test_running_costs_count_against_the_budget_by_default() -> None:
    data = portfolio(RUNNING, budget=600_000)
    result = plan(data, rank(data), TODAY)
    # 2026: 100,000 + 6 × 400,000 / 12 = 300,000 used; 500,000 for "neu" does not fit
    # in 2026, and 2027 holds 400,000 of running costs
    assert result.years[0].budget_used == pytest.approx(300_000)
    assert result.by_id()["neu"].start_date == dt.date(2028, 1, 1)  # after the period
    assert "neu" not in {pid for pid, _ in solve(build(data, TODAY)).selected}


def test_running_costs_from_operating_budgets_leave_the_portfolio_budget_free() -> None:
    data = portfolio(RUNNING, budget=600_000, capacity_includes_running_costs=False)
    result = plan(data, rank(data), TODAY)
    # 100,000 for "alt" and 500,000 for "neu": the running costs are not on this line
    assert result.years[0].budget_used == pytest.approx(600_000)
    assert result.by_id()["neu"].start_date == dt.date(2026, 1, 1)
    assert "neu" in {pid for pid, _ in solve(build(data, TODAY)).selected}


def test_a_separate_running_cost_budget_is_a_constraint_of_its_own() -> None:
    capacity = [
        {"year": y, "budget_eur": 600_000, "staff_fte": 3, "running_eur": 100_000}
        for y in (2026, 2027)
    ]
    data = portfolio(RUNNING, capacity=capacity)
    model = CapacityModel.of(data, TODAY)
    assert model.running == [100_000, 100_000]
    # "alt" alone runs 200,000 EUR a half-year in 2026 and 400,000 in 2027: over the
    # running-cost budget (kept, it is a commitment), but the budget line is free
    result = plan(data, rank(data), TODAY)
    assert result.years[0].budget_used == pytest.approx(600_000)
    assert result.by_id()["neu"].start_date == dt.date(2026, 1, 1)


def test_overrides_scale_and_set_years() -> None:
    data = portfolio([], budget=1_000_000, staff=4)
    model = CapacityModel.of(
        data, TODAY, Overrides(capacity_scale=0.5, staff_scale=2.0, budget={2027: 10.0})
    )
    assert model.budget == [500_000, 10.0]
    assert model.staff == [4.0, 4.0]


def test_total_is_exactly_rounded() -> None:
    values = [0.1] * 10 + [1e16, 1.0, -1e16]
    # exact on every Python (3.12's sum() compensates some of this, 3.11's does not)
    assert total(values) == 2.0
    assert total(np.array([0.1, 0.2, 0.3])) == 0.6


UEBERBUCHT = Path(__file__).parent.parent / "examples" / "ueberbucht"


def test_the_over_committed_example_recovers_by_the_proposal_applied_by_hand() -> None:
    from roadmap.load import load_portfolio

    today = dt.date(2026, 11, 30)
    loaded = load_portfolio(UEBERBUCHT)
    assert loaded.portfolio is not None
    assert not [p for p in loaded.problems if p.severity == "error"]
    data = loaded.portfolio
    selection = solve(build(data, today))
    assert {(o.year, o.resource) for o in selection.overrun} == {
        (2027, "budget"),
        (2027, "staff"),
        (2028, "budget"),
    }
    paused = [p.id for p in selection.recovery]
    # the least valuable first
    assert paused == ["rechenzentrum", "endgeraete-schulen", "schul-wlan", "online-kfz"]
    assert selection.recovery[2].frees_budget == {2027: 800_000, 2028: 800_000}
    # the proposal, applied by hand: each paused project loses its commitment
    released = {
        pid: p.model_copy(
            update={"status": "on_hold", "decision": None, "fixed": False, "start": None}
        )
        for pid, p in data.projects.items()
        if pid in paused
    }
    applied = Portfolio(
        strategy=data.strategy, projects={**data.projects, **released}, strategy_file="x"
    )
    again = solve(build(applied, today))
    assert again.overrun == [] and again.recovery == []
    for k, year in enumerate(again.years):
        assert again.budget_used[k] <= again.budget[k] + 1e-6, year
        assert again.staff_used[k] <= again.staff[k] + 1e-6, year
    # running costs come from the departments here: they are not on the budget line
    assert not data.strategy.capacity_includes_running_costs


DATA = Path(__file__).parent.parent / "data"


@pytest.mark.parametrize("command", ["plan", "optimize"])
@pytest.mark.parametrize("option", ["--budget", "--staff"])
def test_a_what_if_year_outside_the_period_is_a_usage_error(
    cli: Cli, command: str, option: str
) -> None:
    result = cli(command, "-d", DATA, option, "2031=1000000", "--today", "2026-11-21")
    assert result.exit_code == 2
    assert f"{option} 2031: outside the period 2024–2030" in result.stderr


def test_plan_and_optimize_take_the_same_what_if_options(cli: Cli) -> None:
    what_if = ["--capacity-scale", "1.1", "--budget-scale", "2", "--staff-scale", "0.5"]
    years = {}
    for command in ("plan", "optimize"):
        result = cli(
            command,
            "-d",
            DATA,
            "-f",
            "json",
            "--today",
            "2026-11-21",
            *what_if,
            "--budget",
            "2027=3000000",
            "--staff",
            "2028=20",
        )
        assert result.exit_code == 0, result.output
        years[command] = json.loads(result.stdout)["years"]
    for document in years.values():
        # 2,600,000 × 1.1 × 2; 12 FTE × 1.1 × 0.5; the years given are taken as given
        assert document["2029"]["budget"] == pytest.approx(5_720_000)
        assert document["2029"]["staff"] == pytest.approx(6.6)
        assert document["2027"]["budget"] == 3_000_000
        assert document["2028"]["staff"] == 20


@pytest.mark.parametrize(
    ("today", "first"),
    [(dt.date(2026, 11, 30), dt.date(2026, 12, 1)), (dt.date(2026, 11, 29), dt.date(2026, 11, 1))],
)
def test_plan_and_optimize_start_at_the_first_month_not_yet_spent(
    today: dt.date, first: dt.date
) -> None:
    # on a month's last day that month is spent: nothing new starts in it, in either
    # a score, so that funding it is worth something (at 0 the solver may leave it out)
    data = portfolio(
        [
            {
                "id": "neu",
                "duration_months": 2,
                "effort": {"budget_eur": 10_000},
                "scores": {"nutzen": 4},
            }
        ]
    )
    model = CapacityModel.of(data, today)
    assert model.calendar.month_start(model.origin) == first
    [placed] = plan(data, rank(data), today).placed
    assert placed.start_date == first
    assert solve(build(data, today)).starts == {"neu": first}
