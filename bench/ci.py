"""`make bench`: the targets of issue 18 that are about living in terminals and CI.

- the first output of `validate --no-cache` on 30,000 projects in a terminal (a
  pseudo-terminal here): the progress indicator, target ≤ 1 s;
- "did you mean" at scale: `validate --no-cache` of the 30,000 projects with 200 broken
  `depends_on` (each a typo of an existing id), target ≤ 1.2 × the clean portfolio.

Usage: python bench/ci.py [--size 30000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import select
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
BROKEN = 200
DEPENDS = re.compile(r"^depends_on: \[(.+)\]$", re.MULTILINE)


def first_output_in_a_terminal(cmd: list[str]) -> tuple[float, float, bytes]:
    """(seconds to the first byte on the terminal, seconds to the end, what came first)
    of ``cmd`` with standard output and error on a pseudo-terminal."""
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("ROADMAP_PROGRESS_DELAY", None)
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    first, head = 0.0, b""
    while select.select([leader], [], [], 600)[0]:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed: the process ended
            break
        if not chunk:
            break
        if not head:
            first = time.perf_counter() - start
        if len(head) < 200:
            head += chunk
    process.wait()
    os.close(leader)
    return first, time.perf_counter() - start, head


def with_broken_references(clean: Path, target: Path, count: int) -> int:
    """A copy of ``clean`` where ``count`` projects depend on a typo of an existing id
    (the last two characters swapped); returns how many were broken."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(clean, target)
    ids = {p.stem for p in (clean / "projects").glob("*.yaml")}
    broken = 0
    for path in sorted((target / "projects").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        match = DEPENDS.search(text)
        if match is None:
            continue
        first = match.group(1).split(",")[0].strip()
        typo = first[:-2] + first[-1] + first[-2]
        if typo in ids or typo == first:
            continue
        path.write_text(text[: match.end(1)] + f", {typo}" + text[match.end(1) :], encoding="utf-8")
        broken += 1
        if broken == count:
            break
    return broken


def timed(cmd: list[str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done.returncode, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = generate(args.size, OUT / str(args.size))
    print(f"roadmap in terminals and CI — {args.size:,} projects\n")

    validate = [*ROADMAP, "validate", "--no-cache", "--data", str(folder)]
    first, total, head = first_output_in_a_terminal(validate)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", head.decode("utf-8", "replace")).strip()
    shown = text.splitlines()[0][:40] if text else ""  # the spinner, or the report
    print(
        f"validate --no-cache in a terminal: first output after {first:.2f} s "
        f"(target ≤ 1 s), done after {total:.2f} s; first: {shown!r}"
    )

    with tempfile.TemporaryDirectory(prefix="roadmap-bench-broken-") as tmp:
        broken_folder = Path(tmp) / "data"
        broken = with_broken_references(folder, broken_folder, BROKEN)
        clean_times, broken_times = [], []
        suggestions = 0
        for _ in range(args.runs):  # alternating, so that load on the machine hits both
            clean_t, _, _ = timed([*validate, "--format", "json"])
            cmd = [*ROADMAP, "validate", "--no-cache", "--data", str(broken_folder)]
            broken_t, code, out = timed([*cmd, "--format", "json"])
            clean_times.append(clean_t)
            broken_times.append(broken_t)
            suggestions = out.count("did you mean")
        clean_m, broken_m = statistics.median(clean_times), statistics.median(broken_times)
        print(
            f"validate --no-cache, {broken} broken depends_on: {broken_m:.2f} s against "
            f"{clean_m:.2f} s clean (ratio {broken_m / clean_m:.2f}, target ≤ 1.2; "
            f"median of {args.runs}); exit {code}, {suggestions} did-you-mean suggestions"
        )


if __name__ == "__main__":
    main()
