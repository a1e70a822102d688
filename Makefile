# The two commands a newcomer needs (see README.md):
#   make run    set up .venv, migrate, create the demo data, serve web + worker on HOST:PORT
#   make test   set up .venv with the dev tools, then lint, type-check, import contracts, tests
# Needs only Python 3.11+ and make. Both set up what they need and are fast on a re-run.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PIP := $(PY) -m pip --disable-pip-version-check
PYTEST_ARGS ?=

# Stamps record which requirements are installed; a changed requirements file reinstalls.
RUN_STAMP := $(VENV)/.installed-requirements
DEV_STAMP := $(VENV)/.installed-requirements-dev

.DEFAULT_GOAL := help
.PHONY: help run test lint format migrations-check bench venv

help:
	@echo "make run     serve the app and a Celery worker on http://$${HOST:-127.0.0.1}:$${PORT:-8000}/ (Ctrl-C stops both)"
	@echo "make test    lint, type checks, import contracts, migrations check and the whole test suite"
	@echo "make lint    ruff, ruff format --check, mypy and lint-imports only"
	@echo "make format  apply ruff's fixes and formatting"
	@echo "make bench   run the benchmark scripts in bench/ (prints tables)"

$(PY):
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create $(VENV) with $(PYTHON) (on Debian/Ubuntu: apt-get install python3-venv)." >&2; \
	  exit 1; }

venv: $(RUN_STAMP)

$(RUN_STAMP): requirements.txt | $(PY)
	@echo "Installing requirements.txt into $(VENV) (the first time takes a minute)..."
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	@echo "Installing requirements-dev.txt into $(VENV) (the first time takes a minute)..."
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@

# HOST, PORT and ANNOTATOR_ADMIN_PASSWORD pass through the environment (or `make run PORT=9000`).
# The UI issue adds the SPA build here (npm ci && npm run build in frontend/) before collectstatic.
run: $(RUN_STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py demo
	exec $(PY) manage.py serve

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

migrations-check: $(DEV_STAMP)
	$(PY) manage.py makemigrations --check --dry-run

# Any failing step fails the target; pytest collecting no tests (exit 5) fails too.
test: lint migrations-check
	$(BIN)/pytest $(PYTEST_ARGS)

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Each bench/<name>.py is run as `python -m bench.<name>`; they print tables, they do not assert.
bench: $(DEV_STAMP)
	@set -e; found=; \
	for f in bench/*.py; do \
	  case "$$f" in */__init__.py|*/_*|'bench/*.py') continue;; esac; \
	  found=1; module=$$(basename "$$f" .py); \
	  echo "== bench.$$module"; $(PY) -m "bench.$$module"; \
	done; \
	[ -n "$$found" ] || echo "bench/ has no benchmark scripts yet."
