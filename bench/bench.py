"""`make bench`: whole-process timings (median of several runs) and peak memory of the
commands on seeded synthetic portfolios, next to the bare-parse floor.

Usage: python bench/bench.py [--sizes 300,3000,30000] [--runs 5] [--only-bundle]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable
ROADMAP = [PY, "-m", "roadmap"]


def measure(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB, exit code) of one run in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if proc.stderr:
        proc.stderr.close()
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def json_of(cmd: list[str], env: dict[str, str]) -> dict[str, Any]:
    """The JSON a command prints (one more run, outside the timings)."""
    done = subprocess.run(
        cmd, capture_output=True, text=True, check=True, env={**os.environ, **env}
    )
    parsed: dict[str, Any] = json.loads(done.stdout)
    return parsed


def median_run(
    cmd: list[str], runs: int, env: dict[str, str] | None = None, before: list[str] | None = None
) -> tuple[float, float, int]:
    times, peaks, code = [], [], 0
    for _ in range(runs):
        if before:
            subprocess.run(before, check=False)
        wall, peak, code = measure(cmd, env)
        times.append(wall)
        peaks.append(peak)
    return statistics.median(times), max(peaks), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="300,3000,30000")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (30,000: 1)")
    parser.add_argument(
        "--only-bundle", action="store_true", help="only the bundle and new --dry-run rows"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    # measure the code as installed: byte-compiled (an editable install under
    # PYTHONDONTWRITEBYTECODE would compile every module on every start)
    import compileall

    compileall.compile_dir(str(ROOT / "src"), quiet=1)

    print("roadmap benchmark — wall time is the median of whole-process runs\n")
    help_t, _, _ = median_run([*ROADMAP, "--help"], args.runs)
    version_t, _, _ = median_run([*ROADMAP, "--version"], args.runs)
    print(f"roadmap --help     {help_t:6.3f} s   (target ≤ 0.25 s)")
    print(f"roadmap --version  {version_t:6.3f} s   (target ≤ 0.25 s)\n")

    header = (
        f"{'projects':>9} {'floor s':>8} {'validate s':>11} {'ratio':>6} "
        f"{'cached s':>9} {'ratio':>6} {'peak MiB':>9} {'exit':>5} "
        f"{'prioritize s':>13} {'peak MiB':>9}"
    )
    print(header)
    print("-" * len(header))
    robust_lines: list[str] = []
    plan_lines: list[str] = []
    report_lines: list[str] = []
    bundle_times: dict[int, float] = {}
    for size in sizes:
        t0 = time.perf_counter()
        folder = generate(size, OUT / str(size))
        gen_t = time.perf_counter() - t0
        runs = 1 if size >= 30_000 else args.runs
        floor_t = (
            0.0
            if args.only_bundle
            else median_run([PY, str(ROOT / "bench" / "floor.py"), str(folder)], runs)[0]
        )
        cache = Path(tempfile.mkdtemp(prefix="roadmap-bench-cache-"))
        env = {"ROADMAP_CACHE_DIR": str(cache)}
        validate = [*ROADMAP, "validate", "--data", str(folder), "--format", "json"]
        if args.only_bundle:  # bundle and new only, the cache filled as for the others
            median_run(validate, 1, env)
            bundle_times[size] = bundle_rows(folder, size, runs, env, plan_lines)
            shutil.rmtree(cache, ignore_errors=True)
            continue
        cold_t, cold_peak, code = median_run(validate, runs, env, before=["rm", "-rf", str(cache)])
        median_run(validate, 1, env)  # fill the cache
        warm_t, warm_peak, _ = median_run(validate, runs, env)
        prioritize = [*ROADMAP, "prioritize", "--data", str(folder), "--format", "json"]
        rank_t, rank_peak, _ = median_run(prioritize, runs, env)
        print(
            f"{size:>9,} {floor_t:8.2f} {cold_t:11.2f} {cold_t / floor_t:6.2f} "
            f"{warm_t:9.2f} {warm_t / floor_t:6.2f} {max(cold_peak, warm_peak):9.0f} "
            f"{code:>5} {rank_t:13.2f} {rank_peak:9.0f}   (generated in {gen_t:.1f} s)"
        )
        plan = [
            *ROADMAP,
            "plan",
            "--data",
            str(folder),
            "--format",
            "json",
            "--today",
            "2024-01-01",
        ]
        plan_t, plan_peak, _ = median_run(plan, runs, env)
        quality = json_of(plan, env)
        plan_lines.append(
            f"plan of {size:,} projects: {plan_t:.2f} s, peak {plan_peak:.0f} MiB; "
            f"{quality['plan_months']} months against a lower bound of "
            f"{quality['lower_bound_months']} (ratio {quality['quality']}), "
            f"{len(quality['projects'])} placed, {len(quality['unscheduled'])} unscheduled"
        )
        bundle_times[size] = bundle_rows(folder, size, runs, env, plan_lines)
        if size <= 3000:  # the targets: 300 and 3,000 projects
            optimize = [
                *ROADMAP,
                "optimize",
                "--data",
                str(folder),
                "--format",
                "json",
                "--today",
                "2024-01-01",
                "--no-keep-running",
            ]
            optimize_t, optimize_peak, _ = median_run(optimize, min(runs, 3), env)
            chosen = json_of(optimize, env)
            plan_lines.append(
                f"optimize of {size:,} projects: {optimize_t:.2f} s, peak {optimize_peak:.0f} "
                f"MiB, {len(chosen['selected'])} selected "
                f"({sum(1 for item in chosen['selected'] if item.get('starts_later'))} later "
                f"than their earliest start), optimal: {chosen['optimal']}, gap {chosen['gap']}"
            )
            if size == 300:
                frontier_t, _, _ = median_run([*optimize, "--frontier"], 1, env)
                plan_lines.append(
                    f"optimize --frontier (16 budget levels) of 300 projects: {frontier_t:.2f} s"
                )
        plan_lines.extend(over_committed_figures(size, runs, env))
        if size <= 3000:
            report_lines.append(report_figures(folder, size, runs, env))
        if size == 300:
            plan_lines.append(taskjuggler(folder, plan_t, quality))
        if size == 3000:
            robust_t, robust_peak, _ = median_run([*prioritize, "--robustness", "1000"], runs, env)
            robust_lines.append(
                f"prioritize --robustness 1000 on {size:,} projects: {robust_t:.2f} s, "
                f"peak {robust_peak:.0f} MiB (target ≤ 5 s)"
            )
        shutil.rmtree(cache, ignore_errors=True)
    print()
    print("\n".join(plan_lines + robust_lines + report_lines))
    if 3000 in bundle_times and 30000 in bundle_times:
        print(
            f"bundle time grows {bundle_times[30000] / bundle_times[3000]:.1f}× from 3,000 "
            "to 30,000 projects (all pairs would be 100×)"
        )
    print(
        "targets: validate ≤ 2× floor uncached, ≤ 0.5× floor cached (3,000 projects); peak "
        "≤ 1 GiB (30,000); prioritize ≤ 0.5 s (300) and ≤ 5 s (30,000), cache filled; plan "
        "≤ 3 s (3,000), ≤ 30 s and 1.5 GiB (30,000), ratio ≤ 1.25; bundle ≤ 3 s (3,000), "
        "≤ 30 s and 1 GiB (30,000); new --dry-run ≤ 1 s (300), ≤ 2 s (3,000); optimize ≤ 5 s "
        "(300), ≤ 60 s (3,000), frontier of 10 levels ≤ 30 s (300); report ≤ 1 s (300), "
        "≤ 3 s (3,000), HTML of 3,000 ≤ 10 MB, PDF ≤ 10 s (300)"
    )


def over_committed_figures(size: int, runs: int, env: dict[str, str]) -> list[str]:
    """plan on an over-committed, spreadsheet-born portfolio (targets: 3,000 ≤ 3 s,
    30,000 ≤ 30 s), and optimize with its recovery proposal (300 ≤ 5 s, 3,000 ≤ 60 s;
    the proposal's search stops after 1.5 s, the selection's after 3 s (30 s from 1,000
    projects on), each with the best found and its gap)."""
    from overcommitted import generate as over_committed

    folder = over_committed(size, OUT / f"overcommitted-{size}")
    today = ["--today", "2026-11-30"]
    plan = [*ROADMAP, "plan", "--data", str(folder), "--format", "json", *today]
    plan_t, plan_peak, _ = median_run(plan, runs, env)
    placed = json_of(plan, env)
    lines = [
        f"plan of {size:,} over-committed projects: {plan_t:.2f} s, peak {plan_peak:.0f} MiB, "
        f"{len(placed['projects'])} placed, {len(placed['unscheduled'])} unscheduled "
        f"(target ≤ 3 s for 3,000, ≤ 30 s for 30,000)"
    ]
    if size <= 3000:
        optimize = [*ROADMAP, "optimize", "--data", str(folder), "--format", "json", *today]
        optimize_t, optimize_peak, _ = median_run(optimize, min(runs, 3), env)
        chosen = json_of(optimize, env)
        actions = [step["action"] for step in chosen["recovery"]]
        lines.append(
            f"optimize with a recovery proposal of {size:,} projects: {optimize_t:.2f} s, peak "
            f"{optimize_peak:.0f} MiB; {actions.count('stretch')} stretched, "
            f"{actions.count('pause')} paused (proposal proven mildest: "
            f"{chosen['recovery_optimal']}, gap {chosen['recovery_gap']}), "
            f"{len(chosen['selected'])} selected, "
            f"{sum(1 for item in chosen['selected'] if item.get('starts_later'))} of them "
            f"later than their earliest start (selection proven optimal: {chosen['optimal']}, "
            f"gap {chosen['gap']}; target ≤ 5 s for 300, ≤ 60 s for 3,000)"
        )
    return lines


def bundle_rows(folder: Path, size: int, runs: int, env: dict[str, str], lines: list[str]) -> float:
    """`bundle` (time, peak memory, bundles found) and, up to 3,000 projects, `new
    --dry-run` of a project like one of the portfolio's (the similarity check against
    all projects); returns bundle's time."""
    bundle = [*ROADMAP, "bundle", "--data", str(folder), "--format", "json"]
    bundle_t, bundle_peak, _ = median_run(bundle, runs, env)
    found = json_of(bundle, env)["bundles"]
    lines.append(
        f"bundle of {size:,} projects: {bundle_t:.2f} s, peak "
        f"{bundle_peak:.0f} MiB, {len(found)} bundles suggested (target ≤ 3 s at 3,000; "
        "≤ 30 s and ≤ 1 GiB at 30,000)"
    )
    if size <= 3000:
        title = "Online-Terminvergabe für das Standesamt"
        new = [*ROADMAP, "new", "bench-neu", "--title", title, "--data", str(folder)]
        new_t, new_peak, code = median_run([*new, "--dry-run"], runs, env)
        target = "1 s" if size <= 300 else "2 s"
        lines.append(
            f"new --dry-run on {size:,} projects: {new_t:.2f} s, peak {new_peak:.0f} MiB, "
            f"exit {code} (target ≤ {target})"
        )
    return bundle_t


