"""The database as it was known right after a load (--known-at), and undoing a load.

Every kind of row is kept in `<kind>_versions` with the load that brought it and the load that superseded it
(kpi.db.schema, version 5). A read-only connection is shown the state after load N by temporary views named as
the current views (`budget`, `theme_lists`, …): DuckDB looks a name up in the connection's temporary catalogue
first, so every query — and every view built on them, such as `themes` — reads the rows current at N, unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from kpi.db.connect import fetch_one
from kpi.db.known import KnownAt
from kpi.db.schema import IN_FILE_ORDER, VERSIONED, versions_of
from kpi.errors import UndoRefused, UsageProblem


@dataclass(frozen=True)
class KnownLoad:
    """The load a read is as of: its number and time."""

    load_id: int
    loaded_at: dt.datetime


_shown: dict[int, KnownLoad] = {}  # id(connection) → the load it is shown as of (cursors are given the same views)
_used: dict[int, str] = {}  # id(connection) → the catalogue it reads (an attached programme: kpi.db.attach)


def resolve(con: duckdb.DuckDBPyConnection, known: KnownAt | int) -> KnownLoad:
    """The load --known-at names: a load number from `kpi loads`, or the last load at or before a time."""
    if isinstance(known, int):
        known = KnownAt(load=known)
    loads = f"{_stored(con)}.loads"  # every load, whatever the connection is shown as of
    if known.load is not None:
        row = fetch_one(con, f"SELECT load_id, loaded_at FROM {loads} WHERE load_id = ?", [known.load])
    else:
        row = fetch_one(
            con,
            f"SELECT load_id, loaded_at FROM {loads} WHERE loaded_at <= ? ORDER BY load_id DESC LIMIT 1",
            [known.time],
        )
    if row is None:
        span = fetch_one(con, f"SELECT min(load_id), max(load_id), min(loaded_at) FROM {loads}")
        first, last, since = span if span else (None, None, None)
        if first is None:
            raise UsageProblem("known_at.no_loads")
        if known.load is not None:
            raise UsageProblem("known_at.no_such_load", value=known.load, first=first, last=last)
        assert known.time is not None
        raise UsageProblem(
            "known_at.before_first", value=known.time.isoformat(sep=" ", timespec="minutes"), first=since
        )
    return KnownLoad(int(row[0]), row[1])


def _stored(con: duckdb.DuckDBPyConnection) -> str:
    """The database's own schema, by its catalogue's name: what the temporary views of a name do not hide."""
    catalogue = str((fetch_one(con, "SELECT current_database()") or ("",))[0]).replace('"', '""')
    return f'"{catalogue}".main'


def _views(con: duckdb.DuckDBPyConnection, load: KnownLoad) -> None:
    n = int(load.load_id)
    stored = _stored(con)
    for kind in VERSIONED:
        position = ", rowid AS position" if kind in IN_FILE_ORDER else ""
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {kind} AS SELECT * EXCLUDE (superseded_by){position} "
            f"FROM {versions_of(kind)} WHERE load_id <= {n} AND (superseded_by IS NULL OR superseded_by > {n})"
        )
    for table, rule in (("loads", f"load_id <= {n}"), ("theme_history", f"load_id <= {n}")):
        con.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT * FROM {stored}.{table} WHERE {rule}")
    # A submission made right after load N was computed from it, so it came later than "right after N".
    con.execute(f"CREATE OR REPLACE TEMP VIEW submissions AS SELECT * FROM {stored}.submissions WHERE load_id < {n}")


def show_as_of(con: duckdb.DuckDBPyConnection, load: KnownLoad) -> None:
    """Show a read-only connection (and every cursor taken through `cursor`) the rows current right after a load."""
    _views(con, load)
    _shown[id(con)] = load


def show_current(con: duckdb.DuckDBPyConnection) -> None:
    """Show the connection the current rows again (its temporary views dropped)."""
    for name in (*VERSIONED, "loads", "theme_history", "submissions"):
        con.execute(f"DROP VIEW IF EXISTS temp.main.{name}")
    _shown.pop(id(con), None)


def use(con: duckdb.DuckDBPyConnection, catalogue: str) -> None:
    """The connection reads an attached database as its default catalogue; so will its cursors."""
    _used[id(con)] = catalogue


def forget(con: duckdb.DuckDBPyConnection) -> None:
    """The connection is closing: it is no longer shown as of a load, nor reads an attached catalogue."""
    _shown.pop(id(con), None)
    _used.pop(id(con), None)


def shown_load(con: duckdb.DuckDBPyConnection) -> KnownLoad | None:
    """The load a connection is shown as of (None: the current rows)."""
    return _shown.get(id(con))


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of the connection that reads what the connection reads (temporary views are per cursor)."""
    new = con.cursor()
    if id(con) in _used:
        new.execute(f"USE {_used[id(con)]}")
    load = _shown.get(id(con))
    if load is not None:
        _views(new, load)
    return new


