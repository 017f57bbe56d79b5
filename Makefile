# Two commands set everything up on a fresh machine with Python 3.10+:
#   make run    installs into .venv, extracts the bundled corpus/ into out/ and writes the
#               report (out/report/index.html, review pages under out/report/review/)
#   make test   installs into .venv (with test tools), lints and type-checks src/ (ruff, mypy)
#               and runs the tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: run lint test test-quick bench bytecode clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,all]'
	touch $@

# The package's bytecode, as a regular install has it: an editable install under
# PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module at every start (0.05 s).
bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q src

run: bytecode
	$(BIN)/xhs-extract extract corpus -o $(OUT)/statistics.jsonl
	$(BIN)/xhs-extract evaluate --gold gold/corpus-gold.jsonl --pred $(OUT)/statistics.jsonl
	$(BIN)/xhs-extract report $(OUT)/statistics.jsonl --corpus corpus -o $(OUT)/report

# ruff (pyflakes, pycodestyle, isort, bugbear) and mypy over the package, as configured in
# pyproject.toml.
lint: $(VENV)/.installed
	$(BIN)/ruff check src
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -q

# Without the slow integration tests (whole corpora, the benchmark, parallel stress).
test-quick: $(VENV)/.installed
	$(BIN)/python -m pytest -q -m "not slow"

bench: bytecode
	$(BIN)/xhs-extract bench ../shared/bench-corpus/articles

clean:
	rm -rf $(OUT) .pytest_cache
