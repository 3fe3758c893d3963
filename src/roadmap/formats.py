"""Formatters: problems and listings → text for a terminal, CI or another program.

Each registry maps a format name to a function; the CLI takes its ``--format``
choices from the registry, so a new format is one entry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from .errors import Problem, Severity

if TYPE_CHECKING:
    from .bundle import Bundle, Pair
    from .model import Project
    from .optimize import FrontierPoint, Selection
    from .schedule import Plan
    from .score import Ranking


def counts(problems: Sequence[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    return errors, len(problems) - errors


def _summary(problems: Sequence[Problem], files: int | None) -> str:
    errors, warnings = counts(problems)
    checked = f" in {files} files" if files is not None else ""
    if not problems:
        return f"no problems{checked}"
    return (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}{checked}"
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


def problems_text(problems: Sequence[Problem], out: TextIO, files: int | None = None) -> None:
    for p in problems:
        out.write(f"{p}\n")


def problems_json(problems: Sequence[Problem], out: TextIO, files: int | None = None) -> None:
    errors, warnings = counts(problems)
    document = {
        "ok": errors == 0,
        "errors": errors,
        "warnings": warnings,
        "problems": [p.as_dict() for p in problems],
    }
    write_json(document, out)


def _github_escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def problems_github(problems: Sequence[Problem], out: TextIO, files: int | None = None) -> None:
    for p in problems:
        kind = "error" if p.is_error else "warning"
        out.write(
            f"::{kind} file={_github_escape(p.file, True)},line={p.line},col={p.column},"
            f"title={_github_escape(p.code, True)}::{_github_escape(p.message)}\n"
        )


ProblemFormatter = Callable[[Sequence[Problem], TextIO, "int | None"], None]

PROBLEM_FORMATS: dict[str, ProblemFormatter] = {
    "table": problems_table,
    "text": problems_text,
    "json": problems_json,
    "github": problems_github,
}


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


# --------------------------------------------------------------------------- ranking


def md_cell(text: object) -> str:
    """Text that stays inside one Markdown table cell and renders as text."""
    value = " ".join(str(text).split())  # newlines would end the row
    for char, escaped in (
        ("\\", "\\\\"),
        ("|", "\\|"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ("*", "\\*"),
        ("_", "\\_"),
        ("`", "\\`"),
        ("[", "\\["),
        ("]", "\\]"),
    ):
        value = value.replace(char, escaped)
    return value


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def ranking_document(
    ranking: Ranking, field: Sequence[str] = (), top: int | None = None, seed: int | None = None
) -> dict[str, Any]:
    """The ranking as JSON-ready data; ``rank`` follows the listed order (after the
    field filter), ``overall_rank`` is the place in the whole ranking."""
    entries = [e for e in ranking.entries if not field or e.project.field in field]
    if top is not None:
        entries = entries[:top]
    weights = ranking.weights
    document: dict[str, Any] = {
        "method": ranking.method,
        "weights": {c: _round(w, 6) for c, w in weights.values.items()},
        "weights_source": weights.source,
        "dependency_pull": ranking.dependency_pull,
        "notes": ranking.notes,
    }
    if weights.ahp is not None:
        document["consistency_ratio"] = _round(weights.ahp.consistency_ratio, 6)
    if ranking.robustness_draws:
        document["robustness"] = {
            "draws": ranking.robustness_draws,
            "top": ranking.top,
            "seed": seed,
        }
    projects = []
    for position, e in enumerate(entries, start=1):
        item: dict[str, Any] = {
            "rank": position,
            "id": e.id,
            "title": e.project.title,
            "score": _round(e.score),
            "own_score": _round(e.own.own),
            "breakdown": {k: _round(v) for k, v in e.own.breakdown.items()},
            "pulled_by": e.pulled_by,
            "status": e.project.status,
            "overall_rank": e.rank,
            "field": e.project.field,
            "decision": e.project.decision,
            "band": e.band_name,
            "eligible": not e.gate_failures,
            "gate_failures": e.gate_failures,
            "waits_for": e.waits_for,
            "missing_scores": e.own.missing,
        }
        if ranking.robustness_draws:
            item.update(rank_low=e.rank_low, rank_high=e.rank_high, p_top=_round(e.p_top))
        projects.append(item)
    document["projects"] = projects
    return document


def _top_criteria(item: dict[str, Any], count: int = 2) -> str:
    best = sorted(item["breakdown"].items(), key=lambda kv: (-kv[1], kv[0]))[:count]
    return ", ".join(f"{k} {v:.1f}" for k, v in best if v > 0)


def _pulled(item: dict[str, Any]) -> str:
    pulled: list[str] = item["pulled_by"]
    return ", ".join(pulled[:2]) + (f" +{len(pulled) - 2}" if len(pulled) > 2 else "")


def ranking_table(document: dict[str, Any], out: TextIO) -> None:
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
    robust = "robustness" in document
    rows = []
    for item in document["projects"]:
        cells = {
            "#": str(item["rank"]),
            "id": item["id"],
            "title": item["title"],
            "field": item["field"] or "",
            "status": item["status"],
            "band": item["band"] if item["eligible"] else "not eligible",
            "score": f"{item['score']:.1f}",
            "own": f"{item['own_score']:.1f}",
            "pulled by": _pulled(item),
            "top criteria": _top_criteria(item),
        }
        if robust:
            cells["rank 5–95 %"] = f"{item['rank_low']}–{item['rank_high']}"
            cells[f"P(top {document['robustness']['top']})"] = f"{item['p_top']:.0%}"
        rows.append((cells, item["band"] in ("wont", "not eligible")))
    names, title_width = _fitting_columns([c for c, _ in rows], console.width, robust)
    # Aligned by hand rather than with rich's Table: rendering 30,000 rows with it takes
    # 40 s, this takes well under one.
    widths = {
        n: title_width
        if n == "title"
        else max([cell_len(n)] + [cell_len(cells[n]) for cells, _ in rows])
        for n in names
    }

    def line(cells: dict[str, str]) -> str:
        parts = []
        for n in names:
            text = cells[n]
            if cell_len(text) > widths[n]:
                text = set_cell_size(text, widths[n] - 1) + "…"
            pad = " " * (widths[n] - cell_len(text))
            parts.append(pad + text if n in _NUMERIC else text + pad)
        return "  ".join(parts).rstrip()

    console.print(Text(line({n: n for n in names}), style="bold"))
    if console.is_terminal:  # dim what the committee decided against, where it shows
        for cells, dim in rows:
            console.print(Text(line(cells), style="dim" if dim else ""))
    else:
        out.write("".join(line(cells) + "\n" for cells, _ in rows))
    for item in document["projects"]:
        if item["gate_failures"]:
            console.print(f"{item['id']} is not eligible: {'; '.join(item['gate_failures'])}")


_NUMERIC = {"#", "score", "own"}
# Most important first; a narrow terminal shows a prefix of this list (title shrinks).
_COLUMN_PRIORITY = (
    "#",
    "id",
    "band",
    "score",
    "own",
    "title",
    "pulled by",
    "status",
    "field",
    "top criteria",
)


def _fitting_columns(rows: list[dict[str, str]], width: int, robust: bool) -> tuple[list[str], int]:
    """The columns that fit ``width`` in priority order, and the title's width."""
    names = [
        *_COLUMN_PRIORITY[:5],
        *([c for c in rows[0] if c.startswith(("rank ", "P("))] if robust and rows else []),
        *_COLUMN_PRIORITY[5:],
    ]
    natural = {n: max([len(n)] + [len(r[n]) for r in rows]) for n in names}
    natural["title"] = min(natural["title"], 48)
    chosen: list[str] = []
    used = 0
    for name in names:
        need = (12 if name == "title" else natural[name]) + (2 if chosen else 0)
        if used + need <= width:
            chosen.append(name)
            used += need
    order = {
        n: i
        for i, n in enumerate(
            (
                "#",
                "id",
                "title",
                "field",
                "status",
                "band",
                "score",
                "own",
                "pulled by",
                "top criteria",
            )
        )
    }
    title_width = min(natural["title"], 12 + width - used)
    return sorted(chosen, key=lambda n: order.get(n, 100)), title_width