# ---------------------------------------------------------------------------- undo


@dataclass(frozen=True)
class Undone:
    """What an undo did: the load it reverted, its own load number, rows superseded and rows made current again."""

    load_id: int
    undone: int
    file_name: str
    kind: str
    superseded: int
    restored: int


def undo_target(con: duckdb.DuckDBPyConnection, asked: int | None) -> tuple[int, str, str]:
    """The load an undo reverts (number, file, kind): the one asked, else the latest, which must not be an undo
    itself (an undo is not undone: the file is loaded again)."""
    if asked is None:
        row = fetch_one(con, "SELECT load_id, file_name, kind, undoes FROM loads ORDER BY load_id DESC LIMIT 1")
        if row is None:
            raise UndoRefused("undo.nothing")
        if row[3] is not None:
            raise UndoRefused("undo.latest_is_undo", load=int(row[0]), undoes=int(row[3]))
        return int(row[0]), str(row[1]), str(row[2])
    row = fetch_one(con, "SELECT load_id, file_name, kind, undoes FROM loads WHERE load_id = ?", [asked])
    if row is None:
        last = fetch_one(con, "SELECT max(load_id) FROM loads")
        raise UndoRefused("undo.no_such_load", load=asked, last=last[0] if last else None)
    if row[3] is not None:
        raise UndoRefused("undo.is_undo", load=asked, undoes=int(row[3]))
    by = fetch_one(con, "SELECT load_id FROM loads WHERE undoes = ?", [asked])
    if by is not None:
        raise UndoRefused("undo.already", load=asked, by=int(by[0]))
    return int(row[0]), str(row[1]), str(row[2])


def built_on(con: duckdb.DuckDBPyConnection, load_id: int) -> list[int]:
    """The later loads that superseded rows a load brought (an undo would take their basis away); a load that was
    itself undone does not count, but one that superseded the copies its undo made current again does."""
    undone = _undone(con)
    return sorted({n for kind in VERSIONED for n in _carried(con, kind, load_id, undone)[1]})


def _undone(con: duckdb.DuckDBPyConnection) -> dict[int, int]:
    """Every load that was undone → the undo that reverted it."""
    rows = con.execute("SELECT undoes, load_id FROM loads WHERE undoes IS NOT NULL").fetchall()
    return {int(n): int(by) for n, by in rows}


def _brought_by(con: duckdb.DuckDBPyConnection, table: str, load_id: int) -> str:
    """SQL: the row `c` holds the values of a row that load `load_id` brought (an undo's copy keeps them)."""
    columns = [c for c in con.table(table).columns if c not in ("load_id", "superseded_by")]
    same = " AND ".join(f'o."{c}" IS NOT DISTINCT FROM c."{c}"' for c in columns)
    return f"EXISTS (SELECT 1 FROM {table} o WHERE o.load_id = {int(load_id)} AND {same})"


