"""Formatters for people at a terminal (rich): tables and short summaries.

Each reads a document of :mod:`roadmap.present.documents`; rich is
imported inside the functions, so that importing this module stays cheap."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from .escape import strip_controls
from .escape import terminal_text as t
from .i18n import marked, npgettext, number, pgettext
from .text import percent
from .wording import worded as localized
from .words import band_word, gate_failure_text, reason_text, status_word

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
    Column(marked("ranking-table", "#"), lambda i: str(i["rank"]), 0, numeric=True),
    Column(marked("ranking-table", "id"), lambda i: i["id"], 1),
    Column(marked("ranking-table", "title"), lambda i: i["title"], 5),
    Column(marked("ranking-table", "field"), lambda i: i["field"] or "", 8),
    Column(marked("ranking-table", "status"), lambda i: i["status"], 7),
    Column(
        marked("ranking-table", "band"),
        lambda i: i["band"] if i["eligible"] else "not eligible",
        2,
    ),
    Column(marked("ranking-table", "score"), lambda i: f"{i['score']:.1f}", 3, numeric=True),
    Column(marked("ranking-table", "own"), lambda i: f"{i['own_score']:.1f}", 4, numeric=True),
    Column(marked("ranking-table", "pulled by"), _pulled, 6),
    Column(marked("ranking-table", "top criteria"), _top_criteria, 9),
)
# where the weights come from (score.Weights.source)
WEIGHTS_SOURCES = {
    "weights": marked("weights-source", "weights"),
    "pairwise": marked("weights-source", "pairwise"),
}
# cells that hold a status or band: worded in the table's language (English shows the
# data's values as they are written)
_WORDED: dict[str, Callable[[str, str], str]] = {
    "status": status_word,
    "band": band_word,
    "score": lambda cell, lang: cell.replace(".", ","),
    "own": lambda cell, lang: cell.replace(".", ","),
}


def robustness_columns(top: int) -> tuple[Column, ...]:
    """With robustness draws: after the scores in priority, last in the table."""
    return (
        Column(
            marked("ranking-table", "rank 5–95 %"),
            lambda i: f"{i.get('rank_low')}–{i.get('rank_high')}",
            4.1,
        ),
        Column(f"P(top {top})", lambda i: f"{i.get('p_top'):.0%}", 4.2),
    )


TITLE_MIN, TITLE_MAX = 12, 48  # the title column shrinks to fit, down to TITLE_MIN


def ranking_table(document: RankingDocument, out: TextIO, lang: str = "en") -> None:
    """The ranking for a terminal in the language ``lang`` (its words; numbers as the
    terminal has always shown them)."""
    from rich.cells import cell_len, set_cell_size
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False)
    weights = ", ".join(f"{t(c)} {number(w, lang, 2)}" for c, w in document["weights"].items())
    header = pgettext(lang, "ranking-table", "method {method}; weights ({source}): {weights}")
    source = document["weights_source"]
    header = header.format(
        method=t(document["method"]),
        source=t(pgettext(lang, "weights-source", WEIGHTS_SOURCES.get(source, source))),
        weights=weights,
    )
    if "consistency_ratio" in document:
        ratio = pgettext(lang, "ranking-table", "; consistency ratio {ratio}")
        header += ratio.format(ratio=number(document["consistency_ratio"], lang, 3))
    console.print(header)
    note_label = pgettext(lang, "terminal", "note:")
    for note in document["notes"]:
        console.print(f"[yellow]{note_label}[/] {t(localized(note, lang))}", markup=True)
    columns: tuple[Column, ...] = RANKING_COLUMNS
    if "robustness" in document and document["projects"]:
        columns += robustness_columns(document["robustness"]["top"])
    labels = {c.header: pgettext(lang, "ranking-table", c.header) for c in columns}
    worded = {name: word for name, word in _WORDED.items() if lang != "en"}
    rows = [
        (
            {
                c.header: _clean(
                    worded[c.header](c.cell(item), lang) if c.header in worded else c.cell(item)
                )
                for c in columns
            },
            item["band"] in ("wont", "not eligible"),
        )
        for item in document["projects"]
    ]
    shown, title_width = _fitting_columns(
        columns, [cells for cells, _ in rows], console.width, labels
    )
    # Aligned by hand rather than with rich's Table: rendering 30,000 rows with it takes
    # 40 s, this takes well under one.
    widths = {
        c.header: title_width
        if c.header == "title"
        else max([cell_len(labels[c.header])] + [cell_len(cells[c.header]) for cells, _ in rows])
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

    console.print(Text(line(labels), style="bold"))
    if console.is_terminal:  # dim what the committee decided against, where it shows
        for cells, dim in rows:
            console.print(Text(line(cells), style="dim" if dim else ""))
    else:
        out.write("".join(line(cells) + "\n" for cells, _ in rows))
    not_eligible = pgettext(lang, "ranking-table", "{id} is not eligible: {failures}")
    for item in document["projects"]:
        if item["gate_failures"]:
            failures = "; ".join(t(gate_failure_text(f, lang)) for f in item["gate_failures"])
            console.print(not_eligible.format(id=t(item["id"]), failures=failures))


def _fitting_columns(
    columns: Sequence[Column], rows: list[dict[str, str]], width: int, labels: dict[str, str]
) -> tuple[list[Column], int]:
    """The columns that fit ``width`` (taken in priority order, shown in table order),
    and the title's width; ``labels`` are the headers as shown."""
    natural = {
        c.header: max([len(labels[c.header])] + [len(r[c.header]) for r in rows]) for c in columns
    }
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


