"""The database file: idempotent reloads, status history, schema versions, permissions, all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from kit import SAMPLE, theme, themes_csv, write
from matrix import some_in_default

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
        # the default run keeps the boundary (half is enough, less is refused); CI's slow step runs every case
        ("A B X Y", False),  # 2 shared: half of the smaller list (4)
        ("A X Y Z", True),  # 1 of 4
        pytest.param("A B C", False, marks=pytest.mark.slow),  # a part of the list: 3 of 3
        pytest.param("A X", False, marks=pytest.mark.slow),  # 1 of 2
        pytest.param("A B C D E F G H I J", False, marks=pytest.mark.slow),  # a list that grew: 4 of the 4 stored
        pytest.param("A X Y Z V W", True, marks=pytest.mark.slow),  # 1 of the 4 stored
        pytest.param("X Y Z", True, marks=pytest.mark.slow),  # none
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


# ---------------------------------------------------------------------------- a same-date correction, compared


BASE = [
    theme("T1", end_fy=2025, status="計画通り"),
    theme("T2"),
    theme("T3", end_fy=2026, status="遅延"),
    theme("T4", item=2, start_fy=2022),
]
EARLIER = [theme("T0"), theme("T1", end_fy=2025, status="計画通り"), theme("T2")]  # an earlier list names T0
# Each correction of BASE (the list of 2026-03-31): its rows, and the load's 追加/更新, "unchanged" or the refusal.
CORRECTIONS = {
    "the same rows": (BASE, "unchanged"),
    "the same rows in another order": ([BASE[2], BASE[0], BASE[3], BASE[1]], "unchanged"),
    "the same rows, cells padded": ([f" {r.replace(',', ' ,', 1)}" for r in BASE], "unchanged"),
    "one status": ([theme("T1", end_fy=2025, status="目標達成"), *BASE[1:]], (0, 1)),
    "a title and an end year": (
        [BASE[0], "T2,1,委託,a1,某社,新しい題,,2024,目標達成", *BASE[2:]],
        (0, 1),
    ),
    "every column of one, another's status": (
        [
            "T1,3,助成,b2,別の社,別の題,2021,2024,目標未達",
            BASE[1],
            theme("T3", end_fy=2026, status="計画通り"),
            BASE[3],
        ],
        (0, 2),
    ),
    "a theme added": ([*BASE, theme("T5")], (1, 0)),
    "a theme added and one changed": ([*BASE[:3], theme("T4", item=2, start_fy=2021), theme("T5")], (1, 1)),
    "a theme left out": (BASE[:3], "load.correction_drops_themes"),
    "a theme an earlier list names left out": ([r for r in BASE if not r.startswith("T2,")], (0, 0)),
}


def _comparable(result, folder: Path) -> tuple:
    """A load's exit code and output with the folder and the minutes of `変更なし: 読込 #n（time）` taken out."""
    import re

    def plain(text: str) -> str:
        return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "TIME", text.replace(str(folder), "DIR"))

    return result.returncode, plain(result.stdout), plain(result.stderr)


def _stored(db: Path) -> dict[str, list[tuple]]:
    """What a load leaves that a reader sees: every table but the loads' times and the files' hashes."""
    dump = table_dump(db)
    dump["loads"] = rows(db, "SELECT * EXCLUDE (loaded_at, sha256) FROM loads ORDER BY load_id")
    return dump


# The default run keeps a changed correction; CI's slow step runs every case (a refused one too).
IN_DEFAULT: set[str] = set()  # (3.5 s a case: every case in CI's slow step; the default run has other corrections)


