"""`kpi changes`: exactly the themes that moved, were added and went missing between two lists, and every KPI
before and after."""

from __future__ import annotations

import json
from pathlib import Path

from programmes import LISTS, load_lists


def test_changes_between_the_last_two_lists_name_exactly_what_moved(kpi, db: Path, tmp_path: Path) -> None:
    load_lists(kpi, db, tmp_path / "in", list(LISTS))
    data = json.loads(kpi("changes", "--db", str(db), "--format", "json").stdout)
    assert (data["from"], data["to"], data["from_fy"], data["to_fy"]) == ("2025-03-31", "2026-04-30", 2024, 2026)
    assert data["status_changes"] == [
        {"theme_id": "B1", "before": "on_track", "after": "delayed"},
        {"theme_id": "N1", "before": "not_achieved", "after": "cancelled"},
        {"theme_id": "W2", "before": "on_track", "after": "not_achieved"},
    ]
    assert [t["theme_id"] for t in data["added"]] == ["C1"]
    assert data["missing"] == []
    short = data["kpis"]["short_term"]
    assert (short["before"]["numerator"], short["before"]["denominator"]) == (5, 6)  # FY2024 from the 2025 list
    assert (short["after"]["numerator"], short["after"]["denominator"]) == (5, 6)  # FY2026 from the April list
    assert set(data["kpis"]) == {"short_term", "long_term", "long_term_matured"}


def test_from_and_to_pick_the_lists_in_force_on_those_dates(kpi, db: Path, tmp_path: Path) -> None:
    load_lists(kpi, db, tmp_path / "in", list(LISTS))
    data = json.loads(
        kpi("changes", "--db", str(db), "--from", "2024-12-01", "--to", "2025-06-30", "--format", "json").stdout
    )
    assert (data["from"], data["to"]) == ("2024-03-31", "2025-03-31")
    assert data["status_changes"] == [{"theme_id": "W1", "before": "on_track", "after": "achieved"}]
    assert [t["theme_id"] for t in data["added"]] == ["B1"] and data["missing"] == []
    text = kpi("changes", "--db", str(db), "--from", "2024-12-01", "--to", "2025-06-30").stdout
    assert "結果/状況が変わったテーマ（1）" in text and "計画通り  目標達成" in text


def test_with_one_list_there_is_nothing_to_compare(kpi, kpi_en, db: Path, tmp_path: Path) -> None:
    load_lists(kpi, db, tmp_path / "in", ["2024-03-31"])
    result = kpi("changes", "--db", str(db))
    assert (
        result.returncode == 3
        and "日付の異なるテーマ一覧が2つ必要です" in result.stderr
        and "2024-03-31" in result.stderr
    )
    assert "comparing needs two theme lists" in kpi_en("changes", "--db", str(db)).stderr
    assert kpi("changes", "--db", str(db), "--from", "someday").returncode == 2


def test_a_date_before_every_list_or_one_list_twice_is_said_as_it_is(kpi, kpi_en, db: Path, tmp_path: Path) -> None:
    load_lists(kpi, db, tmp_path / "in", list(LISTS))
    early = kpi("changes", "--db", str(db), "--from", "2000-01-01")
    assert early.returncode == 3 and "2000-01-01 以前のテーマ一覧はありません" in early.stderr
    assert "2つ必要" not in early.stderr  # three lists are loaded: "two are needed" would be wrong
    same = kpi_en("changes", "--db", str(db), "--from", "2024-04-01", "--to", "2024-05-01")
    assert same.returncode == 3 and "both name the list of 2024-03-31" in same.stderr


