"""The report as PDF for the council's information system: the HTML report laid out
by WeasyPrint (no browser needed) on A4, tagged (PDF/UA-1) for screen readers."""

from __future__ import annotations

from .i18n import pgettext

# What print needs beyond the HTML report's own print stylesheet: a footer with the
# report's date and the page numbers, the contents with page numbers (the screen's
# navigation is hidden in print), and bookmarks for the PDF viewer's outline.
PDF_CSS = """
@page {
  size: A4;
  margin: 16mm 14mm 20mm;
  @bottom-left { content: "%(footer)s"; font: 8pt sans-serif; color: #4a4a4a; }
  @bottom-right {
    content: "%(page)s " counter(page) " %(of)s " counter(pages);
    font: 8pt sans-serif; color: #4a4a4a;
  }
}
nav { display: block !important; break-after: page; }
nav ol { columns: 1; list-style: none; padding-left: 0; }
nav a { text-decoration: none; color: inherit; }
nav a::after { content: leader(".") target-counter(attr(href), page); }
h1 { bookmark-level: none; }
h2 { bookmark-level: 1; }
h3 { bookmark-level: 2; }
h4, h5, h6 { bookmark-level: none; }
/* !important: these sheets are the user's, and the report's own <style> (the author's)
   would otherwise win: its 0.95rem tables ran past the page's edge unless every cell
   broke anywhere */
table { break-inside: auto; font-size: 8pt !important; }
/* a wide table wraps inside its cells instead of running off the page: a header's long
   word may break anywhere (a narrow number column under "Ausgangswert"); a cell's text
   breaks at spaces and hyphens (ids), and inside a word only where one does not fit.
   Not "anywhere" in cells: the table layout then measures every cell of a long text one
   character per line, on every page the table spans (20 s instead of 6 for 300 projects) */
th, td { padding: 1px 3px !important; }
th { hyphens: auto; overflow-wrap: anywhere; }
td { overflow-wrap: break-word; }
.num, .status { white-space: normal !important; }
thead { display: table-header-group; }
tr, li, figure { break-inside: avoid; }
.skip { display: none; }
/* a long timeline shrinks to one page; its table (folded on screen) gives the dates */
svg.timeline { max-height: 245mm; }
details { display: block !important; }
summary { display: block; font-weight: 600; margin-top: 1rem; }
"""

# The PDF's timeline draws the highest-ranked projects only: one A4 page holds about
# this many bars legibly (300 shrunk onto a page are unreadable, and drawing them costs
# about a second); the schedule's table below it gives the dates of every project.
TIMELINE_ROWS = 50


def _css_string(text: str) -> str:
    """Text inside a CSS string literal."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def render_pdf(html: str, lang: str, title: str, generated: str) -> bytes:
    """The rendered HTML report as a tagged A4 PDF; WeasyPrint is imported here, on
    use, because loading it (Pango, fonts) takes longer than ``roadmap --help`` may."""
    import logging

    from weasyprint import CSS, HTML

    # WeasyPrint logs every CSS property it ignores (the screen-only ones) as a warning
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    footer = pgettext(lang, "pdf", "{title} · As of {date}").format(title=title, date=generated)
    css = PDF_CSS % {
        "footer": _css_string(footer),
        "page": _css_string(pgettext(lang, "pdf", "Page")),
        "of": _css_string(pgettext(lang, "pdf", "of")),
    }
    document = HTML(string=html, base_url=None)
    pdf: bytes = document.write_pdf(stylesheets=[CSS(string=css)], pdf_variant="pdf/ua-1")
    return pdf