def report_figures(folder: Path, size: int, runs: int, env: dict[str, str]) -> str:
    """Markdown and HTML report: time and size of the file."""
    parts = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("md", "html", "pdf") if size <= 300 else ("md", "html"):
            out = Path(tmp) / f"roadmap.{fmt}"
            cmd = [*ROADMAP, "report", "--data", str(folder), "--format", fmt, "--out", str(out)]
            cmd += ["--today", "2024-01-01"]
            wall, peak, code = median_run(cmd, runs, env)
            parts.append(
                f"{fmt} {wall:.2f} s, {out.stat().st_size / 1e6:.2f} MB, peak {peak:.0f} MiB"
                + (f", exit {code}" if code else "")
            )
    return f"report of {size:,} projects: " + "; ".join(parts)


def taskjuggler(folder: Path, plan_seconds: float, quality: dict[str, object]) -> str:
    """The same portfolio planned by TaskJuggler 3 (Debian package tj3), when it is
    installed: its wall time and plan end beside ours. It sees dependencies, staff and
    priorities; it cannot cap budgets, so its plan is under fewer constraints."""
    import csv

    tj3 = shutil.which("tj3")
    if tj3 is None:
        return "TaskJuggler comparison skipped: tj3 is not installed (apt-get install tj3)"
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "portfolio.tjp"
        export = [*ROADMAP, "export", "--data", str(folder), "--format", "tjp"]
        subprocess.run(
            [*export, "--today", "2024-01-01", "--out", str(project)],
            check=True,
            capture_output=True,
        )
        start = time.perf_counter()
        try:
            done = subprocess.run(
                [tj3, "--silent", "--no-color", project.name],
                cwd=tmp,
                capture_output=True,
                text=True,
                timeout=1800,
            )
        except subprocess.TimeoutExpired:
            return "TaskJuggler 3: did not finish within 1,800 s"
        wall = time.perf_counter() - start
        table = Path(tmp) / "plan.csv"
        if not table.is_file():
            return f"TaskJuggler 3: {wall:.1f} s, no plan ({done.stderr.strip()[-200:]})"
        rows = list(csv.reader(table.open(encoding="utf-8"), delimiter=";"))[1:]
    end = max(r[2] for r in rows)
    return (
        f"TaskJuggler 3 on the same 300 projects (staff and dependencies; no budget caps): "
        f"{wall:.1f} s, {len(rows)} tasks, plan ends {end}; roadmap plan: {plan_seconds:.2f} s, "
        f"{len(quality['projects'])} placed under staff and budget, "  # type: ignore[arg-type]
        f"plan ends {quality['end']}"
    )


if __name__ == "__main__":
    main()
