"""Pathological shapes for the analysis commands (graph, plan, optimize, bundle,
report): time and peak memory of one `roadmap` run each, on a portfolio generated into
a temporary folder. Target: each case ≤ 10 s and ≤ 1 GiB.

The validation cache is filled first by `roadmap validate` (untimed), so that a figure
is the command's own work on top of reading the cache, as for a user who validated
before; a fresh process runs each case, so that RUSAGE_CHILDREN's peak is its own.

Usage: python bench/pathological_analysis.py [NAME-SUBSTRING ...] [--timeout S]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import chain, complete_dag, identical, independent, long_texts

TARGET_SECONDS = 10.0
TARGET_MIB = 1024.0


@dataclass(frozen=True)
class Case:
    name: str
    data: str  # the generated portfolio's folder name: cases with one name share it
    generator: Callable[[Path], Path]  # writes the portfolio into the folder given
    command: list[str]  # roadmap's arguments (--data is added)
    # what the output must show (a user-visible sanity check, not a timing)
    expect: Callable[[str], str | None] | None = None


def _bundled(least: int) -> Callable[[str], str | None]:
    """The largest suggested bundle has at least ``least`` projects."""

    def check(stdout: str) -> str | None:
        found = json.loads(stdout)["bundles"]
        largest = max((len(b["projects"]) for b in found), default=0)
        return None if largest >= least else f"largest bundle {largest}, expected ≥ {least}"

    return check


def _critical_length(length: int) -> Callable[[str], str | None]:
    def check(stdout: str) -> str | None:
        found = len(json.loads(stdout)["critical_path"])
        return None if found == length else f"critical path of {found}, expected {length}"

    return check


PLAN = ["plan", "--format", "json", "--today", "2024-01-01"]
OPTIMIZE = ["optimize", "--format", "json", "--today", "2024-01-01", "--no-keep-running"]
CASES = [
    Case("graph chain 1,000", "chain-1000", lambda d: chain(1000, d), ["graph"]),
    Case("graph chain 2,000", "chain-2000", lambda d: chain(2000, d), ["graph"]),
    Case("graph chain 4,000", "chain-4000", lambda d: chain(4000, d), ["graph"]),
    Case("plan chain 2,000", "chain-2000", lambda d: chain(2000, d), PLAN, _critical_length(2000)),
    Case("plan independent 30,000", "independent-30000", lambda d: independent(30_000, d), PLAN),
    Case(
        "graph independent 30,000", "independent-30000", lambda d: independent(30_000, d), ["graph"]
    ),
    Case("plan complete DAG 2,000", "dag-2000", lambda d: complete_dag(2000, d), PLAN),
    Case("graph complete DAG 2,000", "dag-2000", lambda d: complete_dag(2000, d), ["graph"]),
    Case("optimize complete DAG 2,000", "dag-2000", lambda d: complete_dag(2000, d), OPTIMIZE),
    Case(
        "bundle 300 × 40,000 words",
        "texts-300-40000",
        lambda d: long_texts(300, 40_000, d),
        ["bundle", "--format", "json"],
    ),
    Case(
        "report 300 × 40,000 words",
        "texts-300-40000",
        lambda d: long_texts(300, 40_000, d),
        ["report", "--today", "2024-01-01"],
    ),
    *(
        Case(
            f"{command} 300 × 40,000 distinct words",
            "distinct-texts-300-40000",
            lambda d: long_texts(300, 40_000, d, distinct=True),
            [command] + (["--format", "json"] if command == "bundle" else []),
        )
        for command in ("bundle", "report")
    ),
    *(
        Case(
            f"bundle {n:,} identical",
            f"identical-{n}",
            lambda d, n=n: identical(n, d),
            ["bundle", "--format", "json"],
            _bundled(n),
        )
        for n in (3, 30, 100, 1000, 30_000)
    ),
]


def run_one(case: Case, folder: Path, timeout: float) -> None:
    """Run the case's command as this process's only child and print its figures (the
    peak is RUSAGE_CHILDREN's: the largest child this process ever waited for)."""
    command = [sys.executable, "-m", "roadmap", *case.command, "--data", str(folder)]
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command, env=_env(folder), capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        print(f"{case.name:32} > {timeout:7.0f} s (stopped)", flush=True)
        return
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    verdict = "ok" if wall <= TARGET_SECONDS and peak <= TARGET_MIB else "OVER TARGET"
    problem = case.expect(done.stdout) if case.expect and done.returncode == 0 else None
    print(
        f"{case.name:32} {wall:9.2f} s {cpu:9.2f} s {peak:9.0f} MiB  exit {done.returncode}  "
        f"{verdict}"
        + (f"  WRONG: {problem}" if problem else "")
        + (f"\n    {done.stderr.strip()[-300:]}" if done.returncode else ""),
        flush=True,
    )


def _env(folder: Path) -> dict[str, str]:
    return {**os.environ, "ROADMAP_CACHE_DIR": str(folder.parent / f"{folder.name}-cache")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help="run only cases whose name contains one")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per case")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # internal: one case, one child
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        case = next(c for c in CASES if c.name == args.case)
        run_one(case, Path(args.folder), args.timeout)
        return
    chosen = [c for c in CASES if not args.names or any(n in c.name for n in args.names)]
    print(
        f"{'case':32} {'wall':>11} {'CPU':>11} {'peak':>13}   (target ≤ {TARGET_SECONDS:g} s, "
        "≤ 1 GiB; CPU time shows the work when other processes share the cores)"
    )
    with tempfile.TemporaryDirectory(prefix="roadmap-pathological-") as tmp:
        for case in chosen:
            folder = case.generator(Path(tmp) / case.data)  # reused by the next case
            validate = [sys.executable, "-m", "roadmap", "validate", "--data", str(folder)]
            warm = subprocess.run(validate, env=_env(folder), capture_output=True, text=True)
            if warm.returncode != 0:
                print(f"{case.name}: validate exit {warm.returncode}: {warm.stdout[-300:]}")
                continue
            # a fresh process per case, so that RUSAGE_CHILDREN sees only its command
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--case",
                    case.name,
                    "--folder",
                    str(folder),
                    "--timeout",
                    str(args.timeout),
                ],
                check=False,
            )


if __name__ == "__main__":
    main()
