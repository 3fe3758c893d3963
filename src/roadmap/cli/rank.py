"""``prioritize`` and ``explain``: the ranking, and why one project has its place."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import check_fields, check_project, reports_errors, show, valid_portfolio
from .options import (
    DataOption,
    ExplainFormat,
    LangOption,
    MethodOption,
    NoCacheOption,
    OutOption,
    PullOption,
    RankingFormat,
    RunContext,
    SeedOption,
    StatusOption,
    chosen,
    chosen_all,
    complete_field_id,
    complete_project_id,
    document_language,
    seed_of,
)
from .progress import shows_progress, stage
from .words import say


def check_draws(draws: int, projects: int | None = None) -> None:
    """``--robustness``: at most robustness.MAX_DRAWS draws, and (once the ranking is
    known) no more than its ranks fit in memory (robustness.draws_limit)."""
    from ..errors import UsageError
    from ..robustness import MAX_DRAWS, draws_limit

    limit = MAX_DRAWS if projects is None else draws_limit(projects)
    if draws > limit:
        why = (
            f" for {projects:,} ranked projects (every draw's ranks are kept in memory)"
            if limit < MAX_DRAWS and projects is not None
            else ""
        )
        raise UsageError(f"--robustness {draws}: at most {limit:,} draws{why}")


# prioritize's options
_Top = Annotated[
    int | None,
    typer.Option(
        "--top",
        "-n",
        min=1,
        help="Show the first N projects (and, with --robustness, "
        "count P(rank ≤ N)); default: all, P(top 10).",
        show_default=False,
    ),
]
_Field = Annotated[
    list[str] | None,
    typer.Option(
        "--field",
        autocompletion=complete_field_id,
        help="Show only projects of this field of action (repeatable); ranks "
        "are renumbered, overall_rank keeps the place in the whole ranking.",
        show_default=False,
    ),
]
_Robustness = Annotated[
    int,
    typer.Option(
        "--robustness",
        "-r",
        min=0,
        help="Re-rank N times with weights drawn around the "
        "given ones (and scores inside their ranges); adds rank 5–95 % and P(top). "
        "At most 100,000 draws (fewer in portfolios of over 1,000 projects).",
    ),
]
_RankingFormatOption = Annotated[
    RankingFormat,
    typer.Option("--format", "-f", help="table for people, json/csv for programs, md for reports."),
]


@reports_errors
@shows_progress
def prioritize(
    data: DataOption = Path("data"),
    method: MethodOption = None,
    top: _Top = None,
    field: _Field = None,
    status: StatusOption = None,
    robustness: _Robustness = 0,
    seed: SeedOption = "0",
    pull: PullOption = None,
    format: _RankingFormatOption = RankingFormat("table"),
    lang: LangOption = None,
    out: OutOption = None,
    no_cache: NoCacheOption = False,
) -> int:
    """Rank the portfolio: committee decisions first, then score, prerequisites first.

    Each project's own score comes from its criteria scores and the weights (or the
    WSJF block); a prerequisite is pulled up to the best score of the projects that
    need it. Exit 1 when the data has errors."""
    from ..present.documents import ranking_document
    from ..present.registry import RANKING_FORMATS
    from ..score import rank
    from ..score import robustness as run_robustness

    run = RunContext.of(data, no_cache, format=format)
    seed_number = seed_of(seed)
    check_draws(robustness)
    portfolio = valid_portfolio(run)
    check_fields(portfolio, field or [])
    stage("ranking")
    ranking = rank(portfolio, chosen(method), chosen_all(status), pull)
    check_draws(robustness, len(ranking.entries))
    if robustness:
        stage("robustness: {n} draws", n=robustness)
        run_robustness(portfolio, ranking, robustness, seed_number, top or 10)
    document = ranking_document(ranking, field or [], top, seed_number if robustness else None)
    language = document_language(lang, portfolio.strategy.language, run.format)
    show(RANKING_FORMATS[run.format], document, out=out, lang=language)
    return 0


# explain's own options
_ExplainRobustness = Annotated[
    int,
    typer.Option(
        "--robustness",
        "-r",
        min=0,
        help="Draws of the weights for the rank interval (0: off; at most 100,000).",
    ),
]
_ExplainTop = Annotated[
    int, typer.Option("--top", "-n", min=1, help="The top N that P(top) counts.")
]


@reports_errors
@shows_progress
def explain(
    project_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="The project's id.", autocompletion=complete_project_id),
    ],
    data: DataOption = Path("data"),
    method: MethodOption = None,
    status: StatusOption = None,
    robustness: _ExplainRobustness = 1000,
    top: _ExplainTop = 10,
    seed: SeedOption = "0",
    pull: PullOption = None,
    format: Annotated[ExplainFormat, typer.Option("--format", "-f")] = ExplainFormat("table"),
    lang: LangOption = None,
    out: OutOption = None,
    no_cache: NoCacheOption = False,
) -> int:
    """Why a project has its score and rank: weights, each criterion's raw value,
    normalized value and contribution, what pulls it up, its decision band, how stable
    its rank is, and which single score change would move it up one rank."""
    from ..errors import UsageError
    from ..graph import dependents_of
    from ..present.documents import explanation_document
    from ..present.registry import EXPLANATION_FORMATS
    from ..score import levers, rank
    from ..score import robustness as run_robustness

    run = RunContext.of(data, no_cache, format=format)
    seed_number = seed_of(seed)
    check_draws(robustness)
    portfolio = valid_portfolio(run)
    check_project(portfolio, project_id)
    stage("ranking")
    ranking = rank(portfolio, chosen(method), chosen_all(status), pull)
    check_draws(robustness, len(ranking.entries))
    if project_id not in ranking.by_id():
        state = portfolio.projects[project_id].status
        wrong = say("usage", "{id} has status {status}, which is not ranked; add --status {state}")
        raise UsageError(wrong.format(id=project_id, status=repr(state), state=state))
    if robustness:
        stage("robustness: {n} draws", n=robustness)
        run_robustness(portfolio, ranking, robustness, seed_number, top)
    found, no_lever = levers(portfolio, ranking, project_id)
    dependents = dependents_of(portfolio, project_id)
    document = explanation_document(ranking, project_id, found, no_lever, dependents)
    if portfolio.ratings:
        from ..present.documents import rater_contributions

        document["raters"] = rater_contributions(portfolio, project_id)
    language = document_language(lang, portfolio.strategy.language, run.format)
    show(EXPLANATION_FORMATS[run.format], document, out=out, lang=language)
    return 0
