"""Regenerate the field tables from the models' field descriptions, the one source of
the field documentation: the English ones in README.md, the German ones (descriptions
from the message catalogs) in docs/felder.md.

python scripts/field_docs.py          # rewrite the tables
python scripts/field_docs.py --check  # exit 1 if a file is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from roadmap.present.fields import field_table

ROOT = Path(__file__).resolve().parent.parent
FILES = {"en": ROOT / "README.md", "de": ROOT / "docs" / "felder.md"}
KINDS = ("strategy", "project")
DEPTH = 1  # `effort.budget_eur` and `milestones.due` get a row; deeper ones: --describe


def markers(kind: str) -> tuple[str, str]:
    return f"<!-- fields:{kind}:start -->", f"<!-- fields:{kind}:end -->"


def updated(text: str, lang: str) -> str:
    for kind in KINDS:
        start, end = markers(kind)
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{start}\n{field_table(kind, lang, DEPTH)}\n{end}{tail}"
    return text


def main() -> int:
    stale = []
    for lang, path in FILES.items():
        current = path.read_text(encoding="utf-8")
        fresh = updated(current, lang)
        if fresh != current:
            stale.append(path.relative_to(ROOT))
            if "--check" not in sys.argv:
                path.write_text(fresh, encoding="utf-8")
    if stale and "--check" in sys.argv:
        print(f"field tables out of date in {', '.join(map(str, stale))}: ", end="")
        print("run python scripts/field_docs.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
