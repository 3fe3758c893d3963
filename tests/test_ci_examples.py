"""The README's CI examples ("### In CI") work as written: each YAML block is valid for
its CI (checked against the vendored GitLab CI and GitHub workflow JSON Schemas, see
tests/schemas/README.md), actions are pinned, and the reports the jobs name are the
ones validate writes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from .conftest import ROOT, Cli

SCHEMAS = ROOT / "tests" / "schemas"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def ci_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n### In CI\n", 1)[1]
    return section.split("\n### ", 1)[0]


def yaml_blocks() -> dict[str, Any]:
    """The section's YAML blocks by kind (YAML 1.2, as GitHub reads `on:`)."""
    blocks: dict[str, Any] = {}
    for text in re.findall(r"```yaml\n(.*?)```", ci_section(), re.DOTALL):
        document = YAML(typ="safe", pure=True).load(text)
        kind = "github" if "jobs" in document else "pre-commit" if "repos" in document else "gitlab"
        assert kind not in blocks, f"two {kind} examples"
        blocks[kind] = document
    return blocks


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return loaded


def errors(document: Any, schema_name: str) -> list[str]:
    validator = jsonschema.Draft7Validator(schema(schema_name))
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_the_section_has_the_three_examples() -> None:
    assert set(yaml_blocks()) == {"github", "gitlab", "pre-commit"}


def test_the_github_workflow_is_valid_for_github() -> None:
    assert errors(yaml_blocks()["github"], "github-workflow.json") == []


def test_the_gitlab_job_is_valid_for_gitlab() -> None:
    assert errors(yaml_blocks()["gitlab"], "gitlab-ci.json") == []


def test_the_schemas_do_catch_mistakes() -> None:
    """The check above could pass on anything if a schema allowed everything."""
    github = yaml_blocks()["github"]
    github["jobs"]["validate"]["permissions"]["security-events"] = "admin"
    assert errors(github, "github-workflow.json")
    gitlab = yaml_blocks()["gitlab"]
    gitlab["validate-roadmap"]["artifacts"]["reports"]["code_quality"] = "x.json"
    assert errors(gitlab, "gitlab-ci.json")


def test_the_workflow_pins_every_action_and_may_only_read() -> None:
    workflow = yaml_blocks()["github"]
    assert workflow["permissions"] == {"contents": "read"}
    job = workflow["jobs"]["validate"]
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    uses = [step["uses"] for step in job["steps"] if "uses" in step]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert all(PINNED.match(u) for u in uses), uses
    for action in uses:  # each pin says which release it is
        assert re.search(re.escape(action) + r"  # v\d+\.\d+\.\d+\n", ci_section()), action
    assert job["steps"][0]["with"] == {"persist-credentials": False}


def test_the_workflow_uploads_the_sarif_file_validate_writes() -> None:
    steps = yaml_blocks()["github"]["jobs"]["validate"]["steps"]
    command = next(s["run"] for s in steps if "run" in s and "validate" in s["run"])
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    written = re.search(r"--format sarif --output (\S+)", command)
    assert written and upload["with"]["sarif_file"] == written.group(1)
    assert upload["if"] == "always()"  # validate ends with 1 when it finds errors


def test_the_gitlab_job_reports_the_file_validate_writes() -> None:
    job = yaml_blocks()["gitlab"]["validate-roadmap"]
    command = next(line for line in job["script"] if "roadmap validate" in line)
    written = re.search(r"--format gitlab --output (\S+)", command)
    assert written and job["artifacts"]["reports"]["codequality"] == written.group(1)
    assert job["artifacts"]["when"] == "always"


def test_the_pre_commit_example_names_the_repositorys_hook() -> None:
    repo = yaml_blocks()["pre-commit"]["repos"][0]
    hooks = YAML(typ="safe", pure=True).load(
        (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    )
    assert [h["id"] for h in repo["hooks"]] == [hooks[0]["id"]]
    assert repo["rev"] == "<SHA>"  # said in the text: a tag or commit, not a made-up tag


@pytest.mark.parametrize("kind", ["gitlab", "sarif"])
def test_the_commands_of_the_examples_run(
    kind: str, cli: Cli, portfolio: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(portfolio.parent)  # the fixture's folder is named data
    line = re.search(rf"roadmap (validate --data data --format {kind} --output \S+)", ci_section())
    assert line
    args = line.group(1).split()
    result = cli(*args)
    assert result.exit_code == 0, result.output
    report = json.loads((portfolio.parent / args[-1]).read_text(encoding="utf-8"))
    assert report == [] if kind == "gitlab" else report["runs"][0]["results"] == []


def test_the_snippets_init_writes_are_the_readmes_examples(cli: Cli, tmp_path: Path) -> None:
    """`roadmap init` writes the README's examples (for its folder), so a new portfolio's
    CI gets the Code Quality report, the SARIF upload and the pinned actions too."""
    folder = tmp_path / "portal-daten"
    assert cli("init", folder).exit_code == 0
    expected = yaml_blocks()
    for name, kind, schema_name in (
        ("github-workflow.yml", "github", "github-workflow.json"),
        ("gitlab-ci.yml", "gitlab", "gitlab-ci.json"),
        ("pre-commit-config.yaml", "pre-commit", None),
    ):
        text = (folder / "ci" / name).read_text(encoding="utf-8")
        written = YAML(typ="safe", pure=True).load(text.replace("portal-daten", "data"))
        assert written == expected[kind], name
        if schema_name:
            assert errors(YAML(typ="safe", pure=True).load(text), schema_name) == [], name
    workflow = (folder / "ci" / "github-workflow.yml").read_text(encoding="utf-8")
    assert "roadmap validate --data portal-daten --format sarif" in workflow