@pytest.mark.parametrize(
    "case", [pytest.param(c, marks=() if c in IN_DEFAULT else pytest.mark.slow) for c in CORRECTIONS]
)
def test_a_correction_counts_alike_whether_duckdb_staged_it_or_not(kpi, tmp_path: Path, case: str) -> None:
    """A UTF-8 file is staged by DuckDB (its theme IDs unique), a CP932 one read the ordinary way: the same
    correction gives the same 追加/更新, the same unchanged verdict or refusal, the same output and rows."""
    correction, expected = CORRECTIONS[case]
    seen = {}
    for encoding in ("utf-8", "cp932"):
        folder = tmp_path / encoding
        folder.mkdir()
        db = folder / "kpi.duckdb"
        given = ["--encoding", encoding, "--db", str(db)]
        earlier = write(folder / "themes_2025-03-31.csv", themes_csv(EARLIER), encoding)
        assert kpi("load", *given, str(earlier)).returncode == 0
        base = write(folder / "themes_2026-03-31.csv", themes_csv(BASE), encoding)
        assert kpi("load", *given, str(base)).returncode == 0
        before = _stored(db)
        (folder / "corrected").mkdir()
        path = write(folder / "corrected" / "themes_2026-03-31.csv", themes_csv(correction), encoding)
        result = kpi("load", *given, str(path))
        after = _stored(db)
        if expected == "unchanged":
            assert result.returncode == 0, result.stderr
            assert "変更なし" in result.stderr and after == before
        elif isinstance(expected, str):
            assert result.returncode == 3 and after == before
            assert "2026-03-31 の一覧の訂正に、訂正前の一覧にあったテーマ 1件がありません: T4" in result.stderr
        else:
            assert result.returncode == 0, result.stderr
            assert rows(db, "SELECT inserted, updated FROM loads ORDER BY load_id DESC LIMIT 1") == [expected]
        seen[encoding] = (_comparable(result, folder), after)
    assert seen["utf-8"] == seen["cp932"]


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        pytest.param("A B C X", (2, 0), marks=pytest.mark.slow),  # half of its IDs in the list it corrects
        # none in the list it corrects, 3 in the themes it carries: half of the smaller (5)
        pytest.param("C D E X Y", (5, 0), marks=pytest.mark.slow),
        ("A X Y", "load.another_programmes_list"),  # 1 of 3
        pytest.param("A B", "unchanged", marks=pytest.mark.slow),
    ],
)
def test_a_correction_sharing_few_ids_with_the_list_it_corrects_counts_the_themes_it_carries(
    kpi, tmp_path: Path, ids: str, expected: object
) -> None:
    """The list of 2026-03-31 (A B) carries C D E F from the list of 2025-03-31: a correction of it is another
    programme's only when it shares fewer than half of the smaller list's IDs with both, staged or not."""
    seen = {}
    for encoding in ("utf-8", "cp932"):
        folder = tmp_path / encoding
        folder.mkdir()
        given = ["--encoding", encoding, "--db", str(folder / "kpi.duckdb")]
        for day, listed in (("2025-03-31", "A B C D E F"), ("2026-03-31", "A B")):
            text = themes_csv([theme(i) for i in listed.split()])
            assert kpi("load", *given, str(write(folder / f"themes_{day}.csv", text, encoding))).returncode == 0
        (folder / "c").mkdir()
        path = write(folder / "c" / "themes_2026-03-31.csv", themes_csv([theme(i) for i in ids.split()]), encoding)
        result = kpi("load", *given, str(path))
        db = folder / "kpi.duckdb"
        if expected == "unchanged":
            assert result.returncode == 0 and "変更なし" in result.stderr
        elif isinstance(expected, str):
            assert result.returncode == 3 and "別の事業の一覧ではありませんか" in result.stderr
        else:
            assert result.returncode == 0, result.stderr
            assert rows(db, "SELECT inserted, updated FROM loads ORDER BY load_id DESC LIMIT 1") == [expected]
        seen[encoding] = (_comparable(result, folder), _stored(db))
    assert seen["utf-8"] == seen["cp932"]


