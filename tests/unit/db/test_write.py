"""The database file: idempotent reloads, status history, schema versions, permissions, all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
from kit import SAMPLE, theme, themes_csv, write


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def table_dump(db: Path) -> dict[str, list[tuple]]:
    tables = [r[0] for r in rows(db, "SELECT table_name FROM information_schema.tables ORDER BY 1")]
    return {t: rows(db, f"SELECT * FROM {t} ORDER BY ALL") for t in tables}


def test_loading_the_sample_twice_gives_the_same_database(kpi, db: Path) -> None:
    first = kpi("load", "--db", str(db), str(SAMPLE))
    assert first.returncode == 0, first.stderr
    before = table_dump(db)
    second = kpi("load", "--db", str(db), str(SAMPLE))
    assert second.returncode == 0
    assert "変更なし: 読込 #2（" in second.stderr
    assert table_dump(db) == before
    assert rows(db, "SELECT count(*), count(DISTINCT theme_id) FROM themes") == [(144, 144)]


def test_a_themes_file_of_a_new_date_adds_a_list_and_keeps_the_older_one(kpi, db: Path, tmp_path: Path) -> None:
    v1 = write(
        tmp_path / "themes_2026-03-31.csv", themes_csv([theme("T1", end_fy=2025, status="計画通り"), theme("T2")])
    )
    assert kpi("load", "--db", str(db), str(v1)).returncode == 0
    v2 = write(
        tmp_path / "themes_2026-04-30.csv",
        themes_csv([theme("T1", end_fy=2025, status="目標達成"), theme("T3")]),
    )
    result = kpi("load", "--db", str(db), str(v2))
    assert result.returncode == 0, result.stderr
    assert rows(db, "SELECT list_id, snapshot::VARCHAR, load_id FROM theme_lists ORDER BY 1") == [
        (1, "2026-03-31", 1),
        (2, "2026-04-30", 2),
    ]
    assert rows(db, "SELECT list_id, theme_id, status FROM theme_rows ORDER BY 1, 2") == [
        (1, "T1", "on_track"),
        (1, "T2", "achieved"),
        (2, "T1", "achieved"),
        (2, "T3", "achieved"),
    ]
    # the registry: every theme ever listed, as its latest list has it (T2 is missing from the newer list)
    assert rows(db, "SELECT theme_id, status, snapshot::VARCHAR FROM themes ORDER BY 1") == [
        ("T1", "achieved", "2026-04-30"),
        ("T2", "achieved", "2026-03-31"),
        ("T3", "achieved", "2026-04-30"),
    ]
    # 1 new (T3), 1 changed (T1); T2 is reported missing, never dropped silently
    assert rows(db, "SELECT load_id, file_name, kind, row_count, inserted, updated FROM loads ORDER BY 1") == [
        (1, "themes_2026-03-31.csv", "themes", 2, 2, 0),
        (2, "themes_2026-04-30.csv", "themes", 2, 1, 1),
    ]
    assert "2026-04-30 の一覧には、前の一覧（2026-03-31）にあったテーマ 1件がありません" in result.stderr
    assert "T2" in result.stderr.splitlines()[-1]


def test_the_same_date_again_supersedes_that_list_or_changes_nothing(kpi, db: Path, tmp_path: Path) -> None:
    """A corrected list of a date already loaded becomes that date's current version; the earlier version is kept."""
    path = tmp_path / "themes.csv"
    for text in (
        themes_csv([theme("T1", end_fy=2025, status="計画通り")]),
        themes_csv([theme("T1", end_fy=2025, status="遅延")]),
    ):
        result = kpi("load", "--db", str(db), "--snapshot", "2026-03-31", str(write(path, text)))
        assert result.returncode == 0, result.stderr
    assert "2026-03-31 の一覧を置き換えました" in result.stderr
    assert rows(db, "SELECT list_id, theme_id, status FROM themes JOIN theme_lists USING (snapshot)") == [
        (2, "T1", "delayed")
    ]
    assert rows(db, "SELECT list_id, theme_id, status FROM theme_rows ORDER BY list_id") == [
        (1, "T1", "on_track"),
        (2, "T1", "delayed"),
    ]
    assert rows(db, "SELECT list_id, load_id, superseded_by FROM theme_lists_versions ORDER BY list_id") == [
        (1, 1, 2),
        (2, 2, None),
    ]
    again = kpi("load", "--db", str(db), "--snapshot", "2026-03-31", str(path))
    assert "変更なし" in again.stderr and rows(db, "SELECT count(*) FROM loads") == [(2,)]


def test_reverting_to_an_earlier_file_is_applied(kpi, db: Path, tmp_path: Path) -> None:
    a = themes_csv([theme("T1", end_fy=2025, status="計画通り")])
    b = themes_csv([theme("T1", end_fy=2025, status="遅延")])
    for text in (a, b, a):
        assert (
            kpi(
                "load", "--db", str(db), "--snapshot", "2026-03-31", str(write(tmp_path / "themes.csv", text))
            ).returncode
            == 0
        )
    assert rows(db, "SELECT status FROM themes") == [("on_track",)]
    assert rows(db, "SELECT count(*) FROM theme_lists") == [(1,)]
