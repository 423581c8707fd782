"""`kpi stagegate`: reviewed themes with their mean and decision, then the themes not reviewed."""

from __future__ import annotations

from kpi.figures.stagegate import StageGate
from kpi.present import json_out, rows
from kpi.present.catalogue import Words
from kpi.present.formats import Format
from kpi.present.tables import emit, is_text, tabulated


def render(sg: StageGate, fmt: Format, words: Words, all_rows: bool = False) -> str | bytes:
    """`kpi stagegate` in a format: CSV and JSON with every theme; a table with the themes not reviewed as one
    summary row (`審査記録なし 141件`), or one row each with `all_rows`."""
    every = all_rows or not is_text(fmt) or not sg.not_reviewed_count
    table = rows.stage_gate(sg, words, unreviewed=every)
    if every:
        return emit(table, fmt, json=json_out.stage_gate(sg), line_end="\n")
    summary = [*([""] * (len(table.headers) - 1)), words("stagegate.not_reviewed_summary", n=sg.not_reviewed_count)]
    shown = tabulated(table.headers, [*table.rows, summary], str(fmt))
    return shown + "\n" + words("stagegate.all_hint") + "\n"
