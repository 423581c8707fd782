"""Submissions: the figures a submission carries, the register, how two states of the figures differ and which
themes explain it, and closing a year once its final figures are sent.

A submission's figures are the KPIs (numerator, denominator, ratio and verdict), the status summary and the budget
totals of one as-of year, as exact values (integers and fractions as text) so that they compare exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

import duckdb

from kpi.db import submissions as register
from kpi.db import versions
from kpi.db.connect import fetch_one
from kpi.db.submissions import Stored
from kpi.errors import UsageProblem, YearClosed
from kpi.exact import ratio
from kpi.figures.budget import Budget, budget
from kpi.figures.kpis import KPIS, Outcome, outcome, placed_sql, terminated_excluded
from kpi.figures.lists import Snapshot, in_force, list_id
from kpi.figures.programme import settings
from kpi.figures.status import StatusCounts, status_summary
from kpi.fiscal import DEFAULT_TIMEZONE, fiscal_year_of, today_in, wareki
from kpi.settings import DEFAULT_HORIZON

Figures = dict[str, Any]  # figure name → its exact value (text, integers, None), as JSON keeps it


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def figures_of(con: duckdb.DuckDBPyConnection, as_of: int) -> Figures:
    """Every figure a submission carries for a year, from one connection (its own transaction: a load checks a
    closed year with it before it commits)."""
    programme = settings(con)
    snapshot = in_force(con, as_of)
    listed = list_id(snapshot)
    return figures_from(
        outcome(con, as_of, programme, listed), status_summary(con, as_of, listed), budget(con, as_of), snapshot
    )


def figures_from(out: Outcome, status: StatusCounts, money: Budget, snapshot: Snapshot | None) -> Figures:
    """The figures a submission carries, flat ("short_term.numerator": 39, …), from the report's own parts."""
    figures: Figures = {"snapshot": snapshot.date.isoformat() if snapshot else None, "horizon_years": out.horizon_years}
    for kpi in out.kpis:
        figures[f"{kpi.key}.numerator"] = kpi.numerator
        figures[f"{kpi.key}.denominator"] = kpi.denominator
        figures[f"{kpi.key}.ratio"] = _text(ratio(kpi.numerator, kpi.denominator))
        figures[f"{kpi.key}.verdict"] = str(kpi.verdict)
    for name, value in status._asdict().items():
        figures[f"status_summary.{name}"] = value
    figures["budget_execution.total"] = str(money.total_budget)
    figures["budget_execution.executed"] = str(money.total_executed)
    figures["budget_execution.ratio"] = _text(money.ratio)
    return figures


FIGURE_ORDER = (
    "snapshot",
    "horizon_years",
    *(f"{spec.key}.{part}" for spec in KPIS for part in ("numerator", "denominator", "ratio", "verdict")),
    "status_summary.achieved",
    "status_summary.on_track",
    "status_summary.delayed_or_not_achieved",
    "status_summary.total",
    "budget_execution.total",
    "budget_execution.executed",
    "budget_execution.ratio",
)


class Difference(NamedTuple):
    """One figure that differs: its name, its value before (the submission) and after."""

    figure: str
    before: Any
    after: Any


class ThemeChange(NamedTuple):
    """A theme whose part in the figures changed: how, its status before and after, its role in each KPI before
    and after (numerator, denominator, pending or none), and the load that brought the change."""

    theme_id: str
    change: str  # status | corrected | added | missing | followup
    status_before: str | None
    status_after: str | None
    roles_before: tuple[str | None, ...]
    roles_after: tuple[str | None, ...]
    load_id: int | None
    file_name: str | None


class Diff(NamedTuple):
    """Submission `before` against submission `after`, or against the figures as now known (`after` None)."""

    before: Stored
    after: Stored | None
    as_of_fy: int
    known_at: int  # the load the later figures are as of
    differences: tuple[Difference, ...]
    themes: tuple[ThemeChange, ...]
    reopened: tuple[tuple[int, str], ...]  # loads since the earlier submission that reopened a closed year


# What a submission records beside its figures without being one: the date of the list in force. A later list of
# the same content changes it and no figure, so it never makes two states differ (nor closes a year against it).
LABELS = frozenset({"snapshot"})


