"""The government's RS open data for the programme's project: appropriations and published indicators.

For each budget year the newest sheet that reports its execution is used (a sheet reports execution only up
to the year before its own); RS 執行 of a fund is the transfer into the fund, not R&D spending.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

import duckdb

from kpi.db.schema import RS_APPROPRIATION
from kpi.settings import Settings

# An RS appropriation row's figures, in the order RS publishes them (yen, and the rate as published).
RS_AMOUNTS = (*RS_APPROPRIATION, "execution_rate", "carried_out")


class Appropriation(NamedTuple):
    """One budget year of RS 2-1 in yen (execution None where the sheet does not report it yet)."""

    budget_fy: int
    sheet_fy: int
    initial: int | None
    supplementary: int | None
    carried_in: int | None
    reserve: int | None
    current: int | None
    executed: int | None
    execution_rate: Decimal | None
    carried_out: int | None
    execution_reported: bool


class IndicatorYear(NamedTuple):
    """One fiscal year of an RS indicator, as published."""

    fy: int
    target: Decimal | None
    actual: Decimal | None
    achievement_rate: Decimal | None


class Indicator(NamedTuple):
    """An RS 3-1 indicator of the project (its newest sheet)."""

    seq: int
    number: int | None
    kind: str | None
    period: str | None
    name: str | None
    indicator: str | None
    unit: str | None
    target_years: tuple[int, ...]
    sheet_fy: int
    years: tuple[IndicatorYear, ...]


class Rs(NamedTuple):
    """The project's RS data."""

    project_id: int
    appropriations: tuple[Appropriation, ...]
    indicators: tuple[Indicator, ...]

    def outcome(self, period: str) -> Indicator | None:
        """The outcome indicator of a period ('short', 'long'), if published."""
        return next((i for i in self.indicators if i.kind == "outcome" and i.period == period), None)


def rs(con: duckdb.DuckDBPyConnection, as_of: int, settings: Settings | None) -> Rs | None:
    """The project's RS appropriations up to as_of and its newest indicators; None without RS data."""
    if settings is None:
        return None
    project = settings.project_id
    rows = con.execute(
        f"""
        SELECT budget_fy, sheet_fy, {", ".join(f'"{c}"' for c in RS_AMOUNTS)}, execution_reported
        FROM rs_budget WHERE project_id = $p AND budget_fy <= $as_of
        QUALIFY row_number() OVER (PARTITION BY budget_fy ORDER BY execution_reported DESC, sheet_fy DESC) = 1
        ORDER BY budget_fy
        """,
        {"p": project, "as_of": as_of},
    ).fetchall()
    appropriations = tuple(Appropriation(int(r[0]), int(r[1]), *r[2:]) for r in rows)
    values: dict[int, list[IndicatorYear]] = {}
    for seq, fy, target, actual, rate in con.execute(
        """
        SELECT v.seq, v.fy, v.target, v.actual, v.achievement_rate FROM rs_values v
        WHERE v.project_id = $p AND v.sheet_fy = (SELECT max(sheet_fy) FROM rs_indicators WHERE project_id = $p)
        ORDER BY v.seq, v.fy
        """,
        {"p": project},
    ).fetchall():
        values.setdefault(int(seq), []).append(IndicatorYear(int(fy), target, actual, rate))
    indicators = tuple(
        Indicator(
            int(seq),
            number,
            kind,
            period,
            name,
            indicator,
            unit,
            tuple(int(y) for y in target_years or []),
            int(sheet_fy),
            tuple(values.get(int(seq), [])),
        )
        for seq, sheet_fy, number, kind, period, name, indicator, unit, target_years in con.execute(
            """
            SELECT seq, sheet_fy, number, kind, period, name, indicator, unit, target_years FROM rs_indicators
            WHERE project_id = $p QUALIFY sheet_fy = max(sheet_fy) OVER () ORDER BY seq
            """,
            {"p": project},
        ).fetchall()
    )
    if not appropriations and not indicators:
        return None
    return Rs(project, appropriations, indicators)
