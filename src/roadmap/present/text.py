"""Plain-text formatters: JSON, CSV, Markdown, Mermaid and DOT (the problems' formats
are in :mod:`roadmap.present.problems`).

Each reads a document of :mod:`roadmap.present.documents` and writes to a stream; none
computes anything the document does not hold."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from .escape import dot_label, markdown_inline, mermaid_label, spreadsheet_row
from .i18n import listed, locale_of, marked, npgettext, number, pgettext
from .wording import worded
from .words import band_word, reason_text, status_word

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


# the ranking's Markdown columns: header (marked for the catalogs), cell, right-aligned;
# add a column here
RANKING_MD_COLUMNS: tuple[tuple[str, Callable[[RankingItem, str], str], bool], ...] = (
    (marked("ranking-md", "#"), lambda i, lang: str(i["rank"]), True),
    (marked("ranking-md", "id"), lambda i, lang: markdown_inline(i["id"]), False),
    (marked("ranking-md", "title"), lambda i, lang: markdown_inline(i["title"]), False),
    (marked("ranking-md", "field"), lambda i, lang: markdown_inline(i["field"] or ""), False),
    (
        marked("ranking-md", "status"),
        lambda i, lang: markdown_inline(status_word(i["status"], lang)),
        False,
    ),
    (
        marked("ranking-md", "band"),
        lambda i, lang: markdown_inline(band_word(i["band"], lang)),
        False,
    ),
    (marked("ranking-md", "score"), lambda i, lang: number(i["score"], lang, 1), True),
    (marked("ranking-md", "own"), lambda i, lang: number(i["own_score"], lang, 1), True),
    (
        marked("ranking-md", "pulled by"),
        lambda i, lang: markdown_inline(listed(i["pulled_by"], lang)),
        False,
    ),
)


def ranking_md(document: RankingDocument, out: TextIO, lang: str = "en") -> None:
    """The ranking as a Markdown table in the language (``lang``): method, weights,
    the ranking's notes, one row per project."""
    weights = ", ".join(
        f"{markdown_inline(c)} {number(w, lang, 2)}" for c, w in document["weights"].items()
    )
    out.write(
        pgettext(lang, "ranking-md", "Method **{method}**; weights: {weights}").format(
            method=markdown_inline(document["method"]), weights=weights
        )
        + "\n\n"
    )
    for note in document["notes"]:
        label = pgettext(lang, "ranking-md", "Note")
        out.write(f"> {label}: {markdown_inline(worded(note, lang))}\n\n")
    columns = [
        (pgettext(lang, "ranking-md", header), cell, right)
        for header, cell, right in RANKING_MD_COLUMNS
    ]
    if "robustness" in document:
        top = document["robustness"]["top"]
        columns += [
            (
                pgettext(lang, "ranking-md", "rank 5–95 %"),
                lambda i, lang: f"{i.get('rank_low')}–{i.get('rank_high')}",
                False,
            ),
            (
                pgettext(lang, "ranking-md", "P(top {n})").format(n=top),
                lambda i, lang: percent(i.get("p_top") or 0.0, lang),
                False,
            ),
        ]
    out.write("| " + " | ".join(header for header, _, _ in columns) + " |\n")
    out.write("|" + "|".join("---:" if right else "---" for _, _, right in columns) + "|\n")
    for item in document["projects"]:
        out.write("| " + " | ".join(cell(item, lang) for _, cell, _ in columns) + " |\n")


# the plan's table columns, marked for the catalogs
PLAN_MD_HEADERS = (
    marked("plan-md", "id"),
    marked("plan-md", "start"),
    marked("plan-md", "end"),
    marked("plan-md", "months"),
    marked("plan-md", "slack days"),
    marked("plan-md", "critical"),
)


def percent(value: float, lang: str) -> str:
    """A share as the language writes it (``42 %`` in German, ``42%`` in English)."""
    from babel.numbers import format_percent

    return str(format_percent(value, locale=locale_of(lang)))


def plan_md(document: PlanDocument, out: TextIO, lang: str = "en") -> None:
    """A Mermaid gantt chart (renders on GitHub and GitLab) and the tables, in the
    language (``lang``)."""
    d = document
    # inclusiveEndDates: a bar ends on the day the project ends, not the day before
    out.write(
        "```mermaid\ngantt\n    dateFormat YYYY-MM-DD\n    axisFormat %Y\n    inclusiveEndDates\n"
    )
    title = pgettext(lang, "plan-md", "Roadmap")
    out.write(f"    title {mermaid_label(title)}\n")
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
    headers = [pgettext(lang, "plan-md", header) for header in PLAN_MD_HEADERS]
    out.write("| " + " | ".join(headers) + " |\n|---|---|---|---:|---:|---|\n")
    critical = pgettext(lang, "plan-md", "yes")
    for p in d["projects"]:
        out.write(
            f"| {markdown_inline(p['id'])} | {p['start']} | {p['end']} | {p['months']} | "
            f"{p['slack_days']} | {critical if p['critical'] else ''} |\n"
        )
    if d["unscheduled"]:
        heading = pgettext(lang, "plan-md", "Not scheduled")
        out.write(f"\n**{heading}**\n\n")
        for u in d["unscheduled"]:
            why = reason_text(u["code"], u["params"], lang)
            out.write(f"- {markdown_inline(u['id'])}: {markdown_inline(why)}\n")
    capacity_split_md(d["capacity"], d["effort_missing"], out, lang)
    _plan_notes_md(d, out, lang)


