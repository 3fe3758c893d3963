"""Formatters for people at a terminal (rich): tables and short summaries.

Each reads a document of :mod:`roadmap.present.documents` (or problems); rich is
imported inside the functions, so that importing this module stays cheap."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import Problem
from .text import _summary, counts

if TYPE_CHECKING:
    from .documents import (
        BundleDocument,
        ExplanationDocument,
        FrontierItem,
        KpiRow,
        PairDocument,
        PlanDocument,
        RankingDocument,
        RankingItem,
        SelectionDocument,
        YearRow,
    )


def problems_table(problems: Sequence[Problem], out: TextIO, files: int | None = None) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False, soft_wrap=True)
    for p in problems:
        style = "bold red" if p.is_error else "yellow"
        line = Text()
        line.append(f"{p.file}:{p.line}:{p.column}", style="bold")
        line.append(": ")
        line.append(p.severity.value, style=style)
        line.append(f" [{p.code}] ", style="dim")
        line.append(p.message)
        console.print(line)
    errors, _ = counts(problems)
    console.print(
        Text(
            _summary(problems, files),
            style="bold red" if errors else ("yellow" if problems else "green"),
        )
    )


def _top_criteria(item: RankingItem, count: int = 2) -> str:
    best = sorted(item["breakdown"].items(), key=lambda kv: (-kv[1], kv[0]))[:count]
    return ", ".join(f"{k} {v:.1f}" for k, v in best if v > 0)


def _pulled(item: RankingItem) -> str:
    pulled: list[str] = item["pulled_by"]
    return ", ".join(pulled[:2]) + (f" +{len(pulled) - 2}" if len(pulled) > 2 else "")


@dataclass(frozen=True)
class Column:
    """A column of the ranking table: its header, its cell, its place in the table's
    priority (a narrow terminal shows the columns of the lowest priorities), and
    whether it aligns right."""

    header: str
    cell: Callable[[RankingItem], str]
    priority: float
    numeric: bool = False


# in the order they are shown; add a column of the ranking here
RANKING_COLUMNS = (
    Column("#", lambda i: str(i["rank"]), 0, numeric=True),
    Column("id", lambda i: i["id"], 1),
    Column("title", lambda i: i["title"], 5),
    Column("field", lambda i: i["field"] or "", 8),
    Column("status", lambda i: i["status"], 7),
    Column("band", lambda i: i["band"] if i["eligible"] else "not eligible", 2),
    Column("score", lambda i: f"{i['score']:.1f}", 3, numeric=True),
    Column("own", lambda i: f"{i['own_score']:.1f}", 4, numeric=True),
    Column("pulled by", _pulled, 6),
    Column("top criteria", _top_criteria, 9),
)


def robustness_columns(top: int) -> tuple[Column, ...]:
    """With robustness draws: after the scores in priority, last in the table."""
    return (
        Column("rank 5–95 %", lambda i: f"{i.get('rank_low')}–{i.get('rank_high')}", 4.1),
        Column(f"P(top {top})", lambda i: f"{i.get('p_top'):.0%}", 4.2),
    )


TITLE_MIN, TITLE_MAX = 12, 48  # the title column shrinks to fit, down to TITLE_MIN


def ranking_table(document: RankingDocument, out: TextIO) -> None:
    from rich.cells import cell_len, set_cell_size
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False)
    weights = ", ".join(f"{c} {w:.2f}" for c, w in document["weights"].items())
    header = f"method {document['method']}; weights ({document['weights_source']}): {weights}"
    if "consistency_ratio" in document:
        header += f"; consistency ratio {document['consistency_ratio']:.3f}"
    console.print(header)
    for note in document["notes"]:
        console.print(f"[yellow]note:[/] {note}", markup=True)
    columns: tuple[Column, ...] = RANKING_COLUMNS
    if "robustness" in document and document["projects"]:
        columns += robustness_columns(document["robustness"]["top"])
    rows = [
        ({c.header: c.cell(item) for c in columns}, item["band"] in ("wont", "not eligible"))
        for item in document["projects"]
    ]
    shown, title_width = _fitting_columns(columns, [cells for cells, _ in rows], console.width)
    # Aligned by hand rather than with rich's Table: rendering 30,000 rows with it takes
    # 40 s, this takes well under one.
    widths = {
        c.header: title_width
        if c.header == "title"
        else max([cell_len(c.header)] + [cell_len(cells[c.header]) for cells, _ in rows])
        for c in shown
    }

    def line(cells: dict[str, str]) -> str:
        parts = []
        for c in shown:
            text, width = cells[c.header], widths[c.header]
            if cell_len(text) > width:
                text = set_cell_size(text, width - 1) + "…"
            pad = " " * (width - cell_len(text))
            parts.append(pad + text if c.numeric else text + pad)
        return "  ".join(parts).rstrip()

    console.print(Text(line({c.header: c.header for c in shown}), style="bold"))
    if console.is_terminal:  # dim what the committee decided against, where it shows
        for cells, dim in rows:
            console.print(Text(line(cells), style="dim" if dim else ""))
    else:
        out.write("".join(line(cells) + "\n" for cells, _ in rows))
    for item in document["projects"]:
        if item["gate_failures"]:
            console.print(f"{item['id']} is not eligible: {'; '.join(item['gate_failures'])}")


def _fitting_columns(
    columns: Sequence[Column], rows: list[dict[str, str]], width: int
) -> tuple[list[Column], int]:
    """The columns that fit ``width`` (taken in priority order, shown in table order),
    and the title's width."""
    natural = {c.header: max([len(c.header)] + [len(r[c.header]) for r in rows]) for c in columns}
    natural["title"] = min(natural["title"], TITLE_MAX)
    chosen: list[Column] = []
    used = 0
    for column in sorted(columns, key=lambda c: c.priority):
        need = (TITLE_MIN if column.header == "title" else natural[column.header]) + (
            2 if chosen else 0
        )
        if used + need <= width:
            chosen.append(column)
            used += need
    title_width = min(natural["title"], TITLE_MIN + width - used)
    return [c for c in columns if c in chosen], title_width


