"""Sheets as offices send them: a column kpi does not use, a totals row, title rows above the header, and failures
that name the file's own headers; each said in the load's output, in Japanese and in English."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest
from kit import SAMPLE_THEMES, workbook
from matrix import some_in_default

BUDGET_JA = "年度,予算額,執行額\n2019,100,0\n2020,200,150\n"


def sample_rows() -> list[list[str]]:
    with SAMPLE_THEMES.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def xlsx(path: Path, rows: list[list[str]]) -> Path:
    """A workbook of one sheet as an office types it."""
    return workbook(path, {"一覧": rows})


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


@pytest.mark.parametrize("word", some_in_default(["合計", "計", "小計", "Total", "総計"], 2))
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


# ---------------------------------------------------------------------------- the header below titles, in any file


def titled(rows: list[list[str]], padded: bool) -> list[list[str]]:
    """A sheet as an office keeps it: a title row and a blank row above the header; `padded` as Excel saves it
    to CSV (every row as wide as the sheet: `題,,,,`), else as typed by hand (`題`, an empty line)."""
    width = len(rows[0])
    pad = [""] * (width - 1) if padded else []
    return [["テーマ一覧（令和8年3月31日現在）", *pad], [""] * (width if padded else 0), *rows]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
@pytest.mark.parametrize("padded", some_in_default([True, False], 1))
def test_a_csv_header_below_a_title_and_a_blank_row_is_found(
    encoding: str, padded: bool, kpi, kpi_en, tmp_path: Path
) -> None:
    """The same rule as a workbook's: the CSV loads as the same sheet saved as .xlsx does, and says where its
    header was found."""
    rows = sample_rows()
    path = tmp_path / "テーマ一覧_2026-03-31.csv"
    path.write_bytes(csv_text(titled(rows, padded)).replace("\n", "\r\n").encode(encoding))
    (tmp_path / "book").mkdir()
    workbook = xlsx(tmp_path / "book" / "テーマ一覧_2026-03-31.xlsx", titled(rows, padded))
    ja = kpi("load", "--db", str(tmp_path / "ja.duckdb"), str(path))
    assert ja.returncode == 0, ja.stderr
    assert f"{path}: 見出しは3行目として読みました（その上の行は表題などとして読んでいません）。" in ja.stderr
    en = kpi_en("load", "--db", str(tmp_path / "en.duckdb"), str(path))
    assert en.returncode == 0, en.stderr
    assert (
        f"{path}: the header was read from row 3 (the rows above it, titles and the like, were not read)." in en.stderr
    )
    assert kpi("load", "--db", str(tmp_path / "book.duckdb"), str(workbook)).returncode == 0
    assert themes_stored(tmp_path / "ja.duckdb") == themes_stored(tmp_path / "book.duckdb") == len(rows) - 1


def test_a_failure_below_a_csv_title_names_the_line_an_editor_shows(kpi, kpi_en, tmp_path: Path) -> None:
    rows = sample_rows()
    rows[2][1] = "9"  # 研究開発項目 9 on the second theme: line 5 of the file (title, blank, header, first, second)
    path = tmp_path / "テーマ一覧_2026-03-31.csv"
    path.write_bytes(csv_text(titled(rows, True)).encode("cp932"))
    result = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert result.returncode == 3
    assert any(line.split()[:3] == [str(path), "5", rows[0][1]] for line in result.stderr.splitlines()), result.stderr
    doubled = [*titled([[*rows[0][:-1], rows[0][1]], *rows[1:]], False)]  # the header names 研究開発項目 twice
    path.write_text(csv_text(doubled), encoding="utf-8-sig")
    en = kpi_en("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert en.returncode == 3
    assert any(line.split()[:3] == [str(path), "3", rows[0][1]] for line in en.stderr.splitlines()), en.stderr
    assert "duplicate column" in en.stderr
    assert not (tmp_path / "kpi.duckdb").exists()


def test_a_tab_separated_text_with_a_title_row_is_read(kpi, tmp_path: Path) -> None:
    """Excel's 「Unicode テキスト」 (UTF-16 with BOM, tab-separated) of a sheet with a title row."""
    rows = titled(sample_rows(), True)
    path = tmp_path / "テーマ一覧_2026-03-31.txt"
    path.write_bytes("\r\n".join("\t".join(row) for row in rows).encode("utf-16"))
    result = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert result.returncode == 0, result.stderr
    assert "見出しは3行目として読みました" in result.stderr
    assert themes_stored(tmp_path / "kpi.duckdb") == len(rows) - 3


