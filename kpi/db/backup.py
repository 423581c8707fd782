"""Backups of the database: a consistent copy, checked whole, and a restore that keeps what it replaces.

A copy is taken while this process holds the database for writing (no load can run meanwhile), right after a
CHECKPOINT has put everything into the file: the file alone is then the whole database, and its bytes are copied.
A backup is judged as every database is, by what DuckDB finds when it reads every block of every table.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import duckdb

from kpi import interrupts
from kpi.db import files
from kpi.db.connect import (
    explain,
    fetch_one,
    first_line,
    held_file,
    open_file,
    read_whole,
    refuse_newer,
    schema_version,
)
from kpi.db.files import wal_of
from kpi.errors import DISK_FULL, CannotWrite, DatabaseDamaged, DatabaseUnreadable, UsageProblem
from kpi.fiscal import DEFAULT_TIMEZONE, now_in

CHUNK = 1 << 24


@dataclass(frozen=True)
class Copy:
    """A backup written and checked: where, its size, and the loads it holds."""

    path: Path
    size: int
    loads: int


@dataclass(frozen=True)
class Restored:
    """A restore done: the database, the backup put in its place, and where the replaced file was kept."""

    db: Path
    backup: Path
    kept_aside: Path | None


def _sync_folder(folder: Path) -> None:
    """Make a rename in a folder durable (a crash right after it keeps the new name)."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _copy_file(source: Path | int, target: Path) -> None:
    """Copy a file's bytes (a path, or a descriptor open on it) to `target` (owner-only, 0600) under a temporary
    name, then rename it into place."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary: str | None = None
    try:
        with interrupts.held():  # a temporary file is known (to be removed) as soon as it exists
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as dst:
            if isinstance(source, int):
                _copy_bytes(source, dst.fileno())
            else:
                with open(source, "rb") as src:
                    _copy_bytes(src.fileno(), dst.fileno())
            dst.flush()
            os.fsync(dst.fileno())
        with interrupts.held():
            os.replace(temporary, target)
        _sync_folder(target.parent)
    except BaseException as exc:
        with interrupts.held():
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in DISK_FULL:
            raise CannotWrite("io.disk_full", path=str(target), committed=False) from exc
        raise


def _copy_bytes(src: int, dst: int) -> None:
    """Every byte of the file open on `src`, from its start, onto `dst` (its position is not used: offsets)."""
    size = os.fstat(src).st_size
    sent = 0
    while sent < size:
        if hasattr(os, "sendfile"):
            done = os.sendfile(dst, src, sent, min(CHUNK, size - sent))
        else:  # no sendfile (Windows): read and write
            os.lseek(src, sent, os.SEEK_SET)
            done = os.write(dst, os.read(src, min(CHUNK, size - sent)))
        if done == 0:
            break
        sent += done


def take(con: duckdb.DuckDBPyConnection, db: Path, target: Path) -> None:
    """Copy the database `con` holds for writing to `target`, after a CHECKPOINT (the file is then all of it),
    through the descriptor open_for_write keeps on it (opening the file anew would drop DuckDB's lock). A copy a
    killed process left half-made in the backups folder is removed first (this process holds the database, so no
    other one is making a copy)."""
    for leftover in files.leftovers(db):
        leftover.unlink(missing_ok=True)
    con.execute("CHECKPOINT")
    _copy_file(held_file(db), target)


def check_whole(path: Path) -> int:
    """Open a backup read-only and read every block of every table: the number of loads it holds. A backup that
    is damaged, not kpi's, or of a newer kpi is refused."""
    if not path.is_file():
        raise UsageProblem("backup.not_a_file", path=str(path))
    try:
        con, _ = open_file(path, read_only=True, wait=0)
    except DatabaseDamaged as exc:
        raise DatabaseDamaged("backup.damaged", path=str(path), detail=exc.params.get("detail", "")) from exc
    except DatabaseUnreadable as exc:
        raise DatabaseUnreadable("backup.not_kpi", path=str(path)) from exc
    try:
        version = schema_version(con)
        refuse_newer(path, version)
        if version == 0:
            raise DatabaseUnreadable("backup.not_kpi", path=str(path))
        read_whole(con)
        row = fetch_one(con, "SELECT count(*) FROM loads")
        return int(row[0]) if row else 0
    except duckdb.Error as exc:
        if explain(exc, path) is not None:
            raise DatabaseDamaged("backup.damaged", path=str(path), detail=first_line(exc)) from exc
        raise
    finally:
        con.close()


def checked_copy(con: duckdb.DuckDBPyConnection, db: Path, target: Path | None) -> Copy:
    """`kpi backup`: copy the database to `target` (else into its backups folder, named by the time in the
    programme's calendar) and read the copy back whole before saying it is done."""
    if target is None:
        target = files.taken(db, now_in(stored_timezone(con)))
    take(con, db, target)
    loads = check_whole(target)
    return Copy(target, target.stat().st_size, loads)


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
    kept = BeforeLoad(files.before_load(db, int(row[1]), at), int(row[1]))
    take(con, db, kept.path)
    return kept


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


def refuse_target(db: Path, out: Path | None, force: bool) -> None:
    """`kpi backup --out`: refused (exit 2) when it is the database or its log, or exists and --force is not given;
    a database that is not there is refused as missing (exit 3)."""
    from kpi.errors import NoData

    if not db.exists():
        raise NoData("db.missing", path=str(db))
    if out is None:
        return
    if out.exists() and (out.resolve() in (db.resolve(), wal_of(db).resolve())):
        raise UsageProblem("out.protected", path=str(out))
    if out.exists() and not force:
        raise UsageProblem("cli.would_replace", folder=str(out.parent), names=out.name)


def restore(db: Path, backup: Path, wait: float, at: dt.datetime | None = None) -> Restored:
    """Put a backup in the database's place, atomically, keeping the replaced file (and its write-ahead log) aside
    under a new name. The backup is read whole first; a database another process holds is waited for (exit 75).

    The database is held with a read-only connection meanwhile (no load can start); one too damaged to open
    has nobody else reading or writing it either.
    """
    if db.exists() and db.resolve() == backup.resolve():
        raise UsageProblem("restore.same_file", path=str(db))
    if db.is_dir():
        raise UsageProblem("db.is_folder", path=str(db), example=str(db / "kpi.duckdb"))
    check_whole(backup)
    at = at or now_in()
    holder = None
    if db.exists():
        try:
            holder, _ = open_file(db, read_only=True, wait=wait)
        except (DatabaseDamaged, DatabaseUnreadable):
            holder = None
    try:
        staged = db.with_name(f".{db.name}.restoring")
        _copy_file(backup, staged)
        aside = db.with_name(f"{db.name}.replaced-{at.strftime('%Y%m%dT%H%M%S')}") if db.exists() else None
        with interrupts.held():
            if aside is not None:
                _keep_aside(db, aside)
                if wal_of(db).exists():
                    _keep_aside(wal_of(db), wal_of(aside))
            os.replace(staged, db)
            wal_of(db).unlink(missing_ok=True)
            _sync_folder(db.parent)
            interrupts.keep("restore.kept", path=str(db))
    finally:
        if holder is not None:
            holder.close()
    return Restored(db, backup, aside)


def _keep_aside(path: Path, aside: Path) -> None:
    """A second name for a file about to be replaced (a hard link: the path itself never goes missing)."""
    try:
        os.link(path, aside)
    except OSError:  # a file system without hard links: rename it instead
        os.replace(path, aside)
