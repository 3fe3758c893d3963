"""``init`` and ``import``: from a city's Excel list to a portfolio in git."""

from __future__ import annotations

import datetime
import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .common import read_sheet_argument, reports_errors, valid_portfolio
from .options import (
    DataOption,
    DryRunOption,
    RunContext,
)
from .words import say, terminal_language

if TYPE_CHECKING:
    from ..importer import ImportMapping, ImportPlan, SheetReading
    from ..model import Portfolio
    from ..scaffold import InitOptions


def _this_year() -> int:
    return datetime.date.today().year


def _year_amounts(values: list[str] | None, option: str) -> dict[int, float]:
    """`--budget 1400000` (every year) or `--budget 2026=1.400.000` (one year)."""
    from ..errors import UsageError
    from ..spreadsheet import CellValueError, read_number

    found: dict[int, float] = {}
    for text in values or []:
        year_text, _, amount = text.rpartition("=")
        try:
            number = read_number(amount)
        except CellValueError as exc:
            raise UsageError(f"{option} {text}: {exc.problem}; {exc.hint}") from None
        if number < 0:
            wrong = say("usage", "{option} {text}: give an amount of 0 or more")
            raise UsageError(wrong.format(option=option, text=text))
        if not year_text:
            found[0] = number  # every year
        elif year_text.isdigit() and 1900 <= int(year_text) <= 2999:
            found[int(year_text)] = number
        else:
            wrong = say("usage", "{option} {text}: write YEAR=AMOUNT, e.g. 2027=2.500.000")
            raise UsageError(wrong.format(option=option, text=text))
    return found


# init's options
_InitFolder = Annotated[
    Path,
    typer.Argument(metavar="DIR", help="The portfolio folder to create.", file_okay=False),
]
_Organization = Annotated[
    str | None,
    typer.Option("--organization", help="e.g. 'Stadt Musterstadt'.", show_default=False),
]
_Title = Annotated[
    str | None,
    typer.Option("--title", help="Default: Digitalisierungsstrategie START–END."),
]
_Period = Annotated[
    str | None,
    typer.Option(
        "--period", help="Planning period as START-END, e.g. 2026-2030.", show_default=False
    ),
]
_Budget = Annotated[
    list[str] | None,
    typer.Option(
        "--budget",
        help="Budget in EUR per year: AMOUNT for every year, or YEAR=AMOUNT (repeatable).",
        show_default=False,
    ),
]
_Staff = Annotated[
    list[str] | None,
    typer.Option(
        "--staff",
        help="Staff in FTE per year: FTE for every year, or YEAR=FTE (repeatable).",
        show_default=False,
    ),
]
_InitLang = Annotated[
    str, typer.Option("--lang", help="Language of the comments and reports: de or en.")
]


@reports_errors
def init(
    folder: _InitFolder = Path("data"),
    organization: _Organization = None,
    title: _Title = None,
    period: _Period = None,
    budget: _Budget = None,
    staff: _Staff = None,
    lang: _InitLang = "de",
) -> int:
    """Create a new portfolio folder: a strategy.yaml with every key commented (fields
    of action, criteria with weights and scales, capacity per year, policies), an
    empty projects/, a .gitignore and CI snippets under ci/. In a terminal it asks for
    what the options leave out."""
    from ..errors import UsageError
    from ..load import display_path
    from ..present.i18n import pgettext
    from ..scaffold import init_portfolio

    if lang not in ("de", "en"):
        raise UsageError(say("usage", "--lang {lang}: use de or en").format(lang=lang))
    options = _init_options(organization, title, period, budget, staff, lang)
    words = functools.partial(pgettext, lang)
    for path in init_portfolio(folder, options, words):
        typer.echo(say("terminal", "created {path}").format(path=display_path(path)), err=True)
    follow = say(
        "init",
        "next: roadmap validate --data {folder}; import a project list with "
        "roadmap import LIST.xlsx --data {folder}",
    )
    typer.echo(follow.format(folder=display_path(folder)), err=True)
    return 0


def _period_years(period: str | None) -> tuple[int, int]:
    """``--period START-END``: its first and last year (none: this year and four more)."""
    from ..errors import UsageError

    if not period:
        return _this_year(), _this_year() + 4
    parts = period.replace("–", "-").split("-")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        wrong = say("usage", "--period {period}: write START-END, e.g. 2026-2030")
        raise UsageError(wrong.format(period=period))
    return int(parts[0]), int(parts[1])


