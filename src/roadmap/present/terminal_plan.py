"""The plan and optimize's selection for people at a terminal (rich): the plan
table, capacity per year, the selection and its frontier. rich is imported inside
the functions, so that importing this module stays cheap."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from .escape import terminal_text as t
from .i18n import locale_of, marked, npgettext, number, pgettext
from .terminal import clean_cell, decimal_text, print_notes
from .wording import worded as localized
from .words import reason_text

if TYPE_CHECKING:
    from .documents import (
        CapacityRow,
        FrontierItem,
        PlanDocument,
        SelectionDocument,
        YearRow,
    )


def plan_table(document: PlanDocument, out: TextIO, lang: str = "en") -> None:
    """The plan for a terminal in the language ``lang``."""
    from rich.console import Console

    console = Console(file=out, highlight=False)
    d = document
    if d["end"]:
        console.print(_plan_summary(d, lang))
    console.print(_placed_table(d, lang))
    if d["unscheduled"]:
        heading = pgettext(lang, "plan-table", "not scheduled ({n}):").format(
            n=len(d["unscheduled"])
        )
        console.print(f"\n[bold]{heading}[/]", markup=True)
        for u in d["unscheduled"]:
            console.print(f"  {t(u['id'])}: {t(reason_text(u['code'], u['params'], lang))}")
    capacity = pgettext(lang, "plan-table", "capacity per year")
    console.print(f"\n[bold]{capacity}[/]", markup=True)
    console.print(
        _years_table(d["years"], pgettext(lang, "plan-table", "staff used (peak)"), None, lang)
    )
    _capacity_split(
        console,
        d["capacity"],
        d["effort_missing"],
        pgettext(lang, "plan-table", "staff at the peak month"),
        lang,
    )
    if d["critical_path"]:
        path = pgettext(
            lang, "plan-table", "critical path of the dependency network ({months} months): {path}"
        )
        console.print(
            "\n"
            + path.format(
                months=_months(d["network_months"], lang),
                path=" → ".join(map(t, d["critical_path"])),
            )
        )
    if "what_if" in d:
        _what_if(console, d, lang)
    print_notes(console, d["notes"], lang)
    warning_label = pgettext(lang, "terminal", "warning:")
    for w in d["warnings"]:
        console.print(
            f"[yellow]{warning_label}[/] {t(w['file'])}:{w['line']}:{w['column']} "
            f"{t('[' + w['code'] + ']')} {t(localized(w['message'], lang))}",
            markup=True,
            highlight=False,
        )


def _day(iso: str | None, lang: str) -> str:
    """An ISO date as the language writes it (31.12.2027 in German)."""
    if not iso or lang == "en":
        return iso or ""
    import datetime as dt

    from babel.dates import format_date

    return str(format_date(dt.date.fromisoformat(iso), format="medium", locale=locale_of(lang)))


def _months(value: float | None, lang: str) -> str:
    """A number of months (84.0, 84,0 in German)."""
    return str(value) if lang == "en" or value is None else number(value, lang, 1)


def _plan_summary(d: PlanDocument, lang: str) -> str:
    """The plan's start, end and length against its lower bound."""
    summary = pgettext(
        lang,
        "plan-table",
        "plan from {start} to {end}: {months} months; lower bound {bound} months",
    )
    ratio = (
        pgettext(lang, "plan-table", " (ratio {ratio})").format(
            ratio=f"{d['quality']:.2f}" if lang == "en" else number(d["quality"], lang, 2)
        )
        if d["quality"]
        else ""
    )
    return (
        summary.format(
            start=_day(d["start"], lang),
            end=_day(d["end"], lang),
            months=d["plan_months"],
            bound=_months(d["lower_bound_months"], lang),
        )
        + ratio
    )


def _placed_table(d: PlanDocument, lang: str) -> Any:
    """One row per placed project: its dates, months, slack, and whether it is critical
    or keeps its dates."""
    from rich.table import Table

    table = Table(header_style="bold", box=None, pad_edge=False)
    for name in PLAN_COLUMNS:
        label = pgettext(lang, "plan-table", name)
        table.add_column(
            label,
            no_wrap=True,
            overflow="ellipsis",
            justify="right" if name in ("months", "slack") else "left",
            min_width=len(label) if name != "id" else 10,
        )
    yes = pgettext(lang, "plan-table", "yes")
    days = pgettext(lang, "plan-table", SLACK_DAYS)
    for p in d["projects"]:
        table.add_row(
            t(p["id"]),
            p["start"],
            p["end"],
            str(p["months"]),
            days.format(days=p["slack_days"]),
            yes if p["critical"] else "",
            yes if p["fixed"] else "",
        )
    return table


def _what_if(console: Any, d: PlanDocument, lang: str) -> None:
    """What the changed capacity of ``--what-if`` moves earlier or makes schedulable."""
    if "what_if" in d:
        earlier = [f"{t(i['id'])} ({i['from']} → {i['to']})" for i in d["what_if"]["earlier"]]
        for items, label in (
            (
                earlier,
                pgettext(
                    lang, "plan-table", "with the changed capacity these start earlier: {items}"
                ),
            ),
            (
                [t(i) for i in d["what_if"]["schedulable"]],
                pgettext(
                    lang,
                    "plan-table",
                    "with the changed capacity these become schedulable: {items}",
                ),
            ),
        ):
            if items:
                console.print(label.format(items=", ".join(items)))


