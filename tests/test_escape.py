"""Escaping: hostile texts from the red-team issue render as the text they are, in every
output language, and never as a formula, markup, a directive or a control sequence."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from markdown_it import MarkdownIt
from rich.console import Console
from rich.text import Text

from roadmap.present.escape import (
    dot_label,
    ics_text,
    markdown_block,
    markdown_inline,
    mermaid_label,
    one_line,
    spreadsheet_cell,
    spreadsheet_row,
    strip_controls,
    terminal_rich_text,
    terminal_text,
)

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "[/]",
    "[bold]x",
    "[link=https://x]y[/link]",
    "a\\",
    "a\\[bold]b",
    "\x1b]0;title\x07visible",
    "\x1b[8mhidden",
    "\x9b31mred",
    "section x",
    "Section Mitte",
    "title Fake",
    "dateFormat YYYY",
    "%% comment",
    'a %%{init: {"theme":"dark"}}%% b',
    "excludes weekends",
    "axisFormat %Y",
    "todayMarker off",
    "tickInterval 1day",
    "weekday monday",
    "click p_a href javascript:alert(1)",
    "inclusiveEndDates",
    "topAxis",
    "2026-01-01 Start",
    "~~~",
    "```python",
    "# Heading",
    "- item",
    "1. item",
    "3) item",
    "---",
    "===",
    "> quote",
    "    indented code",
    "| a | b |",
    "<img src=x onerror=alert(1)>",
    "<!-- comment",
    "a\rb",
    "a\r\nb",
    "line\u2028separator",
    "para\u2029graph",
    "nel\x85here",
    "$x^2$ math",
    "*bold* _it_ `code` ~~strike~~",
    "[link](http://x) ![img](http://y)",
    "a & b &lt; c",
    "A; B, C: D # E",
    "Straße ✓ → 🚀 مرحبا",
    "back\\slash \\n \\N",
    'quote " here',
    "",
]

TRIGGERS = tuple("=+-@\t\r")


def visible(text: str) -> str:
    """What a reader should see of a data text on one line."""
    return " ".join(strip_controls(text).split())


# --------------------------------------------------------------------------- helpers


def test_strip_controls_removes_escape_sequences_and_keeps_unicode() -> None:
    assert strip_controls("\x1b]0;title\x07visible") == "visible"
    assert strip_controls("\x1b[8mhidden\x1b[0m") == "hidden"
    assert strip_controls("a\x00b\x7fc\x80d\x9b2Je") == "abcde"
    assert strip_controls("Straße ✓ → 🚀 👩‍💻 مرحبا\u200f") == "Straße ✓ → 🚀 👩‍💻 مرحبا\u200f"
    assert strip_controls("evil\u202etxt.exe") == "eviltxt.exe"
    assert strip_controls("a\r\nb\u2028c\td") == "a b c d"
    assert strip_controls("a\r\nb\u2028c", keep_newlines=True) == "a\nb\nc"


def test_one_line_folds_whitespace() -> None:
    assert one_line("  a \n\n b\u2029c  ") == "a b c"


# --------------------------------------------------------------------------- spreadsheets


@pytest.mark.parametrize("text", [t for t in HOSTILE if t.lstrip(" ").startswith(TRIGGERS)])
def test_formula_texts_are_prefixed(text: str) -> None:
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", [-2, 3.5, -1e-9, 0, True, "-2", "-1,50", "+3", "1.5e3", "E-Akte", "a=b", "x-y"]
)
def test_numbers_and_plain_text_stay(value: str | int | float) -> None:
    assert spreadsheet_cell(value) == value


def test_full_width_formula_is_prefixed_and_none_is_empty() -> None:
    assert spreadsheet_cell("\uff1dSUM(1)") == "'\uff1dSUM(1)"
    assert spreadsheet_cell(None) == ""


@pytest.mark.parametrize("excel", [False, True])
def test_csv_round_trip_shows_text_not_formula(excel: bool) -> None:
    delimiter = ";" if excel else ","
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    rows = [[t, -2, "-1,50" if excel else "-1.50"] for t in HOSTILE]
    for row in rows:
        writer.writerow(spreadsheet_row(row))
    read = list(csv.reader(io.StringIO(out.getvalue(), newline=""), delimiter=delimiter))
    assert len(read) == len(rows)
    for (text, _, _), (cell, number, decimal) in zip(rows, read, strict=True):
        assert not cell.lstrip(" ").startswith(TRIGGERS)
        assert cell.removeprefix("'") == text
        assert number == "-2"
        assert decimal == ("-1,50" if excel else "-1.50")


# --------------------------------------------------------------------------- terminal


def rendered(markup: str) -> tuple[str, str]:
    """The visible text, and the raw bytes a colour terminal receives."""
    console = Console(
        file=io.StringIO(), record=True, width=500, force_terminal=True, color_system="truecolor"
    )
    console.print(markup)
    raw = console.file.getvalue()  # type: ignore[attr-defined]
    return console.export_text().rstrip("\n"), raw


@pytest.mark.parametrize("text", HOSTILE)
def test_terminal_text_shows_the_text_in_markup(text: str) -> None:
    for template, expected in (
        ("{}", "{}"),
        ("[bold]{}[/bold] end", "{} end"),
        ("[yellow]note:[/] {} [dim]x[/]", "note: {} x"),
    ):
        shown, raw = rendered(template.format(terminal_text(text)))
        assert shown == expected.format(strip_controls(text))
        assert "\x1b]" not in raw  # no title change, no hyperlink (OSC 8)
        assert "\x1b[8m" not in raw  # no hidden text


def test_terminal_rich_text_is_never_markup() -> None:
    text = terminal_rich_text("[link=https://x]y[/link] \x1b[8m[/]", style="bold")
    assert isinstance(text, Text)
    assert text.plain == "[link=https://x]y[/link] [/]"
    console = Console(file=io.StringIO(), record=True, width=200, force_terminal=True)
    console.print(text)
    assert console.export_text() == "[link=https://x]y[/link] [/]\n"
    assert "\x1b]8;" not in console.file.getvalue()  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- Markdown

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
BLOCK_TOKENS = {
    "fence",
    "code_block",
    "html_block",
    "heading_open",
    "bullet_list_open",
    "ordered_list_open",
    "hr",
    "blockquote_open",
}
INLINE_TOKENS = {
    "html_inline",
    "link_open",
    "image",
    "s_open",
    "em_open",
    "strong_open",
    "code_inline",
}


def inline_text(tokens: list[object]) -> str:
    parts = []
    for token in tokens:
        children = getattr(token, "children", None) or []
        for child in children:
            assert child.type not in INLINE_TOKENS, (child.type, child.content)
            if child.type == "text":
                parts.append(child.content)
            elif child.type == "softbreak":
                parts.append("\n")
    return "".join(parts)


def test_markdown_table_keeps_its_cells_and_shows_the_text() -> None:
    rows = "".join(f"| {i} | {markdown_inline(t)} | end |\n" for i, t in enumerate(HOSTILE))
    document = f"| n | title | x |\n|---|---|---|\n{rows}\nafter the table\n"
    tokens = MD.parse(document)
    assert not {t.type for t in tokens} & BLOCK_TOKENS
    cells = [t for t in tokens if t.type == "inline"]
    header, body, after = cells[:3], cells[3:-1], cells[-1]
    assert len(body) == 3 * len(HOSTILE)
    for i, text in enumerate(HOSTILE):
        number, title, end = body[3 * i : 3 * i + 3]
        assert (number.content, end.content) == (str(i), "end")
        assert inline_text([title]) == visible(text), text
    assert after.content == "after the table"
    assert [c.content for c in header] == ["n", "title", "x"]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_inline_after_a_list_marker_stays_one_item(text: str) -> None:
    tokens = MD.parse(f"- {markdown_inline(text)}\n- next\n")
    kinds = [t.type for t in tokens]
    assert kinds.count("list_item_open") == 2
    assert not set(kinds) & (BLOCK_TOKENS - {"bullet_list_open"})
    assert kinds.count("bullet_list_open") == 1
    assert inline_text(tokens).split("next")[0] == visible(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_block_at_line_start_is_a_paragraph(text: str) -> None:
    document = f"## Vision\n\n{markdown_block(text)}\n\n## Next\n"
    tokens = MD.parse(document)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == ["Vision", "Next"]
    body = tokens[3:-3]
    assert not {t.type for t in body} & BLOCK_TOKENS
    shown = inline_text(body)
    assert " ".join(shown.split()) == visible(text)


def test_markdown_block_keeps_lines_and_paragraphs() -> None:
    vision = "~~~\nEine Stadt,\n\n\n# die digital\n- und analog\n1. erreichbar ist\n```"
    block = markdown_block(vision)
    tokens = MD.parse(block + "\n\nafter\n")
    kinds = [t.type for t in tokens]
    assert kinds.count("paragraph_open") == 3  # two of the vision and "after"
    assert not set(kinds) & BLOCK_TOKENS
    paragraphs = [t for t in tokens if t.type == "inline"]
    assert inline_text(paragraphs[:1]) == "~~~\nEine Stadt,"
    assert inline_text(paragraphs[1:2]) == "# die digital\n- und analog\n1. erreichbar ist\n```"
    assert paragraphs[2].content == "after"


# --------------------------------------------------------------------------- Mermaid

GANTT_KEYWORDS = (
    "gantt",
    "dateformat",
    "inclusiveenddates",
    "topaxis",
    "axisformat",
    "tickinterval",
    "includes",
    "excludes",
    "todaymarker",
    "weekday",
    "weekend",
    "title",
    "acctitle",
    "accdescr",
    "section",
    "click",
    "href",
    "call",
)


def mermaid_sees(label: str) -> str:
    """What Mermaid's lexer sees of a label after its entity pre-pass (``#35;`` → a
    placeholder without '#', ':' or ';'), as in mermaidAPI's encodeEntities."""
    return re.sub(r"#\w+;", "\ufb02\u00b0\u00b0\u00b6\u00df", label)


