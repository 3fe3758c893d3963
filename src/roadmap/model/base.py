"""What both file kinds share: id patterns, ISO dates, score values, the closed sets of
words (statuses, decisions, policies …) and the strict base model.

No I/O happens here. Models are strict (YAML already gives typed values, so a quoted
``"5"`` is not silently a number), reject unknown keys and NaN/infinity. Dates are ISO
``YYYY-MM-DD`` strings (YAML 1.2 has no timestamp type) checked to be real dates.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from typing import Annotated, Any, Literal

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
