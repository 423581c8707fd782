"""Writing one `kpi load` into the database: every file in one transaction.

Nothing stored is overwritten or deleted (kpi.db.schema, version 5). A themes file is a dated list (theme_lists,
theme_rows): a new date adds a list, the same date adds a new version of that date's list and supersedes the one
before, the same content changes nothing. Every other kind supersedes the current rows whose natural key it gives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from itertools import groupby
from pathlib import Path
from typing import Any

import duckdb

from kpi.db import stage
from kpi.db.carried import listed
from kpi.db.connect import fetch_one, transaction
from kpi.db.schema import TABLE_KEYS, THEME_COLUMNS, THEME_FIELDS, versions_of
from kpi.db.stage import Staged
from kpi.errors import Failure, InputRejected

MISSING_LISTED = 20  # theme ids named in a load's result when themes are missing from a newer list
NONE = "—"  # a stored programme setting that was never given, as a refusal names it


@dataclass(frozen=True)
class Incoming:
    """One checked file ready to be written: its rows per table (polars frames), or programme settings.

    A themes file carries the date its list describes (`snapshot`) and where that date came from (`snapshot_from`:
    option, name or today); `skipped` counts rows the reader left out on purpose (a survey sheet's unanswered rows);
    `loaded_at` is the load's time in the programme's calendar.
    """

    path: Path
    kind: str
    sha256: str
    loaded_at: dt.datetime
    tables: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, str] | None = None
    snapshot: dt.date | None = None
    snapshot_from: str | None = None
    skipped: int = 0


@dataclass(frozen=True)
class ListChange:
    """What a themes list is against the list before it: replaced or new, and the themes it no longer has."""

    snapshot: dt.date
    replaced: bool
    previous: dt.date | None
    missing: int
    missing_ids: tuple[str, ...]


@dataclass(frozen=True)
class FileResult:
    """What a load did with one file; `same_as` names the earlier load of the same content when nothing changed.

    For a themes file, inserted and updated count the themes new to its list's predecessor and those with any
    column changed, `changed_fields` how many changed in each column; `list_change` says which list it wrote.
    """

    file: str
    kind: str
    rows: int
    inserted: int
    updated: int
    load_id: int | None
    same_as: tuple[int, str] | None = None
    snapshot: dt.date | None = None
    list_change: ListChange | None = None
    skipped: int = 0
    snapshot_from: str | None = None
    changed_fields: tuple[tuple[str, int], ...] = ()


def _next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    row = fetch_one(con, "SELECT coalesce(max(load_id), 0) + 1 FROM loads")
    return int(row[0]) if row else 1


def _record_load(
    con: duckdb.DuckDBPyConnection,
    source: Incoming,
    rows: int,
    inserted: int,
    updated: int,
    renumbered: str | None = None,
) -> int:
    load_id = _next_load_id(con)
    con.execute(
        "INSERT INTO loads (load_id, file_name, sha256, kind, row_count, inserted, updated, loaded_at, snapshot, "
        "snapshot_from, renumbered) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            source.path.name,
            source.sha256,
            source.kind,
            rows,
            inserted,
            updated,
            source.loaded_at,
            source.snapshot,
            source.snapshot_from,
            renumbered,
        ],
    )
    return load_id


def _previous_load(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple[int, str] | None:
    row = fetch_one(
        con,
        "SELECT load_id, strftime(loaded_at, '%Y-%m-%d %H:%M') FROM loads WHERE sha256 = ? AND undoes IS NULL "
        "ORDER BY load_id DESC LIMIT 1",
        [sha256],
    )
    return (int(row[0]), str(row[1])) if row else None


def _unchanged(con: duckdb.DuckDBPyConnection, source: Incoming, rows: int) -> FileResult:
    return FileResult(
        str(source.path),
        source.kind,
        rows,
        0,
        0,
        None,
        _previous_load(con, source.sha256),
        snapshot=source.snapshot,
        skipped=source.skipped,
        snapshot_from=source.snapshot_from,
    )


def _write_programme(con: duckdb.DuckDBPyConnection, source: Incoming, renumbered: str | None) -> FileResult:
    """Programme settings replacing the stored ones; settings of another 予算事業ID are refused unless `renumbered`
    gives the reason the ID changed (kept with the load)."""
    settings = source.settings or {}
    current = dict(con.execute("SELECT key, value FROM programme").fetchall())
    if current == settings:
        return _unchanged(con, source, len(settings))
    stored, new = current.get("project_id"), settings.get("project_id")
    other = stored is not None and new is not None and str(stored) != str(new)
    if other and renumbered is None:
        params = {"new": new, "stored": stored, "name": current.get("name") or NONE}
        failure = Failure(str(source.path), None, "", None, "load.other_programme", params)
        raise InputRejected("load.other_programme", [failure], **params)
    load_id = _record_load(con, source, len(settings), len(settings), 0, renumbered if other else None)
    con.execute("UPDATE programme_versions SET superseded_by = ? WHERE superseded_by IS NULL", [load_id])
    con.executemany(
        "INSERT INTO programme_versions VALUES (?, ?, ?, NULL)", [[k, v, load_id] for k, v in settings.items()]
    )
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
    """Supersede the current rows of `table` whose key a changed row gives, and add the changed and new rows as
    current, all tagged with the load."""
    key = TABLE_KEYS[table]
    on = " AND ".join(f"i.{k} = t.{k}" for k in key)
    staged = f"changed_{table}"
    stored = versions_of(table)
    if changed > new:  # some rows supersede stored ones
        con.execute(
            f"UPDATE {stored} t SET superseded_by = $load WHERE t.superseded_by IS NULL "
            f"AND EXISTS (SELECT 1 FROM {staged} i WHERE NOT i.is_new AND {on})",
            {"load": load_id},
        )
    cols = ", ".join(f'"{c}"' for c in columns)
    con.execute(f"INSERT INTO {stored} ({cols}, load_id) SELECT {cols}, ? FROM {staged}", [load_id])
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
    return FileResult(
        str(source.path), source.kind, rows, inserted, changed - inserted, load_id, skipped=source.skipped
    )


def _list_at(con: duckdb.DuckDBPyConnection, snapshot: dt.date) -> int | None:
    row = fetch_one(con, "SELECT list_id FROM theme_lists WHERE snapshot = ?", [snapshot])
    return int(row[0]) if row else None


def _list_before(con: duckdb.DuckDBPyConnection, snapshot: dt.date) -> tuple[int, dt.date] | None:
    row = fetch_one(
        con, "SELECT list_id, snapshot FROM theme_lists WHERE snapshot < ? ORDER BY snapshot DESC LIMIT 1", [snapshot]
    )
    return (int(row[0]), row[1]) if row else None


def _list_followed(con: duckdb.DuckDBPyConnection, snapshot: dt.date) -> tuple[int, dt.date] | None:
    """The stored list a list of `snapshot` follows: the latest dated on or before it, else the earliest."""
    row = fetch_one(
        con,
        "SELECT list_id, snapshot FROM theme_lists ORDER BY snapshot > $s, abs(date_diff('day', snapshot, $s)) LIMIT 1",
        {"s": snapshot},
    )
    return (int(row[0]), row[1]) if row else None


def _refuse_another_programme(
    con: duckdb.DuckDBPyConnection, parts: list[Incoming], incoming: str, renumbered: str | None
) -> bool:
    """Refuse a list (the table `incoming`) whose theme IDs shared with the stored list it follows (the themes it
    holds, carried ones included: kpi.db.carried) are fewer than half of the smaller list's: another programme's
    list, unless `renumbered` says the IDs were renumbered. Whether the reason was needed.

    Half of the smaller list: a list that grows (a new call's themes) or is sent in part shares all of the smaller
    one; another programme's shares next to none.
    """
    snapshot = parts[0].snapshot
    assert snapshot is not None
    followed = _list_followed(con, snapshot)
    if followed is None:
        return False
    holds = f"SELECT theme_id FROM {listed('$l')}"  # the themes it holds, those it carries included
    if _unique(parts):  # one pass: each held theme matched against incoming IDs that are known to be unique
        counted = f"""SELECT {parts[0].tables["themes"].height}, count(*), count(i.theme_id)
            FROM (SELECT DISTINCT theme_id FROM ({holds})) h LEFT JOIN {incoming} i USING (theme_id)"""
    else:
        counted = (
            f"SELECT (SELECT count(DISTINCT theme_id) FROM {incoming}), "
            f"(SELECT count(DISTINCT theme_id) FROM ({holds})), "
            f"(SELECT count(*) FROM (SELECT theme_id FROM {incoming} INTERSECT {holds}))"
        )
    row = fetch_one(con, counted, {"l": followed[0]})
    ids, held, shared = (int(row[0]), int(row[1]), int(row[2])) if row else (0, 0, 0)
    if shared * 2 >= min(ids, held):
        return False
    if renumbered is not None:
        return True
    files = ", ".join(str(part.path) for part in parts)
    params = {
        "shared": shared,
        "ids": ids,
        "previous": followed[1].isoformat(),
        "held": held,
        "name": stored_setting(con, "name") or NONE,
        "project_id": stored_setting(con, "project_id") or NONE,
    }
    failure = Failure(files, None, "", None, "load.another_programmes_list", params)
    raise InputRejected("load.another_programmes_list", [failure], **params)


def _refuse_dropped(
    con: duckdb.DuckDBPyConnection, parts: list[Incoming], incoming: str, stored: int, snapshot: dt.date
) -> None:
    """Refuse a corrected list (the table `incoming`) that leaves out a theme the list it corrects gave and no earlier
    list names: the theme would leave every figure as a side effect of a missing row. A theme leaves explicitly,
    listed as 採択取消; one an earlier list names stays with its state there (it is carried)."""
    dropped = f"""SELECT theme_id FROM theme_rows WHERE list_id = $l
        EXCEPT SELECT theme_id FROM {incoming}
        EXCEPT SELECT r.theme_id FROM theme_rows r JOIN theme_lists t USING (list_id) WHERE t.snapshot < $s"""
    ids = [str(i) for (i,) in con.execute(f"{dropped} ORDER BY 1", {"l": stored, "s": snapshot}).fetchall()]
    if not ids:
        return
    files = ", ".join(str(part.path) for part in parts)
    params = {"date": snapshot.isoformat(), "n": len(ids), "ids": " ".join(ids[:MISSING_LISTED])}
    failure = Failure(files, None, "", None, "load.correction_drops_themes", params)
    raise InputRejected("load.correction_drops_themes", [failure], **params)


def _rows_of(con: duckdb.DuckDBPyConnection, records: Any, name: str) -> str:
    """Where a themes file's checked rows can be read in SQL: its staged table, or its polars frame registered as
    `name` (read once)."""
    if isinstance(records, Staged):
        return records.table
    con.register(name, con.from_arrow(records.select(THEME_COLUMNS).__arrow_c_stream__()))
    return name


def _first_list(con: duckdb.DuckDBPyConnection, parts: list[Incoming]) -> list[FileResult] | None:
    """The first list of an empty database, staged by DuckDB: its staged table becomes theme_rows (no copy)."""
    staged = parts[0].tables["themes"]
    if len(parts) != 1 or not isinstance(staged, Staged) or not staged.recoded:
        return None
    if fetch_one(con, "SELECT (SELECT count(*) FROM theme_lists_versions) + (SELECT count(*) FROM theme_rows)") != (0,):
        return None
    part, snapshot = parts[0], parts[0].snapshot
    assert snapshot is not None
    load_id = _record_load(con, part, staged.height, staged.height, 0)
    list_id = 1
    con.execute("INSERT INTO theme_lists_versions VALUES (?, ?, ?, NULL)", [list_id, snapshot, load_id])
    if stage.finish(con, staged, list_id, load_id):
        stage.take_place(con, staged)
    else:  # the staged table's layout is not theme_rows' (it always is): copy it
        cols = ", ".join(THEME_COLUMNS)
        con.execute(
            f"INSERT INTO theme_rows (list_id, {cols}, load_id) SELECT {list_id}, {cols}, {load_id} FROM {staged.table}"
        )
        stage.drop(con, staged)
    change = ListChange(snapshot, False, None, 0, ())
    result = FileResult(str(part.path), part.kind, staged.height, staged.height, 0, load_id, None, snapshot, change)
    return [replace(result, snapshot_from=part.snapshot_from)]


# About how many of a file's rows one join of _joined_counts takes: the hash table of the stored rows they meet is
# the largest part of a correction's memory, so a larger file is compared in parts (its theme IDs split by their
# hash, so the parts are about, not exactly, this size). 1,000,000 themes in two parts: 1.1× a load's peak, not 1.4×.
COMPARED_PER_PASS = 500_000


@dataclass(frozen=True)
class Against:
    """A file's themes against a stored list: new to it, changed since it (and how many in each column, THEME_FIELDS
    order, columns that changed in no theme left out); for a file whose theme IDs are unique, whether it is that
    list exactly (`same`), whether it gives every theme that list gives (`covers`) and whether at least half its IDs
    are in that list (`half_shared`)."""

    new: int
    changed: int
    fields: tuple[tuple[str, int], ...] = ()
    same: bool = False
    covers: bool = False
    half_shared: bool = False


def _against(con: duckdb.DuckDBPyConnection, part: Incoming, previous: tuple[int, dt.date] | None) -> Against:
    """A file's themes compared with the stored list `previous` (none: every theme is new), by a join on theme_id
    (for a large file, one join per part of the theme IDs: _joined_counts).

    With the file's theme IDs unique, the join pairs each stored row with at most one of the file's: the file is the
    list exactly when every one of its rows found one stored row equal in every column and the list holds no other
    (the multisets equal, as `EXCEPT ALL` both ways would find), and it gives every theme the list gives when every
    stored row was paired.
    """
    rows = part.tables["themes"].height
    if previous is None:
        return Against(rows, 0)
    records = part.tables["themes"]
    named = _attribute_names(con, previous[0])
    name = _rows_of(con, records, "part")
    try:
        counts = _joined_counts(con, name, previous[0], rows, named, once=not isinstance(records, Staged))
    finally:
        if not isinstance(records, Staged):
            con.unregister(name)
    listed = fetch_one(con, "SELECT count(*) FROM theme_rows WHERE list_id = $l", {"l": previous[0]})
    listed_rows = int(listed[0]) if listed else 0
    joined, paired, new, changed, *per_column = counts
    counted = zip((*THEME_FIELDS, *named), per_column, strict=True)
    fields = tuple((c, n) for c, n in counted if n)
    same = new == 0 and changed == 0 and joined == rows == listed_rows
    return Against(new, changed, fields, same, paired == listed_rows, (rows - new) * 2 >= rows)


def _joined_counts(
    con: duckdb.DuckDBPyConnection, name: str, list_id: int, rows: int, named: list[str], once: bool
) -> list[int]:
    """The file's rows (`name`, `rows` of them) LEFT JOINed on theme_id to the stored list `list_id`, counted: the
    join's rows, those paired, those new, those changed (any column or attribute), then how many changed in each
    column (THEME_FIELDS) and in each attribute `named`.

    A file of more than COMPARED_PER_PASS rows is joined in parts, its theme IDs and the list's split alike by
    hash(theme_id), and the counts summed: each theme meets its stored row in exactly one part. A frame registered
    to be read `once` is first kept in a temporary table for the parts (dropped with the load's transaction if a
    part fails).
    """
    parts = max(1, -(-rows // COMPARED_PER_PASS))
    if parts > 1 and once:
        con.execute(f"CREATE OR REPLACE TEMP TABLE compared_rows AS SELECT * FROM {name}")
        name = "compared_rows"
    differs = [f"p.{c} IS DISTINCT FROM r.{c}" for c in THEME_FIELDS]
    per_field = ", ".join(f"count(*) FILTER (r.theme_id IS NOT NULL AND {d})" for d in differs)
    per_name = "".join(
        f", count(*) FILTER (r.theme_id IS NOT NULL AND list_contains(d.names, $n{i}))" for i in range(len(named))
    )
    totals: list[int] = []
    for k in range(parts):
        # (the part as literals: with parameters DuckDB filtered after the scan, about 3× slower)
        share = f"hash(theme_id) % {int(parts)} = {int(k)}" if parts > 1 else "true"
        row = fetch_one(
            con,
            f"""SELECT count(*), count(r.theme_id), count(*) FILTER (r.theme_id IS NULL),
                      count(*) FILTER (r.theme_id IS NOT NULL AND ({" OR ".join(differs)} OR d.theme_id IS NOT NULL)),
                      {per_field}{per_name}
               FROM (SELECT * FROM {name} WHERE {share}) p
               LEFT JOIN (SELECT * FROM theme_rows WHERE list_id = $l AND {share}) r ON r.theme_id = p.theme_id
               LEFT JOIN {ATTRIBUTES_DIFFER} d ON d.theme_id = p.theme_id""",
            {"l": list_id, **{f"n{i}": attribute for i, attribute in enumerate(named)}},
        )
        counted = [int(n) for n in row or ()]
        totals = [a + b for a, b in zip(totals, counted, strict=True)] if totals else counted
    if name == "compared_rows":
        con.execute("DROP TABLE compared_rows")
    return totals


# A list's theme attributes as its files give them (schemas.themes.WithAttributes: a column per attribute after
# the theme's own), one row per theme and attribute given; and, against the stored list $l, the themes whose
# attributes differ (a value changed, given or taken away) with the names of those attributes.
ATTRIBUTES_IN = "incoming_attributes"
ATTRIBUTES_DIFFER = f"""(SELECT theme_id, list(DISTINCT name) AS names FROM (
        SELECT coalesce(i.theme_id, s.theme_id) AS theme_id, coalesce(i.name, s.name) AS name
        FROM {ATTRIBUTES_IN} i FULL JOIN (SELECT * FROM theme_attributes WHERE list_id = $l) s
          ON i.theme_id = s.theme_id AND i.name = s.name
        WHERE i.value IS DISTINCT FROM s.value) GROUP BY theme_id)"""


def _keep_attributes(con: duckdb.DuckDBPyConnection, parts: list[Incoming]) -> None:
    """The attributes the list's files give, as rows (theme_id, name, value, position) of ATTRIBUTES_IN; position
    is the attribute's place among the file's columns (the order declared)."""
    import polars as pl

    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {ATTRIBUTES_IN} "
        "(theme_id VARCHAR, name VARCHAR, value VARCHAR, position INTEGER)"
    )
    for part in parts:
        records = part.tables["themes"]
        if isinstance(records, Staged):  # (a file with attribute columns is never staged: kpi.load.staged)
            continue
        names = [c for c in records.columns if c not in THEME_COLUMNS and c != "_line"]
        if not names:
            continue
        rows = (
            records.select("theme_id", *names)
            .unpivot(index="theme_id", on=names, variable_name="name", value_name="value")
            .drop_nulls("value")
            .with_columns(
                pl.col("name").replace_strict(names, list(range(len(names))), return_dtype=pl.Int32).alias("position")
            )
        )
        con.from_arrow(rows.__arrow_c_stream__()).insert_into(ATTRIBUTES_IN)


def _attribute_names(con: duckdb.DuckDBPyConnection, list_id: int) -> list[str]:
    """The attributes given by the incoming list or the stored list `list_id`, the incoming ones first in their order."""
    rows = con.execute(
        f"""SELECT name FROM (SELECT name, min(position) AS position FROM {ATTRIBUTES_IN} GROUP BY name
               UNION ALL SELECT DISTINCT name, NULL FROM theme_attributes WHERE list_id = ?)
            GROUP BY name ORDER BY min(position) NULLS LAST, name""",
        [list_id],
    ).fetchall()
    return [str(n) for (n,) in rows]


def _unique(parts: list[Incoming]) -> bool:
    """Whether the list is one file staged by DuckDB, whose theme IDs are then known to be unique and never null
    (kpi.load.staged counts them)."""
    return len(parts) == 1 and isinstance(parts[0].tables["themes"], Staged) and parts[0].tables["themes"].recoded


def _write_theme_list(
    con: duckdb.DuckDBPyConnection, parts: list[Incoming], renumbered: str | None = None
) -> list[FileResult]:
    """The themes files of one date as that date's list: new, replacing the stored one, or unchanged; another
    programme's list refused (_refuse_another_programme)."""
    snapshot = parts[0].snapshot
    assert snapshot is not None
    first = _first_list(con, parts)
    if first is not None:
        return first
    _keep_attributes(con, parts)
    cols = ", ".join(THEME_COLUMNS)
    unique = _unique(parts)
    if unique:  # read where it was staged: no copy
        incoming = parts[0].tables["themes"].table
    else:
        incoming = "incoming_list"
        names = [_rows_of(con, part.tables["themes"], f"incoming_{i}") for i, part in enumerate(parts)]
        union = " UNION ALL ".join(f"SELECT {cols} FROM {name}" for name in names)
        con.execute(f"CREATE OR REPLACE TEMP TABLE incoming_list AS {union}")
        for name, part in zip(names, parts, strict=True):
            if not isinstance(part.tables["themes"], Staged):
                con.unregister(name)
    try:
        stored = _list_at(con, snapshot)
        compared: list[Against] = []
        if stored is not None and unique:
            # One join on theme_id tells the counts, whether the file is the stored list as it is, whether it gives
            # every theme that list gives, and whether it shares half its IDs with that list (Against).
            compared = [_against(con, parts[0], (stored, snapshot))]
            if compared[0].same:  # (the list it corrects shares all its IDs: never another programme's)
                return [_unchanged(con, parts[0], parts[0].tables["themes"].height)]
            # The list followed is the stored one, whose themes it holds: sharing half the file's IDs with its own
            # rows is sharing half the smaller list's.
            waived = not compared[0].half_shared and _refuse_another_programme(con, parts, incoming, renumbered)
            if not compared[0].covers:
                _refuse_dropped(con, parts, incoming, stored, snapshot)
        else:
            waived = _refuse_another_programme(con, parts, incoming, renumbered)
            if stored is not None:
                differs = fetch_one(
                    con,
                    f"""SELECT (SELECT count(*) FROM (SELECT {cols} FROM {incoming}
                                                     EXCEPT ALL SELECT {cols} FROM theme_rows WHERE list_id = $l))
                             + (SELECT count(*) FROM (SELECT {cols} FROM theme_rows WHERE list_id = $l
                                                     EXCEPT ALL SELECT {cols} FROM {incoming}))
                             + (SELECT count(*) FROM {ATTRIBUTES_DIFFER})""",
                    {"l": stored},
                )
                if differs == (0,):
                    return [_unchanged(con, part, part.tables["themes"].height) for part in parts]
                _refuse_dropped(con, parts, incoming, stored, snapshot)
        previous = _list_before(con, snapshot)
        results = []
        load_ids = []
        if not compared:
            compared = [_against(con, part, (stored, snapshot) if stored is not None else previous) for part in parts]
        for part, against in zip(parts, compared, strict=True):
            new, changed, fields = against.new, against.changed, against.fields
            reason = renumbered if waived else None
            load_ids.append(_record_load(con, part, part.tables["themes"].height, new, changed, reason))
            results.append((part, new, changed, fields))
        # A new set of rows, whether the date is new or corrected: the version it supersedes keeps its own.
        list_id = int((fetch_one(con, "SELECT coalesce(max(list_id), 0) + 1 FROM theme_lists_versions") or (1,))[0])
        if stored is not None:
            con.execute(
                "UPDATE theme_lists_versions SET superseded_by = ? WHERE snapshot = ? AND superseded_by IS NULL",
                [load_ids[0], snapshot],
            )
        con.execute("INSERT INTO theme_lists_versions VALUES (?, ?, ?, NULL)", [list_id, snapshot, load_ids[0]])
        con.execute(
            f"INSERT INTO theme_rows (list_id, {cols}, load_id) SELECT ?, {cols}, ? FROM {incoming}",
            [list_id, load_ids[0]],
        )
        con.execute(f"INSERT INTO theme_attributes SELECT ?, theme_id, name, value FROM {ATTRIBUTES_IN}", [list_id])
        missing_ids: list[str] = []
        missing = 0
        if previous is not None:
            gone = f"SELECT theme_id FROM theme_rows WHERE list_id = $p EXCEPT SELECT theme_id FROM {incoming}"
            missing = int((fetch_one(con, f"SELECT count(*) FROM ({gone})", {"p": previous[0]}) or (0,))[0])
            ids = con.execute(f"{gone} ORDER BY theme_id LIMIT {MISSING_LISTED}", {"p": previous[0]}).fetchall()
            missing_ids = [str(i) for (i,) in ids]
        change = ListChange(
            snapshot, stored is not None, previous[1] if previous else None, missing, tuple(missing_ids)
        )
        return [
            FileResult(
                str(part.path),
                part.kind,
                part.tables["themes"].height,
                new,
                changed,
                load_id,
                None,
                snapshot,
                change,
                snapshot_from=part.snapshot_from,
                changed_fields=fields,
            )
            for (part, new, changed, fields), load_id in zip(results, load_ids, strict=True)
        ]
    finally:
        con.execute("DROP TABLE IF EXISTS incoming_list")
        con.execute(f"DROP TABLE IF EXISTS {ATTRIBUTES_IN}")
        for part in parts:
            if isinstance(part.tables["themes"], Staged):
                stage.drop(con, part.tables["themes"])


def write_sources(
    con: duckdb.DuckDBPyConnection, sources: list[Incoming], renumbered: str | None = None
) -> list[FileResult]:
    """Write every checked file in one transaction: all of them, or (on any error) none."""
    with transaction(con):
        return write_checked(con, sources, renumbered)


def write_checked(
    con: duckdb.DuckDBPyConnection, sources: list[Incoming], renumbered: str | None = None
) -> list[FileResult]:
    """Write every checked file, inside the caller's transaction. Another programme's theme list or settings are
    refused (InputRejected) unless `renumbered` gives the reason, kept with the loads it let through."""
    results: list[FileResult] = []
    for (kind, snapshot), group in groupby(sources, key=lambda s: (s.kind, s.snapshot)):
        parts = list(group)
        if kind == "themes" and snapshot is not None:
            results += _write_theme_list(con, parts, renumbered)
            continue
        for source in parts:
            if source.settings is not None:
                results.append(_write_programme(con, source, renumbered))
            else:
                results.append(_write_tables(con, source))
    return results


def stored_setting(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """One of the stored programme settings (as text), if it was set."""
    row = fetch_one(con, "SELECT value FROM programme WHERE key = ?", [key])
    return str(row[0]) if row else None


def stored_theme_ids(con: duckdb.DuckDBPyConnection) -> Any:
    """Every theme_id a current list holds, as a relation (follow-ups and stage-gate rows must name a known theme)."""
    return con.sql("SELECT DISTINCT theme_id FROM theme_rows WHERE list_id IN (SELECT list_id FROM theme_lists)")


def stored_end_years(con: duckdb.DuckDBPyConnection) -> Any:
    """Each listed theme's end year as its latest list has it (a survey must not predate the theme's end)."""
    return con.sql("SELECT theme_id, end_fy FROM themes")


def stored_organisations(con: duckdb.DuckDBPyConnection) -> Any:
    """Each listed theme's 機関名 cell as its latest list has it (an answer must be from one of them)."""
    return con.sql("SELECT theme_id, organizations FROM themes")


def mark_reopened(con: duckdb.DuckDBPyConnection, load_ids: list[int], reason: str) -> None:
    """Keep the reason a load changed the figures of a closed year with the load."""
    con.execute("UPDATE loads SET reopened = ? WHERE list_contains(?, load_id)", [reason, load_ids])
