# Two commands do all the set-up on a fresh machine:
#   make demo   install carve and check the bundled example project
#   make test   install everything and run the whole test suite (what CI runs)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-dev lint typecheck pytest client-check client-e2e bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"

demo: install
	@echo "== carve check examples/shop (every rule fires; exit code 1 means findings)"
	-$(BIN)/carve check examples/shop
	@echo
	@echo "== carve status examples/shop"
	$(BIN)/carve status examples/shop

lint: install-dev
	$(BIN)/ruff check server tests benchmarks
	$(BIN)/ruff format --check server tests benchmarks

typecheck: install-dev
	$(BIN)/mypy

pytest: install-dev
	$(BIN)/pytest -n auto -p no:cacheprovider

client-check:
	@if [ -f vscode-client/package.json ]; then \
		cd vscode-client && npm ci --no-audit --no-fund --silent && npm run --silent check; \
	fi

# The VS Code extension in a real VS Code (code-server + headless Chromium + Playwright):
# builds the vsix, installs it, drives the editor; screenshots in vscode-client/e2e/artifacts.
client-e2e: client-check $(BIN)/python
	@if [ -f vscode-client/package.json ]; then \
		cd vscode-client && PYTHON="$(abspath $(BIN)/python)" bash e2e/run.sh; \
	fi

test: lint typecheck client-check pytest client-e2e

bench: install-dev
	$(BIN)/python -m benchmarks.bench_check

clean:
	rm -rf $(VENV) .carve_cache .mypy_cache .ruff_cache .pytest_cache