def _init_options(
    organization: str | None,
    title: str | None,
    period: str | None,
    budget: list[str] | None,
    staff: list[str] | None,
    lang: str,
) -> InitOptions:
    """init's options, asked for in a terminal where the command line leaves them out."""
    from ..errors import UsageError
    from ..present.i18n import pgettext
    from ..scaffold import DEFAULT_BUDGET_EUR, DEFAULT_STAFF_FTE, InitOptions

    interactive = sys.stdin.isatty()
    if organization is None:
        organization = (
            typer.prompt(say("init", "Organization (e.g. City of Example)"))
            if interactive
            else pgettext(lang, "init", "City of Example")
        )
    if period is None and interactive:
        period = typer.prompt(
            say("init", "Planning period"),
            default=f"{_this_year()}-{_this_year() + 4}",
        )
    start, end = _period_years(period)
    budgets = _year_amounts(budget, "--budget")
    staffs = _year_amounts(staff, "--staff")
    if budget is None and interactive:
        answer = typer.prompt(
            say("init", "Budget per year in EUR"),
            default=str(DEFAULT_BUDGET_EUR),
        )
        budgets = _year_amounts([answer], "--budget")
    if staff is None and interactive:
        answer = typer.prompt(
            say("init", "Staff per year in FTE"),
            default=str(DEFAULT_STAFF_FTE),
        )
        staffs = _year_amounts([answer], "--staff")
    years = range(start, end + 1)
    default_title = pgettext(lang, "init", "Digital strategy {start}–{end}")
    options = InitOptions(
        organization=organization,
        title=title or default_title.format(start=start, end=end),
        start_year=start,
        end_year=end,
        language=lang,
        budget_eur={y: budgets.get(y, budgets.get(0, DEFAULT_BUDGET_EUR)) for y in years},
        staff_fte={y: staffs.get(y, staffs.get(0, DEFAULT_STAFF_FTE)) for y in years},
    )  # fmt: skip
    unknown = sorted((set(budgets) | set(staffs)) - {0} - set(years))
    if unknown:
        wrong = say("usage", "--budget/--staff name {years}, outside {start}–{end}")
        raise UsageError(wrong.format(years=", ".join(map(str, unknown)), start=start, end=end))
    return options


# import's options
_ListFile = Annotated[
    Path,
    typer.Argument(
        metavar="FILE",
        help="The project list: .xlsx, .ods or .csv (; , or tab; UTF-8 or Windows-1252); "
        "'-': standard input.",
    ),
]
_Sheet = Annotated[
    str | None,
    typer.Option("--sheet", help="The sheet to read; default: the first.", show_default=False),
]
_Mapping = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        help="A YAML file: columns (header: field or ignore), values (field: {text: "
        "value}), sheet, header_row, decimal_comma; '-': standard input.",
        show_default=False,
        dir_okay=False,
    ),
]
_ShowMapping = Annotated[
    bool,
    typer.Option("--show-mapping", help="Print which column fills which field; write nothing."),
]
_Yes = Annotated[
    bool, typer.Option("--yes", "-y", help="Import even if rows look like existing projects.")
]
_DeleteMissing = Annotated[
    bool,
    typer.Option(
        "--delete-missing", help="Delete project files whose project is not in the sheet."
    ),
]


@reports_errors
def import_(
    file: _ListFile,
    data: DataOption = Path("data"),
    sheet: _Sheet = None,
    mapping: _Mapping = None,
    show_mapping: _ShowMapping = False,
    dry_run: DryRunOption = False,
    yes: _Yes = False,
    delete_missing: _DeleteMissing = False,
) -> int:
    """Create and update project files from a spreadsheet. German headers, amounts
    (1.400.000,00), dates (01.03.2026) and words (ja, in Umsetzung) are understood;
    every cell that cannot be read is named with its place (Projekte!H14), and then
    nothing is written. Importing the same sheet again changes only what changed."""
    from ..errors import DataError, Severity
    from ..import_write import apply_import
    from ..importer import plan_import, read_sheet
    from ..load import display_path
    from ..spreadsheet import STDIN

    portfolio = valid_portfolio(RunContext.of(data))
    options = _import_mapping(mapping, file, portfolio)
    table = read_sheet_argument(file, sheet or options.sheet)
    source = STDIN if str(file) == "-" else display_path(file)
    reading = read_sheet(table, portfolio.strategy, options)
    if show_mapping:
        _show_mapping(reading)
        return 0
    plan = plan_import(reading, table, portfolio.projects)
    problems = [p.as_problem() for p in plan.problems]
    for problem in problems:
        if problem.severity is Severity.WARNING:
            typer.echo(str(problem), err=True)
    if plan.has_errors:
        unread = say("usage", "{file} has cells that cannot be read; nothing was written")
        raise DataError(
            unread.format(file=source),
            [p for p in problems if p.severity is Severity.ERROR],
        )
    _check_duplicates(portfolio, plan, yes or dry_run)
    named = STDIN if source == STDIN else file.name
    result = apply_import(data, plan, named, dry_run, delete_missing)
    blocking = [p for p in result.problems if p.severity is Severity.ERROR and _blocks(p.code)]
    if blocking:
        raise DataError(
            say("usage", "the imported projects would not validate; nothing was written"),
            blocking,
        )
    if dry_run:
        typer.echo(result.diff, nl=False)
    for ident in plan.missing:
        if not delete_missing:
            typer.echo(say("import", "not in the sheet (kept): {id}").format(id=ident), err=True)
    typer.echo(_import_summary(plan, dry_run), err=True)
    return 0


