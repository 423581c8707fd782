"""`kpi schedule`: each theme's plan (3-3's schedule) with its status; `kpi schedule due`: the events due in a year
and those overdue. As a table, markdown, CSV, JSON or a workbook."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kpi.figures.milestones import Dates, DueEvent, DueEvents, Plan, Schedule, next_evaluation
from kpi.present import labels
from kpi.present.catalogue import Words
from kpi.present.formats import Format, Formats
from kpi.present.recommendations import round_label
from kpi.present.tables import TEXT, Column, Table, emit, is_text

if TYPE_CHECKING:
    from kpi.settings import Settings

ScheduleFormat = Formats(Format.table, Format.markdown, Format.csv, Format.json, Format.xlsx)

STATUS = {
    "late": "schedule.status.late",
    "not_started": "schedule.status.not_started",
    "on_schedule": "schedule.status.on_schedule",
    "done": "schedule.status.done",
}
EVENT = labels.SCHEDULE_EVENT


def _fy(value: int | None) -> str:
    return "" if value is None else str(value)


def _dates(dates: Dates) -> dict[str, int | None]:
    return {"planned_fy": dates.planned, "actual_fy": dates.actual}


def plans_table(found: Schedule, words: Words) -> Table:
    """Every plan: the theme, the planned and actual years of its start, stage gate and end, its milestones done of
    those planned, and its status (the title is in the JSON and in kpi schedule due: the table stays narrow)."""
    columns = [
        Column(words("col.theme_id"), lambda p: p.theme_id),
        Column(words("col.start_planned"), lambda p: _fy(p.start.planned)),
        Column(words("col.start_actual"), lambda p: _fy(p.start.actual)),
        Column(words("col.gate_planned"), lambda p: _fy(p.gate.planned)),
        Column(words("col.gate_actual"), lambda p: _fy(p.gate.actual)),
        Column(words("col.end_planned"), lambda p: _fy(p.end.planned)),
        Column(words("col.end_actual"), lambda p: _fy(p.end.actual)),
        Column(words("col.milestones"), lambda p: f"{p.milestones_done}/{p.milestones}" if p.milestones else ""),
        Column(words("col.schedule_status"), lambda p: words(STATUS[p.status])),
    ]
    return Table.of("schedule", columns, found.plans, title=words("sheet.schedule"))


def plan_record(p: Plan) -> dict[str, Any]:
    """One plan in JSON: each event's years, the milestones done and planned, the status as its code."""
    return {
        "theme_id": p.theme_id,
        "title": p.title,
        "start": _dates(p.start),
        "stagegate": _dates(p.gate),
        "end": _dates(p.end),
        "milestones_done": p.milestones_done,
        "milestones": p.milestones,
        "status": p.status,
    }


def render(found: Schedule, fmt: Format, words: Words) -> str | bytes:
    """`kpi schedule` in a format; aligned text and markdown headed by the year asked."""
    json = {"as_of": found.as_of, "plans": [plan_record(p) for p in found.plans]}
    empty = words("schedule.none") if fmt is Format.table else None  # markdown: the table's headers, a document
    shown = emit(plans_table(found, words), fmt, json=json, empty=empty)
    if not is_text(fmt) or not found.plans:
        return shown
    return words("schedule.heading", fy=found.as_of) + "\n" + str(shown)


def due_table(found: DueEvents, words: Words) -> Table:
    """The events due (overdue first): the theme, the event and its name, its planned year, and whether overdue."""
    state = {False: words("schedule.due"), True: words("schedule.overdue")}
    columns = [
        Column(words("col.theme_id"), lambda d: d.theme_id),
        Column(words("col.title"), lambda d: d.title or "", TEXT),
        Column(words("col.event"), lambda d: words(EVENT[d.event])),
        Column(words("col.milestone_name"), lambda d: d.name, TEXT),
        Column(words("col.planned_fy"), lambda d: str(d.planned_fy)),
        Column(words("col.due_state"), lambda d: state[d.overdue]),
    ]
    return Table.of("schedule_due", columns, found.due, title=words("sheet.schedule_due"))


def due_record(d: DueEvent) -> dict[str, Any]:
    return d._asdict()


def render_due(found: DueEvents, fmt: Format, words: Words) -> str | bytes:
    """`kpi schedule due` in a format; aligned text and markdown headed by the year and the counts."""
    json = {"as_of": found.as_of, "due": [due_record(d) for d in found.due]}
    empty = words("schedule.none_due") if fmt is Format.table else None
    shown = emit(due_table(found, words), fmt, json=json, empty=empty)
    if not is_text(fmt):
        return shown
    overdue = sum(d.overdue for d in found.due)
    heading = words("schedule.due_heading", fy=found.as_of, due=len(found.due) - overdue, overdue=overdue)
    return heading + "\n" + str(shown)


def next_evaluation_line(programme: Settings | None, as_of: int, words: Words) -> str | None:
    """When the settings declare an evaluation calendar, when the next evaluation is as of a year (次の評価:
    終了時評価（2030年度）、あと4年度), or that none is left; None without a calendar."""
    if programme is None or not programme.evaluations:
        return None
    found = next_evaluation(programme, as_of)
    if found is None:
        return words("calendar.none_left")
    label = round_label(found.round, words)
    if found.years_left == 0:
        return words("calendar.next_this_year", round=label)
    return words("calendar.next", round=label, n=found.years_left)
