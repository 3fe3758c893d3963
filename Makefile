# The two commands a new user needs: `make run` and `make test`.
# Both install from the hash-pinned lock files in requirements/, so every machine gets
# the same versions; `make lock` refreshes them from pyproject.toml.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev
# pip --require-hashes refuses anything not in the lock; no build isolation, so the
# pinned hatchling from the lock builds the editable install and nothing is fetched
# unpinned.
PIPI   := $(BIN)/python -m pip install --quiet --require-hashes --no-deps
EDIT   := $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
UV     := uv==0.13.9
DEV_LOCK ?= requirements/dev.txt

.PHONY: run test test-lowest test-pythons lint bench bench-pathological fuzz lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# compileall: byte-compile our sources once, as a regular install does (an editable
# install under PYTHONDONTWRITEBYTECODE would compile them again on every start)
$(STAMP): requirements/lock.txt pyproject.toml | $(BIN)/python
	$(PIPI) -r requirements/lock.txt
	$(EDIT)
	$(BIN)/python -m compileall -q src
	touch $@

$(DEV): $(DEV_LOCK) pyproject.toml | $(BIN)/python
	$(PIPI) -r $(DEV_LOCK)
	$(EDIT)
	$(BIN)/python -m compileall -q src
	touch $@ $(STAMP)

## run: set up and run the main job on the shipped data/
run: $(STAMP)
	$(BIN)/roadmap validate --data data
	$(BIN)/roadmap prioritize --data data
	$(BIN)/roadmap plan --data data

## test: set up with dev tools and run the test suite
test: $(DEV)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## test-lowest: the test suite against the lowest versions pyproject.toml allows
test-lowest:
	$(MAKE) test VENV=.venv-lowest DEV_LOCK=requirements/lowest.txt

## test-pythons: golden and ranking tests on every Python 3.11+ that pyenv has
test-pythons:
	bash scripts/test_pythons.sh

## lint: ruff (lint + format check), mypy on src/, the layer contract
lint: $(DEV)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

## bench: time the commands on synthetic portfolios (prints a table)
bench: $(DEV)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/sheets.py
	$(BIN)/python bench/ratings.py
	$(BIN)/python bench/ci.py
	$(BIN)/python bench/edit.py
	$(BIN)/python bench/first_output.py

## bench-pathological: time and memory of hostile shapes (long chains, complete DAGs, …)
bench-pathological: $(DEV)
	$(BIN)/python bench/pathological.py
	$(BIN)/python bench/pathological_analysis.py

## fuzz: the hypothesis fuzzing of the loader, 150 times longer (about ten minutes)
fuzz: $(DEV)
	ROADMAP_FUZZ_SCALE=150 $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_fuzz.py

## lock: refresh the lock files from pyproject.toml (needs the package registry)
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet $(UV)
	$(BIN)/uv pip compile pyproject.toml requirements/build.in --universal \
	  --python-version 3.11 --generate-hashes -q -o requirements/lock.txt
	$(BIN)/uv pip compile pyproject.toml requirements/build.in --extra dev --universal \
	  --python-version 3.11 --generate-hashes -q -o requirements/dev.txt
	$(BIN)/uv pip compile pyproject.toml requirements/build.in --extra dev --universal \
	  --python-version 3.11 --generate-hashes -q --resolution lowest-direct \
	  -o requirements/lowest.txt

clean:
	rm -rf $(VENV) .venv-lowest .venv-3.* .pytest_cache .mypy_cache .ruff_cache