def test_a_semicolon_separated_csv_below_a_title_is_still_named_so(kpi_en, tmp_path: Path) -> None:
    path = tmp_path / "themes_2026-03-31.csv"
    path.write_text("テーマ一覧\n" + "".join(";".join(row) + "\n" for row in sample_rows()[:4]), encoding="utf-8")
    result = kpi_en("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert result.returncode == 3
    assert "separated by semicolons" in result.stderr


# ---------------------------------------------------------------------------- which sheet of a workbook


def book(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    """A workbook of several sheets."""
    return workbook(path, sheets)


GUIDE = [["記入要領"], ["テーマID は T1-001 の形で書いてください"], ["結果/状況 は一覧から選んでください"]]


def test_the_sheet_holding_the_contracts_headers_is_found(kpi, kpi_en, tmp_path: Path) -> None:
    """A workbook whose first sheet is 記入要領: the list is read from the one sheet that holds its headers, and
    the load's output names it among the sheets seen."""
    rows = sample_rows()
    path = book(tmp_path / "テーマ一覧_2026-03-31.xlsx", {"記入要領": GUIDE, "テーマ一覧": titled(rows, False)})
    ja = kpi("load", "--db", str(tmp_path / "ja.duckdb"), str(path))
    assert ja.returncode == 0, ja.stderr
    assert f"{path}: シート テーマ一覧 を読みました（このブックのシート: 記入要領, テーマ一覧）。" in ja.stderr
    en = kpi_en("load", "--db", str(tmp_path / "en.duckdb"), str(path))
    assert f"{path}: sheet テーマ一覧 was read (the workbook's sheets: 記入要領, テーマ一覧)." in en.stderr
    assert themes_stored(tmp_path / "ja.duckdb") == themes_stored(tmp_path / "en.duckdb") == len(rows) - 1


def test_a_workbook_no_sheet_of_which_holds_the_headers_names_the_sheet_read_and_the_sheets(
    kpi, kpi_en, tmp_path: Path
) -> None:
    rows = sample_rows()
    rows[0] = ["実施機関名" if h == "機関名" else h for h in rows[0]]
    path = book(tmp_path / "テーマ一覧_2026-03-31.xlsx", {"記入要領": GUIDE, "一覧": rows})
    ja = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert ja.returncode == 3
    assert "使わなかった見出し: 実施機関名" in ja.stderr
    assert (
        "読んだシート: 一覧（このブックのシート: 記入要領, 一覧）。別のシートを読むには --sheet で指定してください"
        in ja.stderr
    )
    assert "問題が1件見つかりました" in ja.stderr  # the sheet read is said, not counted as a problem
    en = kpi_en("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert "sheet read: 一覧 (the workbook's sheets: 記入要領, 一覧); --sheet chooses another" in en.stderr
    assert not (tmp_path / "kpi.duckdb").exists()


def test_a_failing_row_of_a_found_sheet_names_the_sheet_and_its_row(kpi_en, tmp_path: Path) -> None:
    rows = sample_rows()
    rows[1][1] = "9"  # 研究開発項目 9 on the first theme: row 4 of the sheet, below a title and a blank row
    path = book(tmp_path / "テーマ一覧_2026-03-31.xlsx", {"記入要領": GUIDE, "一覧": titled(rows, False)})
    result = kpi_en("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert result.returncode == 3
    assert any(line.split()[:3] == [str(path), "4", rows[0][1]] for line in result.stderr.splitlines()), result.stderr
    assert "sheet read: 一覧 (the workbook's sheets: 記入要領, 一覧)" in result.stderr
    assert "1 problem(s) found" in result.stderr


def test_two_sheets_holding_the_headers_are_refused_and_sheet_chooses(kpi, kpi_en, tmp_path: Path) -> None:
    rows = sample_rows()
    path = book(tmp_path / "テーマ一覧_2026-03-31.xlsx", {"記入要領": GUIDE, "3月": rows, "2月": rows[:11]})
    ja = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert ja.returncode == 3
    assert (
        "テーマ の見出しがそろったシートが複数あります: 3月, 2月（このブックのシート: 記入要領, 3月, 2月）" in ja.stderr
    )
    en = kpi_en("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert "more than one sheet has the themes headers: 3月, 2月" in en.stderr and "--sheet" in en.stderr
    assert not (tmp_path / "kpi.duckdb").exists()
    chosen = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), "--sheet", "2月", str(path))
    assert chosen.returncode == 0, chosen.stderr
    assert themes_stored(tmp_path / "kpi.duckdb") == 10
    assert "シート 2月 を読みました（このブックのシート: 記入要領, 3月, 2月）" in chosen.stderr


def test_a_sheet_the_workbook_does_not_have_is_refused_naming_its_sheets(kpi, kpi_en, tmp_path: Path) -> None:
    path = book(tmp_path / "テーマ一覧_2026-03-31.xlsx", {"記入要領": GUIDE, "一覧": sample_rows()})
    ja = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), "--sheet", "テーマ", str(path))
    assert ja.returncode == 3
    assert f"{path}: --sheet テーマ というシートはありません（このブックのシート: 記入要領, 一覧）" in ja.stderr
    en = kpi_en("load", "--db", str(tmp_path / "kpi.duckdb"), "--sheet", "テーマ", str(path))
    assert "no sheet named テーマ (--sheet); the workbook's sheets: 記入要領, 一覧" in en.stderr
    csv_only = tmp_path / "themes_2026-03-31.csv"
    csv_only.write_text(csv_text(sample_rows()), encoding="utf-8")
    usage = kpi_en("load", "--db", str(tmp_path / "kpi.duckdb"), "--sheet", "一覧", str(csv_only))
    assert usage.returncode == 2
    assert "--sheet 一覧: none of the files to load is a workbook" in usage.stderr
    assert not (tmp_path / "kpi.duckdb").exists()


def test_a_single_sheet_workbook_is_read_as_before_without_naming_its_sheet(kpi, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "テーマ一覧_2026-03-31.xlsx", sample_rows())
    result = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert result.returncode == 0, result.stderr
    assert "シート" not in result.stderr


def ods(path: Path, tables: dict[str, list[list[str]]]) -> Path:
    """An OpenDocument spreadsheet of several tables (a zip of XML, as tests/fixtures/make_spreadsheets.py)."""
    import zipfile
    from xml.sax.saxutils import escape, quoteattr

    def cell(text: str) -> str:
        if not text:
            return "<table:table-cell/>"
        return f'<table:table-cell office:value-type="string"><text:p>{escape(text)}</text:p></table:table-cell>'

    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    body = "".join(
        f"<table:table table:name={quoteattr(name)}>"
        + "".join(f"<table:table-row>{''.join(cell(t) for t in row) or cell('')}</table:table-row>" for row in rows)
        + "</table:table>"
        for name, rows in tables.items()
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ns} office:version="1.2">'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>\n"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>\n'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return path


def test_the_sheet_of_an_ods_is_found_and_its_own_cells_are_checked(kpi, tmp_path: Path) -> None:
    """The size and error-cell checks read the sheet that is read, not the first (kpi.load.sheets)."""
    from kpi.load.sheets import check_workbook

    rows = sample_rows()
    path = ods(tmp_path / "テーマ一覧_2026-03-31.ods", {"記入要領": GUIDE, "一覧": rows})
    result = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert result.returncode == 0, result.stderr
    assert "シート 一覧 を読みました" in result.stderr
    assert themes_stored(tmp_path / "kpi.duckdb") == len(rows) - 1
    data = path.read_bytes()
    assert check_workbook(path, data, 0) == check_workbook(path, data, 1) == []
    workbook = book(tmp_path / "b.xlsx", {"記入要領": GUIDE, "一覧": rows})
    import zipfile

    from kpi.load.sheets import ods_extent, xlsx_extent

    with zipfile.ZipFile(path) as z:
        assert (ods_extent(z, 0).rows, ods_extent(z, 1).rows) == (len(GUIDE), len(rows))
    with zipfile.ZipFile(workbook) as z:
        assert (xlsx_extent(z, 0).rows, xlsx_extent(z, 1).rows) == (len(GUIDE), len(rows))


# ---------------------------------------------------------------------------- a workbook open in Excel


@pytest.mark.parametrize(
    "lock",
    ["~$テーマ一覧_2026-03-31.xlsx", "~$マ一覧_2026-03-31.xlsx", ".~lock.テーマ一覧_2026-03-31.xlsx#"],
    ids=["excel", "excel-long-name", "libreoffice"],
)
def test_an_input_open_in_excel_is_refused_naming_it(lock: str, kpi, kpi_en, tmp_path: Path) -> None:
    """Its last saved version may not be what the screen shows: exit 75 (try again once it is closed), the
    workbook and its lock file named, nothing loaded; in a folder and named on the command line alike."""
    folder = tmp_path / "月次"
    folder.mkdir()
    path = xlsx(folder / "テーマ一覧_2026-03-31.xlsx", sample_rows())
    (folder / lock).write_bytes(b"\x08Tanaka  ")  # what Excel writes: the user's name
    for target in (folder, path):
        ja = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), str(target))
        assert ja.returncode == 75, ja.stderr
        assert f"{path} は Excel（または LibreOffice）で開かれています（横に {lock} があります）" in ja.stderr
        assert "保存して閉じてから、もう一度読み込んでください。何も読み込んでいません" in ja.stderr
    en = kpi_en("load", "--db", str(tmp_path / "kpi.duckdb"), str(folder))
    assert en.returncode == 75
    assert f"{path} is open in Excel (or LibreOffice): {lock} lies beside it" in en.stderr
    assert not (tmp_path / "kpi.duckdb").exists()
    (folder / lock).unlink()
    assert kpi("load", "--db", str(tmp_path / "kpi.duckdb"), str(folder)).returncode == 0


