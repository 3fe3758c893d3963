"""The README's table of shared options says the truth: every option it names exists,
spelled so, on every command it lists, and every option that two commands share is in
it with all of its commands (one name per concept, and the table complete)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import typer

from roadmap.cli import app

from .conftest import ROOT

SPELLING = re.compile(r"(?<![\w-])(--?[a-z][a-z-]*)")


def commands() -> dict[str, set[str]]:
    """Each command line (``add kpi``) and the spellings of its options."""
    found: dict[str, set[str]] = {}

    def walk(command: Any, path: str) -> None:
        if hasattr(command, "commands"):  # a group; its own options count (ratings -f)
            for name, sub in command.commands.items():
                walk(sub, f"{path} {name}".strip())
            if not path or not command.params:  # the root's come before any command
                return
        found[path] = {
            spelling
            for p in command.params
            if p.param_type_name == "option"
            for spelling in (*p.opts, *p.secondary_opts)
            if spelling not in ("-h", "--help")
        }

    walk(typer.main.get_command(app), "")
    return found


def table_rows() -> list[tuple[set[str], set[str]]]:
    """(spellings, commands) of each row naming commands ("all but X" expanded)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Options shared by the commands", 1)[1].split("\n#", 1)[0]
    every = set(commands())
    rows = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))]  # not a \|
        if not cells[1]:
            continue  # the options before the command (--quiet, --debug) name none
        option = " ".join(re.findall(r"`([^`]*)`", cells[0].split("(env")[0]))
        spellings = set(SPELLING.findall(option.replace("/", " ")))
        if cells[1].startswith("all but "):
            named = every - {c.strip() for c in cells[1][len("all but ") :].split(",")}
        else:
            named = {c.strip() for c in cells[1].split(",")}
        rows.append((spellings, named))
    return rows


def test_every_option_in_the_table_exists_on_every_command_it_lists() -> None:
    actual = commands()
    wrong = [
        f"{command} {spelling}"
        for spellings, named in table_rows()
        for command in sorted(named)
        for spelling in sorted(spellings)
        if spelling not in actual.get(command, set())
    ]
    assert wrong == []


def test_every_option_two_commands_share_is_in_the_table_with_all_its_commands() -> None:
    having: dict[str, set[str]] = defaultdict(set)
    for command, spellings in commands().items():
        for spelling in spellings:
            having[spelling].add(command)
    listed: dict[str, set[str]] = defaultdict(set)
    for spellings, named in table_rows():
        for spelling in spellings:
            listed[spelling] |= named
    shared = {s: c for s, c in having.items() if len(c) >= 2}
    assert {s: sorted(c) for s, c in shared.items() if listed[s] != c} == {}


def test_the_table_is_found_and_not_trivially_empty() -> None:
    rows = table_rows()
    assert len(rows) >= 20
    data = next(named for spellings, named in rows if "--data" in spellings)
    assert "init" not in data and {"validate", "ratings sheet", "add kpi"} <= data
