from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap import schedule
from roadmap.model import Portfolio
from roadmap.schedule import Cpm, Plan, cpm, plan
from roadmap.score import rank

from . import factories
from .strategies import acyclic_projects

TODAY = dt.date(2026, 1, 1)


def test_cpm_reproduces_the_reliable_construction_example() -> None:
    """Hillier & Lieberman, Introduction to Operations Research, chapter "Project
    Management with PERT/CPM": the Reliable Construction Co. project (durations in
    weeks). Published: project duration 44 weeks, critical path A-B-C-E-F-J-L-N,
    slack 4 for D, G, H, M; 2 for I; 1 for K; 0 for the rest."""
    durations = {
        "A": 2,
        "B": 4,
        "C": 10,
        "D": 6,
        "E": 4,
        "F": 5,
        "G": 7,
        "H": 9,
        "I": 7,
        "J": 8,
        "K": 4,
        "L": 5,
        "M": 2,
        "N": 6,
    }
    predecessors = {
        "B": ["A"],
        "C": ["B"],
        "D": ["C"],
        "E": ["C"],
        "F": ["E"],
        "G": ["D"],
        "H": ["E", "G"],
        "I": ["C"],
        "J": ["F", "I"],
        "K": ["J"],
        "L": ["J"],
        "M": ["H"],
        "N": ["K", "L"],
    }
    result = cpm({k: float(v) for k, v in durations.items()}, predecessors)
    assert result.duration == 44
    assert result.critical_path() == ["A", "B", "C", "E", "F", "J", "L", "N"]
    slack = {n: result.slack(n) for n in durations}
    assert slack == {
        "A": 0,
        "B": 0,
        "C": 0,
        "D": 4,
        "E": 0,
        "F": 0,
        "G": 4,
        "H": 4,
        "I": 2,
        "J": 0,
        "K": 1,
        "L": 0,
        "M": 4,
        "N": 0,
    }


def portfolio(
    projects: list[dict[str, Any]],
    budget: float = 1_000_000,
    staff: float = 3,
    years: tuple[int, int] = (2026, 2028),
) -> Portfolio:
    return factories.portfolio(projects, years=years, capacity=(budget, staff))


def make(data: Portfolio, **kw: Any) -> Plan:
    return plan(data, rank(data), TODAY, **kw)


def test_projects_wait_for_prerequisites_and_capacity() -> None:
    data = portfolio(
        [
            {
                "id": "base",
                "scores": {"nutzen": 2},
                "duration_months": 6,
                "effort": {"staff_fte": 2, "budget_eur": 120_000},
            },
            {
                "id": "top",
                "scores": {"nutzen": 5},
                "duration_months": 4,
                "depends_on": ["base"],
                "effort": {"staff_fte": 1, "budget_eur": 40_000},
            },
            {
                "id": "side",
                "scores": {"nutzen": 4},
                "duration_months": 3,
                "effort": {"staff_fte": 2, "budget_eur": 30_000},
            },
        ]
    )
    result = make(data).by_id()
    assert (result["base"].start_date, result["base"].end_date) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 6, 30),
    )
    assert result["top"].start_date == dt.date(2026, 7, 1)  # after its prerequisite
    assert result["side"].start_date == dt.date(2026, 7, 1)  # 2 + 2 FTE > 3 before that


def test_budget_and_running_costs_count_per_year() -> None:
    data = portfolio(
        [
            {
                "id": "big",
                "scores": {"nutzen": 5},
                "duration_months": 12,
                "effort": {"budget_eur": 800_000, "running_eur_per_year": 240_000},
            },
            {
                "id": "next",
                "scores": {"nutzen": 4},
                "duration_months": 12,
                "effort": {"budget_eur": 600_000},
            },
        ]
    )
    result = make(data)
    placed = result.by_id()
    # big spends 800k in 2026; next's 50k a month fit the remaining 200k from September
    # (4 months), and its other 8 months (400k) plus big's running costs (240k) fit 2027
    assert placed["next"].start_date == dt.date(2026, 9, 1)
    assert result.years[0].budget_used == pytest.approx(1_000_000)
    assert result.years[1].budget_used == pytest.approx(640_000)