def differences(before: Figures, after: Figures) -> tuple[Difference, ...]:
    """The figures whose values differ, in FIGURE_ORDER (labels, LABELS, are no figures: not compared; nor is a
    figure only one side carries — one a later kpi added, such as status_summary.terminated, is not a change)."""
    common = set(before) & set(after)
    names = [n for n in FIGURE_ORDER if n in common] + sorted(common - set(FIGURE_ORDER))
    return tuple(Difference(n, before[n], after[n]) for n in names if n not in LABELS and before[n] != after[n])


def _role_sql(excluded: bool) -> str:
    """Every theme of the list with its role in each KPI (the placement's, kpi.figures.placement)."""
    roles = ", ".join(
        f"CASE WHEN role_{s.key} IN ('numerator', 'denominator', 'pending') THEN role_{s.key} END AS role_{i}"
        for i, s in enumerate(KPIS)
    )
    return f"""{placed_sql(excluded)}
        SELECT k.theme_id, k.status, k.item, k.start_fy, k.end_fy, {roles},
               (SELECT max(f.load_id) FROM followups f WHERE f.theme_id = k.theme_id) AS survey_load,
               k.load_id
        FROM placed_roles k WHERE reason_short_term NOT IN ('leading_research', 'not_adopted')"""


def _roles(con: duckdb.DuckDBPyConnection, as_of: int, table: str) -> None:
    """The role of every theme of the population in each KPI, into a temporary table."""
    programme = settings(con)
    horizon = programme.followup_horizon_years if programme else DEFAULT_HORIZON
    listed = list_id(in_force(con, as_of))
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS {_role_sql(terminated_excluded(programme))}",
        {"as_of": as_of, "horizon": horizon, "list": listed},
    )


def _theme_changes(con: duckdb.DuckDBPyConnection, list_load: int | None) -> tuple[ThemeChange, ...]:
    """The themes whose status or part in a KPI differs between the two states; a theme missing from the later
    list in force is explained by the load of that list (`list_load`)."""
    roles = [f"role_{i}" for i in range(len(KPIS))]
    differ = " OR ".join(f"b.{r} IS DISTINCT FROM a.{r}" for r in roles)
    rows = con.execute(
        f"""SELECT coalesce(a.theme_id, b.theme_id),
                   CASE WHEN b.theme_id IS NULL THEN 'added' WHEN a.theme_id IS NULL THEN 'missing'
                        WHEN b.status IS DISTINCT FROM a.status THEN 'status'
                        WHEN b.end_fy IS DISTINCT FROM a.end_fy OR b.start_fy IS DISTINCT FROM a.start_fy
                          OR b.item IS DISTINCT FROM a.item THEN 'corrected'
                        ELSE 'followup' END AS change,
                   b.status, a.status, [{", ".join(f"b.{r}" for r in roles)}], [{", ".join(f"a.{r}" for r in roles)}],
                   CASE WHEN a.theme_id IS NULL THEN $list_load
                        WHEN b.theme_id IS NOT NULL AND b.status IS NOT DISTINCT FROM a.status
                          AND b.end_fy IS NOT DISTINCT FROM a.end_fy AND b.start_fy IS NOT DISTINCT FROM a.start_fy
                          AND b.item IS NOT DISTINCT FROM a.item THEN a.survey_load
                        ELSE a.load_id END AS by_load
            FROM kpi_roles_before b FULL OUTER JOIN kpi_roles_after a USING (theme_id)
            WHERE b.theme_id IS NULL OR a.theme_id IS NULL OR b.status IS DISTINCT FROM a.status OR {differ}
            ORDER BY 1""",
        {"list_load": list_load},
    ).fetchall()
    return tuple(
        ThemeChange(str(t), str(c), sb, sa, tuple(rb), tuple(ra), None if n is None else int(n), None)
        for t, c, sb, sa, rb, ra, n in rows
    )