def test_a_lock_file_without_its_workbook_is_skipped_as_one(kpi, kpi_en, tmp_path: Path) -> None:
    folder = tmp_path / "月次"
    folder.mkdir()
    (folder / "themes_2026-03-31.csv").write_text(csv_text(sample_rows()), encoding="utf-8-sig")
    (folder / "~$予算.xlsx").write_bytes(b"\x08Tanaka  ")
    ja = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), str(folder))
    assert ja.returncode == 0, ja.stderr
    assert (
        f"スキップ（Excel や LibreOffice がファイルを開いている間のロックファイル）: {folder / '~$予算.xlsx'}"
        in ja.stderr
    )
    en = kpi_en("load", "--db", str(tmp_path / "en.duckdb"), str(folder))
    assert "skipped (lock files Excel or LibreOffice keeps while a file is open)" in en.stderr


def test_the_names_of_a_lock_file(tmp_path: Path) -> None:
    """Excel's `~$` + the name, or + the name less its first one or two characters (a stem of 7, of 8 or more),
    and LibreOffice's `.~lock.NAME#`; a short name's lock never stands for another file."""
    from kpi.db.gate import office_lock

    for name, lock in [
        ("a.csv", "~$a.csv"),
        ("a.csv", ".~lock.a.csv#"),
        ("report7.xlsx", "~$report7.xlsx"),
        ("report7.xlsx", "~$eport7.xlsx"),
        ("OfficeReport.docx", "~$ficeReport.docx"),
        ("OfficeReport.docx", "~$fficeReport.docx"),
    ]:
        (tmp_path / lock).write_bytes(b"")
        assert office_lock(tmp_path / name) == tmp_path / lock, (name, lock)
        (tmp_path / lock).unlink()
    (tmp_path / "~$port7.xlsx").write_bytes(b"")
    assert office_lock(tmp_path / "report7.xlsx") is None  # a stem of 7 gives up one character only
    assert office_lock(tmp_path / "a.csv") is None