def ranking_json(document: dict[str, Any], out: TextIO) -> None:
    write_json(document, out)


def ranking_csv(document: dict[str, Any], out: TextIO) -> None:
    import csv

    criteria = (
        list(document["weights"])
        if document["method"] != "wsjf"
        else list(document["projects"][0]["breakdown"])
        if document["projects"]
        else []
    )
    writer = csv.writer(out, lineterminator="\n")
    robust = "robustness" in document
    writer.writerow(
        [
            "rank",
            "id",
            "title",
            "field",
            "status",
            "decision",
            "band",
            "score",
            "own_score",
            "pulled_by",
            *criteria,
            *(["rank_low", "rank_high", "p_top"] if robust else []),
        ]
    )
    for item in document["projects"]:
        writer.writerow(
            [
                item["rank"],
                item["id"],
                item["title"],
                item["field"] or "",
                item["status"],
                item["decision"] or "",
                item["band"],
                item["score"],
                item["own_score"],
                " ".join(item["pulled_by"]),
                *(item["breakdown"].get(c, "") for c in criteria),
                *([item["rank_low"], item["rank_high"], item["p_top"]] if robust else []),
            ]
        )


def ranking_md(document: dict[str, Any], out: TextIO) -> None:
    weights = ", ".join(f"{md_cell(c)} {w:.2f}" for c, w in document["weights"].items())
    out.write(f"Method **{md_cell(document['method'])}**; weights: {weights}\n\n")
    for note in document["notes"]:
        out.write(f"> Note: {md_cell(note)}\n\n")
    robust = "robustness" in document
    head = ["#", "id", "title", "field", "status", "band", "score", "own", "pulled by"]
    if robust:
        head += ["rank 5–95 %", f"P(top {document['robustness']['top']})"]
    out.write("| " + " | ".join(head) + " |\n")
    out.write("|" + "|".join("---:" if h in ("#", "score", "own") else "---" for h in head) + "|\n")
    for item in document["projects"]:
        row = [
            str(item["rank"]),
            md_cell(item["id"]),
            md_cell(item["title"]),
            md_cell(item["field"] or ""),
            md_cell(item["status"]),
            md_cell(item["band"]),
            f"{item['score']:.1f}",
            f"{item['own_score']:.1f}",
            md_cell(", ".join(item["pulled_by"])),
        ]
        if robust:
            row += [f"{item['rank_low']}–{item['rank_high']}", f"{item['p_top']:.0%}"]
        out.write("| " + " | ".join(row) + " |\n")


