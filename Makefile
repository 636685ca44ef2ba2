# cancu: `make run` (install, ingest corpus/, serve), `make test` (install, whole test suite),
# `make test-fast` (all but tests/e2e: no uvicorn process, no browser) and `make lint`.
# Every pip call goes through constraints.txt so torch stays the CPU build.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export CANCU_HOME ?= $(CURDIR)/.cancu
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

# The CPU torch wheel: a local wheel folder where the machine has one, else PyTorch's CPU index.
TORCH_SOURCE := $(if $(wildcard /opt/wheels/torch-*+cpu*.whl),--find-links /opt/wheels,--extra-index-url https://download.pytorch.org/whl/cpu)
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt $(TORCH_SOURCE)

.PHONY: install install-run vendor-js run ingest serve test test-fast lint bench clean

# Serving needs the runtime dependencies only (the default embedder needs no torch);
# tests and linters add the dev extras (torch, sentence-transformers, playwright, mypy).
install: $(VENV)/.installed-dev vendor-js

install-run: $(VENV)/.installed-run vendor-js

# The overview's chart library: plotly.js's basic bundle (bar, scatter, pie; 1.2 MB) from
# npm, pinned by vendor/package-lock.json. Without npm (or offline) the server serves the
# full plotly.js (4.8 MB) from the plotly wheel instead, so this step never fails the build.
VENDOR := search_api/api/vendor
vendor-js: $(VENDOR)/node_modules/.package-lock.json

$(VENDOR)/node_modules/.package-lock.json: $(VENDOR)/package.json $(VENDOR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix $(VENDOR) --no-audit --no-fund || echo "npm ci failed: the overview serves the full plotly.js from the plotly wheel"; \
	else echo "npm not found: the overview serves the full plotly.js from the plotly wheel"; fi

$(VENV)/.installed-run: pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -e '.[dev]'
	@touch $@ $(VENV)/.installed-run

ingest: install-run
	$(BIN)/cancu ingest corpus/

run: ingest
	$(BIN)/cancu serve --host $(HOST) --port $(PORT)

# pytest prints its summary line ("N passed in ...") in both; keep it (no -qq).
test: install
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest --ignore=tests/e2e

# mypy's files and strictness come from [tool.mypy] in pyproject.toml.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .cancu .pytest_cache $(VENDOR)/node_modules
