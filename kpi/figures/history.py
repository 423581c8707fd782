"""What is loaded, at a glance: every load, and the dated theme lists with the fiscal years each stands for."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import duckdb

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
