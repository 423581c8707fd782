"""The fault suites, again and again, with a CPU kept busy: python tools/soak.py [RUNS] (make soak: 10).

Runs the crash, signal, concurrency, progress, lifecycle, store lifecycle and placement suites RUNS times in a row
while a second process keeps one CPU busy (a plain Python loop, started before the first run and stopped after the
last), prints each run's result and time, and exits 1 unless every run passed. A suite that fails once in ten here is
flaky.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITES = [
    "tests/system/test_crash.py",
    "tests/system/test_signals.py",
    "tests/system/test_concurrency.py",
    "tests/system/test_progress.py",
    "tests/system/test_lifecycle.py",
    "tests/system/test_store_lifecycle.py",
    "tests/unit/figures/test_placement.py",
]
# The lifecycle machines run far longer than in the normal suite, with new examples each run: the store machine ten
# times as many examples as CI's 3, each as long; the placement property 30 drawn programmes in each of its two
# tests (CI: 1 in the default run, 5 in the slow step).
LIFECYCLE = {
    "KPI_LIFECYCLE_EXAMPLES": "12",
    "KPI_LIFECYCLE_STEPS": "14",
    "KPI_LIFECYCLE_RANDOM": "1",
    "KPI_STORE_EXAMPLES": "30",
    "KPI_STORE_STEPS": "12",
    "KPI_STORE_RANDOM": "1",
    "KPI_PLACEMENT_EXAMPLES": "30",
    "KPI_PLACEMENT_MORE_EXAMPLES": "30",
    "KPI_PLACEMENT_RANDOM": "1",
}


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # the burner is stopped on the way out


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    signal.signal(signal.SIGTERM, _stop)
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    results: list[tuple[int, int, float, str]] = []
    try:
        for run in range(1, runs + 1):
            started = time.monotonic()
            result = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "", *SUITES],  # every case
                cwd=ROOT,
                env={**os.environ, **LIFECYCLE},
                capture_output=True,
                text=True,
            )
            took = time.monotonic() - started
            summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
            results.append((run, result.returncode, took, summary))
            print(f"soak {run}/{runs}: {'passed' if result.returncode == 0 else 'FAILED'} in {took:.0f} s: {summary}")
            if result.returncode != 0:
                print(result.stdout[-6000:], result.stderr[-2000:], sep="\n")
            sys.stdout.flush()
    finally:
        burner.kill()
        burner.wait()
    passed = sum(1 for _, code, _, _ in results if code == 0)
    times = [took for _, _, took, _ in results]
    print(
        f"soak: {passed}/{runs} passed with a busy CPU; "
        f"{min(times):.0f} s fastest, {sum(times) / len(times):.0f} s mean, {max(times):.0f} s slowest per run"
    )
    return 0 if passed == runs else 1


if __name__ == "__main__":
    sys.exit(main())
