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
from .words import band_word, gate_failure_text, status_word

if TYPE_CHECKING:
    from .documents import (
        ExplanationDocument,
        RankingDocument,
        RankingItem,
    )


def clean_cell(text: str) -> str:
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
    from rich.console import Console

    console = Console(file=out, highlight=False)
    console.print(_ranking_header(document, lang))
    print_notes(console, document["notes"], lang)
    _ranking_body(document, console, out, lang)
    not_eligible = pgettext(lang, "ranking-table", "{id} is not eligible: {failures}")
    for item in document["projects"]:
        if item["gate_failures"]:
            failures = "; ".join(t(gate_failure_text(f, lang)) for f in item["gate_failures"])
            console.print(not_eligible.format(id=t(item["id"]), failures=failures))


def print_notes(console: Any, notes: Sequence[str], lang: str) -> None:
    """The notes of a document, each after a yellow "note:"."""
    note_label = pgettext(lang, "terminal", "note:")
    for note in notes:
        console.print(f"[yellow]{note_label}[/] {t(localized(note, lang))}", markup=True)


def _ranking_header(document: RankingDocument, lang: str) -> str:
    """The method and the weights (and their consistency ratio) above the ranking."""
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
    return header


def _ranking_body(document: RankingDocument, console: Any, out: TextIO, lang: str) -> None:
    """The ranking's rows, with the columns that fit the console."""
    from rich.cells import cell_len, set_cell_size
    from rich.text import Text

    columns: tuple[Column, ...] = RANKING_COLUMNS
    if "robustness" in document and document["projects"]:
        columns += robustness_columns(document["robustness"]["top"])
    labels = {c.header: pgettext(lang, "ranking-table", c.header) for c in columns}
    worded = {name: word for name, word in _WORDED.items() if lang != "en"}
    rows = [
        (
            {
                c.header: clean_cell(
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


# the scoring methods by name, in the sentence "rank 2 of 25 by …"
METHOD_NAMES = {
    "weighted_sum": marked("method-name", "weighted sum"),
    "wsjf": marked("method-name", "WSJF"),
    "topsis": marked("method-name", "TOPSIS"),
}


def _method_name(method: str, lang: str) -> str:
    # the name is looked up first: Babel 2.15's extractor would take a literal inside
    # the call's subscript for a message
    name = METHOD_NAMES.get(method)
    return pgettext(lang, "method-name", name) if name is not None else t(method)


def explanation_table(document: ExplanationDocument, out: TextIO, lang: str = "en") -> None:
    """Why a project has its score and rank, for a terminal in the language ``lang``."""
    from rich.console import Console

    console = Console(file=out, highlight=False)
    d = document
    console.print(f"[bold]{t(d['id'])}[/] — {t(d['title'])}", markup=True)
    console.print(
        pgettext(
            lang, "explain", "rank {rank} of {of} by {method}: score {score} (own score {own})"
        ).format(
            rank=d["rank"],
            of=d["of"],
            method=_method_name(d["method"], lang),
            score=decimal_text(d["score"], lang, 1),
            own=decimal_text(d["own_score"], lang, 1),
        )
    )
    console.print(_criteria_table(d, lang))
    _relations(console, d, lang)
    _robustness_and_levers(console, d, lang)
    if d.get("raters"):
        _rater_contributions(console, d, lang)
    print_notes(console, d["notes"], lang)


def _criteria_table(d: ExplanationDocument, lang: str) -> Any:
    """Each criterion's weight, raw and normalised value and contribution."""
    from rich.table import Table

    table = Table(header_style="bold")
    for name in EXPLAIN_COLUMNS:
        table.add_column(
            pgettext(lang, "explain", name), justify="left" if name == "criterion" else "right"
        )
    missing = pgettext(lang, "explain", " (missing: see the notes)")
    for c in d["criteria"]:
        table.add_row(
            t(c["criterion"]) + (missing if c["missing"] else ""),
            "" if c["weight"] is None else decimal_text(c["weight"], lang, 3),
            ""
            if c["raw"] is None
            else f"{c['raw']:g}"
            + (f" ({c['range'][0]:g}–{c['range'][1]:g})" if c["range"] else ""),
            "" if c["normalized"] is None else decimal_text(c["normalized"], lang, 3),
            decimal_text(c["contribution"], lang, 2),
        )
    return table


def _relations(console: Any, d: ExplanationDocument, lang: str) -> None:
    """Decision and band, the pull of dependants, what it needs and is needed by, and
    the gates it fails."""
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
                own=decimal_text(d["own_score"], lang, 1),
                score=decimal_text(d["score"], lang, 1),
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


def _robustness_and_levers(console: Any, d: ExplanationDocument, lang: str) -> None:
    """Its rank range over the robustness draws, and the single changes that would
    move it up one rank (or why none would)."""
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
                    old=f"{lever['from']:g}" if lang == "en" else number(lever["from"], lang),
                    new=f"{lever['to']:g}" if lang == "en" else number(lever["to"], lang),
                    above=t(lever["above"]),
                )
            )
    elif d["no_lever"]:
        console.print(
            pgettext(lang, "explain", "to move up one rank: {why}").format(
                why=t(localized(d["no_lever"], lang))
            )
        )


EXPLAIN_COLUMNS = (
    marked("explain", "criterion"),
    marked("explain", "weight"),
    marked("explain", "raw"),
    marked("explain", "normalized"),
    marked("explain", "contribution"),
)


def decimal_text(value: float, lang: str, digits: int) -> str:
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
                f"{item['scores'][c]:g} → {decimal_text(item['points'][c], lang, 1)}"
                if c in item["scores"]
                else "–"
                for c in criteria
            ),
            decimal_text(item["total"], lang, 1),
        )
    console.print(table)
    if any(item["filled"] for item in items):
        console.print(
            pgettext(lang, "explain", "–: not rated; counted at the group's score in the points")
        )