def explanation_table(document: ExplanationDocument, out: TextIO, lang: str = "en") -> None:
    """Why a project has its score and rank, for a terminal in the language ``lang``."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False)
    d = document
    console.print(f"[bold]{t(d['id'])}[/] — {t(d['title'])}", markup=True)
    console.print(
        pgettext(
            lang, "explain", "rank {rank} of {of} by {method}: score {score} (own score {own})"
        ).format(
            rank=d["rank"],
            of=d["of"],
            method=t(d["method"]),
            score=_decimal(d["score"], lang, 1),
            own=_decimal(d["own_score"], lang, 1),
        )
    )
    table = Table(header_style="bold")
    for name in EXPLAIN_COLUMNS:
        table.add_column(
            pgettext(lang, "explain", name), justify="left" if name == "criterion" else "right"
        )
    missing = pgettext(lang, "explain", " (missing: see the notes)")
    for c in d["criteria"]:
        table.add_row(
            t(c["criterion"]) + (missing if c["missing"] else ""),
            "" if c["weight"] is None else _decimal(c["weight"], lang, 3),
            ""
            if c["raw"] is None
            else f"{c['raw']:g}"
            + (f" ({c['range'][0]:g}–{c['range'][1]:g})" if c["range"] else ""),
            "" if c["normalized"] is None else _decimal(c["normalized"], lang, 3),
            _decimal(c["contribution"], lang, 2),
        )
    console.print(table)
    band = t(d["band"] if lang == "en" else band_word(d["band"], lang) or "–")
    if d["band_from"]:
        band += pgettext(lang, "explain", " (pulled in by {id})").format(id=t(d["band_from"]))
    decision = d["decision"] or "none"
    decision = t(decision if lang == "en" else band_word(decision, lang) or "–")
    console.print(
        pgettext(lang, "explain", "decision: {decision}; band: {band}").format(
            decision=decision, band=band
        )
    )
    if d["pulled_by"]:
        pulled = npgettext(
            lang,
            "explain",
            "score pulled up from {own} to {score} by {ids}, which needs it",
            "score pulled up from {own} to {score} by {ids}, which need it",
            len(d["pulled_by"]),
        )
        console.print(
            pulled.format(
                own=_decimal(d["own_score"], lang, 1),
                score=_decimal(d["score"], lang, 1),
                ids=", ".join(map(t, d["pulled_by"])),
            )
        )
    nobody = pgettext(lang, "explain", "no other project")
    needed = pgettext(lang, "explain", "needed by: {ids}").format(
        ids=", ".join(map(t, d["dependents"])) or nobody
    )
    console.print(needed)
    needs = pgettext(lang, "explain", "needs: {ids}").format(
        ids=", ".join(map(t, d["prerequisites"])) or nobody
    )
    console.print(needs)
    if d["waits_for"]:
        waits = pgettext(lang, "explain", "waits for prerequisites ranked lower: {ids}")
        console.print(waits.format(ids=", ".join(map(t, d["waits_for"]))))
    for failure in d["gate_failures"]:
        console.print(
            pgettext(lang, "explain", "not eligible: {failure}").format(
                failure=t(gate_failure_text(failure, lang))
            )
        )
    if "robustness" in d:
        r = d["robustness"]
        console.print(
            pgettext(
                lang,
                "explain",
                "robustness ({draws} draws of the weights): rank {low}–{high} (5th–95th "
                "percentile), in the top {top} with probability {p}",
            ).format(
                draws=r["draws"],
                low=r["rank_low"],
                high=r["rank_high"],
                top=r["top"],
                p=f"{r['p_top']:.0%}" if lang == "en" else percent(r["p_top"] or 0.0, lang),
            )
        )
    if d["levers"]:
        console.print(
            pgettext(lang, "explain", "to move up one rank, one of these single changes would do:")
        )
        change = pgettext(lang, "explain", "{criterion} from {old} to {new} (above {above})")
        for lever in d["levers"]:
            console.print(
                "  "
                + change.format(
                    criterion=t(lever["criterion"]),
                    old=f"{lever['from']:g}",
                    new=f"{lever['to']:g}",
                    above=t(lever["above"]),
                )
            )
    elif d["no_lever"]:
        console.print(
            pgettext(lang, "explain", "to move up one rank: {why}").format(
                why=t(localized(d["no_lever"], lang))
            )
        )
    if d.get("raters"):
        _rater_contributions(console, d, lang)
    note_label = pgettext(lang, "terminal", "note:")
    for note in d["notes"]:
        console.print(f"[yellow]{note_label}[/] {t(localized(note, lang))}", markup=True)


EXPLAIN_COLUMNS = (
    marked("explain", "criterion"),
    marked("explain", "weight"),
    marked("explain", "raw"),
    marked("explain", "normalized"),
    marked("explain", "contribution"),
)


def _decimal(value: float, lang: str, digits: int) -> str:
    """A number with ``digits`` decimals: as always in English, as the language writes
    it otherwise (``0,273``)."""
    return f"{value:.{digits}f}" if lang == "en" else number(value, lang, digits)


def _rater_contributions(console: Any, d: ExplanationDocument, lang: str = "en") -> None:
    """explain's raters: each rater's scores and the points they add at the weights."""
    from rich.table import Table

    items = d.get("raters", [])
    given = {c for item in items for c in item["scores"]}
    criteria = [c["criterion"] for c in d["criteria"] if c["criterion"] in given]
    table = Table(
        title=pgettext(lang, "explain", "raters (score → points at the weights)"),
        header_style="bold",
    )
    table.add_column(pgettext(lang, "explain", "rater"))
    for c in criteria:
        table.add_column(t(c), justify="right")
    table.add_column(pgettext(lang, "explain", "points"), justify="right")
    for item in items:
        table.add_row(
            t(item["name"]),
            *(
                f"{item['scores'][c]:g} → {_decimal(item['points'][c], lang, 1)}"
                if c in item["scores"]
                else "–"
                for c in criteria
            ),
            _decimal(item["total"], lang, 1),
        )
    console.print(table)
    if any(item["filled"] for item in items):
        console.print(
            pgettext(lang, "explain", "–: not rated; counted at the group's score in the points")
        )


def plan_table(document: PlanDocument, out: TextIO, lang: str = "en") -> None:
    """The plan for a terminal in the language ``lang``."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False)
    d = document
    if d["end"]:
        summary = pgettext(
            lang,
            "plan-table",
            "plan from {start} to {end}: {months} months; lower bound {bound} months",
        )
        ratio = (
            pgettext(lang, "plan-table", " (ratio {ratio})").format(ratio=f"{d['quality']:.2f}")
            if d["quality"]
            else ""
        )
        console.print(
            summary.format(
                start=d["start"],
                end=d["end"],
                months=d["plan_months"],
                bound=d["lower_bound_months"],
            )
            + ratio
        )
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
    for p in d["projects"]:
        table.add_row(
            t(p["id"]),
            p["start"],
            p["end"],
            str(p["months"]),
            f"{p['slack_days']}d",
            yes if p["critical"] else "",
            yes if p["fixed"] else "",
        )
    console.print(table)
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
        _years_table(d["years"], pgettext(lang, "plan-table", "staff used (peak)"), "{:g}", lang)
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
            + path.format(months=d["network_months"], path=" → ".join(map(t, d["critical_path"])))
        )
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
    note_label = pgettext(lang, "terminal", "note:")
    for note in d["notes"]:
        console.print(f"[yellow]{note_label}[/] {t(localized(note, lang))}", markup=True)
    warning_label = pgettext(lang, "terminal", "warning:")
    for w in d["warnings"]:
        console.print(
            f"[yellow]{warning_label}[/] {t(w['file'])}:{w['line']}:{w['column']} "
            f"{t('[' + w['code'] + ']')} {t(localized(w['message'], lang))}",
            markup=True,
            highlight=False,
        )


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
    years: dict[str, YearRow], staff_label: str, staff_format: str, lang: str = "en"
) -> Any:
    """Budget and staff used against capacity, one row per year."""
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
            staff_format.format(y["staff_used"]) if lang == "en" else number(y["staff_used"], lang),
            f"{y['staff']:g}" if lang == "en" else number(y["staff"], lang),
        )
    return table


