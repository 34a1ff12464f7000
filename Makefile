# make run  - set everything up and start web + Celery worker + beat (and a private Redis if needed)
# make test - install test dependencies (and Debian's Chromium when absent) and run the whole suite
# make bench - run the benchmarks in bench/ (see docs/BENCHMARKS.md; jobs.py needs PostgreSQL)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
REDIS_URL ?= redis://127.0.0.1:6379/0
PORT ?= 8000
export REDIS_URL

.PHONY: run test bench lint setup

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

$(VENV)/.installed-bench: requirements.txt requirements-dev.txt requirements-bench.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $(VENV)/.installed $(VENV)/.installed-dev $@

setup: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py import_bank questions/banks
	$(BIN)/python manage.py demo_accounts

run: setup
	@if $(BIN)/python -c "import os, redis; redis.Redis.from_url(os.environ['REDIS_URL'], socket_connect_timeout=1).ping()" 2>/dev/null; then \
		echo "Redis answers at $(REDIS_URL)."; procs="web worker beat"; \
	elif command -v redis-server >/dev/null; then \
		echo "Nothing answers at $(REDIS_URL): starting a private redis-server on port 6390."; \
		export REDIS_URL=redis://127.0.0.1:6390/0; procs="redis web worker beat"; \
	else \
		echo "Nothing answers at $(REDIS_URL) and redis-server is not installed."; \
		echo "Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)"; \
		echo "or point REDIS_URL at a running Redis, then run 'make run' again."; exit 1; \
	fi; \
	echo "Open http://127.0.0.1:$(PORT)/ (Ctrl-C stops everything)."; \
	WEB_PORT=$(PORT) exec $(BIN)/honcho --no-prefix -f Procfile.dev start $$procs

test: $(VENV)/.installed-dev
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-bench
	$(BIN)/python bench/practice_loop.py
	$(BIN)/python bench/practice_loop.py --postgres postgres://postgres@127.0.0.1:5432/prep_bench_loop
	$(BIN)/python bench/jobs.py
