#!/usr/bin/env bash
# The test suite on every Python 3.11+ this machine has besides the default one, each in
# its own virtual environment from the same lock file: rankings and golden reports must
# be the same bytes everywhere. A Python that is missing is named, not an error; under
# CI=true at least one other Python must be found.
set -euo pipefail
cd "$(dirname "$0")/.."
found=0
SAME_BYTES="tests/test_score.py tests/test_robustness.py tests/test_cli_rank.py \
  tests/test_schedule.py tests/test_optimize.py tests/test_capacity.py tests/test_bundle.py \
  tests/test_report.py tests/test_report_structure.py tests/test_ratings_pipeline.py \
  tests/test_import.py tests/test_kpi_export.py"
for version in 3.12 3.13; do
  python=""
  # pyenv's own folder first: its shims on PATH answer for versions that are not active
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/python3 \
                   "$(command -v "python$version" || true)"; do
    if [ -z "$python" ] && [ -x "$candidate" ] && "$candidate" --version >/dev/null 2>&1; then
      python="$candidate"
    fi
  done
  if [ -z "$python" ]; then
    echo "test-pythons: no Python $version on this machine, skipped"
    continue
  fi
  found=$((found + 1))
  echo "test-pythons: $("$python" --version) ($python)"
  # the tests whose results depend on float arithmetic and ordering: rankings, plans,
  # selections, bundles and every rendered report (golden files)
  make --no-print-directory test PYTHON="$python" VENV=".venv-$version" PYTEST_ARGS="$SAME_BYTES"
done
if [ "$found" = 0 ] && [ "${CI:-}" = true ]; then
  echo "test-pythons: CI=true but no Python 3.12 or 3.13 was found" >&2
  exit 1
fi
