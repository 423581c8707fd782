"""`kpi followups due` and `kpi followups sheets`: the surveys of a fiscal year per theme × organisation, as a
table, JSON, the survey sheet (CSV, or a workbook with a sheet per organisation), or one workbook per organisation
to send.

The sheet's first columns are the follow-ups input contract (テーマID, 調査年度, 回答機関, 段階 and the answer's
effects; 段階 left blank for the answer, the last cumulative sales and products pre-filled); the rest are context
that `kpi load` accepts and ignores. A workbook sent to an organisation has the instructions first, then 回答 with
drop-downs for 段階 and 中止・中断の理由, printed on A4 landscape one page wide.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kpi.codes import STAGES
from kpi.errors import UsageProblem
from kpi.figures.followups import Due, DueSurvey
from kpi.present import rows
from kpi.present.catalogue import Lang, Words
from kpi.present.formats import Format
from kpi.present.tables import TEXT, Column, Table, emit, is_file, is_text

if TYPE_CHECKING:
    from kpi.db.store import Store

# The survey sheet's columns: the follow-ups contract's own names in English, its Japanese headers in Japanese; the
# answer's columns first, then the context.
SHEET = {
    Lang.ja: [
        *("テーマID", "調査年度", "回答機関", "段階", "中止・中断の理由", "理由の詳細"),
        *("売上高(億円)", "累積売上高(億円)", "製品名", "効果"),
        *("開発テーマ名", "終了年度", "終了後年数", "調査の種類", "前回の調査年度", "前回の段階", "回答期限"),
    ],
    Lang.en: [
        *("theme_id", "survey_fy", "organisation", "stage", "reason_code", "reason_text"),
        *("sales", "cumulative_sales", "products", "effects"),
        *("title", "end_fy", "years_after", "survey_kind", "last_survey_fy", "last_stage", "deadline"),
    ],
}
STAGE_COLUMN, REASON_COLUMN = 3, 4  # the columns answered from a drop-down
# The reason codes, in the order offered, and their words (kpi load reads either back as the code).
REASONS = {
    "technical": "followups.reason.technical",
    "market": "followups.reason.market",
    "funding": "followups.reason.funding",
    "strategy": "followups.reason.strategy",
    "other": "followups.reason.other",
}
KIND = {
    "immediate": "followups.kind.immediate",
    "simple": "followups.kind.simple",
    "detailed": "followups.kind.detailed",
}
UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')  # not in a file name on Windows, macOS or Linux
# The bytes (UTF-8) of an organisation's name kept in a file name: a name is at most 255 bytes on ext4 and NTFS,
# and the file's prefix, its number " (n)" and the gate's temporary name (kpi.db.gate) need the rest.
NAME_BYTES = 150


def reason_words(words: Words) -> list[str]:
    """The reasons as the sheet offers them (kpi load reads each back as its code)."""
    return [words(key) for key in REASONS.values()]


def _last(s: DueSurvey, field: str) -> Any:
    return getattr(s.last, field) if s.last is not None else None


def _own(s: DueSurvey, field: str) -> Any:
    """A field of the organisation's own last answer (DueSurvey.own_last), pre-filled in its row."""
    return getattr(s.own_last, field) if s.own_last is not None else None


def due_table(due: Due, words: Words) -> Table:
    """The surveys: theme, organisation, title, end year, round, kind, the last answer, deadline, overdue."""
    overdue = words("mark.yes")
    columns = [
        Column(words("col.theme_id"), lambda s: s.theme_id),
        Column(words("followups.col.organisation"), lambda s: s.organisation or "—", TEXT),
        Column(words("col.title"), lambda s: s.title, TEXT),
        Column(words("col.end_fy"), lambda s: str(s.end_fy)),
        Column(words("followups.col.years_after"), lambda s: str(s.years_after)),
        Column(words("followups.col.kind"), lambda s: words(KIND[s.kind])),
        Column(words("followups.col.last"), lambda s: f"{s.last.survey_fy} {s.last.stage}" if s.last else "—"),
        Column(words("col.overdue"), lambda s: overdue if s.overdue else ""),
    ]
    return Table.of("followups_due", columns, due.surveys)


