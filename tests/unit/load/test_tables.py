"""Reading files: header aliases, encodings, formats, line numbers, folders, empty files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest
from kit import SAMPLE_THEMES, TESTS, THEMES_HEADER, english, in_english, theme, themes_csv, workbook, write
from matrix import some_in_default

from kpi.errors import InputRejected
from kpi.load import files, ingest
from schemas import themes


def stored(db_path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize(("canonical", "aliases"), some_in_default(list(themes.COLUMNS.items()), 4))
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
    assert sorted(s.path.name for s in skipped) == ["notes.txt", "summary.csv"]
    assert {s.reason for s in skipped} == {files.NOT_A_KIND}


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


# ---------------------------------------------------------------------------- every way Excel saves a sheet

FIXTURES = TESTS / "fixtures"  # themes*.xls and *.ods: tests/fixtures/make_spreadsheets.py


def sample_rows() -> list[list[str]]:
    import csv

    with SAMPLE_THEMES.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def delimited_text(rows: list[list[str]], separator: str, line_end: str) -> str:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, delimiter=separator, lineterminator=line_end).writerows(rows)
    return buf.getvalue()


def xlsx_bytes(rows: list[list[str]], path: Path) -> bytes:
    """A workbook as an office types it (kit.workbook), as bytes."""
    return workbook(path, {"テーマ一覧": rows}).read_bytes()


def saved_as(form: str, rows: list[list[str]], tmp_path: Path, stem: str) -> Path:
    """The rows as Excel saves them in one of its forms, under a name that says the kind (themes…)."""
    made: dict[str, tuple[str, bytes]] = {
        "csv (UTF-8, LF)": (".csv", delimited_text(rows, ",", "\n").encode("utf-8")),
        "csv (CP932, CRLF: CSV (コンマ区切り))": (".csv", delimited_text(rows, ",", "\r\n").encode("cp932")),
        "csv (UTF-8 with BOM, CR only: CSV (Macintosh))": (
            ".csv",
            b"\xef\xbb\xbf" + delimited_text(rows, ",", "\r").encode("utf-8"),
        ),
        "tsv (UTF-8)": (".tsv", delimited_text(rows, "\t", "\n").encode("utf-8")),
        "txt (UTF-16 with BOM, tabs, CRLF: Unicode テキスト)": (
            ".txt",
            delimited_text(rows, "\t", "\r\n").encode("utf-16"),
        ),
        "txt (CP932, tabs: テキスト (タブ区切り))": (".txt", delimited_text(rows, "\t", "\r\n").encode("cp932")),
    }
    if form in made:
        suffix, data = made[form]
        path = tmp_path / f"{stem}{suffix}"
        path.write_bytes(data)
        return path
    if form == "xlsx":
        path = tmp_path / f"{stem}.xlsx"
        xlsx_bytes(rows, path)
        return path
    path = tmp_path / f"{stem}.{form}"  # xls, ods: committed fixtures
    path.write_bytes((FIXTURES / f"{stem}.{form}").read_bytes())
    return path


FORMS = [
    "csv (UTF-8, LF)",
    "csv (CP932, CRLF: CSV (コンマ区切り))",
    "csv (UTF-8 with BOM, CR only: CSV (Macintosh))",
    "tsv (UTF-8)",
    "txt (UTF-16 with BOM, tabs, CRLF: Unicode テキスト)",
    "txt (CP932, tabs: テキスト (タブ区切り))",
    "xlsx",
    "xls",
    "ods",
]


def stored_themes(paths: list[Path], db_path: Path) -> list[tuple]:
    """The themes as stored (every column a list keeps, the list's date and load left out)."""
    from kpi.db.connect import open_for_write
    from kpi.db.schema import THEME_COLUMNS

    batch = ingest.read_files(paths)
    with open_for_write(db_path, wait=5) as con:
        ingest.load_files(con, batch)
    return stored(db_path, f"SELECT {', '.join(THEME_COLUMNS)} FROM theme_rows ORDER BY theme_id")


@pytest.fixture(scope="module")
def sample_themes_stored(tmp_path_factory: pytest.TempPathFactory) -> list[tuple]:
    folder = tmp_path_factory.mktemp("reference")
    rows = stored_themes([SAMPLE_THEMES], folder / "kpi.duckdb")
    assert len(rows) == 144
    return rows


@pytest.mark.parametrize("form", some_in_default(FORMS, 3))
def test_every_way_excel_saves_a_sheet_stores_the_same_themes(
    form: str, tmp_path: Path, sample_themes_stored: list[tuple]
) -> None:
    path = saved_as(form, sample_rows(), tmp_path, "themes")
    assert files.kind_of(path, None) == "themes"
    assert stored_themes([path], tmp_path / "kpi.duckdb") == sample_themes_stored


BAD_ROWS = [
    ["theme_id", "item", "funding", "element", "organizations", "title", "start_fy", "end_fy", "status"],
    ["B1", "1", "委託", "a1", "某社", "題", "", "2023", "目標達成"],
    [],
    ["B2", "9", "委託", "a1", "某社", "題", "", "2023", "目標達成"],
]


@pytest.mark.parametrize("form", FORMS)
def test_a_failure_names_the_row_as_the_spreadsheet_numbers_it(form: str, tmp_path: Path) -> None:
    """Header row 1, a good row 2, a blank row 3, item 9 on row 4: every form says row 4."""
    path = saved_as(form, BAD_ROWS, tmp_path, "themes_bad")
    with pytest.raises(InputRejected) as refused:
        stored_themes([path], tmp_path / "kpi.duckdb")
    assert [(f.line, f.column, f.value) for f in refused.value.failures] == [(4, "item", "9")]


def test_a_sheet_whose_table_starts_lower_down_keeps_the_sheets_row_numbers(tmp_path: Path) -> None:
    rows = [[], [], *BAD_ROWS]  # two blank rows above the header: the header is row 3, item 9 is on row 6
    with pytest.raises(InputRejected) as refused:
        stored_themes([saved_as("xlsx", rows, tmp_path, "themes")], tmp_path / "kpi.duckdb")
    assert [(f.line, f.column) for f in refused.value.failures] == [(6, "item")]


def test_the_first_sheet_is_read_and_empty_unnamed_columns_are_ignored(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "themes.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        first, notes = book.add_worksheet("一覧"), book.add_worksheet("メモ")
        first.write_row(0, 1, BAD_ROWS[0])  # the table starts in column B
        first.write_row(1, 1, BAD_ROWS[1])
        first.write_string(1, 12, "")  # an empty string far to the right (a cleared cell)
        notes.write_string(0, 0, "ここは読まない")
    assert stored_themes([path], tmp_path / "kpi.duckdb")[0][0] == "B1"


def test_a_sheet_naming_a_column_twice_is_refused(tmp_path: Path) -> None:
    rows = [[*BAD_ROWS[0], "Theme_ID "], [*BAD_ROWS[1], "B1"]]
    with pytest.raises(InputRejected) as refused:
        ingest.read_source(saved_as("xlsx", rows, tmp_path, "themes"), "themes", None)
    assert "duplicate column 'Theme_ID '" in english(refused.value)


@pytest.mark.parametrize(
    ("separator", "words"),
    [(";", "separated by semicolons (;), not commas"), ("\t", "separated by tabs, not commas")],
)
@pytest.mark.parametrize("encoding", ["utf-8", "cp932", "utf-16"])
def test_a_csv_split_on_another_separator_is_refused_naming_it(
    separator: str, words: str, encoding: str, tmp_path: Path
) -> None:
    path = tmp_path / "themes.csv"
    path.write_bytes(delimited_text(BAD_ROWS[:2], separator, "\r\n").encode(encoding))
    with pytest.raises(InputRejected) as refused:
        ingest.read_source(path, "themes", None)
    failure = refused.value.failures[0]
    assert failure.line == 1
    assert words in in_english([failure])[0].rule


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (delimited_text(BAD_ROWS[:2], ",", "\n"), "a .txt file is read as tab-separated text, but this one is comma"),
        ("テーマ一覧のメモ\n来週までに確認\n", "a .txt file is read as tab-separated text, but there is no tab"),
    ],
)
def test_a_txt_that_is_not_tab_separated_says_what_it_is(text: str, words: str, tmp_path: Path) -> None:
    with pytest.raises(InputRejected) as refused:
        ingest.read_source(write(tmp_path / "themes.txt", text), "themes", None)
    assert words in in_english(refused.value.failures)[0].rule


def test_cr_only_rows_with_line_breaks_inside_cells(tmp_path: Path) -> None:
    """Excel for Mac ends rows with CR and writes a line break inside a cell as LF, quoted."""
    text = THEMES_HEADER + '\rT1,1,委託,a1,"某社\n別社",題,,2023,目標達成\rT2,9,委託,a1,某社,題,,2023,目標達成\r'
    path = write(tmp_path / "themes.csv", text)
    with pytest.raises(InputRejected) as refused:
        stored_themes([path], tmp_path / "kpi.duckdb")
    assert [(f.line, f.column) for f in refused.value.failures] == [(4, "item")]  # as an editor counts lines
