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
.PHONY: help run test lint format migrations-check bench venv frontend frontend-check api-types api-types-check interop

help:
	@echo "make run     serve the app and a Celery worker on http://$${HOST:-127.0.0.1}:$${PORT:-8000}/ (Ctrl-C stops both)"
	@echo "make test    lint, type checks, import contracts, migrations check and the whole test suite"
	@echo "make lint    ruff, ruff format --check, mypy, lint-imports, bandit and pip-audit only"
	@echo "make format  apply ruff's fixes and formatting"
	@echo "make bench   run the benchmark scripts in bench/ (prints tables)"
	@echo "make api-types  regenerate frontend/src/lib/api/schema.d.ts from the API's OpenAPI schema"
	@echo "make interop  install Label Studio and doccano under var/interop/ and check our files against them"

$(PY):
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create $(VENV) with $(PYTHON) (on Debian/Ubuntu: apt-get install python3-venv)." >&2; \
	  exit 1; }

venv: $(RUN_STAMP)

$(RUN_STAMP): requirements.txt | $(PY)
	@echo "Installing requirements.txt into $(VENV) (the first time takes a minute)..."
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt clients/python/pyproject.toml | $(PY)
	@echo "Installing requirements-dev.txt into $(VENV) (the first time takes a minute)..."
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@

# --- the web UI (frontend/): Node.js 20+ and npm from the machine ---------------------------
NPM ?= npm
FRONTEND_STAMP := frontend/node_modules/.installed
FRONTEND_BUILD := frontend/dist/index.html
FRONTEND_SOURCES := $(shell find frontend/src -type f 2>/dev/null) frontend/index.html frontend/vite.config.ts frontend/tsconfig.json

$(FRONTEND_STAMP): frontend/package.json frontend/package-lock.json
	@command -v $(NPM) >/dev/null || { echo "The web UI needs Node.js 20+ and npm (on Debian: apt-get install nodejs npm)." >&2; exit 1; }
	cd frontend && $(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

$(FRONTEND_BUILD): $(FRONTEND_STAMP) $(FRONTEND_SOURCES)
	cd frontend && $(NPM) run --silent build

frontend: $(FRONTEND_BUILD)

# Type check, lint (ESLint with the React hooks rules) and unit tests of the app, and the API
# types it is built on are up to date.
frontend-check: $(FRONTEND_STAMP) api-types-check
	cd frontend && $(NPM) run --silent typecheck && $(NPM) run --silent lint && $(NPM) test --silent

# The app's API types come from the server's OpenAPI schema (drf-spectacular -> openapi-typescript).
api-types: $(DEV_STAMP) $(FRONTEND_STAMP)
	$(PY) manage.py spectacular --file var/openapi.yaml
	cd frontend && $(NPM) run --silent api-types

api-types-check: $(DEV_STAMP) $(FRONTEND_STAMP)
	$(PY) manage.py spectacular --file var/openapi.yaml
	cd frontend && npx --no-install openapi-typescript ../var/openapi.yaml -o ../var/schema.d.ts --silent
	@diff -q var/schema.d.ts frontend/src/lib/api/schema.d.ts >/dev/null || { \
	  echo "frontend/src/lib/api/schema.d.ts is out of date with the API: run make api-types and commit it." >&2; exit 1; }

# HOST, PORT and ANNOTATOR_ADMIN_PASSWORD pass through the environment (or `make run PORT=9000`).
# A local server: DEBUG off unless `DEBUG=1 make run`, the secret key under var/ (settings.py).
run: export ANNOTATOR_LOCAL_SERVER := 1
run: $(RUN_STAMP) $(FRONTEND_BUILD)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py demo
	exec $(PY) manage.py serve

# pip-audit asks PyPI's vulnerability data for each installed package. Where only the package
# index can be reached (a mirror), every package comes back "not found" and pip-audit passes
# having audited nothing. So a canary first: Django 2.0, which has published vulnerabilities,
# must be reported; if it is not, the audit is skipped, loudly.
PIP_AUDIT := $(BIN)/pip-audit --progress-spinner off
PIP_AUDIT_CANARY := var/pip-audit-canary.txt

# bandit: the security linter over the shipped code (config and the reasons for its skips in
# pyproject.toml). pip-audit: known vulnerabilities of the installed Python packages.
lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(BIN)/bandit --configfile pyproject.toml --quiet --recursive annotator api frontend
	@mkdir -p var && echo "django==2.0" > $(PIP_AUDIT_CANARY)
	@if $(PIP_AUDIT) --no-deps --disable-pip -r $(PIP_AUDIT_CANARY) -f json 2>/dev/null | grep -q '"id":'; then \
	  echo "$(PIP_AUDIT) --skip-editable"; \
	  $(PIP_AUDIT) --skip-editable; \
	else \
	  echo "pip-audit SKIPPED: PyPI's vulnerability data cannot be reached from here (the canary, Django 2.0, came back clean)." >&2; \
	fi

migrations-check: $(DEV_STAMP)
	$(PY) manage.py makemigrations --check --dry-run

# Any failing step fails the target; pytest collecting no tests (exit 5) fails too. The browser
# tests (tests/e2e) drive the built app.
test: lint migrations-check frontend-check $(FRONTEND_BUILD)
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

# --- interop: our exports through the real peers (docs/formats.md) -------------------------------
# Each peer is pip-installed, pinned, into its own virtualenv under var/interop/ (once; a changed
# pin reinstalls), then tests/interop/ (skipped by the normal test run) starts it on loopback
# with its own SQLite data, imports our files through its API and reads back what it stored.
INTEROP_DIR := var/interop
LABEL_STUDIO_VERSION := 1.23.2
LABEL_STUDIO_STAMP := $(INTEROP_DIR)/labelstudio/venv/.installed-$(LABEL_STUDIO_VERSION)
DOCCANO_VERSION := 1.8.4
DOCCANO_STAMP := $(INTEROP_DIR)/doccano/venv/.installed-$(DOCCANO_VERSION)
# doccano 1.8 leaves these open and their new majors break it: environs 9 reads
# marshmallow.__version_info__ (gone in 4), pandas 1.5 is built against numpy 1.
DOCCANO_PINS := "marshmallow<4" "numpy<2"
INTEROP_TIMEOUT ?= 1500

$(LABEL_STUDIO_STAMP):
	rm -rf $(INTEROP_DIR)/labelstudio/venv
	$(PYTHON) -m venv $(INTEROP_DIR)/labelstudio/venv
	$(INTEROP_DIR)/labelstudio/venv/bin/python -m pip install --quiet --disable-pip-version-check \
	  label-studio==$(LABEL_STUDIO_VERSION)
	@touch $@

$(DOCCANO_STAMP):
	rm -rf $(INTEROP_DIR)/doccano/venv
	$(PYTHON) -m venv $(INTEROP_DIR)/doccano/venv
	$(INTEROP_DIR)/doccano/venv/bin/python -m pip install --quiet --disable-pip-version-check \
	  doccano==$(DOCCANO_VERSION) $(DOCCANO_PINS)
	@touch $@

interop: $(DEV_STAMP) $(LABEL_STUDIO_STAMP) $(DOCCANO_STAMP)
	INTEROP=1 timeout $(INTEROP_TIMEOUT) $(BIN)/pytest tests/interop -p no:randomly -p no:cacheprovider -q
