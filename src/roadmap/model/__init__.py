"""Pydantic models of the two file kinds (``strategy.yaml`` and ``projects/<id>.yaml``):
the shared types in :mod:`.base`, a project in :mod:`.project`, the strategy in
:mod:`.strategy`; here the portfolio that holds both, and the key lookup for
did-you-mean. No I/O happens here."""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any, Union

from pydantic import BaseModel, ConfigDict

from .base import (
    CLOSED_STATUSES as CLOSED_STATUSES,
)
from .base import (
    KEY_ID_PATTERN as KEY_ID_PATTERN,
)
from .base import (
    MAX_MEASUREMENTS as MAX_MEASUREMENTS,
)
from .base import (
    POLICIES as POLICIES,
)
from .base import (
    PROJECT_ID_PATTERN as PROJECT_ID_PATTERN,
)
from .base import (
    STATUSES as STATUSES,
)
from .base import (
    Decision as Decision,
)
from .base import (
    Direction as Direction,
)
from .base import (
    IsoDate as IsoDate,
)
from .base import (
    KeyId as KeyId,
)
from .base import (
    KpiDirection as KpiDirection,
)
from .base import (
    MilestoneStatus as MilestoneStatus,
)
from .base import (
    Model as Model,
)
from .base import (
    NonNegative as NonNegative,
)
from .base import (
    OwnScores as OwnScores,
)
from .base import (
    PolicyName as PolicyName,
)
from .base import (
    PolicySeverity as PolicySeverity,
)
from .base import (
    ProjectId as ProjectId,
)
from .base import (
    RatingAggregate as RatingAggregate,
)
from .base import (
    RatingSpread as RatingSpread,
)
from .base import (
    ScoreRange as ScoreRange,
)
from .base import (
    ScoreValue as ScoreValue,
)
from .base import (
    ScoringMethod as ScoringMethod,
)
from .base import (
    Status as Status,
)
from .base import (
    TargetGroup as TargetGroup,
)
from .base import (
    Text as Text,
)
from .base import (
    midpoint as midpoint,
)
from .project import (
    DatedValue as DatedValue,
)
from .project import (
    Effort as Effort,
)
from .project import (
    Kpi as Kpi,
)
from .project import (
    Milestone as Milestone,
)
from .project import (
    OpenSource as OpenSource,
)
from .project import (
    Project as Project,
)
from .project import (
    RatedProject as RatedProject,
)
from .project import (
    Wsjf as Wsjf,
)
from .strategy import (
    DEFAULT_BUNDLE_THRESHOLD as DEFAULT_BUNDLE_THRESHOLD,
)
from .strategy import (
    ActionField as ActionField,
)
from .strategy import (
    Bundling as Bundling,
)
from .strategy import (
    Capacity as Capacity,
)
from .strategy import (
    Criterion as Criterion,
)
from .strategy import (
    Goal as Goal,
)
from .strategy import (
    Period as Period,
)
from .strategy import (
    Program as Program,
)
from .strategy import (
    RaterFile as RaterFile,
)
from .strategy import (
    RatingsConfig as RatingsConfig,
)
from .strategy import (
    Scoring as Scoring,
)
from .strategy import (
    Strategy as Strategy,
)


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
