"""`kpi stagegate`: reviewed themes with their mean and decision, then the themes not reviewed; `kpi stagegate due`:
the themes whose stage gate falls in a year, and those overdue."""

from __future__ import annotations

from typing import Any

from kpi.figures.stagegate import DueGates, StageGate
from kpi.present import json_out, rows
from kpi.present.catalogue import Words
from kpi.present.formats import Format
from kpi.present.tables import TEXT, Column, Table, emit, is_text, tabulated


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


def due_table(gates: DueGates, words: Words, unknown: bool) -> Table:
    """The themes due a stage gate (overdue first), each with where its year comes from (the schedule declares it, or
    the midpoint of its term); with `unknown`, the themes whose term is unknown as rows too."""
    state = {False: words("stagegate.due"), True: words("stagegate.overdue")}
    basis = {False: words("stagegate.midpoint"), True: words("stagegate.declared")}
    columns = [
        Column(words("col.theme_id"), lambda r: r.theme_id),
        Column(words("col.item"), lambda r: rows.item_label(r.item, words)),
        Column(words("col.element"), lambda r: r.element),
        Column(words("col.title"), lambda r: r.title, TEXT),
        Column(words("col.start_fy"), lambda r: "" if r.start_fy is None else str(r.start_fy)),
        Column(words("col.end_fy"), lambda r: "" if r.end_fy is None else str(r.end_fy)),
        Column(words("col.gate_fy"), lambda r: str(r.gate_fy)),
        Column(words("col.gate_basis"), lambda r: basis[r.declared]),
        Column(words("col.review_fy"), lambda r: "" if r.reviewed_fy is None else str(r.reviewed_fy)),
        Column(words("col.gate_state"), lambda r: state[r.overdue]),
    ]
    term_unknown = words("stagegate.term_unknown")
    footer = [
        [r.theme_id, rows.item_label(r.item, words), r.element, r.title, "", "", "", "", "", term_unknown]
        for r in (gates.term_unknown if unknown else ())
    ]
    return Table.of("stagegate_due", columns, gates.due, footer=footer)


def due_json(gates: DueGates) -> dict[str, Any]:
    """`kpi stagegate due --format json`: the year asked, the themes due and those whose term is unknown."""
    return {
        "as_of": gates.as_of,
        "due": [r._asdict() for r in gates.due],
        "term_unknown": [r._asdict() for r in gates.term_unknown],
        "term_unknown_count": len(gates.term_unknown),
    }


def render_due(gates: DueGates, fmt: Format, words: Words, all_rows: bool = False) -> str | bytes:
    """`kpi stagegate due` in a format: CSV and JSON with every theme; a table with the themes whose term is unknown
    as one summary row (`実施期間不明 144件`), or one row each with `all_rows`; a heading counting each."""
    every = all_rows or not is_text(fmt) or not gates.term_unknown
    table = due_table(gates, words, unknown=every)
    if not is_text(fmt):
        return emit(table, fmt, json=due_json(gates), line_end="\n")
    overdue = sum(r.overdue for r in gates.due)
    said = "stagegate.due_heading_declared" if any(r.declared for r in gates.due) else "stagegate.due_heading"
    heading = words(said, fy=gates.as_of, due=len(gates.due) - overdue, overdue=overdue)
    body = table.rows
    if not every:
        body = [
            *body,
            [*([""] * (len(table.headers) - 1)), words("stagegate.term_unknown_summary", n=len(gates.term_unknown))],
        ]
    shown = tabulated(table.headers, body, str(fmt), table.formats) if body else words("stagegate.none_due")
    hint = [words("stagegate.due_all_hint")] if not every else []
    return "\n".join([heading, shown, *hint]) + "\n"
