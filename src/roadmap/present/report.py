"""The report: a view model rendered with a template in Jinja's sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# the report's formats → the shipped template of each
TEMPLATES = {"md": "roadmap.md.j2", "html": "roadmap.html.j2", "pdf": "roadmap.html.j2"}


def render_report(
    view: dict[str, Any],
    template: Path | None = None,
    format: str = "md",
    cache_dir: Path | None = None,
) -> str:
    """Render the view model with a template (the shipped one of ``format`` unless
    given) in Jinja's sandbox (a user's template can reach no Python internals);
    undefined names are errors, HTML is autoescaped."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from .text import md_cell, md_text, mermaid_id, mermaid_label

    folder = template.parent if template else templates_folder()
    html = format in ("html", "pdf")  # the PDF is laid out from the HTML report
    name = template.name if template else TEMPLATES[format]
    environment = SandboxedEnvironment(
        loader=FileSystemLoader(str(folder)),
        bytecode_cache=_bytecode_cache(cache_dir),
        undefined=StrictUndefined,
        autoescape=html or name.endswith((".html", ".html.j2")),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    from .i18n import translations

    # {{ _("…") }}, {{ ngettext(…) }} and {% trans %} in a template use the catalogs
    environment.install_gettext_translations(  # type: ignore[attr-defined]
        translations(str(view.get("lang", "en"))), newstyle=True
    )
    environment.filters.update(
        md=md_cell,
        mdtext=md_text,
        mermaid=mermaid_label,
        mermaid_id=mermaid_id,
    )
    from jinja2 import TemplateError, TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    from ..errors import DataError

    try:
        return environment.get_template(name).render(**view)
    except TemplateSyntaxError as exc:
        raise DataError(
            f"{exc.filename or name}:{exc.lineno}: template syntax error: {exc.message}"
        ) from None
    except SecurityError as exc:
        raise DataError(
            f"{name}: the template tried something the sandbox forbids "
            f"({exc}); templates may only use the view model"
        ) from None
    except TemplateError as exc:
        raise DataError(f"{name}: {exc}; the README lists what a template receives") from None


def _bytecode_cache(cache_dir: Path | None) -> Any:
    """Compiled templates in the cache folder (Jinja checks the source's mtime), so a
    report does not compile its template every time."""
    from jinja2 import FileSystemBytecodeCache

    if cache_dir is None:
        return None
    try:
        (cache_dir / "templates").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(cache_dir / "templates"))


def templates_folder() -> Path:
    """The shipped templates: inside the installed package, or templates/ of a checkout."""
    from pathlib import Path

    packaged = Path(__file__).parents[1] / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "templates"
