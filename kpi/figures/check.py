"""`kpi check`: the KPIs as of a year, whether any is judged below its target, and whether the figures differ
from the latest submission for the year."""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from kpi.db.versions import KnownLoad, shown_load
from kpi.figures.budget import budget
from kpi.figures.kpis import Outcome, outcome
from kpi.figures.lists import Snapshot, in_force, list_id
from kpi.figures.programme import as_of_year, require_data, required_settings
from kpi.figures.responses import Late
from kpi.figures.status import status_summary
from kpi.figures.submissions import Standing, against_latest, figures_from
from kpi.figures.verdict import Verdict


class Check(NamedTuple):
    """`kpi check`: the KPIs as of a year and the list they were counted on; the latest submission for the year
    and how today's figures differ from it; the load a --known-at read is as of."""

    outcome: Outcome
    snapshot: Snapshot | None
    standing: Standing | None = None
    known_at: KnownLoad | None = None
    late: Late | None = None  # with --max-overdue-days: the surveys unanswered longer past their deadline

    @property
    def failed(self) -> bool:
        """Whether any KPI is judged and below its target: the only outcome that makes `kpi check` exit 1."""
        return any(k.verdict is Verdict.NOT_MET for k in self.outcome.kpis)

    @property
    def overdue(self) -> bool:
        """Whether a survey is unanswered longer past its deadline than --max-overdue-days allows (exit 4)."""
        return self.late is not None and bool(self.late.sendings)


def check(con: duckdb.DuckDBPyConnection, asked: int | None, max_overdue_days: int | None = None) -> Check:
    """The KPIs as of the year asked (else the current one); refused without data or programme settings; with
    `max_overdue_days`, the surveys sent up to that year unanswered longer past their deadline
    (kpi.figures.responses)."""
    require_data(con)
    programme = required_settings(con)
    as_of = as_of_year(con, asked, programme)
    snapshot = in_force(con, as_of)
    listed = list_id(snapshot)
    out = outcome(con, as_of, programme, listed)
    standing = None
    if fetch_submissions(con):
        figures = figures_from(out, status_summary(con, as_of, listed), budget(con, as_of), snapshot)
        standing = against_latest(con, as_of, figures)
    overdue = None
    if max_overdue_days is not None:
        from kpi.figures.responses import as_of_date, late, responses

        overdue = late(responses(con, as_of, as_of_date(as_of, programme.timezone)), max_overdue_days)
    return Check(out, snapshot, standing, shown_load(con), overdue)


def fetch_submissions(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any submission is registered (a check without one reads no more than the KPIs)."""
    return bool(con.execute("SELECT count(*) FROM submissions").fetchall()[0][0])
