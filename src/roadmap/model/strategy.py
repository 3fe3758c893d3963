"""The model of ``strategy.yaml``: period, fields of action, goals, criteria, capacity,
bundling, ratings and policies; and a rater's file."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .base import (
    Direction,
    IsoDate,
    KeyId,
    Model,
    NonNegative,
    OwnScores,
    PolicyName,
    PolicySeverity,
    RatingAggregate,
    RatingSpread,
    ScoringMethod,
    Text,
)
from .project import Kpi


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
