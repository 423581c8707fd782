"""The programme a database holds: its settings, the year a figure is as of when none is asked, and whether
anything is loaded at all."""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from kpi.db.connect import fetch_one
from kpi.errors import NoData, NoSettings
from kpi.figures.lists import Snapshot
from kpi.fiscal import DEFAULT_TIMEZONE, current_fy
from kpi.settings import Settings


def settings(con: duckdb.DuckDBPyConnection) -> Settings | None:
    """The programme's settings as loaded from programme.toml (None if never loaded)."""
    return Settings.from_stored(dict(con.execute("SELECT key, value FROM programme").fetchall()))


def required_settings(con: duckdb.DuckDBPyConnection) -> Settings:
    """The programme's settings; refused (exit 3, saying how to load them) when never loaded."""
    programme = settings(con)
    if programme is None:
        raise NoSettings("db.no_settings")
    return programme


def as_of_year(con: duckdb.DuckDBPyConnection, asked: int | None, programme: Settings | None = None) -> int:
    """The fiscal year asked for, else the one containing today in the programme's calendar (its time zone)."""
    if asked is not None:
        return asked
    programme = programme or settings(con)
    return current_fy(programme.timezone if programme else DEFAULT_TIMEZONE)


def has_data(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any themes list or budget row is stored."""
    row = fetch_one(con, "SELECT (SELECT count(*) FROM theme_lists) + (SELECT count(*) FROM budget)")
    return bool(row and row[0])


def require_data(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse (exit 3, saying to load something) a database that holds no theme list and no budget."""
    if not has_data(con):
        raise NoData("db.no_themes")


class Loaded(NamedTuple):
    """What a report starts from, read in one query: the settings, the dated lists, whether any budget row is."""

    settings: Settings | None
    lists: list[Snapshot]
    budget_rows: int

    def require_data(self) -> None:
        """Refuse (exit 3, saying to load something) a database that holds no theme list and no budget."""
        if not self.lists and not self.budget_rows:
            raise NoData("db.no_themes")


def loaded(con: duckdb.DuckDBPyConnection) -> Loaded:
    """The settings, every dated list (oldest first) and the number of budget rows, in one query."""
    rows = con.execute(
        """SELECT 'setting', key, value, NULL, NULL FROM programme
           UNION ALL SELECT 'list', NULL, NULL, list_id, snapshot FROM theme_lists
           UNION ALL SELECT 'budget', NULL, NULL, count(*), NULL FROM budget"""
    ).fetchall()
    stored = {key: value for kind, key, value, _, _ in rows if kind == "setting"}
    lists = sorted((Snapshot(int(n), day) for kind, _, _, n, day in rows if kind == "list"), key=lambda s: s.date)
    budget_rows = next(int(n) for kind, _, _, n, _ in rows if kind == "budget")
    return Loaded(Settings.from_stored(stored), lists, budget_rows)
