"""Exports of the computed roadmap: CSV (also for German Excel), an iCalendar file of
milestones and deadlines (RFC 5545), JSON of everything and a TaskJuggler 3 project.

``export_*`` take the portfolio and compute what their format shows; the library
modules are imported inside them, so that the registry stays cheap to import."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .escape import ics_text, spreadsheet_row
from .i18n import marked, pgettext

if TYPE_CHECKING:
    from ..model import Portfolio, Project, Strategy
    from ..schedule import Plan
    from ..score import Ranking


# the CSV export's columns (German headers are ones `roadmap import` reads)
CSV_HEADERS = (
    marked("csv-header", "id"),
    marked("csv-header", "title"),
    marked("csv-header", "field"),
    marked("csv-header", "department"),
    marked("csv-header", "owner"),
    marked("csv-header", "status"),
    marked("csv-header", "decision"),
    marked("csv-header", "rank"),
    marked("csv-header", "score"),
    marked("csv-header", "own_score"),
    marked("csv-header", "start"),
    marked("csv-header", "end"),
    marked("csv-header", "not_planned_because"),
)


def projects_csv(
    portfolio: Portfolio, ranking: Ranking, plan: Plan, excel: bool = False, lang: str = "en"
) -> str:
    """One row per project with rank, score and plan dates; headers, status, decision
    and the reason a project is not planned in the language (status and decision as the
    xlsx export writes them, which `roadmap import` reads). ``excel``: what German Excel opens
    correctly on a double click — UTF-8 with BOM, ';' between fields and a decimal
    comma."""
    from ..sheet_export import DECISION_LABELS, STATUS_LABELS

    def status(value: str) -> str:  # English keeps the data's values, as before
        return value if lang == "en" else pgettext(lang, "sheet-status", STATUS_LABELS[value])

    def decision(value: str) -> str:
        return value if lang == "en" else pgettext(lang, "sheet-decision", DECISION_LABELS[value])

    placed = plan.by_id()
    unscheduled = _why_not_in_period(plan, lang)
    ranked = {e.id: e for e in ranking.entries}

    def number(value: float) -> str:
        text = f"{value:.2f}"
        return text.replace(".", ",") if excel else text

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow([pgettext(lang, "csv-header", header) for header in CSV_HEADERS])
    for pid, project in sorted(
        portfolio.projects.items(),
        key=lambda item: (ranked[item[0]].rank if item[0] in ranked else 10**9, item[0]),
    ):
        entry = ranked.get(pid)
        slot = placed.get(pid)
        writer.writerow(
            spreadsheet_row(
                [
                    pid,
                    project.title,
                    project.field or "",
                    project.department or "",
                    project.owner or "",
                    status(project.status),
                    decision(project.decision) if project.decision else "",
                    entry.rank if entry else "",
                    number(entry.score) if entry else "",
                    number(entry.own.own) if entry else "",
                    slot.start_date.isoformat() if slot else "",
                    slot.end_date.isoformat() if slot else "",
                    unscheduled.get(pid, ""),
                ]
            )
        )
    return ("\ufeff" if excel else "") + out.getvalue()


def _why_not_in_period(plan: Plan, lang: str) -> dict[str, str]:
    """Project id → why the plan leaves it out, or why the period has no room for it
    (placed after the period)."""
    from .words import reason_text

    why = {u.project.id: reason_text(u.why.code, u.why.params, lang) for u in plan.unscheduled}
    why.update(
        {
            p.project.id: reason_text(p.beyond.code, p.beyond.params, lang)
            for p in plan.placed
            if p.beyond
        }
    )
    return why


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


# a milestone's status as calendars and workbooks show it
MILESTONE_STATUS = {
    "planned": marked("milestone-status", "planned"),
    "done": marked("milestone-status", "done"),
    "late": marked("milestone-status", "late"),
    "dropped": marked("milestone-status", "dropped"),
}


def milestones_ics(portfolio: Portfolio, stamp: dt.datetime, lang: str = "en") -> str:
    """All-day events for every milestone and every deadline, described in the language.
    UIDs are stable, so a calendar that imports the file again updates the events
    instead of doubling them."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//roadmap//Digitalstrategie//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_text(portfolio.strategy.title)}",
    ]
    dtstamp = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")

    def event(uid: str, day: dt.date, summary: str, description: str) -> None:
        lines.extend(
            [
                "BEGIN:VEVENT",
                f"UID:{uid}",
                f"DTSTAMP:{dtstamp}",
                f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
                f"SUMMARY:{ics_text(summary)}",
                f"DESCRIPTION:{ics_text(description)}",
                "TRANSP:TRANSPARENT",
                "STATUS:CONFIRMED",
                "END:VEVENT",
            ]
        )

    for pid, project in sorted(portfolio.projects.items()):
        for m in project.milestones:
            state = pgettext(lang, "milestone-status", MILESTONE_STATUS[m.status])
            description = pgettext(lang, "ics", "Milestone ({state}) of {project} ({id})")
            event(
                f"{pid}.{m.id}@roadmap",
                m.due,
                f"{project.title}: {m.title}",
                description.format(state=state, project=project.title, id=pid),
            )
        if project.deadline:
            summary = pgettext(lang, "ics", "Deadline: {project}")
            if project.legal_basis:
                description = pgettext(lang, "ics", "Hard deadline ({basis}) of {project} ({id})")
            else:
                description = pgettext(lang, "ics", "Hard deadline of {project} ({id})")
            event(
                f"{pid}.deadline@roadmap",
                project.deadline,
                summary.format(project=project.title),
                description.format(basis=project.legal_basis, project=project.title, id=pid),
            )
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _plannable(ranking: Ranking, strategy: Strategy) -> list[Project]:
    """What the plan considers: capacity.plannable's rule, shared with plan and optimize."""
    from ..capacity import plannable

    return plannable(ranking, strategy)[0]