def bundle_table(document: BundleDocument, out: TextIO, lang: str = "en") -> None:
    """The suggested bundles for a terminal in the language ``lang``."""
    from rich.console import Console

    from .texts import evidence_words

    console = Console(file=out, highlight=False)
    threshold = number(document["threshold"], lang) if lang != "en" else document["threshold"]
    if not document["bundles"]:
        none = pgettext(lang, "bundle-table", "no bundles above the threshold {threshold}")
        console.print(none.format(threshold=threshold))
        return
    count = len(document["bundles"])
    heading = npgettext(
        lang,
        "bundle-table",
        "{n} suggested bundle (threshold {threshold}), strongest first:",
        "{n} suggested bundles (threshold {threshold}), strongest first:",
        count,
    )
    console.print(heading.format(n=count, threshold=threshold))
    score = pgettext(lang, "bundle-table", "{position}. score {score}")
    for position, b in enumerate(document["bundles"], start=1):
        shown = f"{b['score']:.2f}" if lang == "en" else number(b["score"], lang, 2)
        console.print(f"\n[bold]{score.format(position=position, score=shown)}[/]", markup=True)
        for pid, title in zip(b["projects"], b["titles"], strict=True):
            console.print(f"   {t(pid)}: {t(title)}")
        for e in b["evidence"]:
            console.print(f"   – {t(evidence_words(e['code'], e['params'], lang))}")


