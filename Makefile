# Two commands do all the set-up: `make run` starts the service, `make test` runs the suite.
# Both create .venv and install the pinned dependencies when needed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock requirements-dev.lock | cksum | cut -d' ' -f1)

.PHONY: run test lint format openapi bench migrate lock clean

$(STAMP): requirements.lock requirements-dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

run: $(STAMP)  ## start the service (embedded PostgreSQL unless DATABASE_URL is set)
	$(BIN)/python -m app serve

test: $(STAMP)  ## the whole suite (embedded PostgreSQL unless TEST_DATABASE_URL is set)
	$(BIN)/python -m pytest

lint: $(STAMP)  ## ruff (lint + format check) and mypy strict on app/
	$(BIN)/ruff check app tests bench migrations
	$(BIN)/ruff format --check app tests bench migrations
	$(BIN)/mypy app

format: $(STAMP)
	$(BIN)/ruff check --fix app tests bench migrations
	$(BIN)/ruff format app tests bench migrations

openapi: $(STAMP)  ## rewrite openapi/openapi.json from the app
	$(BIN)/python -m app openapi > openapi/openapi.json

migrate: $(STAMP)  ## migrate DATABASE_URL (or the embedded database) to head
	$(BIN)/python -m app migrate

seed: $(STAMP)  ## apply the shipped reference data (never over what an admin changed)
	$(BIN)/python -m app seed

bench: $(STAMP)  ## run every benchmark; results land in bench/results/
	$(BIN)/python bench/run_all.py

lock:  ## re-resolve pyproject.toml's dependencies into the two lock files
	bash scripts/lock.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
