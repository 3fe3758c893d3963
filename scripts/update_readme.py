"""Regenerate the command reference in README.md from `roadmap --help`.

python scripts/update_readme.py          # rewrite the section
python scripts/update_readme.py --check  # exit 1 if README.md is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from typer.testing import CliRunner

from roadmap.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- commands:start -->", "<!-- commands:end -->"


def help_text(*args: str) -> str:
    result = CliRunner(env={"COLUMNS": "88", "ROADMAP_DATA": None}).invoke(
        app, [*args, "--help"], prog_name="roadmap"
    )
    return result.stdout.rstrip() + "\n"


def reference() -> str:
    import typer.main

    group = typer.main.get_command(app)
    names = list(getattr(group, "commands", {}))
    parts = ["```text\n$ roadmap --help\n" + help_text() + "```\n"]
    for name in names:
        parts.append(f"### `roadmap {name}`\n\n```text\n{help_text(name)}```\n")
    return "\n".join(parts)


def updated(readme: str) -> str:
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{reference()}{END}{tail}"


def main() -> int:
    current = README.read_text(encoding="utf-8")
    fresh = updated(current)
    if "--check" in sys.argv:
        if fresh != current:
            print("README.md command reference is out of date: run python scripts/update_readme.py")
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
