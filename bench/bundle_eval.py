"""Evaluate (and fit) the pair model of `roadmap bundle` on labelled sets.

Usage:
  python bench/bundle_eval.py --data DIR --labels FILE [--threshold T]
      a portfolio folder and its labels (format below): aggregates only
  python bench/bundle_eval.py --pairs FILE [--threshold T]
      a file of labelled pairs of projects (the format of tests/bundle_eval/pairs.yaml)
  python bench/bundle_eval.py fit
      fit the coefficients on the training sets (pairs.yaml, blind/, blind2/),
      cross-validated (fit on all but one, check on that one), and print them for
      src/roadmap/bundle/pair.py

What it prints is aggregate only, never a pair: precision on the labelled pairs,
recall, prerequisite pairs suggested, unlabelled pairs suggested, at the threshold
(default: the strategy's `bundling.threshold`, else the default) and in a
precision–recall table over thresholds. So a blind set can be measured without anyone
seeing which pairs were missed.

Labels format (`--labels`, the format of tests/bundle_eval/blind/labels.yaml): a YAML
mapping with one key `pairs`, a list of `{a, b, same, kind, note}`: `a`, `b` project
ids of the portfolio; `same` true when running both would build or buy the same thing
twice (tests/bundle_eval/README.md, "Labelling rule"); `kind` one of `duplicate`
(same: true), `prerequisite` (one depends_on the other), `shared-words`,
`same-technology`, `other`; `note` one line of why. Every pair that is the same is
labelled, so a suggested pair that is not labelled counts as "unlabelled pair
suggested" (a false positive not in the precision on labelled pairs). Every project of
the folder takes part, done ones included (as `roadmap new` compares them).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from roadmap.bundle import COEFFICIENTS, INTERCEPT, Similarity, similar_pairs, synonyms_of
from roadmap.bundle import pair as bundle_model
from roadmap.model import DEFAULT_BUNDLE_THRESHOLD, Project

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "bundle_eval"
THRESHOLDS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
L2 = 0.1  # ridge penalty on the coefficients (not the intercept): few pairs, few signals


@dataclass(frozen=True)
class Labelled:
    """A set of projects with labelled pairs; when ``complete``, pairs not labelled are
    not the same."""

    name: str
    projects: list[Project]
    labels: dict[frozenset[str], bool]
    synonyms: tuple[tuple[str, ...], ...] = ()
    threshold: float = DEFAULT_BUNDLE_THRESHOLD
    complete: bool = True  # every pair that is the same is labelled


def pair_file(path: Path) -> Labelled:
    """A list of `{name, same, a: project, b: project}` (tests/bundle_eval/pairs.yaml)."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    projects, labels = [], {}
    for k, item in enumerate(items):
        a = Project.model_validate({"id": f"a{k:02d}", **item["a"]})
        b = Project.model_validate({"id": f"b{k:02d}", **item["b"]})
        projects += [a, b]
        labels[frozenset((a.id, b.id))] = bool(item["same"])
    return Labelled(path.name, projects, labels, complete=False)


def portfolio_set(data: Path, labels_file: Path) -> Labelled:
    """A portfolio folder and its labels file (format in this module's docstring)."""
    from roadmap.checks import validate

    loaded, problems = validate(data)
    if loaded.portfolio is None:
        sys.exit(f"{data}: the portfolio does not load ({len(problems)} problems)")
    document = yaml.safe_load(labels_file.read_text(encoding="utf-8"))
    labels = {frozenset((x["a"], x["b"])): bool(x["same"]) for x in document["pairs"]}
    projects = [p for _, p in sorted(loaded.portfolio.projects.items())]
    unknown = sorted({i for pair in labels for i in pair} - set(loaded.portfolio.projects))
    if unknown:
        sys.exit(f"{labels_file}: labels name projects that {data} does not have: {unknown}")
    strategy = loaded.portfolio.strategy
    return Labelled(
        data.name,
        projects,
        labels,
        synonyms_of(loaded.portfolio),
        strategy.bundling.threshold,
    )


