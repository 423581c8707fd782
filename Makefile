# One command checks everything: `make check` (format, lint, types, layering, tests).
PY ?= python

.PHONY: check format lint types layers test

check: format lint types layers test

format:
	$(PY) -m ruff format --check kpi schemas tests benchmarks tools

lint:
	$(PY) -m ruff check kpi schemas tests benchmarks tools

types:
	$(PY) -m mypy kpi

layers:
	lint-imports

test:
	$(PY) -m pytest