def test_an_organisation_title_element_or_year_changed_is_counted_at_load_and_shown(
    kpi, kpi_en, tmp_path: Path
) -> None:
    from kit import theme, themes_csv, write

    db = tmp_path / "kpi.duckdb"
    before = [theme("T1"), theme("T2"), theme("T3"), theme("T4", status="計画通り", end_fy=2026)]
    after = [
        theme("T1").replace("某社", "某社・別社"),  # organisations
        theme("T2").replace("テーマT2", "テーマT2（改題）"),  # title
        theme("T3", element="b1"),  # element
        theme("T4", status="計画通り", end_fy=2027),  # end year
    ]
    assert (
        kpi("load", "--db", str(db), str(write(tmp_path / "themes_2026-03-31.csv", themes_csv(before)))).returncode == 0
    )
    second = write(tmp_path / "themes_2026-04-30.csv", themes_csv(after))
    loaded = kpi("load", "--db", str(db), str(second))
    assert loaded.returncode == 0, loaded.stderr
    assert f"{second}: 変わったテーマ 4件（基盤要素 1件、機関名 1件、開発テーマ名 1件、終了年度 1件）" in loaded.stderr
    data = json.loads(kpi("changes", "--db", str(db), "--format", "json").stdout)
    assert data["status_changes"] == []
    assert data["field_changes"] == [
        {"theme_id": "T1", "field": "organizations", "before": "某社", "after": "某社・別社"},
        {"theme_id": "T2", "field": "title", "before": "テーマT2", "after": "テーマT2（改題）"},
        {"theme_id": "T3", "field": "element", "before": "a1", "after": "b1"},
        {"theme_id": "T4", "field": "end_fy", "before": "2026", "after": "2027"},
    ]
    ja = kpi("changes", "--db", str(db)).stdout
    assert "■ 結果/状況以外が変わったテーマ（4）" in ja
    assert any("T1" in line and "機関名" in line and "某社・別社" in line for line in ja.splitlines())
    en = kpi_en("changes", "--db", str(db)).stdout
    assert "■ Themes with other columns changed (4)" in en
    assert any("T4" in line and "end FY" in line and "2027" in line for line in en.splitlines())


def test_a_changed_title_is_counted_in_english_too(kpi_en, tmp_path: Path) -> None:
    from kit import theme, themes_csv, write

    db = tmp_path / "kpi.duckdb"
    kpi_en("load", "--db", str(db), str(write(tmp_path / "themes_2026-03-31.csv", themes_csv([theme("T1")]))))
    second = write(tmp_path / "themes_2026-04-30.csv", themes_csv([theme("T1").replace("テーマT1", "新題")]))
    loaded = kpi_en("load", "--db", str(db), str(second))
    assert f"{second}: 1 themes changed (title 1)" in loaded.stderr


def _correct(kpi, db: Path, folder: Path, date: str, rows: list[str]) -> None:
    """Load `rows` as the list of `date` (a first list, or a same-date correction of it)."""
    from kit import themes_csv, write

    folder.mkdir(parents=True, exist_ok=True)
    result = kpi("load", "--db", str(db), str(write(folder / f"themes_{date}.csv", themes_csv(rows))))
    assert result.returncode == 0, result.stderr


def test_the_same_date_twice_compares_a_correction_with_the_version_it_replaced(
    kpi, kpi_en, db: Path, tmp_path: Path
) -> None:
    from kit import theme

    first = [theme("T1"), theme("T2"), theme("T3", status="計画通り", end_fy=2026)]
    _correct(kpi, db, tmp_path / "a", "2026-03-31", first)
    one = kpi("changes", "--db", str(db), "--from", "2026-03-31", "--to", "2026-03-31")
    assert one.returncode == 3 and "訂正前の版がありません" in one.stderr
    fixed = [theme("T1").replace("某社", "某社・別社"), theme("T2", status="目標未達"), first[2], theme("T4")]
    _correct(kpi, db, tmp_path / "b", "2026-03-31", fixed)
    data = json.loads(
        kpi("changes", "--db", str(db), "--from", "2026-03-31", "--to", "2026-03-31", "--format", "json").stdout
    )
    assert (data["from"], data["to"], data["from_load"], data["to_load"]) == ("2026-03-31", "2026-03-31", 1, 2)
    assert data["status_changes"] == [{"theme_id": "T2", "before": "achieved", "after": "not_achieved"}]
    assert data["field_changes"] == [
        {"theme_id": "T1", "field": "organizations", "before": "某社", "after": "某社・別社"}
    ]
    assert [t["theme_id"] for t in data["added"]] == ["T4"] and data["missing"] == [] and data["dropped"] == []
    short = data["kpis"]["short_term"]  # each version's figures as they stood: 2 of 2 achieved, then 2 of 3
    assert (short["before"]["numerator"], short["before"]["denominator"]) == (2, 2)
    assert (short["after"]["numerator"], short["after"]["denominator"]) == (2, 3)
    text = kpi("changes", "--db", str(db), "--from", "2026-03-31", "--to", "2026-03-31").stdout
    assert text.startswith("2026-03-31 の一覧の訂正: 第1回の読込の版 → 第2回の読込の版\n")
    assert "訂正前（第1回の読込の版、2025年度）" in text
    en = kpi_en("changes", "--db", str(db), "--from", "2026-03-31", "--to", "2026-03-31", "--format", "markdown")
    assert en.stdout.startswith(
        "The correction of the 2026-03-31 list: the version of load #1 → the version of load #2"
    )
    as_known = kpi("changes", "--db", str(db), "--from", "2026-03-31", "--to", "2026-03-31", "--known-at", "1")
    assert as_known.returncode == 3  # right after load 1 the list had no earlier version
    assert kpi("changes", "--db", str(db)).returncode == 3  # by default two dates are still needed