def _plan_notes_md(d: PlanDocument, out: TextIO, lang: str = "en") -> None:
    """The plan's notes and warnings, as the table shows them (the warnings' messages
    as validate gives them; their files and lines are validate's to show)."""
    if d["notes"]:
        heading = pgettext(lang, "plan-md", "Notes")
        out.write(f"\n**{heading}**\n\n")
        for note in d["notes"]:
            out.write(f"- {markdown_inline(worded(note, lang))}\n")
    if d["warnings"]:
        heading = pgettext(lang, "plan-md", "Warnings")
        out.write(f"\n**{heading}**\n\n")
        for w in d["warnings"]:
            out.write(f"- {markdown_inline(worded(w['message'], lang))}\n")


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
    lang: str = "en",
) -> None:
    out.write("flowchart LR\n")
    for status, (fill, text) in STATUS_COLOURS.items():
        out.write(f"    classDef {status} fill:{fill},color:{text},stroke:#555\n")
    for p in nodes:
        label = mermaid_label(f"{p.title} ({status_word(p.status, lang)})")
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
    lang: str = "en",
) -> None:
    out.write('digraph roadmap {\n  rankdir=LR;\n  node [shape=box, style="rounded,filled"];\n')
    for p in nodes:
        fill, text = STATUS_COLOURS[p.status]
        label = dot_label(f"{p.title} ({status_word(p.status, lang)})")
        out.write(f'  {dot_label(p.id)} [label={label}, fillcolor="{fill}", fontcolor="{text}"];\n')
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


def bundle_md(document: BundleDocument, out: TextIO, lang: str = "en") -> None:
    """The suggested bundles as a Markdown table in the language ``lang``."""
    from .texts import evidence_words

    heading = pgettext(lang, "bundle-md", "Suggested bundles (threshold {threshold}):")
    threshold = number(document["threshold"], lang) if lang != "en" else document["threshold"]
    out.write(heading.format(threshold=threshold) + "\n\n")
    headers = [pgettext(lang, "bundle-md", header) for header in BUNDLE_MD_HEADERS]
    out.write("| " + " | ".join(headers) + " |\n|---:|---|---:|---|\n")
    for position, b in enumerate(document["bundles"], start=1):
        projects = "<br>".join(
            f"{markdown_inline(p)}: {markdown_inline(t)}"
            for p, t in zip(b["projects"], b["titles"], strict=True)
        )
        reasons = "; ".join(
            markdown_inline(evidence_words(e["code"], e["params"], lang)) for e in b["evidence"]
        )
        score = f"{b['score']:.2f}" if lang == "en" else number(b["score"], lang, 2)
        out.write(f"| {position} | {projects} | {score} | {reasons} |\n")


