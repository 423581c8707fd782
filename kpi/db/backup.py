"""Backups of the database, made and read by DuckDB, and a restore that keeps what it replaces.

A copy is written by DuckDB into a new file (`ATTACH` it, `COPY FROM DATABASE`): every table's rows are read and
every index and constraint is built anew from them, so damage in the source's index blocks is not carried along
and a row that breaks a constraint is refused. The copy is made under a staged name and given its own only when
whole; no existing file is ever replaced by it (kpi.db.gate.claim).

A restore happens inside the database file, under its exclusive write lock, in one DuckDB transaction: the
current state is first copied to a new kept file (`kpi.duckdb.replaced-<time>`), then everything in the database
is dropped and the backup copied in. DuckDB's own log makes that all or nothing at every moment, and a second
restore waits for the first. Only a database too damaged to open is replaced as a file.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from kpi import interrupts
from kpi.db import files, gate
from kpi.db.connect import (
    explain,
    fetch_one,
    migrate,
    open_file,
    open_for_write,
    other_shape,
    read_whole,
    refuse_newer,
    schema_version,
    transaction,
)
from kpi.db.copy import copy_database, current, ident, literal, take
from kpi.db.files import wal_of
from kpi.db.notices import notice
from kpi.db.schema import SCHEMA_VERSION
from kpi.errors import DatabaseDamaged, DatabaseUnreadable, KpiError, NoData, UsageProblem
from kpi.fiscal import DEFAULT_TIMEZONE, now_in

SOURCE = "kpi_restore_source"  # the catalogue a backup is read from


@dataclass(frozen=True)
class Copy:
    """A backup written and checked: where, its size, and the loads it holds."""

    path: Path
    size: int
    loads: int


@dataclass(frozen=True)
class Restored:
    """A restore done: the database, the backup put in its place, and where the replaced state was kept."""

    db: Path
    backup: Path
    kept_aside: Path | None


# A damaged backup said by the damage kpi.db.connect.explain found in it; DuckDB's own words stay in --debug.
BACKUP_DAMAGE = {
    "db.damaged_short": "backup.damaged_short",
    "db.damaged_blocks": "backup.damaged_blocks",
    "db.damaged_wal": "backup.damaged_wal",
}


def damaged_backup(found: KpiError, path: Path) -> DatabaseDamaged:
    """The error for a backup `found` damaged (cut short, damaged blocks, another file's log)."""
    return DatabaseDamaged(BACKUP_DAMAGE.get(found.key, "backup.damaged"), path=str(path))


def check_whole(path: Path) -> int:
    """Open a backup read-only (DuckDB replays a log beside it) and read every block of every table: the number
    of loads it holds. A backup that is damaged, not kpi's, or of a newer kpi is refused."""
    if not path.is_file():
        raise UsageProblem("backup.not_a_file", path=str(path))
    try:
        con, _ = open_file(path, read_only=True, wait=0)
    except DatabaseDamaged as exc:
        raise damaged_backup(exc, path) from exc
    except DatabaseUnreadable as exc:
        raise DatabaseUnreadable("backup.not_kpi", path=str(path)) from exc
    try:
        version = schema_version(con)
        refuse_newer(path, version)
        if version == 0:
            raise DatabaseUnreadable("backup.not_kpi", path=str(path))
        if other_shape(con):  # its tables are not those of the version it records
            raise DatabaseUnreadable("backup.not_kpi", path=str(path))
        read_whole(con)
        row = fetch_one(con, "SELECT count(*) FROM loads")
        return int(row[0]) if row else 0
    except DatabaseUnreadable as exc:
        raise DatabaseUnreadable("backup.not_kpi", path=str(path)) from exc
    except duckdb.Error as exc:
        found = explain(exc, path)
        if found is not None:
            raise damaged_backup(found, path) from exc
        raise DatabaseUnreadable("backup.not_kpi", path=str(path)) from exc
    finally:
        con.close()


def require(db: Path) -> None:
    """`kpi backup` of a database that is not there: nothing to copy (exit 3)."""
    if not db.exists():
        raise NoData("db.missing", path=str(db))


def checked_copy(con: duckdb.DuckDBPyConnection, db: Path, target: Path | None, force: bool) -> Copy:
    """`kpi backup`: a DuckDB-made copy into `target` (else into the backups folder, named by the time in the
    programme's calendar), read back whole before it takes its name."""
    target = gate.canonical(target) if target is not None else None
    gate.refuse(target, force)
    final = target if target is not None else files.taken(db, now_in(stored_timezone(con)))
    if wal_of(final).exists():  # DuckDB would read that log as the backup's own
        raise UsageProblem("backup.log_beside", path=str(final), log=str(wal_of(final)))
    staged = gate.staging_name(final, store=target is None)
    try:
        gate.creating(lambda: copy_database(con, staged), final, store=target is None)
        loads = check_whole(staged)
        if target is not None and target.exists():
            placed = gate.replace_with(staged, target)  # --force, onto a regular file the gate allows
        else:
            placed = gate.claim(staged, final, numbered=target is None)
    finally:
        gate.remove_staged(staged)
    return Copy(placed, placed.stat().st_size, loads)


@dataclass(frozen=True)
class BeforeLoad:
    """The copy kept before a load, and the number the load's first file will get."""

    path: Path
    load_id: int


def stored_timezone(con: duckdb.DuckDBPyConnection) -> str:
    """The programme's time zone as stored (its backups are named by its clock)."""
    row = fetch_one(con, "SELECT value FROM programme WHERE key = 'timezone'")
    return str(row[0]) if row else DEFAULT_TIMEZONE


def before_load(con: duckdb.DuckDBPyConnection, db: Path, keep: int, at: dt.datetime) -> BeforeLoad | None:
    """Keep the database as it is before a load writes (named by the time and the load's first number); None
    when backups are off (`backups = 0`) or the database holds no load yet (there is nothing to lose)."""
    row = fetch_one(con, "SELECT count(*), coalesce(max(load_id), 0) + 1 FROM loads")
    if keep <= 0 or not row or int(row[0]) == 0:
        return None
    return BeforeLoad(take(con, files.before_load(db, int(row[1]), at)), int(row[1]))


def before_commit(con: duckdb.DuckDBPyConnection, db: Path, keep: int, at: dt.datetime) -> BeforeLoad | None:
    """Inside a load's transaction, before its COMMIT: keep the database as last committed, as `before_load`
    does, but only when the load recorded something (a file that changed nothing costs no copy).

    The copy is read through a second cursor, whose own transaction sees the committed state, not the load's rows.
    """
    written = fetch_one(con, "SELECT coalesce(max(load_id), 0) + 1 FROM loads")
    cursor = con.cursor()
    try:
        committed = fetch_one(cursor, "SELECT coalesce(max(load_id), 0) + 1 FROM loads")
        if written == committed:
            return None
        return before_load(cursor, db, keep, at)
    finally:
        cursor.close()


def after_load(con: duckdb.DuckDBPyConnection, db: Path, kept: BeforeLoad | None, keep: int) -> None:
    """After a load, however it ended: the copy is removed when the database shows that the load recorded nothing
    (unchanged files, a refused or interrupted load), kept otherwise, and the oldest copies beyond `keep` go.
    Asked of the database, not of the load's outcome: a signal just after COMMIT still leaves the copy."""
    if kept is None:
        return
    with interrupts.held():
        try:
            row = fetch_one(con, "SELECT coalesce(max(load_id), 0) + 1 FROM loads")
        except duckdb.Error:
            row = None  # a connection that failed to write (a full disk): keep the copy
        if row is not None and int(row[0]) == kept.load_id:
            kept.path.unlink(missing_ok=True)
            return
        for old in files.beyond(db, keep):
            old.unlink(missing_ok=True)


def _setting(con: duckdb.DuckDBPyConnection, catalogue: str, key: str) -> str | None:
    try:
        row = fetch_one(con, f"SELECT value FROM {ident(catalogue)}.programme WHERE key = ?", [key])
    except duckdb.Error:
        return None
    return None if row is None or row[0] is None else str(row[0])


def _drop_everything(con: duckdb.DuckDBPyConnection, catalogue: str) -> None:
    """Drop every object of the database `catalogue` (views and macros before the tables they read)."""
    where = "database_name = ? AND NOT internal"
    for schema_name, view in con.execute(
        f"SELECT schema_name, view_name FROM duckdb_views() WHERE {where}", [catalogue]
    ).fetchall():
        con.execute(f"DROP VIEW IF EXISTS {ident(catalogue)}.{ident(schema_name)}.{ident(view)}")
    macros = con.execute(
        f"SELECT DISTINCT schema_name, function_name, function_type FROM duckdb_functions() WHERE {where} "
        "AND function_type IN ('macro', 'table_macro')",
        [catalogue],
    ).fetchall()
    for schema_name, macro, kind in macros:
        table = "TABLE " if kind == "table_macro" else ""
        con.execute(f"DROP MACRO {table}IF EXISTS {ident(catalogue)}.{ident(schema_name)}.{ident(macro)}")
    for schema_name, table_name in con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ?", [catalogue]
    ).fetchall():
        con.execute(f"DROP TABLE IF EXISTS {ident(catalogue)}.{ident(schema_name)}.{ident(table_name)} CASCADE")
    for schema_name, sequence in con.execute(
        "SELECT schema_name, sequence_name FROM duckdb_sequences() WHERE database_name = ?", [catalogue]
    ).fetchall():
        con.execute(f"DROP SEQUENCE IF EXISTS {ident(catalogue)}.{ident(schema_name)}.{ident(sequence)}")
    for schema_name, type_name in con.execute(
        f"SELECT schema_name, type_name FROM duckdb_types() WHERE {where}", [catalogue]
    ).fetchall():
        con.execute(f"DROP TYPE IF EXISTS {ident(catalogue)}.{ident(schema_name)}.{ident(type_name)}")


