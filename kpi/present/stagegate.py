"""`kpi stagegate`: reviewed themes with their mean and decision, then the themes not reviewed."""

from __future__ import annotations

from kpi.figures.stagegate import StageGate
from kpi.present import json_out, rows
from kpi.present.catalogue import Words
from kpi.present.csvfile import csv_text
from kpi.present.formats import TableFormat
from kpi.present.tables import table


def render(sg: StageGate, fmt: TableFormat, words: Words, all_rows: bool = False, line_end: str = "\n") -> str:
    """`kpi stagegate` in a format: CSV and JSON with every theme; a table with the themes not reviewed as one
    summary row (`審査記録なし 141件`), or one row each with `all_rows`."""
    if fmt is TableFormat.json:
        return json_out.dumps(json_out.stage_gate(sg))
    if fmt is TableFormat.csv:
        headers, body = rows.stage_gate(sg, words, unreviewed=True)
        return csv_text([headers, *body], line_end)
    headers, body = rows.stage_gate(sg, words, unreviewed=all_rows)
    if all_rows or not sg.not_reviewed_count:
        return table(headers, body, str(fmt)) + "\n"
    summary = [*([""] * (len(headers) - 1)), words("stagegate.not_reviewed_summary", n=sg.not_reviewed_count)]
    return table(headers, [*body, summary], str(fmt)) + "\n" + words("stagegate.all_hint") + "\n"
