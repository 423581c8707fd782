"""Which dated theme list a figure reads: the list as known at the end of the fiscal year it is as of.

As of fiscal year F, each theme's status comes from the latest list dated on or before 31 March of F+1; when no
list is that old, from the earliest list, and the figure says so (`fallback`).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import duckdb

from kpi.db.connect import fetch_one

NO_LIST = -1  # the list id bound when no themes list is loaded: every figure over themes counts nothing


class Snapshot(NamedTuple):
    """A dated theme list, and whether it stands in for a list the year did not have."""

    list_id: int
    date: dt.date
    fallback: bool = False


def year_end(fy: int) -> dt.date:
    """The last day of a fiscal year (31 March of the next calendar year)."""
    return dt.date(fy + 1, 3, 31)


def dated(con: duckdb.DuckDBPyConnection) -> list[Snapshot]:
    """Every dated list, oldest first."""
    rows = con.execute("SELECT list_id, snapshot FROM theme_lists ORDER BY snapshot").fetchall()
    return [Snapshot(int(i), d) for i, d in rows]


def in_force_among(lists: list[Snapshot], fy: int) -> Snapshot | None:
    """The list in force at the end of `fy` among dated lists (oldest first): the latest dated on or before its
    end, else the earliest, marked as standing in (None when there is no list)."""
    end = year_end(fy)
    found = [s for s in lists if s.date <= end]
    if found:
        return found[-1]
    return Snapshot(lists[0].list_id, lists[0].date, fallback=True) if lists else None


def in_force(con: duckdb.DuckDBPyConnection, fy: int) -> Snapshot | None:
    """The list the figures as of `fy` read; None when no themes list is loaded."""
    return in_force_among(dated(con), fy)


def at_or_before(con: duckdb.DuckDBPyConnection, day: dt.date) -> Snapshot | None:
    """The latest list dated on or before a day (None when every list is later)."""
    row = fetch_one(
        con, "SELECT list_id, snapshot FROM theme_lists WHERE snapshot <= ? ORDER BY snapshot DESC LIMIT 1", [day]
    )
    return Snapshot(int(row[0]), row[1]) if row else None


def latest(con: duckdb.DuckDBPyConnection, count: int = 1) -> list[Snapshot]:
    """The newest `count` lists, newest first."""
    rows = con.execute("SELECT list_id, snapshot FROM theme_lists ORDER BY snapshot DESC LIMIT ?", [count]).fetchall()
    return [Snapshot(int(i), d) for i, d in rows]


def list_id(snapshot: Snapshot | None) -> int:
    """The id to bind for a list (NO_LIST when there is none)."""
    return snapshot.list_id if snapshot else NO_LIST
