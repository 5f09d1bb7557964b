# Two commands do all the set-up: `make run` starts the service, `make test` runs the suite.
# Both create $(VENV) with $(PYTHON) (rebuilt when PYTHON names another version) and install the
# hashed locks they need: `run` the service and the embedded PostgreSQL, the rest also the tools.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export PYTHON VENV

.PHONY: run test lint format openapi bench migrate lock clean venv-run venv-dev

venv-run:
	@bash scripts/venv.sh requirements-embedded.lock

venv-dev:
	@bash scripts/venv.sh requirements-dev.lock

run: venv-run  ## start the service (embedded PostgreSQL unless DATABASE_URL is set)
	$(BIN)/python -m app serve

test: venv-dev  ## the whole suite (embedded PostgreSQL unless TEST_DATABASE_URL is set)
	$(BIN)/python -m pytest

lint: venv-dev  ## ruff (lint + format check), mypy strict on app/, tests/ and bench/, the layer rules (import-linter)
	$(BIN)/ruff check app tests bench migrations scripts
	$(BIN)/ruff format --check app tests bench migrations scripts
	$(BIN)/mypy app tests bench
	$(BIN)/lint-imports

format: venv-dev
	$(BIN)/ruff check --fix app tests bench migrations scripts
	$(BIN)/ruff format app tests bench migrations scripts

openapi: venv-dev  ## rewrite openapi/openapi.json from the app
	$(BIN)/python -m app openapi > openapi/openapi.json

migrate: venv-run  ## migrate DATABASE_URL (or the embedded database) to head
	$(BIN)/python -m app migrate

seed: venv-run  ## apply the shipped reference data (never over what an admin changed)
	$(BIN)/python -m app seed

bench: venv-dev  ## run every benchmark; results land in bench/results/
	$(BIN)/python bench/run_all.py

lock:  ## re-resolve pyproject.toml into the three hashed lock files
	bash scripts/lock.sh

clean:
	rm -rf .venv .venv-* .pytest_cache .mypy_cache .ruff_cache .hypothesis