def test_unscheduled_with_reasons_and_dependents_follow() -> None:
    data = portfolio(
        [
            {
                "id": "huge",
                "scores": {"nutzen": 5},
                "duration_months": 6,
                "effort": {"budget_eur": 5_000_000},
            },
            {"id": "after", "scores": {"nutzen": 4}, "duration_months": 6, "depends_on": ["huge"]},
            {"id": "long", "scores": {"nutzen": 3}, "duration_months": 48},
            {
                "id": "crowd",
                "scores": {"nutzen": 2},
                "duration_months": 6,
                "effort": {"staff_fte": 4},
            },
        ]
    )
    result = make(data)
    assert result.unscheduled == []  # the plan places, it does not drop
    placed = result.by_id()
    reasons = {pid: p.beyond.english() for pid, p in placed.items() if p.beyond}
    assert reasons["huge"].startswith("budget exhausted in 2026, 2027 and 2028")
    # it would fit into the period on its own: the reason is its prerequisite's timing
    assert reasons["after"] == (
        "its prerequisite huge runs until 2029-06; after it the period has no room for its 6 months"
    )
    assert placed["after"].beyond == schedule.Why(
        "prerequisite-late", {"ids": ["huge"], "until": "2029-06", "months": 6}
    )
    assert reasons["long"] == "needs 48 months; the period has 36"
    assert reasons["crowd"].startswith("staff exhausted in 2026, 2027 and 2028")
    # right after the period, and a dependent after its prerequisite
    assert (placed["huge"].start_date, placed["after"].start_date) == (
        dt.date(2029, 1, 1),
        dt.date(2029, 7, 1),
    )
    assert placed["long"].start_date == dt.date(2029, 1, 1)
    assert result.years[0].budget_used == 0.0  # nothing after the period books capacity
    assert any("4 projects placed after the period" in note for note in result.notes)


def test_a_dependant_pushed_out_by_its_prerequisite_is_not_blamed_on_capacity() -> None:
    """The prerequisite moves late in the period for staff; its dependant, which alone
    would fit, has no room after it: the reason names the prerequisite's timing, while a
    project that capacity rules out everywhere keeps the capacity reason."""
    data = portfolio(
        [
            {
                "id": "first",
                "scores": {"nutzen": 5},
                "duration_months": 12,
                "effort": {"staff_fte": 1},
            },
            {
                "id": "late",
                "scores": {"nutzen": 4},
                "duration_months": 24,
                "effort": {"staff_fte": 3},
            },
            {"id": "next", "scores": {"nutzen": 3}, "duration_months": 6, "depends_on": ["late"]},
        ]
    )
    result = make(data)
    placed = result.by_id()
    assert placed["late"].beyond is None and placed["late"].end_date.year == 2028
    why = placed["next"].beyond
    assert why is not None and why.code == "prerequisite-late"
    assert why.params["ids"] == ["late"] and why.params["until"] == "2028-12"


def test_only_wont_gated_and_their_dependents_stay_unscheduled() -> None:
    data = factories.portfolio(
        [
            {"id": "nein", "decision": "wont", "scores": {"nutzen": 5}},
            {"id": "schwach", "scores": {"nutzen": 1}},
            {"id": "danach", "depends_on": ["schwach"], "scores": {"nutzen": 4}},
            {"id": "gross", "effort": {"budget_eur": 9_000_000}, "scores": {"nutzen": 3}},
        ],
        criteria=[{"id": "nutzen", "title": "Nutzen", "gate": 2}],
        capacity=(1_000_000, 3),
    )
    result = make(data)
    assert {u.project.id: u.why.code for u in result.unscheduled} == {
        "nein": "wont",
        "schwach": "not-eligible",
        "danach": "depends-on-unscheduled",
    }
    assert [p.project.id for p in result.placed] == ["gross"]


def test_fixed_projects_keep_dates_and_overload_is_reported() -> None:
    data = portfolio(
        [
            {
                "id": "running",
                "scores": {"nutzen": 1},
                "status": "in_progress",
                "start": "2025-06-01",
                "end": "2026-05-31",
                "effort": {"staff_fte": 5},
            },
        ]
    )
    result = make(data)
    placed = result.by_id()["running"]
    assert (placed.start_date, placed.end_date, placed.fixed) == (
        dt.date(2025, 6, 1),
        dt.date(2026, 5, 31),
        True,
    )
    assert any(
        f.code == "capacity-exceeded" and "5 FTE at once in 2026" in f.message
        for f in result.findings
    )


