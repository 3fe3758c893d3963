"""Formatters for people at a terminal (rich): tables and short summaries.

Each reads a document of :mod:`roadmap.present.documents`; rich is
imported inside the functions, so that importing this module stays cheap."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from .escape import strip_controls
from .escape import terminal_text as t

if TYPE_CHECKING:
    from .documents import (
        BundleDocument,
        CapacityRow,
        ExplanationDocument,
        FrontierItem,
        KpiRow,
        MissingDocument,
        PairDocument,
        PlanDocument,
        RankingDocument,
        RankingItem,
        RatingsDocument,
        SelectionDocument,
        YearRow,
    )


def _clean(text: str) -> str:
    """Data in a cell aligned by hand (printed as text, never as markup): control
    characters and escape sequences removed. Most cells have none: checked in C first."""
    return text if text.isprintable() else strip_controls(text)


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
    weights = ", ".join(f"{t(c)} {w:.2f}" for c, w in document["weights"].items())
    header = f"method {t(document['method'])}; weights ({t(document['weights_source'])}): {weights}"
    if "consistency_ratio" in document:
        header += f"; consistency ratio {document['consistency_ratio']:.3f}"
    console.print(header)
    for note in document["notes"]:
        console.print(f"[yellow]note:[/] {t(note)}", markup=True)
    columns: tuple[Column, ...] = RANKING_COLUMNS
    if "robustness" in document and document["projects"]:
        columns += robustness_columns(document["robustness"]["top"])
    rows = [
        (
            {c.header: _clean(c.cell(item)) for c in columns},
            item["band"] in ("wont", "not eligible"),
        )
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
            failures = "; ".join(map(t, item["gate_failures"]))
            console.print(f"{t(item['id'])} is not eligible: {failures}")


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
    console.print(f"[bold]{t(d['id'])}[/] — {t(d['title'])}", markup=True)
    console.print(
        f"rank {d['rank']} of {d['of']} by {t(d['method'])}: score {d['score']:.1f} "
        f"(own score {d['own_score']:.1f})"
    )
    table = Table(header_style="bold")
    for name in ("criterion", "weight", "raw", "normalized", "contribution"):
        table.add_column(name, justify="left" if name == "criterion" else "right")
    for c in d["criteria"]:
        table.add_row(
            t(c["criterion"]) + (" (missing: see the notes)" if c["missing"] else ""),
            "" if c["weight"] is None else f"{c['weight']:.3f}",
            ""
            if c["raw"] is None
            else f"{c['raw']:g}"
            + (f" ({c['range'][0]:g}–{c['range'][1]:g})" if c["range"] else ""),
            "" if c["normalized"] is None else f"{c['normalized']:.3f}",
            f"{c['contribution']:.2f}",
        )
    console.print(table)
    band = t(d["band"]) + (f" (pulled in by {t(d['band_from'])})" if d["band_from"] else "")
    decision = t(d["decision"] or "none")
    console.print(f"decision: {decision}; band: {band}")
    if d["pulled_by"]:
        console.print(
            f"score pulled up from {d['own_score']:.1f} to {d['score']:.1f} by "
            f"{', '.join(map(t, d['pulled_by']))}, which need{'s' * (len(d['pulled_by']) == 1)}"
            " it"
        )
    console.print(f"needed by: {', '.join(map(t, d['dependents'])) or 'no other project'}")
    console.print(f"needs: {', '.join(map(t, d['prerequisites'])) or 'no other project'}")
    if d["waits_for"]:
        console.print(f"waits for prerequisites ranked lower: {', '.join(map(t, d['waits_for']))}")
    for failure in d["gate_failures"]:
        console.print(f"not eligible: {t(failure)}")
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
                f"  {t(lever['criterion'])} from {lever['from']:g} to {lever['to']:g} "
                f"(above {t(lever['above'])})"
            )
    elif d["no_lever"]:
        console.print(f"to move up one rank: {t(d['no_lever'])}")
    if d.get("raters"):
        _rater_contributions(console, d)
    for note in d["notes"]:
        console.print(f"[yellow]note:[/] {t(note)}", markup=True)


def _rater_contributions(console: Any, d: ExplanationDocument) -> None:
    """explain's raters: each rater's scores and the points they add at the weights."""
    from rich.table import Table

    items = d.get("raters", [])
    given = {c for item in items for c in item["scores"]}
    criteria = [c["criterion"] for c in d["criteria"] if c["criterion"] in given]
    table = Table(title="raters (score → points at the weights)", header_style="bold")
    table.add_column("rater")
    for c in criteria:
        table.add_column(t(c), justify="right")
    table.add_column("points", justify="right")
    for item in items:
        table.add_row(
            t(item["name"]),
            *(
                f"{item['scores'][c]:g} → {item['points'][c]:.1f}" if c in item["scores"] else "–"
                for c in criteria
            ),
            f"{item['total']:.1f}",
        )
    console.print(table)


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
            t(p["id"]),
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
            console.print(f"  {t(u['id'])}: {t(u['reason'])}")
    console.print("\n[bold]capacity per year[/]", markup=True)
    console.print(_years_table(d["years"], "staff used (peak)", "{:g}"))
    _capacity_split(console, d["capacity"], d["effort_missing"], "staff at the peak month")
    if d["critical_path"]:
        console.print(
            f"\ncritical path of the dependency network ({d['network_months']} "
            f"months): {' → '.join(map(t, d['critical_path']))}"
        )
    if "what_if" in d:
        earlier = [f"{t(i['id'])} ({i['from']} → {i['to']})" for i in d["what_if"]["earlier"]]
        for items, label in (
            (earlier, "start earlier"),
            ([t(i) for i in d["what_if"]["schedulable"]], "become schedulable"),
        ):
            if items:
                console.print(f"with the changed capacity these {label}: {', '.join(items)}")
    for note in d["notes"]:
        console.print(f"[yellow]note:[/] {t(note)}", markup=True)
    for w in d["warnings"]:
        console.print(
            f"[yellow]warning:[/] {t(w['file'])}:{w['line']}:{w['column']} "
            f"{t('[' + w['code'] + ']')} {t(w['message'])}",
            markup=True,
            highlight=False,
        )


def _capacity_split(
    console: Any, capacity: dict[str, CapacityRow], effort_missing: Sequence[str], staff: str
) -> None:
    """Committed, planned and free per year (budget and staff), and the projects
    without an effort estimate."""
    from rich.table import Table

    table = Table(header_style="bold", box=None, pad_edge=False, title_justify="left")
    for name in ("year", "committed", "planned", "free", f"{staff}: committed", "planned", "free"):
        table.add_column(name, justify="right", no_wrap=True)
    for year, c in capacity.items():
        table.add_row(
            year,
            f"{c['committed_budget']:,.0f}",
            f"{c['planned_budget']:,.0f}",
            f"{c['free_budget']:,.0f}",
            f"{c['committed_staff']:.2f}",
            f"{c['planned_staff']:.2f}",
            f"{c['free_staff']:.2f}",
        )
    console.print(table)
    if effort_missing:
        console.print(
            f"[yellow]effort missing[/] (no budget, no staff: counted as free): "
            f"{', '.join(map(t, effort_missing))}",
            markup=True,
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
            console.print(f"   {t(pid)}: {t(title)}")
        for reason in b["reasons"]:
            console.print(f"   – {t(reason)}")


def pair_table(document: PairDocument, out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False)
    a, b = document["projects"]
    console.print(f"{t(a)} ~ {t(b)}: score {document['score']:.2f}")
    table = Table(header_style="bold", box=None, pad_edge=False)
    for name in ("signal", "value", "reason"):
        table.add_column(name, justify="right" if name == "value" else "left")
    for s in document["signals"]:
        table.add_row(t(s["signal"]), f"{s['value']:.2f}", t(s["reason"]))
    console.print(table)


def selection_table(document: SelectionDocument, out: TextIO) -> None:
    from rich.console import Console

    console = Console(file=out, highlight=False)
    d = document
    state = "optimal" if d["optimal"] else "best found"
    console.print(f"{len(d['selected'])} projects funded, total value {d['value']:.1f} ({state})")
    console.print(
        ", ".join(
            t(s["id"]) + (f" (from {s['start'][:7]})" if s.get("starts_later") else "")
            for s in d["selected"]
        )
    )
    if d["left_out"]:
        console.print(f"\n[bold]left out ({len(d['left_out'])}):[/]", markup=True)
        for item in d["left_out"]:
            console.print(f"  {t(item['id'])}: {t(item['reason'])}")
    console.print("\n[bold]per year[/]", markup=True)
    console.print(_years_table(d["years"], "staff-years used", "{:.2f}"))
    _capacity_split(console, d["capacity"], d["effort_missing"], "staff-years")
    for note in d["notes"]:
        console.print(f"[yellow]note:[/] {t(note)}", markup=True)
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
        added = (f"  + {', '.join(map(_clean, p['added']))}" if p["added"] else "") + (
            f"  − {', '.join(map(_clean, p['removed']))}" if p["removed"] else ""
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
            f"{k.symbol} {t(k.status)}",
            t(k.owner),
            t(f"{k.title} ({k.unit})"),
            f"{k.baseline:g}",
            f"{k.latest:g}",
            f"{k.target:g} ({k.target_date:%Y})",
            "" if k.progress is None else f"{k.progress:.0f} %",
            "" if k.trend_per_year is None else f"{k.trend_per_year:+.1f}",
            "" if k.forecast is None else f"{k.forecast:.1f}",
        )
    Console(file=out, highlight=False).print(table)


def ratings_table(document: RatingsDocument, out: TextIO) -> None:
    """Per project the raters' scores as value (low–high) and the agreement, least
    agreement first; the raters, Kendall's W and the group's weights above."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False)
    d = document
    console.print(
        f"{len(d['raters'])} raters; {d['aggregate']} with {d['spread']} as the range; "
        f"own scores: {d['own_scores']}"
    )
    for r in d["raters"]:
        cr = (
            ""
            if r["consistency_ratio"] is None
            else f", consistency ratio {r['consistency_ratio']:.2f}"
        )
        console.print(
            f"  {t(r['id'])} ({t(r['name'])}): {r['scores']} scores of {r['projects']} projects{cr}"
        )
    if d["kendalls_w"] is None:
        console.print("Kendall's W: needs 2 raters who rated 2 projects in common")
    else:
        console.print(
            f"Kendall's W {d['kendalls_w']:.2f} over the {d['kendalls_w_projects']} projects "
            "every rater rated (1: they rank alike, 0: unrelated)"
        )
    group = d["group_weights"]
    if group is not None:
        shown = ", ".join(f"{c} {w:.2f}" for c, w in group["weights"].items())
        console.print(f"group weights: {shown}; consistency ratio {group['consistency_ratio']:.2f}")
        for rater in group["inconsistent"]:
            console.print(
                f"[yellow]warning:[/] rater {t(rater)}'s comparisons are inconsistent",
                markup=True,
            )
    from .documents import aggregate_cell

    criteria = list(d["weights"])
    table = Table(header_style="bold")
    table.add_column("project")
    table.add_column("agreement", justify="right")
    table.add_column("raters", justify="right")
    for c in criteria:
        table.add_column(t(c), justify="right")
    for p in d["projects"]:
        cells = [aggregate_cell(p["criteria"].get(c)) for c in criteria]
        table.add_row(t(p["id"]), f"{p['agreement']:.0%}", str(len(p["raters"])), *cells)
    console.print(table)


def missing_table(document: MissingDocument, out: TextIO) -> None:
    """Who has not rated what: one line per rater and project."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False)
    if not document["items"]:
        console.print(
            f"all {document['raters']} raters rated every open project on every criterion"
        )
        return
    table = Table(header_style="bold")
    for name in ("rater", "project", "criteria not rated"):
        table.add_column(name)
    for item in document["items"]:
        table.add_row(t(item["rater"]), t(item["project"]), t(", ".join(item["criteria"])))
    console.print(table)
    console.print(f"{document['missing']} scores missing; a missing score is never counted as 0")
