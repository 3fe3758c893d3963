"""The report: a view model rendered with a template in Jinja's sandbox
(:mod:`roadmap.present.sandbox`): compiled in memory, never cached on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO

# the report's formats → the shipped template of each
TEMPLATES = {"md": "roadmap.md.j2", "html": "roadmap.html.j2", "pdf": "roadmap.html.j2"}


def load_template(
    template: str | Path | None, format: str = "md", stdin: TextIO | None = None
) -> tuple[str, str]:
    """The template's text and its name for messages: the shipped one of ``format``
    unless one is given (a path, or ``-`` for standard input)."""
    from .sandbox import read_template

    if template is None:
        name = TEMPLATES[format]
        return (templates_folder() / name).read_text(encoding="utf-8"), name
    return read_template(template, stdin)


def render_report(
    view: dict[str, Any], template: tuple[str, str] | None = None, format: str = "md"
) -> str:
    """Render the view model with a template's (text, name), the shipped one of
    ``format`` by default. HTML output is autoescaped, so is a template named
    ``*.html.j2``; every problem is a :class:`~roadmap.errors.TemplateProblem` with the
    template's file and line. ``{% trans %}`` and ``_()`` speak the view's language."""
    from .i18n import translations
    from .sandbox import autoescape_for, render_template
    from .text import mermaid_id

    source, name = template if template is not None else load_template(None, format)
    return render_template(
        source,
        name,
        view,
        # the PDF is laid out from the HTML report
        autoescape=autoescape_for("html" if format == "pdf" else format, name),
        filters={"mermaid_id": mermaid_id},
        translations=translations(str(view.get("lang", "en"))),
    )


def templates_folder() -> Path:
    """The shipped templates: inside the installed package, or templates/ of a checkout."""
    packaged = Path(__file__).parents[1] / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "templates"


def template_messages() -> set[tuple[str, str | tuple[str, str]]]:
    """(context, message id) of every ``{% trans %}``, ``_()``, ``pgettext`` … in the
    shipped templates, as a catalog keys them (a plural as its two forms); the
    catalogs' test compares them with the ``.po`` files."""
    from jinja2 import Environment
    from jinja2.ext import extract_from_ast

    environment = Environment(extensions=["jinja2.ext.i18n"], trim_blocks=True)
    environment.newstyle_gettext = True  # type: ignore[attr-defined]
    found: set[tuple[str, str | tuple[str, str]]] = set()
    for name in sorted(set(TEMPLATES.values())):
        tree = environment.parse((templates_folder() / name).read_text(encoding="utf-8"))
        for _, function, message in extract_from_ast(tree):
            # the arguments that are no constant text (the number of a plural) are None
            strings = [m for m in (message if isinstance(message, tuple) else (message,)) if m]
            if function in ("pgettext", "npgettext"):
                context, ids = str(strings[0]), [str(s) for s in strings[1:]]
            else:
                context, ids = "None", [str(s) for s in strings]
            found.add((context, ids[0] if len(ids) == 1 else (ids[0], ids[1])))
    return found
