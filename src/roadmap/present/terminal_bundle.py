"""Bundles and the explanation of one pair for people at a terminal (rich)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from .escape import terminal_text as t
from .i18n import marked, npgettext, number, pgettext
from .terminal import decimal_text

if TYPE_CHECKING:
    from .documents import (
        BundleDocument,
        PairDocument,
    )


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
        return ("+" if value >= 0 else "−") + decimal_text(abs(value), lang, 2)

    console = Console(file=out, highlight=False)
    a, b = document["projects"]
    score = pgettext(lang, "pair", "{a} ~ {b}: score {score}")
    console.print(score.format(a=t(a), b=t(b), score=decimal_text(document["score"], lang, 2)))
    table = Table(header_style="bold", box=None, pad_edge=False)
    for name in PAIR_COLUMNS:
        right = name in ("value", "log-odds")
        table.add_column(pgettext(lang, "pair", name), justify="right" if right else "left")
    table.add_row(pgettext(lang, "pair", "intercept"), "", signed(document["intercept"]), "")
    for s in document["signals"]:
        evidence = "; ".join(evidence_words(e["code"], e["params"], lang) for e in s["evidence"])
        table.add_row(
            t(s["signal"]),
            decimal_text(s["value"], lang, 2),
            signed(s["contribution"]),
            t(evidence),
        )
    total = pgettext(lang, "pair", "score 1/(1+e^-z) = {score}")
    table.add_row(
        pgettext(lang, "pair", "total z"),
        "",
        signed(document["log_odds"]),
        total.format(score=decimal_text(document["score"], lang, 2)),
    )
    console.print(table)
    terms = document.get("terms")
    if terms is not None:
        shared = ", ".join(
            f"{t(str(x['term']))} {decimal_text(float(x['weight']), lang, 2)}"
            for x in terms["shared"]
        )
        of = pgettext(lang, "pair", "terms of {id}: {terms}")
        console.print("\n" + of.format(id=t(a), terms=t(" ".join(terms["a"]))))
        console.print(of.format(id=t(b), terms=t(" ".join(terms["b"]))))
        both = pgettext(lang, "pair", "shared (weight): {terms}")
        console.print(both.format(terms=shared or "–"))
