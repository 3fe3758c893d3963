"""``roadmap new``: the text of a new project file, projects that look like it, and
writing it once it validates."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..load import display_path
from ..yamlsplice import one_line, refuse_unwritable, render
from .commands import check_project_id
from .transaction import create
from .validators import project_validator

if TYPE_CHECKING:
    from ..model import Portfolio, Project


def new_project_path(data_dir: Path, project_id: str) -> Path:
    """Where ``roadmap new ID`` writes; refuses a bad id and one that exists."""
    check_project_id(project_id)
    folder = data_dir / "projects"
    for suffix in (".yaml", ".yml"):
        existing = folder / f"{project_id}{suffix}"
        if existing.exists() or existing.is_symlink():
            raise UsageError(f"{display_path(existing)} exists already")
    return folder / f"{project_id}.yaml"


def similar_projects(
    portfolio: Portfolio, project_id: str, title: str, limit: int = 5
) -> list[tuple[float, Project]]:
    """Projects that look like a new one (score ≥ the bundling threshold), most similar
    first: duplicates are cheapest to stop when they are entered."""
    from ..bundle import similar_to
    from ..model import Project

    candidate = Project.model_validate({"id": project_id, "title": title})
    found = [(score, p) for score, p in similar_to(candidate, portfolio) if p.id != project_id]
    return sorted(found, key=lambda item: (-item[0], item[1].id))[:limit]


def create_project(
    data_dir: Path,
    project_id: str,
    text: str,
    *,
    dry_run: bool = False,
) -> Path:
    """Validate the text of a new project against the portfolio and write it (unless
    ``dry_run``). Raises UsageError (bad id; the file exists), DataError (invalid)."""
    path = new_project_path(data_dir, project_id)
    project_validator(data_dir, project_id, path)(text)
    if not dry_run:
        create(path, text)
    return path


NEW_PROJECT = """\
# {title}
id: {id}
title: {title_yaml}
# summary: Ein Satz, was das Projekt für wen erreicht.
# description: >-
#   Ausführlicher: Ausgangslage, Lösung, Abgrenzung zu anderen Projekten.
{field}{department}{owner}status: {status}
# decision: must | should | could | wont   (Beschluss des Ausschusses)
# start: 2027-01-01
# duration_months: 12
# deadline: 2027-12-31   (harte Frist, z. B. gesetzlich)
effort:
  budget_eur: 0
  running_eur_per_year: 0
  staff_fte: 0
# depends_on: [andere-projekt-id]
{scores}# tags: [stichwort]
# target_groups: [citizens]   (citizens, businesses, staff, schools, visitors)
# services: ["99..."]   (LeiKa-Schlüssel der Leistung)
# personal_data: true   → dann dpia: Datum oder Link der Datenschutz-Folgenabschätzung
# citizen_facing: true  → dann accessibility: BITV 2.0 und analog_access: …
# open_source: true     (oder {{value: false, reason: "…"}})
# milestones:
#   - {{id: start, title: Projektstart, due: 2027-01-31}}
# kpis:
#   - id: nutzung
#     title: Nutzung
#     unit: Vorgänge
#     direction: increase
#     baseline: {{value: 0, date: 2026-12-31}}
#     target: {{value: 1000, date: 2027-12-31}}
"""


def new_project_text(
    project_id: str,
    title: str,
    criteria: Sequence[tuple[str, str]],
    field: str | None = None,
    department: str | None = None,
    owner: str | None = None,
    status: str = "idea",
) -> str:
    """The text of a new project file. Every value is rendered as YAML (quoted and
    escaped where needed) and the title's comment line has no line break of any kind,
    so no text can add keys."""
    check_project_id(project_id)
    for what, value in (
        ("title", title),
        ("field", field),
        ("department", department),
        ("owner", owner),
        ("status", status),
    ):
        if value is not None:
            refuse_unwritable(value, f"--{what}")

    def line(key: str, value: str | None) -> str:
        return f"{key}: {render(value)}\n" if value else ""

    scores = "".join(f"#   {one_line(c)}: …   ({one_line(scale)})\n" for c, scale in criteria)
    return NEW_PROJECT.format(
        id=project_id,
        title=one_line(title),
        title_yaml=render(title),
        field=line("field", field),
        department=line("department", department),
        owner=line("owner", owner),
        status=render(status),
        scores=f"# scores:   (bitte bewerten)\n{scores}" if scores else "",
    )
