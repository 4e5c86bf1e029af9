# Every target bootstraps .venv from the requirements files when it is missing or stale.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test check snippets generate zensical bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The build code is the package nn_notes (pyproject.toml), installed editable: edits to it
# take effect without reinstalling; only pyproject.toml itself re-runs the install.
# (setuptools warns that a folder named like the package shadows it: here that is the point.)
INSTALL_PACKAGE := PYTHONWARNINGS="ignore:Editable installation" $(BIN)/pip install --quiet --no-deps -e .
$(VENV)/.site-installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(INSTALL_PACKAGE)
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(INSTALL_PACKAGE)
	touch $(VENV)/.site-installed $@

serve: $(VENV)/.site-installed  ## run the demos, serve on http://127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(VENV)/.site-installed  ## the static site in site/
	$(BIN)/mkdocs build --strict

snippets: $(VENV)/.site-installed  ## run the demos only (cached ones are not re-run)
	$(BIN)/python scripts/run_snippets.py

generate: $(VENV)/.site-installed  ## without MkDocs: the demos' outputs and the generated pages, in docs/generated
	$(BIN)/python scripts/generate.py

zensical: $(VENV)/.dev-installed  ## the same site built with Zensical (pinned in requirements-dev.txt), in site-zensical/
	$(BIN)/python scripts/build_zensical.py

test: $(VENV)/.dev-installed  ## the whole test suite, as CI runs it
	$(BIN)/python -m pytest

check: $(VENV)/.dev-installed  ## before pushing: lint, spelling, conventions, unit tests (no build, no browser)
	$(BIN)/python -m pytest -q -m "not (browser or site or slow)"

$(VENV)/.bench-installed: requirements.txt requirements-bench.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-bench.txt
	$(INSTALL_PACKAGE)
	touch $(VENV)/.site-installed $@

# BENCH_ARGS="--repeat 5 --jupyter-repeat 2" and so on: see python scripts/bench.py --help
bench: $(VENV)/.bench-installed  ## ours (cold, warm, one edit) vs plain, markdown-exec and mkdocs-jupyter
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf site site-zensical docs/generated .cache .pytest_cache