def explanation_table(document: ExplanationDocument, out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False)
    d = document
    console.print(f"[bold]{d['id']}[/] — {d['title']}", markup=True)
    console.print(
        f"rank {d['rank']} of {d['of']} by {d['method']}: score {d['score']:.1f} "
        f"(own score {d['own_score']:.1f})"
    )
    table = Table(header_style="bold")
    for name in ("criterion", "weight", "raw", "normalized", "contribution"):
        table.add_column(name, justify="left" if name == "criterion" else "right")
    for c in d["criteria"]:
        table.add_row(
            c["criterion"] + (" (missing: see the notes)" if c["missing"] else ""),
            "" if c["weight"] is None else f"{c['weight']:.3f}",
            ""
            if c["raw"] is None
            else f"{c['raw']:g}"
            + (f" ({c['range'][0]:g}–{c['range'][1]:g})" if c["range"] else ""),
            "" if c["normalized"] is None else f"{c['normalized']:.3f}",
            f"{c['contribution']:.2f}",
        )
    console.print(table)
    band = d["band"] + (f" (pulled in by {d['band_from']})" if d["band_from"] else "")
    decision = d["decision"] or "none"
    console.print(f"decision: {decision}; band: {band}")
    if d["pulled_by"]:
        console.print(
            f"score pulled up from {d['own_score']:.1f} to {d['score']:.1f} by "
            f"{', '.join(d['pulled_by'])}, which need{'s' * (len(d['pulled_by']) == 1)}"
            " it"
        )
    console.print(f"needed by: {', '.join(d['dependents']) or 'no other project'}")
    console.print(f"needs: {', '.join(d['prerequisites']) or 'no other project'}")
    if d["waits_for"]:
        console.print(f"waits for prerequisites ranked lower: {', '.join(d['waits_for'])}")
    for failure in d["gate_failures"]:
        console.print(f"not eligible: {failure}")
    if "robustness" in d:
        r = d["robustness"]
        console.print(
            f"robustness ({r['draws']} draws of the weights): rank {r['rank_low']}–"
            f"{r['rank_high']} (5th–95th percentile), in the top {r['top']} with "
            f"probability {r['p_top']:.0%}"
        )
    if d["levers"]:
        console.print("to move up one rank, one of these single changes would do:")
        for lever in d["levers"]:
            console.print(
                f"  {lever['criterion']} from {lever['from']:g} to {lever['to']:g} "
                f"(above {lever['above']})"
            )
    elif d["no_lever"]:
        console.print(f"to move up one rank: {d['no_lever']}")
    for note in d["notes"]:
        console.print(f"[yellow]note:[/] {note}", markup=True)


