"""What an edited file is checked against before it is written: its own problems and
what an edit of that one file can break in the portfolio."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..errors import DataError, Finding
from ..load import display_path
from .transaction import Validator

if TYPE_CHECKING:
    from ..load import LoadResult
    from ..model import Project, Strategy


def project_validator(
    data_dir: Path,
    project_id: str,
    path: Path | None = None,
    loaded: LoadResult | None = None,
) -> Validator:
    """A check of an edited project file: what an edit of this one file can break.

    That is the file's own problems, its references (strategy.yaml's ids and the
    project files that exist), and dependency cycles through it. Nothing else can
    change: the checks of other files read only ids (file names) and strategy.yaml, and
    a new cycle must pass through the edited project, so only the projects its
    ``depends_on`` reaches are read (a single edit in 30,000 projects reads a handful).
    ``loaded``: a portfolio already in memory to check against instead of the files."""
    from ..errors import Severity
    from ..load import load_project_text

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
        context = (
            _LoadedContext(loaded) if loaded is not None else _FileContext(data_dir, project_id)
        )
        _refuse_findings(project_findings_with_cycles(result.model, shown, context))

    return check


def _refuse_findings(findings: Sequence[Finding]) -> None:
    from ..errors import Severity

    messages = [f.message for f in findings if f.severity is Severity.ERROR]
    if messages:
        raise DataError(
            "the edit would make the portfolio invalid, so nothing was written: "
            + "; ".join(dict.fromkeys(messages))
        )


def project_findings_with_cycles(project: Project, shown: str, context: Context) -> list[Finding]:
    """The findings in the edited project's file: its references checked against the
    strategy and the known ids, and every dependency cycle through it (reported at its
    own ``depends_on`` entry)."""
    from ..checks import cycle_findings, project_findings
    from ..model import Portfolio

    strategy = context.strategy()
    known = context.known_ids() | {project.id}
    found = list(project_findings(project, shown, strategy, known))
    reached: dict[str, Project] = {project.id: project}
    todo = [d for d in project.depends_on if d != project.id]
    while todo:  # the projects the edited one needs, directly or not
        needed = todo.pop()
        if needed in reached:
            continue
        other = context.project(needed)
        if other is None:
            continue
        reached[needed] = other
        todo.extend(d for d in other.depends_on if d not in reached)
    if len(reached) > 1:
        around = Portfolio(
            strategy=strategy,
            projects=reached,
            project_files={pid: shown if pid == project.id else pid for pid in reached},
        )
        found += [f for f in cycle_findings(around) if f.file == shown]
    return found


class Context(Protocol):
    """What the edited project is checked against."""

    def strategy(self) -> Strategy: ...

    def known_ids(self) -> set[str]: ...

    def project(self, project_id: str) -> Project | None: ...


class _FileContext:
    """The portfolio's files, each read only when asked for."""

    def __init__(self, data_dir: Path, edited: str) -> None:
        self.data_dir = data_dir
        self.edited = edited

    def strategy(self) -> Strategy:
        from ..errors import Severity
        from ..load import load_model_file
        from ..model import Strategy

        path = self.data_dir / "strategy.yaml"
        shown = display_path(path)
        result = load_model_file(path, self.data_dir, shown, Strategy, None)
        errors = [p.located(shown) for p in result.problems if p.severity is Severity.ERROR]
        if result.model is None or errors:
            raise DataError("strategy.yaml has errors; fix them first (roadmap validate)", errors)
        strategy: Strategy = result.model
        return strategy

    def known_ids(self) -> set[str]:
        """The stems of the entries load.project_files lists, as names: 30,000 Path
        objects would cost most of an edit."""
        try:
            entries = os.scandir(self.data_dir / "projects")
        except OSError:
            return set()
        with entries:
            return {
                entry.name.rsplit(".", 1)[0]
                for entry in entries
                if entry.name.endswith((".yaml", ".yml")) and not entry.name.startswith(".")
            }

    def project(self, project_id: str) -> Project | None:
        """A valid project's model; None for an invalid or missing file (the full
        validation leaves those out of the dependency graph too)."""
        from ..errors import Severity
        from ..load import load_model_file
        from ..model import Project

        folder = self.data_dir / "projects"
        for suffix in (".yaml", ".yml"):
            path = folder / f"{project_id}{suffix}"
            if path.is_file():
                result = load_model_file(path, self.data_dir, display_path(path), Project, None)
                bad = any(p.severity is Severity.ERROR for p in result.problems)
                model: Project | None = result.model
                return model if model is not None and not bad and model.id == project_id else None
        return None


class _LoadedContext:
    """A portfolio already loaded."""

    def __init__(self, loaded: LoadResult) -> None:
        if loaded.portfolio is None:
            raise DataError(
                "strategy.yaml has errors; fix them first (roadmap validate)", loaded.problems
            )
        self.portfolio = loaded.portfolio
        self.ids = loaded.known_ids

    def strategy(self) -> Strategy:
        return self.portfolio.strategy

    def known_ids(self) -> set[str]:
        return self.ids | set(self.portfolio.projects)

    def project(self, project_id: str) -> Project | None:
        return self.portfolio.projects.get(project_id)


def strategy_validator(data_dir: Path, whole_portfolio: bool = False) -> Validator:
    """A check of an edited strategy.yaml; with ``whole_portfolio`` also the projects
    against it (a narrower score range can put their scores out of range): the errors
    the edit adds are refused, not those the portfolio had already."""
    from ..cache import default_cache_dir
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
        loaded = load_portfolio(data_dir, default_cache_dir())
        if loaded.portfolio is None:
            return

        def errors_with(strategy: Strategy) -> list[Finding]:
            assert loaded.portfolio is not None
            portfolio = loaded.portfolio.model_copy(update={"strategy": strategy})
            return [
                f
                for f in portfolio_findings(portfolio, loaded.known_ids)
                if f.severity is Severity.ERROR
            ]

        findings = errors_with(result.model)
        if findings:
            had = set(errors_with(loaded.portfolio.strategy))
            findings = [f for f in findings if f not in had]
        if findings:
            located = locate_findings(findings)
            raise DataError(
                "the edit would make the portfolio invalid, so nothing was written: "
                + "; ".join(str(p) for p in located[:5])
                + (f" (and {len(located) - 5} more)" if len(located) > 5 else ""),
                located,
            )

    return check
