# The two commands (see README): `make demo` runs the main job on the bundled sample corpus,
# `make test` runs the tests. Both set everything up on a fresh machine and reinstall nothing
# when pyproject.toml has not changed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo test test-all bench-deps clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade "pip>=24"
	# torch first, pinned: the CPU wheel (a bare `torch` requirement would pull a multi-GB CUDA build)
	$(PIP) install "torch==2.13.0"
	$(PIP) install -e ".[test]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/framewatch run samples/open-migration-deals/articles --db $(OUT)/demo.duckdb --out $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-all: $(STAMP)   # the slow tests too; the browser test needs Debian's chromium (apt-get install chromium)
	$(BIN)/python -m pytest -q -m "slow or not slow"

bench-deps: $(STAMP)   # what the benchmarks compare against (VADER, textacy)
	$(PIP) install -e ".[test,bench]"

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