def _carried(
    con: duckdb.DuckDBPyConnection, kind: str, load_id: int, undone: dict[int, int]
) -> tuple[list[int], list[int]]:
    """Of one kind: the loads whose rows carry what a load brought — the load itself, and each undo that made those
    rows current again after a later load superseded them — and the later loads, not undone, that superseded them."""
    table = versions_of(kind)
    carriers, later, pending = [load_id], set(), [load_id]
    while pending:
        carrier = pending.pop()
        brought = "" if carrier == load_id else f"AND {_brought_by(con, table, load_id)}"
        rows = con.execute(
            f"SELECT DISTINCT c.superseded_by FROM {table} c "
            f"WHERE c.load_id = ? AND c.superseded_by IS NOT NULL {brought}",
            [carrier],
        ).fetchall()
        for (by,) in rows:
            undo = undone.get(int(by))
            if undo is None:
                later.add(int(by))
            elif undo not in carriers:
                carriers.append(undo)
                pending.append(undo)
    return carriers, sorted(later)


def undo_load(
    con: duckdb.DuckDBPyConnection, asked: int | None, loaded_at: dt.datetime, reopen: str | None = None
) -> Undone:
    """Undo a load (the one asked, else the latest) inside the caller's transaction, as a new load."""
    target, file_name, kind = undo_target(con, asked)
    later = built_on(con, target)
    if later:
        raise UndoRefused("undo.built_on", load=target, later=", ".join(f"#{n}" for n in later))
    new_load = int((fetch_one(con, "SELECT coalesce(max(load_id), 0) + 1 FROM loads") or (1,))[0])
    con.execute(
        "INSERT INTO loads (load_id, file_name, sha256, kind, row_count, inserted, updated, loaded_at, undoes, "
        "reopened) SELECT ?, file_name, sha256, kind, 0, 0, 0, ?, load_id, ? FROM loads WHERE load_id = ?",
        [new_load, loaded_at, reopen, target],
    )
    superseded, restored = undo(con, target, new_load)
    con.execute(
        "UPDATE loads SET row_count = ?, inserted = ?, updated = ? WHERE load_id = ?",
        [superseded + restored, restored, superseded, new_load],
    )
    return Undone(new_load, target, file_name, kind, superseded, restored)


def undo(con: duckdb.DuckDBPyConnection, load_id: int, new_load: int) -> tuple[int, int]:
    """Revert a load inside the caller's transaction, as load `new_load`: the rows it brought are superseded (or the
    copies an undo of a later load made current again of them) and the rows it superseded are current again, as
    copies brought by the undo (so that every earlier state stays as it was known). Returns (rows superseded, rows
    made current again), a theme list counting its themes."""
    superseded = restored = 0
    undone = _undone(con)
    for kind in VERSIONED:
        table = versions_of(kind)
        columns = [c for c in con.table(table).columns if c not in ("load_id", "superseded_by")]
        cols = ", ".join(f'"{c}"' for c in columns)
        rows = (
            "count(*)"
            if kind != "theme_lists"
            else "(SELECT count(*) FROM theme_rows r WHERE r.list_id IN (SELECT list_id FROM chosen))"
        )
        copies = ", ".join(str(int(n)) for n in _carried(con, kind, load_id, undone)[0][1:])
        current = f"c.superseded_by IS NULL AND (c.load_id = {int(load_id)}" + (
            f" OR (c.load_id IN ({copies}) AND {_brought_by(con, table, load_id)}))" if copies else ")"
        )
        params = {"new": new_load, "n": load_id}
        back = fetch_one(
            con,
            f"WITH chosen AS (SELECT * FROM {table} WHERE superseded_by = $n) SELECT {rows} FROM chosen",
            {"n": load_id},
        )
        gone = fetch_one(con, f"WITH chosen AS (SELECT * FROM {table} c WHERE {current}) SELECT {rows} FROM chosen")
        con.execute(
            f"INSERT INTO {table} ({cols}, load_id, superseded_by) "
            f"SELECT {cols}, $new, NULL FROM {table} WHERE superseded_by = $n",
            params,
        )
        con.execute(f"UPDATE {table} AS c SET superseded_by = $new WHERE {current}", {"new": new_load})
        restored += int(back[0]) if back else 0
        superseded += int(gone[0]) if gone else 0
    return superseded, restored