def _refuse_other_programme(con: duckdb.DuckDBPyConnection, backup: Path, other_programme: bool) -> None:
    """A backup of another programme (another 予算事業ID) is restored only when asked for by name."""
    con.execute(f"ATTACH {literal(backup)} AS {SOURCE} (READ_ONLY)")
    try:
        ours, theirs = _setting(con, current(con), "project_id"), _setting(con, SOURCE, "project_id")
    finally:
        con.execute(f"DETACH {SOURCE}")
    if not other_programme and ours and theirs and ours != theirs:
        raise UsageProblem("restore.other_programme", backup=str(backup), theirs=theirs, ours=ours)


def _copy_in(con: duckdb.DuckDBPyConnection, db: Path, backup: Path) -> None:
    """Replace everything in the database `con` holds with the backup's content and bring its schema up to date,
    in one transaction: a backup whose tables turn out not to be kpi's leaves the database as it was."""
    con.execute(f"ATTACH {literal(backup)} AS {SOURCE} (READ_ONLY)")
    try:
        here = current(con)
        with transaction(con, kept="restore.kept"):
            _drop_everything(con, here)
            con.execute(f"COPY FROM DATABASE {SOURCE} TO {ident(here)}")
            version = schema_version(con)
            if not 0 < version <= SCHEMA_VERSION or other_shape(con):
                raise DatabaseUnreadable("backup.not_kpi", path=str(backup))
            if version < SCHEMA_VERSION:
                try:
                    migrate(con, version)
                except duckdb.Error as exc:  # tables of a later version under an earlier one's number
                    raise DatabaseUnreadable("backup.not_kpi", path=str(backup)) from exc
    finally:
        con.execute(f"DETACH {SOURCE}")
    read_whole(con)


