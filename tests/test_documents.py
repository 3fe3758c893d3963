"""The typed documents: built once, in the JSON order SPEC.md fixes, read by every
formatter; and the library functions the CLI calls instead of computing itself."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any, get_type_hints

from roadmap.bundle import explain_pair, similar_to, synonyms_of
from roadmap.errors import Problem, Severity
from roadmap.kpi import all_kpis
from roadmap.load import load_portfolio
from roadmap.model import Project
from roadmap.present import documents
from roadmap.present.documents import (
    RankingDocument,
    RankingItem,
    capacity_per_year,
    kpi_document,
    kpi_rows,
    plan_document,
    ranking_document,
    year_row,
)
from roadmap.present.report_view import attention
from roadmap.present.terminal import RANKING_COLUMNS, ranking_table
from roadmap.present.text import RANKING_CSV_COLUMNS, ranking_csv
from roadmap.schedule import plan, what_if
from roadmap.score import rank, robustness

from . import factories
from .conftest import ROOT

TODAY = dt.date(2026, 1, 1)
CRITERIA = [
    {"id": "nutzen", "title": "Nutzen", "scale": [1, 5]},
    {"id": "pflicht", "title": "Pflicht", "scale": [1, 5]},
]


def _example() -> Any:
    loaded = load_portfolio(ROOT / "data")
    assert loaded.portfolio is not None
    return loaded.portfolio


def test_ranking_document_has_the_typed_keys_in_json_order() -> None:
    data = factories.portfolio(
        [{"id": "aa", "scores": {"nutzen": 5, "pflicht": 1}}, {"id": "bb", "depends_on": ["aa"]}],
        criteria=CRITERIA,
        pairwise={"nutzen": {"pflicht": 3}},
    )
    ranking = rank(data)
    robustness(data, ranking, 20, 0, 1)
    document = ranking_document(ranking, seed=0)
    assert list(document) == list(get_type_hints(RankingDocument))
    assert list(document["projects"][0]) == list(get_type_hints(RankingItem))
    assert document["consistency_ratio"] == 0.0
    assert document["robustness"] == {"draws": 20, "top": 1, "seed": 0}


def test_without_pairwise_or_draws_the_optional_keys_are_absent() -> None:
    data = factories.portfolio([{"id": "aa"}], criteria=CRITERIA)
    document = ranking_document(rank(data))
    assert "consistency_ratio" not in document and "robustness" not in document
    assert "p_top" not in document["projects"][0]
    assert document["projects"][0]["missing_scores"] == ["nutzen", "pflicht"]


def test_every_ranking_column_reads_the_document() -> None:
    document = ranking_document(rank(_example()))
    item = document["projects"][0]
    assert [c.header for c in RANKING_COLUMNS][:3] == ["#", "id", "title"]
    assert [c.cell(item) for c in RANKING_COLUMNS][:2] == ["1", "e-wohnsitzanmeldung"]
    assert [name for name, _ in RANKING_CSV_COLUMNS][:2] == ["rank", "id"]
    table, sheet = io.StringIO(), io.StringIO()
    ranking_table(document, table)
    ranking_csv(document, sheet)
    assert "\n 1  e-wohnsitzanmeldung " in table.getvalue()
    assert sheet.getvalue().splitlines()[1].startswith("1,e-wohnsitzanmeldung,")


def test_plan_and_optimize_share_one_year_row() -> None:
    assert year_row(1234.5678, 2000.0, 1.23456, 3.0) == {
        "budget_used": 1234.57,
        "budget": 2000.0,
        "staff_used": 1.235,
        "staff": 3.0,
    }
    data = factories.portfolio(
        [{"id": "aa", "duration_months": 6, "effort": {"budget_eur": 120_000, "staff_fte": 1}}],
        capacity=(1_000_000, 3),
    )
    years = capacity_per_year(plan(data, rank(data), TODAY).years)
    assert list(years) == ["2026", "2027", "2028"]
    assert years["2026"] == {
        "budget_used": 120_000.0,
        "budget": 1_000_000.0,
        "staff_used": 1.0,
        "staff": 3.0,
    }


def test_what_if_lists_what_moves_earlier_and_what_becomes_plannable() -> None:
    projects = [
        {"id": f"p{i}", "scores": {"nutzen": 5 - i}, "duration_months": 12}
        | {"effort": {"staff_fte": 2}}
        for i in range(3)
    ]
    data = factories.portfolio(projects, years=(2026, 2027), capacity=(1_000_000, 2))
    ranking = rank(data)
    same, nothing = what_if(data, ranking, TODAY)
    assert nothing is None and "what_if" not in plan_document(same)
    more, change = what_if(data, ranking, TODAY, 2.0)
    assert change is not None
    document = plan_document(more, change)
    assert document["what_if"]["capacity_scale"] == 2.0
    assert document["what_if"]["earlier"] == [
        {"id": "p1", "from": "2027-01-01", "to": "2026-01-01"}
    ]
    assert document["what_if"]["schedulable"] == ["p2"]


def test_kpi_rows_keep_exact_values_and_round_only_in_json() -> None:
    rows = kpi_rows(all_kpis(_example()))
    with_progress = next(r for r in rows if r.progress is not None)
    item = kpi_document([with_progress])["kpis"][0]
    assert item["progress_pct"] == round(with_progress.progress or 0, 1)
    assert item["latest"] == {
        "value": with_progress.latest,
        "date": with_progress.latest_date.isoformat(),
    }
    assert json.loads(json.dumps(item)) == item
    assert kpi_rows(all_kpis(_example()), ["no_such_status"]) == []


def test_similar_to_scores_like_explain_pair_with_one_model() -> None:
    portfolio = _example()
    candidate = Project.model_validate({"id": "neu", "title": "Einführung der E-Akte"})
    found = similar_to(candidate, portfolio, threshold=0.0)
    others = list(portfolio.projects.values())  # done ones too: "already done"
    assert len(found) == len(others)
    expected = {
        o.id: explain_pair([candidate, *others], "neu", o.id, synonyms_of(portfolio)).score
        for o in others
    }
    assert {p.id: score for score, p in found} == expected
    assert found[0][1].id == "e-akte"
    assert [score for score, _ in found] == sorted(expected.values(), reverse=True)


def test_attention_lists_policy_violations_then_missed_deadlines() -> None:
    data = factories.portfolio(
        [{"id": "late", "duration_months": 12, "deadline": "2026-06-30"}], capacity=(1e6, 3)
    )
    warnings = [
        Problem("projects/x.yaml", 3, 1, Severity.WARNING, "stale", "not changed for a year"),
        Problem("projects/y.yaml", 1, 1, Severity.WARNING, "policy-owner-required", "no owner"),
    ]
    result = plan(data, rank(data), TODAY)
    assert [p.code for p in attention(warnings, result)] == [
        "policy-owner-required",
        "deadline-missed",
    ]


def test_the_documents_module_builds_no_output() -> None:
    source = (ROOT / "src" / "roadmap" / "present" / "documents.py").read_text()
    assert "print(" not in source and "write(" not in source
    assert documents.__doc__ and "To add a column" in documents.__doc__
