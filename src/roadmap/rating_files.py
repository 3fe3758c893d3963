"""Raters' files ``ratings/<rater>.yaml`` beside ``projects/``, and the spreadsheet form a
rater fills in and sends back.

A rater's file holds that rater's scores per project and criterion (any subset) and,
optionally, their pairwise comparisons of the criteria::

    name: Amt 33 Bürgerservice
    scores:
      e-akte: {citizen_value: 4, risk: 2}
    pairwise:
      citizen_value: {risk: 3}

Every problem is located by file, line and column: unknown project or criterion (with a
did-you-mean), a score outside its criterion's scale, incomplete or contradicting
comparisons, a rater who rated nothing; inconsistent comparisons are a warning naming
the rater (checks.rater_pairwise_findings). The spreadsheet form is rating_sheets.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Finding, Problem, Severity, UsageError
from .model import KEY_ID_PATTERN, Portfolio, RaterFile

if TYPE_CHECKING:
    from .cache import Cache

FOLDER = "ratings"


def check_rater(rater: str) -> None:
    """A rater's name is the stem of their file: an id."""
    if not re.match(KEY_ID_PATTERN, rater):
        raise UsageError(
            f"--rater {rater!r}: a rater's name is the name of their file ratings/NAME.yaml: "
            "lower-case letters, digits, '_' and '-', e.g. amt-33"
        )


def rating_paths(data_dir: Path) -> list[Path]:
    """Every ``*.yaml``/``*.yml`` entry of ``ratings/`` (none when there is no folder)."""
    folder = data_dir / FOLDER
    if not folder.is_dir():
        return []
    names = sorted(
        entry.name
        for entry in os.scandir(folder)
        if entry.name.endswith((".yaml", ".yml")) and not entry.name.startswith(".")
    )
    return [folder / name for name in names]


@dataclass
class LoadedRatings:
    raters: dict[str, RaterFile] = field(default_factory=dict)  # the valid files only
    files: dict[str, str] = field(default_factory=dict)  # rater → file as shown
    problems: list[Problem] = field(default_factory=list)


# further checks of one valid rater's file: (model, file, rater, criterion ids) →
# findings; checks.py gives the comparisons' (it may use the scorer, which this may not)
MoreChecks = Callable[[RaterFile, str, str, Sequence[str]], Iterable[Finding]]


def load_ratings(
    data_dir: Path,
    portfolio: Portfolio,
    more: MoreChecks | None = None,
    cache: Cache | None = None,
) -> LoadedRatings:
    """Read and check every rater's file against the portfolio (each file's own problems
    through the portfolio's content-keyed cache; the checks against the portfolio run
    every time)."""
    from .load import display_path, load_model_file, locate_findings

    loaded = LoadedRatings()
    for path in rating_paths(data_dir):
        shown = display_path(path)
        rater = path.stem
        if rater in loaded.files:
            loaded.problems.append(
                Problem(
                    shown, 1, 1, Severity.ERROR, "duplicate-rater",
                    f"rater {rater!r} has a file already: {loaded.files[rater]}; keep one",
                )
            )  # fmt: skip
            continue
        result = load_model_file(path, data_dir, shown, RaterFile, cache)
        problems = [p.located(shown) for p in result.problems] + _name_problems(rater, shown)
        model: RaterFile | None = result.model
        if model is not None:
            problems += locate_findings(_findings(model, shown, rater, portfolio, more))
        loaded.problems += problems
        if model is not None and not any(p.is_error for p in problems):
            loaded.raters[rater] = model
            loaded.files[rater] = shown
    if cache is not None:
        cache.save()
    return loaded


def _name_problems(rater: str, shown: str) -> list[Problem]:
    if re.match(KEY_ID_PATTERN, rater):
        return []
    return [
        Problem(
            shown, 1, 1, Severity.ERROR, "invalid-rater",
            f"{rater!r} is not a rater's name; rename the file to lower-case letters, "
            "digits, '_' and '-', e.g. amt-33.yaml",
        )
    ]  # fmt: skip


def _findings(
    model: RaterFile, shown: str, rater: str, portfolio: Portfolio, more: MoreChecks | None
) -> list[Finding]:
    findings = list(rater_findings(model, shown, rater, portfolio))
    if more is not None and not any(f.path[:1] == ("pairwise",) for f in findings):
        findings += more(model, shown, rater, [c.id for c in portfolio.strategy.criteria])
    return findings


def check_rater_text(
    text: str, shown: str, rater: str, portfolio: Portfolio, more: MoreChecks | None = None
) -> tuple[RaterFile | None, list[Problem]]:
    """One rater's file given as text (an edit before it is written): its model (None
    when its shape is wrong) and every problem."""
    from .load import load_model_text, locate, node_tree

    result = load_model_text(text, shown, RaterFile)
    problems = [p.located(shown) for p in result.problems] + _name_problems(rater, shown)
    model: RaterFile | None = result.model
    if model is not None:
        findings = _findings(model, shown, rater, portfolio, more)
        node = node_tree(text) if findings else None  # composed again only to locate
        for f in findings:
            line, column = locate(node, f.path, f.at_key)
            problems.append(Problem(shown, line, column, f.severity, f.code, f.message))
    return model, problems


def scale_text(low: float, high: float) -> str:
    return f"{low:g}–{high:g}"


def rater_findings(
    model: RaterFile, file: str, rater: str, portfolio: Portfolio
) -> Iterator[Finding]:
    """References and scales of one rater's file; its comparisons' completeness and
    consistency are checked by checks.rater_pairwise_findings."""
    from .load import did_you_mean

    criteria = {c.id: c for c in portfolio.strategy.criteria}
    for project_id, scores in model.scores.items():
        if project_id not in portfolio.projects:
            yield Finding(
                file, ("scores", project_id), Severity.ERROR, "unknown-project",
                f"scores: no project {project_id!r}"
                f"{did_you_mean(project_id, portfolio.projects)}",
                at_key=True,
            )  # fmt: skip
            continue
        for criterion_id, value in scores.items():
            where = ("scores", project_id, criterion_id)
            criterion = criteria.get(criterion_id)
            if criterion is None:
                yield Finding(
                    file, where, Severity.ERROR, "unknown-criterion",
                    f"scores.{project_id}: no criterion {criterion_id!r}"
                    f"{did_you_mean(criterion_id, criteria)}; criteria: "
                    f"{', '.join(criteria) or 'none in strategy.yaml'}",
                    at_key=True,
                )  # fmt: skip
                continue
            low, high = criterion.scale
            if not low <= value <= high:
                yield Finding(
                    file, where, Severity.ERROR, "score-out-of-scale",
                    f"scores.{project_id}.{criterion_id}: {value:g} is outside the scale "
                    f"{scale_text(low, high)} of {criterion_id}; give a number from {low:g} to "
                    f"{high:g}",
                )  # fmt: skip
                continue
    if model.pairwise:
        for row, columns in model.pairwise.items():
            for name, path in [(row, ("pairwise", row))] + [
                (col, ("pairwise", row, col)) for col in columns
            ]:
                if name not in criteria:
                    yield Finding(
                        file, path, Severity.ERROR, "unknown-criterion",
                        f"pairwise: no criterion {name!r}{did_you_mean(name, criteria)}",
                        at_key=True,
                    )  # fmt: skip
    if not any(model.scores.values()) and not model.pairwise:
        yield Finding(
            file, (), Severity.WARNING, "rated-nothing",
            f"rater {rater} has rated nothing: give scores (project: {{criterion: number}}) "
            "or pairwise comparisons, or remove the file",
        )  # fmt: skip