def _tjp_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _tjp_task(
    project: Project,
    priority: int,
    ids: dict[str, str],
    pool: list[str],
    start: dt.date,
    keeps: bool,
) -> list[str]:
    """One task: its priority, its start when it keeps its dates (else its
    prerequisites), and its effort on the staff pool (or a duration without staff)."""
    from ..schedule import duration_months

    months, _ = duration_months(project)
    quarters = min(len(pool), round(project.effort.staff_fte * 4))
    lines = [f"task {ids[project.id]} {_tjp_quoted(project.title)} {{", f"  priority {priority}"]
    if keeps:
        lines.append(f"  start {max(project.start or start, start).isoformat()}")
    deps = [ids[d] for d in project.depends_on if d in ids]
    if deps and not keeps:
        lines.append(f"  depends {', '.join(deps)}")
    if quarters:
        lines.append(f"  effort {project.effort.staff_fte * months:g}m")
        alternatives = ", ".join(pool[1:])
        for _ in range(quarters):
            lines.append(
                f"  allocate {pool[0]} {{ alternative {alternatives} select order "
                "mandatory persistent }"
            )
    else:
        lines.append(f"  duration {months}m")
    lines.append("}")
    return lines


def portfolio_tjp(portfolio: Portfolio, ranking: Ranking, today: dt.date) -> str:
    """The plannable projects as a TaskJuggler 3 project, to compare plans (and
    planners). Staff is a pool of quarter-FTE resources; a project allocates as many
    as its ``staff_fte`` needs, all at once (``mandatory``), for an effort of
    ``staff_fte`` × months, so it runs its months at full rate when the pool allows.
    Priority follows the ranking (TaskJuggler allows 1–1000). Projects that keep their
    dates get them as ``start``. Budgets are not expressed: TaskJuggler tracks costs
    but cannot cap them per year. It works in hours; each day has one working hour,
    which keeps it fast and changes nothing at a month's grain."""
    import math
    import re

    from ..capacity import keeps_dates

    strategy = portfolio.strategy
    staff_cap = max((c.staff_fte for c in strategy.capacity), default=0.0)
    pool = [f"q{i}" for i in range(1, math.floor(staff_cap * 4 + 1e-9) + 1)]
    plannable = _plannable(ranking, strategy)
    ids = {p.id: "p_" + re.sub(r"[^A-Za-z0-9_]", "_", p.id) for p in plannable}
    start = max(strategy.period.start, today)
    # three more years than the period, so that TaskJuggler places what runs late
    # instead of giving up (its plan end is what a comparison wants)
    horizon = strategy.period.end.replace(year=strategy.period.end.year + 3)
    lines = [
        f"project roadmap {_tjp_quoted(strategy.title)} {start.isoformat()} - "
        f"{horizon.isoformat()} {{",
        "  timingresolution 60min",
        # one working hour a day: the plan is month-grained, and TaskJuggler's time
        # grows with the working slots it fills
        "  dailyworkinghours 1",
        "  workinghours mon - fri 9:00 - 10:00",
        "  workinghours sat, sun off",
        f"  now {start.isoformat()}",
        "}",
        'resource staff "Staff (quarter FTE)" {',
        *(f'  resource {q} "{q}" {{ efficiency 0.25 }}' for q in pool),
        "}",
    ]
    count = max(1, len(plannable))
    for position, project in enumerate(plannable):
        keeps = keeps_dates(project, strategy)
        lines += _tjp_task(project, 1000 - position * 999 // count, ids, pool, start, keeps)
    lines.append(
        'taskreport "plan" { formats csv columns id, start, end timeformat "%Y-%m-%d" '
        "hideresource 1 }"
    )
    return "\n".join(lines) + "\n"


def export_ics(
    portfolio: Portfolio, today: dt.date, excel: bool = False, lang: str | None = None
) -> str:
    """Milestones and deadlines; the calendar's time stamp is ``today`` at midnight UTC."""
    stamp = dt.datetime.combine(today, dt.time(), dt.UTC)
    return milestones_ics(portfolio, stamp, lang or portfolio.strategy.language)


def export_tjp(
    portfolio: Portfolio, today: dt.date, excel: bool = False, lang: str | None = None
) -> str:
    from ..score import rank

    return portfolio_tjp(portfolio, rank(portfolio), today)


def export_csv(
    portfolio: Portfolio, today: dt.date, excel: bool = False, lang: str | None = None
) -> str:
    from ..schedule import plan
    from ..score import rank

    ranking = rank(portfolio)
    language = lang or portfolio.strategy.language
    return projects_csv(portfolio, ranking, plan(portfolio, ranking, today), excel, language)


def export_json(
    portfolio: Portfolio, today: dt.date, excel: bool = False, lang: str | None = None
) -> str:
    """The ranking, plan, bundles and KPIs in one JSON document."""
    from ..bundle import suggest
    from ..kpi import all_kpis
    from ..schedule import plan
    from ..score import rank
    from .documents import bundle_document, roadmap_json
    from .text import write_json

    ranking = rank(portfolio)
    found, threshold = suggest(portfolio)
    titles = {p.id: p.title for p in portfolio.projects.values()}
    buffer = io.StringIO()
    document = roadmap_json(
        portfolio,
        ranking,
        plan(portfolio, ranking, today),
        all_kpis(portfolio),
        bundle_document(found, threshold, titles),
    )
    write_json(document, buffer)
    return buffer.getvalue()


XLSX_SHEETS = (
    marked("xlsx-sheet", "Ranking"),
    marked("xlsx-sheet", "Schedule"),
    marked("xlsx-sheet", "Capacity"),
    marked("xlsx-sheet", "KPIs"),
    marked("xlsx-sheet", "Milestones"),
)
XLSX_HEADERS = (
    (marked("xlsx-header", "Rank"), marked("xlsx-header", "ID"), marked("xlsx-header", "Title"),
     marked("xlsx-header", "Department"), marked("xlsx-header", "Status"),
     marked("xlsx-header", "Decision"), marked("xlsx-header", "Score"),
     marked("xlsx-header", "Budget (EUR)")),
    (marked("xlsx-header", "ID"), marked("xlsx-header", "Title"), marked("xlsx-header", "Start"),
     marked("xlsx-header", "End"), marked("xlsx-header", "Months"),
     marked("xlsx-header", "critical"), marked("xlsx-header", "fixed"),
     marked("xlsx-header", "Deadline")),
    (marked("xlsx-header", "Year"), marked("xlsx-header", "Budget planned (EUR)"),
     marked("xlsx-header", "Budget (EUR)"), marked("xlsx-header", "FTE planned"),
     marked("xlsx-header", "FTE")),
    (marked("xlsx-header", "Project/goal"), marked("xlsx-header", "ID"),
     marked("xlsx-header", "KPI"), marked("xlsx-header", "Unit"),
     marked("xlsx-header", "Baseline"), marked("xlsx-header", "Target"),
     marked("xlsx-header", "Target date"), marked("xlsx-header", "Latest"),
     marked("xlsx-header", "on"), marked("xlsx-header", "Status")),
    (marked("xlsx-header", "Project"), marked("xlsx-header", "ID"),
     marked("xlsx-header", "Milestone"), marked("xlsx-header", "Due"),
     marked("xlsx-header", "Status"), marked("xlsx-header", "Done on")),
)  # fmt: skip


def export_xlsx(
    portfolio: Portfolio, today: dt.date, excel: bool = False, lang: str | None = None
) -> bytes:
    """A workbook a department edits and sends back (sheet "Projekte", read by
    `roadmap import`), with the ranking, plan, capacity, KPIs and milestones as
    read-only sheets."""
    from ..kpi import all_kpis
    from ..schedule import plan
    from ..score import rank
    from ..sheet_export import DECISION_LABELS, STATUS_LABELS, ExtraSheet, workbook_bytes
    from .documents import kpi_rows, plan_document, ranking_document
    from .words import status_word

    lang = lang or portfolio.strategy.language
    words = functools.partial(pgettext, lang)
    ranked_portfolio = rank(portfolio)
    ranking = ranking_document(ranked_portfolio)
    scheduled = plan_document(plan(portfolio, ranked_portfolio, today))
    projects = portfolio.projects
    names = [pgettext(lang, "xlsx-sheet", name) for name in XLSX_SHEETS]
    headers = [[pgettext(lang, "xlsx-header", h) for h in header] for header in XLSX_HEADERS]
    ranked = [
        (item["rank"], item["id"], item["title"], projects[item["id"]].department,
         words("sheet-status", STATUS_LABELS[item["status"]]),
         words("sheet-decision", DECISION_LABELS[item["decision"]]) if item["decision"] else None,
         item["score"],
         projects[item["id"]].effort.budget_eur)
        for item in ranking["projects"]
    ]  # fmt: skip
    placed = [
        (p["id"], p["title"], dt.date.fromisoformat(p["start"]), dt.date.fromisoformat(p["end"]),
         p["months"], p["critical"], p["fixed"],
         dt.date.fromisoformat(p["deadline"]) if p["deadline"] else None)
        for p in scheduled["projects"]
    ]  # fmt: skip
    years = [
        (int(year), row["budget_used"], row["budget"], row["staff_used"], row["staff"])
        for year, row in scheduled["years"].items()
    ]
    kpis = [
        (r.owner, r.id, r.title, r.unit, r.baseline, r.target, r.target_date, r.latest,
         r.latest_date, status_word(r.status, lang))
        for r in kpi_rows(all_kpis(portfolio))
    ]  # fmt: skip
    milestones = [
        (p.title, m.id, m.title, m.due,
         pgettext(lang, "milestone-status", MILESTONE_STATUS[m.status]), m.done_on)
        for p in sorted(projects.values(), key=lambda p: p.id)
        for m in p.milestones
    ]  # fmt: skip
    tables: list[Sequence[Sequence[Any]]] = [ranked, placed, years, kpis, milestones]
    extra = [
        ExtraSheet(name, header, rows)
        for name, header, rows in zip(names, headers, tables, strict=True)
    ]
    return workbook_bytes(portfolio, words, extra)
