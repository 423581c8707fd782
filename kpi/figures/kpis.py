"""The outcome KPIs, each specified once: population, numerator, denominator, target and judging year.

Every output (report, JSON, CSV, HTML, charts, export, `kpi check`) lists KPIS and reads each KPI's
verdict from here. A new KPI is one KpiSpec below plus its name and definition in the catalogue
(kpi/present/catalogue.py, keys kpi.<key>.name and kpi.<key>.definition).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

import duckdb

from kpi.db.connect import fetch_one
from kpi.exact import ratio
from kpi.figures.lists import Snapshot, dated, in_force_among, list_id
from kpi.figures.outlook import Pending, ToReach, pending_outlook, to_reach
from kpi.figures.population import COMMERCIALISED_SQL, POPULATION, counted
from kpi.figures.verdict import Verdict, judge
from kpi.settings import DEFAULT_HORIZON, Settings


class KpiSpec(NamedTuple):
    """One KPI: which themes count in its numerator and denominator (SQL over KPI_ROWS), and its target.

    `{as_of}` in a condition stands for the as-of year (a parameter, or each year of a trend). The conditions
    read the columns of the population (status, end_fy, item, …) and three derived ones:
    `commercialised` (a survey up to the as-of year records 製品化 or 上市), `matured` (the follow-up horizon
    has passed since the theme's end) and `measured` (a survey in or after the year the horizon ends is
    recorded). Its outlook (kpi.figures.outlook) is declared by one of `pending` or `to_measure`.
    """

    key: str
    numerator: str
    denominator: str
    target: str  # the settings key of its target
    judged_from: str | None = None  # the settings attribute naming the first fiscal year it is judged
    needs_followups: bool = False  # its numerator is unknown (not 0) until a follow-up survey is loaded
    pending: str | None = None  # themes whose result is still to come and will join the denominator
    to_measure: str | None = None  # themes in the denominator whose measuring survey is still to come


SHORT_TERM = KpiSpec(
    "short_term",
    numerator="end_fy <= {as_of} AND status = 'achieved'",
    denominator="end_fy <= {as_of} AND status IN ('achieved', 'not_achieved')",
    target="short_term_target",
    pending="end_fy <= {as_of} AND status IN ('on_track', 'delayed')",
)
LONG_TERM = KpiSpec(
    "long_term",
    numerator="commercialised",
    denominator="true",
    target="long_term_target",
    judged_from="long_term_judged_from_fy",
    needs_followups=True,
    to_measure="NOT measured AND NOT commercialised",
)
LONG_TERM_MATURED = KpiSpec(
    "long_term_matured",
    numerator="matured AND commercialised",
    denominator="matured",
    target="long_term_target",
    needs_followups=True,
)
KPIS: tuple[KpiSpec, ...] = (SHORT_TERM, LONG_TERM, LONG_TERM_MATURED)

# The population with the three derived columns the specs read.
KPI_ROWS = f"""
    WITH surveyed AS (
      SELECT theme_id, bool_or(stage IN {COMMERCIALISED_SQL}) AS commercialised, max(survey_fy) AS last_survey
      FROM followups WHERE survey_fy <= $as_of GROUP BY theme_id),
    kpi_rows AS (
      SELECT p.*, coalesce(s.commercialised, false) AS commercialised, p.end_fy + $horizon <= $as_of AS matured,
             coalesce(s.last_survey >= p.end_fy + $horizon, false) AS measured
      FROM {POPULATION} p LEFT JOIN surveyed s USING (theme_id))
