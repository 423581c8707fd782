"""The follow-up surveys' effects in the report: sales summed by end-year cohort (kept confidential: kpi.figures.suppress),
the reasons of the themes that stopped, and the long-term KPI's time axis (commercialised by cohort and years since
the end, with each round's response rate).

The themes are those of the list in force that the long-term KPI counts (not excluded: kpi.figures.placement),
ended before the as-of year; an answer counts from the theme's end year to the as-of year, as the KPI counts it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

import duckdb

from kpi.codes import REASON_CODES, STOPPED
from kpi.figures.kpis import LONG_TERM, placed_sql, terminated_excluded
from kpi.figures.population import COMMERCIALISED_SQL
from kpi.figures.responses import responses
from kpi.figures.suppress import Cell, Suppressed, Table, suppress
from kpi.settings import DEFAULT_FOLLOWUP_ROUNDS, DEFAULT_HORIZON, DEFAULT_SUPPRESSION_K, Settings

UNRECORDED = "unrecorded"  # a 中止・中断 answer without a reason code


class Sales(NamedTuple):
    """Sales (億円) summed over themes: rows the end-year cohorts, columns the survey years, with every total, after
    the disclosure rule (a figure of fewer than `k` themes, or derivable from the rest, is withheld)."""

    cohorts: tuple[int, ...]
    years: tuple[int, ...]
    table: Suppressed


class CohortCell(NamedTuple):
    """One cohort `years_after` years after its end: themes commercialised by then of the cohort's themes, and the
    response rate of that year's round for the cohort (answered / sent; sent 0 when no sheet was sent)."""

    years_after: int
    commercialised: int
    themes: int
    answered: int
    sent: int

    @property
    def ratio(self) -> Fraction | None:
        """Commercialised / themes, exact."""
        return Fraction(self.commercialised, self.themes) if self.themes else None

    @property
    def response_rate(self) -> Fraction | None:
        """Answered / sent, exact; None when nothing was sent."""
        return Fraction(self.answered, self.sent) if self.sent else None


class CohortRow(NamedTuple):
    """The themes ending in one fiscal year, and a cell for each round already reached (None: not yet)."""

    end_fy: int
    themes: int
    cells: tuple[CohortCell | None, ...]


class CohortTable(NamedTuple):
    """Commercialisation by end-year cohort (rows) and years since the end (columns: the programme's rounds)."""

    rounds: tuple[int, ...]
    rows: tuple[CohortRow, ...]


class Effects(NamedTuple):
    """What the report shows of the surveys' effects; None for a part with no data (its section is left out)."""

    sales: Sales | None
    reasons: tuple[tuple[str, int], ...] | None  # (reason code or UNRECORDED, current 中止・中断 answers)
    cohorts: CohortTable | None


def effects(con: duckdb.DuckDBPyConnection, as_of: int, programme: Settings | None, list_id: int) -> Effects:
    """The sales table, the reasons and the cohort table as of a year, for the themes of one list."""
    surveyed = """SELECT 1 FROM followups WHERE survey_fy <= $as_of
        UNION ALL SELECT 1 FROM followup_sent WHERE survey_fy <= $as_of LIMIT 1"""
    if not con.execute(surveyed, {"as_of": as_of}).fetchall():
        return Effects(None, None, None)  # nothing surveyed: nothing measured (as the long-term KPI says)
    horizon = programme.followup_horizon_years if programme else DEFAULT_HORIZON
    params = {"as_of": as_of, "horizon": horizon, "list": list_id}
    ended = f"""{placed_sql(terminated_excluded(programme))}, ended AS (
        SELECT theme_id, end_fy, reason_{LONG_TERM.key} = 'terminated' AS terminated
        FROM placed_roles WHERE role_{LONG_TERM.key} <> 'excluded' AND end_fy < $as_of)"""
    k = programme.suppression_k if programme else DEFAULT_SUPPRESSION_K
    rounds = programme.followup_rounds if programme else DEFAULT_FOLLOWUP_ROUNDS
    return Effects(
        sales(con, ended, params, k), reasons(con, ended, params), cohort_table(con, ended, params, rounds, as_of)
    )


def sales(con: duckdb.DuckDBPyConnection, ended: str, params: dict[str, int], k: int) -> Sales | None:
    """Each theme's sales of a year summed by cohort and year: the sum over its organisations' answers, or, in a year
    none of them gave sales, the answer for the theme as a whole (never both: the whole is not added to its parts)."""
    rows = con.execute(
        f"""{ended}
        SELECT e.end_fy, f.survey_fy, f.theme_id,
               coalesce(sum(f.sales) FILTER (f.organisation <> ''), sum(f.sales) FILTER (f.organisation = ''))
        FROM followups f JOIN ended e USING (theme_id)
        WHERE f.sales IS NOT NULL AND f.survey_fy BETWEEN e.end_fy AND $as_of
        GROUP BY ALL ORDER BY ALL""",
        params,
    ).fetchall()
    if not rows:
        return None
    cohorts = tuple(sorted({int(r[0]) for r in rows}))
    years = tuple(sorted({int(r[1]) for r in rows}))
    found: dict[tuple[int, int], dict[str, Decimal]] = {}
    for cohort, year, theme, value in rows:
        found.setdefault((int(cohort), int(year)), {})[str(theme)] = Decimal(value)
    cells = tuple(tuple(_cell(found.get((c, y), {})) for y in years) for c in cohorts)
    return Sales(cohorts, years, suppress(Table(cells), k))


