"""A busy database: commands wait for it, give up with exit 75 and a message, and concurrent loads both land."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from kit import theme, themes_csv, write

HOLD = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(float(sys.argv[2])); c.close()"


def hold(db: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the database open for writing, as a cron `kpi load` would."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def test_a_report_waits_for_the_database_and_succeeds(kpi, sample_store: Path) -> None:
    holder = hold(sample_store, 2.0)
    started = time.monotonic()
    result = kpi("report", "--db", str(sample_store), "--as-of", "2025", "--wait", "30")
    waited = time.monotonic() - started
    holder.wait()
    assert result.returncode == 0, result.stderr
    assert "アウトカム指標" in result.stdout
    assert waited >= 1.0


def test_giving_up_exits_75_naming_the_database_and_the_holder(kpi, sample_store: Path) -> None:
    holder = hold(sample_store, 10.0)
    try:
        result = kpi("report", "--db", str(sample_store), "--wait", "1")
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 75
    assert (
        str(sample_store) in result.stderr
        and f"PID {holder.pid}" in result.stderr
        and "は使用中です" in result.stderr
        and "1秒待ちましたがあきらめました" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_kpi_wait_environment_variable(kpi, sample_store: Path) -> None:
    holder = hold(sample_store, 10.0)
    try:
        started = time.monotonic()
        result = kpi("check", "--db", str(sample_store), env={"KPI_WAIT": "0.5"})
        elapsed = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 75 and elapsed < 8


@pytest.mark.slow  # two real processes racing (tests/system/test_concurrency.py keeps one race in the default run)
def test_two_loads_started_together_both_land(db: Path, tmp_path: Path) -> None:
    a = write(tmp_path / "themes_a_2026-03-31.csv", themes_csv([theme(f"A{i}") for i in range(200)]))
    # the April list keeps March's 200 themes and adds 100 (a list sharing few IDs is another programme's)
    later = [theme(f"A{i}") for i in range(200)] + [theme(f"B{i}") for i in range(100)]
    b = write(tmp_path / "themes_b_2026-04-30.csv", themes_csv(later))
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "kpi", "load", "--db", str(db), str(path)], stderr=subprocess.PIPE, text=True
        )
        for path in (a, b)
    ]
    codes = [p.wait(timeout=120) for p in procs]
    assert codes == [0, 0], [p.stderr.read() if p.stderr else "" for p in procs]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT theme_id) FROM themes").fetchall() == [(300, 300)]
    assert con.execute("SELECT file_name, row_count FROM loads ORDER BY file_name").fetchall() == [
        ("themes_a_2026-03-31.csv", 200),
        ("themes_b_2026-04-30.csv", 300),
    ]
    assert con.execute("SELECT snapshot::VARCHAR FROM theme_lists ORDER BY 1").fetchall() == [
        ("2026-03-31",),
        ("2026-04-30",),
    ]
    con.close()
