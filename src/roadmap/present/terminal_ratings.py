"""The raters' scores and agreement, and who has not rated what, for people at a
terminal (rich)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

from .escape import terminal_text as t
from .i18n import marked, npgettext, pgettext
from .terminal import decimal_text

if TYPE_CHECKING:
    from .documents import (
        MissingDocument,
        RatingsDocument,
    )


def ratings_table(document: RatingsDocument, out: TextIO, lang: str = "en") -> None:
    """Per project the raters' scores as value (low–high) and the agreement, least
    agreement first; the raters, Kendall's W and the group's weights above; in the
    language ``lang``."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False)
    d = document
    _ratings_summary(console, d, lang)
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


def _ratings_summary(console: Any, d: RatingsDocument, lang: str) -> None:
    """How the scores are aggregated, each rater, Kendall's W and the group's weights."""
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
            else ratio.format(ratio=decimal_text(r["consistency_ratio"], lang, 2))
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
            agreement.format(w=decimal_text(d["kendalls_w"], lang, 2), n=d["kendalls_w_projects"])
        )
    group = d["group_weights"]
    if group is not None:
        shown = ", ".join(f"{c} {decimal_text(w, lang, 2)}" for c, w in group["weights"].items())
        weights = pgettext(lang, "ratings", "group weights: {weights}; consistency ratio {ratio}")
        console.print(
            weights.format(weights=shown, ratio=decimal_text(group["consistency_ratio"], lang, 2))
        )
        warning = pgettext(lang, "terminal", "warning:")
        inconsistent = pgettext(lang, "ratings", "rater {rater}'s comparisons are inconsistent")
        for rater in group["inconsistent"]:
            console.print(
                f"[yellow]{warning}[/] {inconsistent.format(rater=t(rater))}", markup=True
            )


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
