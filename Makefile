# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# compileall: byte-compile our sources once, as a regular install does (an editable
# install under PYTHONDONTWRITEBYTECODE would compile them again on every start)
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/python -m compileall -q src
	touch $@

$(DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q src
	touch $@ $(STAMP)

## run: set up and run the main job on the shipped data/
run: $(STAMP)
	$(BIN)/roadmap validate --data data
	$(BIN)/roadmap prioritize --data data
	$(BIN)/roadmap plan --data data

## test: set up with dev tools and run the test suite
test: $(DEV)
	$(BIN)/python -m pytest

## lint: ruff (lint + format check) and mypy on src/
lint: $(DEV)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy

## bench: time the commands on synthetic portfolios (prints a table)
bench: $(DEV)
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
