"""Pydantic models of the two file kinds (``strategy.yaml`` and ``projects/<id>.yaml``).

No I/O happens here. Models are strict (YAML already gives typed values, so a quoted
``"5"`` is not silently a number), reject unknown keys and NaN/infinity. Dates are ISO
``YYYY-MM-DD`` strings (YAML 1.2 has no timestamp type) checked to be real dates.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

# A weekly value for 38 years; a KPI with more keeps its history elsewhere. Bounds the
# memory of a portfolio: 1,000 KPIs x 10,000 values would need gigabytes.
MAX_MEASUREMENTS = 2_000
PROJECT_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,63}$"
KEY_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_format", "expected a date YYYY-MM-DD without a time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "impossible_date",
                "{value} is not a date of the calendar (check month and day)",
                {"value": value},
            ) from None
    raise PydanticCustomError(
        "date_format",
        "expected an ISO date YYYY-MM-DD such as 2026-12-31, got {value}",
        {"value": repr(value)},
    )


def _dpia(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        return value
    try:
        return _iso_date(value)
    except PydanticCustomError:
        raise PydanticCustomError(
            "dpia_format",
            "expected the date of the assessment (YYYY-MM-DD) or a link (https://…), got {value}",
            {"value": repr(value)},
        ) from None


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
ProjectId = Annotated[str, StringConstraints(pattern=PROJECT_ID_PATTERN)]
KeyId = Annotated[str, StringConstraints(pattern=KEY_ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]
NonNegative = Annotated[float, Field(ge=0)]
ScoreRange = Annotated[list[float], Field(min_length=2, max_length=2)]
ScoreValue = float | ScoreRange


def midpoint(value: ScoreValue) -> float:
    """The value a score given as a range ``[low, high]`` counts with."""
    return (value[0] + value[1]) / 2 if isinstance(value, list) else float(value)


Status = Literal["idea", "proposed", "approved", "in_progress", "on_hold", "done", "cancelled"]
STATUSES: tuple[str, ...] = typing.get_args(Status)
CLOSED_STATUSES = frozenset({"done", "cancelled"})
Decision = Literal["must", "should", "could", "wont"]
Direction = Literal["benefit", "cost"]
KpiDirection = Literal["increase", "decrease"]
MilestoneStatus = Literal["planned", "done", "late", "dropped"]
TargetGroup = Literal["citizens", "businesses", "staff", "schools", "visitors"]
PolicyName = Literal[
    "open_source",
    "data_protection",
    "accessibility",
    "analog_access",
    "kpi_required",
    "owner_required",
]
POLICIES: tuple[str, ...] = typing.get_args(PolicyName)
PolicySeverity = Literal["error", "warning", "off"]
ScoringMethod = Literal["weighted_sum", "wsjf", "topsis"]
RatingAggregate = Literal["median", "mean"]
RatingSpread = Literal["iqr", "minmax"]
OwnScores = Literal["rater", "override", "ignore"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


class DatedValue(Model):
    value: float = Field(
        description="The number measured, in the KPI's unit, e.g. 42.5.",
    )
    date: IsoDate = Field(
        description="The day the value holds for, as YYYY-MM-DD, e.g. 2026-06-30.",
    )


class Kpi(Model):
    id: KeyId = Field(
        description=(
            "The KPI's id, unique within its project or goal: lower-case letters, digits, _ "
            "and -, e.g. online_share."
        ),
    )
    title: Text = Field(
        description="What is measured, in words, e.g. 'Share of applications filed online'.",
    )
    unit: str = Field(
        "",
        description=(
            "The unit of the values, e.g. '%', 'days' or 'EUR'; empty when the values are counts."
        ),
    )
    direction: KpiDirection = Field(
        "increase",
        description=(
            "Whether the KPI improves when it rises (increase) or falls (decrease), e.g. "
            "decrease for a processing time."
        ),
    )
    baseline: DatedValue = Field(
        description="The value at the start and its date, e.g. {value: 12, date: 2025-01-01}.",
    )
    target: DatedValue = Field(
        description=(
            "The value to reach and the date to reach it by, e.g. {value: 60, date: "
            "2028-12-31}; the date comes after the baseline's."
        ),
    )
    measurements: list[DatedValue] = Field(
        [],
        max_length=MAX_MEASUREMENTS,
        description=(
            "The values measured so far, one per date, e.g. [{date: 2026-06-30, value: "
            "31}]; roadmap record kpi adds one."
        ),
    )
    description: str | None = Field(
        None,
        description=(
            "How the KPI is defined or measured, e.g. 'online applications / all "
            "applications per quarter'."
        ),
    )
    source: str | None = Field(
        None,
        description="Where the values come from, e.g. 'Fachverfahren statistics' or a link.",
    )


class Milestone(Model):
    id: KeyId = Field(
        description=(
            "The milestone's id, unique within its project: lower-case letters, digits, _ "
            "and -, e.g. go_live."
        ),
    )
    title: Text = Field(
        description="What is reached, e.g. 'Pilot in the Bürgerbüro Mitte'.",
    )
    due: IsoDate = Field(
        description="The day it is due, as YYYY-MM-DD, e.g. 2027-03-31.",
    )
    status: MilestoneStatus = Field(
        "planned",
        description="planned, done, late or dropped, e.g. done once reached (then give done_on).",
    )
    done_on: IsoDate | None = Field(
        None,
        description="The day it was reached, as YYYY-MM-DD, e.g. 2027-03-15.",
    )
    description: str | None = Field(
        None,
        description="What the milestone includes, in a sentence or two.",
    )


class Effort(Model):
    budget_eur: NonNegative = Field(
        0.0,
        description="One-off budget in euros for the whole project, a number ≥ 0, e.g. 250000.",
    )
    running_eur_per_year: NonNegative = Field(
        0.0,
        description=(
            "Running costs in euros per year once the project is live (licences, "
            "operation), e.g. 40000."
        ),
    )
    staff_fte: NonNegative = Field(
        0.0,
        description="Staff the project needs while it runs, in full-time equivalents, e.g. 1.5.",
    )
    spent_eur: NonNegative | None = Field(
        None,
        description=(
            "What the project has spent of budget_eur up to today, in euros, e.g. 360000 "
            "(optional; at most budget_eur). The months before today carry it (spread over "
            "the project's months before today, else the last month before today); the rest "
            "of the budget is spread over its months from today on. Write it when a project "
            "is paused or its figures are updated; without it the budget is spread evenly "
            "over all the project's months."
        ),
    )


class Wsjf(Model):
    business_value: NonNegative = Field(
        description=(
            "WSJF: value for citizens and the administration, a number ≥ 0 on the scale you "
            "use, e.g. 8."
        ),
    )
    time_criticality: NonNegative = Field(
        description=(
            "WSJF: how much the value shrinks when the project waits, a number ≥ 0, e.g. 5 "
            "(high for a legal deadline)."
        ),
    )
    risk_reduction: NonNegative = Field(
        description="WSJF: risk reduced or opportunity enabled, a number ≥ 0, e.g. 3.",
    )
    job_size: Annotated[float, Field(gt=0)] = Field(
        description=(
            "WSJF: the size of the work, a number > 0 (the divisor of the WSJF score), e.g. 13."
        ),
    )


class OpenSource(Model):
    value: bool = Field(
        description=(
            "Whether the project's software is open source, e.g. false for a proprietary product."
        ),
    )
    reason: str | None = Field(
        None,
        description=(
            "Why it is not open source, which the open_source policy asks for, e.g. 'no "
            "open-source product for the Fachverfahren exists'."
        ),
    )


class Project(Model):
    id: ProjectId = Field(
        description=(
            "The project's id; must equal the file's name without .yaml: 2–64 lower-case "
            "letters, digits and -, starting with a letter or digit, e.g. e-akte."
        ),
    )
    title: Text = Field(
        description="The project's name as the committee reads it, e.g. 'Elektronische Akte'.",
    )
    summary: str | None = Field(
        None,
        description="One or two sentences on what the project does, for tables and reports.",
    )
    description: str | None = Field(
        None,
        description="The longer description: goal, scope, what changes for whom.",
    )
    department: str | None = Field(
        None,
        description=(
            "The responsible office or department (Amt/Dezernat), e.g. 'Amt 10 Organisation'."
        ),
    )
    owner: str | None = Field(
        None,
        description=(
            "The person responsible, e.g. 'M. Muster'; the owner_required policy asks for it."
        ),
    )
    field: KeyId | None = Field(
        None,
        description=(
            "The id of the field of action (Handlungsfeld) of strategy.yaml it belongs to, "
            "e.g. verwaltung."
        ),
    )
    program: KeyId | None = Field(
        None,
        description="The id of the program of strategy.yaml that groups it, e.g. ozg_umsetzung.",
    )
    goals: list[KeyId] = Field(
        [],
        description="The ids of the goals of strategy.yaml the project serves, e.g. [papierlos].",
    )
    status: Status = Field(
        "idea",
        description=(
            "Where the project stands: idea, proposed, approved, in_progress, on_hold, done "
            "or cancelled, e.g. approved."
        ),
    )
    decision: Decision | None = Field(
        None,
        description=(
            "The committee's decision (MoSCoW): must, should, could or wont; it overrides "
            "the ranking's bands, e.g. must."
        ),
    )
    start: IsoDate | None = Field(
        None,
        description="Planned or actual start, as YYYY-MM-DD, e.g. 2026-01-01.",
    )
    end: IsoDate | None = Field(
        None,
        description="Planned or actual end, as YYYY-MM-DD, not before start, e.g. 2027-06-30.",
    )
    duration_months: Annotated[int, Field(ge=1, le=600)] | None = Field(
        None,
        description=(
            "How many months the project takes when end is not fixed, a whole number 1–600, "
            "e.g. 18; plan schedules with it."
        ),
    )
    deadline: IsoDate | None = Field(
        None,
        description=(
            "A hard date the project must be done by, as YYYY-MM-DD, e.g. a legal one such "
            "as 2028-12-31."
        ),
    )
    fixed: bool = Field(
        default=False,
        description=(
            "Whether the start and end are a commitment the plan keeps, not a wish it may "
            "move, e.g. true for a date promised to the council."
        ),
    )
    legal_basis: str | None = Field(
        None,
        description=(
            "The law or decision that requires the project, e.g. 'OZG' or a council resolution."
        ),
    )
    effort: Effort = Field(
        Effort(),
        description=(
            "Budget, running costs and staff, e.g. {budget_eur: 250000, "
            "running_eur_per_year: 40000, staff_fte: 1.5}."
        ),
    )
    depends_on: list[ProjectId] = Field(
        [],
        description=(
            "Ids of the projects that must be done first, e.g. [dms-plattform]; they must "
            "exist and form no cycle."
        ),
    )
    scores: dict[str, ScoreValue] = Field(
        {},
        description=(
            "The project's score per criterion id of strategy.yaml, within the criterion's "
            "scale, e.g. {citizen_value: 4}; a range [3, 5] when raters disagree (ranking "
            "uses its midpoint)."
        ),
    )
    wsjf: Wsjf | None = Field(
        None,
        description=(
            "The four WSJF numbers, used by prioritize --method wsjf, e.g. {business_value: "
            "8, time_criticality: 5, risk_reduction: 3, job_size: 13}."
        ),
    )
    tags: list[str] = Field(
        [],
        description="Free keywords for filtering and bundling, e.g. [dms, archiv].",
    )
    target_groups: list[TargetGroup] = Field(
        [],
        description=(
            "Who the project serves: citizens, businesses, staff, schools or visitors, e.g. "
            "[citizens, businesses]."
        ),
    )
    services: list[str] = Field(
        [],
        description=(
            "Service-catalogue keys of the services it digitises, e.g. LeiKa ids of OZG "
            "services such as 99102013000000."
        ),
    )
    personal_data: bool = Field(
        False,
        description=(
            "Whether the project processes personal data; then the data_protection policy "
            "asks for dpia, e.g. true."
        ),
    )
    citizen_facing: bool = Field(
        False,
        description=(
            "Whether citizens use the result directly; then the accessibility and "
            "analog_access policies apply, e.g. true."
        ),
    )
    open_source: bool | OpenSource | None = Field(
        None,
        description=(
            "Whether the software is open source: true or false, or {value: false, reason: "
            "…} to say why not, as the open_source policy asks."
        ),
    )
    accessibility: str | None = Field(
        None,
        description="The accessibility standard the result meets, e.g. 'BITV 2.0'.",
    )
    dpia: Annotated[dt.date | str, BeforeValidator(_dpia)] | None = Field(
        None,
        description=(
            "When or where the data-protection impact assessment was done: its date "
            "(YYYY-MM-DD) or a link (https://…), e.g. 2026-03-01."
        ),
    )
    analog_access: str | None = Field(
        None,
        description="How the service stays usable without internet, e.g. 'Bürgerbüro vor Ort'.",
    )
    distinct_from: list[ProjectId] = Field(
        [],
        description=(
            "Ids of projects the committee decided are not duplicates: bundle never "
            "suggests merging with them, e.g. [e-rechnung]."
        ),
    )
    milestones: list[Milestone] = Field(
        [],
        description=(
            "The project's milestones, e.g. [{id: pilot, title: Pilot, due: 2027-03-31}]."
        ),
    )
    kpis: list[Kpi] = Field(
        [],
        description=(
            "The project's KPIs, how its success is measured; the kpi_required policy asks "
            "for one once approved."
        ),
    )

    @property
    def is_open(self) -> bool:
        """Still to be worked on: neither done nor cancelled."""
        return self.status not in CLOSED_STATUSES

    @property
    def open_source_value(self) -> bool | None:
        if isinstance(self.open_source, OpenSource):
            return self.open_source.value
        return self.open_source


class Period(Model):
    start: IsoDate = Field(
        description=(
            "The first day of the strategy's planning horizon, as YYYY-MM-DD, e.g. 2024-01-01."
        ),
    )
    end: IsoDate = Field(
        description="The last day of the planning horizon, as YYYY-MM-DD, e.g. 2030-12-31.",
    )


class ActionField(Model):
    """A field of action (Handlungsfeld)."""

    id: KeyId = Field(
        description=(
            "The field's id that projects, goals and programs refer to: lower-case letters, "
            "digits, _ and -, e.g. verwaltung."
        ),
    )
    title: Text = Field(
        description="The field's name, e.g. 'Digitale Verwaltung'.",
    )
    description: str | None = Field(
        None,
        description="What the field of action covers, in a sentence or two.",
    )


class Goal(Model):
    id: KeyId = Field(
        description=(
            "The goal's id that projects refer to in goals: lower-case letters, digits, _ "
            "and -, e.g. papierlos."
        ),
    )
    title: Text = Field(
        description="The goal in words, e.g. 'Papierlose Verwaltung bis 2028'.",
    )
    field: KeyId = Field(
        description="The id of the field of action the goal belongs to, e.g. verwaltung.",
    )
    parent: KeyId | None = Field(
        None,
        description="The id of the goal this one is a sub-goal of, e.g. papierlos; no cycles.",
    )
    description: str | None = Field(
        None,
        description="What reaching the goal means, in a sentence or two.",
    )
    kpis: list[Kpi] = Field(
        [],
        description="The goal's KPIs, how the committee sees whether it is reached.",
    )


class Program(Model):
    id: KeyId = Field(
        description=(
            "The program's id that projects refer to: lower-case letters, digits, _ and -, "
            "e.g. ozg_umsetzung."
        ),
    )
    title: Text = Field(
        description="The program's name, e.g. 'OZG-Umsetzung'.",
    )
    field: KeyId = Field(
        description="The id of the field of action the program belongs to, e.g. verwaltung.",
    )
    description: str | None = Field(
        None,
        description="What the program groups, in a sentence or two.",
    )


class Criterion(Model):
    id: KeyId = Field(
        description=(
            "The criterion's id that projects' scores refer to: lower-case letters, digits, "
            "_ and -, e.g. citizen_value."
        ),
    )
    title: Text = Field(
        description="The criterion's name, e.g. 'Nutzen für Bürgerinnen und Bürger'.",
    )
    weight: NonNegative = Field(
        1.0,
        description=(
            "The criterion's weight, a number ≥ 0, e.g. 3; weights are normalised, they "
            "need not sum to 1."
        ),
    )
    direction: Direction = Field(
        "benefit",
        description=(
            "benefit when a higher score is better, cost when a lower one is, e.g. cost for risk."
        ),
    )
    scale: Annotated[list[float], Field(min_length=2, max_length=2)] = Field(
        [0.0, 5.0],
        description=(
            "The lowest and highest score, [min, max], e.g. [1, 5]; every project's score "
            "must lie within it."
        ),
    )
    gate: float | None = Field(
        None,
        description=(
            "A minimum score: a project below it is not eligible whatever its other scores, e.g. 2."
        ),
    )
    description: str | None = Field(
        None,
        description="How to score the criterion, e.g. what a 1 and a 5 mean.",
    )


class Scoring(Model):
    method: ScoringMethod = Field(
        "weighted_sum",
        description="How prioritize ranks: weighted_sum, wsjf or topsis, e.g. weighted_sum.",
    )
    dependency_pull: bool = Field(
        True,
        description=(
            "Whether a prerequisite ranks at least as high as the best project that depends "
            "on it, e.g. true."
        ),
    )
    missing_scores: Literal["worst", "minimum"] = Field(
        default="worst",
        description=(
            "What a missing score counts as: the criterion's worst value (minimum for a "
            "benefit, maximum for a cost), or its scale minimum, e.g. worst."
        ),
    )


class Capacity(Model):
    year: Annotated[int, Field(ge=1900, le=2200)] = Field(
        description="The calendar year, e.g. 2027.",
    )
    budget_eur: NonNegative = Field(
        description=(
            "The budget in euros the portfolio may spend in that year, a number ≥ 0, e.g. 1400000."
        ),
    )
    staff_fte: NonNegative = Field(
        description="The staff available in that year, in full-time equivalents, e.g. 12.",
    )
    running_eur: NonNegative | None = Field(
        default=None,
        description=(
            "A separate budget for running costs in this year; when set, running costs "
            "count against it instead of budget_eur, e.g. 300000."
        ),
    )


DEFAULT_BUNDLE_THRESHOLD = 0.25  # a calibrated probability: see bundle.py and the README


class Bundling(Model):
    threshold: Annotated[float, Field(ge=0, le=1)] = Field(
        DEFAULT_BUNDLE_THRESHOLD,
        description=(
            "The estimated probability (0–1) that two projects are one, from which bundle "
            "suggests merging them, e.g. 0.25; higher suggests fewer."
        ),
    )
    # words that mean the same here, e.g. [sperrmüll, sperrgut]; added to the defaults
    synonyms: list[Annotated[list[Text], Field(min_length=2)]] = Field(
        [],
        description=(
            "Groups of words that mean the same here, added to the built-in ones, e.g. "
            "[[sperrmüll, sperrgut]]."
        ),
    )


class RatingsConfig(Model):
    """How ``ratings/<rater>.yaml`` are aggregated into one score per project and criterion."""

    aggregate: RatingAggregate = Field(
        "median",
        description=(
            "The group's score of a project on a criterion: the median or the mean of its "
            "raters, e.g. median."
        ),
    )
    spread: RatingSpread = Field(
        "iqr",
        description=(
            "The range carried as the score's [low, high] that prioritize --robustness "
            "samples: the interquartile range (iqr) or min–max of the raters, e.g. iqr."
        ),
    )
    own_scores: OwnScores = Field(
        "rater",
        description=(
            "What a score in a project's own file does once raters exist: counts as one more "
            "rater (rater), wins over the raters (override), or counts only for a project "
            "nobody rated (ignore), e.g. rater."
        ),
    )


class RaterFile(Model):
    """One rater's file, ``ratings/<rater>.yaml``: scores and, optionally, comparisons."""

    name: Text | None = Field(
        None,
        description="Who rates, as reports show it, e.g. 'Amt 33 Bürgerservice'.",
    )
    scores: dict[str, dict[str, float]] = Field(
        {},
        description=(
            "The rater's score per project id and criterion id, within the criterion's "
            "scale, any subset, e.g. {e-akte: {citizen_value: 4, risk: 2}}."
        ),
    )
    pairwise: dict[str, dict[str, Annotated[float, Field(gt=0)]]] | None = Field(
        None,
        description=(
            "The rater's AHP comparisons of the criteria, every pair once, e.g. "
            "{citizen_value: {efficiency: 3}}; the group's weights come from all raters'."
        ),
    )


