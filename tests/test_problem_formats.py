"""validate's problem formats: GitLab Code Quality, SARIF, GitHub annotations with
groups and step summary, and --output."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import jsonschema
import pytest

from roadmap.errors import Problem, Severity
from roadmap.present.problems import (
    Where,
    fingerprints,
    problems_github,
    problems_gitlab,
    problems_sarif,
)

from .conftest import CASES, ROOT, Cli, snapshot

SCHEMAS = ROOT / "tests" / "schemas"

# GitLab docs, "Code Quality report format" (ci/testing/code_quality): the fields GitLab
# reads from each issue; every one is required. severity is one of the listed values.
GITLAB_REQUIRED = {
    "description": str,
    "check_name": str,
    "fingerprint": str,
    "severity": str,
    "location": dict,
}
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A repository (a `.git` folder is all it takes) whose data/ has broken references."""
    shutil.copytree(CASES / "invalid" / "references", tmp_path / "repo" / "data")
    (tmp_path / "repo" / ".git").mkdir()
    return tmp_path / "repo"


def problem(
    file: str, line: int, message: str = "m", code: str = "c", error: bool = True
) -> Problem:
    return Problem(file, line, 1, Severity.ERROR if error else Severity.WARNING, code, message)


def check_gitlab_issue(issue: dict[str, object]) -> None:
    for field, kind in GITLAB_REQUIRED.items():
        assert isinstance(issue[field], kind), (field, issue)
    assert issue["severity"] in GITLAB_SEVERITIES
    location = issue["location"]
    assert isinstance(location, dict)
    assert isinstance(location["path"], str) and not location["path"].startswith("/")
    assert isinstance(location["lines"]["begin"], int) and location["lines"]["begin"] >= 1


def test_gitlab_report_has_gitlabs_fields_with_paths_from_the_repository_root(
    cli: Cli, repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repository / "data" / "projects")  # anywhere inside the repository
    result = cli("validate", "-d", "..", "-f", "gitlab")
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    expected = (repository / "data" / "expected.txt").read_text(encoding="utf-8")
    assert len(issues) == len(expected.splitlines())  # one issue per expected problem
    for issue in issues:
        check_gitlab_issue(issue)
    first = next(i for i in issues if i["check_name"] == "unknown-field")
    assert first["severity"] == "major"
    assert first["location"] == {"path": "data/projects/e-akte.yaml", "lines": {"begin": 4}}
    assert "did you mean 'verwaltung'?" in first["description"]
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_gitlab_fingerprints_stay_when_lines_move(cli: Cli, repository: Path) -> None:
    data = repository / "data"
    before = json.loads(cli("validate", "-d", data, "-f", "gitlab").stdout)
    again = json.loads(cli("validate", "-d", data, "-f", "gitlab").stdout)
    assert before == again
    e_akte = data / "projects" / "e-akte.yaml"
    e_akte.write_text("# a comment moves every line\n\n" + e_akte.read_text(encoding="utf-8"))
    moved = json.loads(cli("validate", "-d", data, "-f", "gitlab").stdout)
    in_e_akte = [i for i in before if i["location"]["path"].endswith("e-akte.yaml")]
    assert in_e_akte
    assert [i["location"]["lines"]["begin"] for i in moved if i in in_e_akte] == []
    shifted = {i["fingerprint"]: i["location"]["lines"]["begin"] for i in moved}
    for issue in in_e_akte:
        assert shifted[issue["fingerprint"]] == issue["location"]["lines"]["begin"] + 2
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in before]


