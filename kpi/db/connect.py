"""Opening the DuckDB file: waiting on a busy file, upgrading its schema, and transactions."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from kpi.db.schema import MIGRATIONS, SCHEMA_VERSION
from kpi.errors import DatabaseBusy, DatabaseUnreadable, NoData, SchemaTooNew

DEFAULT_DB = "kpi.duckdb"
DEFAULT_WAIT = 30.0

_commits = 0  # transactions committed by this process (a signal after one must not claim nothing was written)


def committed() -> bool:
    """Whether this process has committed a transaction."""
    return _commits > 0


_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


def db_path(option: str | Path | None) -> Path:
    """The database file: --db, else $KPI_DB, else ./kpi.duckdb."""
    return Path(option or os.environ.get("KPI_DB") or DEFAULT_DB)


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() and ("Conflicting" in text or "Could not set lock" in text)


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (DuckDB's messages run on for lines)."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _refuse_non_database(path: Path) -> None:
    """An existing file that is not a DuckDB database (DuckDB 2 would open a CSV as an in-memory view)."""
    if path.exists() and path.stat().st_size > 0:
        with open(path, "rb") as f:
            head = f.read(12)
        if head[8:12] != b"DUCK":
            raise DatabaseUnreadable("db.not_duckdb", path=str(path))


def _connect(path: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another process holds it, for up to `wait` seconds."""
    _refuse_non_database(path)
    deadline = time.monotonic() + max(wait, 0.0)
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise DatabaseUnreadable("db.cannot_open", path=str(path), detail=first_line(exc)) from exc
            if time.monotonic() >= deadline:
                m = _LOCK_HOLDER.search(str(exc))
                raise DatabaseBusy(
                    "db.busy",
                    path=str(path),
                    holder=m.group(1) if m else None,
                    pid=m.group(2) if m else None,
                    wait=f"{wait:g}",
                ) from exc
            time.sleep(delay)
            delay = min(delay * 1.5, 0.5)
        except duckdb.Error as exc:
            raise DatabaseUnreadable("db.cannot_open", path=str(path), detail=first_line(exc)) from exc


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> tuple[Any, ...] | None:
    """The first row of a query, reading the result to its end (DuckDB 2.0 refuses new work on a
    connection while a result is unread)."""
    rows = con.execute(sql, params).fetchall()
    return rows[0] if rows else None


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version recorded in the file; 0 for a file without kpi's tables.

    Asked of `meta` directly, outside any transaction: the catalogue views cost ~8 ms on every start.
    """
    try:
        row = fetch_one(con, "SELECT value FROM meta WHERE key = 'schema_version'")
    except duckdb.CatalogException:
        return 0
    return int(row[0]) if row else 0


def _refuse_newer(path: Path, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise SchemaTooNew("db.too_new", path=str(path), version=version, known=SCHEMA_VERSION)


def upgrade(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Bring the schema to SCHEMA_VERSION in one transaction (nothing to do when current)."""
    version = schema_version(con)
    _refuse_newer(path, version)
    if version == SCHEMA_VERSION:
        return
    if version == 0 and fetch_one(con, "SELECT count(*) FROM information_schema.tables") != (0,):
        raise DatabaseUnreadable("db.not_kpi", path=str(path))
    with transaction(con, data=False):
        for script in MIGRATIONS[version:]:
            for statement in filter(str.strip, script.split(";")):
                con.execute(statement)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, data: bool = True) -> Iterator[None]:
    """BEGIN … COMMIT, or ROLLBACK on any exception (Ctrl-C and SIGTERM included)."""
    global _commits
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    try:
        con.execute("COMMIT")
    except Exception:
        raise  # the commit itself failed: nothing was written
    except BaseException:
        # Ctrl-C or SIGTERM raised once COMMIT had run (Python handles signals between steps): it is stored.
        _commits += int(data)
        raise
    _commits += int(data)  # a schema upgrade alone writes no data


@contextmanager
def open_for_write(path: Path, wait: float = DEFAULT_WAIT) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection on an up-to-date schema; the file is created owner-only (0600)."""
    old_umask = os.umask(0o077)  # the database and its write-ahead log (which holds loaded rows) are owner-only
    try:
        con = _connect(path, read_only=False, wait=wait)
        # An empty file nobody has committed to yet is ours to remove if this first load fails.
        created = fetch_one(con, "SELECT count(*) FROM information_schema.tables") == (0,)
        commits_before = _commits
        try:
            upgrade(con, path)
            yield con
            con.execute("CHECKPOINT")
        except BaseException:
            con.close()
            if created and _commits == commits_before:
                for leftover in (path, path.with_name(path.name + ".wal")):
                    leftover.unlink(missing_ok=True)
            raise
        finally:
            con.close()
    finally:
        os.umask(old_umask)


@contextmanager
def open_for_read(path: Path, wait: float = DEFAULT_WAIT) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection; a file of an older schema is upgraded first (the only write a read makes)."""
    if not path.exists():
        raise NoData("db.missing", path=str(path))
    con = _connect(path, read_only=True, wait=wait)
    try:
        version = schema_version(con)
        _refuse_newer(path, version)
        if version == 0:
            raise NoData("db.empty", path=str(path))
        if version < SCHEMA_VERSION:
            con.close()
            with open_for_write(path, wait):
                pass
            con = _connect(path, read_only=True, wait=wait)
        yield con
    finally:
        con.close()


def stored_project_id(path: Path, wait: float = DEFAULT_WAIT) -> int | None:
    """The 予算事業ID of the stored programme settings, if any (for RS files loaded without --project-id)."""
    if not path.exists():
        return None
    with open_for_read(path, wait) as con:
        row = fetch_one(con, "SELECT value FROM programme WHERE key = 'project_id'")
    return int(row[0]) if row else None
