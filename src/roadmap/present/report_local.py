"""What every part of the report's view model shares: dates, amounts, plurals and lists
in the report's language, and the anchors of its headings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .i18n import npgettext
from .texts import DECISIONS, LOCALES, texts


def heading_anchor(heading: str) -> str:
    """The fragment GitHub and GitLab give a Markdown heading: lower case, without
    punctuation, spaces as hyphens (the report's headings avoid what the two treat
    differently: runs of hyphens)."""
    import re

    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def quarter(text: str) -> tuple[dt.date, dt.date]:
    """``2026-Q3`` → (2026-07-01, 2026-09-30); years 1900 to 2999."""
    from .output import parse_quarter

    return parse_quarter(text, "--period")


class Local:
    """Dates, amounts and words in the report's language. Babel parses a pattern on
    every call; a report formats thousands of values, so the patterns are parsed once."""

    def __init__(self, lang: str) -> None:
        from babel import Locale
        from babel.dates import get_date_format
        from babel.dates import parse_pattern as date_pattern
        from babel.numbers import parse_pattern as number_pattern

        self.lang = lang
        self.t = texts(lang)
        self.locale = Locale.parse(LOCALES[lang])
        self.medium_date = date_pattern(get_date_format("medium", locale=self.locale))
        self.decimals = {d: number_pattern("#,##0." + "0" * d if d else "#,##0") for d in range(3)}

    def day(self, value: dt.date | None) -> str:
        return self.medium_date.apply(value, self.locale) if value else ""

    def span(self, first: dt.date, last: dt.date) -> str:
        return f"{self.day(first)} – {self.day(last)}"

    def money(self, value: float) -> str:
        from babel.numbers import format_currency

        pattern = "#,##0\u00a0¤" if self.lang == "de" else "¤#,##0"
        return format_currency(
            value, "EUR", format=pattern, currency_digits=False, locale=self.locale
        )

    def number(self, value: float | None, digits: int = 1) -> str:
        if value is None:
            return ""
        if abs(value) < 0.5 * 10**-digits:
            value = 0.0  # what rounds to zero is zero, never "-0,0"
        return str(self.decimals[digits].apply(value, self.locale))

    def plural(self, key: str, n: int) -> str:
        """A sentence of DECISIONS in the singular or plural for ``n``."""
        one, many = DECISIONS[key]
        return npgettext(self.lang, key, one, many, n)

    def listing(self, items: Sequence[str]) -> str:
        """``a, b und c`` (``a, b and c``) as the language writes a list."""
        from babel.lists import format_list

        return format_list(list(items), locale=self.locale)

    def measured(self, value: float) -> str:
        """A KPI value: whole numbers without decimals, others with one."""
        return self.number(value, 0 if value.is_integer() else 1)
