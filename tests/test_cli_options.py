"""The CLI's choices come from where the values are defined."""

from __future__ import annotations

import inspect
from typing import get_args

import pytest

from roadmap import model
from roadmap.cli import options
from roadmap.errors import UsageError
from roadmap.present import registry

from .conftest import Cli


def test_status_and_method_choices_are_the_models_values() -> None:
    assert [s.value for s in options.Status] == list(get_args(model.Status))
    assert [m.value for m in options.Method] == list(get_args(model.ScoringMethod))


@pytest.mark.parametrize(
    ("choice", "formats"),
    [
        (options.RankingFormat, registry.RANKING_FORMATS),
        (options.ExplainFormat, registry.EXPLANATION_FORMATS),
        (options.PlanFormat, registry.PLAN_FORMATS),
        (options.SelectionFormat, registry.SELECTION_FORMATS),
        (options.GraphFormat, registry.GRAPH_FORMATS),
        (options.BundleFormat, registry.BUNDLE_FORMATS),
        (options.KpiFormat, registry.KPI_FORMATS),
        (options.ReportFormat, registry.REPORT_FORMATS),
        (options.ExportFormat, registry.EXPORT_FORMATS),
    ],
)
def test_format_choices_are_the_registrys_names(choice: type, formats: dict[str, object]) -> None:
    assert [c.value for c in choice] == list(formats)  # type: ignore[attr-defined]


def test_validate_offers_auto_and_every_problem_format() -> None:
    assert [c.value for c in options.ProblemFormat] == ["auto", *registry.PROBLEM_FORMATS]


def test_every_registered_formatter_exists() -> None:
    kinds = [
        registry.PROBLEM_FORMATS,
        registry.RANKING_FORMATS,
        registry.EXPLANATION_FORMATS,
        registry.PLAN_FORMATS,
        registry.BUNDLE_FORMATS,
        registry.PAIR_FORMATS,
        registry.SELECTION_FORMATS,
        registry.KPI_FORMATS,
        registry.GRAPH_FORMATS,
        registry.EXPORT_FORMATS,
    ]
    for formats in kinds:
        for formatter in formats.values():
            assert inspect.isfunction(formatter.resolve()), formatter


def test_a_format_outside_the_registry_is_a_usage_error(cli: Cli) -> None:
    result = cli("plan", "-f", "xml")
    assert result.exit_code == 2
    assert "'xml' is not one of 'table', 'json', 'md'" in result.stderr


def test_year_values_name_the_option_and_an_example() -> None:
    assert options.year_values(["2027=3_000_000", "2028=1.5"], "--budget") == {
        2027: 3_000_000.0,
        2028: 1.5,
    }
    with pytest.raises(UsageError) as raised:
        options.year_values(["2027:3"], "--staff")
    assert str(raised.value) == "--staff 2027:3: expected YEAR=NUMBER, e.g. --staff 2027=3000000"
