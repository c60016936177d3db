# Two commands do all set-up on a fresh machine: `make book` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= data
REGISTRY ?= partnerships.yml
VERSION ?= $(shell date +%Y).1

export GX_ANALYTICS_ENABLED := false
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: book lab test test-fast coverage lint bench setup demo-data run build publish templates notebooks lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The development set (tests, lint, benchmarks) includes the runtime set of requirements.txt.
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (pathways)" >/dev/null
	touch $(STAMP)

setup: $(STAMP)

demo-data: setup
	$(BIN)/pathways demo-data --data $(DATA)

templates: setup
	$(BIN)/pathways templates

# JupyterLab on notebooks/ with the project's kernel; jupytext keeps each .ipynb and its .py pair in step
# (open either; a .py opens as a notebook with Open With > Jupytext Notebook). Writes the demo data
# first if there is none, so a notebook run by hand has inputs; its outputs go to scratch/.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
lab: setup
	@test -d $(DATA) || $(BIN)/pathways demo-data --data $(DATA)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(ROOT_FLAG)

# After editing a notebook's .py (or .ipynb) form: bring its pair up to date.
notebooks: setup
	$(BIN)/jupytext --sync notebooks/*.ipynb

run: demo-data
	$(BIN)/pathways run --data $(DATA) --registry $(REGISTRY)

build: run
	$(BIN)/pathways build --registry $(REGISTRY)

book: build
	@$(BIN)/pathways publish $(VERSION) --data $(DATA) --registry $(REGISTRY) --if-missing

# axe-core for the accessibility tests, from npm at test time (never at view time); skipped without Node.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "note: npm not found; the accessibility tests will be skipped"; fi

# The whole suite.
test: setup node_modules/.installed
	$(BIN)/python -m pytest -n 2 --dist loadfile --timeout 900

# Line coverage of the package by the tests that run in-process (the fast set: the slow ones mostly
# drive the package through subprocesses, which coverage does not follow), held to the floor in
# pyproject.toml ([tool.coverage.report] fail_under). CI runs it after make test.
coverage: setup
	$(BIN)/python -m pytest -n 2 --dist loadfile --timeout 900 -m "not slow" --cov=pathways --cov-report=term:skip-covered

# The edit-test loop: everything but the tests that run notebooks or build the book (about four minutes here).
test-fast: setup node_modules/.installed
	$(BIN)/python -m pytest -n 2 --dist loadfile --timeout 900 -m "not slow"

lint: setup
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools

bench: setup
	$(BIN)/python benchmarks/run_benchmarks.py

# After changing a dependency in pyproject.toml (or upgrading in .venv): pin the runtime and development sets.
lock: setup
	$(BIN)/python tools/lock.py

clean:
	rm -rf _build reports/runs
