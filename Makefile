# One command checks everything: `make check` (format, lint, types, layering, tests).
PY ?= python
SRC := $(wildcard kpi schemas tests benchmarks tools)

.PHONY: check format lint types layers test soak

check: format lint types layers test

format:
	$(PY) -m ruff format --check $(SRC)

lint:
	$(PY) -m ruff check $(SRC)

types:
	$(PY) -m mypy --strict kpi schemas

layers:
	lint-imports

test:
	$(PY) -m pytest

# The crash, signal, concurrency, progress, lifecycle, store-lifecycle and placement suites (longer: ten times CI's examples, new ones) ten times in a row with a CPU kept busy (tools/soak.py).
soak:
	$(PY) tools/soak.py 10
