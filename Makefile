# Bazaar: `make run` serves the demo, `make test` runs everything CI runs. `make help` lists targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/*.txt | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

# The real services used by `make test` (override from the environment).
export TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bazaar
export TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
export TEST_BROKER_URL ?= amqp://guest:guest@127.0.0.1:5672//

.DEFAULT_GOAL := help
.PHONY: help install run worker demo test test-fast lint format check-deploy migrations-check browser services bench clean faults faults-deps contract pdf-deps

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): requirements/base.txt requirements/dev.txt requirements/production.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP) pdf-deps ## Create .venv, install the pinned requirements and the PDF libraries

# WeasyPrint (invoices) lays text out with Pango and needs a font: Debian's packages, if missing.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-deps: ## Install Debian's Pango, HarfBuzz and DejaVu fonts for the invoice PDFs (if missing)
	@{ ldconfig -p | grep -q 'libpangoft2-1.0.so.0' && ldconfig -p | grep -q 'libharfbuzz-subset.so.0' \
	   && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; } || { \
	  echo "Installing $(PDF_PACKAGES) (Debian) for WeasyPrint"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; }

run: install ## Migrate, load the demo and serve http://127.0.0.1:8000 (SQLite, no services needed)
	$(BIN)/python manage.py migrate --noinput
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(BIN)/python manage.py load_demo
	@echo ""
	@echo "  Serving on   http://$(HOST):$(PORT)/   (Ctrl+C stops)"
	@echo "  Metrics:     http://$(HOST):$(PORT)/metrics   (from this machine)"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

worker: install ## Run a Celery worker with beat (needs CELERY_BROKER_URL; without it tasks run eagerly in web)
	$(BIN)/celery -A config worker -B --loglevel INFO

demo: install ## Load (or refresh) the demo data without serving
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

browser: ## Install Debian's Chromium and the pages' test scripts (axe-core from npm) for the browser tests
	@command -v chromium >/dev/null 2>&1 || { echo "Installing chromium (Debian)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@test -f tests/js/node_modules/axe-core/axe.min.js || { echo "Installing axe-core (npm)"; \
	  npm ci --prefix tests/js --no-audit --no-fund --silent; }

services: ## Start PostgreSQL, Redis and RabbitMQ if they are down (this machine's commands)
	@bash scripts/ensure_services.sh

lint: install ## ruff lint and format check, import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install ## Apply ruff's formatting and safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install ## Fail if a model change has no migration
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

check-deploy: install ## Django's deployment checks with production settings
	SECRET_KEY=ci-$$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9' | head -c 60) \
	ALLOWED_HOSTS=bazaar.example.com DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	FIELD_ENCRYPTION_KEYS=$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/python manage.py check --deploy --fail-level WARNING

faults-deps: ## Install the PostgreSQL server binaries and redis-server the fault suite starts (if missing)
	@{ ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v redis-server >/dev/null && command -v runuser >/dev/null; } || { \
	  echo "Installing postgresql and redis-server (Debian) for the fault suite"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server util-linux >/dev/null; }

faults: install faults-deps services ## The fault suite: private processes killed and restarted with real signals, prints the table
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
	  $(BIN)/pytest tests/faults -m faults -v -p no:cacheprovider

# pytest-xdist workers of `make test` (each with its own test database, Redis db REDIS_URL's + n,
# Celery queue, media directory and ports: config/settings/test.py, tests/parallel.py). Whole files go
# to the next free worker, the longest first (tests/conftest.py orders them). TEST_WORKERS=0: one process.
TEST_WORKERS ?= 2
TEST_PARALLEL = $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder)

test: install browser faults-deps services lint migrations-check check-deploy ## Everything CI runs (the fault suite included), against the real services
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
	  $(BIN)/pytest $(TEST_PARALLEL) --durations=25 --cov --cov-report=term --cov-report=xml -p no:cacheprovider

test-fast: install ## The suite without browser and worker tests, no coverage
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
	  $(BIN)/pytest -m "not browser and not worker and not faults" -x -q

contract: install services ## Fuzz the live API from its schema (schemathesis); CONTRACT_SEED=<n> replays, CONTRACT_COVERAGE=1 adds boundaries
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
	  $(BIN)/pytest -m contract -s -p no:cacheprovider tests/contract

bench: install services ## Benchmarks: seed, serve with gunicorn, drive with load, print numbers
	bash bench/run.sh

clean: ## Remove the virtualenv, the SQLite demo database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles .coverage coverage.xml

.PHONY: bench-platform
bench-platform: install services ## Platform bench alone: 100k users/10k tenants vs 10 tenants, 10,000 beacon connections
	$(BIN)/python bench/platform_bench.py
