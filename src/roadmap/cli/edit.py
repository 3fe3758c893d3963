"""``new``, ``set`` and ``record``: edits of the YAML files that keep every other byte."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .common import report_edit, reports_errors, validated
from .options import (
    DataOption,
    DateOption,
    DryRunOption,
    ForceOption,
    RunContext,
    Status,
    complete_assignment,
    complete_field_id,
    complete_owner_id,
    complete_project_id,
    day_of,
)
from .words import did_you_mean, say, terminal_language

if TYPE_CHECKING:
    from ..model import Project


# new's options
_ProjectId = Annotated[
    str,
    typer.Argument(metavar="ID", help="The new project's id: lower-case letters, digits, hyphens."),
]
_Title = Annotated[str | None, typer.Option("--title", show_default=False)]
_Field = Annotated[
    str | None,
    typer.Option("--field", show_default=False, autocompletion=complete_field_id),
]
_Department = Annotated[str | None, typer.Option("--department", show_default=False)]
_Owner = Annotated[str | None, typer.Option("--owner", show_default=False)]
_Status = Annotated[Status, typer.Option("--status")]
_Yes = Annotated[
    bool, typer.Option("--yes", "-y", help="Create it even if similar projects exist.")
]


@reports_errors
def new(
    project_id: _ProjectId,
    title: _Title = None,
    field: _Field = None,
    department: _Department = None,
    owner: _Owner = None,
    status: _Status = Status("idea"),
    yes: _Yes = False,
    data: DataOption = Path("data"),
    dry_run: DryRunOption = False,
) -> int:
    """Create projects/ID.yaml with helpful comments for the optional parts. In a
    terminal it asks for what is missing. Shows existing projects that look like the
    new one first: duplicates are cheapest to stop when they are entered."""
    from ..edit import create_project, new_project_path, new_project_text, similar_projects
    from ..errors import UsageError
    from ..load import display_path
    from ..present.i18n import pgettext

    new_project_path(data, project_id)  # a bad id or an existing file: before any question
    loaded, _ = validated(RunContext.of(data))  # once: the similarity and the check
    portfolio = loaded.portfolio
    assert portfolio is not None  # validated() guarantees it
    interactive = sys.stdin.isatty()
    fields = [f.id for f in portfolio.strategy.fields]
    if title is None:
        if not interactive:
            raise UsageError(say("usage", "--title is required"))
        title = typer.prompt(say("new", "Title"))
    if field is None and interactive and fields:
        asked = say("new", "Field of action ({fields})").format(fields=", ".join(fields))
        field = typer.prompt(asked, default=fields[0])
    if field is not None and field not in fields:
        wrong = say("usage", "--field {name}: no such field{suggestion}")
        raise UsageError(wrong.format(name=field, suggestion=did_you_mean(field, fields)))
    if owner is None and interactive:
        asked = say("new", "Owner (responsible person)")
        owner = typer.prompt(asked, default="", show_default=False) or None
    if department is None and interactive:
        asked = say("new", "Department")
        department = typer.prompt(asked, default="", show_default=False) or None
    criteria = [(c.id, f"{c.scale[0]:g}–{c.scale[1]:g}") for c in portfolio.strategy.criteria]
    words = functools.partial(pgettext, portfolio.strategy.language)  # the file's comments
    text = new_project_text(
        project_id, title, criteria, field, department, owner, str(status), words
    )
    similar = similar_projects(portfolio, project_id, title)
    if similar and not _create_despite(similar, yes or dry_run, interactive):
        return 1
    path = create_project(data, project_id, text, dry_run=dry_run, loaded=loaded)
    if dry_run:
        typer.echo(text, nl=False)
        return 0
    typer.echo(say("terminal", "created {path}").format(path=display_path(path)), err=True)
    return 0


def _create_despite(similar: list[tuple[float, Project]], go_on: bool, interactive: bool) -> bool:
    """Show the projects that look like the new one; whether to create it anyway
    (``go_on``: --yes or --dry-run; else the user is asked, or, without a terminal,
    told to check them)."""
    from ..errors import UsageError
    from ..present.i18n import number

    typer.echo(say("new", "Existing projects that look like this one:"), err=True)
    states = {
        "done": say("new", "{id}: {title} (already done, similarity {score})"),
        "cancelled": say("new", "{id}: {title} (cancelled, similarity {score})"),
    }
    for score, other in similar:
        line = states.get(other.status) or say("new", "{id}: {title} (similarity {score})")
        shown = number(score, terminal_language(), 2)
        typer.echo("  " + line.format(id=other.id, title=other.title, score=shown), err=True)
    if go_on:
        return True
    if not interactive:
        raise UsageError(
            say(
                "usage",
                "similar projects exist; check them, then run again with --yes to create it anyway",
            )
        )
    return typer.confirm(say("new", "Create it anyway?"), default=False)


@reports_errors
def set_(
    project_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="The project's id.", autocompletion=complete_project_id),
    ],
    assignments: Annotated[
        list[str],
        typer.Argument(
            metavar="KEY=VALUE...",
            autocompletion=complete_assignment,
            help="status=approved, owner='A. Muster', "
            "scores.citizen_value=4, effort.staff_fte=2, depends_on+=e-akte, tags-=alt.",
        ),
    ],
    data: DataOption = Path("data"),
    dry_run: DryRunOption = False,
    force: ForceOption = False,
) -> int:
    """Change fields of a project file, keeping every other byte (comments, order,
    quoting, style) as it was. The result is validated before it is written."""
    from ..edit import set_fields

    result = set_fields(data, project_id, assignments, dry_run=dry_run, force=force)
    report_edit(result.path, result.diff, dry_run)
    return 0


@reports_errors
def record_kpi(
    owner_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            autocompletion=complete_owner_id,
            help="A project id, or a goal id (for the KPIs of goals in strategy.yaml).",
        ),
    ],
    kpi_id: Annotated[str, typer.Argument(metavar="KPI", help="The KPI's id.")],
    value: Annotated[
        str,
        typer.Argument(metavar="VALUE", help="The measured value: 40, 40.5 or 40,5 (German), -3."),
    ],
    date: DateOption = None,
    data: DataOption = Path("data"),
    dry_run: DryRunOption = False,
    force: ForceOption = False,
) -> int:
    """Append a measurement to a KPI's measurements (a project's, or a goal's). A
    negative value needs no `--`: -3,5 and -3.5 both work."""
    from ..edit import record_measurement
    from ..errors import UsageError
    from ..spreadsheet import CellValueError, read_number

    try:
        number = read_number(value)
    except CellValueError as exc:
        wrong = say("usage", "VALUE {problem}; write e.g. 40, 40.5 or 40,5")
        raise UsageError(wrong.format(problem=exc.problem)) from None
    day = day_of(date, "--date")
    result = record_measurement(data, owner_id, kpi_id, number, day, dry_run=dry_run, force=force)
    report_edit(result.path, result.diff, dry_run)
    return 0


@reports_errors
def record_milestone(
    project_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="The project's id.", autocompletion=complete_project_id),
    ],
    milestone_id: Annotated[str, typer.Argument(metavar="MILESTONE")],
    done: Annotated[bool, typer.Option("--done", help="Mark it done (required).")] = False,
    date: DateOption = None,
    data: DataOption = Path("data"),
    dry_run: DryRunOption = False,
    force: ForceOption = False,
) -> int:
    """Mark a milestone done: status done and done_on the date."""
    from ..edit import record_milestone as record
    from ..errors import UsageError

    if not done:
        raise UsageError(say("usage", "say what to record: --done"))
    day = day_of(date, "--date")
    result = record(data, project_id, milestone_id, day, dry_run=dry_run, force=force)
    report_edit(result.path, result.diff, dry_run)
    return 0
