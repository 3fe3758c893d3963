"""Shared options of the commands, the ``--format`` choices taken from the formatter
registries, and the small typed context a command runs with.

Only light modules are imported here: ``roadmap --help`` builds every option."""

from __future__ import annotations

import datetime
import enum
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeAlias, cast

import typer

from ..present import registry


def choices(name: str, names: Iterable[str]) -> type[enum.StrEnum]:
    """An enum of ``names`` for typer (which shows and checks them as ``[a|b|c]``)."""
    return cast(type[enum.StrEnum], enum.StrEnum(name, [(n, n) for n in names]))


if TYPE_CHECKING:  # mypy sees the chosen value, a str; typer needs the enum at runtime
    ProblemFormat: TypeAlias = str
    RankingFormat: TypeAlias = str
    ExplainFormat: TypeAlias = str
    PlanFormat: TypeAlias = str
    SelectionFormat: TypeAlias = str
    GraphFormat: TypeAlias = str
    BundleFormat: TypeAlias = str
    KpiFormat: TypeAlias = str
    ReportFormat: TypeAlias = str
    ExportFormat: TypeAlias = str
    Method: TypeAlias = str
    Status: TypeAlias = str
    SchemaKind: TypeAlias = str
else:
    ProblemFormat = choices("ProblemFormat", ["auto", *registry.PROBLEM_FORMATS])
    RankingFormat = choices("RankingFormat", registry.RANKING_FORMATS)
    ExplainFormat = choices("ExplainFormat", registry.EXPLANATION_FORMATS)
    PlanFormat = choices("PlanFormat", registry.PLAN_FORMATS)
    SelectionFormat = choices("SelectionFormat", registry.SELECTION_FORMATS)
    GraphFormat = choices("GraphFormat", registry.GRAPH_FORMATS)
    BundleFormat = choices("BundleFormat", registry.BUNDLE_FORMATS)
    KpiFormat = choices("KpiFormat", registry.KPI_FORMATS)
    ReportFormat = choices("ReportFormat", registry.REPORT_FORMATS)
    ExportFormat = choices("ExportFormat", registry.EXPORT_FORMATS)
    # model.py owns these values (Status, ScoringMethod); importing it here would add
    # half a second to every --help, so tests/test_cli_options.py pins them to it
    Method = choices("Method", ["weighted_sum", "wsjf", "topsis"])
    Status = choices(
        "Status",
        ["idea", "proposed", "approved", "in_progress", "on_hold", "done", "cancelled"],
    )
    SchemaKind = choices("SchemaKind", ["both", "project", "strategy"])

# --------------------------------------------------------------------------- completion
# Shell completion reads file names and strategy.yaml only: it runs on every <Tab>.


def _data_folder(context: typer.Context) -> Path:
    """The portfolio folder of the command line being completed (--data, ROADMAP_DATA
    or ./data)."""
    given = context.params.get("data")
    return Path(given or os.environ.get("ROADMAP_DATA") or "data")


def complete_project_id(context: typer.Context, incomplete: str) -> list[str]:
    """The ids of the projects (file names of projects/) that start with ``incomplete``."""
    try:
        names = sorted(p.stem for p in (_data_folder(context) / "projects").glob("*.yaml"))
    except OSError:
        return []
    return [name for name in names if name.startswith(incomplete)]


