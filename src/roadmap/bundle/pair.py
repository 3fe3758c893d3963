"""The calibrated pair score: the fitted logistic model over the signals, and the
records of a pair (its signals, their evidence, the terms both projects have)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# The fitted model (bench/bundle_eval.py fit on pairs.yaml, blind/ and blind2/;
# README "Bundling").
# z = INTERCEPT + Σ COEFFICIENTS[signal] × value; score = 1 / (1 + e^−z).
# Read as ``pair.INTERCEPT`` (never imported by value): the bench swaps the model.
INTERCEPT = -6.58
COEFFICIENTS: dict[str, float] = {
    "text": 11.17,
    "shared_term": 4.07,
    "synonym": 5.55,
    "same_service": 3.86,
    "different_services": -3.56,
    "different_target_groups": -4.23,
    "context": 0.84,
}


@dataclass(frozen=True)
class Evidence:
    """A piece of evidence: a code (worded in present/ through the catalogs) and its
    parameters in order."""

    code: str
    params: tuple[str | float, ...] = ()


@dataclass(frozen=True)
class Signal:
    """One signal of a pair: its value (0..1), its evidence, and its contribution to the
    score's log-odds (coefficient × value)."""

    name: str
    value: float
    evidence: tuple[Evidence, ...] = ()
    contribution: float = 0.0


@dataclass(frozen=True)
class PairTerms:
    """The normalised terms of both projects' titles and summaries and those they share,
    rarest first, each with its weight."""

    a: tuple[str, ...]
    b: tuple[str, ...]
    shared: tuple[tuple[str, float], ...]


@dataclass
class Pair:
    a: str
    b: str
    score: float
    signals: list[Signal]
    terms: PairTerms | None = None

    @property
    def reasons(self) -> list[Evidence]:
        return [e for s in self.signals for e in s.evidence]

    @property
    def log_odds(self) -> float:
        return INTERCEPT + math.fsum(s.contribution for s in self.signals)


@dataclass
class Bundle:
    projects: list[str]
    score: float
    reasons: list[Evidence]
    pairs: list[Pair] = field(default_factory=list)


def logistic(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z > -700 else 0.0