def test_deadline_miss_is_reported_with_days() -> None:
    data = portfolio(
        [
            {
                "id": "first",
                "scores": {"nutzen": 5},
                "duration_months": 12,
                "effort": {"staff_fte": 3},
            },
            {
                "id": "ozg",
                "scores": {"nutzen": 4},
                "duration_months": 6,
                "deadline": "2026-12-31",
                "effort": {"staff_fte": 1},
            },
        ]
    )
    findings = make(data).findings
    assert [f.message for f in findings if f.code == "deadline-missed"] == [
        "planned to end 2027-06-30, 181 days after its deadline 2026-12-31"
    ]


def test_quality_figure_and_slack() -> None:
    data = portfolio(
        [
            {"id": "aa", "scores": {"nutzen": 5}, "duration_months": 6, "effort": {"staff_fte": 1}},
            {
                "id": "bb",
                "scores": {"nutzen": 4},
                "duration_months": 6,
                "depends_on": ["aa"],
                "effort": {"staff_fte": 1},
            },
            {"id": "cc", "scores": {"nutzen": 3}, "duration_months": 3, "effort": {"staff_fte": 1}},
        ]
    )
    result = make(data)
    assert result.length_months == 12 and result.lower_bound_months == 12
    assert result.quality == 1.0
    placed = result.by_id()
    assert placed["aa"].critical and placed["bb"].critical
    assert not placed["cc"].critical and placed["cc"].slack_days == 275  # Apr 1 → Dec 31


def test_lower_bound_counts_what_fixed_projects_take() -> None:
    """3 FTE; a project keeping its dates takes all of them for the first 6 months, so
    the 6 staff-months of the two free projects need at least 2 more months at 3 FTE:
    bound 8. The plan runs them side by side from July for 3 months: 9."""
    data = portfolio(
        [
            {
                "id": "fixed",
                "scores": {"nutzen": 5},
                "start": "2026-01-01",
                "end": "2026-06-30",
                "effort": {"staff_fte": 3},
            },
            {"id": "aa", "scores": {"nutzen": 4}, "duration_months": 3, "effort": {"staff_fte": 1}},
            {"id": "bb", "scores": {"nutzen": 3}, "duration_months": 3, "effort": {"staff_fte": 1}},
        ]
    )
    result = make(data)
    assert [(p.project.id, p.start_date) for p in result.placed] == [
        ("fixed", dt.date(2026, 1, 1)),
        ("aa", dt.date(2026, 7, 1)),
        ("bb", dt.date(2026, 7, 1)),
    ]
    # 6 staff-months at 3 FTE free per month from July: 2 months → at least 8 months
    assert result.length_months == 9 and result.lower_bound_months == 8


def test_lower_bound_counts_budget_by_calendar_year() -> None:
    """1 M EUR a year; 1.5 M of projects cannot all be spent in 2026, so the plan
    reaches at least into January 2027 (13 months), though one chain is 2 months."""
    data = portfolio(
        [
            {
                "id": f"p{i}",
                "scores": {"nutzen": 5 - i},
                "duration_months": 2,
                "effort": {"budget_eur": 500_000},
            }
            for i in range(3)
        ]
    )
    result = make(data)
    assert result.lower_bound_months == 13
    assert result.length_months == 14  # the third waits for 2027: Jan–Feb 2027


def test_what_if_capacity_moves_projects_earlier() -> None:
    from roadmap.schedule import compare

    data = portfolio(
        [
            {
                "id": f"p{i}",
                "scores": {"nutzen": 5 - i},
                "duration_months": 6,
                "effort": {"staff_fte": 2},
            }
            for i in range(4)
        ]
    )
    base = make(data)
    earlier, gained = compare(base, make(data, capacity_scale=2.0, base=base))
    assert [e[0] for e in earlier] == ["p1", "p2", "p3"] and gained == []


# ---------------------------------------------------------------- properties


