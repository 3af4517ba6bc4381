# shanxi-analysis: `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

# Report options for `make reports` (override: make reports PROVINCE=Hubei YEAR=2019 ARGS="--workers 2")
PROVINCE ?= Shanxi
YEAR ?= 2020
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help venv test test-fast reports reports-all lab bench bench-quick bench-scale browser-deps clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (shanxi-analysis)" >/dev/null
	@touch $@

venv: $(STAMP) ## Create or refresh .venv from the pinned requirements.txt

browser-deps: ## Install Debian's chromium and a CJK font (fonts-noto-cjk) for --format pdf, charts and the browser test
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium chromium-driver"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	if [ -z "$$missing" ]; then echo "chromium: $$(chromium --version 2>/dev/null); CJK font: Noto Sans CJK"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's$$missing ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "missing:$$missing; install with: sudo apt-get install$$missing"; fi

test: $(STAMP) browser-deps ## Run the whole test suite (sets up .venv and chromium first)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

test-fast: $(STAMP) ## Run the tests that do not execute notebooks or a browser
	$(BIN)/python -m pytest -n 2 -m "not notebooks and not browser"

reports: $(STAMP) ## Build the reports (default Shanxi 2020) into reports/ and print where they are
	$(BIN)/python -m shanxi_analysis report --province "$(PROVINCE)" --year $(YEAR) $(ARGS)

reports-all: $(STAMP) ## Build the reports for all 31 provinces for YEAR with 2 workers
	$(BIN)/python -m shanxi_analysis report --all-provinces --year $(YEAR) --workers 2 $(ARGS)

# JupyterLab refuses to start as root (the usual user in containers) unless told --allow-root; pass it only then.
LAB_ARGS ?=
lab: $(STAMP) ## Start JupyterLab on notebooks/ with the project's kernel (as root too)
	$(BIN)/jupyter lab --notebook-dir=notebooks $$(test "$$(id -u)" = 0 && echo --allow-root) $(LAB_ARGS)

bench: $(STAMP) ## Run the benchmarks in bench/ and print the table of ratios (long: 31 sets several times)
	$(BIN)/python bench/run.py

bench-quick: $(STAMP) ## The benchmarks in reduced form (6 provinces for the batch, 4 sets for the scale measures)
	$(BIN)/python bench/run.py --quick

bench-scale: $(STAMP) ## Only the scale measures (warm kernels, 2 workers, incremental rebuilds, Dask); QUICK=1 for 4 sets
	$(BIN)/python bench/run.py --scale-only $(if $(QUICK),--quick,)

clean: ## Remove generated reports and caches (keeps .venv)
	rm -rf reports/* .pytest_cache .cache
	touch reports/.gitkeep