def mermaid_shows(label: str) -> str:
    """What the SVG shows: Mermaid turns ``#35;`` into ``&#35;``, the browser into '#'."""
    return html.unescape(re.sub(r"#(\w+);", r"&#\1;", label))


@pytest.mark.parametrize("text", HOSTILE)
def test_mermaid_label_is_never_syntax(text: str) -> None:
    label = mermaid_label(text)
    seen = mermaid_sees(label)
    assert "%%" not in label  # no comment, no %%{init}%% directive anywhere
    assert not set(seen) & set('#:;%"<>\n\r`')
    assert not seen.lower().startswith(GANTT_KEYWORDS)
    assert not seen[:1].isdigit()
    assert mermaid_shows(label) == (visible(text) or "–")


def test_mermaid_label_in_a_gantt_line() -> None:
    line = f"    {mermaid_label('section Evil: x')} :crit, p_a, 2026-01-01, 2026-02-01"
    task, _, data = mermaid_sees(line).partition(":")
    assert data == "crit, p_a, 2026-01-01, 2026-02-01"
    assert not task.strip().lower().startswith("section")


# --------------------------------------------------------------------------- DOT


def dot_unquote(quoted: str) -> str:
    assert quoted.startswith('"') and quoted.endswith('"')
    body = quoted[1:-1]
    assert re.fullmatch(r'(?:[^"\\\n\r]|\\\\|\\")*', body), body
    return re.sub(r"\\(.)", r"\1", body)


@pytest.mark.parametrize("text", HOSTILE)
def test_dot_label_is_one_quoted_string(text: str) -> None:
    assert dot_unquote(dot_label(text)) == visible(text)


# --------------------------------------------------------------------------- iCalendar


@pytest.mark.parametrize("text", HOSTILE)
def test_ics_text_round_trips_through_a_calendar_parser(text: str) -> None:
    from icalendar import Calendar

    document = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        "UID:a@t\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260101\r\n"
        f"SUMMARY:{ics_text(text)}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert "\r" not in ics_text(text) and "\n" not in ics_text(text)
    events = Calendar.from_ical(document).walk("VEVENT")
    assert len(events) == 1
    assert sorted(events[0]) == ["DTSTAMP", "DTSTART", "SUMMARY", "UID"]
    expected = re.sub(r"[\x0b\x0c\x85\u2028\u2029]", "\n", text.replace("\r\n", "\n"))
    expected = strip_controls(expected.replace("\r", ""), keep_newlines=True)
    assert str(events[0]["SUMMARY"]).replace("\t", " ") == expected


def test_ics_text_escapes() -> None:
    assert ics_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    assert ics_text("bare\rCR and CRLF\r\nend") == "bareCR and CRLF\\nend"