def _plan_fields(draw: Any, i: int) -> dict[str, Any]:
    project: dict[str, Any] = {
        "scores": {"nutzen": draw(st.integers(1, 5))},
        "duration_months": draw(st.integers(1, 18)),
        "effort": {
            "staff_fte": draw(st.sampled_from([0, 0.5, 1, 2])),
            "budget_eur": draw(st.sampled_from([0, 50_000, 300_000, 700_000])),
            "running_eur_per_year": draw(st.sampled_from([0, 20_000])),
        },
    }
    if draw(st.booleans()) and draw(st.booleans()):
        project["start"] = draw(st.sampled_from(["2026-01-01", "2026-07-01", "2027-03-01"]))
        # approved dates are commitments, proposed ones wishes the plan may move
        project["status"] = draw(st.sampled_from(["proposed", "approved"]))
    return project


def plans() -> st.SearchStrategy[list[dict[str, Any]]]:
    return acyclic_projects(10, _plan_fields)


PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(plans())
def test_plan_never_violates_dependencies_or_capacity(projects: list[dict[str, Any]]) -> None:
    import numpy as np

    data = portfolio(projects)
    result = make(data)
    placed = result.by_id()
    for p in result.placed:
        assert p.fixed == (p.project.start is not None and p.project.status == "approved")
        if p.fixed:
            assert p.start_date == p.project.start  # committed dates are kept
            continue
        for dep in p.project.depends_on:
            assert placed[dep].end_date < p.start_date
    # the plan places, it does not drop: nothing here is wont or gated
    assert result.unscheduled == []
    assert len(result.placed) == len(projects)
    # capacity: in every month, what the scheduler placed fits into what the
    # commitments leave; where the commitments alone exceed it, a warning names the year
    T = result.calendar.months
    fixed, moved = np.zeros(T), np.zeros(T)
    for p in result.placed:
        row = fixed if p.fixed else moved
        row[max(0, p.start) : min(T, p.end + 1)] += p.project.effort.staff_fte
    assert np.all(moved <= np.maximum(3 - fixed, 0) + 1e-9)
    over = {result.calendar.year_of(m) for m in range(T) if fixed[m] > 3 + 1e-9}
    named = {  # the message names the month of the peak ("… at once in 2026-01, …")
        f.message.split(" in ")[1].split(",")[0][:4]
        for f in result.findings
        if f.code == "capacity-exceeded" and "FTE" in f.message
    }
    assert {str(y) for y in over} == named
    if not any(p.fixed for p in result.placed):
        for use in result.years:
            assert use.budget_used <= use.budget + 1e-6
    assert result.lower_bound_months <= result.length_months


@PROPERTY
@given(plans())
def test_plan_is_deterministic(projects: list[dict[str, Any]]) -> None:
    first, second = make(portfolio(projects)), make(portfolio(list(reversed(projects))))
    assert [(p.project.id, p.start_date) for p in first.placed] == [
        (p.project.id, p.start_date) for p in second.placed
    ]


@PROPERTY
@given(plans(), st.sampled_from([1.25, 1.5, 2.0, 4.0]))
def test_more_capacity_never_delays_what_was_planned(
    projects: list[dict[str, Any]], scale: float
) -> None:
    data = portfolio(projects)
    base = make(data)
    more = make(data, capacity_scale=scale, base=base)
    before, after = base.by_id(), more.by_id()
    assert set(before) <= set(after)
    for pid, p in before.items():
        assert after[pid].end_date <= p.end_date, pid


def _critical_path_reference(network: Cpm) -> list[str]:
    """The critical path as first written (quadratic and worse): every step scans all
    critical nodes; kept to check the linear one against."""
    critical = {n for n in network.earliest_start if abs(network.slack(n)) < 1e-6}
    # only nodes on a critical chain to a node that ends when the network ends
    if critical:
        end = network.duration
        reaching = {c for c in critical if abs(network.earliest_finish[c] - end) < 1e-6}
        grown = True
        while grown:
            grown = False
            for n in critical - reaching:
                if any(
                    m in reaching
                    and abs(network.earliest_finish[n] - network.earliest_start[m]) < 1e-6
                    for m in network.successors_of(n)
                ):
                    reaching.add(n)
                    grown = True
        critical = reaching
    path: list[str] = []
    current = (
        [
            n
            for n in critical
            if abs(network.earliest_start[n] - min(network.earliest_start[c] for c in critical))
            < 1e-6
        ]
        if critical
        else []
    )
    while current:
        node = sorted(current)[0]
        path.append(node)
        current = [
            n
            for n in critical
            if n not in path
            and abs(network.earliest_finish[node] - network.earliest_start[n]) < 1e-6
            and n in network.successors_of(node)
        ]
    return path


