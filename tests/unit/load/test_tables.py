"""Reading files: header aliases, encodings, formats, line numbers, folders, empty files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest
from kit import SAMPLE_THEMES, THEMES_HEADER, english, theme, themes_csv, write

from kpi.errors import InputRejected
from kpi.load import files, ingest
from schemas import themes


def stored(db_path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize(("canonical", "aliases"), list(themes.COLUMNS.items()))
def test_every_japanese_header_alias_is_accepted(canonical: str, aliases: list[str], load) -> None:
    for alias in aliases:
        header = THEMES_HEADER.replace(canonical, f" {alias} ", 1)
        db = load({"themes.csv": themes_csv([theme("T1")], header=header)})
        assert stored(db, "SELECT theme_id, end_fy, status FROM themes") == [("T1", 2023, "achieved")], alias
        db.unlink()


def test_headers_are_matched_after_nfkc(load) -> None:
    header = "ＴＨＥＭＥ_ＩＤ,研究開発項目,契約形態,基盤要素,機関名,開発テーマ名,開始年度,終了年度,結果／状況"
    db = load({"themes.csv": themes_csv([theme("T1")], header=header)})
    assert stored(db, "SELECT count(*) FROM themes") == [(1,)]


def test_sample_themes_use_the_reports_own_japanese_headers_and_status_cells(load) -> None:
    db = load({"themes.csv": (SAMPLE_THEMES).read_text(encoding="utf-8")})
    assert stored(db, "SELECT count(*), min(end_fy), max(end_fy) FROM themes") == [(144, 2022, 2029)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_encodings_are_detected_without_being_told(encoding: str, tmp_path: Path, load) -> None:
    text = themes_csv([theme("T①", status="令和5年度終了 目標達成", end_fy="")]).replace("某社", "髙橋㈱")
    folder = tmp_path / "enc"
    folder.mkdir()
    path = write(folder / "themes.csv", text, encoding)
    source = ingest.read_source(path, "themes", None)
    assert source.encoding == encoding if encoding != "utf-8" else source.encoding == "utf-8"
    db = load({"themes.csv": path.read_bytes().decode(encoding).removeprefix("\ufeff")})
    assert stored(db, "SELECT theme_id, organizations FROM themes") == [("T1", "髙橋㈱")]  # NFKC: ① → 1 in IDs


def test_encoding_override(tmp_path: Path) -> None:
    path = write(tmp_path / "themes.csv", themes_csv([theme("T1")]), "cp932")
    assert ingest.read_source(path, "themes", "cp932").encoding == "cp932"
    with pytest.raises(InputRejected) as refused:
        ingest.read_source(
            write(tmp_path / "themes2.csv", themes_csv([theme("T1").replace("某社", "日本")]), "cp932"),
            "themes",
            "utf-8",
        )
    assert "cannot decode as utf-8" in english(refused.value)


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    data = themes_csv([theme("T1")]).encode() + b"T2,1,\xff\xfe\x80,a1,x,y,,2023,\x81\n"
    (tmp_path / "themes.csv").write_bytes(data)
    with pytest.raises(InputRejected) as refused:
        ingest.read_source(tmp_path / "themes.csv", "themes", None)
    assert "line 3: neither UTF-8 nor CP932" in english(refused.value)


def test_xlsx_input(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "themes.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet()
        sheet.write_row(
            0,
            0,
            ["テーマID", "研究開発項目", "契約形態", "基盤要素", "機関名", "開発テーマ名", "終了年度", "結果/状況"],
        )
        sheet.write_row(1, 0, ["X1", 1, "委託", "a1", "某社", "題", 2023, "目標達成"])
        sheet.write_row(2, 0, ["X2", "②", "助成", "b", "某社", "題", "令和6年度", "計画通り"])
    source = ingest.read_source(path, "themes", None)
    records = themes.to_records(source.frame, source.units)
    assert records.select("theme_id", "item", "end_fy", "status").rows() == [
        ("X1", 1, 2023, "achieved"),
        ("X2", 2, 2024, "on_track"),
    ]
    assert source.frame["_line"].to_list() == [2, 3]


def test_parquet_input(tmp_path: Path) -> None:
    path = tmp_path / "budget.parquet"
    pl.DataFrame({"fy": [2024, 2025], "budget": ["1,100", "900"], "executed": [100, None]}).write_parquet(path)
    source = ingest.read_source(path, "budget", None)
    from schemas import budget

    rows = budget.to_records(source.frame, source.units).rows()
    assert [(fy, str(b), e if e is None else str(e)) for fy, b, e in rows] == [
        (2024, "1100.00000000", "100.00000000"),
        (2025, "900.00000000", None),
    ]


def test_line_numbers_follow_quoted_line_breaks_and_blank_lines(tmp_path: Path) -> None:
    text = (
        THEMES_HEADER
        + '\nT1,1,委託,a1,"某社\n別社",題,,2023,目標達成\n\nT2,1,委託,a1,某社,"題\n\n続き",,2023,目標達成\nT3,1,委託,a1,某社,題,,2023,目標達成\n'
    )
    source = ingest.read_source(write(tmp_path / "themes.csv", text), "themes", None)
    assert source.frame["theme_id"].to_list() == ["T1", "T2", "T3"]
    assert source.frame["_line"].to_list() == [2, 5, 8]


def test_values_are_trimmed_and_fullwidth_digits_accepted(tmp_path: Path) -> None:
    text = themes_csv(["  T1 , １ ,委託, Ａ１ ,某社,題,,２０２３, 目標達成 "])
    source = ingest.read_source(write(tmp_path / "themes.csv", text), "themes", None)
    assert themes.to_records(source.frame, {}).select("theme_id", "item", "element", "end_fy", "status").rows() == [
        ("T1", 1, "a1", 2023, "achieved")
    ]


def test_yen_header_means_yen(tmp_path: Path) -> None:
    from schemas import budget

    text = "予算年度,予算額(円),執行額（円）\n2021,110003000000,110003000000\n"
    source = ingest.read_source(write(tmp_path / "budget.csv", text), "budget", None)
    assert [str(v) for v in budget.to_records(source.frame, source.units)["budget"]] == ["1100.03000000"]


def test_folder_loads_what_it_recognises_and_names_the_rest(tmp_path: Path) -> None:
    write(tmp_path / "themes_2025.csv", themes_csv([theme("T1")]))
    write(tmp_path / "notes.txt", "hello")
    write(tmp_path / "summary.csv", "a\n1\n")
    found, skipped = files.find_files([tmp_path], None)
    assert [(p.name, k) for p, k in found] == [("themes_2025.csv", "themes")]
    assert sorted(p.name for p in skipped) == ["notes.txt", "summary.csv"]


def test_kinds_are_ordered_so_followups_follow_themes(tmp_path: Path) -> None:
    for name in ["followups.csv", "budget.csv", "themes.csv", "programme.toml"]:
        write(tmp_path / name, "x")
    found, _ = files.find_files([tmp_path], None)
    assert [k for _, k in found] == ["programme", "themes", "budget", "followups"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        (THEMES_HEADER + "\n", "no rows, only a header"),
        (THEMES_HEADER + "\n,,,,,,,,\n", "no rows, only a header"),
    ],
)
def test_empty_exports_are_refused(content: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(InputRejected) as refused:
        ingest.read_source(write(tmp_path / "themes.csv", content), "themes", None)
    assert message in english(refused.value)