PAIR_COLUMNS = (
    marked("pair", "signal"),
    marked("pair", "value"),
    marked("pair", "log-odds"),
    marked("pair", "evidence"),
)


def pair_table(document: PairDocument, out: TextIO, lang: str = "en") -> None:
    """Each signal's value and its contribution to the log-odds z (score = 1 / (1 +
    e^−z)), then the normalised terms of both projects and those they share."""
    from rich.console import Console
    from rich.table import Table

    from .texts import evidence_words

    def signed(value: float) -> str:
        return ("+" if value >= 0 else "−") + _decimal(abs(value), lang, 2)

    console = Console(file=out, highlight=False)
    a, b = document["projects"]
    score = pgettext(lang, "pair", "{a} ~ {b}: score {score}")
    console.print(score.format(a=t(a), b=t(b), score=_decimal(document["score"], lang, 2)))
    table = Table(header_style="bold", box=None, pad_edge=False)
    for name in PAIR_COLUMNS:
        right = name in ("value", "log-odds")
        table.add_column(pgettext(lang, "pair", name), justify="right" if right else "left")
    table.add_row(pgettext(lang, "pair", "intercept"), "", signed(document["intercept"]), "")
    for s in document["signals"]:
        evidence = "; ".join(evidence_words(e["code"], e["params"], lang) for e in s["evidence"])
        table.add_row(
            t(s["signal"]), _decimal(s["value"], lang, 2), signed(s["contribution"]), t(evidence)
        )
    total = pgettext(lang, "pair", "score 1/(1+e^-z) = {score}")
    table.add_row(
        pgettext(lang, "pair", "total z"),
        "",
        signed(document["log_odds"]),
        total.format(score=_decimal(document["score"], lang, 2)),
    )
    console.print(table)
    terms = document.get("terms")
    if terms is not None:
        shared = ", ".join(
            f"{t(str(x['term']))} {_decimal(float(x['weight']), lang, 2)}" for x in terms["shared"]
        )
        of = pgettext(lang, "pair", "terms of {id}: {terms}")
        console.print("\n" + of.format(id=t(a), terms=t(" ".join(terms["a"]))))
        console.print(of.format(id=t(b), terms=t(" ".join(terms["b"]))))
        both = pgettext(lang, "pair", "shared (weight): {terms}")
        console.print(both.format(terms=shared or "–"))


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
    value = _decimal(d["value"], lang, 1)
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
    console.print(_years_table(d["years"], staff, "{:.2f}", lang))
    note_label = pgettext(lang, "terminal", "note:")
    _capacity_split(console, d["capacity"], d["effort_missing"], staff, lang)
    for note in d["notes"]:
        console.print(f"[yellow]{note_label}[/] {t(localized(note, lang))}", markup=True)
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
        added = (f"  + {', '.join(map(_clean, p['added']))}" if p["added"] else "") + (
            f"  − {', '.join(map(_clean, p['removed']))}" if p["removed"] else ""
        )
        lines.append(
            f"{p['scale']:>5.0%} {p['budget'] / 1e6:>7.2f} M€ {bar:<{width}} "
            f"{p['value']:7.1f} ({p['projects']}){added}"
        )
    return "\n".join(lines) + "\n"


