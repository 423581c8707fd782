"""The themes behind a figure (`kpi explain`): every theme of the list in force, by the part it plays in one KPI
as of a year, with the rule that put it there.

A theme is in the numerator, in the denominator only, pending (its result is still to come: awaiting a final
result or delayed; for the long-term KPI, its measuring survey), or excluded — leading research, not yet adopted,
or (per KPI) not yet countable: still in its R&D period for the short-term KPI, its follow-up horizon not passed
for the matured long-term KPI. The roles are the KPI's own conditions (kpi.figures.kpis), so the counts are the
figure's numerator and denominator.
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from kpi.codes import LEADING_ITEM
from kpi.errors import UsageProblem
from kpi.figures.kpis import KPIS, KpiSpec
from kpi.figures.lists import Snapshot, in_force, list_id
from kpi.figures.population import COMMERCIALISED_SQL
from kpi.figures.programme import as_of_year, require_data, settings
from kpi.settings import DEFAULT_HORIZON, Settings

# The roles, in the order a listing shows them.
ROLES = ("numerator", "denominator", "pending", "not_countable", "not_adopted", "leading_research")


class ExplainedTheme(NamedTuple):
    """One theme: its part in the figure, and what the rule read (status, years, whether commercialised)."""

    theme_id: str
    role: str
    item: int
    element: str
    organizations: str
    title: str
    start_fy: int | None
    end_fy: int
    status: str
    commercialised: bool


class Explained(NamedTuple):
    """A KPI's themes as of a year, from one list; `counts` by role."""

    kpi: str
    as_of_fy: int
    snapshot: Snapshot | None
    horizon_years: int
    project_id: int | None
    themes: tuple[ExplainedTheme, ...]

    @property
    def counts(self) -> dict[str, int]:
        return {role: sum(1 for t in self.themes if t.role == role) for role in ROLES}


def spec_of(kpi: str) -> KpiSpec:
    """The KPI named (short_term, long_term, long_term_matured); a usage error naming them otherwise."""
    for spec in KPIS:
        if spec.key == kpi:
            return spec
    raise UsageProblem("explain.unknown_kpi", kpi=kpi, kpis=", ".join(s.key for s in KPIS))


def _role(spec: KpiSpec) -> str:
    pending = spec.pending or spec.to_measure or "false"
    return f"""CASE WHEN item = {LEADING_ITEM} THEN 'leading_research'
                    WHEN start_fy IS NOT NULL AND start_fy > $as_of THEN 'not_adopted'
                    WHEN {spec.numerator} THEN 'numerator'
                    WHEN {spec.denominator} THEN 'denominator'
                    WHEN {pending} THEN 'pending'
                    ELSE 'not_countable' END""".format(as_of="$as_of")


def explain(con: duckdb.DuckDBPyConnection, kpi: str, asked: int | None, programme_id: int | None = None) -> Explained:
    """Every theme of the list in force for the year, by its part in the KPI; with `programme_id`, refused
    (exit 2) when the database holds another programme."""
    spec = spec_of(kpi)
    require_data(con)
    programme: Settings | None = settings(con)
    if programme_id is not None and (programme is None or programme.project_id != programme_id):
        raise UsageProblem(
            "explain.other_programme", asked=programme_id, found=programme.project_id if programme else "—"
        )
    as_of = as_of_year(con, asked, programme)
    snapshot = in_force(con, as_of)
    horizon = programme.followup_horizon_years if programme else DEFAULT_HORIZON
    rows = con.execute(
        f"""
        WITH surveyed AS (
          SELECT theme_id, bool_or(stage IN {COMMERCIALISED_SQL}) AS commercialised, max(survey_fy) AS last_survey
          FROM followups WHERE survey_fy <= $as_of GROUP BY theme_id),
        listed AS (
          SELECT t.*, coalesce(s.commercialised, false) AS commercialised, t.end_fy + $horizon <= $as_of AS matured,
                 coalesce(s.last_survey >= t.end_fy + $horizon, false) AS measured
          FROM theme_rows t LEFT JOIN surveyed s USING (theme_id) WHERE t.list_id = $list)
        SELECT theme_id, {_role(spec)}, item, element, organizations, title, start_fy, end_fy, status, commercialised
        FROM listed ORDER BY item, theme_id
        """,
        {"as_of": as_of, "horizon": horizon, "list": list_id(snapshot)},
    ).fetchall()
    themes = tuple(
        ExplainedTheme(
            str(theme_id),
            str(role),
            int(item),
            str(element),
            str(orgs),
            str(title),
            start,
            int(end),
            str(status),
            bool(commercialised),
        )
        for theme_id, role, item, element, orgs, title, start, end, status, commercialised in rows
    )
    return Explained(spec.key, as_of, snapshot, horizon, programme.project_id if programme else None, themes)
