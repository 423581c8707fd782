"""Each theme's plan (3-3's schedule): the planned and actual years of its start, stage gate and end beside its
status as of a year, and the events due that year or overdue (planned before it, not done yet); and the programme's
next evaluation (its settings' calendar).

As of fiscal year F, an actual year after F is not yet known (a later year's record). An event is late when it was
done after its planned year, or is still to be done after it (planned < F); a theme's plan is done once its end has an
actual year, late when any of its events is, not started when its start is planned after F and none of its events has
an actual year, else on schedule (a plan without a start is judged by its other events). A theme whose adoption the
list in force cancelled (採択取消) left the programme: its plan is not shown.
"""

from __future__ import annotations

from itertools import groupby
from typing import NamedTuple

import duckdb

from kpi.codes import CANCELLED
from kpi.db.carried import listed
from kpi.figures.lists import in_force, list_id
from kpi.figures.programme import as_of_year
from kpi.settings import Settings
from schemas.rounds import parse_round, round_order

EVENTS = ("start", "stagegate", "end")  # the events of every theme's plan (the milestones are its own)
STATUSES = ("late", "not_started", "on_schedule", "done")  # a plan's status, in the order the late ones come first


class Dates(NamedTuple):
    """An event's planned year and its actual year as of the year asked (None: not done yet, or not planned)."""

    planned: int | None = None
    actual: int | None = None


class Plan(NamedTuple):
    """One theme's plan as of a year: its start, stage gate and end, its milestones done and planned, its status."""

    theme_id: str
    title: str | None  # as the list in force names the theme (None: not in it)
    start: Dates
    gate: Dates
    end: Dates
    milestones_done: int
    milestones: int
    status: str  # one of STATUSES


class DueEvent(NamedTuple):
    """An event of a theme's plan due in the year asked, or planned before it and not done."""

    theme_id: str
    title: str | None
    event: str  # start, stagegate, end or milestone
    name: str  # a milestone's name ('' for the others)
    planned_fy: int
    overdue: bool


class Schedule(NamedTuple):
    """`kpi schedule`: the plans as of a year, late ones first."""

    as_of: int
    plans: tuple[Plan, ...]


class DueEvents(NamedTuple):
    """`kpi schedule due`: the events due in a year and those overdue, overdue first."""

    as_of: int
    due: tuple[DueEvent, ...]


def _late(dates: Dates, as_of: int) -> bool:
    if dates.planned is None:
        return False
    return dates.actual > dates.planned if dates.actual is not None else dates.planned < as_of


def plan_status(start: Dates, gate: Dates, end: Dates, milestones: list[Dates], as_of: int) -> str:
    """A plan's status as of a year (STATUSES): done, late, not started or on schedule."""
    if end.actual is not None:
        return "done"
    if any(_late(d, as_of) for d in (start, gate, end, *milestones)):
        return "late"
    started = any(d.actual is not None for d in (start, gate, end, *milestones))
    if start.planned is not None and start.planned > as_of and not started:
        return "not_started"
    return "on_schedule"


def _rows(con: duckdb.DuckDBPyConnection, as_of: int) -> list[tuple[str, str | None, str, str, int, int | None]]:
    """Every stored event with its theme's title in the list in force, an actual year after `as_of` as none; the
    themes whose adoption that list cancelled (carried from an earlier list too) left out."""
    rows: list[tuple[str, str | None, str, str, int, int | None]] = con.execute(
        f"""SELECT s.theme_id, t.title, s.event, s.name, s.planned_fy,
                  CASE WHEN s.actual_fy <= $fy THEN s.actual_fy END
           FROM schedule s LEFT JOIN {listed()} t USING (theme_id)
           WHERE s.theme_id NOT IN (SELECT theme_id FROM {listed()} WHERE status = $cancelled)
           ORDER BY s.theme_id, s.planned_fy, list_position($events, s.event), s.name""",
        {
            "fy": as_of,
            "list": list_id(in_force(con, as_of)),
            "events": ["start", "stagegate", "milestone", "end"],
            "cancelled": CANCELLED,
        },
    ).fetchall()
    return rows


def plans(con: duckdb.DuckDBPyConnection, asked: int | None) -> Schedule:
    """Every theme with a stored plan, as of the year asked (else the current one): late ones first, then by ID."""
    as_of = as_of_year(con, asked)
    found = []
    for (theme_id, title), group in groupby(_rows(con, as_of), key=lambda r: (r[0], r[1])):
        events = list(group)
        own = {r[2]: Dates(int(r[4]), r[5]) for r in events if r[2] in EVENTS}
        milestones = [Dates(int(r[4]), r[5]) for r in events if r[2] == "milestone"]
        start, gate, end = (own.get(e, Dates()) for e in EVENTS)
        status = plan_status(start, gate, end, milestones, as_of)
        done = sum(m.actual is not None for m in milestones)
        found.append(Plan(theme_id, title, start, gate, end, done, len(milestones), status))
    return Schedule(as_of, tuple(sorted(found, key=lambda p: STATUSES.index(p.status))))


def due(con: duckdb.DuckDBPyConnection, asked: int | None) -> DueEvents:
    """The events planned in the year asked (else the current one) and not done before it, and those planned before
    it and not done by it: overdue first (oldest first), then by theme and year."""
    as_of = as_of_year(con, asked)
    found = [
        DueEvent(theme_id, title, event, name, int(planned), int(planned) < as_of)
        for theme_id, title, event, name, planned, actual in _rows(con, as_of)
        if (planned == as_of and (actual is None or actual >= as_of)) or (planned < as_of and actual is None)
    ]
    return DueEvents(as_of, tuple(sorted(found, key=lambda d: (not d.overdue, d.planned_fy if d.overdue else 0))))


class NextEvaluation(NamedTuple):
    """The evaluation calendar's next round from a year: its code (final-2030) and year, and the years left to it
    (0: that year itself)."""

    round: str
    fy: int
    years_left: int


def next_evaluation(programme: Settings | None, as_of: int) -> NextEvaluation | None:
    """The first round of the programme's evaluation calendar in or after `as_of`; None when none is left (or the
    settings declare no calendar)."""
    codes = (parse_round(name) for name in (programme.evaluations if programme else ()))
    rounds = sorted((code for code in codes if code is not None), key=round_order)
    for code in rounds:
        fy = round_order(code)[0]
        if fy >= as_of:
            return NextEvaluation(code, fy, fy - as_of)
    return None
