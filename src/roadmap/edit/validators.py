"""What an edited file is checked against before it is written: its own problems and
what an edit of that one file can break in the portfolio."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError
from ..load import display_path
from .transaction import Validator

if TYPE_CHECKING:
    from ..load import LoadResult


def project_validator(
    data_dir: Path,
    project_id: str,
    path: Path | None = None,
    loaded: LoadResult | None = None,
) -> Validator:
    """A check of an edited project file: its own problems, its references against the
    portfolio, and the dependency cycles with it in place. Only what an edit of this one
    file can break is checked, over the portfolio as the validation cache has it (a
    single edit in 30,000 projects must not re-read them all)."""
    from ..cache import default_cache_dir
    from ..checks import cycle_findings, project_findings
    from ..errors import Severity
    from ..load import load_portfolio, load_project_text, locate_findings

    path = path or data_dir / "projects" / f"{project_id}.yaml"
    shown = display_path(path)

    def check(text: str) -> None:
        result = load_project_text(text, shown, project_id)
        errors = [p.located(shown) for p in result.problems if p.severity is Severity.ERROR]
        if errors:
            raise DataError(
                "the edit would make the file invalid, so nothing was written: "
                + "; ".join(f"line {p.line}: {p.message}" for p in errors),
                errors,
            )
        base = loaded or load_portfolio(data_dir, default_cache_dir())
        if base.portfolio is None:
            raise DataError(
                "strategy.yaml has errors; fix them first (roadmap validate)", base.problems
            )
        portfolio = base.portfolio.model_copy(
            update={
                "projects": {**base.portfolio.projects, project_id: result.model},
                "project_files": {**base.portfolio.project_files, project_id: shown},
            }
        )
        known = base.known_ids | {project_id}
        found = project_findings(result.model, shown, portfolio.strategy, known)
        findings = [
            f
            for f in [*found, *cycle_findings(portfolio)]
            if f.severity is Severity.ERROR and (f.file == shown or f.code == "dependency-cycle")
        ]
        if findings:
            located = locate_findings([f for f in findings if f.file != shown])
            messages = [f.message for f in findings if f.file == shown] + [str(p) for p in located]
            raise DataError(
                "the edit would make the portfolio invalid, so nothing was "
                "written: " + "; ".join(dict.fromkeys(messages)),
                located,
            )

    return check


def strategy_validator(data_dir: Path, whole_portfolio: bool = False) -> Validator:
    """A check of an edited strategy.yaml; with ``whole_portfolio`` also the projects
    against it (a narrower score range can put their scores out of range)."""
    from ..checks import portfolio_findings
    from ..errors import Severity
    from ..load import load_portfolio, load_strategy_text, locate_findings

    shown = display_path(data_dir / "strategy.yaml")

    def check(text: str) -> None:
        result = load_strategy_text(text, shown)
        errors = [p.located(shown) for p in result.problems if p.severity is Severity.ERROR]
        if errors:
            raise DataError(
                "the edit would make strategy.yaml invalid, so nothing was "
                "written: " + "; ".join(f"line {p.line}: {p.message}" for p in errors),
                errors,
            )
        if not whole_portfolio:
            return
        loaded = load_portfolio(data_dir)
        if loaded.portfolio is None:
            return
        portfolio = loaded.portfolio.model_copy(update={"strategy": result.model})
        findings = [
            f
            for f in portfolio_findings(portfolio, loaded.known_ids)
            if f.severity is Severity.ERROR
        ]
        if findings:
            located = locate_findings(findings)
            raise DataError(
                "the edit would make the portfolio invalid, so nothing was written: "
                + "; ".join(str(p) for p in located[:5])
                + (f" (and {len(located) - 5} more)" if len(located) > 5 else ""),
                located,
            )

    return check
