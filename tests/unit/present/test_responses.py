"""`kpi followups remind` and `status` rendered (kpi.present.responses): their CSV is written by the one CSV writer
every table goes through (kpi.present.tables.emit → kpi.present.csvfile), as every other CSV kpi writes."""

from __future__ import annotations

import datetime as dt

from kpi.figures.responses import Group, Responses, Sending
from kpi.present.catalogue import Lang, Words
from kpi.present.formats import Format
from kpi.present.responses import remind_table, render_remind, render_status, unanswered
from kpi.present.tables import emit

BOM = b"\xef\xbb\xbf"
AS_OF = dt.date(2026, 3, 31)
SENDINGS = (
    Sending(2025, "T1", "=A社", "+テーマ1", 1, "immediate", dt.date(2025, 11, 1), dt.date(2026, 1, 31), False),
    Sending(2025, "T2", "B社", "テーマ2, その2", 1, "immediate", dt.date(2025, 11, 1), dt.date(2026, 1, 31), True),
    Sending(2025, "T3", "", "テーマ3", 2, "simple", dt.date(2025, 11, 1), dt.date(2026, 3, 15), False),
)
ROUND = Group.of(2025, None, list(SENDINGS), AS_OF)
RESPONSES = Responses(2025, AS_OF, SENDINGS, (ROUND,), (Group.of(2025, "=A社", list(SENDINGS[:1]), AS_OF),))


def test_the_reminders_csv_is_the_one_writers_csv_a_file_with_bom_and_crlf_stdout_plain() -> None:
    """kpi#36: the reminders' CSV was said to end its lines with LF in a file; it is the writer's bytes exactly."""
    words = Words(Lang.en)
    every = [s for sendings in unanswered(RESPONSES).values() for s in sendings]
    file = render_remind(RESPONSES, Format.csv, words, to_file=True)
    assert isinstance(file, bytes)
    assert file == emit(remind_table(RESPONSES, every, words, True), Format.csv, to_file=True)
    assert file.startswith(BOM) and file.count(b"\r\n") == file.count(b"\n") == 3
    assert file.decode("utf-8-sig").splitlines() == [
        "organisation,theme_id,title,survey_fy,deadline,days_overdue",
        "(the theme as a whole),T3,テーマ3,2025,2026-03-15,16",
        "'=A社,T1,'+テーマ1,2025,2026-01-31,59",  # formula-looking text guarded, as in every CSV kpi writes
    ]
    shown = render_remind(RESPONSES, Format.csv, words, to_file=False)
    assert isinstance(shown, str) and "\r" not in shown and not shown.startswith("\ufeff")
    assert shown == file.decode("utf-8-sig").replace("\r\n", "\n")  # stdout: the same rows, LF, no BOM


def test_status_and_remind_write_csv_files_alike() -> None:
    words = Words(Lang.ja)
    for data in (
        render_status(RESPONSES, Format.csv, words, to_file=True),
        render_remind(RESPONSES, Format.csv, words, to_file=True),
    ):
        assert isinstance(data, bytes) and data.startswith(BOM) and data.count(b"\r\n") == data.count(b"\n") > 1
