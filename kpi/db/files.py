"""The database's files: its default name and wait, its write-ahead log, where its backups live, what they are
named and which is the newest.

Beside `kpi.duckdb` lies `kpi.duckdb.backups/`: `20261202T083012_load-8.duckdb` is the database as it was before
load 8 (kept by `kpi load`, the newest few), `20261202T090000_backup.duckdb` a copy taken by `kpi backup`.
Names start with the time, so that they sort in the order they were taken.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

DEFAULT_DB = "kpi.duckdb"
DEFAULT_WAIT = 30.0  # seconds a command waits for a database another process holds
SUFFIX = ".backups"
BEFORE_LOAD = re.compile(r"^\d{8}T\d{6}_load-\d+(?:-\d+)?\.duckdb$")
TAKEN = re.compile(r"^\d{8}T\d{6}_(?:load-\d+|backup|upgrade-v\d+)(?:-\d+)?\.duckdb$")


def wal_of(db: Path) -> Path:
    """The write-ahead log DuckDB keeps beside a database file."""
    return db.with_name(db.name + ".wal")


def folder(db: Path) -> Path:
    """The folder beside a database that holds its backups."""
    return db.with_name(db.name + SUFFIX)


def _stamp(at: dt.datetime) -> str:
    return at.strftime("%Y%m%dT%H%M%S")


def before_load(db: Path, load_id: int, at: dt.datetime) -> Path:
    """The name of the copy kept before a load (its first load number)."""
    return folder(db) / f"{_stamp(at)}_load-{load_id}.duckdb"


def taken(db: Path, at: dt.datetime) -> Path:
    """The name of a copy `kpi backup` takes (kpi.db.gate.claim numbers a second one in the same second)."""
    return folder(db) / f"{_stamp(at)}_backup.duckdb"


def before_upgrade(db: Path, version: int, at: dt.datetime) -> Path:
    """The name of the copy kept before the schema is upgraded from `version`."""
    return folder(db) / f"{_stamp(at)}_upgrade-v{version}.duckdb"


def replaced(db: Path, at: dt.datetime) -> Path:
    """The name of the copy a restore keeps of the state it replaces (numbered when taken)."""
    return db.with_name(f"{db.name}.replaced-{_stamp(at)}")


def listed(db: Path, pattern: re.Pattern[str] = TAKEN) -> list[Path]:
    """The backups of a database, oldest first (none when its folder is absent)."""
    place = folder(db)
    if not place.is_dir():
        return []
    found = [p for p in place.iterdir() if pattern.match(p.name) and p.is_file()]
    return sorted(found, key=lambda p: (p.name[:15], p.stat().st_mtime_ns, p.name))  # taken in the same second


def newest(db: Path) -> Path | None:
    """The newest backup of a database, if any."""
    found = listed(db)
    return found[-1] if found else None


def beyond(db: Path, keep: int) -> list[Path]:
    """The copies kept before loads that are older than the newest `keep` (a `kpi backup` copy is never pruned)."""
    automatic = listed(db, BEFORE_LOAD)
    return automatic[: max(len(automatic) - keep, 0)]


def store_files(db: Path) -> list[Path]:
    """Every file that is the database's: the file, its write-ahead log, its backups and the files a restore kept
    aside (an output or an input must never be one of them)."""
    aside = sorted(db.parent.glob(f"{glob_escape(db.name)}.replaced-*")) if db.parent.is_dir() else []
    return [db, wal_of(db), folder(db), *aside]


def glob_escape(name: str) -> str:
    """A file name as a glob pattern that matches only itself."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)
