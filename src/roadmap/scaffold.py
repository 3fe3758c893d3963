"""`roadmap init`: a new portfolio folder that validates as it is.

It holds a `strategy.yaml` with every key commented in the portfolio's language, an
empty `projects/`, a `.gitignore`, and the CI and pre-commit snippets of the README under
`ci/` to copy where the repository keeps them. Nothing existing is overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError
from .markers import marked

Words = Callable[[str, str], str]  # (context, English message) → the message worded


@dataclass(frozen=True)
class InitOptions:
    """What `roadmap init` asks for; every value has a default that validates."""

    organization: str
    title: str
    start_year: int
    end_year: int
    language: str = "de"
    budget_eur: dict[int, float] = field(default_factory=dict)  # per year; default below
    staff_fte: dict[int, float] = field(default_factory=dict)

    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


DEFAULT_BUDGET_EUR = 1_000_000
DEFAULT_STAFF_FTE = 5

# field ids per language (ids are data: they stay as the portfolio's language wrote
# them); titles and descriptions are English messages the catalogs translate
_FIELD_IDS = {
    "de": ("buergerservice", "verwaltung", "infrastruktur", "bildung", "smart-city", "teilhabe"),
    "en": (
        "citizen-services",
        "administration",
        "infrastructure",
        "education",
        "smart-city",
        "participation",
    ),
}
_FIELDS = (
    (
        marked("init-field", "Digital citizen services"),
        marked("init-field", "online services, appointments, portal"),
    ),
    (
        marked("init-field", "Digital administration"),
        marked("init-field", "e-file, paperless processes, new work"),
    ),
    (
        marked("init-field", "Digital infrastructure"),
        marked("init-field", "networks, Wi-Fi, IT operations and security"),
    ),
    (
        marked("init-field", "Digital education"),
        marked("init-field", "schools, day care, libraries"),
    ),
    (
        marked("init-field", "Smart city and data"),
        marked("init-field", "data platform, open data, sensors"),
    ),
    (
        marked("init-field", "Participation"),
        marked("init-field", "accessibility, analog access, participation"),
    ),
)
_CRITERIA = (
    ("citizen_value", marked("init-criterion", "Value for citizens and businesses"), 3, "benefit"),
    ("efficiency", marked("init-criterion", "Relief for the administration"), 2, "benefit"),
    ("legal_obligation", marked("init-criterion", "Legal obligation and deadlines"), 2, "benefit"),
    (
        "strategic_fit",
        marked("init-criterion", "Contribution to the strategy's goals"),
        1.5,
        "benefit",
    ),
    ("risk", marked("init-criterion", "Delivery risk"), 1.5, "cost"),
)
# the comment above each key; a line break continues the comment
_COMMENTS = {
    "head": marked(
        "init-comment",
        "Digital strategy: one file for the strategy, one per project under\n"
        "projects/. Every key is explained; `roadmap validate` checks the file,\n"
        "`roadmap schema` gives the JSON Schema for editors.",
    ),
    "language": marked("init-comment", "Language of reports: de or en."),
    "vision": marked("init-comment", "The vision in a few sentences."),
    "period": marked("init-comment", "The strategy's planning period."),
    "fields": marked(
        "init-comment",
        "Fields of action (examples: adapt them). Projects name their field by\n"
        "its id or, when imported from a spreadsheet, by its title.",
    ),
    "goals": marked(
        "init-comment",
        "Goals and sub-goals (parent) with KPIs (kpis), e.g.:\n"
        "  - id: {goal}\n    title: {goal_title}\n    field: {field}",
    ),
    "programs": marked("init-comment", "Programs group projects of one field (optional)."),
    "criteria": marked(
        "init-comment",
        "Scoring criteria. weight (normalized); direction: benefit (more is\n"
        "better) or cost (less is better); scale: [min, max].",
    ),
    "scoring": marked(
        "init-comment",
        "Ranking: weighted_sum, wsjf or topsis; dependency_pull moves\n"
        "prerequisites of important projects forward.",
    ),
    "capacity": marked(
        "init-comment",
        "What the portfolio can spend per calendar year: budget in euros and\n"
        "staff in full-time equivalents (FTE).",
    ),
    "policies": marked(
        "init-comment",
        "Principles as checks: error blocks, warning points out, off switches off.\n"
        "All start as warnings so that an imported list can be checked at once; set e.g.\n"
        "data_protection to error once the portfolio is complete.",
    ),
    "bundling": marked(
        "init-comment", "From which similarity `roadmap bundle` suggests merging projects."
    ),
}
_GOAL_EXAMPLE = {
    "de": {
        "goal": "online-leistungen",
        "goal_title": "Alle geeigneten Leistungen sind online",
        "field": "buergerservice",
    },
    "en": {
        "goal": "online-services",
        "goal_title": "All suitable services are online",
        "field": "citizen-services",
    },
}
_POLICIES = {
    "open_source": "warning",
    "data_protection": "warning",
    "accessibility": "warning",
    "analog_access": "warning",
    "kpi_required": "warning",
    "owner_required": "warning",
}


def _text(value: str) -> str:
    """Plain where YAML reads it back as the same text, double-quoted otherwise."""
    from .edit import render

    return render(value)


def strategy_text(options: InitOptions, words: Words) -> str:
    """The commented strategy.yaml for these options; ``words(context, message)`` gives
    a marked English message in the portfolio's language (the CLI passes the catalog's)."""
    lang = options.language
    note = {
        key: "\n# ".join(words("init-comment", text).format(**_GOAL_EXAMPLE[lang]).split("\n"))
        for key, text in _COMMENTS.items()
    }
    lines = [
        f"# {note['head']}",
        f"organization: {_text(options.organization)}",
        f"title: {_text(options.title)}",
        f"# {note['language']}",
        f"language: {lang}",
        f"# {note['vision']}",
        "vision: ''",
        f"# {note['period']}",
        "period:",
        f"  start: {options.start_year}-01-01",
        f"  end: {options.end_year}-12-31",
        "",
        f"# {note['fields']}",
        "fields:",
    ]
    for ident, (title, description) in zip(_FIELD_IDS[lang], _FIELDS, strict=True):
        lines += [
            f"  - id: {ident}",
            f"    title: {_text(words('init-field', title))}",
            f"    description: {_text(words('init-field', description))}",
        ]
    lines += ["", f"# {note['goals']}", "goals: []", "", f"# {note['programs']}", "programs: []"]
    lines += ["", f"# {note['criteria']}", "criteria:"]
    for ident, title, weight, direction in _CRITERIA:
        lines += [
            f"  - id: {ident}",
            f"    title: {_text(words('init-criterion', title))}",
            f"    weight: {weight}",
            f"    direction: {direction}",
            "    scale: [1, 5]",
        ]
    lines += ["", f"# {note['scoring']}", "scoring:", "  method: weighted_sum"]
    lines += ["  dependency_pull: true", "", f"# {note['capacity']}", "capacity:"]
    for year in options.years():
        budget = options.budget_eur.get(year, DEFAULT_BUDGET_EUR)
        staff = options.staff_fte.get(year, DEFAULT_STAFF_FTE)
        lines.append(
            f"  - {{year: {year}, budget_eur: {_number(budget)}, staff_fte: {_number(staff)}}}"
        )
    lines += ["", f"# {note['policies']}", "policies:"]
    lines += [f"  {name}: {level}" for name, level in _POLICIES.items()]
    lines += ["", f"# {note['bundling']}", "bundling:", "  threshold: 0.25", ""]
    return "\n".join(lines)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


GITIGNORE = "# roadmap's generated output\n/build/\n*.pdf\n"

GITLAB_CI = """\
# GitLab CI: copy into the repository's .gitlab-ci.yml. Pin what is installed to a
# commit you reviewed (git ls-remote <repository URL> main prints its SHA). The
# problems show in the merge request's Code Quality widget, which compares with the
# report of the target branch, so the job runs there too.
validate-roadmap:
  image: python:3.12
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - pip install "kommune-roadmap @ git+<repository URL>@<SHA>"
    - roadmap validate --data {data} --format gitlab --output gl-code-quality-report.json
  artifacts:
    when: always
    reports:
      codequality: gl-code-quality-report.json
