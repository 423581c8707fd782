"""What moved between two dated theme lists: statuses, the other columns of a theme (organisations, title,
element, years …), themes added and missing, and every KPI before and after.

Each side's KPIs are computed from its own list as of the fiscal year containing the list's date, so a list
dated 2026-03-31 gives the FY2025 figures as they stood on that day.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import duckdb

from kpi.db.carried import listed
from kpi.db.schema import THEME_FIELDS
from kpi.errors import NoData
from kpi.figures.kpis import Kpi, outcome
from kpi.figures.lists import Snapshot, at_or_before, latest
from kpi.figures.programme import settings
from kpi.figures.status import THEME_ROW, ThemeRow
from kpi.fiscal import fiscal_year_of
from kpi.settings import DEFAULT_HORIZON, Settings


class StatusChange(NamedTuple):
    """A theme whose status differs between the two lists."""

    theme: ThemeRow  # as the newer list has it
    before: str


class FieldChange(NamedTuple):
    """A column other than the status that differs between the two lists for one theme."""

    theme: ThemeRow  # as the newer list has it
    column: str  # one of kpi.db.schema.THEME_FIELDS
    before: str | None
    after: str | None


class KpiChange(NamedTuple):
    """A KPI from the older list and from the newer one."""

    before: Kpi
    after: Kpi


class Changes(NamedTuple):
    """Everything that moved from one list to another."""

    before: Snapshot
    after: Snapshot
    status_changes: tuple[StatusChange, ...]
    field_changes: tuple[FieldChange, ...]
    added: tuple[ThemeRow, ...]
    missing: tuple[ThemeRow, ...]
    kpis: tuple[KpiChange, ...]
    horizon_years: int

    @property
    def before_fy(self) -> int:
        return fiscal_year_of(self.before.date)

    @property
    def after_fy(self) -> int:
        return fiscal_year_of(self.after.date)


def pick(con: duckdb.DuckDBPyConnection, since: dt.date | None, until: dt.date | None) -> tuple[Snapshot, Snapshot]:
    """The two lists to compare: the lists in force on `since` and `until`, by default the last two lists."""
    newest = latest(con, 2)
    after = at_or_before(con, until) if until else (newest[0] if newest else None)
    if since:
        before = at_or_before(con, since)
    else:
        older = [s for s in newest if after and s.date < after.date]
        before = older[0] if older else None
    lists = ", ".join(sorted(s.date.isoformat() for s in latest(con, 100))) or "—"
    for asked, found in ((since, before), (until, after)):  # a date before every list: say so, not "two needed"
        if asked is not None and found is None and newest:
            raise NoData("changes.before_first", date=asked.isoformat(), lists=lists)
    if before is not None and after is not None and before.list_id == after.list_id and (since or until):
        raise NoData("changes.same_list", date=before.date.isoformat(), lists=lists)
    if before is None or after is None or before.list_id == after.list_id:
        raise NoData("changes.two_lists", lists=lists)
    return before, after


def _themes(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, int]) -> tuple[ThemeRow, ...]:
    return tuple(ThemeRow(*row) for row in con.execute(sql, params).fetchall())


# The later list as it is given, against the earlier one as it stood (its carried themes included): a theme the
# earlier list carried is not "added" when the later one names it again, and one the later list leaves out is
# "missing" (and carried, with its last state).
BEFORE = listed("$b")
AFTER = "(SELECT * FROM theme_rows WHERE list_id = $a)"


def changes(con: duckdb.DuckDBPyConnection, settings: Settings | None, before: Snapshot, after: Snapshot) -> Changes:
    """Statuses moved, other columns changed, themes added and missing, and each KPI from `before` to `after`."""
    ids = {"b": before.list_id, "a": after.list_id}
    moved = con.execute(
        f"""SELECT {", ".join(f"a.{c.strip()}" for c in THEME_ROW.split(","))}, b.status
            FROM theme_rows a JOIN {BEFORE} b ON a.theme_id = b.theme_id
            WHERE a.list_id = $a AND a.status <> b.status ORDER BY a.item, a.theme_id""",
        ids,
    ).fetchall()
    fields = [c for c in THEME_FIELDS if c != "status"]
    differs = " UNION ALL ".join(
        f"""SELECT {", ".join(f"a.{c.strip()}" for c in THEME_ROW.split(","))}, '{c}' AS field, {i} AS field_order,
                   b.{c}::VARCHAR AS was, a.{c}::VARCHAR AS now
            FROM theme_rows a JOIN {BEFORE} b ON a.theme_id = b.theme_id
            WHERE a.list_id = $a AND a.{c} IS DISTINCT FROM b.{c}"""
        for i, c in enumerate(fields)
    )
    edited = con.execute(
        f"SELECT * EXCLUDE (field_order) FROM ({differs}) ORDER BY item, theme_id, field_order", ids
    ).fetchall()
    only = "SELECT {cols} FROM {one} x WHERE NOT EXISTS (SELECT 1 FROM {other} y WHERE y.theme_id = x.theme_id) ORDER BY item, theme_id"
    kpis = tuple(
        KpiChange(b, a)
        for b, a in zip(
            outcome(con, fiscal_year_of(before.date), settings, before.list_id).kpis,
            outcome(con, fiscal_year_of(after.date), settings, after.list_id).kpis,
            strict=True,
        )
    )
    return Changes(
        before,
        after,
        tuple(StatusChange(ThemeRow(*r[:-1]), r[-1]) for r in moved),
        tuple(FieldChange(ThemeRow(*r[:-3]), *r[-3:]) for r in edited),
        _themes(con, only.format(cols=THEME_ROW, one=AFTER, other=BEFORE), ids),
        _themes(con, only.format(cols=THEME_ROW, one=BEFORE, other=AFTER), ids),
        kpis,
        settings.followup_horizon_years if settings else DEFAULT_HORIZON,
    )


def between(con: duckdb.DuckDBPyConnection, since: dt.date | None, until: dt.date | None) -> Changes:
    """`kpi changes`: what moved between the lists in force on `since` and `until` (by default the last two)."""
    before, after = pick(con, since, until)
    return changes(con, settings(con), before, after)
