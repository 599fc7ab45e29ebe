# tisc: two commands on a fresh machine.
#   make run   set up, migrate, load the demo data, serve on http://127.0.0.1:5000
#   make test  set up with the dev tools and run every test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
TISC_DEMO_PASSWORD ?= tisc-demo-2026
export TISC_DEMO_PASSWORD
FLASK := $(BIN)/flask --app tisc

.PHONY: run test lint bench load setup setup-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-run

setup: $(VENV)/.installed-run
setup-dev: $(VENV)/.installed-dev

run: setup
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	@echo ""
	@echo "  tisc is starting on http://$(HOST):$(PORT)"
	@echo "  Sign in as admin@example.org, coordinator@example.org, board@example.org,"
	@echo "  or procurement.<body>@example.org / statement.<body>@example.org / viewer.<body>@example.org"
	@echo "  (for example procurement.west-yorkshire-police@example.org)"
	@echo "  Password for every demo account: $(TISC_DEMO_PASSWORD)"
	@echo ""
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --access-logfile - 'wsgi:app'

# On every core (pytest-xdist, a worker per core). PYTEST_ARGS='-m "not slow"' leaves out the
# few slow tests; `.venv/bin/pytest tests/unit/test_x.py` runs one file in one process.
PYTEST_ARGS ?=
test: setup-dev
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

lint: setup-dev
	$(BIN)/ruff check .

bench: setup-dev
	@if [ -d bench ]; then $(BIN)/python -m bench; else echo "No benchmarks yet."; fi

# 50 simulated users against gunicorn on PostgreSQL (127.0.0.1:5432); LOAD_ARGS=--quick for 30 s.
$(VENV)/.installed-load: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[load]'
	touch $@ $(VENV)/.installed-run

load: $(VENV)/.installed-load
	$(BIN)/python -m bench.load $(LOAD_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
