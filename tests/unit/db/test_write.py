"""The database file: idempotent reloads, status history, schema versions, permissions, all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from kit import SAMPLE, theme, themes_csv, write

from kpi.errors import InputRejected


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


# ---------------------------------------------------------------------------- another programme's files


def _load(db: Path, *paths: Path, renumbered: str | None = None) -> list:
    """Load files with the library (kpi.load.ingest.load: the path of every `kpi load`)."""
    from kpi.db.connect import open_for_write
    from kpi.load import ingest

    with open_for_write(db, wait=5) as con:
        results, _ = ingest.load(con, list(paths), **({"renumbered": renumbered} if renumbered else {}))
    return results


def _ids(tmp_path: Path, name: str, ids: str) -> Path:
    return write(tmp_path / name, themes_csv([theme(i) for i in ids.split()]))


@pytest.mark.parametrize(
    ("ids", "refused"),
    [
        ("A B X Y", False),  # 2 shared: half of the smaller list (4)
        ("A X Y Z", True),  # 1 of 4
        ("A B C", False),  # a part of the list: 3 of 3
        ("A X", False),  # 1 of 2
        ("A B C D E F G H I J", False),  # a list that grew: 4 of the 4 stored
        ("A X Y Z V W", True),  # 1 of the 4 stored
        ("X Y Z", True),  # none
    ],
)
def test_a_list_sharing_fewer_than_half_of_the_smaller_lists_ids_is_refused_and_half_is_enough(
    db: Path, tmp_path: Path, ids: str, refused: bool
) -> None:
    """shared × 2 < min(the list's IDs, the stored list's IDs) → refused."""
    _load(db, _ids(tmp_path, "themes_2025-04-30.csv", "A B C D"))
    before = table_dump(db)
    new = _ids(tmp_path, "themes_2025-05-31.csv", ids)
    if not refused:
        _load(db, new)
        assert rows(db, "SELECT count(*) FROM theme_lists") == [(2,)]
        return
    with pytest.raises(InputRejected) as caught:
        _load(db, new)
    assert caught.value.exit_code == 3 and caught.value.key == "load.another_programmes_list"
    shared = len(set(ids.split()) & set("ABCD"))
    assert caught.value.params == {
        "shared": shared,
        "ids": len(ids.split()),
        "held": 4,
        "previous": "2025-04-30",
        "name": "—",
        "project_id": "—",
    }
    [failure] = caught.value.failures
    assert failure.file == str(new) and failure.line is None
    assert table_dump(db) == before


def test_the_list_followed_is_the_latest_on_or_before_its_date_else_the_earliest(db: Path, tmp_path: Path) -> None:
    _load(db, _ids(tmp_path, "themes_2025-04-30.csv", "A B"), _ids(tmp_path, "themes_2025-06-30.csv", "A B C D"))
    with pytest.raises(InputRejected) as caught:  # follows 06-30's list: 1 of 3 shared
        _load(db, _ids(tmp_path, "themes_2025-07-31.csv", "A X Y"))
    assert (caught.value.params["shared"], caught.value.params["previous"]) == (1, "2025-06-30")
    with pytest.raises(InputRejected) as caught:  # an earlier date than every list follows the earliest
        _load(db, _ids(tmp_path, "themes_2025-03-31.csv", "C D E F G"))
    assert (caught.value.params["shared"], caught.value.params["previous"]) == (0, "2025-04-30")
    _load(db, _ids(tmp_path, "themes_2025-08-31.csv", "C D X Y"))  # 2 of 4 with 06-30's (0 with 04-30's)
    with pytest.raises(InputRejected) as caught:  # a corrected list of a stored date follows that date's list
        _load(db, _ids(tmp_path, "themes_2025-06-30.csv", "X Y Z"))
    assert caught.value.params["previous"] == "2025-06-30"
    _load(db, _ids(tmp_path, "themes_2025-05-31.csv", "A B"))
    assert rows(db, "SELECT count(*) FROM theme_lists") == [(4,)]


def test_a_renumbering_is_accepted_with_its_reason_kept_on_the_loads_it_let_through(db: Path, tmp_path: Path) -> None:
    _load(db, _ids(tmp_path, "themes_2025-04-30.csv", "A B C D"))
    same = _ids(tmp_path, "themes_2025-05-31.csv", "A B C D E")
    renumbered = _ids(tmp_path, "themes_2025-06-30.csv", "N1 N2 N3 N4 N5")
    _load(db, same, renumbered, renumbered="NEDO renumbered every theme")
    assert rows(db, "SELECT file_name, renumbered FROM loads ORDER BY load_id") == [
        ("themes_2025-04-30.csv", None),
        ("themes_2025-05-31.csv", None),
        ("themes_2025-06-30.csv", "NEDO renumbered every theme"),
    ]


def _settings(tmp_path: Path, project_id: int, name: str) -> Path:
    text = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
    lines = [
        f'name = "{name}"' if line.startswith("name = ") else line.replace("3522", str(project_id))
        for line in text.splitlines()
    ]
    folder = tmp_path / f"p{project_id}"
    folder.mkdir(exist_ok=True)
    return write(folder / "programme.toml", "\n".join(lines) + "\n")


def test_settings_of_another_project_id_are_refused_naming_both_ids_unless_renumbered(db: Path, tmp_path: Path) -> None:
    _load(db, _settings(tmp_path, 3522, "ポスト5G"), _ids(tmp_path, "themes_2025-04-30.csv", "A B"))
    before = table_dump(db)
    other = _settings(tmp_path, 9999, "別の事業")
    with pytest.raises(InputRejected) as caught:
        _load(db, other)
    assert caught.value.exit_code == 3 and caught.value.key == "load.other_programme"
    assert caught.value.params == {"new": "9999", "stored": "3522", "name": "ポスト5G"}
    assert table_dump(db) == before
    _load(db, _settings(tmp_path, 3522, "ポスト5G（改称）"))  # the same ID under a new name: no question
    _load(db, other, renumbered="予算事業IDの変更（令和8年度）")
    assert rows(db, "SELECT kind, renumbered FROM loads ORDER BY load_id") == [
        ("programme", None),
        ("themes", None),
        ("programme", None),
        ("programme", "予算事業IDの変更（令和8年度）"),
    ]
    assert rows(db, "SELECT value FROM programme WHERE key = 'project_id'") == [("9999",)]
