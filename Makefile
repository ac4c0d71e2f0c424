# Exodus: `make run` starts the command center on sample data; `make test` runs every test.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLE_COUNT ?= 2000
SAMPLE_SEED ?= 1
PORT ?= 8000
export EXODUS_HOME ?= $(CURDIR)/var

.PHONY: run test install benchmark clean

$(BIN)/exodus: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(BIN)/exodus

run: install
	$(BIN)/exodus init
	$(BIN)/exodus sample --count $(SAMPLE_COUNT) --seed $(SAMPLE_SEED) --output $(EXODUS_HOME)/sample-filings.jsonl
	$(BIN)/exodus target $(EXODUS_HOME)/sample-filings.jsonl --format csv > $(EXODUS_HOME)/targeting-results.csv
	@echo "Targeting results written to $(EXODUS_HOME)/targeting-results.csv"
	@echo "Command center: http://127.0.0.1:$(PORT)/signin  (API docs: http://127.0.0.1:$(PORT)/api/docs)"
	@echo "Sign in as 'admin' with the password printed above on the first run (or EXODUS_ADMIN_PASSWORD if you set it then)."
	@echo "Forgot it? $(BIN)/exodus users password admin   Add people: $(BIN)/exodus users add NAME --role field_officer --port 2720"
	$(BIN)/exodus serve --host 127.0.0.1 --port $(PORT)

test: install
	$(BIN)/python -m pytest -q

# Each benchmark prints its own figures; see the docstring at the top of each script.
BENCHMARKS := screening_benchmark screening_generalisation screening_api_latency \
	targeting_benchmark evaluation_benchmark controls_benchmark refusal_flood

benchmark: install
	$(BIN)/pip install --quiet -e '.[test,bench]'
	@set -e; for b in $(BENCHMARKS); do echo "== benchmarks/$$b.py"; $(BIN)/python benchmarks/$$b.py; done

clean:
	rm -rf var .pytest_cache
