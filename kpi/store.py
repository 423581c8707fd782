"""The DuckDB file: connecting, waiting on a busy file, the schema and its versions, transactions."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from kpi.errors import DatabaseBusy, DatabaseUnreadable, NoData, SchemaTooNew

if TYPE_CHECKING:
    from kpi.ingest import FileResult as FileResultLike
    from kpi.ingest import SourceFile as SourceLike
else:
    FileResultLike = SourceLike = Any

DEFAULT_DB = "kpi.duckdb"
DEFAULT_WAIT = 30.0

# Each entry upgrades the schema by one version; SCHEMA_VERSION is how many there are.
# A database is upgraded in one transaction on the first write; never edit a released entry.
MIGRATIONS: list[str] = [
    # 1: the registry (themes, budget, follow-up surveys), the programme's settings, the audit trail.
    """
    CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
    CREATE TABLE loads (
        load_id INTEGER PRIMARY KEY, file_name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
        kind VARCHAR NOT NULL, row_count BIGINT NOT NULL, inserted BIGINT NOT NULL,
        updated BIGINT NOT NULL, loaded_at TIMESTAMP NOT NULL);
    CREATE TABLE themes (
        theme_id VARCHAR NOT NULL, item TINYINT NOT NULL, funding VARCHAR NOT NULL,
        element VARCHAR NOT NULL, organizations VARCHAR NOT NULL, title VARCHAR NOT NULL,
        start_fy SMALLINT, end_fy SMALLINT NOT NULL, status VARCHAR NOT NULL, load_id INTEGER NOT NULL);
    CREATE TABLE theme_history (
        theme_id VARCHAR NOT NULL, load_id INTEGER NOT NULL,
        old_status VARCHAR NOT NULL, new_status VARCHAR NOT NULL,
        old_end_fy SMALLINT NOT NULL, new_end_fy SMALLINT NOT NULL);
    CREATE TABLE budget (
        fy SMALLINT NOT NULL, budget DECIMAL(24, 8) NOT NULL, executed DECIMAL(24, 8),
        load_id INTEGER NOT NULL);
    CREATE TABLE followups (
        theme_id VARCHAR NOT NULL, survey_fy SMALLINT NOT NULL, stage VARCHAR NOT NULL,
        load_id INTEGER NOT NULL);
    CREATE TABLE programme (key VARCHAR NOT NULL, value VARCHAR NOT NULL, load_id INTEGER NOT NULL);
    """,
    # 2: the evaluation's other figures: outputs and patents, grants, stage-gate scores, working-group grades.
    """
    CREATE TABLE outputs (
        fy SMALLINT NOT NULL, papers BIGINT NOT NULL, presentations BIGINT NOT NULL,
        patents_domestic BIGINT NOT NULL, patents_foreign BIGINT NOT NULL, patents_pct BIGINT NOT NULL,
        load_id INTEGER NOT NULL);
    CREATE TABLE grants (
        as_of_date DATE NOT NULL, granted_domestic BIGINT NOT NULL, granted_foreign BIGINT NOT NULL,
        load_id INTEGER NOT NULL);
    CREATE TABLE stagegate (
        theme_id VARCHAR NOT NULL, review_fy SMALLINT NOT NULL, reviewer VARCHAR NOT NULL,
        score DECIMAL(5, 2) NOT NULL, load_id INTEGER NOT NULL);
    CREATE TABLE evaluation (
        criterion VARCHAR NOT NULL, member VARCHAR NOT NULL, grade VARCHAR, position INTEGER NOT NULL,
        load_id INTEGER NOT NULL);
    CREATE TABLE published (
        figure VARCHAR NOT NULL, as_of_fy SMALLINT NOT NULL, value VARCHAR NOT NULL, source VARCHAR NOT NULL,
        load_id INTEGER NOT NULL);
    CREATE TABLE rs_budget (
        sheet_fy BIGINT NOT NULL, project_id BIGINT NOT NULL, project_name VARCHAR, budget_fy BIGINT NOT NULL,
        initial BIGINT, supplementary BIGINT, carried_in BIGINT, reserve BIGINT, "current" BIGINT, executed BIGINT,
        execution_rate DECIMAL(38, 10), carried_out BIGINT, requested_next BIGINT, execution_reported BOOLEAN NOT NULL,
        load_id INTEGER NOT NULL);
    CREATE TABLE rs_indicators (
        sheet_fy BIGINT NOT NULL, project_id BIGINT NOT NULL, project_name VARCHAR, seq BIGINT NOT NULL,
        number BIGINT, kind VARCHAR, period VARCHAR, goal_type VARCHAR, name VARCHAR, indicator VARCHAR,
        unit VARCHAR, direction VARCHAR, direction_text VARCHAR, source VARCHAR, target_years BIGINT[],
        load_id INTEGER NOT NULL);
    CREATE TABLE rs_values (
        sheet_fy BIGINT NOT NULL, project_id BIGINT NOT NULL, seq BIGINT NOT NULL, number BIGINT, fy BIGINT NOT NULL,
        target DECIMAL(38, 10), actual DECIMAL(38, 10), achievement_rate DECIMAL(38, 10), is_target_year BOOLEAN,
        load_id INTEGER NOT NULL);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

