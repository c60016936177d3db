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

.PHONY: book test lint bench setup demo-data run build publish templates notebooks lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (pathways)" >/dev/null
	touch $(STAMP)

setup: $(STAMP)

demo-data: setup
	$(BIN)/pathways demo-data --data $(DATA)

templates: setup
	$(BIN)/pathways templates

# After editing a notebook's .py (or .ipynb) form: bring its pair up to date.
notebooks: setup
	$(BIN)/jupytext --sync notebooks/*.ipynb

run: demo-data
	$(BIN)/pathways run --data $(DATA) --registry $(REGISTRY)

build: run
	$(BIN)/pathways build --data $(DATA) --registry $(REGISTRY)

book: build
	@$(BIN)/pathways publish $(VERSION) --data $(DATA) --registry $(REGISTRY) --if-missing

test: setup
	$(BIN)/python -m pytest -n 2 --dist loadfile --timeout 900

lint: setup
	$(BIN)/ruff check src tests benchmarks

bench: setup
	$(BIN)/python benchmarks/run_benchmarks.py

lock: setup
	{ echo "# Pinned, tested set (Python 3.11). Regenerate with: make lock"; \
	  echo "# Jupyter Book stays below 2 (version 2 is a different engine)."; echo "-e ."; \
	  $(BIN)/pip freeze --exclude-editable | grep -v '^pathways'; } > requirements.txt

clean:
	rm -rf _build reports/runs