def training_sets() -> list[Labelled]:
    return [
        pair_file(EVAL / "pairs.yaml"),
        portfolio_set(EVAL / "blind", EVAL / "blind" / "labels.yaml"),
        portfolio_set(EVAL / "blind2", EVAL / "blind2" / "labels.yaml"),
    ]


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Figures:
    threshold: float
    precision: float
    recall: float
    prerequisite_pairs: int  # suggested pairs where one depends on the other
    unlabelled_pairs: int  # suggested pairs nobody labelled (not the same)
    suggested: int

    def line(self) -> str:
        return (
            f"{self.threshold:9.2f} {self.precision:10.3f} {self.recall:7.3f} "
            f"{self.prerequisite_pairs:13d} {self.unlabelled_pairs:11d} {self.suggested:10d}"
        )


HEADER = (
    f"{'threshold':>9} {'precision':>10} {'recall':>7} {'prerequisite':>13} "
    f"{'unlabelled':>11} {'suggested':>10}"
)


def evaluate(labelled: Labelled, threshold: float) -> Figures:
    """The whole pipeline (candidates, signals, threshold) on one set."""
    by_id = {p.id: p for p in labelled.projects}
    found = {
        frozenset((p.a, p.b))
        for p in similar_pairs(labelled.projects, threshold, labelled.synonyms)
    }
    tp = sum(1 for pair, same in labelled.labels.items() if same and pair in found)
    fp = sum(1 for pair, same in labelled.labels.items() if not same and pair in found)
    positives = sum(labelled.labels.values())

    def needs(pair: frozenset[str]) -> bool:
        a, b = (by_id[i] for i in sorted(pair))
        return a.id in b.depends_on or b.id in a.depends_on

    return Figures(
        threshold,
        tp / (tp + fp) if tp + fp else 1.0,
        tp / positives if positives else 1.0,
        sum(1 for pair in found if needs(pair)),
        sum(1 for pair in found if pair not in labelled.labels),
        len(found),
    )


def report(labelled: Labelled, threshold: float | None) -> None:
    used = labelled.threshold if threshold is None else threshold
    positives = sum(labelled.labels.values())
    print(
        f"{labelled.name}: {len(labelled.projects)} projects, {len(labelled.labels)} "
        f"labelled pairs ({positives} the same)"
    )
    print(HEADER)
    print(evaluate(labelled, used).line(), "  <- the threshold used")
    print("precision–recall over thresholds:")
    for t in THRESHOLDS:
        print(evaluate(labelled, t).line())


# --------------------------------------------------------------------------- fitting


def rows(labelled: Labelled) -> tuple[list[list[float]], list[float]]:
    """Features and label of every pair of a set (unlabelled pairs are not the same);
    pairs where one depends on the other are left out (a rule, not a signal)."""
    similarity = Similarity(labelled.projects, labelled.synonyms)
    names = list(COEFFICIENTS)
    features, targets = [], []
    n = len(labelled.projects)
    for i in range(n):
        a = labelled.projects[i]
        for j in range(i + 1, n):
            b = labelled.projects[j]
            if a.id in b.depends_on or b.id in a.depends_on:
                continue
            label = labelled.labels.get(frozenset((a.id, b.id)))
            if label is None and not labelled.complete:
                continue  # a file of pairs says nothing about pairs across its items
            values = similarity.features(i, j)
            features.append([values[k] for k in names])
            targets.append(1.0 if label else 0.0)
    return features, targets


def fit(features: list[list[float]], targets: list[float]) -> tuple[float, list[float]]:
    """L2-penalised logistic regression by Newton's method: (intercept, coefficients)."""
    import numpy as np

    x = np.hstack([np.ones((len(features), 1)), np.array(features)])
    y = np.array(targets)
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], L2)
    penalty[0] = 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), [float(v) for v in w[1:]]


def log_loss(
    intercept: float, coefficients: list[float], features: list[list[float]], targets: list[float]
) -> float:
    total = 0.0
    for row, y in zip(features, targets, strict=True):
        z = intercept + sum(c * v for c, v in zip(coefficients, row, strict=True))
        p = min(max(1 / (1 + math.exp(-z)), 1e-12), 1 - 1e-12)
        total -= y * math.log(p) + (1 - y) * math.log(1 - p)
    return total / len(targets)