_commits = 0  # transactions committed by this process (a signal after one must not claim nothing was written)


def committed() -> bool:
    """Whether this process has committed a transaction."""
    return _commits > 0


_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


def db_path(option: str | None) -> Path:
    """The database file: --db, else $KPI_DB, else ./kpi.duckdb."""
    return Path(option or os.environ.get("KPI_DB") or DEFAULT_DB)


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() and ("Conflicting" in text or "Could not set lock" in text)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _refuse_non_database(path: Path) -> None:
    """An existing file that is not a DuckDB database (DuckDB 2 would open a CSV as an in-memory view)."""
    if path.exists() and path.stat().st_size > 0:
        with open(path, "rb") as f:
            head = f.read(12)
        if head[8:12] != b"DUCK":
            raise DatabaseUnreadable(f"cannot open database {path}: it is not a DuckDB database file")


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
                raise DatabaseUnreadable(f"cannot open database {path}: {_first_line(exc)}") from exc
            if time.monotonic() >= deadline:
                m = _LOCK_HOLDER.search(str(exc))
                holder = f" (held by {m.group(1)}, PID {m.group(2)})" if m else ""
                raise DatabaseBusy(
                    f"database {path} is busy{holder}; gave up after {wait:g} s "
                    "(try again, or raise --wait / $KPI_WAIT)"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 1.5, 0.5)
        except duckdb.Error as exc:
            raise DatabaseUnreadable(f"cannot open database {path}: {_first_line(exc)}") from exc


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> tuple[Any, ...] | None:
    """The first row of a query, reading the result to its end (DuckDB 2.0 refuses new work on a
    connection while a result is unread)."""
    rows = con.execute(sql, params).fetchall()
    return rows[0] if rows else None


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version recorded in the file; 0 for a file without kpi's tables."""
    has_meta = fetch_one(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'")
    if not has_meta or has_meta[0] == 0:
        return 0
    row = fetch_one(con, "SELECT value FROM meta WHERE key = 'schema_version'")
    return int(row[0]) if row else 0


def _refuse_newer(path: Path, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"database {path} has schema version {version}, newer than this kpi knows "
            f"({SCHEMA_VERSION}); upgrade kpi to read it"
        )


def upgrade(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Bring the schema to SCHEMA_VERSION in one transaction (nothing to do when current)."""
    version = schema_version(con)
    _refuse_newer(path, version)
    if version == SCHEMA_VERSION:
        return
    if version == 0 and fetch_one(con, "SELECT count(*) FROM information_schema.tables") != (0,):
        raise DatabaseUnreadable(f"{path} is a DuckDB database but not kpi's (it has other tables); use another --db")
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
        raise NoData(f"no database at {path}; load data first: kpi load sample_data/")
    con = _connect(path, read_only=True, wait=wait)
    try:
        version = schema_version(con)
        _refuse_newer(path, version)
        if version == 0:
            raise NoData(f"{path} holds no kpi data; load data first: kpi load sample_data/")
        if version < SCHEMA_VERSION:
            con.close()
            with open_for_write(path, wait):
                pass
            con = _connect(path, read_only=True, wait=wait)
        yield con
    finally:
        con.close()


# The natural key of each table: a reload replaces the rows whose key it gives.
TABLE_KEYS = {
    "themes": ["theme_id"],
    "budget": ["fy"],
    "followups": ["theme_id", "survey_fy"],
    "outputs": ["fy"],
    "grants": ["as_of_date"],
    "stagegate": ["theme_id", "review_fy", "reviewer"],
    "evaluation": ["criterion", "member"],
    "published": ["figure", "as_of_fy"],
    "rs_budget": ["project_id", "sheet_fy", "budget_fy"],
    "rs_indicators": ["project_id", "sheet_fy", "seq"],
    "rs_values": ["project_id", "sheet_fy", "seq", "fy"],
}


def _next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    row = fetch_one(con, "SELECT coalesce(max(load_id), 0) + 1 FROM loads")
    return int(row[0]) if row else 1


def _record_load(con: duckdb.DuckDBPyConnection, source: SourceLike, rows: int, inserted: int, updated: int) -> int:
    load_id = _next_load_id(con)
    con.execute(
        "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
        [load_id, source.path.name, source.sha256, source.kind, rows, inserted, updated],
    )
    return load_id


def _previous_load(con: duckdb.DuckDBPyConnection, sha256: str) -> str:
    row = fetch_one(
        con,
        "SELECT load_id, strftime(loaded_at, '%Y-%m-%d %H:%M') FROM loads WHERE sha256 = ? ORDER BY load_id DESC LIMIT 1",
        [sha256],
    )
    return f"unchanged: same content as load #{row[0]} of {row[1]}" if row else "unchanged: every row is already stored"


def _write_programme(con: duckdb.DuckDBPyConnection, source: SourceLike) -> FileResultLike:
    from kpi.ingest import FileResult

    settings = source.settings or {}
    current = dict(con.execute("SELECT key, value FROM programme").fetchall())
    if current == settings:
        return FileResult(str(source.path), source.kind, len(settings), 0, 0, None, _previous_load(con, source.sha256))
    load_id = _record_load(con, source, len(settings), len(settings), 0)
    con.execute("DELETE FROM programme")
    con.executemany("INSERT INTO programme VALUES (?, ?, ?)", [[k, v, load_id] for k, v in settings.items()])
    return FileResult(str(source.path), source.kind, len(settings), len(settings), 0, load_id)


def _stage(con: duckdb.DuckDBPyConnection, table: str, records: Any) -> tuple[int, int]:
    """Compare incoming rows with the table by key into `changed_<table>`: (changed, new).

    An empty table takes every row as new: `changed_<table>` is then the incoming Arrow stream itself
    (no join, no copy), which is what every first load of a large file does.
    """
    key = TABLE_KEYS[table]
    records = records.drop("_line", strict=False)
    columns = list(records.columns)
    incoming = con.from_arrow(records.__arrow_c_stream__())
    if fetch_one(con, f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT 1)") == (0,):
        con.register(f"changed_{table}", incoming.project(", ".join(f'"{c}"' for c in columns) + ", true AS is_new"))
        return records.height, records.height
    con.register("incoming", incoming)
    on = " AND ".join(f"i.{k} = t.{k}" for k in key)
    differs = " OR ".join(f'i."{c}" IS DISTINCT FROM t."{c}"' for c in columns if c not in key)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE changed_{table} AS SELECT i.*, t.{key[0]} IS NULL AS is_new "
        f"FROM incoming i LEFT JOIN {table} t ON {on} WHERE t.{key[0]} IS NULL OR {differs}"
    )
    con.unregister("incoming")
    row = fetch_one(con, f"SELECT count(*), count(*) FILTER (is_new) FROM changed_{table}")
    return (int(row[0]), int(row[1])) if row else (0, 0)


def _drop_staged(con: duckdb.DuckDBPyConnection, table: str) -> None:
    staged = f"changed_{table}"
    if fetch_one(con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND temporary", [staged]) == (1,):
        con.execute(f"DROP TABLE {staged}")
    else:
        con.unregister(staged)


def _apply(
    con: duckdb.DuckDBPyConnection, table: str, columns: list[str], load_id: int, changed: int, new: int
) -> None:
    """Replace the changed rows of `table` by key and insert the new ones, all tagged with the load."""
    key = TABLE_KEYS[table]
    on = " AND ".join(f"i.{k} = t.{k}" for k in key)
    staged = f"changed_{table}"
    if changed > new:  # some rows replace stored ones: keep the old status, then remove them
        if table == "themes":
            con.execute(
                f"INSERT INTO theme_history SELECT t.theme_id, ?, t.status, c.status, t.end_fy, c.end_fy "
                f"FROM {staged} c JOIN themes t USING (theme_id) "
                "WHERE c.status IS DISTINCT FROM t.status OR c.end_fy IS DISTINCT FROM t.end_fy",
                [load_id],
            )
        con.execute(f"DELETE FROM {table} t WHERE EXISTS (SELECT 1 FROM {staged} i WHERE NOT i.is_new AND {on})")
    cols = ", ".join(f'"{c}"' for c in columns)
    con.execute(f"INSERT INTO {table} ({cols}, load_id) SELECT {cols}, ? FROM {staged}", [load_id])
    _drop_staged(con, table)


def _write_tables(con: duckdb.DuckDBPyConnection, source: SourceLike, frames: dict[str, Any]) -> FileResultLike:
    """Write one file's rows (one or more tables); an unchanged file records no load."""
    from kpi.ingest import FileResult

    counts = {table: _stage(con, table, frame) for table, frame in frames.items()}
    changed = sum(c for c, _ in counts.values())
    inserted = sum(n for _, n in counts.values())
    rows = int(sum(frame.height for frame in frames.values()))
    if changed == 0:
        for table in frames:
            _drop_staged(con, table)
        return FileResult(str(source.path), source.kind, rows, 0, 0, None, _previous_load(con, source.sha256))
    load_id = _record_load(con, source, rows, inserted, changed - inserted)
    for table, frame in frames.items():
        _apply(con, table, [c for c in frame.columns if c != "_line"], load_id, *counts[table])
    return FileResult(str(source.path), source.kind, rows, inserted, changed - inserted, load_id)


def write_sources(
    con: duckdb.DuckDBPyConnection, sources: list[SourceLike], records: dict[int, object]
) -> list[FileResultLike]:
    """Write every validated file in one transaction: all of them, or (on any error) none."""
    results = []
    with transaction(con):
        for i, source in enumerate(sources):
            if source.kind == "programme":
                results.append(_write_programme(con, source))
            elif source.kind == "rs":
                rs = source.rs
                frames = (
                    {"rs_budget": rs.budget}
                    if rs.budget is not None
                    else {"rs_indicators": rs.indicators, "rs_values": rs.values}
                )
                results.append(_write_tables(con, source, frames))
            else:
                results.append(_write_tables(con, source, {source.kind: records[i]}))
    return results


def stored_project_id(path: Path, wait: float = DEFAULT_WAIT) -> int | None:
    """The 予算事業ID of the stored programme settings, if any (for RS files loaded without --project-id)."""
    if not path.exists():
        return None
    with open_for_read(path, wait) as con:
        row = fetch_one(con, "SELECT value FROM programme WHERE key = 'project_id'")
    return int(row[0]) if row else None