@st.composite
def networks(
    draw: Any,
) -> tuple[dict[str, float], dict[str, list[str]], dict[str, float], dict[str, float]]:
    """Small acyclic networks (an edge only from a lower to a higher index) with ties in
    durations, some nodes pinned, some with an earliest start."""
    count = draw(st.integers(min_value=0, max_value=12))
    names = [f"n{i:02d}" for i in draw(st.permutations(range(count)))]
    # tenths do not add up exactly in binary (0.1 + 0.2 != 0.3): the tolerance counts
    durations = {n: draw(st.sampled_from([0.0, 0.1, 0.2, 0.3, 1.0, 2.0, 4.0])) for n in names}
    predecessors = {
        n: [names[k] for k in draw(st.lists(st.integers(0, i - 1), max_size=3))] if i else []
        for i, n in enumerate(names)
    }
    fixed = {n: float(draw(st.integers(0, 6))) for n in names if draw(st.integers(0, 5)) == 0}
    earliest = {n: float(draw(st.integers(0, 3))) for n in names if draw(st.booleans())}
    return durations, predecessors, earliest, fixed


@PROPERTY
@given(networks())
def test_linear_critical_path_equals_the_reference(
    network: tuple[dict[str, float], dict[str, list[str]], dict[str, float], dict[str, float]],
) -> None:
    durations, predecessors, earliest, fixed = network
    result = cpm(durations, predecessors, earliest, fixed)
    assert result.critical_path() == _critical_path_reference(result)


def test_critical_path_of_a_long_chain_and_of_many_equal_projects() -> None:
    """The shapes that took minutes: a chain of 5,000 (every node critical, one after
    the other) and 30,000 independent projects of one length (all critical: the first
    id alone is the path)."""
    ids = [f"p{i:05d}" for i in range(5000)]
    chain = cpm(dict.fromkeys(ids, 1.0), {b: [a] for a, b in itertools.pairwise(ids)})
    assert chain.critical_path() == ids
    assert chain.duration == 5000
    many = cpm({f"p{i:05d}": 3.0 for i in range(30_000)}, {})
    assert many.critical_path() == ["p00000"]


def _cpm_reference(
    durations: dict[str, float],
    predecessors: dict[str, list[str]],
    earliest: dict[str, float],
    fixed: dict[str, float],
) -> tuple[dict[str, float], ...]:
    """The forward and backward pass as first written (lists per node)."""
    from roadmap.graph import ordered_by_priority

    preds = {n: [p for p in predecessors.get(n, ()) if p in durations] for n in durations}
    order = ordered_by_priority(preds)
    successors: dict[str, list[str]] = {n: [] for n in durations}
    for n, before in preds.items():
        for p in before:
            successors[p].append(n)
    es: dict[str, float] = {}
    ef: dict[str, float] = {}
    for n in order:
        es[n] = fixed[n] if n in fixed else max([ef[p] for p in preds[n]] + [earliest.get(n, 0)])
        ef[n] = es[n] + durations[n]
    end = max(ef.values(), default=0.0)
    ls: dict[str, float] = {}
    lf: dict[str, float] = {}
    for n in reversed(order):
        lf[n] = min([ls[s] for s in successors[n]] + [end])
        ls[n] = lf[n] - durations[n]
    return es, ef, ls, lf


@PROPERTY
@given(networks())
def test_cpm_passes_equal_the_reference(
    network: tuple[dict[str, float], dict[str, list[str]], dict[str, float], dict[str, float]],
) -> None:
    result = cpm(*network)
    expected = _cpm_reference(*network)
    assert (
        result.earliest_start,
        result.earliest_finish,
        result.latest_start,
        result.latest_finish,
    ) == expected
    assert result.duration == max(expected[1].values(), default=0.0)