def test_every_sheet_looked_at_is_checked_before_it_is_read_and_only_those(kpi_en, tmp_path: Path) -> None:
    """A far cell (XFD1048576) on a second sheet would make calamine ask for 512 GiB: the search for the sheet
    refuses it by its limit, naming the sheet; with --sheet naming the list, the far sheet is never looked at."""
    import xlsxwriter

    rows = sample_rows()
    path = tmp_path / "テーマ一覧_2026-03-31.xlsx"
    with xlsxwriter.Workbook(str(path)) as workbook:
        listing = workbook.add_worksheet("一覧")
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                listing.write_string(r, c, text)
        memo = workbook.add_worksheet("メモ")
        memo.write_string(0, 0, "メモ")
        memo.write_string(1048575, 16383, "x")
    refused = kpi_en("load", "--db", str(tmp_path / "kpi.duckdb"), str(path))
    assert refused.returncode == 3
    assert "the sheet's used range is too large (cells with values reach XFD1048576" in refused.stderr
    assert "sheet read: メモ (the workbook's sheets: 一覧, メモ)" in refused.stderr
    chosen = kpi_en("load", "--db", str(tmp_path / "kpi.duckdb"), "--sheet", "一覧", str(path))
    assert chosen.returncode == 0, chosen.stderr
    assert themes_stored(tmp_path / "kpi.duckdb") == len(rows) - 1


