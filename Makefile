# Khai báo F0: the front door. `make run` for a demo site, `make test` for the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
MANAGE := $(PY) manage.py
PORT   ?= 8000
STAMP  := $(VENV)/.installed

NONE_FOUND_OK = { rc=$$?; [ $$rc -eq 5 ] && [ "$$CI" != true ]; }

.PHONY: run install test test-deps lint format bench faults guides messages clean

# Install into .venv: uv when it can be fetched (fast), pip otherwise.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check uv 2>/dev/null || true
	@if [ -x $(BIN)/uv ]; then \
		$(BIN)/uv pip install --quiet --python $(PY) -e ".[test]"; \
	else \
		$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"; \
	fi
	@touch $@

install: $(STAMP)

# A demo site on http://127.0.0.1:$(PORT) with the background worker; Ctrl-C stops both.
run: $(STAMP)
	@DEBUG=$${DEBUG:-true} DEMO_MODE=$${DEMO_MODE:-true} PORT=$(PORT) ./scripts/run-dev.sh

# System packages the tests need (Debian's Chromium, poppler, zbar, SoftHSM2), installed when missing.
test-deps: $(STAMP)
	@./scripts/ensure-chromium.sh

# Browser tests run in a pytest run of their own: Playwright's event loop must not share a
# process with code that runs asyncio itself (pyHanko's signing).
# PYTEST_ARGS may pick tests of one run only: the other then finds none (exit 5), which is
# fine by hand and a failure under CI=true, where no suite may go missing silently.
test: test-deps
	$(BIN)/pytest -n $${PYTEST_WORKERS:-auto} -m "not browser" $(PYTEST_ARGS) || $(NONE_FOUND_OK)
	$(BIN)/pytest -n $${PYTEST_WORKERS:-auto} -m browser $(PYTEST_ARGS) || $(NONE_FOUND_OK)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(MANAGE) makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(PY) -m bench

# The user guides' screenshots, from a throwaway demo site driven by Chromium, then each guide
# printed to PDF (guides/static/guides/); commit the output.
guides: test-deps
	$(PY) -m guides.capture

# The fault suite (bench/faults.py): citizens declare while web workers, the database and
# the task worker are killed; prints each invariant with its count, fails when one breaks.
# A few minutes on a throwaway PostgreSQL, so not part of `make test`. FAULTS_ARGS="--load 50".
faults: $(STAMP)
	$(PY) -m bench.faults $(FAULTS_ARGS)

# Refresh the English translation catalogue after changing user-facing text.
messages: $(STAMP)
	DEBUG=true $(MANAGE) makemessages -l en --no-obsolete --ignore=.venv --ignore=var --ignore=bench
	DEBUG=true $(MANAGE) compilemessages -l en --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache
