"""What moved between two dated theme lists: statuses, the other columns of a theme (organisations, title,
element, years …), themes added and missing, and every KPI before and after.

Each side's KPIs are computed from its own list as of the fiscal year containing the list's date, so a list
dated 2026-03-31 gives the FY2025 figures as they stood on that day. Two versions of one date (a same-date
correction) compare the same way: the earlier version is read as the store stood before the correction.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import duckdb

from kpi.db.carried import listed
from kpi.db.connect import fetch_one
from kpi.db.schema import THEME_FIELDS
from kpi.db.versions import KnownLoad, resolve, show_as_of, show_current, shown_load
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
    column: str  # one of kpi.db.schema.THEME_FIELDS, or a theme attribute's name (kpi.settings.Attribute)
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
    versions: tuple[int, int] | None = None  # a same-date correction: the loads that wrote the two versions
    dropped: frozenset[str] = frozenset()  # of the missing themes, those the newer list does not carry either
    asked: tuple[dt.date | None, dt.date | None] = (None, None)  # --from and --to as given (a day no list has)

    @property
    def before_fy(self) -> int:
        return fiscal_year_of(self.before.date)

    @property
    def after_fy(self) -> int:
        return fiscal_year_of(self.after.date)


class Pair(NamedTuple):
    """The two lists to compare; `before_at`: the load the earlier one is read as of (a version a correction
    superseded: the store as it stood before it), else as the connection reads."""

    before: Snapshot
    after: Snapshot
    before_at: KnownLoad | None = None
    versions: tuple[int, int] | None = None


def pick(con: duckdb.DuckDBPyConnection, since: dt.date | None, until: dt.date | None) -> Pair:
    """The two lists to compare: the lists in force on `since` and `until`; without `since`, the list before the
    one of `until` (by default the newest); when both name one list, its version before its last correction and its
    current one."""
    newest = latest(con, 1)
    after = at_or_before(con, until) if until else (newest[0] if newest else None)
    if since:
        before = at_or_before(con, since)
    else:
        before = at_or_before(con, after.date - dt.timedelta(days=1)) if after else None
    lists = ", ".join(sorted(s.date.isoformat() for s in latest(con, 100))) or "—"
    for asked, found in ((since, before), (until, after)):  # a date before every list: say so, not "two needed"
        if asked is not None and found is None and newest:
            raise NoData("changes.before_first", date=asked.isoformat(), lists=lists)
    if after is not None and (before is None or before.list_id == after.list_id) and (since or until):
        pair = corrected(con, after)
        if pair is not None:
            return pair
        if before is None:  # --to alone naming the first list: nothing before it
            raise NoData("changes.nothing_before", date=after.date.isoformat(), lists=lists)
        raise NoData("changes.same_list", date=before.date.isoformat(), lists=lists)
    if before is None or after is None or before.list_id == after.list_id:
        raise NoData("changes.two_lists", lists=lists)
    return Pair(before, after)


def corrected(con: duckdb.DuckDBPyConnection, after: Snapshot) -> Pair | None:
    """A list's version before its last correction (or the undo that made it current) and the list itself; None
    when the date has one version."""
    row = fetch_one(
        con,
        """SELECT w.list_id, w.load_id, v.load_id FROM theme_lists v JOIN theme_lists_versions w
           ON w.snapshot = v.snapshot AND w.superseded_by = v.load_id WHERE v.list_id = ?""",
        [after.list_id],
    )
    if row is None:
        return None
    earlier, earlier_load, load = (int(n) for n in row)
    return Pair(Snapshot(earlier, after.date), after, resolve(con, load - 1), (earlier_load, load))


def _themes(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, int]) -> tuple[ThemeRow, ...]:
    return tuple(ThemeRow(*row) for row in con.execute(sql, params).fetchall())


# The later list as it is given, against the earlier one as it stood (its carried themes included: kept in BEFORE
# while the earlier list is read): a theme the earlier list carried is not "added" when the later one names it
# again, and one the later list leaves out is "missing" (and carried, with its last state).
BEFORE = "changes_before"
AFTER = "(SELECT * FROM theme_rows WHERE list_id = $a)"


def _before(
    con: duckdb.DuckDBPyConnection, settings: Settings | None, before: Snapshot, at: KnownLoad | None
) -> tuple[Kpi, ...]:
    """Keep the earlier list's themes, carried ones included, in BEFORE and compute its KPIs, read as of `at`."""
    shown = shown_load(con)
    if at is not None:
        show_as_of(con, at)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {BEFORE} AS SELECT * FROM {listed('$b')}", {"b": before.list_id})
        return outcome(con, fiscal_year_of(before.date), settings, before.list_id).kpis
    finally:
        if at is not None:
            show_as_of(con, shown) if shown is not None else show_current(con)


def changes(
    con: duckdb.DuckDBPyConnection,
    settings: Settings | None,
    before: Snapshot,
    after: Snapshot,
    before_at: KnownLoad | None = None,
    versions: tuple[int, int] | None = None,
) -> Changes:
    """Statuses moved, other columns changed, themes added and missing, and each KPI from `before` to `after` (the
    one rule of what changed: `kpi changes` and `kpi loads show`)."""
    before_kpis = _before(con, settings, before, before_at)
    try:
        return _compared(con, settings, before, after, before_kpis, versions)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {BEFORE}")