def due_text(due: Due, words: Words, fmt: Format = Format.table) -> str:
    """The year, how many surveys of how many organisations, the deadline and the list they come from, then the
    table."""
    heading = words(
        "followups.heading_rounds",
        fy=due.fy,
        n=len(due.surveys),
        organisations=len(due.organisations),
        deadline=due.deadline.isoformat(),
        rounds=", ".join(str(r) for r in due.rounds),
        horizon=due.horizon_years,
    )
    listed = rows.snapshot_line(due.snapshot, words)
    return f"{heading} · {listed}\n" + str(emit(due_table(due, words), fmt, empty=words("none")))


def survey_sheet(
    due: Due, words: Words, surveys: tuple[DueSurvey, ...] | None = None, title: str = "", own: bool = False
) -> Table:
    """The survey sheet (of `surveys`, by default every one due): one row per theme × organisation, 調査年度 filled
    with the year, 段階 blank for the answer, the products of the organisation's own last answer pre-filled (a
    joint theme's answer as a whole is no partner's own: DueSurvey.own_last); its cumulative sales only in a
    workbook sent to that organisation (`own`): sales are shown nowhere else per theme."""
    cells: list[Callable[[DueSurvey], Any]] = [
        lambda s: s.theme_id,
        lambda s: due.fy,
        lambda s: s.organisation or None,
        *(lambda s: None for _ in range(4)),  # the answer: stage, reason, its detail, this year's sales
        lambda s: _own(s, "cumulative_sales") if own else None,
        lambda s: _own(s, "products"),
        lambda s: None,  # effects
        lambda s: s.title,
        lambda s: s.end_fy,
        lambda s: s.years_after,
        lambda s: words(KIND[s.kind]),
        lambda s: _last(s, "survey_fy"),
        lambda s: _last(s, "stage"),
        lambda s: s.deadline.isoformat(),
    ]
    kinds = ["", "year", "", "", "", TEXT, "oku", "oku", TEXT, TEXT, TEXT, "year", "count", "", "year", "", ""]
    columns = [Column(header, cell, kind) for header, cell, kind in zip(SHEET[words.lang], cells, kinds, strict=True)]
    return Table.of("followups", columns, due.surveys if surveys is None else surveys, title=title)


def groups(due: Due) -> dict[str, tuple[DueSurvey, ...]]:
    """The surveys by organisation, in the order the organisations first appear."""
    found: dict[str, list[DueSurvey]] = {}
    for survey in due.surveys:
        found.setdefault(survey.organisation, []).append(survey)
    return {name: tuple(surveys) for name, surveys in found.items()}


def by_organisation(due: Due, words: Words) -> list[Table]:
    """The survey sheet split by organisation (one sheet each, by name); one empty sheet when nothing is due."""
    from kpi.present.xlsx import sheet_name

    found = groups(due)
    if not found:
        return [survey_sheet(due, words, (), words("followups.sheet"))]
    taken: set[str] = set()  # Excel's sheet names are unique regardless of case
    return [
        survey_sheet(due, words, found[name], sheet_name(name or words("followups.no_organisation"), taken))
        for name in sorted(found)
    ]


def file_name(fy: int, organisation: str, words: Words, taken: set[str]) -> str:
    """The workbook's file name for an organisation: no character a file system refuses, unique regardless of
    case among `taken` (lower case; the new one is added)."""
    clean = UNSAFE.sub("_", organisation or words("followups.no_organisation")).strip(" .")
    clean = clean.encode()[:NAME_BYTES].decode(errors="ignore").rstrip(" .") or "_"  # (a character cut is dropped)
    n = 1
    while True:
        name = words("followups.file", fy=fy, organisation=clean + (f" ({n})" if n > 1 else ""))
        if name.lower() not in taken:
            taken.add(name.lower())
            return name
        n += 1


# The instructions sheet's lines: (what, its text), in order; the six stages' meanings in the order of STAGES.
GUIDE = (
    ("followups.guide.what.label", "followups.guide.what"),
    ("followups.guide.stage.label", "followups.guide.stage"),
    ("followups.guide.stage.0.label", "followups.guide.stage.0"),
    ("followups.guide.stage.1.label", "followups.guide.stage.1"),
    ("followups.guide.stage.2.label", "followups.guide.stage.2"),
    ("followups.guide.stage.3.label", "followups.guide.stage.3"),
    ("followups.guide.stage.4.label", "followups.guide.stage.4"),
    ("followups.guide.stage.5.label", "followups.guide.stage.5"),
    ("followups.guide.reason.label", "followups.guide.reason"),
    ("followups.guide.sales.label", "followups.guide.sales"),
    ("followups.guide.products.label", "followups.guide.products"),
    ("followups.guide.deadline.label", "followups.guide.deadline"),
    ("followups.guide.secret.label", "followups.guide.secret"),
    ("followups.guide.return.label", "followups.guide.return"),
)