def test_an_undone_correction_gives_back_the_list_it_corrected_which_is_then_unchanged(
    kpi, db: Path, tmp_path: Path
) -> None:
    """Undo after a correction DuckDB staged: the earlier version is current again, the same file is then unchanged
    and the correction can be loaded again."""
    base = write(tmp_path / "themes_2026-03-31.csv", themes_csv(BASE))
    assert kpi("load", "--db", str(db), str(base)).returncode == 0
    (tmp_path / "c").mkdir()
    fixed = write(tmp_path / "c" / "themes_2026-03-31.csv", themes_csv([theme("T1", end_fy=2025), *BASE[1:]]))
    corrected = kpi("load", "--db", str(db), str(fixed))
    assert corrected.returncode == 0, corrected.stderr
    assert rows(db, "SELECT inserted, updated FROM loads WHERE load_id = 2") == [(0, 1)]
    assert rows(db, "SELECT status FROM themes WHERE theme_id = 'T1'") == [("achieved",)]
    undone = kpi("undo", "--db", str(db))
    assert undone.returncode == 0, undone.stderr
    assert rows(db, "SELECT status FROM themes WHERE theme_id = 'T1'") == [("on_track",)]
    assert rows(db, "SELECT list_id, load_id, superseded_by FROM theme_lists_versions ORDER BY load_id") == [
        (1, 1, 2),
        (2, 2, 3),
        (1, 3, None),
    ]
    again = kpi("load", "--db", str(db), str(base))
    assert again.returncode == 0 and "変更なし" in again.stderr
    assert rows(db, "SELECT count(*) FROM loads") == [(3,)]
    redone = kpi("load", "--db", str(db), str(fixed))
    assert redone.returncode == 0, redone.stderr
    assert rows(db, "SELECT load_id, inserted, updated FROM loads WHERE load_id = 4") == [(4, 0, 1)]
    assert rows(db, "SELECT status FROM themes WHERE theme_id = 'T1'") == [("achieved",)]


def _corrected_in_process(folder: Path, encoding: str, correction: list[str]) -> tuple:
    """EARLIER, BASE, then a correction of BASE, loaded with the library: what the correction did (its counts and
    changed columns, or the refusal) and the rows every list then holds."""
    from kpi.db.connect import open_for_write
    from kpi.errors import KpiError
    from kpi.load import ingest

    folder.mkdir()
    files = [
        ("themes_2025-03-31.csv", EARLIER),
        ("themes_2026-03-31.csv", BASE),
        ("c/themes_2026-03-31.csv", correction),
    ]
    did: object = None
    with open_for_write(folder / "kpi.duckdb") as con:
        for name, listed in files:
            path = folder / name
            path.parent.mkdir(exist_ok=True)
            write(path, themes_csv(listed), encoding)
            try:
                (result,), _ = ingest.load(con, [path], encoding=encoding)
                did = (result.inserted, result.updated, result.changed_fields, result.load_id is not None)
            except KpiError as e:
                did = e.key
        held = tuple(con.execute("SELECT * FROM theme_rows ORDER BY ALL").fetchall())
    return did, held


# (the default run keeps a case that adds and changes a theme; CI's slow step runs every case)
@pytest.mark.parametrize(
    "case", some_in_default(sorted(CORRECTIONS, key=lambda c: c != "a theme added and one changed"), keep=1)
)
def test_a_correction_compared_in_parts_counts_as_one_compared_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """_against compares a large file in parts (COMPARED_PER_PASS rows at a time, split by the hash of theme_id):
    a theme per part gives the same counts, changed columns, refusals and rows as one part, staged (UTF-8) or read
    the ordinary way (CP932, its frame kept in a temporary table for the passes)."""
    from kpi.db import write as writing

    seen = {}
    for per_pass in (None, 1):
        if per_pass is not None:
            monkeypatch.setattr(writing, "COMPARED_PER_PASS", per_pass)
        for encoding in ("utf-8", "cp932"):
            seen[per_pass, encoding] = _corrected_in_process(
                tmp_path / f"{encoding}-{per_pass}", encoding, CORRECTIONS[case][0]
            )
    assert all(v == seen[None, "utf-8"] for v in seen.values()), seen
    expected = CORRECTIONS[case][1]
    did = seen[None, "utf-8"][0]
    if expected == "unchanged":
        assert did[:2] == (0, 0) and not did[3]
    elif isinstance(expected, str):
        assert did == expected
    else:
        assert did[:2] == expected