def _compared(
    con: duckdb.DuckDBPyConnection,
    settings: Settings | None,
    before: Snapshot,
    after: Snapshot,
    before_kpis: tuple[Kpi, ...],
    versions: tuple[int, int] | None,
) -> Changes:
    """The later list's own rows against the earlier list's themes kept in BEFORE; the later list's KPIs."""
    ids = {"a": after.list_id}
    columns = ", ".join(f"a.{c.strip()}" for c in THEME_ROW.split(","))
    moved = con.execute(
        f"""SELECT {columns}, b.status FROM theme_rows a JOIN {BEFORE} b ON a.theme_id = b.theme_id
            WHERE a.list_id = $a AND a.status <> b.status ORDER BY a.item, a.theme_id""",
        ids,
    ).fetchall()
    fields = [c for c in THEME_FIELDS if c != "status"]
    differs = " UNION ALL ".join(
        f"""SELECT {columns}, '{c}' AS field, {i} AS field_order, b.{c}::VARCHAR AS was, a.{c}::VARCHAR AS now
            FROM theme_rows a JOIN {BEFORE} b ON a.theme_id = b.theme_id
            WHERE a.list_id = $a AND a.{c} IS DISTINCT FROM b.{c}"""
        for i, c in enumerate(fields)
    )
    edited = con.execute(
        f"SELECT * EXCLUDE (field_order) FROM ({differs}) ORDER BY item, theme_id, field_order", ids
    ).fetchall()
    attributes = _attributes_edited(con, settings, columns, ids)
    if attributes:  # after each theme's own columns (a stable sort keeps every theme's order)
        edited = sorted([*edited, *attributes], key=lambda r: (r[1], r[0]))
    only = "SELECT {cols} FROM {one} x WHERE NOT EXISTS (SELECT 1 FROM {other} y WHERE y.theme_id = x.theme_id) ORDER BY item, theme_id"
    after_kpis = outcome(con, fiscal_year_of(after.date), settings, after.list_id).kpis
    # Missing, and not carried either: an undo took the theme away, or a renumbered list starts afresh.
    dropped = con.execute(
        f"SELECT theme_id FROM {BEFORE} x WHERE NOT EXISTS (SELECT 1 FROM {listed('$a')} y WHERE y.theme_id = x.theme_id)",
        ids,
    ).fetchall()
    return Changes(
        before,
        after,
        tuple(StatusChange(ThemeRow(*r[:-1]), r[-1]) for r in moved),
        tuple(FieldChange(ThemeRow(*r[:-3]), *r[-3:]) for r in edited),
        _themes(con, only.format(cols=THEME_ROW, one=AFTER, other=BEFORE), ids),
        _themes(con, only.format(cols=THEME_ROW, one=BEFORE, other=AFTER), ids),
        tuple(KpiChange(b, a) for b, a in zip(before_kpis, after_kpis, strict=True)),
        settings.followup_horizon_years if settings else DEFAULT_HORIZON,
        versions,
        frozenset(str(t) for (t,) in dropped),
    )


def _attributes_edited(
    con: duckdb.DuckDBPyConnection, settings: Settings | None, columns: str, ids: dict[str, int]
) -> list[tuple[object, ...]]:
    """The theme attributes that differ between the later list's own rows and the themes kept in BEFORE (each as
    the list its row comes from gives it; none given: None), as rows like the other columns' (field: the attribute's
    name), after them: by theme, then in the order the settings declare the attributes."""
    declared = {a.name: i for i, a in enumerate(settings.attributes if settings else ())}
    rows = con.execute(
        f"""WITH now AS (SELECT theme_id, name, value FROM theme_attributes WHERE list_id = $a),
                 was AS (SELECT x.theme_id, t.name, t.value FROM {BEFORE} x
                         JOIN theme_attributes t ON t.list_id = x.list_id AND t.theme_id = x.theme_id),
                 d AS (SELECT coalesce(now.theme_id, was.theme_id) AS theme_id, coalesce(now.name, was.name) AS name,
                              was.value AS was, now.value AS now
                       FROM now FULL JOIN was ON now.theme_id = was.theme_id AND now.name = was.name
                       WHERE now.value IS DISTINCT FROM was.value)
            SELECT {columns}, d.name, d.was, d.now FROM theme_rows a JOIN {BEFORE} b ON a.theme_id = b.theme_id
            JOIN d ON d.theme_id = a.theme_id WHERE a.list_id = $a""",
        ids,
    ).fetchall()
    return sorted(rows, key=lambda r: (declared.get(str(r[-3]), len(declared)), str(r[-3])))


def between(con: duckdb.DuckDBPyConnection, since: dt.date | None, until: dt.date | None) -> Changes:
    """`kpi changes`: what moved between the lists in force on `since` and `until` (by default the last two), or
    between the two last versions of one date."""
    pair = pick(con, since, until)
    return changes(con, settings(con), *pair)._replace(asked=(since, until))
