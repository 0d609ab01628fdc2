# The index of everything a developer can do. `make` alone lists the targets.
# Every target creates .venv and installs the project into it first, so a fresh
# machine needs nothing but Python 3.11+.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install generate check-generated api-snapshot lint test test-matrix test-lowest dist demo serve record regen-check spec-evolution conformance clean bench bench-smoke docs docs-serve

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "users-sdk needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "'$(PYTHON) -m venv' failed. On Debian or Ubuntu: apt install python3-venv; or set PYTHON= to another Python 3.11+." >&2; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the SDK with its development tools

generate: $(STAMP) ## Regenerate generated/ from openapi.yaml (pinned openapi-python-client + ruff)
	$(PY) scripts/generate.py

check-generated: $(STAMP) ## Fail, naming the files, if generated/ is not what openapi.yaml generates
	$(PY) scripts/generate.py --check

api-snapshot: $(STAMP) ## Rewrite tests/guards/public_api.txt after a deliberate public API change
	$(PY) scripts/api_snapshot.py --write

lint: $(STAMP) ## ruff (lint + format check) and mypy --strict on the facade
	$(BIN)/ruff check facade scripts tests examples server
	$(BIN)/ruff format --check facade scripts tests examples server
	$(BIN)/mypy

test: $(STAMP) ## Run the whole test suite, lint and the generated-code check (PYTEST_ARGS="-n 2": both cores)
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory check-generated
	$(PY) -m pytest $(PYTEST_ARGS)

test-matrix: $(STAMP) ## The fast suite on each claimed Python, in .venv-3.X (MATRIX="3.12 3.13", PYTHON_3_12=path)
	$(PY) scripts/matrix.py $(MATRIX) $(if $(PYTEST_ARGS),-- $(PYTEST_ARGS))

test-lowest: $(STAMP) ## Unit tests and replays on the lowest dependency versions pyproject.toml allows
	$(PY) scripts/lowest.py $(PYTEST_ARGS)

dist: $(STAMP) ## Build sdist + wheel into dist/, check them, install the sdist alone and smoke-test it
	$(PY) scripts/dist.py

clean: ## Remove the virtual environments, caches and build output
	rm -rf $(VENV) .venv-* build dist site .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

demo: $(STAMP) ## The main job: show the SDK at work
	$(PY) scripts/demo.py

serve: $(STAMP) ## Run the reference server, users-sdk-server (flags: make serve ARGS="--port 0 --db users.db")
	$(BIN)/users-sdk-server $(ARGS)

bench: $(STAMP) ## Benchmarks: the facade's cost over raw httpx as ratios (minutes; writes benchmarks/results.json)
	$(PY) benchmarks/bench.py --update-readme

bench-smoke: $(STAMP) ## The benchmarks in tiny rounds, to check they run (seconds; no figures to trust)
	$(PY) benchmarks/bench.py --smoke --json build/bench-smoke.json

record: $(STAMP) ## Re-record every cassette from the reference server (deterministic, test mode)
	$(PY) scripts/record.py

regen-check: $(STAMP) ## After editing openapi.yaml: regenerate, run the guards, re-record, report what changed
	$(PY) scripts/regen_check.py

conformance: $(STAMP) ## Every schemathesis check and phase (stateful too) on the server, 100 examples per operation
	USERS_CONFORMANCE_EXAMPLES=$(or $(EXAMPLES),100) $(PY) -m pytest tests/server/test_schemathesis.py -p no:cacheprovider -q -s

spec-evolution: $(STAMP) ## Rehearse the committed spec change (tests/spec_evolution) on a copy of the project
	$(PY) -m pytest -m spec_evolution tests/spec_evolution

# MkDocs 1.x prints a banner about MkDocs 2 on every run; it is no warning of this site.
DOCS_ENV := NO_MKDOCS_2_WARNING=1
DOCS_ADDR ?= 127.0.0.1:8001

docs: $(STAMP) ## The documentation site into site/: strict (any warning fails), then every public name checked
	$(DOCS_ENV) $(BIN)/mkdocs build --strict --clean
	$(PY) scripts/check_docs_site.py

docs-serve: $(STAMP) ## Serve the documentation on http://127.0.0.1:8001, rebuilt on save (DOCS_ADDR=host:port for another)
	$(DOCS_ENV) $(BIN)/mkdocs serve --strict --dev-addr $(DOCS_ADDR)
