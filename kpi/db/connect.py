"""Opening the DuckDB file: waiting on a busy file, upgrading its schema, and transactions."""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import duckdb

from kpi import interrupts
from kpi.db import files, gate
from kpi.db.files import DEFAULT_DB, DEFAULT_WAIT, wal_of
from kpi.db.notices import notice
from kpi.db.schema import MIGRATIONS, SCHEMA_VERSION, TABLES, VERSIONED
from kpi.errors import (
    DISK_FULL,
    NOT_PERMITTED,
    CannotWrite,
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseUnreadable,
    KpiError,
    NoData,
    NoPermission,
    SchemaTooNew,
    UsageProblem,
)

_commits = 0  # transactions committed by this process (a failed first load removes its file only before one)

_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() and ("Conflicting" in text or "Could not set lock" in text)


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (DuckDB's messages run on for lines)."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


# A full disk or a file-size limit, as DuckDB words it (the OS's errno is in errors.DISK_FULL).
_DISK_FULL_WORDS = ("No space left on device", "File too large", "Disk quota exceeded")
_WRITE_FAILED = re.compile(r'Could not (?:write|truncate|fsync|extend|sync) file "([^"]+)"')
_DAMAGED = {
    "WAL does not match": "db.damaged_wal",
    "Could not read enough bytes": "db.damaged_short",
    "Corrupt database file": "db.damaged_blocks",
}
ANYTHING = """SELECT (SELECT count(*) FROM duckdb_tables() WHERE NOT internal AND NOT temporary)
    + (SELECT count(*) FROM duckdb_views() WHERE NOT internal AND NOT temporary)
    + (SELECT count(*) FROM duckdb_sequences() WHERE NOT temporary)
    + (SELECT count(*) FROM duckdb_functions() WHERE NOT internal AND function_type LIKE '%macro%')
    + (SELECT count(*) FROM duckdb_types() WHERE NOT internal)"""
KPI_TABLES_PRESENT = "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main' AND list_contains(?, table_name)"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """An exception and the ones it was raised from or while handling (a failed ROLLBACK hides the real cause)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        if current.__cause__ is not None:
            current = current.__cause__
        else:
            current = None if current.__suppress_context__ else current.__context__


_NOT_PERMITTED = re.compile(
    r'(?:Cannot open|Could not (?:open|create|write|truncate)) (?:file|directory) "([^"]+)".*?'
    r"(Permission denied|Operation not permitted|Read-only file system)"
)


def _is_the_databases(name: str | None, path: Path) -> bool:
    """Whether a file named in an error is the database's own (the file, its log, its backups' folder)."""
    if not name:
        return False
    target = Path(name).resolve()
    own = [path.resolve(), wal_of(path).resolve(), files.folder(path).resolve()]
    return target in own or own[2] in target.parents or target == path.resolve().parent


def explain(exc: BaseException, path: Path, committed: bool = False) -> KpiError | None:
    """A DuckDB or OS error that is about the file, not a bug: a full disk (exit 74), a damaged database (65), or
    no permission to open or write it or its folder (77)."""
    for cause in _chain(exc):
        text = str(cause)
        if isinstance(cause, OSError) and cause.errno in DISK_FULL:
            return CannotWrite("io.disk_full", path=cause.filename or str(path), committed=committed)
        if isinstance(cause, OSError) and cause.errno in NOT_PERMITTED and _is_the_databases(cause.filename, path):
            return NoPermission("db.no_permission", path=str(path), detail=f"{cause.filename}: {cause.strerror}")
        if isinstance(cause, duckdb.Error) and (m := _NOT_PERMITTED.search(text)) and _is_the_databases(m[1], path):
            return NoPermission("db.no_permission", path=str(path), detail=first_line(cause))
        if isinstance(cause, duckdb.Error) and any(words in text for words in NOT_A_DATABASE):
            return DatabaseUnreadable("db.not_duckdb", path=str(path))
        if isinstance(cause, duckdb.Error) and (m := _WRITE_FAILED.search(text)):
            key = "io.disk_full" if any(word in text for word in _DISK_FULL_WORDS) else "io.write_failed"
            return CannotWrite(key, path=m.group(1), detail=first_line(cause), committed=committed)
        if isinstance(cause, duckdb.Error):
            for words, key in _DAMAGED.items():
                if words in text:  # (found after a commit, the message must not say the file is unchanged)
                    newest = files.newest(path)
                    return DatabaseDamaged(
                        "db.damaged_after_commit" if committed else key,
                        path=str(path),
                        detail=first_line(cause),
                        backup=None if newest is None else str(newest),
                    )
    return None


def _refuse_non_database(path: Path, read_only: bool) -> None:
    """A folder, or (before a write) an existing file that DuckDB does not recognise as a database: DuckDB 2 would
    open a CSV as an in-memory database. A read-only open is told by DuckDB itself (READ_ONLY_NOT_A_DATABASE)."""
    if path.is_dir():
        raise UsageProblem("db.is_folder", path=str(path), example=str(path / DEFAULT_DB))
    if read_only:
        return
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    except OSError as exc:
        raise explain(exc, path) or DatabaseUnreadable(
            "db.cannot_open", path=str(path), detail=first_line(exc)
        ) from exc
    if size > 0 and not gate.recognised_by_duckdb(path):
        raise DatabaseUnreadable("db.not_duckdb", path=str(path))


READ_ONLY_NOT_A_DATABASE = "Cannot launch in-memory database in read-only mode"
# DuckDB's words for a file that is not a database (empty, text, random bytes); said as db.not_duckdb, never as is.
NOT_A_DATABASE = (READ_ONLY_NOT_A_DATABASE, "it is not a valid DuckDB database file")


def read_whole(con: duckdb.DuckDBPyConnection) -> None:
    """Read every block of every table of kpi's schema; DuckDB checks each block's checksum as it reads it and
    raises on a block that is damaged or missing (a file cut short).

    kpi's own tables only, by name through DuckDB's relational API (no name is pasted into SQL). A join can skip
    the blocks it does not need, so a load's own reads are not enough: this costs ~35 ms for 200,000 themes.
    """
    names = [*TABLES, *VERSIONED]  # (the kinds of rows were tables themselves before schema version 5)
    present = {str(name) for (name,) in con.execute(KPI_TABLES_PRESENT, [names]).fetchall()}
    for table in names:
        if table in present:
            con.table(table).aggregate("min(COLUMNS(*))").fetchall()


class _Early:
    """A read-only connection being opened in a thread: the connection, or None when the attempt failed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.con: duckdb.DuckDBPyConnection | None = None
        self.thread = threading.Thread(target=self._open, name="kpi-open-early", daemon=True)
        self.thread.start()

    def _open(self) -> None:
        with suppress(Exception):  # whatever went wrong, open_file tries again and says it
            self.con = duckdb.connect(str(self.path), read_only=True)

    def result(self) -> duckdb.DuckDBPyConnection | None:
        self.thread.join()
        return self.con


