# One task runner. Every target installs what it needs first.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
PYTHON ?= python3.11
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
CLI := $(VENV)/bin/civicpulse
DEMO_HOME ?= demo-home
DEMO_AZ_HOME ?= demo-home-az

.PHONY: install install-spark demo demo-review test test-spark bench lint typecheck format ci clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv==0.13.9

# bytecode is compiled at install time: where PYTHONDONTWRITEBYTECODE is set, every command would
# otherwise recompile its imports (seconds per start)
$(CLI): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON) --extra telegram
	$(VENV)/bin/python -m compileall -q src
	@touch $(CLI)

install: $(CLI)

install-spark: $(CLI)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON) --extra telegram --extra spark

# a month of simulated activity for the Kazakh registry: enrich, flag, rate, the weekly report; then the
# Azerbaijani review. The demo reads sentiment and topics with the fast linear model only (e5_scope=none):
# e5 on every message that mentions an authority is the accurate default, and takes tens of minutes here.
demo: install
	rm -rf $(DEMO_HOME)
	$(CLI) --home $(DEMO_HOME) simulate --weeks 5 --scale 1 --seed 7
	CIVICPULSE_E5_SCOPE=none $(CLI) --home $(DEMO_HOME) enrich
	$(CLI) --home $(DEMO_HOME) flags detect --week last
	$(CLI) --home $(DEMO_HOME) rate pages --week last
	$(CLI) --home $(DEMO_HOME) report --week last --out $(DEMO_HOME)/report --lang ru
	@$(MAKE) --no-print-directory demo-review
	@echo "demo report: $(DEMO_HOME)/report/report.html"

# a year-over-year review of the Azerbaijani ministries (the seed's 2018 newspaper review), from simulated data
demo-review: install
	rm -rf $(DEMO_AZ_HOME)
	$(CLI) --home $(DEMO_AZ_HOME) simulate --registry bundled:az --weeks 53 --scale 0.2 --seed 7 --end 2018-12-16
	$(CLI) --home $(DEMO_AZ_HOME) review --from 2017-12-16 --to 2018-12-16 --lang az --format markdown --out $(DEMO_AZ_HOME)/review/review.md
	$(CLI) --home $(DEMO_AZ_HOME) review --from 2017-12-16 --to 2018-12-16 --lang az --format html --out $(DEMO_AZ_HOME)/review/review.html
	@echo "demo review: $(DEMO_AZ_HOME)/review/review.html"

test: install
	$(VENV)/bin/pytest -q -m "not spark"

test-spark: install-spark
	$(VENV)/bin/pytest -q -m spark

bench: install
	$(VENV)/bin/python -m bench

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck: install
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench

ci: test lint typecheck test-spark

clean:
	rm -rf $(VENV) .tools $(DEMO_HOME) $(DEMO_AZ_HOME) .pytest_cache .mypy_cache .ruff_cache
