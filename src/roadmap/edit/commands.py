"""The edits behind ``set``, ``record``, ``add`` and ``criterion``: each resolves its
positions under the folder lock and applies its changes as one transaction."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataError, PathPart, UsageError
from ..load import display_path
from ..yamlsplice import refuse_unwritable
from .assignments import parse_assignment, parse_range, parse_value
from .document import Document
from .transaction import Change, apply
from .validators import project_validator, strategy_validator


def check_project_id(project_id: str) -> None:
    """Refuse what is not a project id (a path, a trailing newline, upper case)."""
    from ..model import PROJECT_ID_PATTERN

    if not re.fullmatch(PROJECT_ID_PATTERN.strip("^$"), project_id):
        raise UsageError(
            f"{project_id!r} is not a valid id: use lower-case letters, digits "
            "and hyphens, 2–64 characters, e.g. e-akte"
        )


def project_path(data_dir: Path, project_id: str) -> Path:
    """The file of an existing project (``.yaml`` or ``.yml``)."""
    from ..load import did_you_mean, project_files

    check_project_id(project_id)
    folder = data_dir / "projects"
    found = [folder / f"{project_id}{suffix}" for suffix in (".yaml", ".yml")]
    existing = [p for p in found if p.exists() or p.is_symlink()]
    if len(existing) == 2:
        raise UsageError(
            f"both {project_id}.yaml and {project_id}.yml exist in "
            f"{display_path(folder)}; keep one of them"
        )
    if not existing:
        known = [p.stem for p in project_files(data_dir)]
        raise UsageError(f"no project {project_id!r}{did_you_mean(project_id, known)}")
    return existing[0]


def index_of(items: Sequence[Any], wanted: str, what: str, owner: str) -> int:
    from ..load import did_you_mean

    ids = [item.get("id") if isinstance(item, dict) else None for item in items]
    if wanted not in ids:
        known = [str(i) for i in ids if i]
        raise UsageError(
            f"{owner} has no {what} {wanted!r}{did_you_mean(wanted, known)}"
            f"{'; ' + what + 's: ' + ', '.join(known) if known else ''}"
        )
    return ids.index(wanted)


@dataclass(frozen=True)
class EditResult:
    """What an edit did: the file, its unified diff (empty: the file already said so)
    and whether it was written."""

    path: Path
    diff: str
    written: bool


def _result(path: Path, diff: str, dry_run: bool) -> EditResult:
    return EditResult(path, diff, bool(diff) and not dry_run)


def set_fields(
    data_dir: Path,
    project_id: str,
    assignments: Sequence[str],
    *,
    dry_run: bool = False,
    force: bool = False,
) -> EditResult:
    """``roadmap set ID KEY=VALUE…``: change fields of a project file losslessly.

    Raises UsageError (bad id, key or value; read-only or foreign file), DataError (the
    file has a YAML problem, carried in ``problems``; or the edit would make the
    portfolio invalid)."""
    from ..model import Project

    path = project_path(data_dir, project_id)
    changes = [parse_assignment(a, list(Project.model_fields)) for a in assignments]
    if not changes:
        raise UsageError("say what to set, e.g. status=approved")

    def checked(document: Document) -> list[Change]:
        _refuse_repeated_items(document.data(), changes)
        return changes

    validator = project_validator(data_dir, project_id, path)
    diff = apply(path, checked, validator, dry_run, force=force)
    return _result(path, diff, dry_run)


def _refuse_repeated_items(data: Any, changes: Sequence[Change]) -> None:
    """``depends_on+=x`` when the list (or an earlier change) names x already: a second
    entry would mean nothing, so nothing is written."""
    added: set[tuple[tuple[PathPart, ...], Any]] = set()
    for change in changes:
        if change.kind != "append":
            continue
        listed = _items(data, str(change.path[0])) if len(change.path) == 1 else []
        if change.value in listed or (change.path, change.value) in added:
            shown = ".".join(map(str, change.path))
            raise UsageError(f"{shown} lists {change.value!r} already; nothing was changed")
        added.add((change.path, change.value))


def measured_value(value: float | int) -> int | float:
    """A measurement as written: whole numbers as integers (40, not 40.0) while they are
    exact, large ones stay floats (1e308, not a 309-digit integer)."""
    if isinstance(value, bool):
        raise UsageError("a measurement is a number, not true or false")
    refuse_unwritable(value, "value")
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def record_measurement(
    data_dir: Path,
    owner_id: str,
    kpi_id: str,
    value: float | int,
    day: dt.date,
    *,
    dry_run: bool = False,
    force: bool = False,
) -> EditResult:
    """``roadmap record kpi``: append ``{date, value}`` to the measurements of a
    project's KPI, or of a goal's KPI in strategy.yaml when no project has that id.
    The KPI is looked up under the folder lock, in the text being edited.

    Raises UsageError (no such project, goal or KPI; bad value), DataError (a YAML
    problem in the file; a second measurement on that date)."""
    measured = measured_value(value)
    entry = {"date": day, "value": measured}
    if re.fullmatch(r"[a-z0-9][a-z0-9-]{1,63}", owner_id):
        folder = data_dir / "projects"
        if any((folder / f"{owner_id}{s}").exists() for s in (".yaml", ".yml")):
            path = project_path(data_dir, owner_id)

            def in_project(document: Document) -> list[Change]:
                kpis = _items(document.data(), "kpis")
                k = index_of(kpis, kpi_id, "KPI", owner_id)
                _refuse_second_measurement(kpis[k], day, f"{owner_id}/{kpi_id}")
                return [Change("append", ("kpis", k, "measurements"), entry)]

            validator = project_validator(data_dir, owner_id, path)
            diff = apply(path, in_project, validator, dry_run, force=force)
            return _result(path, diff, dry_run)
    strategy = data_dir / "strategy.yaml"
    if not strategy.is_file():
        raise UsageError(f"no strategy.yaml in {display_path(data_dir)}")

    def in_strategy(document: Document) -> list[Change]:
        goals = _items(document.data(), "goals")
        if owner_id not in [g.get("id") for g in goals if isinstance(g, dict)]:
            from ..load import did_you_mean, project_files

            known = [p.stem for p in project_files(data_dir)] + [
                str(g.get("id")) for g in goals if isinstance(g, dict)
            ]
            raise UsageError(f"no project or goal {owner_id!r}{did_you_mean(owner_id, known)}")
        g = index_of(goals, owner_id, "goal", "strategy.yaml")
        kpis = _items(goals[g], "kpis")
        k = index_of(kpis, kpi_id, "KPI", owner_id)
        _refuse_second_measurement(kpis[k], day, f"{owner_id}/{kpi_id}")
        return [Change("append", ("goals", g, "kpis", k, "measurements"), entry)]

    diff = apply(strategy, in_strategy, strategy_validator(data_dir), dry_run, force=force)
    return _result(strategy, diff, dry_run)


def _refuse_second_measurement(kpi: Any, day: dt.date, shown: str) -> None:
    """A KPI has one value per date: a second one would make the file invalid."""
    if any(
        isinstance(m, dict) and str(m.get("date")) == day.isoformat()
        for m in _items(kpi, "measurements")
    ):
        raise DataError(
            f"{shown} would have two measurements on {day.isoformat()}, so nothing was "
            "written; give another --date or correct that value in the file"
        )


def _items(data: Any, key: str) -> list[Any]:
    items = data.get(key) if isinstance(data, dict) else None
    return items if isinstance(items, list) else []


def record_milestone(
    data_dir: Path,
    project_id: str,
    milestone_id: str,
    day: dt.date,
    *,
    dry_run: bool = False,
    force: bool = False,
) -> EditResult:
    """``roadmap record milestone ID M --done``: status done, done_on the date. The
    milestone is looked up under the folder lock.

    Raises UsageError (no such project or milestone), DataError (YAML problem; the
    result would be invalid)."""
    path = project_path(data_dir, project_id)

    def plan(document: Document) -> list[Change]:
        milestones = _items(document.data(), "milestones")
        m = index_of(milestones, milestone_id, "milestone", project_id)
        return [
            Change("set", ("milestones", m, "status"), "done"),
            Change("set", ("milestones", m, "done_on"), day),
        ]

    diff = apply(path, plan, project_validator(data_dir, project_id, path), dry_run, force=force)
    return _result(path, diff, dry_run)


def add_item(
    data_dir: Path,
    owner: str,
    key: str,
    item: dict[str, Any],
    *,
    dry_run: bool = False,
    force: bool = False,
) -> EditResult:
    """``roadmap add milestone|kpi``: append ``item`` to the ``key`` list (milestones,
    kpis) of a project, or of a goal in strategy.yaml when ``owner`` is ``goal:ID``.
    Refuses an id the list already has."""

    def appended(items: list[Any], where: tuple[PathPart, ...], whose: str) -> list[Change]:
        ids = [i.get("id") for i in items if isinstance(i, dict)]
        if item["id"] in ids:
            raise UsageError(f"{whose} has a {key[:-1]} {item['id']!r} already; choose --id")
        return [Change("append", (*where, key), item)]

    if owner.startswith("goal:"):
        goal = owner.removeprefix("goal:")
        path = data_dir / "strategy.yaml"

        def in_goal(document: Document) -> list[Change]:
            goals = _items(document.data(), "goals")
            g = index_of(goals, goal, "goal", "strategy.yaml")
            return appended(_items(goals[g], key), ("goals", g), f"goal {goal}")

        diff = apply(path, in_goal, strategy_validator(data_dir), dry_run, force=force)
        return _result(path, diff, dry_run)
    path = project_path(data_dir, owner)

    def in_project(document: Document) -> list[Change]:
        return appended(_items(document.data(), key), (), owner)

    diff = apply(path, in_project, project_validator(data_dir, owner, path), dry_run, force=force)
    return _result(path, diff, dry_run)


def set_criterion(
    data_dir: Path,
    criterion_id: str,
    assignments: Sequence[str],
    *,
    dry_run: bool = False,
    force: bool = False,
) -> EditResult:
    """Change a criterion in strategy.yaml: ``scale=1..10`` (or ``[1, 10]``),
    ``weight=2``, ``direction=cost``, ``title=…``, ``gate=2``. The projects' scores are
    checked against the new range before anything is written."""
    allowed = ("scale", "weight", "direction", "title", "description", "gate")
    parsed: list[tuple[str, Any]] = []
    for assignment in assignments:
        key, sep, raw = assignment.partition("=")
        if not sep or key not in allowed:
            raise UsageError(
                f"{assignment!r}: expected one of {', '.join(k + '=…' for k in allowed)}"
            )
        parsed.append((key, parse_range(raw, key) if key == "scale" else parse_value(raw, key)))
    if not parsed:
        raise UsageError("say what to set, e.g. scale=1..10")
    path = data_dir / "strategy.yaml"

    def plan(document: Document) -> list[Change]:
        criteria = _items(document.data(), "criteria")
        c = index_of(criteria, criterion_id, "criterion", "strategy.yaml")
        return [Change("set", ("criteria", c, key), value) for key, value in parsed]

    validator = strategy_validator(data_dir, whole_portfolio=True)
    diff = apply(path, plan, validator, dry_run, force=force)
    return _result(path, diff, dry_run)
