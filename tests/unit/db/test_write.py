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


def test_a_changed_themes_file_updates_by_theme_id_and_keeps_history(kpi, db: Path, tmp_path: Path) -> None:
    v1 = write(tmp_path / "themes.csv", themes_csv([theme("T1", end_fy=2025, status="計画通り"), theme("T2")]))
    assert kpi("load", "--db", str(db), str(v1)).returncode == 0
    v2 = write(
        tmp_path / "themes.csv", themes_csv([theme("T1", end_fy=2025, status="目標達成"), theme("T2"), theme("T3")])
    )
    result = kpi("load", "--db", str(db), str(v2))
    assert result.returncode == 0, result.stderr
    assert rows(db, "SELECT theme_id, status, load_id FROM themes ORDER BY 1") == [
        ("T1", "achieved", 2),
        ("T2", "achieved", 1),
        ("T3", "achieved", 2),
    ]
    assert rows(db, "SELECT theme_id, load_id, old_status, new_status FROM theme_history") == [
        ("T1", 2, "on_track", "achieved")
    ]
    assert rows(db, "SELECT load_id, file_name, kind, row_count, inserted, updated FROM loads ORDER BY 1") == [
        (1, "themes.csv", "themes", 2, 2, 0),
        (2, "themes.csv", "themes", 3, 1, 1),
    ]
    assert all(len(sha) == 64 for (sha,) in rows(db, "SELECT sha256 FROM loads"))


def test_reverting_to_an_earlier_file_is_applied(kpi, db: Path, tmp_path: Path) -> None:
    a = themes_csv([theme("T1", end_fy=2025, status="計画通り")])
    b = themes_csv([theme("T1", end_fy=2025, status="遅延")])
    for text in (a, b, a):
        assert kpi("load", "--db", str(db), str(write(tmp_path / "themes.csv", text))).returncode == 0
    assert rows(db, "SELECT status FROM themes") == [("on_track",)]
    assert len(rows(db, "SELECT * FROM theme_history")) == 2
