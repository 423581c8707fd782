"""`kpi stagegate`: reviewed themes with their mean and decision, then the themes not reviewed."""

from __future__ import annotations

from kpi.figures.stagegate import StageGate
from kpi.present import json_out, rows
from kpi.present.catalogue import Words
from kpi.present.csvfile import csv_text
from kpi.present.formats import TableFormat
from kpi.present.tables import table


def render(sg: StageGate, fmt: TableFormat, words: Words, line_end: str = "\n") -> str:
    """`kpi stagegate` in a format."""
    if fmt is TableFormat.json:
        return json_out.dumps(json_out.stage_gate(sg))
    headers, body = rows.stage_gate(sg, words, unreviewed=True)
    if fmt is TableFormat.csv:
        return csv_text([headers, *body], line_end)
    return table(headers, body, str(fmt)) + "\n"