def diff(con: duckdb.DuckDBPyConnection, before_id: int, after_id: int | None) -> Diff:
    """Submission `before_id` against `after_id`, or against the figures as now known for its year."""
    before = register.get(con, before_id)
    after = None if after_id is None else register.get(con, after_id)
    if after is not None and after.as_of_fy != before.as_of_fy:
        raise UsageProblem("submission.other_year", n=before_id, fy=before.as_of_fy, m=after_id, fy2=after.as_of_fy)
    as_of = before.as_of_fy
    now = int((fetch_one(con, "SELECT max(load_id) FROM loads") or (0,))[0])
    later_load = after.load_id if after is not None else now
    if after is not None:
        versions.show_as_of(con, versions.resolve(con, after.load_id))
    _roles(con, as_of, "kpi_roles_after")
    in_force_now = in_force(con, as_of)
    list_load = (
        None
        if in_force_now is None
        else int(
            (fetch_one(con, "SELECT load_id FROM theme_lists WHERE list_id = ?", [in_force_now.list_id]) or (0,))[0]
        )
    )
    after_figures = after.figures if after is not None else figures_of(con, as_of)
    files = dict(con.execute("SELECT load_id, file_name FROM loads").fetchall())  # (every load the later state knows)
    versions.show_as_of(con, versions.resolve(con, before.load_id))
    _roles(con, as_of, "kpi_roles_before")
    changes = tuple(c._replace(file_name=files.get(c.load_id)) for c in _theme_changes(con, list_load))
    versions.show_current(con)
    reopened = con.execute(
        "SELECT load_id, reopened FROM loads WHERE reopened IS NOT NULL AND load_id > ? AND load_id <= ? "
        "ORDER BY load_id",
        [before.load_id, later_load],
    ).fetchall()
    return Diff(
        before,
        after,
        as_of,
        later_load,
        differences(before.figures, after_figures),
        changes,
        tuple((int(n), str(r)) for n, r in reopened),
    )


class Standing(NamedTuple):
    """Today's figures for a year against the latest submission for it: the submission and the figures that
    differ (none: they agree)."""

    submission: Stored
    differences: tuple[Difference, ...]


def against_latest(con: duckdb.DuckDBPyConnection, as_of: int, figures: Figures | None = None) -> Standing | None:
    """Whether the figures (given, else computed) differ from the latest submission for the year (None: none was
    made)."""
    latest = register.latest(con, as_of)
    if latest is None:
        return None
    return Standing(latest, differences(latest.figures, figures if figures is not None else figures_of(con, as_of)))


def require_ended(con: duckdb.DuckDBPyConnection, fy: int, stage: str, today: dt.date | None = None) -> None:
    """Refuse (exit 2) a final submission for a fiscal year that has not ended on `today` (else today in the
    programme's calendar, its time zone): a fiscal year F ends on 31 March F+1, and until then its figures move."""
    if stage != "final":
        return
    programme = settings(con)
    timezone = programme.timezone if programme else DEFAULT_TIMEZONE
    today = today or today_in(timezone)
    if fiscal_year_of(today) <= fy:
        raise UsageProblem(
            "submission.year_not_ended",
            fy=fy,
            wareki=wareki(fy),
            ends=dt.date(fy + 1, 3, 31).isoformat(),
            today=today.isoformat(),
            timezone=timezone,
        )


def closing(con: duckdb.DuckDBPyConnection, reopen: str | None) -> Callable[[], bool]:
    """Inside a load's transaction, before it writes: the check to run after it has written, which refuses
    (exit 3) a load that changed a figure of a year whose final figures were submitted, naming the submission,
    unless a reason to reopen it is given (`differences`: a later list of the same content changes no figure)."""
    finals = register.finals(con)
    before = {final.as_of_fy: figures_of(con, final.as_of_fy) for final in finals}

    def check() -> bool:
        """Whether the load changed a closed year (allowed only with a reason)."""
        changed = [f for f in finals if differences(before[f.as_of_fy], figures_of(con, f.as_of_fy))]
        if changed and not (reopen and reopen.strip()):  # a reason is text, not blanks
            final = changed[0]
            raise YearClosed(
                "submission.year_closed",
                fy=final.as_of_fy,
                n=final.submission_id,
                made=final.made_at.isoformat(sep=" ", timespec="minutes"),
            )
        return bool(changed)

    return check
