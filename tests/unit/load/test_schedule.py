"""The schedule file (schemas.schedule): every bad cell refused with its file, line, column, value and rule, a theme
the lists do not know refused as a follow-up's is, and nothing written; sound rows stored in versions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from kit import SAMPLE, in_english, theme, themes_csv, write

from kpi.db.connect import open_for_read, open_for_write
from kpi.errors import InputRejected
from kpi.load import ingest

HEADER = "テーマ番号,事象,名称,予定年度,実績年度\n"


def test_every_bad_cell_is_refused_with_its_line_column_value_and_rule(tmp_path: Path, load) -> None:
    db = load({"themes.csv": themes_csv([theme("T1"), theme("T2")])})
    bad = write(
        tmp_path / "スケジュール.csv",
        HEADER
        + "T1,開始,,2021,2021\n"
        + "T1,着工,,2022,\n"  # 3: no such event
        + "T1,マイルストーン,,2022,\n"  # 4: a milestone without its name
        + "T1,終了,試作,2023,\n"  # 5: a name on the end
        + "T2,開始,,令和x年度,\n"  # 6: no fiscal year
        + "T1,開始,,2021,\n"  # 7: the start twice
        + "T9,開始,,2021,\n",  # 8: a theme no list holds
    )
    with pytest.raises(InputRejected) as caught, open_for_write(db, wait=5) as con:
        ingest.load_files(con, ingest.read_files([bad]))
    found = {(f.line, f.column.split("[")[-1].rstrip("]"), f.value, f.rule) for f in caught.value.failures}
    assert found >= {
        (3, "event", "着工", "rule.schedule_event"),
        (4, "name", None, "rule.schedule_name_required"),
        (5, "name", "試作", "rule.schedule_name_only_milestone"),
        (6, "planned_fy", "令和x年度", "rule.fiscal_year"),
        (7, "event", "開始", "rule.schedule_one_event"),
    }, found
    assert (2, "event", "開始", "rule.schedule_one_event") in found  # both rows of the pair are named
    assert all(f.file == str(bad) for f in caught.value.failures)
    assert "event 開始, ステージゲート, 終了 or マイルストーン" in str(in_english(caught.value.failures))
    with open_for_read(db, wait=5) as con:
        assert con.execute("SELECT count(*) FROM schedule").fetchone() == (0,)
    unknown = write(tmp_path / "schedule.csv", HEADER + "T9,開始,,2021,\n")
    with pytest.raises(InputRejected) as caught, open_for_write(db, wait=5) as con:
        ingest.load_files(con, ingest.read_files([unknown]))
    assert [(f.line, f.value, f.rule) for f in caught.value.failures] == [(2, "T9", "rule.unknown_theme")]


def test_an_actual_year_after_the_current_fiscal_year_is_refused_and_nothing_written(tmp_path: Path, load) -> None:
    db = load({"themes.csv": themes_csv([theme("T1"), theme("T2")])})
    rows = "T1,開始,,2024,2024\nT1,終了,,2024,2027\nT2,終了,,2026,2026\nT2,開始,,2025,令和9年度\n"
    future = write(tmp_path / "schedule.csv", HEADER + rows)  # 3 and 5: years not come as of 2026-12-05
    batch = ingest.read_files([future], today=dt.date(2026, 12, 5))
    found = [(f.file, f.line, f.column, f.value, f.rule, f.params) for f in batch.failures]
    assert found == [
        (str(future), 3, "actual_fy", "2027", "rule.actual_future", {"fy": 2026}),
        (str(future), 5, "actual_fy", "令和9年度", "rule.actual_future", {"fy": 2026}),
    ]
    with pytest.raises(InputRejected), open_for_write(db, wait=5) as con:
        ingest.load_files(con, batch)
    with open_for_read(db, wait=5) as con:
        assert con.execute("SELECT count(*) FROM schedule").fetchone() == (0,)


@pytest.mark.slow
def test_a_reload_supersedes_the_rows_it_gives_and_undo_and_loads_know_the_kind(tmp_path: Path, kpi_en) -> None:
    db = tmp_path / "k.duckdb"
    themes = write(tmp_path / "themes.csv", themes_csv([theme("T1", end_fy=2026, status="計画通り")]))
    first = write(tmp_path / "schedule.csv", HEADER + "T1,開始,,R4,R4\nT1,ステージゲート,,2024,\nT1,終了,,2026,\n")
    assert kpi_en("load", "--db", str(db), str(SAMPLE / "programme.toml"), str(themes), str(first)).returncode == 0
    again = write(tmp_path / "schedule_2.csv", HEADER + "T1,ステージゲート,,2024,2025\n")
    assert kpi_en("load", "--db", str(db), str(again)).returncode == 0
    with open_for_read(db, wait=5) as con:
        rows = con.execute("SELECT event, planned_fy, actual_fy FROM schedule ORDER BY event").fetchall()
    assert rows == [("end", 2026, None), ("stagegate", 2024, 2025), ("start", 2022, 2022)]
    loads = kpi_en("loads", "--db", str(db))
    assert "schedule" in loads.stdout, loads.stdout
    assert kpi_en("undo", "--db", str(db)).returncode == 0
    with open_for_read(db, wait=5) as con:
        assert con.execute("SELECT actual_fy FROM schedule WHERE event = 'stagegate'").fetchone() == (None,)
