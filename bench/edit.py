"""`make bench`: one ``roadmap set`` on the seeded portfolios (issue 20: ≤ 2 s at 30,000
projects), cold (empty validation cache) and warm (cache filled by ``validate``), on a
copy of the portfolio so the generated one stays as generated.

Usage: python bench/edit.py [--sizes 300,3000,30000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
ROADMAP = [sys.executable, "-m", "roadmap"]


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="300,3000,30000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'projects':>9} {'set cold s':>11} {'set warm s':>11}   (target ≤ 2 s at 30,000)")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="roadmap-bench-edit-") as scratch:
            folder = Path(scratch) / "data"
            shutil.copytree(generate(size, OUT / str(size)), folder)
            # the last project depends on others: its edit follows their depends_on
            project = sorted(p.stem for p in (folder / "projects").glob("*.yaml"))[-1]
            env = {**os.environ, "ROADMAP_CACHE_DIR": str(Path(scratch) / "c")}
            edit = [*ROADMAP, "set", project, "--data", str(folder)]
            cold = []
            for run in range(args.runs):
                shutil.rmtree(Path(scratch) / "c", ignore_errors=True)
                cold.append(timed([*edit, f"owner=Kalt {run}"], env))
            timed([*ROADMAP, "validate", "--data", str(folder), "--format", "json"], env)
            warm = [timed([*edit, f"owner=Warm {run}"], env) for run in range(args.runs)]
            print(f"{size:>9,} {statistics.median(cold):11.2f} {statistics.median(warm):11.2f}")


if __name__ == "__main__":
    main()