RANKING_FORMATS: dict[str, Callable[[dict[str, Any], TextIO], None]] = {
    "table": ranking_table,
    "json": ranking_json,
    "csv": ranking_csv,
    "md": ranking_md,
}


def explanation_document(
    ranking: Ranking,
    project_id: str,
    levers: Sequence[Any],
    no_lever: str,
    dependents: Sequence[str],
) -> dict[str, Any]:
    entry = ranking.by_id()[project_id]
    weights = ranking.weights.values
    criteria = []
    for name, contribution in entry.own.breakdown.items():
        given = entry.project.scores.get(name)
        criteria.append(
            {
                "criterion": name,
                "weight": _round(weights.get(name), 6),
                "raw": entry.own.raw.get(name),
                "range": given if isinstance(given, list) else None,
                "normalized": _round(entry.own.normalized.get(name)),
                "contribution": _round(contribution),
                "missing": name in entry.own.missing,
            }
        )
    document: dict[str, Any] = {
        "id": entry.id,
        "title": entry.project.title,
        "method": ranking.method,
        "rank": entry.rank,
        "of": len(ranking.entries),
        "score": _round(entry.score),
        "own_score": _round(entry.own.own),
        "criteria": criteria,
        "pulled_by": entry.pulled_by,
        "dependents": list(dependents),
        "prerequisites": list(entry.project.depends_on),
        "decision": entry.project.decision,
        "band": entry.band_name,
        "band_from": entry.band_from,
        "gate_failures": entry.gate_failures,
        "waits_for": entry.waits_for,
        "levers": [
            {"criterion": lv.criterion, "from": lv.current, "to": lv.needed, "above": lv.above}
            for lv in levers
        ],
        "no_lever": no_lever or None,
        "notes": ranking.notes,
    }
    if ranking.robustness_draws:
        document["robustness"] = {
            "draws": ranking.robustness_draws,
            "rank_low": entry.rank_low,
            "rank_high": entry.rank_high,
            "top": ranking.top,
            "p_top": _round(entry.p_top),
        }
    return document


def explanation_table(document: dict[str, Any], out: TextIO) -> None:
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
            c["criterion"] + (" (missing: scale minimum)" if c["missing"] else ""),
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


EXPLANATION_FORMATS: dict[str, Callable[[dict[str, Any], TextIO], None]] = {
    "table": explanation_table,
    "json": ranking_json,
}


# --------------------------------------------------------------------------- plan

STATUS_COLOURS = {  # fill, text; status is also written in the label: never colour alone
    "idea": ("#f2f2f2", "#000000"),
    "proposed": ("#fff4cc", "#000000"),
    "approved": ("#d6ecff", "#000000"),
    "in_progress": ("#cce5cc", "#000000"),
    "on_hold": ("#ffd9b3", "#000000"),
    "done": ("#e0e0e0", "#404040"),
    "cancelled": ("#ffffff", "#808080"),
}


