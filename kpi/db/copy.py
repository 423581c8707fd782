"""Copies of a database that DuckDB itself writes: `ATTACH` a new file, `COPY FROM DATABASE` into it.

DuckDB reads every table's rows and builds every index and constraint anew from them, so damage in the source's
index blocks is not carried along and a row that breaks a constraint is refused. The copy is written under a
staged name and takes its own only when whole, never replacing an existing file (kpi.db.gate.claim).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from kpi.db import gate

COPY = "kpi_copy"  # the catalogue a copy is written to
OLDER = "kpi_older"  # the catalogue an older schema's file is read from


def literal(path: Path) -> str:
    """A file name as an SQL string literal (ATTACH takes no parameter)."""
    return "'" + str(path).replace("'", "''") + "'"


def ident(name: str) -> str:
    """A name as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def current(con: duckdb.DuckDBPyConnection) -> str:
    """The name of the connection's default catalogue."""
    rows = con.execute("SELECT current_database()").fetchall()
    return str(rows[0][0]) if rows else "memory"


def copy_database(con: duckdb.DuckDBPyConnection, staged: Path) -> None:
    """DuckDB writes the database `con` is on into the new file `staged`, the text of its large tables compressed
    with zstd.

    zstd, not DuckDB's choice per segment: on 1,000,000 themes the copy took 0.48 s instead of 0.70 s and 250 MB
    instead of 307 MB at its peak, for a file of 58 MB instead of 53 MB (docs/benchmarks.md, issue 34). The setting
    is DuckDB's, for the whole database instance: it holds while the copy writes its row groups (a table of fewer
    rows than one row group is written at DETACH, after the reset, as before) and is reset before the load commits.
    """
    con.execute(f"ATTACH {literal(staged)} AS {COPY}")
    try:
        con.execute("SET force_compression = 'zstd'")
        try:
            con.execute(f"COPY FROM DATABASE {ident(current(con))} TO {COPY}")
        finally:
            con.execute("RESET force_compression")
    finally:
        con.execute(f"DETACH {COPY}")


def take(con: duckdb.DuckDBPyConnection, target: Path, numbered: bool = True) -> Path:
    """A copy of the database `con` holds for writing, named `target` (the next free number when it is taken and
    `numbered`); the name it got."""
    staged = gate.staging_name(target, store=True)
    try:
        gate.creating(lambda: copy_database(con, staged), target, store=True)
        return gate.claim(staged, target, numbered)
    finally:
        gate.remove_staged(staged)


def read_into(con: duckdb.DuckDBPyConnection, path: Path, catalogue: str) -> None:
    """Copy the file's database, read-only, into the catalogue `catalogue` of `con` (in memory): an older schema
    is then upgraded there, never in the file."""
    con.execute(f"ATTACH {literal(path)} AS {OLDER} (READ_ONLY)")
    try:
        con.execute(f"COPY FROM DATABASE {OLDER} TO {ident(catalogue)}")
    finally:
        con.execute(f"DETACH {OLDER}")
