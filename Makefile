# The two commands of the README:
#   make run   — set up, migrate, load the demo network and serve http://127.0.0.1:8000
#   make test  — the whole test suite (SQLite by default; PostgreSQL/Redis when
#                DATABASE_URL / REDIS_URL are set, as CI does)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1:8000

.PHONY: setup run test lint format browser-test screenshots

$(STAMP): pyproject.toml
	@echo "==> Installing the Python dependencies into $(VENV) (the first time takes a minute or two)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

run: setup
	@echo "==> Migrating the database (db.sqlite3 unless DATABASE_URL is set)"
	$(BIN)/python manage.py migrate --noinput
	@echo "==> Loading the demo network (seed_demo; sign-ins below)"
	$(BIN)/python manage.py seed_demo
	@echo "==> Serving http://$(HOST)/ (Ctrl-C stops)"
	$(BIN)/python manage.py runserver $(HOST)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

browser-test: setup
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

# The lead's key pages at 390 CSS px into docs/screenshots/ (see docs/portal.md)
screenshots: setup
	$(BIN)/python docs/screenshots.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