def _capacity_split(
    console: Any,
    capacity: dict[str, CapacityRow],
    effort_missing: Sequence[str],
    staff: str,
    lang: str = "en",
) -> None:
    """Committed, planned and free per year (budget and staff), and the projects
    without an effort estimate."""
    from rich.table import Table

    committed = pgettext(lang, "capacity", "committed")
    planned = pgettext(lang, "capacity", "planned")
    free = pgettext(lang, "capacity", "free")
    year = pgettext(lang, "capacity", "year")
    table = Table(header_style="bold", box=None, pad_edge=False, title_justify="left")
    rows = [
        [
            when,
            number(c["committed_budget"], lang, 0),
            number(c["planned_budget"], lang, 0),
            number(c["free_budget"], lang, 0),
            number(c["committed_staff"], lang, 2),
            number(c["planned_staff"], lang, 2),
            number(c["free_staff"], lang, 2),
        ]
        for when, c in capacity.items()
    ]
    names = (year, committed, planned, free, f"{staff}: {committed}", planned, free)
    for column, name in enumerate(names):
        # a figure is never cut ("20…" at 80 columns): the headers wrap instead
        widest = max((len(row[column]) for row in rows), default=1)
        table.add_column(name, justify="right", min_width=widest)
    for row in rows:
        table.add_row(*row)
    console.print(table)
    if effort_missing:
        label = pgettext(lang, "capacity", "effort missing")
        why = pgettext(lang, "capacity", "(no budget, no staff: counted as free)")
        console.print(f"[yellow]{label}[/] {why}: {', '.join(map(t, effort_missing))}", markup=True)


SLACK_DAYS = marked("plan-table", "{days}d")  # a slack in days, short
# the plan table's columns, marked for the catalogs
PLAN_COLUMNS = (
    marked("plan-table", "id"),
    marked("plan-table", "start"),
    marked("plan-table", "end"),
    marked("plan-table", "months"),
    marked("plan-table", "slack"),
    marked("plan-table", "crit"),
    marked("plan-table", "kept"),
)


def _years_table(
    years: dict[str, YearRow], staff_label: str, staff_digits: int | None, lang: str = "en"
) -> Any:
    """Budget and staff used against capacity, one row per year; staff used with
    ``staff_digits`` decimals (None: as many as it has, a peak of FTE such as 7.5)."""
    from rich.table import Table

    table = Table(header_style="bold", box=None, pad_edge=False)
    names = (
        pgettext(lang, "years-table", "year"),
        pgettext(lang, "years-table", "budget used"),
        pgettext(lang, "years-table", "budget"),
        staff_label,
        pgettext(lang, "years-table", "staff"),
    )
    for name in names:
        table.add_column(name, justify="right", no_wrap=True)
    for year, y in years.items():
        table.add_row(
            year,
            number(y["budget_used"], lang, 0),
            number(y["budget"], lang, 0),
            _staff_text(y["staff_used"], staff_digits, lang),
            f"{y['staff']:g}" if lang == "en" else number(y["staff"], lang),
        )
    return table


def _staff_text(value: float, digits: int | None, lang: str) -> str:
    if lang == "en":  # as before the catalogs: 7.5 FTE, 6.54 staff-years
        return f"{value:g}" if digits is None else f"{value:.{digits}f}"
    return number(value, lang, digits)


def selection_table(document: SelectionDocument, out: TextIO, lang: str = "en") -> None:
    """The funded selection for a terminal in the language ``lang`` (the reasons and
    notes are the optimizer's, in English)."""
    from rich.console import Console

    console = Console(file=out, highlight=False)
    d = document
    if d["optimal"]:
        state = pgettext(lang, "selection", "optimal")
    else:
        state = pgettext(lang, "selection", "best found")
    funded = npgettext(
        lang,
        "selection",
        "{n} project funded, total value {value} ({state})",
        "{n} projects funded, total value {value} ({state})",
        len(d["selected"]),
    )
    value = decimal_text(d["value"], lang, 1)
    console.print(funded.format(n=len(d["selected"]), value=value, state=state))
    later = pgettext(lang, "selection", "from {month}")
    console.print(
        ", ".join(
            t(s["id"])
            + (f" ({later.format(month=s['start'][:7])})" if s.get("starts_later") else "")
            for s in d["selected"]
        )
    )
    if d["left_out"]:
        left = pgettext(lang, "selection", "left out ({n}):").format(n=len(d["left_out"]))
        console.print(f"\n[bold]{left}[/]", markup=True)
        for item in d["left_out"]:
            console.print(f"  {t(item['id'])}: {t(item['reason'])}")
    per_year = pgettext(lang, "selection", "per year")
    console.print(f"\n[bold]{per_year}[/]", markup=True)
    staff = pgettext(lang, "selection", "staff-years used")
    console.print(_years_table(d["years"], staff, 2, lang))
    _capacity_split(console, d["capacity"], d["effort_missing"], staff, lang)
    print_notes(console, d["notes"], lang)
    if "frontier" in d:
        frontier = pgettext(lang, "selection", "efficient frontier: value against budget")
        console.print(f"\n[bold]{frontier}[/]", markup=True)
        out.write(frontier_chart(d["frontier"], lang=lang))


def frontier_chart(points: Sequence[FrontierItem], width: int = 40, lang: str = "en") -> str:
    """A text bar chart of the frontier, one line per budget level."""
    if not points:
        none = pgettext(
            lang, "selection", "(no budget level fits the projects that must be funded)"
        )
        return none + "\n"
    top = max(p["value"] for p in points) or 1.0
    lines = []
    for p in points:
        bar = "█" * round(width * p["value"] / top)
        added = (f"  + {', '.join(map(clean_cell, p['added']))}" if p["added"] else "") + (
            f"  − {', '.join(map(clean_cell, p['removed']))}" if p["removed"] else ""
        )
        lines.append(
            f"{p['scale']:>5.0%} {p['budget'] / 1e6:>7.2f} M€ {bar:<{width}} "
            f"{p['value']:7.1f} ({p['projects']}){added}"
        )
    return "\n".join(lines) + "\n"