def test_a_correction_compares_with_the_themes_the_earlier_version_carried(kpi, db: Path, tmp_path: Path) -> None:
    from kit import theme

    _correct(kpi, db, tmp_path / "a", "2026-03-31", [theme("T1"), theme("T2", status="計画通り", end_fy=2026)])
    _correct(kpi, db, tmp_path / "b", "2026-04-30", [theme("T1")])  # T2 carried with its last state
    _correct(kpi, db, tmp_path / "c", "2026-04-30", [theme("T1"), theme("T2", status="遅延", end_fy=2026)])
    data = json.loads(
        kpi("changes", "--db", str(db), "--from", "2026-04-30", "--to", "2026-04-30", "--format", "json").stdout
    )
    assert data["added"] == []  # named again, not new: the earlier version carried it
    assert data["status_changes"] == [{"theme_id": "T2", "before": "on_track", "after": "delayed"}]


def test_undoing_a_correction_names_the_theme_it_takes_away(kpi, kpi_en, db: Path, tmp_path: Path) -> None:
    from kit import theme

    _correct(kpi, db, tmp_path / "a", "2026-03-31", [theme("T1")])
    _correct(kpi, db, tmp_path / "b", "2026-03-31", [theme("T1"), theme("T9")])
    assert kpi("undo", "--db", str(db)).returncode == 0
    data = json.loads(
        kpi("changes", "--db", str(db), "--from", "2026-03-31", "--to", "2026-03-31", "--format", "json").stdout
    )
    assert (data["from_load"], data["to_load"]) == (2, 3)
    assert [t["theme_id"] for t in data["missing"]] == ["T9"] and data["dropped"] == ["T9"]
    en = kpi_en("changes", "--db", str(db), "--from", "2026-03-31", "--to", "2026-03-31").stdout
    assert "■ Themes no longer counted (1)" in en and "Themes missing from the newer list (0)" in en


def test_a_date_no_list_has_is_said_with_the_list_in_force_on_it(kpi, kpi_en, db: Path, tmp_path: Path) -> None:
    from kit import theme

    first = [theme("T1"), theme("T2"), theme("T3", status="計画通り", end_fy=2026)]
    _correct(kpi, db, tmp_path / "a", "2026-03-31", first)
    _correct(kpi, db, tmp_path / "b", "2026-03-31", [*first[:2], theme("T3", status="遅延", end_fy=2026)])
    text = kpi("changes", "--db", str(db), "--from", "2026-04-30", "--to", "2026-04-30").stdout
    assert text.splitlines()[0] == (
        "2026-03-31 の一覧の訂正: 第1回の読込の版 → 第2回の読込の版"
        "（2026-04-30 の一覧はありません。2026-04-30 に有効な一覧は 2026-03-31 のものです）"
    )
    en = kpi_en("changes", "--db", str(db), "--from", "2026-04-30", "--to", "2026-04-30").stdout
    assert "(2026-04-30 has no list of its own: the list in force on 2026-04-30 is that of 2026-03-31)" in en
    exact = kpi("changes", "--db", str(db), "--from", "2026-03-31", "--to", "2026-03-31").stdout
    assert "有効な一覧" not in exact  # a date that has its list is not explained


