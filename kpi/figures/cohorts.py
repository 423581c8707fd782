"""The time axis (`kpi portfolio`): the themes of the list in force by the fiscal year they end (cohorts), each with
its short-term counts (achieved / completed) and, where surveyed, its matured long-term counts (commercialised /
matured) — whether later cohorts do better or worse. The counts are the KPIs' own conditions, cohort by cohort."""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from kpi.figures.kpis import KPI_ROWS, LONG_TERM_MATURED, SHORT_TERM
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
    """Every cohort of the population up to the as-of year, oldest first."""
    horizon = programme.followup_horizon_years if programme else DEFAULT_HORIZON
    counts = ", ".join(
        f"count(*) FILTER ({condition})".format(as_of="$as_of")
        for condition in (
            SHORT_TERM.numerator,
            SHORT_TERM.denominator,
            LONG_TERM_MATURED.numerator,
            LONG_TERM_MATURED.denominator,
        )
    )
    rows = con.execute(
        f"""{KPI_ROWS}
        SELECT end_fy, count(*), {counts} FROM kpi_rows WHERE end_fy <= $as_of GROUP BY end_fy ORDER BY end_fy""",
        {"as_of": as_of, "horizon": horizon, "list": list_id},
    ).fetchall()
    return tuple(
        Cohort(int(fy), int(n), int(a), int(c), int(m) if surveyed else None, int(d)) for fy, n, a, c, m, d in rows
    )
