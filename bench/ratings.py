"""`make bench`, raters: a generated portfolio (bench/generate.py) with raters' files
ratings/<rater>.yaml, timing `prioritize --robustness 1000` and `ratings` against their
targets (300 projects × 6 criteria × 20 raters: ≤ 3 s and ≤ 2 s).

Usage: python bench/ratings.py [--size 300] [--raters 20] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import os
import statistics
import subprocess
import time

from generate import CRITERIA, generate

from bench import ROADMAP, median_run

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
# half the raters also compare the criteria (consistent-ish: one shared judgment, jittered)
PAIRWISE_SHARE = 0.5


def write_raters(folder: Path, raters: int, seed: int = 20261130, coverage: float = 0.9) -> int:
    """Write ``raters`` files into ``folder/ratings``: each rates about ``coverage`` of
    the projects, every criterion on 1–5 around a per-project consensus (so raters
    disagree, but not at random). Returns the number of single scores written."""
    rng = random.Random(seed)
    ids = sorted(p.stem for p in (folder / "projects").glob("*.yaml"))
    consensus = {p: {c: rng.randint(1, 5) for c in CRITERIA} for p in ids}
    target = folder / "ratings"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir()
    written = 0
    for index in range(raters):
        lines = [f"name: Rater {index + 1}", "scores:"]
        for project in ids:
            if rng.random() > coverage:
                continue
            scores = ", ".join(
                f"{c}: {min(5, max(1, v + rng.choice((-1, 0, 0, 1))))}"
                for c, v in consensus[project].items()
            )
            lines.append(f"  {project}: {{{scores}}}")
            written += len(CRITERIA)
        if index < raters * PAIRWISE_SHARE:
            lines.append("pairwise:")
            for i, row in enumerate(CRITERIA):
                cells = ", ".join(
                    f"{col}: {rng.choice((1, 2, 3)) if j % 2 else 1}"
                    for j, col in enumerate(CRITERIA[i + 1 :], start=i + 1)
                )
                if cells:
                    lines.append(f"  {row}: {{{cells}}}")
        (target / f"rater-{index + 1:02d}.yaml").write_text("\n".join(lines) + "\n")
    return written


def cpu_run(cmd: list[str], runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median (wall, CPU) seconds: on a shared machine the CPU time (user + system) shows
    the work itself, the wall time adds the waiting for a core."""
    walls, cpus = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env={**os.environ, **env})  # fmt: skip
        _, _, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=300)
    parser.add_argument("--raters", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = generate(args.size, OUT / str(args.size))
    print("raters — median wall time of whole-process runs\n")
    with tempfile.TemporaryDirectory(prefix="roadmap-bench-ratings-") as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".complete"))
        env = {"ROADMAP_CACHE_DIR": str(Path(tmp) / "cache")}
        plain = [*ROADMAP, "prioritize", "--data", str(folder), "-r", "1000", "-f", "json"]
        base_t, _, code = median_run(plain, args.runs, env)
        print(f"prioritize --robustness 1000 without raters: {base_t:.2f} s, exit {code}")
        scores = write_raters(folder, args.raters)
        shape = f"{args.size} projects × {len(CRITERIA)} criteria × {args.raters} raters"
        print(f"{shape}: {scores:,} scores")
        valid_t, _, code = median_run([*ROADMAP, "validate", "--data", str(folder)], args.runs, env)
        print(f"validate: {valid_t:.2f} s, exit {code}")
        rated_t, peak, code = median_run(plain, args.runs, env)
        _, rated_cpu = cpu_run(plain, args.runs, env)
        print(
            f"prioritize --robustness 1000: {rated_t:.2f} s (CPU {rated_cpu:.2f} s), peak "
            f"{peak:.0f} MiB, exit {code} (target ≤ 3 s)"
        )
        ratings = [*ROADMAP, "ratings", "--data", str(folder), "-f", "json"]
        ratings_t, peak, code = median_run(ratings, args.runs, env)
        _, ratings_cpu = cpu_run(ratings, args.runs, env)
        print(
            f"ratings: {ratings_t:.2f} s (CPU {ratings_cpu:.2f} s), peak {peak:.0f} MiB, "
            f"exit {code} (target ≤ 2 s)"
        )
        missing = [*ROADMAP, "ratings", "--missing", "--data", str(folder), "-f", "json"]
        missing_t, _, code = median_run(missing, args.runs, env)
        print(f"ratings --missing: {missing_t:.2f} s, exit {code}")
        for fmt in ("md", "html"):
            out = Path(tmp) / f"roadmap.{fmt}"
            report = [*ROADMAP, "report", "--data", str(folder), "-f", fmt, "--out", str(out)]
            report_t, report_cpu = cpu_run([*report, "--today", "2024-01-01"], args.runs, env)
            print(
                f"report --format {fmt} with the raters' section: {report_t:.2f} s "
                f"(CPU {report_cpu:.2f} s)"
            )


if __name__ == "__main__":
    main()
