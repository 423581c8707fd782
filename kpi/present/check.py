"""`kpi check`: one line per KPI with its verdict, or the same as one JSON object."""

from __future__ import annotations

import json

from kpi.figures.check import Check
from kpi.figures.kpis import Outcome
from kpi.figures.lists import Snapshot
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
        return dumps(data)
    extra = []
    if check.known_at is not None or (check.standing is not None and check.standing.differences):
        from kpi.present.submissions import known_at_line, standing_line  # (only then: start-up time)

        extra = [line for line in (known_at_line(check.known_at, words), standing_line(check.standing, words)) if line]
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
        return words("check.exit_missed", names="、".join(missed), fy=outcome.as_of_fy)
    return words("check.exit_ok", fy=outcome.as_of_fy)
