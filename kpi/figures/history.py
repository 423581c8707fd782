"""What is loaded, at a glance: every load, what one load changed, and the dated theme lists with the fiscal years
each stands for."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import duckdb

from kpi.db.connect import fetch_one
from kpi.db.schema import CONFIDENTIAL, TABLE_KEYS, THEME_FIELDS, VERSIONED, versions_of
from kpi.db.versions import resolve, show_as_of, show_current, shown_load
from kpi.errors import NoData
from kpi.figures.changes import Changes, changes, corrected
from kpi.figures.lists import NO_LIST, Snapshot, at_or_before
from kpi.figures.programme import settings
from kpi.figures.status import ThemeRow
from kpi.fiscal import fiscal_year_of


class LoadRecord(NamedTuple):
    """One load as `loads` records it; a themes file's list date and where that date came from; the load an undo
    reverted; the reason a load reopened a closed year; the reason it was accepted as a renumbering."""

    load_id: int
    loaded_at: dt.datetime
    file_name: str
    sha256: str
    kind: str
    rows: int
    inserted: int
    updated: int
    snapshot: dt.date | None
    snapshot_from: str | None
    undoes: int | None = None
    reopened: str | None = None
    renumbered: str | None = None


class ListRecord(NamedTuple):
    """A dated theme list: its date, its themes, the load that last wrote it, and the fiscal years whose figures
    read it (`first_fy` to `last_fy`, None for every later year; both None when a newer list of the same fiscal
    year stands for its year); the earliest list also stands in for the years before its own (`stands_in`)."""

    snapshot: dt.date
    themes: int
    load_id: int
    first_fy: int | None
    last_fy: int | None
    stands_in: bool


def loads(con: duckdb.DuckDBPyConnection) -> list[LoadRecord]:
    """Every load, oldest first."""
    rows = con.execute(
        "SELECT load_id, loaded_at, file_name, sha256, kind, row_count, inserted, updated, snapshot, snapshot_from, "
        "undoes, reopened, renumbered FROM loads ORDER BY load_id"
    ).fetchall()
    return [LoadRecord(*row) for row in rows]


def lists(con: duckdb.DuckDBPyConnection) -> list[ListRecord]:
    """Every dated theme list, oldest first, with the years it stands for (kpi.figures.lists: the list in force
    at a year's end is the latest dated on or before it)."""
    rows = con.execute(
        "SELECT l.snapshot, count(r.theme_id), l.load_id FROM theme_lists l "
        "LEFT JOIN theme_rows r USING (list_id) GROUP BY ALL ORDER BY l.snapshot"
    ).fetchall()
    records = []
    for i, (snapshot, themes, load_id) in enumerate(rows):
        first = fiscal_year_of(snapshot)
        following = fiscal_year_of(rows[i + 1][0]) if i + 1 < len(rows) else None
        if following is not None and following == first:
            records.append(ListRecord(snapshot, int(themes), int(load_id), None, None, i == 0))
        else:
            records.append(
                ListRecord(
                    snapshot, int(themes), int(load_id), first, None if following is None else following - 1, i == 0
                )
            )
    return records


class RowChange(NamedTuple):
    """A row a load changed: its kind (a VERSIONED name), its key, what happened to it (added, changed, missing from
    a theme list, removed) and, for one of its columns, the value before and after (None: none)."""

    kind: str
    key: str
    change: str
    column: str
    before: object
    after: object
    keyed: tuple[tuple[str, object], ...] = ()  # the key by its columns (a theme's: none, its key is its ID)


class Withheld:
    """A confidential value (kpi.db.schema.CONFIDENTIAL) a load changed: the change is shown, the value is not."""

    def __repr__(self) -> str:
        return "WITHHELD"


WITHHELD = Withheld()


class LoadChanges(NamedTuple):
    """What one load changed: its record, the rows, and for a theme list the comparison they come from."""

    record: LoadRecord
    rows: tuple[RowChange, ...]
    themes: Changes | None = None


SETTING_KEY = ["key"]  # the programme's settings are keyed by name


def load_changes(con: duckdb.DuckDBPyConnection, load_id: int) -> LoadChanges:
    """`kpi loads show N`: the rows load N changed, read as the store stood right after it; a theme list compared
    with the one it followed or corrected by the rule of `kpi changes` (kpi.figures.changes)."""
    last = fetch_one(con, "SELECT max(load_id) FROM loads")
    if last is None or last[0] is None or not 1 <= load_id <= int(last[0]):
        raise NoData("loads.no_such_load", load=load_id, last=last[0] if last else None)
    shown = shown_load(con)
    show_as_of(con, resolve(con, load_id))
    try:
        record = next(r for r in loads(con) if r.load_id == load_id)
        themes = _list_changes(con, record)
        rows = _theme_rows(themes) if themes else []
        return LoadChanges(record, (*rows, *_row_changes(con, load_id)), themes)
    finally:
        show_as_of(con, shown) if shown is not None else show_current(con)


def _list_changes(con: duckdb.DuckDBPyConnection, record: LoadRecord) -> Changes | None:
    """The theme list a load wrote against the version it corrected, else the list before its date (none: every
    theme is added); a list an undo withdrew against the list in force for its date since; None for other kinds."""
    if record.kind != "themes":
        return None
    # An undo records no date: the versions it brought or superseded have it.
    dated = fetch_one(
        con, "SELECT snapshot FROM theme_lists_versions WHERE ? IN (load_id, superseded_by) LIMIT 1", [record.load_id]
    )
    day: dt.date | None = dated[0] if dated else record.snapshot
    if day is None:
        return None
    current = fetch_one(con, "SELECT list_id FROM theme_lists WHERE snapshot = ?", [day])
    if current is not None:
        after = Snapshot(int(current[0]), day)
        pair = corrected(con, after)
        if pair is not None:
            return changes(con, settings(con), *pair)
        before = at_or_before(con, day - dt.timedelta(days=1)) or Snapshot(NO_LIST, day)
        return changes(con, settings(con), before, after)
    withdrawn = fetch_one(
        con, "SELECT list_id FROM theme_lists_versions WHERE snapshot = ? AND superseded_by = ?", [day, record.load_id]
    )
    if withdrawn is None:
        return None
    after = at_or_before(con, day) or Snapshot(NO_LIST, day)
    return changes(con, settings(con), Snapshot(int(withdrawn[0]), day), after, resolve(con, record.load_id - 1))


def _theme_rows(c: Changes) -> list[RowChange]:
    """A theme list's changes as rows: themes added, columns changed (in the list's column order), themes missing."""
    order = {f: i for i, f in enumerate(THEME_FIELDS)}
    edited: list[tuple[ThemeRow, str, str | None, str | None]]
    edited = [(s.theme, "status", s.before, s.theme.status) for s in c.status_changes]
    edited += [(f.theme, f.column, f.before, f.after) for f in c.field_changes]
    edited.sort(key=lambda e: (e[0].item, e[0].theme_id, order.get(e[1], len(order))))  # attributes after
    return [
        *(RowChange("themes", t.theme_id, "added", "title", None, t.title) for t in c.added),
        *(RowChange("themes", t.theme_id, "changed", column, was, now) for t, column, was, now in edited),
        *(
            RowChange("themes", t.theme_id, "removed" if t.theme_id in c.dropped else "missing", "title", t.title, None)
            for t in c.missing
        ),
    ]


def _row_changes(con: duckdb.DuckDBPyConnection, load_id: int) -> list[RowChange]:
    """The rows of every other kind a load brought or superseded, paired by their natural key: added, changed
    (a row per column that differs) or removed."""
    found = []
    for kind in VERSIONED:
        if kind == "theme_lists":
            continue
        table = versions_of(kind)
        key = TABLE_KEYS.get(kind, SETTING_KEY)
        columns = [c for c in con.table(table).columns if c not in ("load_id", "superseded_by")]
        quoted = ", ".join(f'"{c}"' for c in columns)
        select = f"SELECT {quoted} FROM {table}"
        brought = _by_key(con.execute(f"{select} WHERE load_id = ?", [load_id]).fetchall(), columns, key)
        gone = _by_key(con.execute(f"{select} WHERE superseded_by = ?", [load_id]).fetchall(), columns, key)
        for k in sorted(brought.keys() | gone.keys(), key=_sortable):
            now, was = brought.get(k), gone.get(k)
            name = ", ".join(f"{c}={v}" for c, v in zip(key, k, strict=True)) if len(key) > 1 else str(k[0])
            keyed = tuple(zip(key, k, strict=True))
            shown = [c for c in columns if c not in key]
            if was is None:
                found += [
                    RowChange(kind, name, "added", c, None, now[c], keyed) for c in shown if now and now[c] is not None
                ]
            elif now is None:
                found += [RowChange(kind, name, "removed", c, was[c], None, keyed) for c in shown if was[c] is not None]
            else:
                found += [RowChange(kind, name, "changed", c, was[c], now[c], keyed) for c in shown if was[c] != now[c]]
    return [_withheld(change) for change in found]


def _withheld(change: RowChange) -> RowChange:
    """A change of a confidential column (kpi.db.schema.CONFIDENTIAL) with its values given as WITHHELD."""
    if change.column not in CONFIDENTIAL.get(change.kind, ()):
        return change
    hidden = [None if v is None else WITHHELD for v in (change.before, change.after)]
    return change._replace(before=hidden[0], after=hidden[1])


def _by_key(
    rows: list[tuple[object, ...]], columns: list[str], key: list[str]
) -> dict[tuple[object, ...], dict[str, object]]:
    """Rows as records by their natural key."""
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    return {tuple(r[k] for k in key): r for r in records}


def _sortable(key: tuple[object, ...]) -> tuple[str, ...]:
    """A key that sorts numbers by value and the rest as text (None among them)."""
    return tuple(f"{v:>20}" if isinstance(v, int) else str(v) for v in key)
