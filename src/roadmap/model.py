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


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


class DatedValue(Model):
    value: float
    date: IsoDate


class Kpi(Model):
    id: KeyId
    title: Text
    unit: str = ""
    direction: KpiDirection = "increase"
    baseline: DatedValue
    target: DatedValue
    measurements: Annotated[list[DatedValue], Field(max_length=MAX_MEASUREMENTS)] = []
    description: str | None = None
    source: str | None = None


class Milestone(Model):
    id: KeyId
    title: Text
    due: IsoDate
    status: MilestoneStatus = "planned"
    done_on: IsoDate | None = None
    description: str | None = None


class Effort(Model):
    budget_eur: NonNegative = 0.0
    running_eur_per_year: NonNegative = 0.0
    staff_fte: NonNegative = 0.0


class Wsjf(Model):
    business_value: NonNegative
    time_criticality: NonNegative
    risk_reduction: NonNegative
    job_size: Annotated[float, Field(gt=0)]


class OpenSource(Model):
    value: bool
    reason: str | None = None


class Project(Model):
    id: ProjectId
    title: Text
    summary: str | None = None
    description: str | None = None
    department: str | None = None
    owner: str | None = None
    field: KeyId | None = None
    program: KeyId | None = None
    goals: list[KeyId] = []
    status: Status = "idea"
    decision: Decision | None = None
    start: IsoDate | None = None
    end: IsoDate | None = None
    duration_months: Annotated[int, Field(ge=1, le=600)] | None = None
    deadline: IsoDate | None = None
    fixed: bool = Field(
        default=False,
        description="the start and end are a commitment the plan keeps (not a wish it may move)",
    )
    legal_basis: str | None = None
    effort: Effort = Effort()
    depends_on: list[ProjectId] = []
    scores: dict[str, ScoreValue] = {}
    wsjf: Wsjf | None = None
    tags: list[str] = []
    target_groups: list[TargetGroup] = []
    services: list[str] = []
    personal_data: bool = False
    citizen_facing: bool = False
    open_source: bool | OpenSource | None = None
    accessibility: str | None = None
    dpia: Annotated[dt.date | str, BeforeValidator(_dpia)] | None = None
    analog_access: str | None = None
    distinct_from: list[ProjectId] = []
    milestones: list[Milestone] = []
    kpis: list[Kpi] = []

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
    start: IsoDate
    end: IsoDate


class ActionField(Model):
    """A field of action (Handlungsfeld)."""

    id: KeyId
    title: Text
    description: str | None = None


class Goal(Model):
    id: KeyId
    title: Text
    field: KeyId
    parent: KeyId | None = None
    description: str | None = None
    kpis: list[Kpi] = []


class Program(Model):
    id: KeyId
    title: Text
    field: KeyId
    description: str | None = None


class Criterion(Model):
    id: KeyId
    title: Text
    weight: NonNegative = 1.0
    direction: Direction = "benefit"
    scale: Annotated[list[float], Field(min_length=2, max_length=2)] = [0.0, 5.0]
    gate: float | None = None
    description: str | None = None


class Scoring(Model):
    method: ScoringMethod = "weighted_sum"
    dependency_pull: bool = True
    missing_scores: Literal["worst", "minimum"] = Field(
        default="worst",
        description="what a missing score counts as: the criterion's worst value (minimum "
        "for a benefit, maximum for a cost), or its scale minimum",
    )


class Capacity(Model):
    year: Annotated[int, Field(ge=1900, le=2200)]
    budget_eur: NonNegative
    staff_fte: NonNegative
    running_eur: NonNegative | None = Field(
        default=None,
        description="a separate budget for running costs in this year; when set, running "
        "costs count against it instead of budget_eur",
    )


DEFAULT_BUNDLE_THRESHOLD = 0.25  # tuned on tests/bundle_eval (precision ≥ 0.9, recall ≥ 0.8)


class Bundling(Model):
    threshold: Annotated[float, Field(ge=0, le=1)] = DEFAULT_BUNDLE_THRESHOLD
    # words that mean the same here, e.g. [sperrmüll, sperrgut]; added to the defaults
    synonyms: list[Annotated[list[Text], Field(min_length=2)]] = []


class Strategy(Model):
    organization: Text
    title: Text
    language: Literal["de", "en"] = "de"
    vision: str | None = None
    period: Period
    fields: list[ActionField] = []
    goals: list[Goal] = []
    programs: list[Program] = []
    criteria: list[Criterion] = []
    pairwise: dict[str, dict[str, Annotated[float, Field(gt=0)]]] | None = None
    scoring: Scoring = Scoring()
    capacity: list[Capacity] = []
    capacity_includes_running_costs: bool = Field(
        default=True,
        description="running costs of finished projects count against capacity[].budget_eur "
        "(false: they come from the departments' operating budgets)",
    )
    approved_dates_are_commitments: bool = Field(
        default=True,
        description="the dates of approved projects are commitments the plan keeps "
        "(false: wishes it may move, like those of ideas and proposals)",
    )
    kpi_stale_after_months: Annotated[int, Field(ge=1, le=600)] = Field(
        default=12,
        description="validate warns about a KPI whose latest measurement is older than this",
    )
    policies: dict[PolicyName, PolicySeverity] = {}
    bundling: Bundling = Bundling()

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

    def file_of(self, project_id: str) -> str:
        return self.project_files.get(project_id, f"projects/{project_id}.yaml")

    @property
    def open_projects(self) -> list[Project]:
        return [p for p in self.projects.values() if p.is_open]


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
