"""When the adopted themes reach their follow-up point, and how many of them are in practical use by then."""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

import duckdb

from kpi.db.connect import fetch_one
from kpi.exact import ratio
from kpi.figures.population import COMMERCIALISED_SQL, POPULATION

DEFAULT_JUDGED_FY = 2030  # drawn up to this year when no settings name the judging year


class ScheduleYear(NamedTuple):
    """Themes reaching their follow-up point in a year, matured by then, and (up to the as-of year) commercialised."""

    fy: int
    reaching: int
    matured: int
    commercialised: int | None

    @property
    def ratio(self) -> Fraction | None:
        return ratio(self.commercialised, self.matured)


class Schedule(NamedTuple):
    """The maturity schedule up to the judging year; themes whose point comes later are counted in `later`."""

    horizon_years: int
    until_fy: int
    has_followups: bool
    years: tuple[ScheduleYear, ...]
    later: int


def maturity_schedule(
    con: duckdb.DuckDBPyConnection, as_of: int, horizon: int, list_id: int, until: int | None = None
) -> Schedule:
    """Per year up to `until` (the judging year): themes reaching their horizon point, matured and commercialised.

    Years run from the first theme's point (as_of when there is none) to max(until, as_of). A theme reaches its
    point in end_fy + horizon and counts as commercialised in year Y once a survey of a year ≤ min(Y, as_of)
    records 製品化 or 上市, so the row of as_of agrees with the matured long-term KPI. `commercialised` is None
    after as_of, and throughout when no follow-up survey is loaded (not measured is not 0%).
    """
    until = max(until or DEFAULT_JUDGED_FY, as_of)
    params = {"as_of": as_of, "horizon": horizon, "until": until, "list": list_id}
    rows = con.execute(
        f"""
        WITH p AS (SELECT theme_id, end_fy + $horizon AS point FROM {POPULATION}),
        c AS (SELECT theme_id, min(survey_fy) AS first_fy FROM followups
              WHERE stage IN {COMMERCIALISED_SQL} AND survey_fy <= $as_of GROUP BY theme_id),
        pc AS (SELECT p.theme_id, p.point, c.first_fy FROM p LEFT JOIN c USING (theme_id)),
        y AS (SELECT unnest(range(coalesce((SELECT min(point) FROM p), $as_of), $until + 1)) AS fy)
        SELECT y.fy,
               count(pc.theme_id) FILTER (pc.point = y.fy),
               count(pc.theme_id) FILTER (pc.point <= y.fy),
               count(pc.theme_id) FILTER (pc.point <= y.fy AND pc.first_fy <= y.fy)
        FROM y LEFT JOIN pc ON true
        GROUP BY y.fy ORDER BY y.fy
        """,
        params,
    ).fetchall()
    later, surveyed = fetch_one(
        con,
        f"""SELECT (SELECT count(*) FROM {POPULATION} WHERE end_fy + $horizon > $until),
                   (SELECT count(*) FROM followups WHERE survey_fy <= $as_of) > 0""",
        params,
    ) or (0, False)
    years = tuple(
        ScheduleYear(int(fy), int(reaching), int(matured), int(comm) if int(fy) <= as_of and surveyed else None)
        for fy, reaching, matured, comm in rows
    )
    return Schedule(horizon, until, bool(surveyed), years, int(later))
