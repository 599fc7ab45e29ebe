# tisc: two commands on a fresh machine.
#   make run   set up, migrate, load the demo data, serve on http://127.0.0.1:5000 (with the
#              background worker that reads and imports uploaded files)
#   make test  set up with the dev tools and run every test
#   make lock  refresh the locked versions in requirements/ from pyproject.toml's ranges
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
TISC_DEMO_PASSWORD ?= tisc-demo-2026
export TISC_DEMO_PASSWORD
FLASK := $(BIN)/flask --app tisc

.PHONY: run check-address test lint bench bench-national load setup setup-dev lock clean

# Dependencies are installed from the lock files (exact versions, every file's hash: pip
# refuses anything else, and any dependency missing from the lock); the project itself is
# installed on top without dependencies. A changed lock file reinstalls.
PIP_LOCKED := $(BIN)/python -m pip install --quiet --require-hashes
PIP_PROJECT := $(BIN)/python -m pip install --quiet --no-deps -e .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements/run.txt pyproject.toml | $(BIN)/python
	$(PIP_LOCKED) -r requirements/run.txt
	$(PIP_PROJECT)
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt pyproject.toml | $(BIN)/python
	$(PIP_LOCKED) -r requirements/dev.txt
	$(PIP_PROJECT)
	touch $@ $(VENV)/.installed-run

setup: $(VENV)/.installed-run
setup-dev: $(VENV)/.installed-dev

# Development settings (plain-HTTP cookies, a key in instance/, published demo passwords) are
# for this machine only: say so when they are served to the network.
check-address:
	@case "$(HOST)" in 127.*|localhost|::1|\[::1\]) ;; *) \
	  if [ "$${TISC_ENV:-development}" != production ]; then \
	    echo "WARNING: development settings are being served on $(HOST), not only on this" >&2; \
	    echo "  machine. Anyone who can reach it can sign in with the published demo passwords," >&2; \
	    echo "  and cookies are sent without HTTPS. For real use set TISC_ENV=production and" >&2; \
	    echo "  SECRET_KEY (see the README)." >&2; \
	  fi;; \
	esac

run: setup check-address
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	@echo ""
	@echo "  tisc is starting on http://$(HOST):$(PORT)"
	@echo "  Sign in as admin@example.org, coordinator@example.org, board@example.org,"
	@echo "  or procurement.<body>@example.org / statement.<body>@example.org / viewer.<body>@example.org"
	@echo "  (for example procurement.west-yorkshire-police@example.org)"
	@echo "  Password for every demo account: $(TISC_DEMO_PASSWORD)"
	@echo ""
	@# The background worker (reading and importing uploaded files) runs beside the web
	@# server and stops with it.
	@$(FLASK) worker --workers 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --access-logfile - 'wsgi:app'

# On every core (pytest-xdist, a worker per core). Work stealing: each worker starts on its own
# half of the tests in file order and an idle one takes tests from the end of the other's, so a
# file's shared world (the browser tests' server, the authorisation matrix's bodies) is seldom
# built on both workers, and neither waits for the other at the end: a fifth quicker than
# handing tests out in turns. PYTEST_ARGS='-m "not slow"' leaves out the few slow tests;
# `.venv/bin/pytest tests/unit/test_x.py` runs one file in one process.
# Compiled code is kept between runs (in __pycache__, which git ignores) even where the
# environment turns it off: each worker would otherwise compile every module and rewrite every
# test's assertions again, seconds per worker per run.
PYTEST_ARGS ?=
test: setup-dev
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n auto --dist worksteal $(PYTEST_ARGS)

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: setup-dev
	@if [ -d bench ]; then $(BIN)/python -m bench; else echo "No benchmarks yet."; fi

# National scale on PostgreSQL (not in CI): 84 bodies, 25 million spend lines generated once
# into the database `national` on 127.0.0.1:5432 (TISC_BENCH_DATABASE_URL for another) and
# kept; TISC_NATIONAL_LINES=1000000 for a quick run. See bench/NATIONAL.md.
bench-national: setup-dev
	$(BIN)/python -m bench.national

# 50 simulated users against gunicorn on PostgreSQL (127.0.0.1:5432); LOAD_ARGS=--quick for 30 s.
$(VENV)/.installed-load: requirements/load.txt pyproject.toml | $(BIN)/python
	$(PIP_LOCKED) -r requirements/load.txt
	$(PIP_PROJECT)
	touch $@ $(VENV)/.installed-run

load: $(VENV)/.installed-load
	$(BIN)/python -m bench.load $(LOAD_ARGS)

# The lock files: every platform (Linux's gunicorn, Windows' waitress) and Python 3.11 on, with
# hashes, resolved from PyPI by uv (needed here only; `make run` and `make test` use pip). The
# runtime lock is resolved first and constrains the others, so all three agree on the app's
# own dependencies. Versions already locked are kept while the ranges allow them:
# `make lock UPGRADE=--upgrade` moves everything to the newest allowed,
# `make lock UPGRADE="--upgrade-package flask"` one package.
UV_VERSION ?= 0.13.9
UV ?= $(BIN)/uv
UV_COMPILE = $(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command 'make lock' $(UPGRADE) pyproject.toml

$(BIN)/uv: | $(BIN)/python
	$(BIN)/python -m pip install --quiet 'uv==$(UV_VERSION)'

lock: | $(filter $(BIN)/uv,$(UV))
	$(UV_COMPILE) -o requirements/run.txt
	$(UV_COMPILE) --extra dev -c requirements/run.txt -o requirements/dev.txt
	$(UV_COMPILE) --extra load -c requirements/run.txt -o requirements/load.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