def instructions(due: Due, words: Words, k: int) -> Table:
    """The first sheet: what to fill in, the stages and reasons with their meanings, units, deadline, secrecy."""
    params = {
        "stages": ("、" if words.lang is Lang.ja else ", ").join(STAGES),
        "reasons": ", ".join(reason_words(words)),
        "deadline": due.deadline.isoformat(),
        "fy": due.fy,
        "k": k,
    }
    return Table(
        "guide",
        [words("followups.guide.item"), words("followups.guide.text")],
        [[words(label), words(text, **params)] for label, text in GUIDE],
        formats=["", TEXT],
        title=words("followups.sheet.guide"),
    )


def workbooks(due: Due, words: Words, k: int) -> dict[str, bytes]:
    """`kpi followups sheets`: one workbook per organisation (file name → bytes): the instructions, then 回答."""
    from kpi.present.xlsx import Choices, workbook

    taken: set[str] = set()
    choices = Choices({STAGE_COLUMN: list(STAGES), REASON_COLUMN: reason_words(words)})
    guide = instructions(due, words, k)
    return {
        file_name(due.fy, name, words, taken): workbook(
            [survey_sheet(due, words, surveys, words("followups.sheet.answers"), own=True)],
            guide,
            choices=choices,
            landscape=True,
        )
        for name, surveys in groups(due).items()
    }


class Sent(NamedTuple):
    """A round sent: the surveys, the workbooks written, and the load recording it (None: recorded so already)."""

    due: Due
    written: list[Path]
    load_id: int | None


def send(store: Store, words: Words, as_of: int | None, out: Path, force: bool) -> Sent:
    """`kpi followups sheets`: the round of a year read, its workbooks written into `out` through the output gate
    and the sending recorded as a load (kpi.db.sent), with one write connection: the files are renamed into place
    only once the record is committed, and nothing is recorded when a file cannot be written."""
    from kpi.db.gate import files_in_place
    from kpi.db.sent import SentRow, record_sent
    from kpi.figures.followups import due_in
    from kpi.figures.programme import settings
    from kpi.fiscal import DEFAULT_TIMEZONE, now_in
    from kpi.settings import DEFAULT_SUPPRESSION_K

    with store.reading() as con:  # a missing or empty database is refused as by every reading command, not created
        first = due_in(con, as_of)
    if not first.surveys:
        return Sent(first, [], None)  # nothing to send: no folder, no load
    with store.writing() as con:
        due = due_in(con, as_of)
        programme = settings(con)
        k = programme.suppression_k if programme else DEFAULT_SUPPRESSION_K
        today = now_in(programme.timezone if programme else DEFAULT_TIMEZONE).date()
        files = workbooks(due, words, k)
        sent = [
            SentRow(due.fy, s.theme_id, s.organisation, s.years_after, s.kind, today, s.deadline) for s in due.surveys
        ]
        with files_in_place(out, files, force) as written:
            load_id = record_sent(con, out, sent, db=store.path)
    return Sent(due, written, load_id)


def sent_lines(sent: Sent, words: Words) -> str:
    """What `kpi followups sheets` says: the workbooks written, and the sending recorded as a load (or that it was
    recorded so already)."""
    head = words("followups.sheets_written", n=len(sent.written), surveys=len(sent.due.surveys), fy=sent.due.fy)
    if not sent.due.surveys:
        return words("followups.nothing_due", fy=sent.due.fy)
    recorded = words("followups.sent_recorded", load=sent.load_id) if sent.load_id else words("followups.sent_already")
    return "\n".join([head, *(f"  {path}" for path in sent.written), recorded])


def due_json(due: Due) -> list[dict[str, Any]]:
    """`kpi followups due --format json`: a record per theme × organisation."""
    return [
        {
            "theme_id": s.theme_id,
            "organisation": s.organisation,
            "title": s.title,
            "end_fy": s.end_fy,
            "years_after": s.years_after,
            "kind": s.kind,
            "last": {k: v for k, v in s.last._asdict().items() if k not in ("cumulative_sales", "organisation")}
            if s.last
            else None,
            "deadline": s.deadline.isoformat(),
            "overdue": s.overdue,
        }
        for s in due.surveys
    ]


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
    return emit(survey_sheet(due, words), fmt, json=due_json(due), line_end="\n", to_file=to_file)
