# Din Indgang – the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint bench system-deps-run system-deps-test clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

system-deps-run:
	@bash .ci/system-deps run

system-deps-test:
	@bash .ci/system-deps test

## make run: install, migrate, load demo data (once), serve http://127.0.0.1:5000 on SQLite
run: system-deps-run $(STAMP)
	DININDGANG_ENV=development $(BIN)/flask --app wsgi db upgrade
	DININDGANG_ENV=development $(BIN)/flask --app wsgi demo-data
	DININDGANG_ENV=development $(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

## make test: lint, then the whole suite on SQLite and on a throwaway PostgreSQL (side by side)
test: system-deps-test $(STAMP)
	$(BIN)/ruff check .
	bash .ci/both-databases $(BIN)/python -m pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

## make bench: seed a large throwaway database and print timings (last line is JSON)
bench: system-deps-run $(STAMP)
	DININDGANG_ENV=development $(BIN)/flask --app wsgi bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
