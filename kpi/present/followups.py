"""`kpi followups due`: the surveys to send, as a table, JSON, or the survey sheet the companies fill in (CSV, or
a workbook with a sheet per organisation to send).

The sheet's first three columns are the follow-ups input contract (テーマID, 調査年度, 段階 — 段階 left blank
for the answer); the rest are context that `kpi load` accepts and ignores. A workbook's sheets are the themes'
機関名 as the list gives it: a joint theme is one sheet for its organisations together, so each theme is asked
once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kpi.errors import UsageProblem
from kpi.figures.followups import Due, DueSurvey
from kpi.present import rows
from kpi.present.catalogue import Lang, Words
from kpi.present.formats import Format
from kpi.present.tables import TEXT, Column, Table, emit, is_file, is_text

# The survey sheet's columns: the follow-ups contract's own names in English, its Japanese headers in Japanese.
SHEET = {
    Lang.ja: ["テーマID", "調査年度", "段階", "機関名", "開発テーマ名", "終了年度", "調査予定年度", "期限超過"],
    Lang.en: ["theme_id", "survey_fy", "stage", "organizations", "title", "end_fy", "due_fy", "overdue"],
}


def due_table(due: Due, words: Words) -> Table:
    """The surveys to send: theme, organisations, title, end year, the year due, and whether it is overdue."""
    overdue = words("mark.yes")
    columns = [
        Column(words("col.theme_id"), lambda s: s.theme_id),
        Column(words("col.organizations"), lambda s: s.organizations, TEXT),
        Column(words("col.title"), lambda s: s.title, TEXT),
        Column(words("col.end_fy"), lambda s: str(s.end_fy)),
        Column(words("col.due_fy"), lambda s: str(s.due_fy)),
        Column(words("col.overdue"), lambda s: overdue if s.overdue else ""),
    ]
    return Table.of("followups_due", columns, due.surveys)


def due_text(due: Due, words: Words, fmt: Format = Format.table) -> str:
    """The year, how many surveys and the list they come from, then the table."""
    heading = words("followups.heading", fy=due.fy, n=len(due.surveys), horizon=due.horizon_years)
    listed = rows.snapshot_line(due.snapshot, words)
    return f"{heading} · {listed}\n" + str(emit(due_table(due, words), fmt, empty=words("none")))


def survey_sheet(due: Due, words: Words, surveys: tuple[DueSurvey, ...] | None = None, title: str = "") -> Table:
    """The survey sheet (of `surveys`, by default every one due): one row per theme, 調査年度 filled with the year,
    段階 blank for the answer."""
    overdue = words("mark.yes")
    cells: list[Callable[[Any], Any]] = [
        lambda s: s.theme_id,
        lambda s: due.fy,
        lambda s: None,  # blank: the answer
        lambda s: s.organizations,
        lambda s: s.title,
        lambda s: s.end_fy,
        lambda s: s.due_fy,
        lambda s: overdue if s.overdue else "",
    ]
    kinds = ["", "year", "", "", "", "year", "year", ""]
    columns = [Column(header, cell, kind) for header, cell, kind in zip(SHEET[words.lang], cells, kinds, strict=True)]
    return Table.of("followups", columns, due.surveys if surveys is None else surveys, title=title)


def by_organisation(due: Due, words: Words) -> list[Table]:
    """The survey sheet split by the organisations to send it to (機関名 as the list gives it), by name; one empty
    sheet when nothing is due."""
    from kpi.present.xlsx import SHEET_NAME_LIMIT, sheet_name

    groups: dict[str, list[DueSurvey]] = {}
    for survey in due.surveys:
        groups.setdefault(survey.organizations.strip(), []).append(survey)
    if not groups:
        return [survey_sheet(due, words, (), words("followups.sheet"))]
    tables, used = [], set()
    for name in sorted(groups):
        base = sheet_name(name or words("followups.no_organisation"))
        title, n = base, 1
        while title.casefold() in used:  # Excel's sheet names are unique regardless of case
            n += 1
            suffix = f" ({n})"
            title = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        used.add(title.casefold())
        tables.append(survey_sheet(due, words, tuple(groups[name]), title))
    return tables


def check_options(fmt: Format, out: Path | None) -> None:
    """A workbook is a file: xlsx needs --out."""
    if is_file(fmt) and out is None:
        raise UsageProblem("cli.xlsx_needs_out")


def render(due: Due, fmt: Format, words: Words, to_file: bool) -> str | bytes:
    """`kpi followups due` in a format: the survey sheet as a file Excel opens (BOM, CRLF), on stdout plain; a
    workbook with a sheet per organisation."""
    if is_text(fmt):
        return due_text(due, words, fmt)
    if fmt is Format.xlsx:
        return emit(by_organisation(due, words), fmt)
    surveys = [s._asdict() for s in due.surveys]
    return emit(survey_sheet(due, words), fmt, json=surveys, line_end="\n", to_file=to_file)
