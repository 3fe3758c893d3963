"""The model of a project file (``projects/<id>.yaml``): the project, its effort,
milestones and KPIs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated

from pydantic import BeforeValidator, Field, PrivateAttr

from .base import (
    CLOSED_STATUSES,
    MAX_MEASUREMENTS,
    Decision,
    IsoDate,
    KeyId,
    KpiDirection,
    MilestoneStatus,
    Model,
    NonNegative,
    ProjectId,
    ScoreValue,
    Status,
    TargetGroup,
    Text,
    _dpia,
)


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

    # the top-level keys left out of a partial model (the valid part of an invalid file)
    # because their values are invalid: its defaults there are no statement of the file
    _invalid_keys: frozenset[str] = PrivateAttr(default=frozenset())

    @property
    def invalid_keys(self) -> frozenset[str]:
        return self._invalid_keys

    def leaving_out(self, keys: Iterable[str]) -> Project:
        """This (partial) model, marked as lacking the invalid ``keys``."""
        self._invalid_keys = frozenset(keys)
        return self

    @property
    def is_open(self) -> bool:
        """Still to be worked on: neither done nor cancelled."""
        return self.status not in CLOSED_STATUSES

    @property
    def open_source_value(self) -> bool | None:
        if isinstance(self.open_source, OpenSource):
            return self.open_source.value
        return self.open_source


class RatedProject(Project):
    """A project whose scores come from raters: ``scores`` holds the group's value (median
    or mean) and ``score_ranges`` the raters' spread that robustness draws sample from."""

    score_ranges: dict[str, tuple[float, float]] = Field(
        {},
        exclude=True,
        description="Criterion id → the raters' [low, high] (IQR or min–max).",
    )