_KPI_NUMBERS = ("baseline", "latest", "target", "progress", "trend/year", "forecast")
KPI_COLUMNS = (
    marked("kpi-table", "status"),
    marked("kpi-table", "of"),
    marked("kpi-table", "kpi"),
    marked("kpi-table", "baseline"),
    marked("kpi-table", "latest"),
    marked("kpi-table", "target"),
    marked("kpi-table", "progress"),
    marked("kpi-table", "trend/year"),
    marked("kpi-table", "forecast"),
)


def kpi_table(rows: Sequence[KpiRow], out: TextIO, lang: str = "en") -> None:
    """Each KPI's status and numbers for a terminal in the language ``lang``."""
    from rich.console import Console
    from rich.table import Table

    def decimal(value: float, digits: int, sign: bool = False) -> str:
        if lang == "en":
            return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"
        return ("+" if sign and value >= 0 else "") + number(value, lang, digits)

    def plain(value: float) -> str:
        return f"{value:g}" if lang == "en" else number(value, lang)

    table = Table(header_style="bold", box=None, pad_edge=False)
    for name in KPI_COLUMNS:
        table.add_column(
            pgettext(lang, "kpi-table", name),
            no_wrap=name != "kpi",
            justify="right" if name in _KPI_NUMBERS else "left",
        )
    for k in rows:
        status = k.status if lang == "en" else status_word(k.status, lang)
        table.add_row(
            f"{k.symbol} {t(status)}",
            t(k.owner),
            t(f"{k.title} ({k.unit})"),
            plain(k.baseline),
            plain(k.latest),
            f"{plain(k.target)} ({k.target_date:%Y})",
            "" if k.progress is None else f"{decimal(k.progress, 0)} %",
            "" if k.trend_per_year is None else decimal(k.trend_per_year, 1, sign=True),
            "" if k.forecast is None else decimal(k.forecast, 1),
        )
    Console(file=out, highlight=False).print(table)


