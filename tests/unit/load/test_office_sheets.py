"""Sheets as offices send them: a column kpi does not use, a totals row, title rows above the header, and failures
that name the file's own headers; each said in the load's output, in Japanese and in English."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest
from kit import SAMPLE_THEMES

BUDGET_JA = "年度,予算額,執行額\n2019,100,0\n2020,200,150\n"


def sample_rows() -> list[list[str]]:
    with SAMPLE_THEMES.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def xlsx(path: Path, rows: list[list[str]]) -> Path:
    """A workbook as an office types it: whole numbers as numbers, blank cells blank."""
    import xlsxwriter

    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("一覧")
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if text.isdigit():
                    sheet.write_number(r, c, int(text))
                elif text:
                    sheet.write_string(r, c, text)
    return path


def themes_stored(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM themes").fetchall()[0][0])
    finally:
        con.close()


def test_a_column_kpi_does_not_use_is_ignored_and_named(kpi, kpi_en, tmp_path: Path) -> None:
    rows = sample_rows()
    rows = [[*rows[0], "備考"], *([*r, "メモ"] for r in rows[1:])]
    path = tmp_path / "themes_2026-03-31.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    ja = kpi("load", "--db", str(tmp_path / "ja.duckdb"), str(path))
    assert ja.returncode == 0, ja.stderr
    assert f"{path}: 使わない列を読み込んでいません: 備考" in ja.stderr
    en = kpi_en("load", "--db", str(tmp_path / "en.duckdb"), str(path))
    assert f"{path}: columns kpi does not use were not read: 備考" in en.stderr
    assert themes_stored(tmp_path / "ja.duckdb") == themes_stored(tmp_path / "en.duckdb") == len(rows) - 1


@pytest.mark.parametrize("word", ["合計", "計", "小計", "Total", "総計"])
def test_a_totals_row_of_a_budget_is_left_out_and_named(word: str, kpi, kpi_en, tmp_path: Path) -> None:
    path = tmp_path / "予算.csv"
    path.write_text(BUDGET_JA + f"{word},300,150\n", encoding="utf-8")
    ja = kpi("load", "--db", str(tmp_path / "ja.duckdb"), str(path))
    assert ja.returncode == 0, ja.stderr
    assert f"{path}: 合計の行を読み込んでいません（4行目）。" in ja.stderr
    en = kpi_en("load", "--db", str(tmp_path / "en.duckdb"), str(path))
    assert f"{path}: totals rows were not read (row 4)." in en.stderr
    con = duckdb.connect(str(tmp_path / "ja.duckdb"), read_only=True)
    assert con.execute("SELECT fy, budget FROM budget ORDER BY fy").fetchall() == [(2019, 100), (2020, 200)]
    con.close()


def test_a_totals_row_with_no_id_in_a_theme_list_is_left_out(kpi, tmp_path: Path) -> None:
    rows = sample_rows()
    total = [""] * len(rows[0])
    total[5] = "合計"  # the title column of a sheet's last row; no テーマ番号
    path = xlsx(tmp_path / "テーマ一覧_2026-03-31.xlsx", [*rows, total])
    result = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert result.returncode == 0, result.stderr
    assert f"合計の行を読み込んでいません（{len(rows) + 1}行目）" in result.stderr
    assert themes_stored(tmp_path / "kpi.duckdb") == len(rows) - 1


def test_the_header_below_title_rows_is_found(kpi, kpi_en, tmp_path: Path) -> None:
    rows = sample_rows()
    width = len(rows[0])
    titled = [["ポスト5G 開発テーマ一覧"] + [""] * (width - 1), ["2026年3月31日現在"] + [""] * (width - 1), *rows]
    path = xlsx(tmp_path / "themes_2026-03-31.xlsx", titled)
    ja = kpi("load", "--db", str(tmp_path / "ja.duckdb"), str(path))
    assert ja.returncode == 0, ja.stderr
    assert f"{path}: 見出しは3行目として読みました" in ja.stderr
    assert "__UNNAMED__" not in ja.stderr + ja.stderr
    en = kpi_en("load", "--db", str(tmp_path / "en.duckdb"), str(path))
    assert f"{path}: the header was read from row 3" in en.stderr
    assert themes_stored(tmp_path / "ja.duckdb") == len(rows) - 1


def test_a_failure_below_title_rows_names_the_sheets_row(kpi, tmp_path: Path) -> None:
    rows = sample_rows()
    rows[1][1] = "9"  # 研究開発項目 9 on the first theme
    path = xlsx(tmp_path / "themes_2026-03-31.xlsx", [["開発テーマ一覧"], [], *rows])
    result = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert result.returncode == 3
    assert any(line.split()[:3] == [str(path), "4", rows[0][1]] for line in result.stderr.splitlines()), result.stderr


def test_a_failure_names_the_files_own_header_and_the_contracts_name(kpi, kpi_en, tmp_path: Path) -> None:
    path = tmp_path / "予算.csv"
    path.write_text("年度,予算額,執行額\n2019,-5,0\n", encoding="utf-8")
    ja = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert ja.returncode == 3
    assert "予算額 [budget]" in ja.stderr
    en = kpi_en("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert "予算額 [budget]" in en.stderr and "non-negative amount" in en.stderr
    assert not (tmp_path / "kpi.duckdb").exists()


def test_a_column_named_as_the_contract_names_it_is_said_once(kpi_en, tmp_path: Path) -> None:
    path = tmp_path / "budget.csv"
    path.write_text("fy,budget,executed\n2019,-5,0\n", encoding="utf-8")
    result = kpi_en("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert result.returncode == 3
    assert " budget " in result.stderr and "[budget]" not in result.stderr


def test_a_misspelled_header_is_named_beside_the_missing_column(kpi, kpi_en, tmp_path: Path) -> None:
    rows = sample_rows()
    rows[0] = ["実施機関名" if h == "機関名" else h for h in rows[0]]
    path = tmp_path / "themes_2026-03-31.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    ja = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert ja.returncode == 3
    assert "必須の列がありません（organizations または 機関名）。使わなかった見出し: 実施機関名" in ja.stderr
    en = kpi_en("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert "required column missing (organizations or 機関名); headers not used: 実施機関名" in en.stderr
    assert not (tmp_path / "kpi.duckdb").exists()