def _survey_workbook(kpi, store: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    """kpi's own survey workbook for FY2026 (one sheet per organisation) with 段階 filled on two of its sheets."""
    import openpyxl

    made = tmp_path / "out" / "追跡調査_2026.xlsx"
    result = kpi("followups", "due", "--db", str(store), "--as-of", "2026", "--out", str(made))
    assert result.returncode == 0, result.stderr
    workbook = openpyxl.load_workbook(made)
    filled = ["日本電気株式会社", "楽天モバイル株式会社"]
    workbook[filled[0]]["D2"] = "製品化"  # T1-001
    workbook[filled[1]]["D3"] = "研究"  # T1-011
    returned = tmp_path / "back" / "追跡調査_2026.xlsx"
    returned.parent.mkdir()
    workbook.save(returned)
    return returned, filled


def _surveys(store: Path) -> list[tuple[str, int, str]]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        rows = con.execute("SELECT theme_id, survey_fy, stage FROM followups ORDER BY theme_id").fetchall()
        return [(str(t), int(fy), str(stage)) for t, fy, stage in rows]
    finally:
        con.close()


def test_kpis_survey_workbook_loads_back_whole_its_sheets_taken_together(kpi, sample_store: Path, tmp_path) -> None:
    returned, filled = _survey_workbook(kpi, sample_store, tmp_path)
    before = _surveys(sample_store)
    loaded = kpi("load", "--db", str(sample_store), str(returned))
    assert loaded.returncode == 0, loaded.stderr
    assert sorted(set(_surveys(sample_store)) - set(before)) == [("T1-001", 2026, "製品化"), ("T1-011", 2026, "研究")]
    assert "見出しのそろった62枚のシートの行を合わせて読みました" in loaded.stderr
    assert all(name in loaded.stderr for name in filled)
    again = kpi("load", "--db", str(sample_store), str(returned))
    assert again.returncode == 0, again.stderr
    assert "変更なし" in again.stderr
    assert sorted(set(_surveys(sample_store)) - set(before)) == [("T1-001", 2026, "製品化"), ("T1-011", 2026, "研究")]


def test_a_failure_on_one_of_the_sheets_taken_together_names_that_sheet_and_its_row(
    kpi, sample_store: Path, tmp_path: Path
) -> None:
    import openpyxl

    returned, filled = _survey_workbook(kpi, sample_store, tmp_path)
    workbook = openpyxl.load_workbook(returned)
    workbook[filled[1]]["D3"] = "研究継続"  # no stage
    workbook.save(returned)
    before = _surveys(sample_store)
    refused = kpi("load", "--db", str(sample_store), str(returned))
    assert refused.returncode == 3
    lines = [line.split()[:3] for line in refused.stderr.splitlines()]
    assert [f"{returned}", f"[{filled[1]}]", "3"] in lines, refused.stderr
    assert "問題が1件見つかりました" in refused.stderr
    assert _surveys(sample_store) == before


def test_a_survey_given_on_two_sheets_is_refused_as_any_duplicate(kpi, sample_store: Path, tmp_path: Path) -> None:
    import openpyxl

    returned, filled = _survey_workbook(kpi, sample_store, tmp_path)
    workbook = openpyxl.load_workbook(returned)
    for column, value in zip("ABCD", ("T1-001", 2026, filled[0], "開発"), strict=True):
        workbook[filled[1]][f"{column}4"] = value  # T1-001 again, on another sheet
    workbook.save(returned)
    before = _surveys(sample_store)
    refused = kpi("load", "--db", str(sample_store), str(returned))
    assert refused.returncode == 3
    assert f"[{filled[0]}]" in refused.stderr and f"[{filled[1]}]" in refused.stderr, refused.stderr
    assert _surveys(sample_store) == before


def test_of_the_sheets_taken_together_one_with_no_rows_yet_is_passed_over(kpi, sample_store: Path, tmp_path) -> None:
    import openpyxl

    returned, _ = _survey_workbook(kpi, sample_store, tmp_path)
    workbook = openpyxl.load_workbook(returned)
    workbook.create_sheet("空").append(["テーマID", "調査年度", "段階"])  # the headers, no rows
    workbook.save(returned)
    loaded = kpi("load", "--db", str(sample_store), str(returned))
    assert loaded.returncode == 0, loaded.stderr
    assert {("T1-001", 2026, "製品化"), ("T1-011", 2026, "研究")} <= set(_surveys(sample_store))
