# shanxi-analysis: `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

# Report options for `make reports` (override: make reports PROVINCE=Hubei YEAR=2019 LANG=en,zh ARGS="--workers 2")
PROVINCE ?= Shanxi
YEAR ?= 2020
# the language(s) of the province stories, passed as --lang: en, zh or en,zh (`make reports LANG=zh`). Only LANG
# given on make's command line counts (the shell's LANG is a locale, not read here); the commands then run with the
# locale C.UTF-8, since "zh" is no locale.
REPORT_LANG := en
ifeq ($(origin LANG),command line)
REPORT_LANG := $(LANG)
override LANG := C.UTF-8
endif
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help venv lock lint test test-unit reports reports-all lab bench bench-quick bench-scale bench-grid browser-deps clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (shanxi-analysis)" >/dev/null
	@touch $@

venv: $(STAMP) ## Create or refresh .venv from the pinned requirements.txt

# requirements.txt is generated from pyproject.toml (runtime + the lab, test and dev extras). pip-compile keeps
# every version already pinned in requirements.txt that still satisfies pyproject.toml, so adding a dependency
# pins only it and what it pulls in; to move a pin on purpose: make lock UPGRADE="--upgrade-package pandas".
UPGRADE ?=
lock: $(STAMP) ## Regenerate requirements.txt from pyproject.toml, keeping current pins (UPGRADE="--upgrade-package X")
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --extra lab --extra test --extra dev \
	  --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.txt $(UPGRADE) pyproject.toml
	printf '%s\n' '' '# The package itself, editable, so `make venv` installs it (added by make lock).' '-e .' >> requirements.txt
	@echo "requirements.txt regenerated from pyproject.toml; run make venv and make test"

lint: $(STAMP) ## ruff check, ruff format --check (code and notebooks) and mypy on the package; runs all three
	@status=0; \
	echo "ruff check ."; $(BIN)/ruff check . || status=1; \
	echo "ruff format --check ."; $(BIN)/ruff format --check . || status=1; \
	echo "mypy shanxi_analysis"; $(BIN)/mypy shanxi_analysis || status=1; \
	exit $$status

AXE_VERSION := 4.14.1
AXE := .cache/npm/node_modules/axe-core/axe.min.js

browser-deps: $(AXE) ## Install Debian's chromium, a CJK font (fonts-noto-cjk) and npm's axe-core (.cache/npm) for --format pdf, charts and the browser test
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium chromium-driver"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	if [ -z "$$missing" ]; then echo "chromium: $$(chromium --version 2>/dev/null); CJK font: Noto Sans CJK"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's$$missing ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "missing:$$missing; install with: sudo apt-get install$$missing"; fi

$(AXE): # axe-core, the accessibility checker the browser test injects into each page (npm, pinned)
	@command -v npm >/dev/null 2>&1 || { echo "npm not found: install it (sudo apt-get install npm) for axe-core"; exit 1; }
	npm install --prefix .cache/npm --no-audit --no-fund --silent axe-core@$(AXE_VERSION)

# The tiers are pytest markers (pyproject.toml): unit tests carry none; e2e, notebooks and browser are the end-to-end
# tests, slow the in-process tests of seconds each. make test runs every tier and prints how long it took.
UNIT := not e2e and not notebooks and not browser and not slow
test: $(STAMP) browser-deps lint ## make lint, then every tier of the suite, with its time (sets up .venv and chromium first)
	@start=$$(date +%s); status=0; \
	$(BIN)/python -m pytest -n 2 --dist loadgroup --durations=10 || status=$$?; \
	echo "make test: the suite took $$(( $$(date +%s) - start )) s"; exit $$status

test-unit: $(STAMP) ## The unit tier only: in-process, in-memory frames and notebooks, no build (under a minute)
	@start=$$(date +%s); status=0; \
	$(BIN)/python -m pytest -n 2 -m "$(UNIT)" || status=$$?; \
	echo "make test-unit: took $$(( $$(date +%s) - start )) s"; exit $$status

reports: $(STAMP) ## Build the reports (default Shanxi 2020) into reports/ and print where they are
	$(BIN)/python -m shanxi_analysis report --province "$(PROVINCE)" --year $(YEAR) --lang $(REPORT_LANG) $(ARGS)

reports-all: $(STAMP) ## Build the reports for all 31 provinces for YEAR with 2 workers
	$(BIN)/python -m shanxi_analysis report --all-provinces --year $(YEAR) --workers 2 --lang $(REPORT_LANG) $(ARGS)

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

bench-grid: $(STAMP) ## The whole grid (every province and year, English and Chinese, article check) on 2 workers, measured; YEARS=2019-2020 for part of it
	$(BIN)/python bench/run.py --grid $(if $(YEARS),--grid-years $(YEARS),)

clean: ## Remove generated reports and caches (keeps .venv)
	rm -rf reports/* .pytest_cache .cache .mypy_cache .ruff_cache
	touch reports/.gitkeep