def _cell(sales: dict[str, Decimal]) -> Cell:
    """The cell of some themes' sales."""
    return Cell(len(sales), sum(sales.values(), Decimal(0)), frozenset(sales))


def reasons(con: duckdb.DuckDBPyConnection, ended: str, params: dict[str, int]) -> tuple[tuple[str, int], ...] | None:
    """The current 中止・中断 answers counted by reason code: the latest answer of each theme and organisation, an
    answer for the theme as a whole only while no organisation of the theme has answered in its year or later (an
    organisation's answer supersedes it, as in the sales)."""
    stopped = ", ".join(f"'{s}'" for s in STOPPED)
    rows = con.execute(
        f"""{ended}, latest AS (
          SELECT f.theme_id, f.organisation, f.survey_fy, f.stage, f.reason_code
          FROM followups f JOIN ended e USING (theme_id)
          WHERE f.survey_fy BETWEEN e.end_fy AND $as_of
          QUALIFY row_number() OVER (PARTITION BY f.theme_id, f.organisation ORDER BY f.survey_fy DESC) = 1),
        current AS (
          SELECT * FROM latest w WHERE w.organisation <> '' OR NOT EXISTS (
            SELECT 1 FROM latest o WHERE o.theme_id = w.theme_id AND o.organisation <> '' AND o.survey_fy >= w.survey_fy))
        SELECT coalesce(reason_code, '{UNRECORDED}'), count(*) FROM current WHERE stage IN ({stopped}) GROUP BY ALL""",
        params,
    ).fetchall()
    if not rows:
        return None
    counts = {str(code): int(n) for code, n in rows}
    return tuple((code, counts.get(code, 0)) for code in (*REASON_CODES, UNRECORDED))


def cohort_table(
    con: duckdb.DuckDBPyConnection, ended: str, params: dict[str, int], rounds: tuple[int, ...], as_of: int
) -> CohortTable | None:
    """Each cohort's themes commercialised by each round reached, and the round's response rate for the cohort; a theme
    ended early (中止) is never commercialised, as the long-term KPI places it, whatever a later answer says."""
    rows = con.execute(
        f"""{ended}, rounds AS (SELECT unnest($rounds::INTEGER[]) AS y),
        cells AS (SELECT e.theme_id, e.end_fy, e.terminated, r.y FROM ended e, rounds r WHERE e.end_fy + r.y <= $as_of),
        done AS (
          SELECT c.end_fy, c.y, count(*) FILTER (NOT c.terminated AND EXISTS (
            SELECT 1 FROM followups f WHERE f.theme_id = c.theme_id AND f.stage IN {COMMERCIALISED_SQL}
              AND f.survey_fy BETWEEN c.end_fy AND c.end_fy + c.y)) AS commercialised
          FROM cells c GROUP BY ALL)
        SELECT e.end_fy, count(*) AS themes, list(e.theme_id),
          (SELECT list({{'y': d.y, 'c': d.commercialised}}) FROM done d WHERE d.end_fy = e.end_fy)
        FROM ended e GROUP BY e.end_fy ORDER BY e.end_fy""",
        {**params, "rounds": list(rounds)},
    ).fetchall()
    cohort_of = {str(t): int(end_fy) for end_fy, _, theme_ids, _ in rows for t in theme_ids}
    sent: dict[tuple[int, int], list[bool]] = {}
    for s in responses(con, as_of, dt.date(as_of + 1, 3, 31)).sendings:  # (the one rule of answered: its module)
        if s.theme_id in cohort_of:
            sent.setdefault((cohort_of[s.theme_id], s.survey_fy - cohort_of[s.theme_id]), []).append(s.answered)
    table = []
    for end_fy, themes, _, done in rows:
        commercialised = {int(d["y"]): int(d["c"]) for d in done or []}
        cells = tuple(
            CohortCell(y, commercialised.get(y, 0), int(themes), *_rate(sent.get((int(end_fy), y), [])))
            if int(end_fy) + y <= as_of
            else None
            for y in rounds
        )
        table.append(CohortRow(int(end_fy), int(themes), cells))
    return CohortTable(rounds, tuple(table)) if table else None


def _rate(answered: list[bool]) -> tuple[int, int]:
    """Answered and sent of some sendings."""
    return sum(answered), len(answered)


ANSWER_COLUMNS = (
    "theme_id",
    "title",
    "organisation",
    "survey_fy",
    "stage",
    "sales",
    "cumulative_sales",
    "products",
    "effects",
)


def answers(con: duckdb.DuckDBPyConnection, as_of: int, list_id: int) -> list[tuple[object, ...]]:
    """Every current answer up to the as-of year of the themes of one list, per theme × organisation × year, with
    its sales: confidential (only `kpi export --confidential` writes them)."""
    from kpi.db.carried import listed

    return con.execute(
        f"""SELECT f.theme_id, t.title, f.organisation, f.survey_fy, f.stage, f.sales, f.cumulative_sales,
                   f.products, f.effects
            FROM followups f JOIN {listed()} t USING (theme_id)
            WHERE f.survey_fy <= $as_of ORDER BY f.theme_id, f.organisation, f.survey_fy""",
        {"as_of": as_of, "list": list_id},
    ).fetchall()