def capacity_split_md(
    capacity: dict[str, CapacityRow], effort_missing: Sequence[str], out: TextIO, lang: str = "en"
) -> None:
    """Committed, planned and free per year, and the projects without an effort estimate."""

    def amount(value: float, digits: int) -> str:
        return f"{value:,.{digits}f}" if lang == "en" else number(value, lang, digits)

    heads = [pgettext(lang, "capacity", h) for h in CAPACITY_MD_HEADERS]
    out.write("\n| " + " | ".join(heads) + " |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    for year, c in capacity.items():
        out.write(
            f"| {year} | {amount(c['budget'], 0)} | {amount(c['committed_budget'], 0)} | "
            f"{amount(c['planned_budget'], 0)} | {amount(c['free_budget'], 0)} | "
            f"{amount(c['staff'], 2)} | {amount(c['committed_staff'], 2)} | "
            f"{amount(c['planned_staff'], 2)} | {amount(c['free_staff'], 2)} |\n"
        )
    if effort_missing:
        ids = ", ".join(markdown_inline(i) for i in effort_missing)
        label = pgettext(lang, "capacity", "effort missing")
        why = pgettext(lang, "capacity", "(no budget, no staff: counted as free)")
        out.write(f"\n**{label}** {why}: {ids}\n")


CAPACITY_MD_HEADERS = (
    marked("capacity", "year"),
    marked("capacity", "budget"),
    marked("capacity", "committed"),
    marked("capacity", "planned"),
    marked("capacity", "free"),
    marked("capacity", "staff"),
    marked("capacity", "committed"),
    marked("capacity", "planned"),
    marked("capacity", "free"),
)


BUNDLE_MD_HEADERS = (
    marked("bundle-md", "#"),
    marked("bundle-md", "projects"),
    marked("bundle-md", "score"),
    marked("bundle-md", "why"),
)


def selection_md(document: SelectionDocument, out: TextIO, lang: str = "en") -> None:
    """The funded selection as Markdown in the language ``lang`` (the reasons are the
    optimizer's, in English)."""
    d = document

    def decimal(value: float, digits: int) -> str:
        return f"{value:.{digits}f}" if lang == "en" else number(value, lang, digits)

    funded = npgettext(
        lang,
        "selection-md",
        "**{n} project funded**, total value {value}",
        "**{n} projects funded**, total value {value}",
        len(d["selected"]),
    )
    out.write(funded.format(n=len(d["selected"]), value=decimal(d["value"], 1)) + "\n\n")
    project, value = (
        pgettext(lang, "selection-md", "project"),
        pgettext(lang, "selection-md", "value"),
    )
    out.write(f"| {project} | {value} |\n|---|---:|\n")
    for s in d["selected"]:
        out.write(f"| {markdown_inline(s['id'])} | {decimal(s['score'], 1)} |\n")
    if d["left_out"]:
        left, why = (
            pgettext(lang, "selection-md", "left out"),
            pgettext(lang, "selection-md", "why"),
        )
        out.write(f"\n| {left} | {why} |\n|---|---|\n")
        for item in d["left_out"]:
            out.write(f"| {markdown_inline(item['id'])} | {markdown_inline(item['reason'])} |\n")
    capacity_split_md(d["capacity"], d["effort_missing"], out, lang)
    note_label = pgettext(lang, "selection-md", "Note:")
    for note in d["notes"]:
        out.write(f"\n> {note_label} {markdown_inline(note)}\n")
    if "frontier" in d:
        headers = [pgettext(lang, "selection-md", h) for h in FRONTIER_MD_HEADERS]
        out.write("\n| " + " | ".join(headers) + " |\n|---:|---:|---:|---|\n")
        for p in d["frontier"]:
            budget = f"{p['budget']:,.0f}" if lang == "en" else number(p["budget"], lang, 0)
            out.write(
                f"| {budget} € ({percent(p['scale'], lang)}) | {decimal(p['value'], 1)} | "
                f"{p['projects']} | {markdown_inline(listed(p['added'], lang))} |\n"
            )


FRONTIER_MD_HEADERS = (
    marked("selection-md", "budget"),
    marked("selection-md", "value"),
    marked("selection-md", "projects"),
    marked("selection-md", "added"),
)


def ratings_md(document: RatingsDocument, out: TextIO, lang: str = "en") -> None:
    """The raters' agreement as a Markdown table, least agreement first."""
    w = document["kendalls_w"]
    shown = "–" if w is None else (f"{w:.2f}" if lang == "en" else number(w, lang, 2))
    head = npgettext(
        lang,
        "ratings-md",
        "{n} rater; Kendall's W {w} over {projects} projects",
        "{n} raters; Kendall's W {w} over {projects} projects",
        len(document["raters"]),
    )
    out.write(
        head.format(n=len(document["raters"]), w=shown, projects=document["kendalls_w_projects"])
        + "\n\n"
    )
    from .documents import aggregate_cell

    criteria = list(document["weights"])
    labels = [pgettext(lang, "ratings", name) for name in ("project", "agreement", "raters")]
    out.write("| " + " | ".join(labels + [md_cell(c) for c in criteria]) + " |\n")
    out.write("|---|---:|---:|" + "---:|" * len(criteria) + "\n")
    for p in document["projects"]:
        cells = [aggregate_cell(p["criteria"].get(c)) for c in criteria]
        agreement = f"{p['agreement']:.0%}"  # as the score cells: aggregate_cell's numbers
        out.write(
            f"| {md_cell(p['id'])} | {agreement} | {len(p['raters'])} | "
            + " | ".join(cells)
            + " |\n"
        )


def missing_md(document: MissingDocument, out: TextIO, lang: str = "en") -> None:
    labels = [
        pgettext(lang, "ratings", name) for name in ("rater", "project", "criteria not rated")
    ]
    out.write("| " + " | ".join(labels) + " |\n|---|---|---|\n")
    for item in document["items"]:
        out.write(
            f"| {md_cell(item['rater'])} | {md_cell(item['project'])} | "
            f"{md_cell(', '.join(item['criteria']))} |\n"
        )
