# Porch: `make run` to try it, `make test` to check it. `make help` lists the rest.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORCH  := $(VENV)/bin/porch
PYTHON ?= python3
PG_URL ?= postgres://postgres@127.0.0.1:5432/porch
# Test processes (pytest-xdist); each gets its own test databases.
WORKERS ?= 2
# make bench: sqlite or postgres (PostgreSQL + Redis); SOAK=300 adds the 5-minute soak.
BACKEND ?= sqlite

.PHONY: help run test test-sqlite test-postgres lint format bench bench-models clean

help:
	@echo "make run            install, migrate, load the demo community, serve on http://127.0.0.1:8000"
	@echo "make test           lint, then the whole suite on SQLite and on PostgreSQL"
	@echo "make test-sqlite    the suite on SQLite only (browser tests included)"
	@echo "make test-postgres  the suite on PostgreSQL only (PG_URL=$(PG_URL))"
	@echo "make lint           ruff check and format check"
	@echo "make bench          seed 1,000 members, serve, load over HTTP with wrk, compare with the floor"
	@echo "                    (BACKEND=postgres: PostgreSQL + Redis; SOAK=300: 5-minute soak; LARGE=1: 100k members)"
	@echo "make bench-models   the ranker, hostility, notes, trust and simulation benchmarks (LARGE=1: bigger)"
	@echo "make clean          remove the virtualenv and local data"

$(VENV)/.run-installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.run-installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.run-installed
	$(PORCH) migrate --noinput
	$(PORCH) demo --first-run
	$(PORCH) serve

test: $(VENV)/.test-installed lint test-sqlite test-postgres

test-sqlite: $(VENV)/.test-installed
	$(PY) -m pytest -n $(WORKERS)

test-postgres: $(VENV)/.test-installed
	PORCH_DATABASE_URL=$(PG_URL) $(PY) -m pytest -n $(WORKERS) -m "not browser"

lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(VENV)/.run-installed
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install -y wrk"; exit 2; }
	$(PY) -m bench.load --backend $(BACKEND) $(if $(LARGE),--large) $(if $(SOAK),--soak $(SOAK))

bench-models: $(VENV)/.run-installed
	$(PY) -m bench.rankers
	$(PY) -m bench.hostility
	$(PY) -m bench.notes $(if $(LARGE),--large)
	$(PY) -m bench.trust $(if $(LARGE),--large)
	$(PY) -m bench.simulation $(if $(LARGE),--large)

format: $(VENV)/.test-installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var
