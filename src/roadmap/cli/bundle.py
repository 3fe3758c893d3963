"""``bundle``: projects to merge or run as one program, each bundle with its evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import check_project, reports_errors, show, valid_portfolio
from .options import (
    BundleFormat,
    DataOption,
    LangOption,
    NoCacheOption,
    OutOption,
    RunContext,
    complete_project_id,
    document_language,
)
from .progress import shows_progress, stage

# bundle's options
_Threshold = Annotated[
    float | None,
    typer.Option(
        "--threshold",
        "-t",
        min=0.0,
        max=1.0,
        help="Suggest pairs scoring at least this "
        "(0..1); default: bundling.threshold of strategy.yaml.",
        show_default=False,
    ),
]
_Explain = Annotated[
    tuple[str, str] | None,
    typer.Option(
        "--explain",
        metavar="A B",
        autocompletion=complete_project_id,
        help="Show every signal for the pair A, B instead.",
        show_default=False,
    ),
]
_IncludeClosed = Annotated[bool, typer.Option("--all", help="Include done and cancelled projects.")]
_BundleFormatOption = Annotated[BundleFormat, typer.Option("--format", "-f")]


@reports_errors
@shows_progress
def bundle(
    data: DataOption = Path("data"),
    threshold: _Threshold = None,
    explain: _Explain = None,
    include_closed: _IncludeClosed = False,
    format: _BundleFormatOption = BundleFormat("table"),
    lang: LangOption = None,
    out: OutOption = None,
    no_cache: NoCacheOption = False,
) -> int:
    """Suggest projects to merge or run as one program, each bundle with its evidence.

    Signals per pair: text similarity (German-aware), shared service keys, tags,
    goals, target groups, program and dependencies. Pairs marked distinct_from are
    never suggested. Bundles stay cohesive: every member is similar to every other."""
    from ..bundle import explain_pair, suggest, synonyms_of
    from ..present.documents import bundle_document, pair_document
    from ..present.registry import BUNDLE_FORMATS, PAIR_FORMATS

    run = RunContext.of(data, no_cache, format=format)
    portfolio = valid_portfolio(run)
    if explain is not None:
        for pid in explain:
            check_project(portfolio, pid, "--explain")
        # the same projects as the suggestions, so that the numbers agree
        projects = [
            p
            for _, p in sorted(portfolio.projects.items())
            if include_closed or p.is_open or p.id in explain
        ]
        stage("comparing the pair")
        document = pair_document(explain_pair(projects, *explain, synonyms_of(portfolio)))
        language = document_language(lang, portfolio.strategy.language, run.format)
        show(PAIR_FORMATS[run.format], document, out=out, lang=language)
        return 0
    stage("bundling")
    found, used = suggest(portfolio, threshold, include_closed)
    titles = {p.id: p.title for p in portfolio.projects.values()}
    # a table for the terminal's language, Markdown in the strategy's
    language = document_language(lang, portfolio.strategy.language, run.format)
    show(BUNDLE_FORMATS[run.format], bundle_document(found, used, titles), out=out, lang=language)
    return 0
