"""Format name → formatter, one registry per kind of document. The CLI takes its
``--format`` choices from these dictionaries, so a new format is one entry here.

Entries name their function (module, name) and import it when first called: every
start of ``roadmap`` reads the names, a run needs only the formatter it uses."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from .report import TEMPLATES


class Formatter:
    """The function ``name`` of ``roadmap.present.<module>``, imported on first call.
    ``localized``: it writes a document in a language and takes ``lang=``."""

    def __init__(self, module: str, name: str, localized: bool = False) -> None:
        self.module, self.name = module, name
        self.localized = localized

    def resolve(self) -> Callable[..., Any]:
        found: Callable[..., Any] = getattr(
            importlib.import_module(f"{__package__}.{self.module}"), self.name
        )
        return found

    def __call__(self, *args: Any, **options: Any) -> Any:
        return self.resolve()(*args, **options)

    def __repr__(self) -> str:
        return f"Formatter({self.module}.{self.name})"


def _text(name: str) -> Formatter:
    return Formatter("text", name)


JSON = _text("write_json")  # every document's JSON is the document itself

# (problems, stream, number of files checked or None, problems.Where)
PROBLEM_FORMATS: dict[str, Formatter] = {
    name: Formatter("problems", f"problems_{name}", localized=name in ("table", "text"))
    for name in ("table", "text", "json", "github", "gitlab", "sarif")
}

# (document, stream) for the documents of present.documents
RANKING_FORMATS: dict[str, Formatter] = {
    "table": Formatter("terminal", "ranking_table", localized=True),
    "json": JSON,
    "csv": _text("ranking_csv"),
    "md": Formatter("text", "ranking_md", localized=True),
}
EXPLANATION_FORMATS: dict[str, Formatter] = {
    "table": Formatter("terminal", "explanation_table", localized=True),
    "json": JSON,
}
PLAN_FORMATS: dict[str, Formatter] = {
    "table": Formatter("terminal_plan", "plan_table", localized=True),
    "json": JSON,
    "md": Formatter("text", "plan_md", localized=True),
}
BUNDLE_FORMATS: dict[str, Formatter] = {
    "table": Formatter("terminal_bundle", "bundle_table", localized=True),
    "json": JSON,
    "md": Formatter("text", "bundle_md", localized=True),
}
# roadmap ratings: the raters' scores and agreement; --missing: who has not rated what
RATINGS_FORMATS: dict[str, Formatter] = {
    "table": Formatter("terminal_ratings", "ratings_table", localized=True),
    "json": JSON,
    "md": Formatter("text", "ratings_md", localized=True),
}
MISSING_FORMATS: dict[str, Formatter] = {
    "table": Formatter("terminal_ratings", "missing_table", localized=True),
    "json": JSON,
    "md": Formatter("text", "missing_md", localized=True),
}
# bundle --explain A B: every signal of one pair (md shows the table as text)
PAIR_FORMATS: dict[str, Formatter] = {
    "table": Formatter("terminal_bundle", "pair_table", localized=True),
    "json": JSON,
    "md": Formatter("terminal_bundle", "pair_table", localized=True),
}
SELECTION_FORMATS: dict[str, Formatter] = {
    "table": Formatter("terminal_plan", "selection_table", localized=True),
    "json": JSON,
    "md": Formatter("text", "selection_md", localized=True),
}
# (KPI rows, stream)
KPI_FORMATS: dict[str, Formatter] = {
    "table": Formatter("terminal_kpi", "kpi_table", localized=True),
    "json": _text("kpi_json"),
}
# (projects, edges, critical edges, stream)
GRAPH_FORMATS: dict[str, Formatter] = {
    "mermaid": Formatter("text", "graph_mermaid", localized=True),
    "dot": Formatter("text", "graph_dot", localized=True),
    "json": _text("graph_json"),
}
# report formats → the shipped template
REPORT_FORMATS: dict[str, str] = TEMPLATES
# (portfolio, today, excel) → the exported text
EXPORT_FORMATS: dict[str, Formatter] = {
    name: Formatter("exports", f"export_{name}") for name in ("csv", "json", "ics", "tjp", "xlsx")
}