"""

GITHUB_WORKFLOW = """\
# GitHub Actions: copy to .github/workflows/roadmap.yml. Actions are pinned to full
# commit SHAs; the token may only read, except that the job may write code-scanning
# results (the problems in the Security tab, through SARIF).
name: roadmap
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  validate:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write  # for upload-sarif
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2
        with: {{persist-credentials: false}}
      - uses: actions/setup-python@0b93645e9fea7318ecaed2b359559ac225c90a2b  # v5.3.0
        with: {{python-version: "3.12"}}
      - run: pip install "kommune-roadmap @ git+<repository URL>@<SHA>"
      # the log shows ::error annotations, one group per file and a summary line
      - run: roadmap validate --data {data} --format sarif --output roadmap.sarif
      - uses: github/codeql-action/upload-sarif@5d4e8d1aca955e8d8589aabd499c5cae939e33c7  # v4.31.9
        if: always()  # also when validate found errors
        with:
          sarif_file: roadmap.sarif
          category: roadmap
"""

PRE_COMMIT = """\
# pre-commit: copy into .pre-commit-config.yaml; `pre-commit autoupdate --freeze`
# replaces <SHA> by the newest commit.
repos:
  - repo: <repository URL>
    rev: <SHA>
    hooks:
      - id: roadmap-validate
        args: [--data, {data}]
"""


def init_portfolio(target: Path, options: InitOptions, words: Words) -> list[Path]:
    """Create the portfolio folder; returns the files written. Refuses a folder that
    already holds a strategy.yaml or project files (UsageError). ``words``: as for
    :func:`strategy_text`."""
    if options.language not in _FIELD_IDS:
        raise UsageError(f"--lang {options.language}: use de or en")
    if options.end_year < options.start_year or not 1900 <= options.start_year <= 2999:
        raise UsageError(
            f"period {options.start_year}–{options.end_year}: give a start year and an end "
            "year not before it, e.g. --period 2026-2030"
        )
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder")
    if (target / "strategy.yaml").exists() or any((target / "projects").glob("*.y*ml")):
        raise UsageError(f"{target} already holds a portfolio; nothing was changed")
    from .edit import write_atomically

    files = {
        target / "strategy.yaml": strategy_text(options, words),
        target / "projects" / ".gitkeep": "",
        target / ".gitignore": GITIGNORE,
        target / "ci" / "gitlab-ci.yml": GITLAB_CI.format(data=target.name or "."),
        target / "ci" / "github-workflow.yml": GITHUB_WORKFLOW.format(data=target.name or "."),
        target / "ci" / "pre-commit-config.yaml": PRE_COMMIT.format(data=target.name or "."),
    }
    written = []
    for path, text in files.items():
        if path.exists():
            continue  # a .gitignore the user already has stays as it is
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, text.encode("utf-8"), 0o644)
        except OSError as exc:  # a read-only or full file system
            from .atomic import WriteError

            raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
        written.append(path)
    return written