def plan_table(document: PlanDocument, out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False)
    d = document
    if d["end"]:
        console.print(
            f"plan from {d['start']} to {d['end']}: {d['plan_months']} months; "
            f"lower bound {d['lower_bound_months']} months"
            + (f" (ratio {d['quality']:.2f})" if d["quality"] else "")
        )
    table = Table(header_style="bold", box=None, pad_edge=False)
    for name in ("id", "start", "end", "months", "slack", "crit", "kept"):
        table.add_column(
            name,
            no_wrap=True,
            overflow="ellipsis",
            justify="right" if name in ("months", "slack") else "left",
            min_width=len(name) if name != "id" else 10,
        )
    for p in d["projects"]:
        table.add_row(
            p["id"],
            p["start"],
            p["end"],
            str(p["months"]),
            f"{p['slack_days']}d",
            "yes" if p["critical"] else "",
            "yes" if p["fixed"] else "",
        )
    console.print(table)
    if d["unscheduled"]:
        console.print(f"\n[bold]not scheduled ({len(d['unscheduled'])}):[/]", markup=True)
        for u in d["unscheduled"]:
            console.print(f"  {u['id']}: {u['reason']}")
    console.print("\n[bold]capacity per year[/]", markup=True)
    console.print(_years_table(d["years"], "staff used (peak)", "{:g}"))
    if d["critical_path"]:
        console.print(
            f"\ncritical path of the dependency network ({d['network_months']} "
            f"months): {' → '.join(d['critical_path'])}"
        )
    if "what_if" in d:
        earlier = [f"{i['id']} ({i['from']} → {i['to']})" for i in d["what_if"]["earlier"]]
        for items, label in (
            (earlier, "start earlier"),
            (d["what_if"]["schedulable"], "become schedulable"),
        ):
            if items:
                console.print(f"with the changed capacity these {label}: {', '.join(items)}")
    for note in d["notes"]:
        console.print(f"[yellow]note:[/] {note}", markup=True)
    for w in d["warnings"]:
        console.print(
            f"[yellow]warning:[/] {w['file']}:{w['line']}:{w['column']} "
            f"[{w['code']}] {w['message']}",
            markup=True,
            highlight=False,
        )


def _years_table(years: dict[str, YearRow], staff_label: str, staff_format: str) -> Any:
    """Budget and staff used against capacity, one row per year."""
    from rich.table import Table

    table = Table(header_style="bold", box=None, pad_edge=False)
    for name in ("year", "budget used", "budget", staff_label, "staff"):
        table.add_column(name, justify="right", no_wrap=True)
    for year, y in years.items():
        table.add_row(
            year,
            f"{y['budget_used']:,.0f}",
            f"{y['budget']:,.0f}",
            staff_format.format(y["staff_used"]),
            f"{y['staff']:g}",
        )
    return table


