"""Plain-text formatters: JSON, CSV, Markdown, Mermaid and DOT (the problems' formats
are in :mod:`roadmap.present.problems`).

Each reads a document of :mod:`roadmap.present.documents` and writes to a stream; none
computes anything the document does not hold."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from .escape import dot_label, markdown_inline, mermaid_label, spreadsheet_row

if TYPE_CHECKING:
    from ..model import Project
    from .documents import (
        BundleDocument,
        CapacityRow,
        KpiRow,
        MissingDocument,
        PlanDocument,
        RankingDocument,
        RankingItem,
        RatingsDocument,
        SelectionDocument,
    )


def md_cell(text: object) -> str:
    """Text in a Markdown table cell (the problems' Markdown summary uses this name)."""
    return markdown_inline(str(text))


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def write_json(document: Any, out: TextIO) -> None:
    """UTF-8 JSON: the top level indented, each item of a top-level list on a line of
    its own. Readable and diffable, and written by json's C encoder (``indent=`` would
    fall back to the pure-Python one: 10 s instead of 0.3 s for 30,000 projects)."""
    if not isinstance(document, dict):
        out.write(_dumps(document) + "\n")
        return
    out.write("{\n")
    for i, (key, value) in enumerate(document.items()):
        out.write(f"  {_dumps(key)}: ")
        if isinstance(value, list) and value:
            out.write("[\n    " + ",\n    ".join(map(_dumps, value)) + "\n  ]")
        else:
            out.write(_dumps(value))
        out.write(",\n" if i < len(document) - 1 else "\n")
    out.write("}\n")


def write_json_indented(document: Any, out: TextIO) -> None:
    """Fully indented JSON, for small nested documents such as a JSON Schema."""
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def kpi_json(rows: Sequence[KpiRow], out: TextIO) -> None:
    from .documents import kpi_document

    write_json(kpi_document(rows), out)


# the ranking's CSV columns, in order (the criteria and robustness columns follow);
# add a column of the ranking here
CsvValue = str | int | float | None
RANKING_CSV_COLUMNS: tuple[tuple[str, Callable[[RankingItem], CsvValue]], ...] = (
    ("rank", lambda i: i["rank"]),
    ("id", lambda i: i["id"]),
    ("title", lambda i: i["title"]),
    ("field", lambda i: i["field"] or ""),
    ("status", lambda i: i["status"]),
    ("decision", lambda i: i["decision"] or ""),
    ("band", lambda i: i["band"]),
    ("score", lambda i: i["score"]),
    ("own_score", lambda i: i["own_score"]),
    ("pulled_by", lambda i: " ".join(i["pulled_by"])),
)
ROBUSTNESS_CSV_COLUMNS = ("rank_low", "rank_high", "p_top")


def ranking_csv(document: RankingDocument, out: TextIO) -> None:
    import csv

    criteria = (
        list(document["weights"])
        if document["method"] != "wsjf"
        else list(document["projects"][0]["breakdown"])
        if document["projects"]
        else []
    )
    # "\r\n" as the line end makes the writer quote any cell holding a CR or LF, so a
    # title with a bare CR cannot split the row (a plain "\n" line end would not)
    writer = csv.writer(out, lineterminator="\r\n")
    robust = ROBUSTNESS_CSV_COLUMNS if "robustness" in document else ()
    writer.writerow([name for name, _ in RANKING_CSV_COLUMNS] + criteria + list(robust))
    for item in document["projects"]:
        writer.writerow(
            spreadsheet_row(
                [value(item) for _, value in RANKING_CSV_COLUMNS]
                + [item["breakdown"].get(c, "") for c in criteria]
                + (
                    [item.get("rank_low"), item.get("rank_high"), item.get("p_top")]
                    if robust
                    else []
                )
            )
        )


# the ranking's Markdown columns: header, cell, right-aligned; add a column here
RANKING_MD_COLUMNS: tuple[tuple[str, Callable[[RankingItem], str], bool], ...] = (
    ("#", lambda i: str(i["rank"]), True),
    ("id", lambda i: markdown_inline(i["id"]), False),
    ("title", lambda i: markdown_inline(i["title"]), False),
    ("field", lambda i: markdown_inline(i["field"] or ""), False),
    ("status", lambda i: markdown_inline(i["status"]), False),
    ("band", lambda i: markdown_inline(i["band"]), False),
    ("score", lambda i: f"{i['score']:.1f}", True),
    ("own", lambda i: f"{i['own_score']:.1f}", True),
    ("pulled by", lambda i: markdown_inline(", ".join(i["pulled_by"])), False),
)


def ranking_md(document: RankingDocument, out: TextIO) -> None:
    weights = ", ".join(f"{markdown_inline(c)} {w:.2f}" for c, w in document["weights"].items())
    out.write(f"Method **{markdown_inline(document['method'])}**; weights: {weights}\n\n")
    for note in document["notes"]:
        out.write(f"> Note: {markdown_inline(note)}\n\n")
    columns = RANKING_MD_COLUMNS
    if "robustness" in document:
        columns += (
            ("rank 5–95 %", lambda i: f"{i.get('rank_low')}–{i.get('rank_high')}", False),
            (f"P(top {document['robustness']['top']})", lambda i: f"{i.get('p_top'):.0%}", False),
        )
    out.write("| " + " | ".join(header for header, _, _ in columns) + " |\n")
    out.write("|" + "|".join("---:" if right else "---" for _, _, right in columns) + "|\n")
    for item in document["projects"]:
        out.write("| " + " | ".join(cell(item) for _, cell, _ in columns) + " |\n")


def plan_md(document: PlanDocument, out: TextIO) -> None:
    """A Mermaid gantt chart (renders on GitHub and GitLab) and the tables."""
    d = document
    # inclusiveEndDates: a bar ends on the day the project ends, not the day before
    out.write(
        "```mermaid\ngantt\n    dateFormat YYYY-MM-DD\n    axisFormat %Y\n    inclusiveEndDates\n"
    )
    out.write("    title Roadmap\n")
    for p in d["projects"]:
        tags = ", ".join(
            t
            for t in (
                "crit" if p["critical"] else "",
                "done" if p["status"] == "done" else "",
                "active" if p["status"] == "in_progress" else "",
            )
            if t
        )
        label = mermaid_label(p["title"])
        out.write(
            f"    {label} :{tags + ', ' if tags else ''}{mermaid_id(p['id'])}, "
            f"{p['start']}, {p['end']}\n"
        )
    out.write("```\n\n")
    out.write(
        "| id | start | end | months | slack days | critical |\n|---|---|---|---:|---:|---|\n"
    )
    for p in d["projects"]:
        out.write(
            f"| {markdown_inline(p['id'])} | {p['start']} | {p['end']} | {p['months']} | "
            f"{p['slack_days']} | {'yes' if p['critical'] else ''} |\n"
        )
    if d["unscheduled"]:
        out.write("\n**Not scheduled**\n\n")
        for u in d["unscheduled"]:
            out.write(f"- {markdown_inline(u['id'])}: {markdown_inline(u['reason'])}\n")
    capacity_split_md(d["capacity"], d["effort_missing"], out)
    _plan_notes_md(d, out)


def _plan_notes_md(d: PlanDocument, out: TextIO) -> None:
    """The plan's notes and warnings, as the table shows them."""
    if d["notes"]:
        out.write("\n**Notes**\n\n")
        for note in d["notes"]:
            out.write(f"- {markdown_inline(note)}\n")
    if d["warnings"]:
        out.write("\n**Warnings**\n\n")
        for w in d["warnings"]:
            where = f"{w['file']}:{w['line']}:{w['column']}" if w["line"] else w["file"]
            out.write(
                f"- {markdown_inline(where)}: [{markdown_inline(w['code'])}] "
                f"{markdown_inline(w['message'])}\n"
            )


STATUS_COLOURS = {  # fill, text; status is also written in the label: never colour alone
    "idea": ("#f2f2f2", "#000000"),
    "proposed": ("#fff4cc", "#000000"),
    "approved": ("#d6ecff", "#000000"),
    "in_progress": ("#cce5cc", "#000000"),
    "on_hold": ("#ffd9b3", "#000000"),
    "done": ("#e0e0e0", "#404040"),
    "cancelled": ("#ffffff", "#808080"),
}


def mermaid_id(project_id: str) -> str:
    """A Mermaid node id: project ids have no '_', so this cannot collide."""
    return "p_" + project_id.replace("-", "_")


def graph_mermaid(
    nodes: Sequence[Project],
    edges: Sequence[tuple[str, str]],
    critical: set[tuple[str, str]],
    out: TextIO,
) -> None:
    out.write("flowchart LR\n")
    for status, (fill, text) in STATUS_COLOURS.items():
        out.write(f"    classDef {status} fill:{fill},color:{text},stroke:#555\n")
    for p in nodes:
        label = mermaid_label(f"{p.title} ({p.status})")
        out.write(f'    {mermaid_id(p.id)}["{label}"]:::{p.status}\n')
    highlighted = []
    for i, (a, b) in enumerate(edges):
        arrow = "==>" if (a, b) in critical else "-->"
        out.write(f"    {mermaid_id(a)} {arrow} {mermaid_id(b)}\n")
        if (a, b) in critical:
            highlighted.append(str(i))
    if highlighted:
        out.write(f"    linkStyle {','.join(highlighted)} stroke:#c00000,stroke-width:3px\n")


def graph_dot(
    nodes: Sequence[Project],
    edges: Sequence[tuple[str, str]],
    critical: set[tuple[str, str]],
    out: TextIO,
) -> None:
    out.write('digraph roadmap {\n  rankdir=LR;\n  node [shape=box, style="rounded,filled"];\n')
    for p in nodes:
        fill, text = STATUS_COLOURS[p.status]
        out.write(
            f"  {dot_label(p.id)} [label={dot_label(f'{p.title} ({p.status})')}, "
            f'fillcolor="{fill}", fontcolor="{text}"];\n'
        )
    for a, b in edges:
        style = ' [color="#c00000", penwidth=3]' if (a, b) in critical else ""
        out.write(f"  {dot_label(a)} -> {dot_label(b)}{style};\n")
    out.write("}\n")


def graph_json(
    nodes: Sequence[Project],
    edges: Sequence[tuple[str, str]],
    critical: set[tuple[str, str]],
    out: TextIO,
) -> None:
    """The graph for programs: ``nodes`` (id, title, status, field), ``edges`` (from the
    prerequisite to the project that needs it, whether on the critical path) and the
    ``critical`` edges on their own."""
    write_json(
        {
            "nodes": [
                {"id": p.id, "title": p.title, "status": p.status, "field": p.field} for p in nodes
            ],
            "edges": [{"from": a, "to": b, "critical": (a, b) in critical} for a, b in edges],
            "critical": [{"from": a, "to": b} for a, b in edges if (a, b) in critical],
        },
        out,
    )


def bundle_md(document: BundleDocument, out: TextIO) -> None:
    out.write(f"Suggested bundles (threshold {document['threshold']}):\n\n")
    out.write("| # | projects | score | why |\n|---:|---|---:|---|\n")
    for number, b in enumerate(document["bundles"], start=1):
        projects = "<br>".join(
            f"{markdown_inline(p)}: {markdown_inline(t)}"
            for p, t in zip(b["projects"], b["titles"], strict=True)
        )
        reasons = "; ".join(markdown_inline(r) for r in b["reasons"])
        out.write(f"| {number} | {projects} | {b['score']:.2f} | {reasons} |\n")


def capacity_split_md(
    capacity: dict[str, CapacityRow], effort_missing: Sequence[str], out: TextIO
) -> None:
    """Committed, planned and free per year, and the projects without an effort estimate."""
    out.write(
        "\n| year | budget | committed | planned | free | staff | committed | planned | free |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    for year, c in capacity.items():
        out.write(
            f"| {year} | {c['budget']:,.0f} | {c['committed_budget']:,.0f} | "
            f"{c['planned_budget']:,.0f} | {c['free_budget']:,.0f} | {c['staff']:g} | "
            f"{c['committed_staff']:.2f} | {c['planned_staff']:.2f} | {c['free_staff']:.2f} |\n"
        )
    if effort_missing:
        ids = ", ".join(markdown_inline(i) for i in effort_missing)
        out.write(f"\n**Effort missing** (no budget, no staff: counted as free): {ids}\n")


def selection_md(document: SelectionDocument, out: TextIO) -> None:
    d = document
    out.write(f"**{len(d['selected'])} projects funded**, total value {d['value']:.1f}\n\n")
    out.write("| project | value |\n|---|---:|\n")
    for s in d["selected"]:
        out.write(f"| {markdown_inline(s['id'])} | {s['score']:.1f} |\n")
    if d["left_out"]:
        out.write("\n| left out | why |\n|---|---|\n")
        for item in d["left_out"]:
            out.write(f"| {markdown_inline(item['id'])} | {markdown_inline(item['reason'])} |\n")
    capacity_split_md(d["capacity"], d["effort_missing"], out)
    for note in d["notes"]:
        out.write(f"\n> Note: {markdown_inline(note)}\n")
    if "frontier" in d:
        out.write("\n| budget | value | projects | added |\n|---:|---:|---:|---|\n")
        for p in d["frontier"]:
            out.write(
                f"| {p['budget']:,.0f} € ({p['scale']:.0%}) | {p['value']:.1f} | "
                f"{p['projects']} | {markdown_inline(', '.join(p['added']))} |\n"
            )


def ratings_md(document: RatingsDocument, out: TextIO) -> None:
    """The raters' agreement as a Markdown table, least agreement first."""
    w = document["kendalls_w"]
    out.write(
        f"{len(document['raters'])} raters; Kendall's W "
        f"{'–' if w is None else f'{w:.2f}'} over {document['kendalls_w_projects']} projects\n\n"
    )
    from .documents import aggregate_cell

    criteria = list(document["weights"])
    out.write("| project | agreement | raters | " + " | ".join(map(md_cell, criteria)) + " |\n")
    out.write("|---|---:|---:|" + "---:|" * len(criteria) + "\n")
    for p in document["projects"]:
        cells = [aggregate_cell(p["criteria"].get(c)) for c in criteria]
        out.write(
            f"| {md_cell(p['id'])} | {p['agreement']:.0%} | {len(p['raters'])} | "
            + " | ".join(cells)
            + " |\n"
        )


def missing_md(document: MissingDocument, out: TextIO) -> None:
    out.write("| rater | project | criteria not rated |\n|---|---|---|\n")
    for item in document["items"]:
        out.write(
            f"| {md_cell(item['rater'])} | {md_cell(item['project'])} | "
            f"{md_cell(', '.join(item['criteria']))} |\n"
        )