def _import_mapping(mapping: Path | None, file: Path, portfolio: Portfolio) -> ImportMapping:
    """``--mapping``'s file read and checked (none: every column by its header)."""
    from ..errors import DataError, UsageError
    from ..importer import ImportMapping, mapping_from_data
    from ..load import display_path, read_yaml_bytes, read_yaml_file
    from ..spreadsheet import STDIN

    if mapping is None:
        return ImportMapping()
    shown = STDIN if str(mapping) == "-" else display_path(mapping)
    if str(mapping) != "-":
        parsed, problems = read_yaml_file(mapping)
    elif str(file) == "-":
        raise UsageError("FILE and --mapping cannot both be - (one standard input)")
    else:
        parsed, problems = read_yaml_bytes(sys.stdin.buffer.read(), STDIN)
    if problems:
        unread = say("usage", "{file} cannot be read")
        raise DataError(unread.format(file=shown), problems)
    options, errors = mapping_from_data(parsed, _field_names(portfolio))
    if errors:
        raise UsageError(f"{shown}: " + "; ".join(errors))
    return options


def _show_mapping(reading: SheetReading) -> None:
    """``--show-mapping``: which column fills which field, and the columns left out."""
    from ..spreadsheet import column_letter

    for index, target in sorted(reading.columns.items()):
        typer.echo(f"{column_letter(index)} {reading.headers[index]!r} → {target}")
    for name in reading.unmapped:
        typer.echo("  " + say("import", "not imported: {column}").format(column=repr(name)))


def _import_summary(plan: ImportPlan, dry_run: bool) -> str:
    """How many projects the import creates, changes, leaves and misses."""
    summary = say(
        "import", "{new} new, {changed} changed, {unchanged} unchanged, {missing} not in the sheet"
    ).format(
        new=len(plan.created),
        changed=len(plan.changed),
        unchanged=len(plan.unchanged),
        missing=len(plan.missing),
    )
    if dry_run:
        summary += " " + say("import", "(dry run: nothing written)")
    return summary


def _blocks(code: str) -> bool:
    """Policy findings (a missing DPIA, owner, KPI …) are the portfolio's to-do list after
    an import, not a reason to refuse it: `roadmap validate` lists them."""
    return not code.startswith("policy-")


def _field_names(portfolio: object) -> list[str]:
    from ..importer import column_fields

    return [c.field for c in column_fields(portfolio.strategy)]  # type: ignore[attr-defined]


def _check_duplicates(portfolio: object, plan: object, go_on: bool) -> None:
    """New rows that look like each other or like projects of the portfolio, done ones
    included: the bundle suggestions of the portfolio with the rows in it, once."""
    from .. import importer
    from ..bundle import suggest
    from ..errors import UsageError
    from ..model import Portfolio, Project
    from ..present.i18n import number

    assert isinstance(portfolio, Portfolio) and isinstance(plan, importer.ImportPlan)
    if not plan.created:
        return
    from pydantic import ValidationError

    new = {}
    for ident, data in plan.created.items():
        try:
            new[ident] = Project.model_validate(data)
        except ValidationError:
            continue  # not a valid project: the validation of the files names the cell
    merged = portfolio.model_copy(update={"projects": {**portfolio.projects, **new}})
    found, _ = suggest(merged, include_closed=True)
    found = [b for b in found if set(b.projects) & set(new)]
    if not found:
        return
    typer.echo(
        say("import", "Rows that look like each other or like projects in the portfolio:"),
        err=True,
    )
    row, done = say("import", "row {row} {title}"), say("import", "{id} (already done)")
    for bundle in found:
        names = []
        for ident in bundle.projects:
            if ident in new:
                names.append(row.format(row=plan.rows[ident], title=repr(new[ident].title)))
            elif merged.projects[ident].status == "done":
                names.append(done.format(id=ident))
            else:
                names.append(ident)
        score = number(round(bundle.score, 2), terminal_language(), 2)  # as f"{x:.2f}" rounds
        typer.echo(f"  {' ~ '.join(names)} ({score})", err=True)
    if not go_on:
        raise UsageError(
            say(
                "usage",
                "check these rows (merge them in the sheet, or keep both), then run again "
                "with --yes to import anyway",
            )
        )
