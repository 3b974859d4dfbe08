# Two commands on a fresh machine (Python 3.11+ and make): `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NODE_DIR := .cache/node

.PHONY: demo test lint typecheck unit bench mjml-validator screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# An editable install leaves bytecode to the first run; with PYTHONDONTWRITEBYTECODE set that
	# means compiling ~20 modules on every command. Compile once, as `pip install .` would.
	$(BIN)/python -m compileall -q newsletter
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsletter demo $(DIR)

test: $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check newsletter tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest -q

# The official MJML validator (npm package `mjml`), used by one test when Node is present.
mjml-validator:
	@if command -v npm >/dev/null 2>&1; then \
		mkdir -p $(NODE_DIR) && npm install --silent --no-audit --no-fund --prefix $(NODE_DIR) mjml@5 >/dev/null && echo "mjml validator installed in $(NODE_DIR)"; \
	else echo "npm not found: the MJML validator test will be skipped"; fi

bench: $(STAMP)
	$(BIN)/python bench/run.py

screenshots: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
