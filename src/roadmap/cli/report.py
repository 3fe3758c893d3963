"""``report``, ``export`` and ``kpi``: the committee's roadmap, the roadmap for other
programs, and the KPIs against their targets."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .common import emit, reports_errors, show, valid_portfolio, validated
from .options import (
    DataOption,
    ExportFormat,
    KpiFormat,
    LangOption,
    NoCacheOption,
    OutOption,
    ReportFormat,
    RunContext,
    TodayOption,
    document_language,
)
from .progress import shows_progress, stage
from .words import say, terminal_language

if TYPE_CHECKING:
    from ..model import Portfolio


@reports_errors
@shows_progress
def kpi(
    data: DataOption = Path("data"),
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            "-s",
            help="Only KPIs with this status: on_track, at_risk, off_track, no_data (repeatable).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[KpiFormat, typer.Option("--format", "-f")] = KpiFormat("table"),
    out: OutOption = None,
    no_cache: NoCacheOption = False,
) -> int:
    """Every KPI of goals and projects: baseline, latest value, target, progress, linear
    trend, forecast at the target date and a status (✔ on_track, ⚠ at_risk, ✘ off_track,
    – no_data): on track if the target is met or the forecast meets it, at risk if the
    forecast reaches 80 % of the planned change, otherwise off track."""
    from ..kpi import SYMBOLS, all_kpis
    from ..present.documents import kpi_rows
    from ..present.output import validate_choice
    from ..present.registry import KPI_FORMATS

    run = RunContext.of(data, no_cache, format=format)
    language = terminal_language()
    wanted = [validate_choice(s, SYMBOLS, "--status", language) for s in status or []]
    rows = kpi_rows(all_kpis(valid_portfolio(run)), wanted)
    show(KPI_FORMATS[run.format], rows, out=out, lang=terminal_language())
    return 0


@reports_errors
@shows_progress
def export(
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="csv (projects with rank, score, plan dates), ics "
            "(milestones and deadlines), json (the whole computed roadmap), tjp "
            "(a TaskJuggler 3 project of what the plan considers), xlsx (a workbook "
            "to edit and send back to roadmap import; needs --out).",
        ),
    ],
    data: DataOption = Path("data"),
    out: OutOption = None,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel", help="CSV for German Excel: UTF-8 with BOM, ';' and decimal comma."
        ),
    ] = False,
    today: TodayOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
) -> int:
    """Export the roadmap for spreadsheets, calendars or other programs."""
    from ..present.registry import EXPORT_FORMATS

    run = RunContext.of(data, no_cache, today, format)
    portfolio = valid_portfolio(run)
    stage("ranking and planning")
    language = document_language(lang, portfolio.strategy.language)
    document = EXPORT_FORMATS[run.format](portfolio, run.today, excel, language)
    if isinstance(document, bytes) and (out is None or str(out) == "-") and sys.stdout.isatty():
        from ..errors import UsageError

        raise UsageError(
            say("usage", "a workbook is no text for the terminal; give --out FILE.xlsx")
        )
    emit(document, out)
    return 0


# report's options
_ReportFormatOption = Annotated[
    ReportFormat,
    typer.Option(
        "--format",
        "-f",
        help="md (renders on GitHub/GitLab), html (one self-contained file: inline "
        "SVG timeline, no scripts, prints on A4) or pdf (tagged A4 PDF from the HTML, "
        "needs --out FILE).",
    ),
]
_ReviewPeriod = Annotated[
    str | None,
    typer.Option(
        "--period",
        help="The quarter to review, e.g. 2026-Q3; default: the current one.",
        show_default=False,
    ),
]
_Template = Annotated[
    str | None,
    typer.Option(
        "--template",
        metavar="FILE",
        help="Your own Jinja template (runs in the sandbox; - reads standard input).",
        show_default=False,
    ),
]
_Since = Annotated[
    str | None,
    typer.Option(
        "--since",
        help="A git revision (e.g. the tag of the last committee meeting): add what "
        "changed since then, read from git.",
        show_default=False,
    ),
]
_ReportTop = Annotated[
    int,
    typer.Option(
        "--top", "-n", min=1, help="Projects in the body's ranking; all are in the annex."
    ),
]
_Frontier = Annotated[
    bool,
    typer.Option(
        "--frontier",
        help="Add the optimizer's frontier: the value fundable at 50 % to 200 % of the budget.",
    ),
]


@reports_errors
@shows_progress
def report(
    data: DataOption = Path("data"),
    format: _ReportFormatOption = ReportFormat("md"),
    lang: LangOption = None,
    period: _ReviewPeriod = None,
    template: _Template = None,
    out: OutOption = None,
    since: _Since = None,
    top: _ReportTop = 15,
    frontier: _Frontier = False,
    today: TodayOption = None,
    no_cache: NoCacheOption = False,
) -> int:
    """The committee's roadmap in Markdown or HTML: vision, goal tree with KPIs,
    portfolio overview, ranking, schedule (Mermaid gantt or SVG timeline), capacity,
    milestones of the quarter and the next, KPIs, bundles, what needs attention, and
    with --since what changed since the last meeting."""
    from ..errors import UsageError
    from ..present.report import load_template, render_report
    from ..present.report_extra import changes_section
    from ..present.report_local import quarter
    from ..present.report_view import roadmap_view

    run = RunContext.of(data, no_cache, today, format, lang)
    if run.format == "pdf" and (out is None or str(out) == "-") and sys.stdout.isatty():
        raise UsageError(
            say("usage", "a PDF needs --out FILE (or standard output redirected to a file)")
        )
    source = load_template(template, run.format)  # a usage error before any work
    day = run.today
    window = quarter(period or f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    loaded, warnings = validated(run)
    assert loaded.portfolio is not None  # validated() guarantees it
    language = run.language or loaded.portfolio.strategy.language
    if language not in ("de", "en"):
        raise UsageError(say("usage", "--lang {lang}: use de or en").format(lang=language))
    stage("ranking and planning")
    from ..present.pdf import TIMELINE_ROWS

    rows = TIMELINE_ROWS if run.format == "pdf" else None
    view, ranking = roadmap_view(loaded, warnings, language, day, window, top, rows)
    if since is not None:
        view["changes"] = changes_section(data, since, loaded.portfolio, ranking, language)
    if frontier:
        view["frontier"] = _frontier_section(loaded.portfolio, day, language)
    text = render_report(view, source, run.format)
    if run.format == "pdf":
        from ..present.pdf import render_pdf

        stage("laying out the PDF")
        emit(render_pdf(text, language, str(view["title"]), str(view["generated"])), out)
        return 0
    emit(text, out)
    return 0


def _frontier_section(portfolio: Portfolio, day: datetime.date, language: str) -> dict[str, Any]:
    """``--frontier``: the value fundable at 50 % to 200 % of the budget, as the report
    shows it."""
    from ..optimize import build
    from ..optimize import frontier as solve_frontier
    from ..present.report_extra import frontier_view

    problem = build(portfolio, day)
    scales = [round(0.5 + 0.1 * k, 2) for k in range(16)]
    return frontier_view(solve_frontier(problem, scales), portfolio, language)