def plan_document(
    plan: Plan, what_if: dict[str, Any] | None = None, warnings: Sequence[Problem] = ()
) -> dict[str, Any]:
    network = plan.network
    document: dict[str, Any] = {
        "projects": [
            {
                "id": p.project.id,
                "start": p.start_date.isoformat(),
                "end": p.end_date.isoformat(),
                "critical": p.critical,
                "slack_days": p.slack_days,
                "title": p.project.title,
                "months": p.months,
                "fixed": p.fixed,
                "status": p.project.status,
                "deadline": p.project.deadline.isoformat() if p.project.deadline else None,
            }
            for p in plan.placed
        ],
        "unscheduled": [
            {"id": u.project.id, "reason": u.reason, "title": u.project.title}
            for u in plan.unscheduled
        ],
        "end": plan.end_date.isoformat() if plan.end_date else None,
        "start": plan.calendar.month_start(plan.origin).isoformat()
        if plan.origin < plan.calendar.months
        else None,
        "plan_months": plan.length_months,
        "lower_bound_months": _round(plan.lower_bound_months, 2),
        "quality": _round(plan.quality, 3),
        "critical_path": network.critical_path() if network else [],
        "network_months": _round(network.duration - plan.origin, 2) if network else None,
        "years": {
            str(u.year): {
                "budget_used": round(u.budget_used, 2),
                "budget": u.budget,
                "staff_used": round(u.staff_used, 3),
                "staff": u.staff,
            }
            for u in plan.years
        },
        "notes": plan.notes,
        "warnings": [p.as_dict() for p in warnings],
    }
    if what_if is not None:
        document["what_if"] = what_if
    return document


def plan_table(document: dict[str, Any], out: TextIO) -> None:
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
    for key, label in (("earlier", "start earlier"), ("schedulable", "become schedulable")):
        items = (d.get("what_if") or {}).get(key)
        if items:
            shown = ", ".join(
                i if isinstance(i, str) else f"{i['id']} ({i['from']} → {i['to']})" for i in items
            )
            console.print(f"with the changed capacity these {label}: {shown}")
    for note in d["notes"]:
        console.print(f"[yellow]note:[/] {note}", markup=True)
    for w in d["warnings"]:
        console.print(
            f"[yellow]warning:[/] {w['file']}:{w['line']}:{w['column']} "
            f"[{w['code']}] {w['message']}",
            markup=True,
            highlight=False,
        )


def plan_md(document: dict[str, Any], out: TextIO) -> None:
    """A Mermaid gantt chart (renders on GitHub and GitLab) and the tables."""
    d = document
    out.write("```mermaid\ngantt\n    dateFormat YYYY-MM-DD\n    axisFormat %Y\n")
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
            f"| {md_cell(p['id'])} | {p['start']} | {p['end']} | {p['months']} | "
            f"{p['slack_days']} | {'yes' if p['critical'] else ''} |\n"
        )
    if d["unscheduled"]:
        out.write("\n**Not scheduled**\n\n")
        for u in d["unscheduled"]:
            out.write(f"- {md_cell(u['id'])}: {md_cell(u['reason'])}\n")


def _years_table(years: dict[str, dict[str, float]], staff_label: str, staff_format: str) -> Any:
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


PLAN_FORMATS: dict[str, Callable[[dict[str, Any], TextIO], None]] = {
    "table": plan_table,
    "json": ranking_json,
    "md": plan_md,
}


# --------------------------------------------------------------------------- graph


def mermaid_label(value: object) -> str:
    """A gantt task name: one line, none of Mermaid's separators, no markup."""
    text = " ".join(str(value).split())
    for char, replacement in ((":", " "), ("#", " "), (";", " "), ("<", "‹"), (">", "›")):
        text = text.replace(char, replacement)
    return text


def mermaid_id(project_id: str) -> str:
    """A Mermaid node id: project ids have no '_', so this cannot collide."""
    return "p_" + project_id.replace("-", "_")


def _mermaid_label(text: str) -> str:
    return " ".join(text.split()).replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


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
        label = _mermaid_label(f"{p.title} ({p.status})")
        out.write(f'    {mermaid_id(p.id)}["{label}"]:::{p.status}\n')
    highlighted = []
    for i, (a, b) in enumerate(edges):
        arrow = "==>" if (a, b) in critical else "-->"
        out.write(f"    {mermaid_id(a)} {arrow} {mermaid_id(b)}\n")
        if (a, b) in critical:
            highlighted.append(str(i))
    if highlighted:
        out.write(f"    linkStyle {','.join(highlighted)} stroke:#c00000,stroke-width:3px\n")


