"""The status tables: themes by status group, overall and per item and element, and the lists to act on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import duckdb

from kpi.codes import LEADING_ITEM, TERMINATED
from kpi.db.carried import listed
from kpi.db.connect import fetch_one
from kpi.db.schema import THEME_COLUMNS
from kpi.figures.kpis import SHORT_TERM
from kpi.figures.placement import case
from kpi.figures.population import POPULATION, first_rows

GROUPS = ("achieved", "on_track", "delayed_or_not_achieved", "terminated", "total")
GROUP_COUNTS = f"""
    count(*) FILTER (status = 'achieved') AS achieved,
    count(*) FILTER (status = 'on_track') AS on_track,
    count(*) FILTER (status IN ('delayed', 'not_achieved')) AS delayed_or_not_achieved,
    count(*) FILTER (status = '{TERMINATED}') AS terminated,
    count(*) AS total
"""

# The short-term KPI's reason for each theme (kpi.figures.placement), over the population.
_SHORT_REASON = case(SHORT_TERM.rules, False, "$as_of", "reason")
# The lists of themes a reader acts on, by the condition that puts a theme in each: every delayed theme (its end year
# come or not), and the short-term KPI's own pending (awaiting a final result) and not achieved themes.
LISTS = {
    "delayed": "status = 'delayed'",
    "awaiting_final": f"{_SHORT_REASON} = 'awaiting_final'",
    "not_achieved": f"{_SHORT_REASON} = 'not_achieved'",
}
LIST_LIMIT = 100  # rows per theme list in the report; the counts are always complete (kpi export has every theme)


class StatusCounts(NamedTuple):
    """Themes by status group: 目標達成, 遅延なし (計画通り), 遅延・未達, 中止 (ended early), and their total."""

    achieved: int
    on_track: int
    delayed_or_not_achieved: int
    terminated: int
    total: int


class ElementCounts(NamedTuple):
    """The status groups of one research item and element letter."""

    item: int
    element: str
    achieved: int
    on_track: int
    delayed_or_not_achieved: int
    terminated: int
    total: int


THEME_ROW = "theme_id, item, element, organizations, title, end_fy, status"  # a ThemeRow's columns, in order


class ThemeRow(NamedTuple):
    """A theme as the lists show it."""

    theme_id: str
    item: int
    element: str
    organizations: str
    title: str
    end_fy: int
    status: str


@dataclass(frozen=True)
class ThemeList:
    """The first rows of one list and how many themes it holds in full."""

    rows: tuple[ThemeRow, ...]
    count: int


class Exclusions(NamedTuple):
    """Themes left out of every outcome figure, by reason."""

    leading_research: int
    not_yet_adopted: int
    themes_loaded: int


def status_summary(con: duckdb.DuckDBPyConnection, as_of: int, list_id: int) -> StatusCounts:
    """Adopted non-leading themes of a list by status group."""
    row = fetch_one(con, f"SELECT {GROUP_COUNTS} FROM {POPULATION}", {"as_of": as_of, "list": list_id})
    return StatusCounts(*(int(v) for v in row or (0,) * len(GROUPS)))


def by_element(con: duckdb.DuckDBPyConnection, as_of: int, list_id: int) -> list[ElementCounts]:
    """The status groups per research item and element letter (a, b, c…), as the working group asked."""
    rows = con.execute(
        f"""
        SELECT {GROUP_COUNTS}, item, left(element, 1) AS letter
        FROM {POPULATION} GROUP BY item, letter ORDER BY item, letter
        """,
        {"as_of": as_of, "list": list_id},
    ).fetchall()
    n = len(GROUPS)
    return [ElementCounts(int(r[n]), str(r[n + 1]), *(int(v) for v in r[:n])) for r in rows]


def theme_lists(
    con: duckdb.DuckDBPyConnection, as_of: int, list_id: int, limit: int | None = LIST_LIMIT
) -> dict[str, ThemeList]:
    """The themes a reader acts on: delayed, awaiting a final result, not achieved (the first `limit` of each)."""
    counts = fetch_one(
        con,
        f"SELECT {', '.join(f'count(*) FILTER ({c})' for c in LISTS.values())} FROM {POPULATION}",
        {"as_of": as_of, "list": list_id},
    ) or (0,) * len(LISTS)
    lists = {}
    for (name, condition), count in zip(LISTS.items(), counts, strict=True):
        rows = con.execute(
            first_rows(THEME_ROW, POPULATION, condition),
            {"as_of": as_of, "list": list_id, "limit": limit},
        ).fetchall()
        lists[name] = ThemeList(tuple(ThemeRow(*r) for r in rows), int(count))
    return lists


def exclusions(con: duckdb.DuckDBPyConnection, as_of: int, list_id: int) -> Exclusions:
    """Themes of a list left out of every outcome figure, by reason."""
    row = fetch_one(
        con,
        f"""
        SELECT count(*) FILTER (item = {LEADING_ITEM}),
               count(*) FILTER (item <> {LEADING_ITEM} AND start_fy > $as_of),
               count(*)
        FROM {listed()}
        """,
        {"as_of": as_of, "list": list_id},
    )
    return Exclusions(*(int(v) for v in row or (0, 0, 0)))


def all_themes(con: duckdb.DuckDBPyConnection, list_id: int) -> list[dict[str, object]]:
    """Every theme of a list (leading research included, carried ones too) with its status, in a fixed order; its
    theme attributes as the list knows them under "attributes" (name → stored text)."""
    rows = con.execute(
        f"SELECT {', '.join(THEME_COLUMNS)} FROM {listed('$list')} ORDER BY item, theme_id", {"list": list_id}
    ).fetchall()
    given: dict[str, dict[str, str]] = {}
    any_given = con.execute("SELECT count(*) FROM (SELECT 1 FROM theme_attributes LIMIT 1)").fetchone() == (1,)
    for theme_id, name, value in (
        con.execute(
            f"SELECT t.theme_id, a.name, a.value FROM {listed('$list')} t JOIN theme_attributes a "
            "ON a.list_id = t.list_id AND a.theme_id = t.theme_id",
            {"list": list_id},
        ).fetchall()
        if any_given
        else []
    ):
        given.setdefault(str(theme_id), {})[str(name)] = str(value)
    return [{**dict(zip(THEME_COLUMNS, r, strict=True)), "attributes": given.get(str(r[0]), {})} for r in rows]