def restore(db: Path, backup: Path, wait: float, other_programme: bool = False) -> Restored:
    """Put a backup's content in the database, keeping the state it replaces in a new file beside it.

    The backup is read whole first (with its log, which DuckDB replays); a database another process holds is
    waited for (exit 75). A database whose damage shows only now (an index block) is replaced as a file."""
    if _same_file(db, backup):
        raise UsageProblem("restore.same_file", path=str(db))
    if db.is_dir():
        raise UsageProblem("db.is_folder", path=str(db), example=str(db / files.DEFAULT_DB))
    check_whole(backup)
    if wal_of(backup).exists():
        notice("restore.with_log", backup=str(backup), log=str(wal_of(backup)))
    existed = db.exists()
    try:
        with open_for_write(db, wait) as con:
            if not backup.is_file():  # a copy a load pruned while this restore waited for the lock
                raise UsageProblem("backup.not_a_file", path=str(backup))
            _refuse_other_programme(con, backup, other_programme)
            at = now_in(stored_timezone(con))
            aside = take(con, files.replaced(db, at)) if existed else None
            _copy_in(con, db, backup)
            return Restored(db, backup, aside)
    except DatabaseDamaged:
        if not existed:
            raise
    return _replace_damaged(db, backup, wait)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _replace_damaged(db: Path, backup: Path, wait: float) -> Restored:
    """A database too damaged to restore in place: the backup's content is built into a new file, which takes the
    database's name; the damaged file and its log are kept aside first (kpi.db.gate.swap_in)."""
    staged = gate.staging_name(db)
    try:
        with open_for_write(staged, wait) as con:
            _copy_in(con, staged, backup)
        aside = gate.swap_in(staged, db, files.replaced(db, now_in()))
        interrupts.keep("restore.kept", path=str(db))
    finally:
        gate.remove_staged(staged)
    notice("restore.damaged_kept", path=str(db), aside=str(aside))
    return Restored(db, backup, aside)
