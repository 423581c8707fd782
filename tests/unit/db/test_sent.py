"""A survey round recorded as sent: one load, through the write path every load takes (versions, undo, backup)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from faultkit import rows
from kit import cli_en

from kpi.db.sent import SentRow, record_sent, sending_day, sent_rounds, stored_sent
from kpi.db.store import Store
from kpi.db.versions import undo_load

SENT = dt.date(2026, 6, 1)
DEADLINE = dt.date(2027, 1, 31)
ROUND = [
    SentRow(2026, "T1-001", "日本電気株式会社", 1, "immediate", SENT, DEADLINE),
    SentRow(2026, "T1-002", "", 2, "simple", SENT, DEADLINE),
]


def test_a_round_is_one_load_its_rows_current_and_kpi_loads_lists_it(db: Path, tmp_path: Path) -> None:
    store = Store.at(db, 5)
    with store.writing() as con:
        load_id = record_sent(con, tmp_path / "FY2026", ROUND, db=db)
        assert sent_rounds(con, 2026) == sorted(ROUND, key=lambda r: (r.theme_id, r.organisation))
        assert stored_sent(con) == [("T1-001", 2026, "日本電気株式会社"), ("T1-002", 2026, "")]
    assert load_id == 1
    assert rows(db, "SELECT kind, file_name, row_count, inserted, updated FROM loads") == [
        ("followup_sent", "FY2026", 2, 2, 0)  # the folder by its name, as a file by its own
    ]
    listed = cli_en("loads", "--db", str(db))
    assert listed.returncode == 0, listed.stderr
    assert "survey sent" in listed.stdout and "FY2026" in listed.stdout


def test_the_same_round_recorded_again_changes_nothing(db: Path, tmp_path: Path) -> None:
    with Store.at(db, 5).writing() as con:
        assert record_sent(con, tmp_path, ROUND) == 1
        assert record_sent(con, tmp_path, list(reversed(ROUND))) is None
        assert record_sent(con, tmp_path, []) is None
    assert rows(db, "SELECT count(*) FROM loads") == [(1,)]


def test_a_sheet_sent_again_supersedes_its_row_and_undo_takes_it_back(db: Path, tmp_path: Path) -> None:
    again = ROUND[1]._replace(sent_on=dt.date(2026, 7, 1))
    with Store.at(db, 5).writing() as con:
        record_sent(con, tmp_path, ROUND)
        assert record_sent(con, tmp_path, [again]) == 2
        assert [r.sent_on for r in sent_rounds(con, 2026)] == [SENT, dt.date(2026, 7, 1)]
        undone = undo_load(con, None, dt.datetime(2026, 7, 2, 9, 0))
        assert (undone.undone, undone.kind) == (2, "followup_sent")
        assert [r.sent_on for r in sent_rounds(con, 2026)] == [SENT, SENT]
    assert rows(db, "SELECT count(*) FROM followup_sent_versions") == [(4,)]  # nothing overwritten


def test_a_recorded_round_keeps_a_backup_of_the_database_as_it_was(db: Path, tmp_path: Path) -> None:
    with Store.at(db, 5).writing() as con:
        record_sent(con, tmp_path, ROUND[:1], db=db)  # (an empty database is not copied)
        record_sent(con, tmp_path, ROUND[1:], db=db)
        assert record_sent(con, tmp_path, ROUND[1:], db=db) is None  # nothing changed: no copy
    kept = sorted(p.name for p in (db.parent / f"{db.name}.backups").iterdir())
    assert len(kept) == 1 and kept[0].endswith("load-2.duckdb")
    assert rows(kept_path := db.parent / f"{db.name}.backups" / kept[0], "SELECT count(*) FROM followup_sent") == [(1,)]
    assert kept_path.exists()


def test_an_unknown_kind_of_survey_is_refused_before_anything_is_written(db: Path, tmp_path: Path) -> None:
    with Store.at(db, 5).writing() as con, pytest.raises(ValueError, match="yearly"):
        record_sent(con, tmp_path, [ROUND[0]._replace(kind="yearly")])
    assert rows(db, "SELECT count(*) FROM loads") == [(0,)]


def test_a_round_of_a_year_to_come_is_refused_as_a_usage_error_and_nothing_recorded(db: Path, tmp_path: Path) -> None:
    """kpi#36: a round recorded for a year after the current one had its answers refused until that year."""
    from kpi.errors import UsageProblem
    from kpi.fiscal import current_fy, today_in

    current = current_fy()
    later = ROUND[0]._replace(survey_fy=current + 1)
    with Store.at(db, 5).writing() as con:
        with pytest.raises(UsageProblem) as refused:
            record_sent(con, tmp_path, [ROUND[1]._replace(survey_fy=current), later])
        assert (refused.value.key, refused.value.params) == (
            "followups.round_future",
            {"fy": current + 1, "current": current},
        )
        assert sending_day(con, current) == sending_day(con, None) == today_in()
    assert rows(db, "SELECT count(*) FROM loads") == [(0,)]
