# One command checks everything: `make check` (format, lint, types, layering, the README's tests); CI adds the
# rest of the tests (make test-slow test-serial; make test-all runs all three test steps).
PY ?= python
SRC := $(wildcard kpi schemas tests benchmarks tools)

.PHONY: check format lint types layers test test-slow test-serial test-all soak

check: format lint types layers test

format:
	$(PY) -m ruff format --check $(SRC)

lint:
	$(PY) -m ruff check $(SRC)

types:
	$(PY) -m mypy --strict kpi schemas

layers:
	lint-imports

# The README's command: every test but the `slow` and `serial` ones, in parallel (pyproject.toml's addopts).
test:
	$(PY) -m pytest

# The rest of the fault matrices, the lifecycle machines, fuzzing and the browser, in parallel.
test-slow:
	$(PY) -m pytest -m "slow and not serial"

# The tests that race the clock, one at a time on an otherwise idle machine.
test-serial:
	$(PY) -m pytest -m serial -n 0

test-all: test test-slow test-serial

# The crash, signal, concurrency, progress, lifecycle, store-lifecycle and placement suites (longer: ten times CI's examples, new ones) ten times in a row with a CPU kept busy (tools/soak.py).
soak:
	$(PY) tools/soak.py 10