"""


class Kpi(NamedTuple):
    """A KPI as of a fiscal year: exact counts, its target and its verdict."""

    spec: KpiSpec
    numerator: int | None  # None: not measured yet (no follow-up survey loaded), which is not 0
    denominator: int
    target: Fraction | None
    target_text: str | None
    judged_from_fy: int | None
    verdict: Verdict
    outlook: Pending | ToReach | None = None  # what the KPI can still become, as its spec declares

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def ratio(self) -> Fraction | None:
        return ratio(self.numerator, self.denominator)

    @property
    def unmeasured_reason(self) -> str | None:
        """Why the ratio cannot be computed: 'no_followups', 'denominator_zero', or None when it can."""
        if self.numerator is None:
            return "no_followups"
        if self.denominator == 0:
            return "denominator_zero"
        return None


@dataclass(frozen=True)
class Outcome:
    """The outcome KPIs as of a fiscal year, with the counts the report prints beside them."""

    as_of_fy: int
    kpis: tuple[Kpi, ...]
    delayed: int  # short-term: not completed, not in the denominator
    awaiting_final: int  # short-term: ended, still on track: not in the denominator
    not_achieved: int
    not_yet_measurable: int  # long-term: adopted themes whose follow-up horizon has not passed
    horizon_years: int
    surveyed_themes: int

    def __getitem__(self, key: str) -> Kpi:
        return next(k for k in self.kpis if k.key == key)

    @property
    def has_followups(self) -> bool:
        return self.surveyed_themes > 0

    @property
    def judged_from_fy(self) -> int | None:
        return self[LONG_TERM.key].judged_from_fy


def outcome(con: duckdb.DuckDBPyConnection, as_of: int, settings: Settings | None, list_id: int) -> Outcome:
    """Every KPI of KPIS as of `as_of` over the themes of one list, in one query."""
    horizon = settings.followup_horizon_years if settings else DEFAULT_HORIZON
    counts = ", ".join(
        f"count(*) FILTER ({s.numerator}), count(*) FILTER ({s.denominator}), "
        f"count(*) FILTER ({s.pending or s.to_measure or 'false'})".format(as_of="$as_of")
        for s in KPIS
    )
    row = fetch_one(
        con,
        f"""{KPI_ROWS}
        SELECT {counts},
               count(*) FILTER (status = 'delayed'),
               count(*) FILTER (end_fy <= $as_of AND status = 'on_track'),
               count(*) FILTER (end_fy <= $as_of AND status = 'not_achieved'),
               count(*) FILTER (NOT matured),
               (SELECT count(*) FROM surveyed)
        FROM kpi_rows""",
        {"as_of": as_of, "horizon": horizon, "list": list_id},
    )
    values = [int(v) for v in row] if row else [0] * (3 * len(KPIS) + 5)
    delayed, awaiting, not_achieved, unmatured, surveyed = values[3 * len(KPIS) :]
    kpis = []
    for i, spec in enumerate(KPIS):
        counted, denominator, still = values[3 * i : 3 * i + 3]
        numerator: int | None = None if spec.needs_followups and not surveyed else counted
        target = settings.target(spec.target) if settings else None
        judged_from = getattr(settings, spec.judged_from) if settings and spec.judged_from else None
        outlook: Pending | ToReach | None = None
        if spec.pending:
            outlook = pending_outlook(counted, denominator, still, target)
        elif spec.to_measure:
            outlook = to_reach(numerator, denominator, target, as_of, judged_from, still)
        kpis.append(
            Kpi(
                spec=spec,
                numerator=numerator,
                denominator=denominator,
                target=target,
                target_text=settings.target_text(spec.target) if settings else None,
                judged_from_fy=judged_from,
                verdict=judge(numerator, denominator, target, as_of, judged_from),
                outlook=outlook,
            )
        )
    return Outcome(as_of, tuple(kpis), delayed, awaiting, not_achieved, unmatured, horizon, surveyed)


class TrendYear(NamedTuple):
    """The short-term KPI as it stood at the end of one fiscal year."""

    fy: int
    achieved: int
    completed: int
    verdict: Verdict

    @property
    def ratio(self) -> Fraction | None:
        return ratio(self.achieved, self.completed)


def trend(
    con: duckdb.DuckDBPyConnection, as_of: int, settings: Settings | None, lists: list[Snapshot] | None = None
) -> list[TrendYear]:
    """The short-term KPI at the end of each fiscal year, each year from its own list (the list in force at that
    year's end), from the first year a theme of `as_of`'s list completed to `as_of` (`lists`: the dated lists,
    when the caller has read them already)."""
    spec = SHORT_TERM
    lists = dated(con) if lists is None else lists
    now = in_force_among(lists, as_of)
    first = fetch_one(
        con,
        f"SELECT min(end_fy) FROM {POPULATION} WHERE {spec.denominator.format(as_of='$as_of')}",
        {"as_of": as_of, "list": list_id(now)},
    )
    if now is None or first is None or first[0] is None:
        return []
    years = [(fy, list_id(in_force_among(lists, fy))) for fy in range(int(first[0]), as_of + 1)]
    # Each year's list is read once, as counts per (item, start_fy, end_fy, status): a handful of groups whatever
    # the list's length, then joined to the years (a year's population and counts filter those groups). The list of
    # each year is found here, from the dated lists, so the query plans no subquery per year.
    rows = con.execute(
        f"""
        WITH years(fy, list_id) AS (VALUES {", ".join("(?, ?)" for _ in years)}),
        groups AS (
          SELECT list_id, item, start_fy, end_fy, status, count(*) AS n FROM theme_rows
          WHERE list_id IN (SELECT list_id FROM years) GROUP BY ALL)
        SELECT y.fy,
               coalesce(sum(p.n) FILTER ({spec.numerator.format(as_of="y.fy")}), 0),
               coalesce(sum(p.n) FILTER ({spec.denominator.format(as_of="y.fy")}), 0)
        FROM years y LEFT JOIN groups p
          ON p.list_id = y.list_id AND {counted("y.fy")} AND p.end_fy <= y.fy
        GROUP BY y.fy ORDER BY y.fy
        """,
        [value for year in years for value in year],
    ).fetchall()
    target = settings.target(spec.target) if settings else None
    return [TrendYear(int(fy), int(a), int(c), judge(int(a), int(c), target, int(fy))) for fy, a, c in rows]
