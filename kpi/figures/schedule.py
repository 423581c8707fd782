"""When the adopted themes reach their follow-up point, and how many of them are in practical use by then."""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

import duckdb

from kpi.exact import ratio
from kpi.figures.kpis import LONG_TERM_MATURED, placed_sql, placements, terminated_excluded
from kpi.settings import DEFAULT_HORIZON, Settings

DEFAULT_JUDGED_FY = 2030  # drawn up to this year when no settings name the judging year


class ScheduleYear(NamedTuple):
    """Themes reaching their follow-up point in a year, matured by then, and (up to the as-of year) the matured
    long-term KPI as of that year: the themes in its denominator (`measured`), its numerator (`commercialised`) and
    the matured themes still awaiting their survey (`pending`)."""

    fy: int
    reaching: int
    matured: int
    commercialised: int | None
    measured: int | None = None
    pending: int | None = None

    @property
    def ratio(self) -> Fraction | None:
        return None if self.measured is None else ratio(self.commercialised, self.measured)


class Schedule(NamedTuple):
    """The maturity schedule up to the judging year; themes whose point comes later are counted in `later`."""

    horizon_years: int
    until_fy: int
    has_followups: bool
    years: tuple[ScheduleYear, ...]
    later: int


def maturity_schedule(
    con: duckdb.DuckDBPyConnection, as_of: int, settings: Settings | None, list_id: int, until: int | None = None
) -> Schedule:
    """Per year up to `until` (the judging year): themes reaching their horizon point and matured by then, and up to
    the as-of year the matured long-term KPI as of that year (its placement: kpi.figures.placement).

    Years run from the first theme's point (as_of when there is none) to max(until, as_of). The themes are those the
    matured KPI does not exclude as of the as-of year; a theme reaches its point in end_fy + horizon. The row of each
    year up to as_of is the matured KPI as of that year (from the as-of year's list, surveys up to that year), so the
    row of as_of is the KPI itself; `commercialised` is None after as_of, and throughout when no follow-up survey
    counts (not measured is not 0%).
    """
    horizon = settings.followup_horizon_years if settings else DEFAULT_HORIZON
    until = max(until or DEFAULT_JUDGED_FY, as_of)
    points = dict(
        con.execute(
            f"""{placed_sql(terminated_excluded(settings))}
            SELECT end_fy + $horizon, count(*) FROM placed_roles
            WHERE role_{LONG_TERM_MATURED.key} <> 'excluded' GROUP BY ALL""",
            {"as_of": as_of, "horizon": horizon, "list": list_id},
        ).fetchall()
    )
    first = min(points, default=as_of)
    years = []
    for fy in range(min(first, as_of), until + 1):
        if fy < first:
            continue
        reaching = int(points.get(fy, 0))
        matured = sum(int(n) for point, n in points.items() if point <= fy)
        if fy <= as_of:
            placed, extra = placements(con, fy, settings, list_id)
            kpi = placed[LONG_TERM_MATURED.key]
            surveyed = extra.surveyed_themes > 0
            years.append(
                ScheduleYear(fy, reaching, matured, kpi.numerator if surveyed else None, kpi.denominator, kpi.pending)
            )
        else:
            years.append(ScheduleYear(fy, reaching, matured, None))
    later = sum(int(n) for point, n in points.items() if point > until)
    surveyed_now = bool(years) and any(y.commercialised is not None for y in years)
    return Schedule(horizon, until, surveyed_now, tuple(years), later)
