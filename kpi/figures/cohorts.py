"""The time axis (`kpi portfolio`): the themes of the list in force by the fiscal year they end (cohorts), each with
its short-term counts (achieved / completed) and, where surveyed, its matured long-term counts (commercialised /
matured) — whether later cohorts do better or worse. The counts are the KPIs' own placement of each theme, cohort by cohort."""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from kpi.figures.kpis import LONG_TERM_MATURED, SHORT_TERM, placed_sql, terminated_excluded
from kpi.settings import DEFAULT_HORIZON, Settings


class Cohort(NamedTuple):
    """The themes ending in one fiscal year: achieved of completed, commercialised of matured (None: no follow-up
    survey is loaded, so not measured), and how many there are."""

    end_fy: int
    themes: int
    achieved: int
    completed: int
    commercialised: int | None
    matured: int


def cohorts(
    con: duckdb.DuckDBPyConnection, as_of: int, programme: Settings | None, list_id: int, surveyed: bool
) -> tuple[Cohort, ...]:
    """Every cohort of the population up to the as-of year, oldest first (a theme a list says was stopped before
    its planned end year counts in the as-of year's cohort: it has ended, and in the short-term denominator)."""
    horizon = programme.followup_horizon_years if programme else DEFAULT_HORIZON
    short, matured = SHORT_TERM.key, LONG_TERM_MATURED.key
    rows = con.execute(
        f"""{placed_sql(terminated_excluded(programme))}
        SELECT least(end_fy, $as_of) AS cohort, count(*),
               count(*) FILTER (role_{short} = 'numerator'),
               count(*) FILTER (role_{short} IN ('numerator', 'denominator')),
               count(*) FILTER (role_{matured} = 'numerator'),
               count(*) FILTER (role_{matured} IN ('numerator', 'denominator'))
        FROM placed_roles
        WHERE role_{short} <> 'excluded' AND (end_fy <= $as_of OR role_{short} = 'denominator')
        GROUP BY cohort ORDER BY cohort""",
        {"as_of": as_of, "horizon": horizon, "list": list_id},
    ).fetchall()
    return tuple(
        Cohort(int(fy), int(n), int(a), int(c), int(m) if surveyed else None, int(d)) for fy, n, a, c, m, d in rows
    )