class Strategy(Model):
    organization: Text = Field(
        description=(
            "The city or body whose strategy this is, e.g. 'Landeshauptstadt Düsseldorf'."
        ),
    )
    title: Text = Field(
        description="The strategy's title, e.g. 'Digitalisierungsstrategie 2024–2030'.",
    )
    language: Literal["de", "en"] = Field(
        "de",
        description="The language of rendered reports, de or en, e.g. de.",
    )
    vision: str | None = Field(
        None,
        description="The vision text of the strategy.",
    )
    period: Period = Field(
        description="The planning horizon, e.g. {start: 2024-01-01, end: 2030-12-31}.",
    )
    fields: list[ActionField] = Field(
        [],
        description=(
            "The fields of action (Handlungsfelder), e.g. [{id: verwaltung, title: Digitale "
            "Verwaltung}]."
        ),
    )
    goals: list[Goal] = Field(
        [],
        description=(
            "The strategic goals; parent makes a sub-goal, e.g. [{id: papierlos, title: "
            "Papierlose Verwaltung, field: verwaltung}]."
        ),
    )
    programs: list[Program] = Field(
        [],
        description=(
            "Programs that group projects, e.g. [{id: ozg_umsetzung, title: OZG-Umsetzung, "
            "field: verwaltung}]."
        ),
    )
    criteria: list[Criterion] = Field(
        [],
        description=(
            "The scoring criteria, e.g. [{id: citizen_value, title: Nutzen, weight: 3, "
            "scale: [1, 5]}]."
        ),
    )
    pairwise: dict[str, dict[str, Annotated[float, Field(gt=0)]]] | None = Field(
        None,
        description=(
            "AHP comparisons of criteria, how much more important the first is (a number > "
            "0), e.g. {citizen_value: {efficiency: 3}}; when given, the weights come from "
            "them."
        ),
    )
    scoring: Scoring = Field(
        Scoring(),
        description=(
            "The ranking method and dependency pull, e.g. {method: weighted_sum, "
            "dependency_pull: true}."
        ),
    )
    capacity: list[Capacity] = Field(
        [],
        description=(
            "What the portfolio can spend per calendar year, e.g. [{year: 2027, budget_eur: "
            "1400000, staff_fte: 12}]."
        ),
    )
    capacity_includes_running_costs: bool = Field(
        default=True,
        description=(
            "Whether running costs of finished projects count against capacity[].budget_eur "
            "(false: they come from the departments' operating budgets), e.g. true."
        ),
    )
    approved_dates_are_commitments: bool = Field(
        default=True,
        description=(
            "Whether the dates of approved projects are commitments the plan keeps (false: "
            "wishes it may move, like those of ideas and proposals), e.g. true."
        ),
    )
    kpi_stale_after_months: Annotated[int, Field(ge=1, le=600)] = Field(
        default=12,
        description=(
            "After how many months without a measurement validate warns about a KPI, e.g. 12."
        ),
    )
    policies: dict[PolicyName, PolicySeverity] = Field(
        {},
        description=(
            "The strategy's principles as checks, policy → error, warning or off, e.g. "
            "{data_protection: error}; a policy not named is a warning."
        ),
    )
    bundling: Bundling = Field(
        Bundling(),
        description="How bundle suggests merges, e.g. {threshold: 0.25}.",
    )
    ratings: RatingsConfig = Field(
        RatingsConfig(),
        description=(
            "How the raters' files in ratings/ become the projects' scores, e.g. "
            "{aggregate: median, spread: iqr, own_scores: rater}."
        ),
    )

    def policy_severity(self, name: str) -> str:
        """Severity of a policy; every policy is a warning unless the strategy says otherwise."""
        return self.policies.get(name, "warning")  # type: ignore[call-overload,no-any-return]


