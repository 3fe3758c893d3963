"""The typed documents of ``bundle``: the bundles and the explanation of one pair."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NotRequired, TypedDict

if TYPE_CHECKING:
    from ..bundle import Bundle, Pair


class EvidenceItem(TypedDict):
    code: str
    params: list[str | float]


class BundleItem(TypedDict):
    projects: list[str]
    score: float
    reasons: list[str]  # English, as SPEC.md has them
    titles: list[str]
    evidence: list[EvidenceItem]  # the reasons as codes, worded at the edge


class BundleDocument(TypedDict):
    threshold: float
    bundles: list[BundleItem]


def bundle_document(
    bundles: Sequence[Bundle], threshold: float, titles: dict[str, str]
) -> BundleDocument:
    from .texts import evidence_text

    return {
        "threshold": threshold,
        "bundles": [
            {
                "projects": b.projects,
                "score": round(b.score, 4),
                "reasons": [evidence_text(r, "en") for r in b.reasons],
                "titles": [titles[p] for p in b.projects],
                "evidence": [{"code": r.code, "params": list(r.params)} for r in b.reasons],
            }
            for b in bundles
        ],
    }


class SignalItem(TypedDict):
    signal: str
    value: float
    reason: str
    contribution: float  # coefficient × value, in log-odds (the score's units before e^)
    reasons: list[str]
    evidence: list[EvidenceItem]  # the reasons as codes, worded at the edge


class TermsItem(TypedDict):
    a: list[str]
    b: list[str]
    shared: list[dict[str, str | float]]  # {term, weight}, most telling first


class PairDocument(TypedDict):
    projects: list[str]
    score: float
    signals: list[SignalItem]
    intercept: float
    log_odds: float
    terms: NotRequired[TermsItem]


def pair_document(pair: Pair) -> PairDocument:
    """The explanation of one pair: every signal with its contribution to the log-odds
    z (score = 1 / (1 + e^−z)), and the normalised terms of both projects."""
    from ..bundle import INTERCEPT
    from .texts import evidence_text

    document: PairDocument = {
        "projects": [pair.a, pair.b],
        "score": round(pair.score, 4),
        "signals": [
            {
                "signal": s.name,
                "value": round(s.value, 4),
                "reason": "; ".join(evidence_text(e, "en") for e in s.evidence),
                "contribution": round(s.contribution, 4),
                "reasons": [evidence_text(e, "en") for e in s.evidence],
                "evidence": [{"code": e.code, "params": list(e.params)} for e in s.evidence],
            }
            for s in pair.signals
        ],
        "intercept": INTERCEPT,
        "log_odds": round(pair.log_odds, 4),
    }
    if pair.terms is not None:
        document["terms"] = {
            "a": list(pair.terms.a),
            "b": list(pair.terms.b),
            "shared": [{"term": t, "weight": w} for t, w in pair.terms.shared],
        }
    return document
