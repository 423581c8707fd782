"""Writing one `kpi load` into the database: every file in one transaction, each row replacing its key."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from kpi.db.connect import fetch_one, transaction
from kpi.db.schema import TABLE_KEYS


@dataclass(frozen=True)
class Incoming:
    """One checked file ready to be written: its rows per table (polars frames), or programme settings."""

    path: Path
    kind: str
    sha256: str
    tables: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, str] | None = None


@dataclass(frozen=True)
class FileResult:
    """What a load did with one file; `same_as` names the earlier load of the same content when nothing changed."""

    file: str
    kind: str
    rows: int
    inserted: int
    updated: int
    load_id: int | None
    same_as: tuple[int, str] | None = None


def _next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    row = fetch_one(con, "SELECT coalesce(max(load_id), 0) + 1 FROM loads")
    return int(row[0]) if row else 1


def _record_load(con: duckdb.DuckDBPyConnection, source: Incoming, rows: int, inserted: int, updated: int) -> int:
    load_id = _next_load_id(con)
    con.execute(
        "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
        [load_id, source.path.name, source.sha256, source.kind, rows, inserted, updated],
    )
    return load_id


def _previous_load(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple[int, str] | None:
    row = fetch_one(
        con,
        "SELECT load_id, strftime(loaded_at, '%Y-%m-%d %H:%M') FROM loads WHERE sha256 = ? ORDER BY load_id DESC LIMIT 1",
        [sha256],
    )
    return (int(row[0]), str(row[1])) if row else None


def _unchanged(con: duckdb.DuckDBPyConnection, source: Incoming, rows: int) -> FileResult:
    return FileResult(str(source.path), source.kind, rows, 0, 0, None, _previous_load(con, source.sha256))


def _write_programme(con: duckdb.DuckDBPyConnection, source: Incoming) -> FileResult:
    settings = source.settings or {}
    current = dict(con.execute("SELECT key, value FROM programme").fetchall())
    if current == settings:
        return _unchanged(con, source, len(settings))
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


def _write_tables(con: duckdb.DuckDBPyConnection, source: Incoming) -> FileResult:
    """Write one file's rows (one or more tables); an unchanged file records no load."""
    frames = source.tables
    counts = {table: _stage(con, table, frame) for table, frame in frames.items()}
    changed = sum(c for c, _ in counts.values())
    inserted = sum(n for _, n in counts.values())
    rows = int(sum(frame.height for frame in frames.values()))
    if changed == 0:
        for table in frames:
            _drop_staged(con, table)
        return _unchanged(con, source, rows)
    load_id = _record_load(con, source, rows, inserted, changed - inserted)
    for table, frame in frames.items():
        _apply(con, table, [c for c in frame.columns if c != "_line"], load_id, *counts[table])
    return FileResult(str(source.path), source.kind, rows, inserted, changed - inserted, load_id)


def write_sources(con: duckdb.DuckDBPyConnection, sources: list[Incoming]) -> list[FileResult]:
    """Write every checked file in one transaction: all of them, or (on any error) none."""
    results = []
    with transaction(con):
        for source in sources:
            if source.settings is not None:
                results.append(_write_programme(con, source))
            else:
                results.append(_write_tables(con, source))
    return results


def stored_theme_ids(con: duckdb.DuckDBPyConnection) -> Any:
    """Every stored theme_id, as a relation (follow-ups and stage-gate rows must name a known theme)."""
    return con.sql("SELECT theme_id FROM themes")
