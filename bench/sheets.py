"""`make bench`, spreadsheets and new projects: import of 300 and 3,000 rows, xlsx export of
3,000 projects, and `new --dry-run` (its duplicate check) at 300 and 3,000 projects.

Usage: python bench/sheets.py [--sizes 300,3000] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

from bench import ROADMAP, median_run

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="300,3000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from roadmap.load import load_portfolio
    from roadmap.sheet_export import workbook_bytes

    print("spreadsheets and new projects — median wall time of whole-process runs\n")
    for size in [int(s) for s in args.sizes.split(",")]:
        folder = generate(size, OUT / str(size))
        with tempfile.TemporaryDirectory(prefix="roadmap-bench-sheets-") as tmp:
            env = {"ROADMAP_CACHE_DIR": str(Path(tmp) / "cache")}
            loaded = load_portfolio(folder)
            assert loaded.portfolio is not None
            sheet = Path(tmp) / "liste.xlsx"
            sheet.write_bytes(workbook_bytes(loaded.portfolio, "de"))
            empty = Path(tmp) / "leer"
            (empty / "projects").mkdir(parents=True)
            shutil.copyfile(folder / "strategy.yaml", empty / "strategy.yaml")
            target = ["import", str(sheet), "--data", str(empty), "--yes", "--dry-run"]
            import_t, import_peak, code = median_run([*ROADMAP, *target], args.runs, env)
            print(
                f"import of {size:,} rows (dry run, validated as a whole): {import_t:.2f} s, "
                f"peak {import_peak:.0f} MiB, exit {code} (target ≤ 3 s at 300, ≤ 15 s at 3,000)"
            )
            again = ["import", str(sheet), "--data", str(folder), "--yes", "--dry-run"]
            again_t, _, code = median_run([*ROADMAP, *again], args.runs, env)
            print(f"re-import of {size:,} unchanged rows: {again_t:.2f} s, exit {code}")
            out = Path(tmp) / "export.xlsx"
            export = ["export", "--data", str(folder), "--format", "xlsx", "--out", str(out)]
            export_t, export_peak, code = median_run([*ROADMAP, *export], args.runs, env)
            print(
                f"export --format xlsx of {size:,} projects: {export_t:.2f} s, peak "
                f"{export_peak:.0f} MiB, exit {code} (target ≤ 5 s at 3,000)"
            )
            new = ["new", "neues-projekt", "--title", "Online-Antrag Bewohnerparken",
                   "--data", str(folder), "--dry-run", "--yes"]  # fmt: skip
            new_t, new_peak, code = median_run([*ROADMAP, *new], args.runs, env)
            print(
                f"new --dry-run in {size:,} projects: {new_t:.2f} s, peak {new_peak:.0f} MiB, "
                f"exit {code} (target ≤ 1 s at 300, ≤ 2 s at 3,000)\n"
            )


if __name__ == "__main__":
    main()