def _strategy_ids(context: typer.Context, section: str) -> list[str]:
    """The ids of a list of strategy.yaml (``criteria``, ``fields``, ``goals``)."""
    from ..load import parse  # the loader's safe parser: depth limits, no tags

    try:
        text = (_data_folder(context) / "strategy.yaml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    strategy, _, _ = parse(text)
    items = strategy.get(section) if isinstance(strategy, dict) else None
    if not isinstance(items, list):
        return []
    return [str(item["id"]) for item in items if isinstance(item, dict) and "id" in item]


def complete_field_id(context: typer.Context, incomplete: str) -> list[str]:
    return [f for f in _strategy_ids(context, "fields") if f.startswith(incomplete)]


def complete_criterion_id(context: typer.Context, incomplete: str) -> list[str]:
    return [c for c in _strategy_ids(context, "criteria") if c.startswith(incomplete)]


def complete_owner_id(context: typer.Context, incomplete: str) -> list[str]:
    """``record kpi``: a project id or a goal id."""
    ids = complete_project_id(context, "") + _strategy_ids(context, "goals")
    return [i for i in ids if i.startswith(incomplete)]


def complete_kpi_owner(context: typer.Context, incomplete: str) -> list[str]:
    """``add kpi``: a project id or ``goal:`` and a goal id."""
    ids = complete_project_id(context, "") + [f"goal:{g}" for g in _strategy_ids(context, "goals")]
    return [i for i in ids if i.startswith(incomplete)]


SET_KEYS = ("status=", "owner=", "title=", "decision=", "depends_on+=", "tags+=")


def complete_assignment(context: typer.Context, incomplete: str) -> list[str]:
    """``set``: the common keys and ``scores.<criterion>=`` for every criterion."""
    keys = [*SET_KEYS, *(f"scores.{c}=" for c in _strategy_ids(context, "criteria"))]
    return [k for k in keys if k.startswith(incomplete)]


DataOption = Annotated[
    Path,
    typer.Option(
        "--data",
        "-d",
        envvar="ROADMAP_DATA",
        show_envvar=True,
        help="Portfolio folder with strategy.yaml and projects/.",
        file_okay=False,
    ),
]
# the language of a written document (report, Markdown, export), as report's --lang
LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="de or en; default: the language of strategy.yaml for documents (Markdown, "
        "HTML, PDF), the locale (LANG) for tables in the terminal.",
        show_default=False,
    ),
]


def document_language(given: str | None, strategy_language: str, format: str = "") -> str:
    """``--lang`` when given (de or en, else a usage error); else a table for the
    terminal follows the locale variables and a document the strategy's language."""
    from ..errors import UsageError

    if given is None and format == "table":
        from .words import terminal_language

        return terminal_language()
    language = given or strategy_language
    if language not in ("de", "en"):
        from .words import say

        raise UsageError(say("usage", "--lang {lang}: use de or en").format(lang=language))
    return language


NoCacheOption = Annotated[
    bool,
    typer.Option("--no-cache", help="Do not read or write the per-file validation cache."),
]
TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today",
        metavar="YYYY-MM-DD",
        help="Plan from this date (YYYY-MM-DD); default: today.",
        show_default=False,
    ),
]
MethodOption = Annotated[
    Method | None,
    typer.Option(
        "--method",
        "-m",
        help="Scoring method; default: scoring.method of strategy.yaml.",
        show_default=False,
    ),
]
StatusOption = Annotated[
    list[Status] | None,
    typer.Option(
        "--status",
        "-s",
        help="Rank only projects with this status (repeatable). "
        "Default: everything not done or cancelled.",
        show_default=False,
    ),
]
SeedOption = Annotated[
    str, typer.Option("--seed", metavar="N", help="Seed of the robustness draws (0 to 2**64-1).")
]
PullOption = Annotated[
    bool | None,
    typer.Option(
        "--pull/--no-pull",
        help="Dependency pull; default: scoring.dependency_pull.",
        show_default=False,
    ),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Print the change as a unified diff; write nothing.")
]
ForceOption = Annotated[
    bool,
    typer.Option("--force", help="Also edit a read-only file (its mode stays read-only)."),
]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date", metavar="YYYY-MM-DD", help="YYYY-MM-DD; default: today.", show_default=False
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="Write to this file instead of standard output (- is standard output).",
        dir_okay=False,
        show_default=False,
    ),
]


# --------------------------------------------------------------------------- arguments