class Portfolio(BaseModel):
    """A strategy and its projects, with the file each came from (for messages)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    strategy: Strategy
    projects: dict[str, Project]
    strategy_file: str = "strategy.yaml"
    project_files: dict[str, str] = {}
    # the valid raters' files of ratings/ (rater id = file stem) and where each is
    ratings: dict[str, RaterFile] = {}
    rating_files: dict[str, str] = {}

    def file_of(self, project_id: str) -> str:
        return self.project_files.get(project_id, f"projects/{project_id}.yaml")

    @property
    def open_projects(self) -> list[Project]:
        return [p for p in self.projects.values() if p.is_open]


class RatedProject(Project):
    """A project whose scores come from raters: ``scores`` holds the group's value (median
    or mean) and ``score_ranges`` the raters' spread that robustness draws sample from."""

    score_ranges: dict[str, tuple[float, float]] = Field(
        {},
        exclude=True,
        description="Criterion id → the raters' [low, high] (IQR or min–max).",
    )


def allowed_keys(root: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The keys a mapping at ``loc`` (a pydantic error location) may have, for did-you-mean."""
    annotation: Any = root
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return []
            annotation = field.annotation
        else:
            origin = typing.get_origin(annotation)
            args = typing.get_args(annotation)
            if origin is list and args:
                annotation = args[0]
            elif origin is dict and len(args) == 2:
                annotation = args[1]
            else:
                return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``X | None`` (picking the model member of a union)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
            annotation = models[0] if models else members[0]
        else:
            return annotation