def _dot(text: str) -> str:
    return '"' + " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


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
            f"  {_dot(p.id)} [label={_dot(f'{p.title} ({p.status})')}, "
            f'fillcolor="{fill}", fontcolor="{text}"];\n'
        )
    for a, b in edges:
        style = ' [color="#c00000", penwidth=3]' if (a, b) in critical else ""
        out.write(f"  {_dot(a)} -> {_dot(b)}{style};\n")
    out.write("}\n")


GRAPH_FORMATS = {"mermaid": graph_mermaid, "dot": graph_dot}


# --------------------------------------------------------------------------- bundles


def bundle_document(
    bundles: Sequence[Bundle], threshold: float, titles: dict[str, str]
) -> dict[str, Any]:
    return {
        "threshold": threshold,
        "bundles": [
            {
                "projects": b.projects,
                "score": round(b.score, 4),
                "reasons": b.reasons,
                "titles": [titles[p] for p in b.projects],
            }
            for b in bundles
        ],
    }


def bundle_table(document: dict[str, Any], out: TextIO) -> None:
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


def bundle_md(document: dict[str, Any], out: TextIO) -> None:
    out.write(f"Suggested bundles (threshold {document['threshold']}):\n\n")
    out.write("| # | projects | score | why |\n|---:|---|---:|---|\n")
    for number, b in enumerate(document["bundles"], start=1):
        projects = "<br>".join(
            f"{md_cell(p)}: {md_cell(t)}" for p, t in zip(b["projects"], b["titles"], strict=True)
        )
        reasons = "; ".join(md_cell(r) for r in b["reasons"])
        out.write(f"| {number} | {projects} | {b['score']:.2f} | {reasons} |\n")


BUNDLE_FORMATS: dict[str, Callable[[dict[str, Any], TextIO], None]] = {
    "table": bundle_table,
    "json": ranking_json,
    "md": bundle_md,
}


def pair_document(pair: Pair) -> dict[str, Any]:
    return {
        "projects": [pair.a, pair.b],
        "score": round(pair.score, 4),
        "signals": [
            {"signal": s.name, "value": round(s.value, 4), "reason": s.reason} for s in pair.signals
        ],
    }


def pair_table(document: dict[str, Any], out: TextIO) -> None:
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


# --------------------------------------------------------------------------- optimize


def selection_document(
    selection: Selection, frontier: Sequence[FrontierPoint] = ()
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "value": round(selection.value, 4),
        "selected": [{"id": pid, "score": round(score, 4)} for pid, score in selection.selected],
        "left_out": [{"id": pid, "reason": reason} for pid, reason in selection.left_out],
        "years": {
            str(year): {
                "budget_used": round(selection.budget_used[k], 2),
                "budget": selection.budget[k],
                "staff_used": round(selection.staff_used[k], 3),
                "staff": selection.staff[k],
            }
            for k, year in enumerate(selection.years)
        },
        "optimal": selection.optimal,
        "gap": selection.gap,
        "notes": selection.notes,
    }
    if frontier:
        document["frontier"] = [
            {
                "scale": p.scale,
                "budget": round(p.budget, 2),
                "value": round(p.value, 4),
                "projects": p.count,
                "added": p.added,
                "removed": p.removed,
            }
            for p in frontier
        ]
    return document


def selection_table(document: dict[str, Any], out: TextIO) -> None:
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


def frontier_chart(points: Sequence[dict[str, Any]], width: int = 40) -> str:
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


def selection_md(document: dict[str, Any], out: TextIO) -> None:
    d = document
    out.write(f"**{len(d['selected'])} projects funded**, total value {d['value']:.1f}\n\n")
    out.write("| project | value |\n|---|---:|\n")
    for s in d["selected"]:
        out.write(f"| {md_cell(s['id'])} | {s['score']:.1f} |\n")
    if d["left_out"]:
        out.write("\n| left out | why |\n|---|---|\n")
        for item in d["left_out"]:
            out.write(f"| {md_cell(item['id'])} | {md_cell(item['reason'])} |\n")
    if "frontier" in d:
        out.write("\n| budget | value | projects | added |\n|---:|---:|---:|---|\n")
        for p in d["frontier"]:
            out.write(
                f"| {p['budget']:,.0f} € ({p['scale']:.0%}) | {p['value']:.1f} | "
                f"{p['projects']} | {md_cell(', '.join(p['added']))} |\n"
            )


SELECTION_FORMATS: dict[str, Callable[[dict[str, Any], TextIO], None]] = {
    "table": selection_table,
    "json": ranking_json,
    "md": selection_md,
}
