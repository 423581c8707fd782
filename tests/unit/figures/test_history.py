"""`kpi loads show N`: the rows a load changed — a theme list by the rule of `kpi changes` (added, each column before
→ after, missing or no longer counted), every other kind by its rows' keys — in every format of `kpi loads`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from kit import theme, themes_csv, write


def _load(kpi, db: Path, path: Path) -> None:
    result = kpi("load", "--db", str(db), str(path))
    assert result.returncode == 0, result.stderr


def _show(kpi, db: Path, n: int, *more: str):
    return kpi("loads", "--db", str(db), "show", str(n), *more)


def test_a_same_date_correction_lists_each_theme_and_column_it_changed(kpi, kpi_en, db: Path, tmp_path: Path) -> None:
    first = [theme("T1"), theme("T2"), theme("T3", status="計画通り", end_fy=2026)]
    (tmp_path / "a").mkdir()
    _load(kpi, db, write(tmp_path / "a" / "themes_2026-03-31.csv", themes_csv(first)))
    fixed = [theme("T1").replace("某社", "某社・別社"), theme("T2", status="目標未達"), first[2], theme("T4")]
    (tmp_path / "b").mkdir()
    _load(kpi, db, write(tmp_path / "b" / "themes_2026-03-31.csv", themes_csv(fixed)))
    data = json.loads(_show(kpi, db, 2, "--format", "json").stdout)
    assert data["load"]["load"] == 2 and data["load"]["kind"] == "themes"
    assert [(c["key"], c["change"], c["column"], c["before"], c["after"]) for c in data["changes"]] == [
        ("T4", "added", "title", None, "テーマT4"),
        ("T1", "changed", "organizations", "某社", "某社・別社"),
        ("T2", "changed", "status", "achieved", "not_achieved"),
    ]
    assert (data["themes"]["from_load"], data["themes"]["to_load"]) == (1, 2)  # the rule of kpi changes
    text = _show(kpi, db, 2).stdout
    assert text.splitlines()[1] == "2026-03-31 の一覧の訂正: 第1回の読込の版 → 第2回の読込の版"
    assert any(
        line.split() == ["テーマ", "T2", "変更", "結果/状況", "目標達成", "目標未達"] for line in text.splitlines()
    )
    assert "■ アウトカム指標の変化" in text
    rows = list(csv.reader(io.StringIO(_show(kpi, db, 2, "--format", "csv").stdout)))
    assert rows[0] == ["種類", "キー", "変化", "列", "変更前", "変更後"]
    assert rows[2] == ["テーマ", "T1", "変更", "機関名", "某社", "某社・別社"]
    en = _show(kpi_en, db, 2).stdout
    assert en.startswith("Load #2: themes_2026-03-31.csv (themes 2026-03-31)")
    first_load = _show(kpi, db, 1).stdout  # the first list: every theme added, nothing to compare the KPIs with
    assert "最初の一覧" in first_load and first_load.count("追加") == 3 and "アウトカム指標" not in first_load


def test_a_new_dates_list_is_shown_against_the_list_before_it(kpi, db: Path, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    _load(kpi, db, write(tmp_path / "a" / "themes_2026-03-31.csv", themes_csv([theme("T1"), theme("T2")])))
    _load(kpi, db, write(tmp_path / "a" / "themes_2026-04-30.csv", themes_csv([theme("T1", status="目標未達")])))
    data = json.loads(_show(kpi, db, 2, "--format", "json").stdout)
    assert [(c["key"], c["change"]) for c in data["changes"]] == [("T1", "changed"), ("T2", "missing")]
    assert (data["themes"]["from"], data["themes"]["to"], data["themes"]["from_load"]) == (
        "2026-03-31",
        "2026-04-30",
        None,
    )


def test_other_kinds_show_their_rows_by_key_and_an_undo_what_it_took_back(kpi, db: Path, tmp_path: Path) -> None:
    budget = tmp_path / "budget.csv"
    _load(kpi, db, write(budget, "fy,budget,executed\n2021,1100,0\n2022,900,151.5\n"))
    _load(kpi, db, write(budget, "fy,budget,executed\n2021,1100,0\n2022,950,151.5\n2023,800,\n"))
    text = _show(kpi, db, 2).stdout
    assert any(line.split() == ["予算", "2022", "変更", "予算額", "900", "950"] for line in text.splitlines())
    data = json.loads(_show(kpi, db, 2, "--format", "json").stdout)
    assert [(c["key"], c["change"], c["column"], c["before"], c["after"]) for c in data["changes"]] == [
        ("2022", "changed", "budget", 900, 950),
        ("2023", "added", "budget", None, 800),
    ]
    first = json.loads(_show(kpi, db, 1, "--format", "json").stdout)["changes"]
    assert ("2022", "added", "executed", None, 151.5) in [
        (c["key"], c["change"], c["column"], c["before"], c["after"]) for c in first
    ]
    shown = _show(kpi, db, 1).stdout.splitlines()  # an amount as written, not 151.5000000000
    assert ["予算", "2022", "追加", "執行額", "—", "151.5"] in [line.split() for line in shown]
    assert kpi("undo", "--db", str(db)).returncode == 0
    undone = json.loads(_show(kpi, db, 3, "--format", "json").stdout)
    assert [(c["key"], c["change"], c["column"], c["before"], c["after"]) for c in undone["changes"]] == [
        ("2022", "changed", "budget", 950, 900),
        ("2023", "removed", "budget", 800, None),
    ]
    assert undone["load"]["undoes"] == 2 and undone["themes"] is None


def test_a_load_that_is_not_there_is_no_data_and_no_number_a_usage_error(kpi, kpi_en, db: Path, tmp_path: Path) -> None:
    _load(kpi, db, write(tmp_path / "themes_2026-03-31.csv", themes_csv([theme("T1")])))
    missing = _show(kpi, db, 7)
    assert missing.returncode == 3 and "第7回の読込はありません（最新は第1回" in missing.stderr
    assert "there is no load #7 (the latest is #1" in _show(kpi_en, db, 7).stderr
    bare = kpi("loads", "--db", str(db), "show")
    assert bare.returncode == 2 and "読込の番号が必要です" in bare.stderr
    both = _show(kpi, db, 1, "--known-at", "1")
    assert both.returncode == 2 and "--known-at は一緒に使えません" in both.stderr
    assert kpi("loads", "--db", str(db)).stdout.count("#1") == 1  # the list itself as before


def test_an_undone_dates_list_is_shown_against_the_list_in_force_for_its_date_since(
    kpi, kpi_en, db: Path, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    _load(kpi, db, write(tmp_path / "a" / "themes_2026-03-31.csv", themes_csv([theme("T1"), theme("T2")])))
    april = themes_csv([theme("T1", status="目標未達"), theme("T3")])
    _load(kpi, db, write(tmp_path / "a" / "themes_2026-04-30.csv", april))
    assert kpi("undo", "--db", str(db)).returncode == 0
    data = json.loads(_show(kpi, db, 3, "--format", "json").stdout)
    assert [(c["key"], c["change"], c["column"], c["before"], c["after"]) for c in data["changes"]] == [
        ("T1", "changed", "status", "not_achieved", "achieved"),  # T1 is counted as the March list has it again
        ("T3", "removed", "title", "テーマT3", None),  # no list names T3 any more
    ]
    assert (data["themes"]["from"], data["themes"]["to"]) == ("2026-04-30", "2026-03-31")
    short = data["themes"]["kpis"]["short_term"]
    assert (short["before"]["denominator"], short["after"]["denominator"]) == (3, 2)
    assert kpi("undo", "--db", str(db), "1").returncode == 0  # the March list too: no list is left
    assert _show(kpi_en, db, 4).stdout.splitlines()[1] == "The list of 2026-03-31 withdrawn (no list is left)"


def test_the_text_shows_the_first_thousand_rows_and_says_how_many_more(kpi, db: Path, tmp_path: Path) -> None:
    from kpi.present.history import ROWS_SHOWN

    rows = [theme(f"T{i:04d}") for i in range(ROWS_SHOWN + 2)]
    _load(kpi, db, write(tmp_path / "themes_2026-03-31.csv", themes_csv(rows)))
    text = _show(kpi, db, 1).stdout.splitlines()
    assert text[-1] == "… ほか2行（すべては --format csv または --format json で）"
    assert sum(" 追加 " in line for line in text) == ROWS_SHOWN
    assert len(_show(kpi, db, 1, "--format", "csv").stdout.splitlines()) == ROWS_SHOWN + 3  # the header and all
