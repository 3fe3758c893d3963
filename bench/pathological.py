"""Pathological inputs: time and peak memory of one command per case, each in a fresh
process (peak memory from ``resource.getrusage`` of the child). Target per case: at most
10 s and 1 GiB, or a clear located limit instead of an answer.

Usage: python bench/pathological.py [--only PART ...] [--list]

To add a case, append a ``Case(name, generator, command)`` to CASES: the generator
writes a portfolio into the folder it is given (reuse ``generate`` from bench/generate.py
where it fits), the command is the roadmap argument list (``--data`` is added).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "pathological"
ROADMAP = [sys.executable, "-m", "roadmap"]
TARGET_SECONDS = 10.0
TARGET_MIB = 1024.0
TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class Case:
    name: str
    generator: Callable[[Path], None]  # writes the portfolio into the (empty) folder
    command: list[str]  # roadmap arguments; --data FOLDER is appended
    # with a change: run the command once (warming the cache), then change the folder,
    # then measure; the user's everyday case of one new file in a cached portfolio
    change: Callable[[Path], None] | None = None


# --------------------------------------------------------------------------- generators


def _strategy_with_goals(goals: str) -> str:
    """The shipped strategy with its goals: section replaced."""
    text = (ROOT / "data" / "strategy.yaml").read_text(encoding="utf-8")
    return re.sub(r"^goals:\n(?:(?:  .*)?\n)+", "goals:\n" + goals, text, count=1, flags=re.M)


def goal_chain(length: int) -> Callable[[Path], None]:
    """``length`` goals, each the parent of the next."""

    def write(folder: Path) -> None:
        lines = []
        for i in range(length):
            lines += [f"  - id: g{i}", f"    title: Ziel {i}", "    field: verwaltung"]
            if i:
                lines.append(f"    parent: g{i - 1}")
        (folder / "projects").mkdir(parents=True)
        (folder / "strategy.yaml").write_text(
            _strategy_with_goals("\n".join(lines) + "\n"), encoding="utf-8"
        )

    return write


def bench_portfolio(size: int) -> Callable[[Path], None]:
    """The bench portfolio of ``size`` projects, as generated."""

    def write(folder: Path) -> None:
        shutil.copytree(
            generate(size, ROOT / "bench" / "out" / str(size)), folder, dirs_exist_ok=True
        )

    return write


def unknown_dependencies(size: int, unknown: int) -> Callable[[Path], None]:
    """The bench portfolio of ``size`` projects plus one file naming ``unknown`` project
    ids that do not exist (misspelt ids of real projects and invented ones)."""

    def write(folder: Path) -> None:
        if not (folder / "strategy.yaml").exists():
            bench_portfolio(size)(folder)
        ids = sorted(p.stem for p in (folder / "projects").glob("*.yaml"))
        wrong = []
        for i in range(unknown):
            real = ids[(i * 7919) % len(ids)]
            wrong.append(real[:-1] + "x" if i % 2 else f"erfunden-{i:05d}")
        (folder / "projects" / "kaputt.yaml").write_text(
            "id: kaputt\ntitle: Kaputt\nowner: X\nstatus: idea\n"
            f"depends_on: [{', '.join(wrong)}]\n",
            encoding="utf-8",
        )

    return write


def kpi_measurements(kpis: int, measurements: int) -> Callable[[Path], None]:
    """``kpis`` projects with one KPI each, every KPI with ``measurements`` values."""

    def write(folder: Path) -> None:
        (folder / "projects").mkdir(parents=True)
        shutil.copy(ROOT / "data" / "strategy.yaml", folder / "strategy.yaml")
        first = dt.date(1990, 1, 1)
        rows = "".join(
            f"      - {{date: {first + dt.timedelta(days=day)}, value: {day}}}\n"
            for day in range(measurements)
        )
        for k in range(kpis):
            (folder / "projects" / f"k{k:04d}.yaml").write_text(
                f"id: k{k:04d}\ntitle: KPI {k}\nowner: X\nstatus: idea\nkpis:\n"
                "  - id: nutzung\n    title: Nutzung\n    direction: increase\n"
                "    baseline: {value: 0, date: 1989-12-31}\n"
                "    target: {value: 100, date: 2100-12-31}\n"
                "    measurements:\n" + rows,
                encoding="utf-8",
            )

    return write


def many_milestones(count: int) -> Callable[[Path], None]:
    """One project with ``count`` milestones and no aliases (not an alias bomb)."""

    def write(folder: Path) -> None:
        (folder / "projects").mkdir(parents=True)
        shutil.copy(ROOT / "data" / "strategy.yaml", folder / "strategy.yaml")
        rows = "".join(
            f"  - {{id: m{i}, title: Schritt {i}, due: 2027-01-01, status: planned}}\n"
            for i in range(count)
        )
        (folder / "projects" / "viele.yaml").write_text(
            "id: viele\ntitle: Viele\nowner: X\nstatus: idea\nmilestones:\n" + rows,
            encoding="utf-8",
        )

    return write


def shipped_example(folder: Path) -> None:
    """The shipped example portfolio, as it is."""
    shutil.copytree(ROOT / "data", folder, dirs_exist_ok=True)


VALIDATE = ["validate", "--format", "json", "--no-cache"]
VALIDATE_CACHED = ["validate", "--format", "json"]

CASES: list[Case] = [
    Case("goal-parent chain 1,000", goal_chain(1_000), VALIDATE),
    Case("goal-parent chain 5,000", goal_chain(5_000), VALIDATE),
    Case(
        "2,000 unknown dependency ids, 30,000 projects",
        unknown_dependencies(30_000, 2_000),
        VALIDATE,
    ),
    Case("30,000 projects, none unknown (reference)", unknown_dependencies(30_000, 0), VALIDATE),
    # as the red team ran it: the cache warm, then the one file added
    Case(
        "2,000 unknown ids added to 30,000, cache warm",
        bench_portfolio(30_000),
        VALIDATE_CACHED,
        change=unknown_dependencies(30_000, 2_000),
    ),
    Case("1,000 KPIs x 10,000 measurements", kpi_measurements(1_000, 10_000), VALIDATE),
    Case("1,000 KPIs x 2,000 measurements (the limit)", kpi_measurements(1_000, 2_000), VALIDATE),
    Case("50,000 milestones in one file", many_milestones(50_000), VALIDATE),
    # a usage error naming the limit (exit 2), not a MemoryError
    Case(
        "1,000,000,000 robustness draws",
        shipped_example,
        ["prioritize", "--robustness", "1000000000", "--format", "json"],
    ),
    Case(
        "100,000 robustness draws (the limit)",
        shipped_example,
        ["prioritize", "--robustness", "100000", "--format", "json"],
    ),
]


# --------------------------------------------------------------------------- running


def run(case: Case, folder: Path) -> tuple[float, float, float, int, str]:
    """(wall seconds, CPU seconds, peak MiB of this child alone, exit code, problem
    codes seen). CPU time is the figure to compare on a shared machine."""
    cmd = [*ROADMAP, *case.command, "--data", str(folder)]
    if case.change is not None:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        case.change(folder)
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        timer = threading.Timer(TIMEOUT_SECONDS, proc.kill)  # a hang is a finding too
        timer.start()
        # wait4 gives the resource usage of exactly this child
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        head = out.read(1 << 20).decode("utf-8", "replace")
    codes = sorted(set(re.findall(r'"code": "([a-z0-9-]+)"', head)))
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, proc.returncode, ",".join(codes[:4])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--only", action="append", default=[], help="a part of a case's name (repeatable)"
    )
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    args = parser.parse_args()
    chosen = [c for c in CASES if not args.only or any(part in c.name for part in args.only)]
    if args.list:
        for case in CASES:
            print(f"{case.name}: roadmap {' '.join(case.command)}")
        return
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    # a cache of its own: the user's is neither used nor filled
    os.environ["ROADMAP_CACHE_DIR"] = tempfile.mkdtemp(prefix="roadmap-bench-cache-")
    header = (
        f"{'case':<48} {'command':<10} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} "
        f"{'exit':>5}  problems"
    )
    print(header)
    print("-" * len(header))
    for case in chosen:
        folder = OUT / re.sub(r"[^a-z0-9]+", "-", case.name.lower()).strip("-")
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        case.generator(folder)
        wall, cpu, peak, code, codes = run(case, folder)
        flag = "" if min(wall, cpu) <= TARGET_SECONDS and peak <= TARGET_MIB else "  OVER TARGET"
        print(
            f"{case.name:<48} {case.command[0]:<10} {wall:8.2f} {cpu:8.2f} {peak:9.0f} "
            f"{code:>5}  {codes}{flag}",
            flush=True,
        )
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
