"""Shell completion as bash, zsh and fish ask for it (typer's protocol: the program run
with ``_ROADMAP_COMPLETE`` and the words of the command line in the environment):
project ids, criterion ids and the ids of strategy.yaml wherever an argument takes one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from roadmap.cli import app

from .conftest import MINIMAL, ROOT

# completion is keyed by the program's name: the installed script, not python -m
SCRIPT = str(Path(sys.executable).with_name("roadmap"))
SHELLS = ("bash", "zsh", "fish")


def complete(shell: str, words: str, cwd: Path = ROOT) -> list[str]:
    """What the shell offers for the last word of ``words`` (ending in a space: a new
    word), parsed from each shell's own format."""
    env = {k: v for k, v in os.environ.items() if k != "ROADMAP_DATA"}
    env["_ROADMAP_COMPLETE"] = f"complete_{shell}"
    if shell == "bash":  # bash passes the words and the index of the word being completed
        env["COMP_WORDS"] = words
        env["COMP_CWORD"] = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    else:
        env["_TYPER_COMPLETE_ARGS"] = words
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    done = subprocess.run([SCRIPT], capture_output=True, text=True, env=env, cwd=cwd, timeout=60)
    assert done.returncode == 0, done.stderr
    if shell == "zsh":  # _arguments '*: :(("e-akte"\n"e-rechnung"))', a value per line
        inner = done.stdout.split("((", 1)[-1].rsplit("))", 1)[0]
        return [m.group(1) for m in re.finditer(r'^"((?:[^"\\]|\\.)*)"', inner, re.M)]
    return [line.split("\t")[0] for line in done.stdout.splitlines() if line]


@pytest.mark.parametrize("shell", SHELLS)
def test_a_project_id_completes(shell: str) -> None:
    assert complete(shell, "roadmap explain e-a") == ["e-akte"]
    assert complete(shell, "roadmap set bewohnerp") == ["bewohnerparken-online"]


@pytest.mark.parametrize("shell", SHELLS)
def test_a_criterion_id_completes_as_a_score_to_set(shell: str) -> None:
    offered = complete(shell, "roadmap set e-akte scores.")
    assert "scores.citizen_value=" in offered and "scores.risk=" in offered
    assert all(o.startswith("scores.") for o in offered)


@pytest.mark.parametrize("shell", SHELLS)
def test_both_projects_of_a_dependency_complete(shell: str) -> None:
    projects = sorted(p.stem for p in (ROOT / "data" / "projects").glob("*.yaml"))
    assert complete(shell, "roadmap add dependency ") == projects
    assert complete(shell, "roadmap add dependency e-akte bew") == ["bewohnerparken-online"]


@pytest.mark.parametrize("shell", SHELLS)
def test_ids_come_from_the_data_option(shell: str, tmp_path: Path) -> None:
    """In a folder without data/, --data names the portfolio whose ids complete."""
    assert complete(shell, f"roadmap graph --data {MINIMAL} --around e", cwd=tmp_path) == ["e-akte"]
    assert complete(shell, "roadmap explain e", cwd=tmp_path) == []


def test_a_goal_completes_for_a_kpi() -> None:
    assert "goal:papierlos" in complete("fish", "roadmap add kpi goal:pa")


# every parameter that takes a project, field, goal or criterion id, by its name
ID_PARAMETERS = {"project_id", "owner_id", "prerequisite", "around", "explain", "field"}
ID_PARAMETERS |= {"force_in", "force_out", "assignments"}


def _parameters(command: Any, path: str = "roadmap") -> list[tuple[str, Any]]:
    """(command line, parameter) of every command of the tree under ``command``."""
    if hasattr(command, "commands"):  # a group (typer's own, not a click.Group subclass)
        return [
            found
            for name, sub in command.commands.items()
            for found in _parameters(sub, f"{path} {name}")
        ]
    return [(path, p) for p in command.params]


def test_every_id_argument_has_a_completion() -> None:
    """A new command or option that takes an id must complete it (the set above names
    them: add a new one there)."""
    command = typer.main.get_command(app)
    missing, seen = [], set()
    for path, parameter in _parameters(command):
        metavar = parameter.metavar or ""
        takes_id = parameter.name in ID_PARAMETERS or metavar in ("ID", "PROJECT")
        if path.endswith(" new"):  # a new id: nothing to complete
            continue
        if takes_id:
            seen.add(parameter.name)
            # typer keeps an `autocompletion` as the parameter's custom completion
            if getattr(parameter, "_custom_shell_complete", None) is None:
                missing.append(f"{path} {parameter.name}")
    assert missing == []
    assert seen >= {"project_id", "prerequisite", "around", "force_in", "field", "assignments"}