_early: list[_Early] = []


def open_early(path: Path) -> None:
    """Start opening a database file read-only in a thread; the next open_file of it, read-only, takes it.

    Creating a DuckDB database costs ~25 ms, about as long as building the command line: `kpi report` does both
    at once. Only an existing regular file is tried (never created, never a FIFO that would block)."""
    with suppress(OSError):
        if path.is_file():
            _early.append(_Early(path.resolve()))


def _take_early(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection | None:
    """The connection open_early opened for this file, when read-only is asked; any other is closed first (the
    same process may not hold one file read-only and read-write)."""
    taken = None
    while _early:
        early = _early.pop()
        con = early.result()
        if con is None:
            continue
        if taken is None and read_only and _same_file(early.path, path):
            taken = con
        else:
            _close(con)
    return taken


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a == b.resolve() or a.samefile(b)
    except OSError:
        return False


_left_open: list[duckdb.DuckDBPyConnection] = []  # read-only connections the process's exit closes (leave_open)
_leave_open = False


def leave_open() -> None:
    """Let the process's exit close the read-only connections, not open_for_read: `kpi report` ends right after,
    and closing a DuckDB database costs ~8 ms of its start-up budget. Only for a process that writes nothing."""
    global _leave_open
    _leave_open = True


def drop_early() -> None:
    """Close a connection open_early opened that no command took (a usage error, --help)."""
    _take_early(Path(), read_only=False)


def open_file(path: Path, read_only: bool, wait: float) -> tuple[duckdb.DuckDBPyConnection, bool]:
    """Open the file, retrying while another process holds it, for up to `wait` seconds; whether the file was
    absent just before the attempt that opened it (so that this process created it)."""
    gate.protect(path)
    early = _take_early(path, read_only)
    try:
        _refuse_non_database(path, read_only)
    except BaseException:
        if early is not None:
            _close(early)
        raise
    if early is not None:
        return _quiet(early), False
    deadline = time.monotonic() + max(wait, 0.0)
    delay = 0.05
    while True:
        absent = not path.exists()
        try:
            con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                _remove_if_new(path, absent, exc)
            refuse_unless_busy(exc, path, wait, deadline)
            time.sleep(delay)
            delay = min(delay * 1.5, 0.5)
            continue
        except duckdb.Error as exc:
            if READ_ONLY_NOT_A_DATABASE in str(exc):
                raise DatabaseUnreadable("db.not_duckdb", path=str(path)) from exc
            raise explain(exc, path) or DatabaseUnreadable(
                "db.cannot_open", path=str(path), detail=first_line(exc)
            ) from exc
        return _quiet(con), absent


def _quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The connection without DuckDB's own progress bar, which would go to stdout, which carries data."""
    try:
        con.execute("SET enable_progress_bar = false")
    except BaseException:
        con.close()
        raise
    return con


def refuse_unless_busy(exc: duckdb.Error, path: Path, wait: float, deadline: float) -> None:
    """An error opening or attaching the file: return (to try again) only while another process holds it and the
    wait lasts; else raise what it means — busy (exit 75, naming the holder), or why the file cannot be read."""
    if not _is_lock_error(exc):
        raise explain(exc, path) or DatabaseUnreadable(
            "db.cannot_open", path=str(path), detail=first_line(exc)
        ) from exc
    if time.monotonic() >= deadline:
        m = _LOCK_HOLDER.search(str(exc))
        raise DatabaseBusy(
            "db.busy",
            path=str(path),
            holder=m.group(1) if m else None,
            pid=m.group(2) if m else None,
            wait=f"{wait:g}",
        ) from exc


def _remove_if_new(path: Path, absent: bool, exc: BaseException) -> None:
    """A file that could not be created whole (a full disk while DuckDB wrote its header) is removed, when this
    attempt created it (it held the lock)."""
    if absent and isinstance(explain(exc, path), CannotWrite):
        for leftover in (path, wal_of(path)):
            leftover.unlink(missing_ok=True)


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
    except (duckdb.BinderException, duckdb.ConversionException) as exc:  # a `meta` of another shape
        raise DatabaseUnreadable("db.not_kpi", path=_catalogue_file(con)) from exc
    try:
        return int(row[0]) if row else 0
    except (TypeError, ValueError):
        raise DatabaseUnreadable("db.not_kpi", path=_catalogue_file(con)) from None


def _catalogue_file(con: duckdb.DuckDBPyConnection) -> str:
    """The file the connection's default catalogue is on (for a message)."""
    try:
        row = fetch_one(con, "SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
    except duckdb.Error:
        return "?"
    return str(row[0]) if row and row[0] else "?"


@functools.cache
def expected_shape(version: int) -> frozenset[tuple[str, str, str]]:
    """The tables, views and columns kpi's schema `version` has, as DuckDB builds them (in memory)."""
    con = duckdb.connect()
    try:
        for script in MIGRATIONS[:version]:
            for statement in filter(str.strip, script.split(";")):
                con.execute(statement)
        return frozenset(_shape(con, "memory"))
    finally:
        con.close()


def _shape(con: duckdb.DuckDBPyConnection, catalogue: str) -> set[tuple[str, str, str]]:
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = ? "
        "AND schema_name = 'main'",
        [catalogue],
    ).fetchall()
    return {(str(t), str(c), str(d)) for t, c, d in rows}


def other_shape(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database's tables differ from kpi's schema of the version it records (asked after a catalogue
    or binder error: a file of kpi's own shape means the error is kpi's fault)."""
    try:
        version = schema_version(con)
        row = fetch_one(con, "SELECT current_database()")
        theirs = _shape(con, str(row[0]) if row else "memory")
    except (duckdb.Error, KpiError):
        return True
    if not 0 < version <= SCHEMA_VERSION:
        return True
    expected = expected_shape(version)
    tables = {table for table, _, _ in expected}  # (tables of another program's beside kpi's are left alone)
    return {row for row in theirs if row[0] in tables} != expected


def refuse_other_shape(con: duckdb.DuckDBPyConnection, path: Path, exc: BaseException) -> None:
    """After a catalogue or binder error, a file that is not of kpi's shape is refused as not kpi's (exit 3)."""
    if isinstance(exc, duckdb.CatalogException | duckdb.BinderException) and other_shape(con):
        raise DatabaseUnreadable("db.not_kpi", path=str(path)) from exc


def refuse_newer(path: Path, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise SchemaTooNew("db.too_new", path=str(path), version=version, known=SCHEMA_VERSION)


def upgrade(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Bring the schema to SCHEMA_VERSION in one transaction (nothing to do when current)."""
    version = schema_version(con)
    refuse_newer(path, version)
    if version == SCHEMA_VERSION:
        return
    if version == 0 and _holds_anything(con):
        raise DatabaseUnreadable("db.not_kpi", path=str(path))
    with transaction(con, data=False):
        migrate(con, version)


def migrate(con: duckdb.DuckDBPyConnection, version: int) -> None:
    """The migrations from `version` to SCHEMA_VERSION, inside the caller's transaction."""
    for script in MIGRATIONS[version:]:
        for statement in filter(str.strip, script.split(";")):
            con.execute(statement)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """ROLLBACK, keeping the error that caused it: a ROLLBACK that fails (DuckDB has already ended the
    transaction, or a write error invalidated the file's handle) leaves nothing committed either."""
    with interrupts.held(), suppress(duckdb.Error):
        con.execute("ROLLBACK")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, data: bool = True, kept: str = "cli.kept_commit") -> Iterator[None]:
    """BEGIN … COMMIT, or ROLLBACK on any exception (Ctrl-C and SIGTERM included).

    A signal during COMMIT waits for it to end (interrupts.held), so the message after it says truthfully
    whether the load (or what `kept` names: a submission) is stored."""
    global _commits
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        _rollback(con)
        raise
    with interrupts.held():
        con.execute("COMMIT")  # if it fails, nothing was written
        if data:  # a schema upgrade alone writes no data
            _commits += 1
            interrupts.keep(kept)


def _holds_anything(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a file without kpi's schema holds anything of another program's (a table, a view, a macro …)."""
    return fetch_one(con, ANYTHING) != (0,)


@contextmanager
def open_for_write(
    path: Path, wait: float = DEFAULT_WAIT, upgrade_schema: bool = True
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection on an up-to-date schema, every block of its tables read first; the file is created
    owner-only (0600). Staged files a killed backup or restore left are removed first; an older schema is
    upgraded after a copy of it is kept (both named in the output). A file this call created is removed again
    when nothing was committed to it; no other file is ever removed."""
    with gate.owner_only():  # the database and its write-ahead log (which holds loaded rows) are owner-only
        con, absent = open_file(path, read_only=False, wait=wait)  # a signal while waiting stops at once
        created, commits_before = False, _commits
        try:
            with interrupts.held():
                version = schema_version(con)
                empty = version == 0 and not _holds_anything(con)
                created = absent and empty  # ours to remove if this first load fails
                for leftover in gate.leftovers(path):
                    leftover.unlink(missing_ok=True)
                    notice("db.leftover_removed", path=str(leftover))
            refuse_newer(path, version)
            if version == 0 and not empty:
                raise DatabaseUnreadable("db.not_kpi", path=str(path))
            if version > 0:
                if other_shape(con):
                    raise DatabaseUnreadable("db.not_kpi", path=str(path))
                read_whole(con)
            if 0 < version < SCHEMA_VERSION and upgrade_schema:
                _upgrade_kept(con, path, version)
            elif version == 0 or upgrade_schema:
                upgrade(con, path)
            yield con
            con.execute("CHECKPOINT")
        except BaseException as exc:
            with interrupts.held():
                not_kpi = isinstance(exc, duckdb.CatalogException | duckdb.BinderException) and other_shape(con)
                _close(con)
                if created and _commits == commits_before:
                    for leftover in (path, wal_of(path)):
                        leftover.unlink(missing_ok=True)
            if isinstance(exc, KpiError):  # already explained (an output file of the same command, for one)
                raise
            if not_kpi:
                raise DatabaseUnreadable("db.not_kpi", path=str(path)) from exc
            explained = explain(exc, path, committed=_commits > commits_before)
            if explained is not None:
                raise explained from exc
            raise
        finally:
            _close(con)


def _upgrade_kept(con: duckdb.DuckDBPyConnection, path: Path, version: int) -> None:
    """Upgrade an older schema after keeping a copy of it in the backups folder; both named in the output."""
    from kpi.db.copy import take
    from kpi.fiscal import now_in

    kept = take(con, files.before_upgrade(path, version, now_in()))
    upgrade(con, path)
    notice("db.upgraded", path=str(path), old=version, new=SCHEMA_VERSION, backup=str(kept))


def _close(con: duckdb.DuckDBPyConnection) -> None:
    """Close a connection; one whose file failed to write may refuse (its error has been reported)."""
    with suppress(duckdb.Error):
        con.close()


@contextmanager
def open_for_read(path: Path, wait: float = DEFAULT_WAIT) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection. A file of an older schema is never changed: it is copied into memory and upgraded
    there (kpi.db.copy.read_into)."""
    if not path.exists():
        raise NoData("db.missing", path=str(path))
    con, _ = open_file(path, read_only=True, wait=wait)
    try:
        version = schema_version(con)
        refuse_newer(path, version)
        if version == 0 and _holds_anything(con):
            raise DatabaseUnreadable("db.not_kpi", path=str(path))
        if version == 0:
            raise NoData("db.empty", path=str(path))
        if version < SCHEMA_VERSION:
            con.close()
            con = _upgraded_in_memory(path)
        yield con
    except duckdb.Error as exc:
        refuse_other_shape(con, path, exc)
        explained = explain(exc, path)
        if explained is None:
            raise
        raise explained from exc
    finally:
        if _leave_open:
            _left_open.append(con)
        else:
            _close(con)


def _upgraded_in_memory(path: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory copy of an older schema's file, upgraded there; the file is left as it is."""
    from kpi.db.copy import read_into

    con = _quiet(duckdb.connect())
    try:
        read_into(con, path, "memory")
        upgrade(con, path)
    except BaseException:
        con.close()
        raise
    return con