def ratings_table(document: RatingsDocument, out: TextIO, lang: str = "en") -> None:
    """Per project the raters' scores as value (low–high) and the agreement, least
    agreement first; the raters, Kendall's W and the group's weights above; in the
    language ``lang``."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False)
    d = document
    head = npgettext(
        lang,
        "ratings",
        "{n} rater; {aggregate} with {spread} as the range; own scores: {own}",
        "{n} raters; {aggregate} with {spread} as the range; own scores: {own}",
        len(d["raters"]),
    )
    console.print(
        head.format(
            n=len(d["raters"]), aggregate=d["aggregate"], spread=d["spread"], own=d["own_scores"]
        )
    )
    rater_line = pgettext(lang, "ratings", "{id} ({name}): {scores} scores of {projects} projects")
    ratio = pgettext(lang, "ratings", ", consistency ratio {ratio}")
    for r in d["raters"]:
        cr = (
            ""
            if r["consistency_ratio"] is None
            else ratio.format(ratio=_decimal(r["consistency_ratio"], lang, 2))
        )
        line = rater_line.format(
            id=t(r["id"]), name=t(r["name"]), scores=r["scores"], projects=r["projects"]
        )
        console.print(f"  {line}{cr}")
    if d["kendalls_w"] is None:
        console.print(
            pgettext(lang, "ratings", "Kendall's W: needs 2 raters who rated 2 projects in common")
        )
    else:
        agreement = pgettext(
            lang,
            "ratings",
            "Kendall's W {w} over the {n} projects every rater rated (1: they rank alike, "
            "0: unrelated)",
        )
        console.print(
            agreement.format(w=_decimal(d["kendalls_w"], lang, 2), n=d["kendalls_w_projects"])
        )
    group = d["group_weights"]
    if group is not None:
        shown = ", ".join(f"{c} {_decimal(w, lang, 2)}" for c, w in group["weights"].items())
        weights = pgettext(lang, "ratings", "group weights: {weights}; consistency ratio {ratio}")
        console.print(
            weights.format(weights=shown, ratio=_decimal(group["consistency_ratio"], lang, 2))
        )
        warning = pgettext(lang, "terminal", "warning:")
        inconsistent = pgettext(lang, "ratings", "rater {rater}'s comparisons are inconsistent")
        for rater in group["inconsistent"]:
            console.print(
                f"[yellow]{warning}[/] {inconsistent.format(rater=t(rater))}", markup=True
            )
    from .documents import aggregate_cell

    criteria = list(d["weights"])
    table = Table(header_style="bold")
    table.add_column(pgettext(lang, "ratings", "project"))
    table.add_column(pgettext(lang, "ratings", "agreement"), justify="right")
    table.add_column(pgettext(lang, "ratings", "raters"), justify="right")
    for c in criteria:
        table.add_column(t(c), justify="right")
    for p in d["projects"]:
        cells = [aggregate_cell(p["criteria"].get(c)) for c in criteria]
        agreement_cell = f"{p['agreement']:.0%}"  # as the score cells: aggregate_cell's numbers
        table.add_row(t(p["id"]), agreement_cell, str(len(p["raters"])), *cells)
    console.print(table)


def missing_table(document: MissingDocument, out: TextIO, lang: str = "en") -> None:
    """Who has not rated what: one line per rater and project."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False)
    if not document["items"]:
        complete = pgettext(
            lang, "ratings", "all {n} raters rated every open project on every criterion"
        )
        console.print(complete.format(n=document["raters"]))
        return
    table = Table(header_style="bold")
    for name in MISSING_COLUMNS:
        table.add_column(pgettext(lang, "ratings", name))
    for item in document["items"]:
        table.add_row(t(item["rater"]), t(item["project"]), t(", ".join(item["criteria"])))
    console.print(table)
    missing = npgettext(
        lang,
        "ratings",
        "{n} score missing; a missing score is never counted as 0",
        "{n} scores missing; a missing score is never counted as 0",
        document["missing"],
    )
    console.print(missing.format(n=document["missing"]))


MISSING_COLUMNS = (
    marked("ratings", "rater"),
    marked("ratings", "project"),
    marked("ratings", "criteria not rated"),
)