def test_to_alone_compares_the_list_before_it_with_its_own(kpi, kpi_en, db: Path, tmp_path: Path) -> None:
    load_lists(kpi, db, tmp_path / "in", list(LISTS))
    alone = json.loads(kpi("changes", "--db", str(db), "--to", "2025-03-31", "--format", "json").stdout)
    assert (alone["from"], alone["to"]) == ("2024-03-31", "2025-03-31")
    both = kpi("changes", "--db", str(db), "--from", "2024-03-31", "--to", "2025-03-31", "--format", "json").stdout
    assert alone == json.loads(both)
    first = kpi("changes", "--db", str(db), "--to", "2024-03-31")
    assert first.returncode == 3 and "2024-03-31 の一覧より前の一覧がなく" in first.stderr
    assert "2つ必要" not in first.stderr and "--to にこれより後の一覧の日付" in first.stderr
    assert "give --to the date of a later list" in kpi_en("changes", "--db", str(db), "--to", "2024-03-31").stderr


def test_a_theme_attribute_is_stored_with_its_list_carried_shown_in_changes_and_undone_with_the_list(
    kpi_en, db: Path, tmp_path: Path
) -> None:
    """Theme attributes (programme.toml [attributes]): stored with the list that gives them, carried with a theme a
    later list leaves out, shown as a changed column by the load and by `kpi changes`, undone with the list."""
    import duckdb
    from kit import SAMPLE, THEMES_HEADER, theme, themes_csv, write

    from kpi.db.carried import attribute_of

    declared = (
        '\n[attributes."分野"]\ntype = "category"\nvalues = ["通信", "AI"]\n\n[attributes."予算額"]\ntype = "money"\n'
    )
    settings = write(tmp_path / "programme.toml", (SAMPLE / "programme.toml").read_text(encoding="utf-8") + declared)
    header = THEMES_HEADER + ",分野,予算額(億円)"
    first = write(
        tmp_path / "themes_2025-03-31.csv",
        themes_csv([theme("T1") + ",通信,1.50", theme("T2") + ",ai,", theme("T3") + ",,"], header),
    )
    later = write(
        tmp_path / "themes_2026-03-31.csv", themes_csv([theme("T1") + ",AI,1.5", theme("T3") + ",通信,"], header)
    )
    assert kpi_en("load", "--db", str(db), str(settings), str(first)).returncode == 0
    loaded = kpi_en("load", "--db", str(db), str(later))
    assert loaded.returncode == 0 and "2 themes changed (分野 2)" in loaded.stderr

    def values(day: str) -> list[tuple[str, str | None]]:
        with duckdb.connect(str(db), read_only=True) as con:
            sql = f"SELECT * FROM {attribute_of('$a', '(SELECT list_id FROM theme_lists WHERE snapshot = $d)')} ORDER BY 1"
            return con.execute(sql, {"a": "分野", "d": day}).fetchall()

    assert values("2026-03-31") == [("T1", "AI"), ("T2", "AI"), ("T3", "通信")]  # T2 carried with its attribute
    data = json.loads(kpi_en("changes", "--db", str(db), "--format", "json").stdout)
    assert data["field_changes"] == [
        {"theme_id": "T1", "field": "分野", "before": "通信", "after": "AI"},
        {"theme_id": "T3", "field": "分野", "before": None, "after": "通信"},
    ]
    assert "分野      通信      AI" in kpi_en("changes", "--db", str(db)).stdout
    corrected = write(
        tmp_path / "themes_2026-03-31.csv", themes_csv([theme("T1") + ",AI,2", theme("T3") + ",通信,"], header)
    )
    assert "1 themes changed (予算額 1)" in kpi_en("load", "--db", str(db), str(corrected)).stderr
    assert kpi_en("undo", "--db", str(db)).returncode == 0
    data = json.loads(kpi_en("changes", "--db", str(db), "--format", "json").stdout)
    assert {"theme_id": "T1", "field": "予算額", "before": "1.5", "after": "1.5"} not in data["field_changes"]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(
            "SELECT a.value FROM theme_attributes a JOIN theme_lists l USING (list_id) "
            "WHERE l.snapshot = DATE '2026-03-31' AND a.theme_id = 'T1' AND a.name = '予算額'"
        ).fetchall() == [("1.5",)]
