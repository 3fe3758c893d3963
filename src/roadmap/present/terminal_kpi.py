"""The KPI table for people at a terminal (rich)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from .escape import terminal_text as t
from .i18n import marked, number, pgettext
from .words import status_word

if TYPE_CHECKING:
    from .documents import (
        KpiRow,
    )


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