def test_an_on_hold_project_that_had_begun_is_replanned_whole_and_the_plan_says_so() -> None:
    from roadmap.schedule import plan
    from roadmap.score import rank

    from . import factories

    data = factories.portfolio(
        [
            {
                "id": "halb",
                "status": "on_hold",
                "start": "2026-01-01",
                "end": "2026-12-31",
                "effort": {"budget_eur": 120_000, "staff_fte": 1},
            }
        ],
        years=(2026, 2028),
        capacity=(1_000_000, 10.0),
    )
    result = plan(data, rank(data), dt.date(2026, 11, 30))
    [placed] = result.placed
    # its start is a wish now: planned again from the first month not yet spent (30
    # November is its month's last day: December), with all of its 12 months
    assert (placed.start_date, placed.months) == (dt.date(2026, 12, 1), 12)
    assert result.notes[-1] == (
        "1 project on hold that had begun planned again with the whole budget_eur and "
        "duration from the file; if part is done, write what remains: halb"
    )


# ---------------------------------------------------------------- former placement
# The scheduler finds a project's placed prerequisites and its earliest dependent per
# project (in C) instead of per dependency; the former code stays here as the reference.


def _former_mark_slack(result: Plan) -> None:
    by_id = result.by_id()
    plan_end = result.end_date
    if plan_end is None:
        return
    starts: dict[str, list[dt.date]] = {}
    for p in result.placed:
        for dep in p.project.depends_on:
            starts.setdefault(dep, []).append(p.start_date)
    for pid, p in by_id.items():
        limits = [d - dt.timedelta(days=1) for d in starts.get(pid, [])] or [plan_end]
        p.slack_days = max(0, (min(limits) - p.end_date).days)
        p.critical = p.slack_days == 0


class _FormerScheduler(schedule._Scheduler):
    def earliest(self, project: Any) -> int:
        start = self.origin
        for dep in project.depends_on:
            if dep in self.placed:
                start = max(start, self.placed[dep].end + 1)
        return start


def _plan_facts(result: Plan) -> list[tuple[Any, ...]]:
    placed = [
        (p.project.id, p.start, p.months, p.fixed, p.start_date, p.end_date, p.critical)
        for p in result.placed
    ]
    slack = [(p.slack_days, p.beyond) for p in result.placed]
    return [*placed, *slack, *((u.project.id, u.why) for u in result.unscheduled)]


@PROPERTY
@given(plans(), st.sampled_from([None, 0.5, 2.0]))
def test_plan_is_the_former_one(projects: list[dict[str, Any]], scale: float | None) -> None:
    data = portfolio(projects)
    base = make(data)
    result = make(data, capacity_scale=scale, base=base) if scale else base
    with (
        mock.patch.object(schedule, "_Scheduler", _FormerScheduler),
        mock.patch.object(schedule, "_mark_slack", _former_mark_slack),
    ):
        former_base = make(data)
        former = make(data, capacity_scale=scale, base=former_base) if scale else former_base
    assert _plan_facts(result) == _plan_facts(former)
    assert [(u.year, u.budget_used, u.staff_used) for u in result.years] == [
        (u.year, u.budget_used, u.staff_used) for u in former.years
    ]


def test_a_pinned_project_off_the_longest_chain_is_not_the_critical_path() -> None:
    """A pinned project has no slack by definition; a tester's plan named one as the
    whole critical path beside a chain 18 months longer."""
    # "next" keeps a start before "pinned" ends (dates typed as they are): pinned's
    # latest finish is next's latest start, so pinned shows no slack
    result = cpm(
        {"pinned": 60.0, "next": 18.0, "x": 40.0, "y": 38.0},
        {"pinned": [], "next": ["pinned"], "x": [], "y": ["x"]},
        {"pinned": 0.0, "next": 0.0, "x": 0.0, "y": 0.0},
        {"pinned": 0.0, "next": 33.0},
    )
    assert result.duration == 78.0 and result.slack("pinned") == 0.0
    assert result.critical_path() == ["x", "y"]


def test_a_late_pinned_dependant_does_not_make_a_pinned_project_the_path() -> None:
    """The longest chain ends in a dependant pinned to start before its prerequisite
    ends (a date typed as it is): the path is measured to the network's end."""
    result = cpm(
        {"pinned": 60.0, "next": 18.0, "x": 40.0, "y": 38.0, "z": 70.0},
        {"pinned": [], "next": ["pinned"], "x": [], "y": ["x"], "z": ["y"]},
        {"pinned": 0.0, "next": 0.0, "x": 0.0, "y": 0.0, "z": 0.0},
        {"pinned": 0.0, "next": 33.0, "z": 10.0},
    )
    assert "pinned" not in result.critical_path()
