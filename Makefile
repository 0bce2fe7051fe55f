# Tessera: `make run` starts the server, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres

.PHONY: install run dev migrate test test-sqlite test-postgres lint typecheck openapi check clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install  ## migrate the database, then serve on 127.0.0.1:3000 (HOST/PORT/DATABASE_URL/REDIS_URL honoured)
	$(BIN)/tessera migrate
	$(BIN)/tessera serve

dev: install
	$(BIN)/tessera migrate
	$(BIN)/uvicorn tessera.main:app_factory --factory --reload --host 127.0.0.1 --port 3000

migrate: install
	$(BIN)/tessera migrate

test: install lint  ## the whole suite on SQLite, then on PostgreSQL (with Redis)
	scripts/ensure-services.sh
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install
	$(BIN)/pytest -q -n 2 --dist loadfile

test-postgres: install
	@if $(BIN)/python scripts/reachable.py postgres; then \
		TESSERA_TEST_DATABASE_URL=$(PG_TEST_URL) TESSERA_TEST_REDIS_URL=redis://127.0.0.1:6379/0 \
		$(BIN)/pytest -q -n 2 --dist loadfile; \
	else echo "PostgreSQL is not reachable: the PostgreSQL run is skipped"; fi

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

openapi: install  ## rewrite the committed openapi.json from the code
	$(BIN)/python -m tessera.openapi > openapi.json

check: lint typecheck test

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