def _utf8_in_disguise(text: str) -> bool:
    """``text`` was decoded from bytes under an ASCII locale (undecodable bytes became
    surrogates) and those bytes are valid UTF-8."""
    if not any("\udc80" <= char <= "\udcff" for char in text):
        return False
    try:
        text.encode("ascii", "surrogateescape").decode("utf-8")
    except UnicodeError:
        return False
    return True


def utf8_command_line() -> list[str] | None:
    """The command line to run again in Python's UTF-8 mode (``-X utf8``) when the
    locale is ASCII (``LC_ALL=C`` with ``PYTHONUTF8=0``) and an argument or
    ``ROADMAP_DATA`` holds UTF-8 bytes, e.g. ``title=Ämter`` or a folder ``Dörfer``:
    Python decoded them as undecodable ASCII. UTF-8 mode decodes them as the text they
    are and names files in UTF-8 too, so the same string is both a title and a path.
    None when nothing needs it (then arguments that are not UTF-8 stay refused with
    their byte named)."""
    if sys.platform == "win32" or sys.flags.utf8_mode or not sys.executable:
        return None
    if getattr(sys, "frozen", False):  # a bundled program takes no interpreter options
        return None
    given = [*sys.argv[1:], os.environ.get("ROADMAP_DATA", "")]
    if not any(_utf8_in_disguise(argument) for argument in given):
        return None
    return [sys.executable, "-X", "utf8", *sys.orig_argv[1:]]


def cache_dir(no_cache: bool) -> Path | None:
    """Where the per-file cache lives: ``ROADMAP_CACHE_DIR`` or the user's cache folder;
    ``None`` with ``--no-cache``."""
    if no_cache:
        return None
    from ..load import default_cache_dir

    configured = os.environ.get("ROADMAP_CACHE_DIR")
    return Path(configured) if configured else default_cache_dir()


def problem_format(chosen: str) -> str:
    """``validate --format``: ``auto`` is github in GitHub Actions, table elsewhere."""
    if chosen == "auto":
        return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "table"
    return chosen


@dataclass(frozen=True)
class RunContext:
    """What a command runs with, parsed from its options."""

    data: Path
    cache: Path | None
    today: datetime.date
    format: str = "table"
    language: str | None = None

    @classmethod
    def of(
        cls,
        data: Path,
        no_cache: bool = False,
        today: str | datetime.date | None = None,
        format: str = "table",
        language: str | None = None,
    ) -> RunContext:
        return cls(data, cache_dir(no_cache), day_of(today, "--today"), str(format), language)


def day_of(value: str | datetime.date | None, option: str) -> datetime.date:
    """An option's date (``YYYY-MM-DD``, years 1900 to 2999), today when not given."""
    from ..present.output import parse_date
    from .words import terminal_language

    if value is None:
        return datetime.date.today()
    return parse_date(value, option, lang=terminal_language())


def seed_of(value: str | int) -> int:
    """``--seed``: a whole number from 0 to 2**64 - 1."""
    from ..present.output import parse_seed
    from .words import terminal_language

    return parse_seed(value, lang=terminal_language())


def finite(value: float, option: str) -> float:
    """A number option's value, refused when it is infinite (``inf``, ``1e309``): it would
    reach the JSON output as ``Infinity``, which JSON does not have."""
    import math

    from ..errors import UsageError

    if not math.isfinite(value):
        raise UsageError(f"{option} {value}: expected a finite number such as 1.2")
    return value


def chosen(value: str | None) -> str | None:
    """An option's choice as a plain ``str`` (typer hands over an enum member)."""
    return None if value is None else str(value)


def chosen_all(values: list[str] | None) -> list[str] | None:
    """A repeatable option's choices as plain strings, ``None`` when none was given."""
    return [str(v) for v in values] if values else None


def year_values(values: list[str] | None, option: str) -> dict[int, float]:
    """``["2027=3000000", …]`` → ``{2027: 3000000.0}``: years 1900–2999, each once,
    amounts finite and not negative (``nan`` is refused)."""
    from ..present.output import parse_year_values
    from .words import terminal_language

    return parse_year_values(values, option, lang=terminal_language())
