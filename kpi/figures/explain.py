"""The themes behind a figure (`kpi explain`): every theme of the list in force (and those it carries), by the part
it plays in one KPI as of a year, with the rule that put it there.

The parts are the placement's (kpi.figures.placement), the one rule every output counts from: numerator,
denominator only, pending (its result still to come), not countable yet, excluded — each with its reason. So the
counts by part are the figure's numerator and denominator, as the report prints them.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import duckdb

from kpi.db.connect import fetch_one
from kpi.errors import UsageProblem
from kpi.figures.breakdown import Grouping, grouping, ordered
from kpi.figures.kpis import KPIS, KpiSpec, placed_sql, terminated_excluded
from kpi.figures.lists import Snapshot, in_force, list_id
from kpi.figures.placement import PLACED_ROWS, ROLES, Rule, exclusions
from kpi.figures.programme import as_of_year, require_data, settings
from kpi.organisations import split
from kpi.settings import DEFAULT_HORIZON, Settings


class ExplainedTheme(NamedTuple):
    """One theme: its part in the figure, and what the rule read (status, years, whether commercialised)."""

    theme_id: str
    role: str
    reason: str
    item: int
    element: str
    organizations: str
    title: str
    start_fy: int | None
    end_fy: int
    status: str
    commercialised: bool
    carried_from: dt.date | None  # the date of the earlier list its row comes from (None: its own list names it)
    organisations: int = 1  # how many organisations its 機関名 names (kpi.organisations.split)
    answered: int = 0  # how many answered in its latest counted survey year (all, when one answered for the whole)
    group: tuple[object, ...] = ()  # its group, when grouped (--by: kpi.figures.breakdown.Grouping.keys)


class Explained(NamedTuple):
    """A KPI's themes as of a year, from one list; `counts` by role."""

    kpi: str
    as_of_fy: int
    snapshot: Snapshot | None
    horizon_years: int
    project_id: int | None
    themes: tuple[ExplainedTheme, ...]
    measured: bool = True  # False: the KPI needs a follow-up survey and none is counted yet (not measured, not 0)
    grouping: Grouping | None = None  # how the themes are grouped (--by), in its order `groups`
    groups: tuple[tuple[object, ...], ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        return {role: sum(1 for t in self.themes if t.role == role) for role in ROLES}

    @property
    def reasons(self) -> dict[str, dict[str, int]]:
        """Themes per role and reason (only the reasons that place a theme)."""
        found: dict[str, dict[str, int]] = {role: {} for role in ROLES}
        for t in self.themes:
            found[t.role][t.reason] = found[t.role].get(t.reason, 0) + 1
        return found


def spec_of(kpi: str) -> KpiSpec:
    """The KPI named (short_term, long_term, long_term_matured); a usage error naming them otherwise."""
    for spec in KPIS:
        if spec.key == kpi:
            return spec
    raise UsageProblem("explain.unknown_kpi", kpi=kpi, kpis=", ".join(s.key for s in KPIS))


def rules_of(kpi: str) -> tuple[Rule, ...]:
    """Every rule that can place a theme in a KPI, in the order they are tried (the shared exclusions first)."""
    return (*exclusions(True), *spec_of(kpi).rules)


def _answered(cell: str, answered: list[str]) -> tuple[int, int]:
    """A theme's organisations, and how many of them answered in its latest counted survey year (an answer for the
    theme as a whole that year answers for all)."""
    organisations = split(cell)
    if "" in answered:
        return len(organisations), len(organisations)
    return len(organisations), sum(1 for o in organisations if o in set(answered))


def explain(
    con: duckdb.DuckDBPyConnection,
    kpi: str,
    asked: int | None,
    programme_id: int | None = None,
    by: str | None = None,
) -> Explained:
    """Every theme of the list in force for the year, by its part in the KPI; with `programme_id`, refused
    (exit 2) when the database holds another programme; with `by`, each theme's group (kpi.figures.breakdown)."""
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
    grouped = grouping(by, programme) if by is not None else None
    keys = "".join(f", {k}" for k in grouped.keys) if grouped else ""
    rows = con.execute(
        f"""{placed_sql(terminated_excluded(programme))}
        SELECT p.theme_id, p.role_{spec.key}, p.reason_{spec.key}, p.item, p.element, p.organizations, p.title,
               p.start_fy, p.end_fy, p.status, p.commercialised, p.carried_from,
               (SELECT list(DISTINCT f.organisation) FROM followups f WHERE f.theme_id = p.theme_id
                AND f.survey_fy = (SELECT max(g.survey_fy) FROM followups g WHERE g.theme_id = p.theme_id
                                   AND g.survey_fy BETWEEN p.end_fy AND $as_of)) AS answered{keys}
        FROM placed_roles p {grouped.join if grouped else ""} ORDER BY p.item, p.theme_id""",
        {"as_of": as_of, "horizon": horizon, "list": list_id(snapshot), **(grouped.params if grouped else {})},
    ).fetchall()
    themes = tuple(
        ExplainedTheme(
            str(theme_id),
            str(role),
            str(reason),
            int(item),
            str(element),
            str(orgs),
            str(title),
            start,
            int(end),
            str(status),
            bool(commercialised),
            carried,
            *_answered(str(orgs or ""), answered or []),
            tuple(group),
        )
        for theme_id, role, reason, item, element, orgs, title, start, end, status, commercialised, carried, answered, *group in rows
    )
    measured = not spec.needs_followups or bool(
        fetch_one(
            con,
            f"WITH {PLACED_ROWS} SELECT count(*) FROM placed WHERE surveyed",
            {"as_of": as_of, "horizon": horizon, "list": list_id(snapshot)},
        )
        != (0,)
    )
    project = programme.project_id if programme else None
    if grouped is None:
        return Explained(spec.key, as_of, snapshot, horizon, project, themes, measured)
    found = tuple(ordered(grouped, {t.group for t in themes}))
    return Explained(spec.key, as_of, snapshot, horizon, project, themes, measured, grouped, found)