def show_model(intercept: float, coefficients: list[float]) -> str:
    terms = ", ".join(f"{k} {v:+.2f}" for k, v in zip(COEFFICIENTS, coefficients, strict=True))
    return f"intercept {intercept:+.2f}; {terms}"


CHECK_AT = (0.2, 0.25, 0.3, 0.5, 0.7)
CALIBRATION_BINS = [(0.0, 0.05), (0.05, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)]


def _score(intercept: float, coefficients: list[float], row: list[float]) -> float:
    z = intercept + sum(c * v for c, v in zip(coefficients, row, strict=True))
    return 1 / (1 + math.exp(-z))


@contextlib.contextmanager
def model(intercept: float, coefficients: list[float]) -> Iterator[None]:
    """The pair model with other coefficients, for the duration of a check."""
    shipped = (bundle_model.INTERCEPT, dict(bundle_model.COEFFICIENTS))
    bundle_model.INTERCEPT = intercept
    bundle_model.COEFFICIENTS.update(zip(shipped[1], coefficients, strict=True))
    try:
        yield
    finally:
        bundle_model.INTERCEPT = shipped[0]
        bundle_model.COEFFICIENTS.update(shipped[1])


def fit_command() -> None:
    sets = training_sets()
    data = {s.name: rows(s) for s in sets}
    print(f"shipped: {show_model(INTERCEPT, list(COEFFICIENTS.values()))}\n")
    for test in sets:  # leave one set out: fit on the others, check on it
        others = [s for s in sets if s is not test]
        intercept, coefficients = fit(
            [row for s in others for row in data[s.name][0]],
            [y for s in others for y in data[s.name][1]],
        )
        print(f"fit on {', '.join(s.name for s in others)}: {show_model(intercept, coefficients)}")
        print(
            f"  checked on {test.name}: log-loss per pair "
            f"{log_loss(intercept, coefficients, *data[test.name]):.4f}"
        )
        with model(intercept, coefficients):
            print("  " + HEADER)
            for t in CHECK_AT:
                print("  " + evaluate(test, t).line())
    features = [row for s in sets for row in data[s.name][0]]
    targets = [y for s in sets for y in data[s.name][1]]
    intercept, coefficients = fit(features, targets)
    print(f"\nfit on all: {show_model(intercept, coefficients)}")
    print("calibration over all pairs of the sets (in-sample, with these coefficients):")
    print(f"{'score':>11} {'pairs':>6} {'mean score':>11} {'share the same':>15}")
    for low, high in CALIBRATION_BINS:
        inside = [
            (p, y)
            for row, y in zip(features, targets, strict=True)
            if low <= (p := _score(intercept, coefficients, row)) < high
        ]
        if inside:
            mean = sum(p for p, _ in inside) / len(inside)
            share = sum(y for _, y in inside) / len(inside)
            print(f"{low:4.2f}–{min(high, 1):4.2f} {len(inside):6d} {mean:11.3f} {share:15.3f}")
    print(f"INTERCEPT = {intercept:.2f}")
    print("COEFFICIENTS = {")
    for k, v in zip(COEFFICIENTS, coefficients, strict=True):
        print(f'    "{k}": {v:.2f},')
    print("}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", nargs="?", choices=["fit"], help="fit the coefficients")
    parser.add_argument("--data", type=Path, help="a portfolio folder")
    parser.add_argument("--labels", type=Path, help="its labels file (format above)")
    parser.add_argument("--pairs", type=Path, help="a file of labelled pairs of projects")
    parser.add_argument("--threshold", type=float, help="default: the set's own")
    args = parser.parse_args()
    if args.command == "fit":
        fit_command()
    elif args.data is not None or args.labels is not None:
        if args.data is None or args.labels is None:
            parser.error("--data and --labels go together")
        report(portfolio_set(args.data, args.labels), args.threshold)
    elif args.pairs is not None:
        report(pair_file(args.pairs), args.threshold)
    else:
        for labelled in training_sets():
            report(labelled, args.threshold)
            print()


if __name__ == "__main__":
    main()
