"""Outputs: papers, presentations and patent applications per year and in total, and the latest grants."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import NamedTuple

import duckdb

from kpi.db.connect import fetch_one
from kpi.exact import ratio

COUNTS = ("papers", "presentations", "patents_domestic", "patents_foreign", "patents_pct")


class OutputYear(NamedTuple):
    """One fiscal year's outputs (the report's 2-2 ③)."""

    fy: int
    papers: int
    presentations: int
    patents_domestic: int
    patents_foreign: int
    patents_pct: int


class Grants(NamedTuple):
    """Patents granted as of a date, against the applications filed up to the as-of year."""

    as_of_date: dt.date
    granted_domestic: int
    granted_foreign: int
    filed_domestic: int
    filed_foreign: int

    @property
    def rate_domestic(self) -> Fraction | None:
        return ratio(self.granted_domestic, self.filed_domestic)

    @property
    def rate_foreign(self) -> Fraction | None:
        return ratio(self.granted_foreign, self.filed_foreign)


class Outputs(NamedTuple):
    """Outputs per year up to the as-of year, their totals, and the latest grants row."""

    years: tuple[OutputYear, ...]
    grants: Grants | None

    @property
    def total(self) -> dict[str, int]:
        return {c: sum(getattr(y, c) for y in self.years) for c in COUNTS}


def outputs(con: duckdb.DuckDBPyConnection, as_of: int) -> Outputs:
    """Outputs up to as_of and the latest grants (whatever their date: grants are shown with their own date)."""
    rows = con.execute(
        f"SELECT fy, {', '.join(COUNTS)} FROM outputs WHERE fy <= $as_of ORDER BY fy", {"as_of": as_of}
    ).fetchall()
    years = tuple(OutputYear(*(int(v) for v in r)) for r in rows)
    latest = fetch_one(
        con, "SELECT as_of_date, granted_domestic, granted_foreign FROM grants ORDER BY as_of_date DESC LIMIT 1"
    )
    grants = None
    if latest:
        filed_domestic = sum(y.patents_domestic for y in years)
        filed_foreign = sum(y.patents_foreign for y in years)
        grants = Grants(latest[0], int(latest[1]), int(latest[2]), filed_domestic, filed_foreign)
    return Outputs(years, grants)
