# Two commands set everything up on a fresh machine with Python 3.10+:
#   make run    installs into .venv and extracts the bundled corpus/ into out/
#   make test   installs into .venv (with test tools) and runs the tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: run test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,all]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/xhs-extract extract corpus -o $(OUT)/statistics.jsonl
	$(BIN)/xhs-extract evaluate --gold gold/corpus-gold.jsonl --pred $(OUT)/statistics.jsonl

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

bench: $(VENV)/.installed
	$(BIN)/xhs-extract bench ../shared/bench-corpus/articles

clean:
	rm -rf $(OUT) .pytest_cache
