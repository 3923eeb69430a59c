# Two commands on a fresh machine: `make run` and `make test`. Both bootstrap what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck unit messages lock bench clean

# `make run PORT=8001` serves on another port.
PORT ?= 8000

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

# Kizuna on the embedded SQLite default, with demo data, at http://127.0.0.1:$(PORT)
run: $(STAMP)
	KIZUNA_DEMO=1 $(BIN)/kizuna migrate --verbosity 1
	KIZUNA_DEMO=1 $(BIN)/kizuna demo
	KIZUNA_DEMO=1 $(BIN)/kizuna serve --port $(PORT)

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests e2e bench conftest.py
	$(BIN)/ruff format --check src tests e2e bench conftest.py

typecheck: $(STAMP)
	$(BIN)/mypy

# The suite on SQLite, then again on PostgreSQL when KIZUNA_TEST_DATABASE_URL names one.
unit: $(STAMP)
	@echo "== tests on SQLite (embedded default) =="
	env -u KIZUNA_DATABASE_URL $(BIN)/pytest
	@if [ -n "$$KIZUNA_TEST_DATABASE_URL" ]; then \
		echo "== tests on PostgreSQL ($$KIZUNA_TEST_DATABASE_URL) =="; \
		KIZUNA_DATABASE_URL="$$KIZUNA_TEST_DATABASE_URL" $(BIN)/pytest; \
	else \
		echo "== PostgreSQL run skipped: set KIZUNA_TEST_DATABASE_URL to run the suite on it too =="; \
	fi

# Refresh the Japanese catalogues after changing translatable text (needs GNU gettext).
# Each app keeps its own catalogue (<app>/locale); the project's holds core and the layout.
APPS := acsa coordination exercises sharing signin
messages: $(STAMP)
	cd src/kizuna && ../../$(BIN)/kizuna makemessages --locale ja --no-obsolete \
		--add-location file $(foreach app,$(APPS),--ignore '$(app)/*')
	for app in $(APPS); do (cd src/kizuna/$$app && \
		../../../$(BIN)/kizuna makemessages --locale ja --no-obsolete --add-location file); done
	cd src/kizuna && ../../$(BIN)/kizuna compilemessages --locale ja

# Re-pin every dependency after editing pyproject.toml.
lock:
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
