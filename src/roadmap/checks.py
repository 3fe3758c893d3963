"""Checks across files: references, cycles, dates, scales and the strategy's policies.

Every check is a pure function of the portfolio returning findings; :func:`validate`
runs the loader and all checks and gives located problems.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

from .check_kpis import (
    FAR_FUTURE_YEARS,
    duplicates,
    far_future,
    kpi_findings,
    stale_kpi_findings,
)
from .check_policies import (
    POLICY_MESSAGES,
    policy_findings,
    stale_project_findings,
)
from .check_references import StrategyRefs, reference_findings, strategy_refs
from .check_strategy import MAX_GOAL_LEVELS, strategy_findings
from .errors import Finding, Problem, ScoringError, Severity, say
from .load import (
    LoadResult,
    Suggester,
    did_you_mean,
    gc_paused,
    load_portfolio,
    locate_findings,
)
from .model import Portfolio, Project, RaterFile, Strategy

# the checks split into modules of their own, importable from here as before
__all__ = [
    "FAR_FUTURE_YEARS",
    "MAX_GOAL_LEVELS",
    "POLICY_MESSAGES",
    "policy_findings",
    "portfolio_findings",
    "project_findings",
    "stale_kpi_findings",
    "stale_project_findings",
    "strategy_findings",
    "validate",
]


def project_findings(
    project: Project,
    file: str,
    strategy: Strategy,
    known_ids: set[str],
    partial: bool = False,
    today: dt.date | None = None,
    suggest_project: Suggester | None = None,
) -> Iterator[Finding]:
    """Checks of one project against the strategy and the other project ids. For a
    ``partial`` model (the valid keys of an invalid file) only what is present is
    checked: a missing score or owner may just be a key with an error. ``today`` adds
    the checks of dates in the future; ``suggest_project`` is the index of
    ``known_ids`` for "did you mean", built once per portfolio."""
    p, s = project, strategy
    refs = strategy_refs(s)
    if suggest_project is None:
        suggest_project = Suggester(known_ids)
    yield from reference_findings(p, file, refs, known_ids, suggest_project)
    yield from _score_findings(p, file, refs, partial, s.scoring.missing_scores)
    yield from _date_findings(p, file, s, today)
    yield from kpi_findings(file, (), p.kpis, s.period.end)
    if not partial and p.is_open and not (p.effort.budget_eur or p.effort.staff_fte):
        yield Finding(
            file,
            ("effort",) if "effort" in p.model_fields_set else (),
            Severity.WARNING,
            "effort-missing",
            say(
                "problem:effort-missing",
                "no budget and no staff: an estimate is missing (optimize does not fund the "
                "project and the plan marks it); add effort: {example}",
                example="{budget_eur: …, staff_fte: …}",
            ),
        )
    spent = p.effort.spent_eur
    if not partial and spent is not None and spent > p.effort.budget_eur:
        yield Finding(
            file,
            ("effort", "spent_eur"),
            Severity.WARNING,
            "spent-over-budget",
            say(
                "problem:spent-over-budget",
                "spent_eur {spent_eur} is more than budget_eur {budget_eur}: nothing is left "
                "to plan; raise budget_eur to what the project costs in all",
                spent_eur=float(spent),
                budget_eur=float(p.effort.budget_eur),
            ),
        )
    if today is not None:
        yield from stale_project_findings(p, file, today)
        yield from stale_kpi_findings(file, (), p.kpis, today, s.kpi_stale_after_months)
    if not partial:
        yield from policy_findings(p, file, s)


def _score_findings(
    p: Project, file: str, refs: StrategyRefs, partial: bool, missing_counts_as: str
) -> Iterator[Finding]:
    """Scores for criteria that exist, within their scales; a missing score (and what
    the scorer counts it as: scoring.missing_scores)."""
    criteria = refs.criteria
    for cid, value in p.scores.items():
        criterion = criteria.get(cid)
        if criterion is None:
            yield Finding(
                file,
                ("scores", cid),
                Severity.ERROR,
                "unknown-criterion",
                say(
                    "problem:unknown-criterion",
                    "scores: no criterion {name} in strategy.yaml{suggestion}",
                    name=repr(cid),
                    suggestion=did_you_mean(cid, criteria),
                ),
                at_key=True,
            )
            continue
        low, high = criterion.scale
        values = value if isinstance(value, list) else [value]
        if isinstance(value, list) and value[0] > value[1]:
            yield Finding(
                file,
                ("scores", cid),
                Severity.ERROR,
                "invalid-range",
                f"scores.{cid}: range [{value[0]:g}, {value[1]:g}] must be [low, high]",
            )
        elif any(not low <= v <= high for v in values):
            shown = f"[{value[0]:g}, {value[1]:g}]" if isinstance(value, list) else f"{value:g}"
            yield Finding(
                file,
                ("scores", cid),
                Severity.ERROR,
                "score-out-of-scale",
                f"scores.{cid}: {shown} lies outside the scale [{low:g}, {high:g}] "
                f"of criterion {cid!r}",
            )
    if p.is_open and not partial:
        missing = [c for c in criteria if c not in p.scores]
        if missing:
            yield Finding(
                file,
                ("scores",) if p.scores else (),
                Severity.WARNING,
                "missing-score",
                missing_score_message(missing, missing_counts_as),
                at_key=True,
            )


def missing_score_message(missing: Sequence[str], missing_counts_as: str) -> str:
    """What the missing-score warning says: which criteria, and what the scorer counts."""
    if missing_counts_as == "minimum":
        counted = say("problem:missing-score", "score as the scale's minimum")
    else:
        counted = say(
            "problem:missing-score",
            "score as its criterion's worst value (scoring.missing_scores)",
        )
    return say(
        "problem:missing-score",
        "no score for {ids}; prioritize counts a missing {counted}",
        ids=list(missing),
        counted=counted,
    )


def _far_future_due(file: str, index: int, milestone: str, due: dt.date) -> Finding:
    """A milestone due more than FAR_FUTURE_YEARS after the period: a typo in the year."""
    return Finding(
        file,
        ("milestones", index, "due"),
        Severity.WARNING,
        "date-far-future",
        say(
            "problem:date-far-future-milestone",
            "milestone {name} is due {due}, more than {limit} years after the "
            "strategy's period; a typo in the year?",
            name=repr(milestone),
            due=due,
            limit=FAR_FUTURE_YEARS,
        ),
    )


def _date_findings(p: Project, file: str, s: Strategy, today: dt.date | None) -> Iterator[Finding]:
    """The project's dates in order; its milestones unique, consistent and plausible.
    Long (about 65 lines) as a flat list of independent checks, each with its message
    written out for the catalog extractor."""
    if p.start and p.end and p.end < p.start:
        yield Finding(
            file,
            ("end",),
            Severity.ERROR,
            "end-before-start",
            say(
                "problem:end-before-start",
                "end {end} is before start {start}; end must be on or after start",
                end=p.end,
                start=p.start,
            ),
        )
    yield from duplicates(file, ((i, m.id) for i, m in enumerate(p.milestones)), "milestones")
    for i, m in enumerate(p.milestones):
        if m.done_on is not None and m.status != "done":
            yield Finding(
                file,
                ("milestones", i, "status"),
                Severity.WARNING,
                "milestone-status",
                say(
                    "problem:milestone-status",
                    "milestone {name} has done_on {done_on} but status {state}; set status: done",
                    name=repr(m.id),
                    done_on=m.done_on,
                    state=repr(m.status),
                ),
            )
        if m.done_on is not None and today is not None and m.done_on > today:
            yield Finding(
                file,
                ("milestones", i, "done_on"),
                Severity.WARNING,
                "milestone-done-in-future",
                say(
                    "problem:milestone-done-in-future",
                    "milestone {name} is marked done on {done_on}, after today ({today}); "
                    "set done_on when it is reached",
                    name=repr(m.id),
                    done_on=m.done_on,
                    today=today,
                ),
            )
        if far_future(m.due, s.period.end):
            yield _far_future_due(file, i, m.id, m.due)
        if p.start and m.due < p.start:
            yield Finding(
                file,
                ("milestones", i, "due"),
                Severity.WARNING,
                "milestone-dates",
                say(
                    "problem:milestone-dates",
                    "milestone {name} is due {due}, before the project starts ({start})",
                    name=repr(m.id),
                    due=m.due,
                    start=p.start,
                ),
            )


def _has_cycle(portfolio: Portfolio) -> bool:
    """Quick answer from the standard library, so that a portfolio without cycles
    (the usual case) does not pay for importing networkx."""
    import graphlib

    sorter = graphlib.TopologicalSorter(
        {
            p.id: [d for d in p.depends_on if d in portfolio.projects and d != p.id]
            for p in portfolio.projects.values()
        }
    )
    try:
        sorter.prepare()
    except graphlib.CycleError:
        return True
    return False


def cycle_findings(portfolio: Portfolio) -> Iterator[Finding]:
    if not _has_cycle(portfolio):
        return
    from .graph import dependency_graph, find_cycles  # networkx is slow to import

    for cycle in find_cycles(dependency_graph(portfolio)):
        shown = " → ".join([*cycle, cycle[0]])
        for position, needed in enumerate(cycle):
            needer = cycle[(position + 1) % len(cycle)]
            project = portfolio.projects[needer]
            index = project.depends_on.index(needed)
            yield Finding(
                portfolio.file_of(needer),
                ("depends_on", index),
                Severity.ERROR,
                "dependency-cycle",
                f"dependency cycle: {shown} (each needs the one before it); "
                "remove one of these depends_on entries",
            )


def scoring_findings(strategy: Strategy, file: str) -> Iterator[Finding]:
    """Weights that cannot be derived are errors; inconsistent AHP judgments a warning."""
    from .errors import ScoringError
    from .score import CONSISTENCY_LIMIT, criterion_weights

    try:
        weights = criterion_weights(strategy)
    except ScoringError as exc:
        # a whole section (pairwise:, criteria:) is reported at its key
        yield Finding(
            file, exc.path, Severity.ERROR, "invalid-weights", str(exc), at_key=len(exc.path) == 1
        )
        return
    if weights.ahp and weights.ahp.consistency_ratio > CONSISTENCY_LIMIT:
        yield Finding(
            file,
            ("pairwise",),
            Severity.WARNING,
            "ahp-inconsistent",
            f"pairwise comparisons are inconsistent: consistency ratio "
            f"{weights.ahp.consistency_ratio:.3f} > {CONSISTENCY_LIMIT}; revise "
            "the judgments that contradict each other",
            at_key=True,
        )


def decision_findings(portfolio: Portfolio) -> Iterator[Finding]:
    """A project cannot be done if the committee decided against one it needs."""
    for project in portfolio.projects.values():
        if project.decision == "wont" or not project.is_open:
            continue
        for i, dep in enumerate(project.depends_on):
            needed = portfolio.projects.get(dep)
            if needed is not None and needed.decision == "wont" and needed.is_open:
                yield Finding(
                    portfolio.file_of(project.id),
                    ("depends_on", i),
                    Severity.WARNING,
                    "depends-on-wont",
                    say(
                        "problem:depends-on-wont",
                        "depends_on[{i}]: {name} is decided 'wont'; this project cannot be "
                        "done without it (decide both, or drop the dependency)",
                        i=i,
                        name=repr(dep),
                    ),
                )


def portfolio_findings(
    portfolio: Portfolio,
    known_ids: set[str],
    partials: dict[str, tuple[Project, str]] | None = None,
    today: dt.date | None = None,
) -> list[Finding]:
    """Every check; ``partials`` (the valid part of invalid files) get the per-project
    checks too, so one run reports a wrong reference next to a schema error. ``today``
    adds the checks of dates in the future."""
    strategy = portfolio.strategy
    findings = list(strategy_findings(strategy, portfolio.strategy_file))
    findings += scoring_findings(strategy, portfolio.strategy_file)
    findings += decision_findings(portfolio)
    if today is not None:
        for i, goal in enumerate(strategy.goals):
            findings += stale_kpi_findings(
                portfolio.strategy_file,
                ("goals", i),
                goal.kpis,
                today,
                strategy.kpi_stale_after_months,
            )
    known = known_ids | set(portfolio.projects)
    suggest = Suggester(known)
    for project in portfolio.projects.values():
        findings += project_findings(
            project, portfolio.file_of(project.id), strategy, known, False, today, suggest
        )
    for project, file in (partials or {}).values():
        findings += project_findings(project, file, strategy, known, True, today, suggest)
    findings += cycle_findings(portfolio)
    return findings


def validate(
    data_dir: Path, cache_dir: Path | None = None, today: dt.date | None = None
) -> tuple[LoadResult, list[Problem]]:
    """Load the portfolio and run every check; every problem of every file, sorted.
    When no file changed since the last run, the checks across files come from the
    cache too (keyed by every file's content). ``today`` (default: the real date) is
    the day the staleness checks compare with."""
    today = today or dt.date.today()
    loaded = load_portfolio(data_dir, cache_dir, today)
    problems = list(loaded.problems)
    if loaded.portfolio is not None:
        # the staleness checks depend on the day as well as the content
        key = f"{loaded.content_key} {today.isoformat()}"
        found = loaded.cache.derived("findings", key) if loaded.cache else None
        if found is None:
            with gc_paused():
                found = locate_findings(
                    portfolio_findings(loaded.portfolio, loaded.known_ids, loaded.partials, today)
                )
            if loaded.cache:
                loaded.cache.store_derived("findings", key, found)
        problems += found
        problems += _with_ratings(data_dir, loaded)
        problems = without_rated_gaps(problems, loaded.portfolio)
    return loaded, sorted(set(problems))


def rater_pairwise_findings(
    model: RaterFile, file: str, rater: str, criteria: Sequence[str]
) -> Iterator[Finding]:
    """A rater's comparisons: every pair once, reciprocal, and consistent (a warning
    naming the rater: the group's weights still use them)."""
    from .score import CONSISTENCY_LIMIT, ahp

    if not model.pairwise:
        return
    comparisons = {row: dict(columns) for row, columns in model.pairwise.items()}
    try:
        found = ahp(criteria, comparisons)
    except ScoringError as exc:
        yield Finding(file, exc.path, Severity.ERROR, "invalid-pairwise", str(exc))
        return
    if found.consistency_ratio > CONSISTENCY_LIMIT:
        yield Finding(
            file, ("pairwise",), Severity.WARNING, "inconsistent-rater",
            f"rater {rater}'s comparisons are inconsistent: consistency ratio "
            f"{found.consistency_ratio:.2f} > {CONSISTENCY_LIMIT:.2f}; revise them (the "
            "group's weights still use them)",
            at_key=True,
        )  # fmt: skip


def _with_ratings(data_dir: Path, loaded: LoadResult) -> list[Problem]:
    """The raters' files of ``ratings/``, if the folder exists: checked, and the valid
    ones attached to the portfolio (rating_files.py)."""
    if loaded.portfolio is None or not (data_dir / "ratings").is_dir():
        return []
    from .rating_files import load_ratings

    rated = load_ratings(data_dir, loaded.portfolio, rater_pairwise_findings, loaded.cache)
    if rated.raters:
        loaded.portfolio = loaded.portfolio.model_copy(
            update={"ratings": rated.raters, "rating_files": rated.files}
        )
    return rated.problems


def without_rated_gaps(problems: list[Problem], portfolio: Portfolio | None) -> list[Problem]:
    """The missing-score warnings less what the raters' files score: a criterion some
    rater scored for the project is not missing (the ranking uses the group's score);
    a warning whose criteria all are rated goes."""
    if portfolio is None or not portfolio.ratings:
        return problems
    rated: dict[str, set[str]] = {}
    for rater in portfolio.ratings.values():
        for rated_id, scores in rater.scores.items():
            rated.setdefault(rated_id, set()).update(scores)
    rule = portfolio.strategy.scoring.missing_scores
    kept = []
    for problem in problems:
        project = portfolio.projects.get(Path(problem.file).stem)
        if problem.code != "missing-score" or project is None or project.id not in rated:
            kept.append(problem)
            continue
        missing = [
            c.id
            for c in portfolio.strategy.criteria
            if c.id not in project.scores and c.id not in rated[project.id]
        ]
        if missing:
            kept.append(dataclasses.replace(problem, message=missing_score_message(missing, rule)))
    return kept
