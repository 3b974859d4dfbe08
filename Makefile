# Two commands on a fresh machine (Python 3.11+ and make): `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NODE_DIR := .cache/node

.PHONY: demo test lint typecheck unit bench mjml-validator screenshots catalogs clean

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
	$(BIN)/ruff check newsletter tests bench tools

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest -q -n auto

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

# The gettext catalogs: extract the marked strings, merge them into the French .po (translate the
# new ones there), compile the .mo files shipped in the package. Click's and Typer's own words
# come from the installed versions (tools/click_fr.py holds their French).
LOCALE := newsletter/locale
SITE   := $(shell $(BIN)/python -c "import click, pathlib; print(pathlib.Path(click.__file__).parent.parent)" 2>/dev/null)
catalogs: $(STAMP)
	$(BIN)/pybabel -q extract --no-location --sort-output --project newsletter -o $(LOCALE)/newsletter.pot newsletter
	$(BIN)/pybabel -q update -D newsletter -i $(LOCALE)/newsletter.pot -d $(LOCALE) -l fr --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel -q extract --no-location --sort-output -k _ -k ngettext:1,2 -o $(LOCALE)/click.pot \
		$(addprefix $(SITE)/click/,core.py exceptions.py parser.py types.py termui.py formatting.py decorators.py utils.py) \
		$(SITE)/typer/core.py $(SITE)/typer/main.py
	$(BIN)/python tools/click_fr.py $(LOCALE)/click.pot $(LOCALE)/fr/LC_MESSAGES/click.po
	$(BIN)/pybabel -q compile -D newsletter -d $(LOCALE) -l fr --statistics
	$(BIN)/pybabel -q compile -D click -d $(LOCALE) -l fr

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
