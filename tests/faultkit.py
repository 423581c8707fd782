"""Helpers of the reliability tests: table checksums, and `kpi` with its SQL statements announced.

Run as a script, this module is `kpi` itself with one addition: before and after every statement kpi
sends to DuckDB it writes a line to stdout (`before COMMIT`, `after INSERT INTO themes`, …), so a test
can kill or signal the process at a chosen moment of a load. Nothing else changes: the statements, the
transaction and the exit codes are kpi's own (`kpi load` writes nothing to stdout on its own).

With $FAULTKIT_PAUSE_AFTER set to a statement (say `COMMIT`), the process also says `paused` after that
statement and sleeps for up to a minute before going on: a signal sent then arrives exactly between that
statement and the next, as it would during a slow CHECKPOINT on a big file, but every time.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb

HERE = Path(__file__).resolve()

# Columns whose value depends on the clock, not on the data (left out when comparing two runs).
CLOCK_COLUMNS = {"loads": ["loaded_at"]}


def table_checksums(db: Path, ignore: dict[str, list[str]] | None = None) -> dict[str, tuple[int, str]]:
    """Every table of the file: its row count and a digest of its columns and rows (in a canonical order)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = con.execute(
            "SELECT table_name, string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) "
            "FROM information_schema.columns WHERE table_schema = 'main' GROUP BY table_name ORDER BY 1"
        ).fetchall()
        if not columns:
            return {}
        parts = []
        for table, _ in columns:
            skip = (ignore or {}).get(table, [])
            select = f"SELECT * EXCLUDE ({', '.join(skip)})" if skip else "SELECT *"
            parts.append(
                f"SELECT '{table}' AS t, count(*) AS n, "
                f"coalesce(md5(string_agg(r::VARCHAR, chr(10) ORDER BY r::VARCHAR)), '') AS digest "
                f'FROM ({select} FROM "{table}") r'
            )
        found = {t: (n, d) for t, n, d in con.execute(" UNION ALL ".join(parts)).fetchall()}
        return {
            table: (int(found[table][0]), hashlib.sha256(f"{shape}|{found[table][1]}".encode()).hexdigest())
            for table, shape in columns
        }
    finally:
        con.close()


def rows(db: Path, sql: str, params: Iterable[Any] | None = None) -> list[tuple[Any, ...]]:
    """The rows of one query on a read-only connection."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params) if params is not None else None).fetchall()
    finally:
        con.close()


def kpi_env() -> dict[str, str]:
    """The environment of a test subprocess: no KPI_ settings of the person running the tests."""
    return {k: v for k, v in os.environ.items() if not k.startswith("KPI_")}


def spy(*args: str, pause_after: str | None = None) -> subprocess.Popen[str]:
    """`kpi ARGS` that announces its statements on stdout, one line each, as they happen."""
    env = kpi_env() | ({"FAULTKIT_PAUSE_AFTER": pause_after} if pause_after else {})
    return subprocess.Popen(
        [sys.executable, str(HERE), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def wait_for(proc: subprocess.Popen[str], marker: str, timeout: float = 120) -> list[str]:
    """Read the announcements until one starts with `marker`; return those read (AssertionError if none)."""
    assert proc.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    for line in proc.stdout:
        seen.append(line.rstrip("\n"))
        if line.startswith(marker):
            return seen
        if time.monotonic() > deadline:
            break
    raise AssertionError(f"kpi never announced {marker!r}; it announced: {seen[-10:]}")


def _statement(sql: str) -> str:
    return " ".join(sql.split()[:3])


def _main() -> None:
    import kpi.db.connect as store

    pause_after = [os.environ.get("FAULTKIT_PAUSE_AFTER")]  # pauses once, then is cleared

    def announce(text: str) -> None:
        os.write(1, f"{text}\n".encode())

    class Announcing:
        """A DuckDB connection that says what it is about to do and what it has done."""

        def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
            self._con = con

        def __getattr__(self, name: str) -> Any:
            return getattr(self._con, name)

        def execute(self, sql: str, *args: Any, **kwargs: Any) -> Any:
            announce(f"before {_statement(sql)}")
            result = self._con.execute(sql, *args, **kwargs)
            announce(f"after {_statement(sql)}")
            if pause_after[0] and _statement(sql).startswith(pause_after[0]):
                pause_after[0] = None
                announce("paused")
                time.sleep(60)
            return result

    open_file = duckdb.connect

    def announcing_open(*args: Any, **kwargs: Any) -> Any:
        announce("opening")  # each attempt, so a test can tell that kpi is waiting for a busy file
        return open_file(*args, **kwargs)

    duckdb.connect = announcing_open  # type: ignore[assignment]
    connect = store._connect

    def announcing_connect(*args: Any, **kwargs: Any) -> Any:
        con = connect(*args, **kwargs)
        announce("connected")
        return Announcing(con)

    store._connect = announcing_connect  # type: ignore[assignment]
    from kpi.entry import main

    sys.argv = ["kpi", *sys.argv[1:]]
    announce("started")
    main()


if __name__ == "__main__":
    _main()