def bundle_table(document: BundleDocument, out: TextIO) -> None:
    from rich.console import Console

    console = Console(file=out, highlight=False)
    if not document["bundles"]:
        console.print(f"no bundles above the threshold {document['threshold']}")
        return
    console.print(
        f"{len(document['bundles'])} suggested bundles (threshold "
        f"{document['threshold']}), strongest first:"
    )
    for number, b in enumerate(document["bundles"], start=1):
        console.print(f"\n[bold]{number}. score {b['score']:.2f}[/]", markup=True)
        for pid, title in zip(b["projects"], b["titles"], strict=True):
            console.print(f"   {pid}: {title}")
        for reason in b["reasons"]:
            console.print(f"   – {reason}")


def pair_table(document: PairDocument, out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False)
    a, b = document["projects"]
    console.print(f"{a} ~ {b}: score {document['score']:.2f}")
    table = Table(header_style="bold", box=None, pad_edge=False)
    for name in ("signal", "value", "reason"):
        table.add_column(name, justify="right" if name == "value" else "left")
    for s in document["signals"]:
        table.add_row(s["signal"], f"{s['value']:.2f}", s["reason"])
    console.print(table)


def selection_table(document: SelectionDocument, out: TextIO) -> None:
    from rich.console import Console

    console = Console(file=out, highlight=False)
    d = document
    state = "optimal" if d["optimal"] else "best found"
    console.print(f"{len(d['selected'])} projects funded, total value {d['value']:.1f} ({state})")
    console.print(", ".join(s["id"] for s in d["selected"]))
    if d["left_out"]:
        console.print(f"\n[bold]left out ({len(d['left_out'])}):[/]", markup=True)
        for item in d["left_out"]:
            console.print(f"  {item['id']}: {item['reason']}")
    console.print("\n[bold]per year[/]", markup=True)
    console.print(_years_table(d["years"], "staff-years used", "{:.2f}"))
    for note in d["notes"]:
        console.print(f"[yellow]note:[/] {note}", markup=True)
    if "frontier" in d:
        console.print("\n[bold]efficient frontier: value against budget[/]", markup=True)
        out.write(frontier_chart(d["frontier"]))


def frontier_chart(points: Sequence[FrontierItem], width: int = 40) -> str:
    """A text bar chart of the frontier, one line per budget level."""
    if not points:
        return "(no budget level fits the projects that must be funded)\n"
    top = max(p["value"] for p in points) or 1.0
    lines = []
    for p in points:
        bar = "█" * round(width * p["value"] / top)
        added = (f"  + {', '.join(p['added'])}" if p["added"] else "") + (
            f"  − {', '.join(p['removed'])}" if p["removed"] else ""
        )
        lines.append(
            f"{p['scale']:>5.0%} {p['budget'] / 1e6:>7.2f} M€ {bar:<{width}} "
            f"{p['value']:7.1f} ({p['projects']}){added}"
        )
    return "\n".join(lines) + "\n"


_KPI_NUMBERS = ("baseline", "latest", "target", "progress", "trend/year", "forecast")


def kpi_table(rows: Sequence[KpiRow], out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(header_style="bold", box=None, pad_edge=False)
    for name in ("status", "of", "kpi", *_KPI_NUMBERS):
        table.add_column(
            name, no_wrap=name != "kpi", justify="right" if name in _KPI_NUMBERS else "left"
        )
    for k in rows:
        table.add_row(
            f"{k.symbol} {k.status}",
            k.owner,
            f"{k.title} ({k.unit})",
            f"{k.baseline:g}",
            f"{k.latest:g}",
            f"{k.target:g} ({k.target_date:%Y})",
            "" if k.progress is None else f"{k.progress:.0f} %",
            "" if k.trend_per_year is None else f"{k.trend_per_year:+.1f}",
            "" if k.forecast is None else f"{k.forecast:.1f}",
        )
    Console(file=out, highlight=False).print(table)
