"""``roadmap new``: the text of a new project file, projects that look like it, and
writing it once it validates."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..load import display_path
from ..markers import marked
from ..yamlsplice import one_line, refuse_unwritable, render
from .commands import check_project_id
from .transaction import create
from .validators import project_validator

if TYPE_CHECKING:
    from ..load import LoadResult
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
    loaded: LoadResult | None = None,
) -> Path:
    """Validate the text of a new project against the portfolio (``loaded``, when the
    caller has loaded it already) and write it (unless ``dry_run``). Raises UsageError
    (bad id; the file exists), DataError (invalid)."""
    path = new_project_path(data_dir, project_id)
    project_validator(data_dir, project_id, path, loaded)(text)
    if not dry_run:
        create(path, text)
    return path


NEW_PROJECT = """\
# {title}
id: {id}
title: {title_yaml}
# summary: {summary}
# description: >-
#   {description}
{field}{department}{owner}status: {status}
# decision: must | should | could | wont   ({decision})
# start: 2027-01-01
# duration_months: 12
# deadline: 2027-12-31   ({deadline})
effort:
  budget_eur: 0
  running_eur_per_year: 0
  staff_fte: 0
# depends_on: [{other_id}]
{scores}# tags: [{tag}]
# target_groups: [citizens]   (citizens, businesses, staff, schools, visitors)
# services: ["99..."]   ({services})
# personal_data: true   → {personal_data}
# citizen_facing: true  → {citizen_facing}
# open_source: true     ({open_source})
# milestones:
#   - {{id: start, title: {milestone}, due: 2027-01-31}}
# kpis:
#   - id: {kpi_id}
#     title: {kpi_title}
#     unit: {kpi_unit}
#     direction: increase
#     baseline: {{value: 0, date: 2026-12-31}}
#     target: {{value: 1000, date: 2027-12-31}}
"""
# the template's comments (English; the catalogs word them in the portfolio's language)
NEW_PROJECT_HINTS = {
    "summary": marked("new-template", "One sentence: what the project achieves for whom."),
    "description": marked(
        "new-template", "In more detail: the situation, the solution, how it differs from others."
    ),
    "decision": marked("new-template", "the committee's decision"),
    "deadline": marked("new-template", "a hard date, e.g. a legal one"),
    "other_id": marked("new-template", "other-project-id"),
    "rate": marked("new-template", "please rate"),
    "tag": marked("new-template", "keyword"),
    "services": marked("new-template", "the service's LeiKa key"),
    "personal_data": marked(
        "new-template", "then dpia: the date or link of the data-protection impact assessment"
    ),
    "citizen_facing": marked("new-template", "then accessibility: BITV 2.0 and analog_access: …"),
    "open_source": marked("new-template", 'or {value: false, reason: "…"}'),
    "milestone": marked("new-template", "Project start"),
    "kpi_id": marked("new-template", "use"),
    "kpi_title": marked("new-template", "Use"),
    "kpi_unit": marked("new-template", "cases"),
}


def new_project_text(
    project_id: str,
    title: str,
    criteria: Sequence[tuple[str, str]],
    field: str | None = None,
    department: str | None = None,
    owner: str | None = None,
    status: str = "idea",
    words: Callable[[str, str], str] | None = None,
) -> str:
    """The text of a new project file. Every value is rendered as YAML (quoted and
    escaped where needed) and the title's comment line has no line break of any kind,
    so no text can add keys. ``words(context, message)`` words the comments (the CLI
    passes the catalog of the portfolio's language; without it they are English)."""
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
    hints = {
        key: words("new-template", text) if words else text
        for key, text in NEW_PROJECT_HINTS.items()
    }
    return NEW_PROJECT.format(
        **hints,
        id=project_id,
        title=one_line(title),
        title_yaml=render(title),
        field=line("field", field),
        department=line("department", department),
        owner=line("owner", owner),
        status=render(status),
        scores=f"# scores:   ({hints['rate']})\n{scores}" if scores else "",
    )
