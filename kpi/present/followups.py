"""`kpi followups due`: the surveys to send, as a table, JSON, or the survey sheet (CSV) the companies fill in.

The sheet's first three columns are the follow-ups input contract (テーマID, 調査年度, 段階 — 段階 left blank
for the answer); the rest are context that `kpi load` accepts and ignores.
"""

from __future__ import annotations

from kpi.figures.followups import Due
from kpi.present import rows
from kpi.present.catalogue import Lang, Words
from kpi.present.csvfile import csv_text, excel_bytes
from kpi.present.formats import DueFormat
from kpi.present.json_out import dumps
from kpi.present.tables import table

# The survey sheet's columns: the follow-ups contract's own names in English, its Japanese headers in Japanese.
SHEET = {
    Lang.ja: ["テーマID", "調査年度", "段階", "機関名", "開発テーマ名", "終了年度", "調査予定年度", "期限超過"],
    Lang.en: ["theme_id", "survey_fy", "stage", "organizations", "title", "end_fy", "due_fy", "overdue"],
}


def due_text(due: Due, words: Words, fmt: str = "table") -> str:
    headers = [
        words(k) for k in ("col.theme_id", "col.organizations", "col.title", "col.end_fy", "col.due_fy", "col.overdue")
    ]
    body = [
        [s.theme_id, s.organizations, s.title, str(s.end_fy), str(s.due_fy), words("mark.yes") if s.overdue else ""]
        for s in due.surveys
    ]
    heading = words("followups.heading", fy=due.fy, n=len(due.surveys), horizon=due.horizon_years)
    listed = rows.snapshot_line(due.snapshot, words)
    return "\n".join([f"{heading} · {listed}", table(headers, body, fmt) if body else words("none")]) + "\n"


def due_sheet(due: Due, words: Words, line_end: str = "\r\n") -> str:
    """The survey sheet: one row per theme, 調査年度 filled with the year, 段階 blank for the answer."""
    body = [
        [s.theme_id, due.fy, "", s.organizations, s.title, s.end_fy, s.due_fy, words("mark.yes") if s.overdue else ""]
        for s in due.surveys
    ]
    return csv_text([SHEET[words.lang], *body], line_end)


def due_json(due: Due) -> str:
    return dumps([s._asdict() for s in due.surveys])


def render(due: Due, fmt: DueFormat, words: Words, to_file: bool) -> str | bytes:
    """`kpi followups due` in a format: the survey sheet as a file Excel opens (BOM, CRLF), on stdout plain."""
    if fmt is DueFormat.csv:
        return excel_bytes(due_sheet(due, words)) if to_file else due_sheet(due, words, "\n")
    return due_json(due) if fmt is DueFormat.json else due_text(due, words)
