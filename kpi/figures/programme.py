"""The programme a database holds: its settings, the year a figure is as of when none is asked, and whether
anything is loaded at all."""

from __future__ import annotations

import duckdb

from kpi.db.connect import fetch_one
from kpi.errors import NoData, NoSettings
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