def test_gitlab_fingerprints_stay_from_one_day_to_the_next(cli: Cli, tmp_path: Path) -> None:
    """Staleness warnings name today; their fingerprints must not, or the widget shows
    them as fixed and new again every morning."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    today = json.loads(cli("validate", "-d", data, "-f", "gitlab", "--today", "2031-11-30").stdout)
    stale = [i for i in today if i["check_name"].startswith("stale-")]
    assert stale and all("2031-11-30" in i["description"] for i in stale)
    tomorrow = json.loads(
        cli("validate", "-d", data, "-f", "gitlab", "--today", "2031-12-01").stdout
    )
    assert [i["fingerprint"] for i in tomorrow] == [i["fingerprint"] for i in today]


def test_repeated_problems_get_distinct_fingerprints_in_a_fixed_order() -> None:
    same = [problem("a.yaml", 3), problem("a.yaml", 9), problem("a.yaml", 12)]
    first = fingerprints(same, Where())
    assert len(set(first)) == 3
    assert fingerprints(same, Where()) == first
    # the first of them keeps the fingerprint it has alone
    assert first[0] == fingerprints(same[:1], Where())[0]


def test_a_warning_is_minor_in_gitlab() -> None:
    out = io.StringIO()
    problems_gitlab([problem("a.yaml", 1, error=False)], out)
    assert json.loads(out.getvalue())[0]["severity"] == "minor"


def test_an_empty_gitlab_report_is_an_empty_list(cli: Cli, portfolio: Path) -> None:
    result = cli("validate", "-d", portfolio, "-f", "gitlab")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def test_sarif_report_validates_against_the_sarif_2_1_0_schema(cli: Cli, repository: Path) -> None:
    result = cli("validate", "-d", repository / "data", "-f", "sarif")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    sarif_validator().validate(document)
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], document["version"]) == ("roadmap", "2.1.0")
    assert "informationUri" not in driver  # the project has no public home page yet
    used = {r["ruleId"] for r in run["results"]}
    assert {rule["id"] for rule in driver["rules"]} == used
    assert all(rule["shortDescription"]["text"] for rule in driver["rules"])
    first = next(r for r in run["results"] if r["ruleId"] == "unknown-field")
    assert first["level"] == "error"
    assert driver["rules"][first["ruleIndex"]]["id"] == "unknown-field"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "data/projects/e-akte.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 4, "startColumn": 8},
    }
    fingerprint_values = [next(iter(r["partialFingerprints"].values())) for r in run["results"]]
    assert len(set(fingerprint_values)) == len(fingerprint_values)


def test_sarif_of_hostile_paths_and_messages_stays_valid() -> None:
    root = Path("/repo")
    problems = [
        problem("data/projects/a b%#?.yaml", 2, "50% done\r\nnext: line, more", error=False),
        problem("/elsewhere/x.yaml", 1, "outside the repository"),
    ]
    out = io.StringIO()
    problems_sarif(problems, out, None, Where(root=root, cwd=root))
    document = json.loads(out.getvalue())
    sarif_validator().validate(document)
    results = document["runs"][0]["results"]
    location = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "data/projects/a%20b%25%23%3F.yaml"
    assert results[0]["message"]["text"] == "50% done\r\nnext: line, more"
    assert results[0]["level"] == "warning"
    # outside the root: the path as given, still a valid URI reference
    assert results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "/elsewhere/x.yaml"
    )


def test_output_file_gets_the_report_and_stdout_the_table(
    cli: Cli, repository: Path, tmp_path: Path
) -> None:
    report = tmp_path / "gl-code-quality-report.json"
    result = cli("validate", "-d", repository / "data", "-f", "gitlab", "--output", report)
    assert result.exit_code == 1
    assert len(json.loads(report.read_text(encoding="utf-8"))) == 7
    assert "error [unknown-dependency] depends_on[0]: no project 'dms-plattfrom'" in result.stdout
    assert result.stdout.rstrip().endswith("7 errors, 0 warnings in 4 files")
    assert f"wrote {report}" in result.stderr


def test_output_dash_is_stdout(cli: Cli, repository: Path) -> None:
    result = cli("validate", "-d", repository / "data", "-f", "sarif", "-o", "-")
    assert json.loads(result.stdout)["version"] == "2.1.0"


def test_output_into_a_missing_folder_is_a_usage_error(
    cli: Cli, repository: Path, tmp_path: Path
) -> None:
    before = snapshot(tmp_path)
    result = cli("validate", "-d", repository / "data", "-f", "sarif", "-o", tmp_path / "no" / "x")
    assert result.exit_code == 2
    assert "roadmap:" in result.stderr and "Traceback" not in result.output
    assert snapshot(tmp_path) == before


def test_unknown_format_lists_the_ci_formats(cli: Cli) -> None:
    result = cli("validate", "-f", "codeclimate")
    assert result.exit_code == 2
    assert "gitlab" in result.output and "sarif" in result.output


def test_github_groups_problems_per_file_and_ends_with_a_summary(cli: Cli) -> None:
    result = cli("validate", "-d", CASES / "invalid" / "references", "-f", "github")
    lines = result.stdout.splitlines()
    groups = [line for line in lines if line.startswith("::group::")]
    assert [g.rsplit("/", 1)[-1] for g in groups] == ["e-akte.yaml", "portal.yaml", "zwischen.yaml"]
    assert lines.count("::endgroup::") == 3
    assert lines[1].startswith("::error file=") and lines[1].endswith(
        "e-akte.yaml,line=4,col=8,title=unknown-field::no field of action 'verwaltng' in "
        "strategy.yaml (did you mean 'verwaltung'?)"
    )
    assert lines[-1] == "7 errors, 0 warnings in 4 files"


def test_github_escapes_hostile_paths_and_messages() -> None:
    hostile = Problem(
        "data/pro,jects/a:b%c\nd.yaml",
        3,
        7,
        Severity.WARNING,
        "co:de,x",
        "100% wrong\r\n::error::forged, really: no",
    )
    out = io.StringIO()
    problems_github([hostile], out, 1)
    assert out.getvalue().splitlines() == [
        "::group::data/pro,jects/a:b%25c%0Ad.yaml",
        "::warning file=data/pro%2Cjects/a%3Ab%25c%0Ad.yaml,line=3,col=7,title=co%3Ade%2Cx"
        "::100%25 wrong%0D%0A::error::forged, really: no",
        "::endgroup::",
        "0 errors, 1 warning in 1 file",
    ]


def test_github_appends_a_markdown_table_to_the_step_summary(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "step_summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    cli("validate", "-d", CASES / "invalid" / "references", "-f", "github")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### roadmap validate: 7 errors, 0 warnings in 4 files\n")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[0] == "| file | line | column | severity | code | message |"
    assert len(rows) == 8
    assert rows[3].endswith(
        "| 6 | 14 | error | unknown-dependency | depends\\_on\\[0\\]: no project 'dms-plattfrom' |"
    )


def test_step_summary_keeps_a_pipe_in_a_message_inside_its_cell(tmp_path: Path) -> None:
    summary = tmp_path / "s.md"
    problems_github(
        [problem("a|b.yaml", 1, "x | y\nz")], io.StringIO(), 1, Where(step_summary=summary)
    )
    row = summary.read_text(encoding="utf-8").splitlines()[-2]
    assert row == "| a\\|b.yaml | 1 | 1 | error | c | x \\| y z |"


def test_an_unwritable_step_summary_is_a_message(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "missing" / "summary.md"))
    result = cli("validate", "-d", CASES / "invalid" / "references", "-f", "github")
    assert result.exit_code == 1
    assert "cannot append to the step summary" in result.stderr
    assert "Traceback" not in result.output


def test_the_people_formats_are_as_before(cli: Cli) -> None:
    case = CASES / "invalid" / "references"
    text = cli("validate", "-d", case, "-f", "text").stdout.splitlines()
    assert text[0].endswith(
        "invalid/references/projects/e-akte.yaml:4:8: error [unknown-field] no field of "
        "action 'verwaltng' in strategy.yaml (did you mean 'verwaltung'?)"
    )
    assert len(text) == 7
    table = cli("validate", "-d", case, "-f", "table").stdout.splitlines()
    assert table == [*text, "7 errors, 0 warnings in 4 files"]


def test_repository_paths_are_relative_to_the_root_wherever_validate_runs() -> None:
    where = Where(root=Path("/repo"), cwd=Path("/repo/sub"))
    assert where.repository_path("../data/projects/x.yaml") == "data/projects/x.yaml"
    assert where.repository_path("..x.yaml") == "sub/..x.yaml"  # a name, not the parent
    assert where.repository_path("/repo/data/./x.yaml") == "data/x.yaml"
    assert where.repository_path("/other/x.yaml") == "/other/x.yaml"  # outside: as given
    assert Where().repository_path("data/x.yaml") == "data/x.yaml"


def test_under_actions_a_report_file_leaves_annotations_and_one_summary_table(
    cli: Cli, repository: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    for format in ("sarif", "github"):
        report = tmp_path / f"report.{format}"
        result = cli("validate", "-d", repository / "data", "-f", format, "-o", report)
        assert result.exit_code == 1
        assert result.stdout.startswith("::group::")
        assert report.read_text(encoding="utf-8")
    assert summary.read_text(encoding="utf-8").count("### roadmap validate:") == 2


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_validate_shows_progress_on_a_terminal_and_not_in_its_report() -> None:
    from .test_cli_progress import run_with_terminal_stderr

    case = str(CASES / "invalid" / "references")
    code, stdout, terminal = run_with_terminal_stderr("validate", "-d", case, "-f", "json")
    assert code == 1
    assert json.loads(stdout)["errors"] == 7  # the report is whole, nothing in between
    assert b"loading and checking the data" in terminal
    quiet = run_with_terminal_stderr("--quiet", "validate", "-d", case, "-f", "json")
    assert quiet[1] == stdout and quiet[2] == b""
