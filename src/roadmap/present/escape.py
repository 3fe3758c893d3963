"""Escaping for every output language: data (titles, owners, units, visions) reaches
spreadsheets, terminals, Markdown, Mermaid, DOT and iCalendar as text and never as
markup, a formula, a directive or a control sequence. Pure functions, no I/O.

Each function keeps what a reader should see: the visible text after rendering equals
the input with control characters removed and, where the target is one line, runs of
whitespace folded into one space.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

# Line breaks in any of the conventions a text may carry (Unicode's too: YAML and
# browsers break lines at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR).
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Terminal escape sequences: CSI (ESC [ … final byte), OSC/DCS/SOS/PM/APC strings (up
# to BEL or ST), two-byte ESC sequences; and their 8-bit C1 forms.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
)


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_control(char: str) -> bool:
    """C0, DEL and C1, and the bidi embeddings, overrides and isolates (they can make a
    title read backwards). Other format characters (ZWJ in emoji, RLM in Arabic) stay."""
    return char in _BIDI_CONTROLS or unicodedata.category(char) == "Cc"


def strip_controls(text: str, keep_newlines: bool = False) -> str:
    """``text`` without escape sequences and control characters. Tabs and line breaks
    become one space each, or with ``keep_newlines`` line breaks become ``\\n``."""
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _LINE_BREAK.sub("\n" if keep_newlines else " ", text)
    return "".join(
        char if not _is_control(char) else ("\n" if char == "\n" else " " if char == "\t" else "")
        for char in text
    )


def one_line(text: str) -> str:
    """Control characters removed, every run of whitespace one space, no outer spaces."""
    return " ".join(strip_controls(text).split())


# --------------------------------------------------------------------------- spreadsheets

# OWASP "CSV Injection": a cell that starts with one of these is a formula in Excel or
# LibreOffice. Full-width forms too: Excel with an East Asian IME treats them alike.
_FORMULA_START = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d_]*)(?:[.,]\d+)*(?:[eE][+-]?\d+)?")


def spreadsheet_cell(value: str | int | float | None) -> str | int | float:
    """A value for a CSV (or xlsx/ods) cell that a spreadsheet cannot run as a formula.

    Rule (OWASP, stricter variant): a text whose first character, or first character
    after leading spaces, is ``=``, ``+``, ``-``, ``@``, tab, CR or LF gets a leading
    ``'``, which spreadsheets read as "this cell is text". Leading spaces count because
    LibreOffice's import trims them and then sees the formula. Numbers stay numbers,
    and so does a text that is just a number (``-2``, ``-1,50`` from a German decimal
    comma): a number is not a formula. ``None`` becomes an empty cell."""
    if value is None:
        return ""
    if isinstance(value, int | float):  # bool is an int: stays as it is
        return value
    text = str(value)
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    stripped = text.lstrip(" \u00a0")
    if text[:1] in _FORMULA_START or stripped[:1] in _FORMULA_START:
        return "'" + text
    return text


def spreadsheet_row(values: list[str | int | float | None]) -> list[str | int | float]:
    """:func:`spreadsheet_cell` for every cell of a row."""
    return [spreadsheet_cell(v) for v in values]


# --------------------------------------------------------------------------- terminal

_RICH_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def terminal_text(text: str) -> str:
    """Data to embed in rich markup (``f"[yellow]note:[/] {terminal_text(x)}"``):
    escape sequences and control characters removed, line breaks folded, and every
    ``[…]`` that rich would read as a tag escaped, so ``[/]`` cannot raise MarkupError,
    ``[bold]`` stays visible and ``[link=…]`` makes no hyperlink."""
    plain = strip_controls(text)
    escaped = _RICH_TAG.sub(lambda m: f"{m[1]}{m[1]}\\{m[2]}", plain)
    if escaped.endswith("\\"):
        # A trailing backslash would escape whatever tag follows it in the markup;
        # doubled before an empty span it shows as one backslash in every position.
        escaped += "\\[dim][/dim]"
    return escaped


def terminal_rich_text(text: str, style: str = "") -> Text:
    """A rich ``Text`` of data: never parsed as markup, control characters removed."""
    from rich.text import Text

    return Text(strip_controls(text), style=style)


# --------------------------------------------------------------------------- Markdown

# Characters that can start inline markup in CommonMark + GFM (tables, strikethrough)
# and on GitHub/GitLab (math with $). Raw HTML is written as entities: both platforms
# render it otherwise.
_MD_INLINE = {
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    "]": "\\]",
    "|": "\\|",
    "~": "\\~",
    "$": "\\$",
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
}
_MD_LINE_START = re.compile(
    r"(?P<mark>[#=+-])"  # heading, setext underline, list item, thematic break
    r"|(?P<digits>\d{1,9})(?P<dot>[.)])"  # ordered list item
)


def _markdown_line(line: str) -> str:
    """One line of text, escaped so that it renders as plain text in any position."""
    escaped = "".join(_MD_INLINE.get(char, char) for char in line)
    match = _MD_LINE_START.match(escaped)
    if match is None:
        return escaped
    if match["mark"]:
        return "\\" + escaped
    return f"{match['digits']}\\{match['dot']}{escaped[match.end() :]}"


def markdown_inline(text: str) -> str:
    """Text in a Markdown table cell, list item or heading: one line, and nothing in it
    starts markup, a block (heading, list, fence, quote, thematic break) or raw HTML."""
    return _markdown_line(one_line(text))


def markdown_block(text: str) -> str:
    """Text on lines of its own (a vision, a description): its line and paragraph breaks
    stay, every line renders as plain text. Leading spaces are dropped (four would
    start a code block); several blank lines become one paragraph break."""
    paragraphs: list[list[str]] = [[]]
    for raw in strip_controls(text, keep_newlines=True).split("\n"):
        line = " ".join(raw.split())
        if line:
            paragraphs[-1].append(_markdown_line(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\n".join(lines) for lines in paragraphs if lines)


# --------------------------------------------------------------------------- Mermaid

# Mermaid reads `#name;` and `#123;` as entities before it parses a diagram and puts
# them back as HTML entities in the SVG: the way to show a character that would
# otherwise be syntax. `%` because `%%` starts a comment or `%%{init}%%` anywhere.
_MERMAID_ENTITY = {char: f"#{ord(char)};" for char in '#:;%"<>&`'}
# What the gantt (and other) lexers match at the start of a line; case-insensitive.
_MERMAID_KEYWORDS = (
    "acc",
    "axisformat",
    "call",
    "click",
    "dateformat",
    "excludes",
    "gantt",
    "href",
    "inclusiveenddates",
    "includes",
    "section",
    "tickinterval",
    "title",
    "todaymarker",
    "topaxis",
    "weekday",
    "weekend",
    "classdef",
    "class",
    "style",
    "linkstyle",
    "subgraph",
    "end",
    "direction",
)


def mermaid_label(text: str) -> str:
    """A task name in a gantt chart or a node label in a flowchart: one line, no
    separator, comment, directive or keyword (``section``, ``%%{init…}%%``, ``click``)
    that Mermaid would act on; shown exactly as written."""
    label = one_line(text)
    if not label:
        return "–"
    encoded = "".join(_MERMAID_ENTITY.get(char, char) for char in label)
    lowered = label.lower()
    if label[0].isdigit() or lowered.startswith(_MERMAID_KEYWORDS):
        # the first character as an entity: the lexer never sees the keyword or a date
        encoded = f"#{ord(label[0])};" + encoded[1:]
    return encoded


# --------------------------------------------------------------------------- DOT


def dot_label(text: str) -> str:
    """A DOT double-quoted string (with its quotes) that Graphviz shows as the text:
    backslashes doubled (``\\n``, ``\\N`` would be escapes in a label), quotes escaped,
    one line."""
    return '"' + one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


# --------------------------------------------------------------------------- iCalendar


def ics_text(text: str) -> str:
    """An RFC 5545 TEXT value: backslash, ``;`` and ``,`` escaped, a line break (LF,
    CRLF, NEL, U+2028/2029) written as ``\\n``, a bare CR and other control characters
    removed (TEXT allows none but tab)."""
    text = text.replace("\r\n", "\n").replace("\r", "")
    text = re.sub(r"[\x0b\x0c\x85\u2028\u2029]", "\n", _ESCAPE_SEQUENCE.sub("", text))
    text = "".join(c for c in text if c in "\n\t" or not _is_control(c))
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
