"""``add``: milestones, KPIs and dependencies added without writing YAML."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .common import report_edit, reports_errors
from .options import (
    DataOption,
    DryRunOption,
    ForceOption,
    complete_kpi_owner,
    complete_project_id,
)
from .words import say

if TYPE_CHECKING:
    pass


add_app = typer.Typer(
    help="Add a milestone, a KPI or a dependency without writing YAML.", no_args_is_help=True
)


def _day(text: str, option: str) -> datetime.date:
    from ..errors import UsageError
    from ..spreadsheet import CellValueError, read_date

    try:
        return read_date(text)
    except CellValueError as exc:
        raise UsageError(f"{option} {exc.problem}; {exc.hint}") from None


def _value_at(text: str, option: str) -> dict[str, object]:
    """`40,5@31.12.2027` → {value: 40.5, date: 2027-12-31}."""
    from ..edit import measured_value
    from ..errors import UsageError
    from ..spreadsheet import CellValueError, read_number

    value, at, day = text.partition("@")
    if not at:
        wrong = say("usage", "{option} {text}: write VALUE@DATE, e.g. 40,5@31.12.2027")
        raise UsageError(wrong.format(option=option, text=text))
    try:
        number = read_number(value)
    except CellValueError as exc:
        raise UsageError(f"{option} {exc.problem}; {exc.hint}") from None
    return {"value": measured_value(number), "date": _day(day, option)}


@reports_errors
def add_milestone(
    project_id: Annotated[
        str,
        typer.Argument(
            metavar="PROJECT", help="The project's id.", autocompletion=complete_project_id
        ),
    ],
    title: Annotated[str, typer.Option("--title", help="What is reached.")],
    due: Annotated[str, typer.Option("--due", help="Due date: 31.03.2027 or 2027-03-31.")],
    milestone_id: Annotated[
        str | None,
        typer.Option("--id", help="Default: made from the title.", show_default=False),
    ] = None,
    data: DataOption = Path("data"),
    dry_run: DryRunOption = False,
    force: ForceOption = False,
) -> int:
    """Append a milestone to a project, keeping every other byte of its file."""
    from ..edit import add_item

    item = {"id": milestone_id or _key_id(title), "title": title, "due": _day(due, "--due")}
    result = add_item(data, project_id, "milestones", item, dry_run=dry_run, force=force)
    report_edit(result.path, result.diff, dry_run)
    return 0


@reports_errors
def add_kpi(
    owner_id: Annotated[
        str,
        typer.Argument(
            metavar="PROJECT",
            help="A project id, or goal:ID for a goal's KPI.",
            autocompletion=complete_kpi_owner,
        ),
    ],
    title: Annotated[str, typer.Option("--title", help="What is measured.")],
    baseline: Annotated[str, typer.Option("--baseline", help="VALUE@DATE, e.g. 12@31.12.2025.")],
    target: Annotated[str, typer.Option("--target", help="VALUE@DATE, e.g. 40,5@31.12.2027.")],
    unit: Annotated[str, typer.Option("--unit", help="e.g. Prozent, Vorgänge.")] = "",
    decrease: Annotated[
        bool, typer.Option("--decrease", help="Less is better (e.g. waiting time).")
    ] = False,
    kpi_id: Annotated[
        str | None,
        typer.Option("--id", help="Default: made from the title.", show_default=False),
    ] = None,
    data: DataOption = Path("data"),
    dry_run: DryRunOption = False,
    force: ForceOption = False,
) -> int:
    """Add a KPI with baseline and target to a project (or to a goal: goal:ID)."""
    from ..edit import add_item

    item = {
        "id": kpi_id or _key_id(title),
        "title": title,
        "unit": unit,
        "direction": "decrease" if decrease else "increase",
        "baseline": _value_at(baseline, "--baseline"),
        "target": _value_at(target, "--target"),
    }
    result = add_item(data, owner_id, "kpis", item, dry_run=dry_run, force=force)
    report_edit(result.path, result.diff, dry_run)
    return 0


@reports_errors
def add_dependency(
    project_id: Annotated[
        str,
        typer.Argument(
            metavar="PROJECT", help="The dependent project.", autocompletion=complete_project_id
        ),
    ],
    prerequisite: Annotated[
        str,
        typer.Argument(
            metavar="PREREQUISITE",
            help="The project it depends on.",
            autocompletion=complete_project_id,
        ),
    ],
    data: DataOption = Path("data"),
    dry_run: DryRunOption = False,
    force: ForceOption = False,
) -> int:
    """PROJECT depends on PREREQUISITE (refused if that makes a cycle)."""
    from ..edit import set_fields

    result = set_fields(
        data, project_id, [f"depends_on+={prerequisite}"], dry_run=dry_run, force=force
    )
    report_edit(result.path, result.diff, dry_run)
    return 0


def _key_id(title: str) -> str:
    from ..importer import slug

    return slug(title, 40)
