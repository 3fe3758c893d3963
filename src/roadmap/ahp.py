"""Criteria weights from pairwise comparisons: Saaty's analytic hierarchy process (AHP),
the principal eigenvector of the reciprocal comparison matrix and its consistency ratio.

Below both its users: ``score`` (a strategy's ``pairwise`` weights) and ``rated`` (the
raters' comparisons combined into the group's)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import ScoringError

# Saaty's random consistency index by matrix size (Saaty 1980, extended table).
RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}
CONSISTENCY_LIMIT = 0.10


@dataclass(frozen=True)
class Ahp:
    weights: dict[str, float]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float


def pairwise_matrix(
    criteria: Sequence[str], pairwise: dict[str, dict[str, float]]
) -> list[list[float]]:
    """The reciprocal comparison matrix; every pair must be compared once (or twice,
    reciprocally). Raises ScoringError naming what is missing or contradicts."""
    index = {c: i for i, c in enumerate(criteria)}
    n = len(criteria)
    matrix = [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]
    for row, comparisons in pairwise.items():
        for col, value in comparisons.items():
            if row not in index or col not in index:
                continue  # validate reports unknown criteria
            i, j = index[row], index[col]
            if i == j:
                if value != 1:
                    raise ScoringError(
                        f"pairwise.{row}.{col} compares a criterion with "
                        f"itself: it must be 1, not {value:g}",
                        ("pairwise", row, col),
                    )
                continue
            for a, b, v in ((i, j, value), (j, i, 1 / value)):
                if matrix[a][b] and not math.isclose(matrix[a][b], v, rel_tol=1e-6):
                    raise ScoringError(
                        f"pairwise.{row}.{col} = {value:g} contradicts "
                        f"pairwise.{col}.{row}: the two must be reciprocal "
                        f"(give one of them)",
                        ("pairwise", row, col),
                    )
                matrix[a][b] = v
    missing = [
        f"{criteria[i]}/{criteria[j]}"
        for i in range(n)
        for j in range(i + 1, n)
        if not matrix[i][j]
    ]
    if missing:
        raise ScoringError(
            f"pairwise comparisons are incomplete: compare {', '.join(missing[:6])}"
            f"{' …' if len(missing) > 6 else ''} (every pair of criteria once)",
            ("pairwise",),
        )
    return matrix


def ahp(criteria: Sequence[str], pairwise: dict[str, dict[str, float]]) -> Ahp:
    """Weights as the principal eigenvector of the pairwise matrix (power iteration,
    exact for a positive reciprocal matrix by Perron–Frobenius) and Saaty's CR."""
    matrix = pairwise_matrix(criteria, pairwise)
    n = len(criteria)
    vector = [1.0 / n] * n
    for _ in range(1000):
        product = [math.fsum(row[j] * vector[j] for j in range(n)) for row in matrix]
        total = math.fsum(product)
        new = [x / total for x in product]
        done = max(abs(a - b) for a, b in zip(new, vector, strict=True)) < 1e-13
        vector = new
        if done:
            break
    product = [math.fsum(row[j] * vector[j] for j in range(n)) for row in matrix]
    lambda_max = math.fsum(product[i] / vector[i] for i in range(n)) / n
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX.get(n, 1.59)
    cr = ci / ri if ri else 0.0
    return Ahp(dict(zip(criteria, vector, strict=True)), lambda_max, ci, max(cr, 0.0))
