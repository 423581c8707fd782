"""`kpi check`: one line per KPI with its verdict, or the same as one JSON object."""

from __future__ import annotations

import json
from typing import Any

from kpi.figures.check import Check
from kpi.figures.kpis import Outcome
from kpi.figures.lists import Snapshot
from kpi.figures.responses import Late
from kpi.figures.verdict import Verdict
from kpi.fiscal import wareki
from kpi.present import labels
from kpi.present.catalogue import Words
from kpi.present.formats import Format
from kpi.present.json_out import dumps, kpi_json, placement_notes_json
from kpi.present.numbers import number, percent
from kpi.present.rows import fallback_note, outlook_lines, placement_notes, snapshot_line, verdict_text
from kpi.present.tables import is_text, tabulated


def check_text(outcome: Outcome, snapshot: Snapshot | None, words: Words) -> str:
    """The year and its theme list, then a line per KPI: name, fraction, ratio, target and verdict."""
    rows = [
        [
            words(labels.KPI[k.key].check, horizon=outcome.horizon_years),
            f"{number(k.numerator)}/{number(k.denominator)}",
            percent(k.ratio),
            f"{words('col.target')} {k.target_text or '—'}",
            verdict_text(k, words),
        ]
        for k in outcome.kpis
    ]
    heading = words("check.heading", fy=outcome.as_of_fy, wareki=wareki(outcome.as_of_fy))
    notes = [*fallback_note(outcome.as_of_fy, snapshot, words), *placement_notes(outcome, words)]
    lines = [f"{heading} · {snapshot_line(snapshot, words)}", tabulated([], rows, "plain"), *notes]
    if outlook := outlook_lines(outcome, words):
        lines += [f"{words('section.outlook')}:", *(f"  {line}" for line in outlook)]
    return "\n".join(lines) + "\n"


def check_json(outcome: Outcome, snapshot: Snapshot | None) -> str:
    return dumps(
        {
            "as_of_fy": outcome.as_of_fy,
            "snapshot": snapshot.date.isoformat() if snapshot else None,
            "snapshot_fallback": snapshot.fallback if snapshot else False,
            "ok": not any(k.verdict is Verdict.NOT_MET for k in outcome.kpis),
            "kpis": [kpi_json(k) for k in outcome.kpis],
            "placement": placement_notes_json(outcome),
        }
    )


def render(check: Check, fmt: Format, words: Words) -> str:
    """`kpi check` in a format; a --known-at read says the load it is as of, and figures that differ from the
    latest submission for the year say so, naming it."""
    if not is_text(fmt):
        from kpi.present.json_out import standing_json

        data = json.loads(check_json(check.outcome, check.snapshot))
        data["known_at_load"] = check.known_at.load_id if check.known_at else None
        data["latest_submission"] = standing_json(check.standing)
        if check.late is not None:  # (--max-overdue-days only: the JSON of a plain check is as it was)
            data["ok"] = data["ok"] and not check.overdue
            data["overdue"] = late_json(check.late)
        return dumps(data)
    extra = []
    if check.known_at is not None or (check.standing is not None and check.standing.differences):
        from kpi.present.submissions import known_at_line, standing_line  # (only then: start-up time)

        extra = [line for line in (known_at_line(check.known_at, words), standing_line(check.standing, words)) if line]
    if check.late is not None:
        extra.append(late_line(check.late, words))
    extra.append(exit_sentence(check, words))
    return check_text(check.outcome, check.snapshot, words) + "".join(f"{line}\n" for line in extra)


def exit_sentence(check: Check, words: Words) -> str:
    """The one sentence a cron mail needs: why `kpi check` exits 1, or that it exits 0."""
    outcome = check.outcome
    missed = [
        words(labels.KPI[k.key].check, horizon=outcome.horizon_years).strip()
        for k in outcome.kpis
        if k.verdict is Verdict.NOT_MET
    ]
    if missed:
        return words("check.exit_missed", names=words("load.field_sep").join(missed), fy=outcome.as_of_fy)
    if check.late is not None and check.overdue:
        return words("check.exit_overdue", days=check.late.limit)
    return words("check.exit_ok", fy=outcome.as_of_fy)


def late_line(late: Late, words: Words) -> str:
    """--max-overdue-days: how many surveys are unanswered longer past their deadline, and the oldest; or none."""
    oldest = late.oldest
    if oldest is None:
        return words("check.overdue_none", days=late.limit, date=late.as_of.isoformat())
    return words(
        "check.overdue",
        n=len(late.sendings),
        days=late.limit,
        date=late.as_of.isoformat(),
        theme_id=oldest.theme_id,
        organisation=oldest.organisation or words("responses.whole"),
        fy=oldest.survey_fy,
        deadline=oldest.deadline.isoformat(),
        oldest=oldest.days_overdue(late.as_of),
    )


def late_json(late: Late) -> dict[str, Any]:
    """--max-overdue-days in JSON: the limit, the date, how many, and each survey (the oldest first)."""
    return {
        "max_overdue_days": late.limit,
        "as_of": late.as_of.isoformat(),
        "count": len(late.sendings),
        "surveys": [
            {
                "survey_fy": s.survey_fy,
                "theme_id": s.theme_id,
                "organisation": s.organisation,
                "deadline": s.deadline.isoformat(),
                "days_overdue": s.days_overdue(late.as_of),
            }
            for s in late.sendings
        ],
    }
