"""Time to the first sign of life in a terminal: standard error (and standard output) on
pseudo-terminals, as a user at a shell has them, and the time until the first byte
arrives on standard error (the progress indicator) and until the run ends.

Target (issue 18): the first output of ``validate --no-cache`` on the 30,000-project
bench portfolio within 1 s. ``plan`` and ``bundle`` on the same portfolio (cache warm)
are measured as well.

Usage: python bench/first_output.py [--size 30000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import pty
import select
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
TARGET_FIRST_BYTE = 1.0
TIMEOUT = 600.0


def first_output(args: list[str], env: dict[str, str]) -> tuple[float | None, float, int]:
    """(seconds to the first byte on standard error or ``None`` when nothing came,
    seconds to the end, exit code) of one run with both streams on pseudo-terminals."""
    err_leader, err_follower = pty.openpty()
    out_leader, out_follower = pty.openpty()
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "roadmap", *args],
        stdin=subprocess.DEVNULL,
        stdout=out_follower,
        stderr=err_follower,
        env=env,
    )
    os.close(err_follower)
    os.close(out_follower)
    first: float | None = None
    open_leaders = [err_leader, out_leader]
    while open_leaders and time.perf_counter() - start < TIMEOUT:
        ready, _, _ = select.select(open_leaders, [], [], 1.0)
        for leader in ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed its end (Linux reports EIO)
                chunk = b""
            if not chunk:
                open_leaders.remove(leader)
            elif leader == err_leader and first is None:
                first = time.perf_counter() - start
    code = process.wait()
    end = time.perf_counter() - start
    os.close(err_leader)
    os.close(out_leader)
    return first, end, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    folder = generate(options.size, OUT / str(options.size))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    env.pop("ROADMAP_PROGRESS_DELAY", None)  # the delay users get
    print(
        f"time to the first byte on a terminal's standard error, {options.size:,} projects "
        f"(median of {options.runs}; target ≤ {TARGET_FIRST_BYTE:g} s)\n"
    )
    print(f"{'command':<28} {'first byte':>11} {'whole run':>10} {'exit':>5}")
    with tempfile.TemporaryDirectory(prefix="roadmap-first-output-") as cache:
        env["ROADMAP_CACHE_DIR"] = cache
        commands = [
            ("validate --no-cache", ["validate", "--no-cache"]),
            ("plan (cache warm)", ["plan"]),
            ("bundle (cache warm)", ["bundle"]),
        ]
        subprocess.run(
            [sys.executable, "-m", "roadmap", "validate", "--data", str(folder)],
            env=env,
            capture_output=True,
            check=False,
        )  # fills the cache for the warm rows
        for name, args in commands:
            firsts: list[float] = []
            ends: list[float] = []
            code = 0
            for _ in range(options.runs):
                first, end, code = first_output([*args, "--data", str(folder)], env)
                firsts.append(first if first is not None else float("inf"))
                ends.append(end)
            first_s = statistics.median(firsts)
            verdict = "ok" if first_s <= TARGET_FIRST_BYTE else "OVER TARGET"
            print(
                f"{name:<28} {first_s:9.2f} s {statistics.median(ends):8.2f} s {code:>5}  "
                f"{verdict}",
                flush=True,
            )


if __name__ == "__main__":
    main()
