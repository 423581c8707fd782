"""The follow-up survey loop: whose measuring survey is due in a fiscal year.

A theme's measuring survey is due in end_fy + the follow-up horizon. It is due in fiscal year F when the matured
long-term KPI as of F places it as awaiting its survey (kpi.figures.placement): that year has come
(end_fy + horizon ≤ F), no survey is recorded in or after it, and no survey already records practical use (製品化 or
上市). The themes are those of the latest list (and those it carries), leading research and cancelled ones left out.
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from kpi.figures.kpis import LONG_TERM_MATURED, placed_sql, terminated_excluded
from kpi.figures.lists import Snapshot, latest, list_id
from kpi.figures.programme import as_of_year, require_data, settings
from kpi.settings import DEFAULT_HORIZON, Settings


class DueSurvey(NamedTuple):
    """A theme to survey: its measuring survey falls due in `due_fy` (overdue when that was before the year)."""

    theme_id: str
    organizations: str
    title: str
    end_fy: int
    due_fy: int
    overdue: bool


class Due(NamedTuple):
    """The surveys due in a fiscal year, from the latest theme list."""

    fy: int
    horizon_years: int
    snapshot: Snapshot | None
    surveys: tuple[DueSurvey, ...]


def _due_sql(excluded: bool) -> str:
    return f"""{placed_sql(excluded)}
    SELECT theme_id, organizations, title, end_fy, end_fy + $horizon AS due_fy, end_fy + $horizon < $as_of AS overdue
    FROM placed_roles WHERE role_{LONG_TERM_MATURED.key} = 'pending'
    ORDER BY due_fy, item, theme_id"""


def due(con: duckdb.DuckDBPyConnection, fy: int, settings: Settings | None) -> Due:
    """The themes whose measuring survey is due in `fy` (overdue ones first, then by due year and theme)."""
    horizon = settings.followup_horizon_years if settings else DEFAULT_HORIZON
    newest = latest(con, 1)
    snapshot = newest[0] if newest else None
    rows = con.execute(
        _due_sql(terminated_excluded(settings)), {"horizon": horizon, "as_of": fy, "list": list_id(snapshot)}
    ).fetchall()
    return Due(fy, horizon, snapshot, tuple(DueSurvey(*r) for r in rows))


def due_in(con: duckdb.DuckDBPyConnection, asked: int | None) -> Due:
    """`kpi followups due`: the surveys due in the year asked (else the current one)."""
    require_data(con)
    programme = settings(con)
    return due(con, as_of_year(con, asked, programme), programme)
