"""Regenerate the field tables of README.md (strategy.yaml, projects/<id>.yaml) from the
models' field descriptions, the one source of the field documentation.

python scripts/field_docs.py          # rewrite the tables
python scripts/field_docs.py --check  # exit 1 if README.md is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from roadmap.schema import FieldDoc, field_docs

README = Path(__file__).resolve().parent.parent / "README.md"
MARKERS = {
    kind: (f"<!-- fields:{kind}:start -->", f"<!-- fields:{kind}:end -->")
    for kind in ("strategy", "project")
}
DEPTH = 2  # `effort.budget_eur` and `milestones.due` get a row; deeper ones: --describe


def cell(text: str) -> str:
    """Text inside one table cell: a `|` would end it, a newline the row."""
    return " ".join(text.split()).replace("|", "\\|")


def row(doc: FieldDoc) -> str:
    kind = " ".join((doc.type, *doc.constraints)) if doc.constraints else doc.type
    default = "required" if doc.required else (f"`{doc.default}`" if doc.default else "")
    return f"| `{doc.name}` | {cell(kind)} | {cell(doc.description)} | {cell(default)} |"


def table(kind: str) -> str:
    rows = [row(d) for d in field_docs(kind) if d.name.count(".") < DEPTH]
    return "\n".join(["| key | type | meaning | default |", "| --- | --- | --- | --- |", *rows])


def updated(readme: str) -> str:
    for kind, (start, end) in MARKERS.items():
        head, rest = readme.split(start, 1)
        _, tail = rest.split(end, 1)
        readme = f"{head}{start}\n{table(kind)}\n{end}{tail}"
    return readme


def main() -> int:
    current = README.read_text(encoding="utf-8")
    fresh = updated(current)
    if "--check" in sys.argv:
        if fresh != current:
            print("README.md field tables are out of date: run python scripts/field_docs.py")
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
