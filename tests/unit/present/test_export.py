"""Submission files: golden files, encodings, CRLF, formula guard, determinism, atomic and forced writes."""

from __future__ import annotations

import hashlib
import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from kit import ROOT, SAMPLE_THEMES, theme, themes_csv, write

GOLDEN = ROOT / "tests" / "golden" / "export_2025"
CSV_FILES = [
    "outcome_kpis.csv",
    "status_summary.csv",
    "by_element.csv",
    "budget_execution.csv",
    "themes.csv",
    "outputs.csv",
    "stage_gate.csv",
    "evaluation.csv",
]


def export(kpi, db: Path, out: Path, *args: str) -> None:
    result = kpi("export", "--db", str(db), "--as-of", "2025", "--out", str(out), *args)
    assert result.returncode == 0, result.stderr


def test_export_matches_the_golden_files(kpi, sample_store: Path, tmp_path: Path) -> None:
    """The golden files are written only by tools/update_golden.py, never by this test."""
    export(kpi, sample_store, tmp_path)
    for name in CSV_FILES:
        assert (tmp_path / name).read_bytes() == (GOLDEN / name).read_bytes(), name


def test_bom_crlf_and_japanese_headers_by_default(kpi, sample_store: Path, tmp_path: Path) -> None:
    export(kpi, sample_store, tmp_path)
    data = (tmp_path / "outcome_kpis.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.count("\r\n") == text.count("\n") == 4
    assert text.startswith("指標,定義,目標（%）,実績（%）,分子（件）,分母（件）,判定,時点（年度）,時点（和暦）")
    assert "短期目標," in text and ",80,69.6429,39,56,未達,2025,令和7年度" in text  # percentages, as numbers
    assert ",50,,,115,判定は2030年度から,2025,令和7年度" in text
    budget = (tmp_path / "budget_execution.csv").read_text(encoding="utf-8-sig")
    assert "2025,令和7年度,3134,12662,404.0204,27759,22867,82.3769,○" in budget  # the same precision as above


def test_english_headers_and_plain_utf8(kpi, sample_store: Path, tmp_path: Path) -> None:
    export(kpi, sample_store, tmp_path, "--lang", "en", "--encoding", "utf-8")
    data = (tmp_path / "status_summary.csv").read_bytes()
    assert data == b"group,count\r\nachieved,39\r\non track,58\r\ndelayed or not achieved,18\r\ntotal,115\r\n"


def test_export_twice_gives_identical_bytes(kpi, sample_store: Path, tmp_path: Path) -> None:
    export(kpi, sample_store, tmp_path / "a")
    export(kpi, sample_store, tmp_path / "b")
    for name in CSV_FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_manifest_lists_checksums_of_outputs_and_sources(kpi, sample_store: Path, tmp_path: Path) -> None:
    export(kpi, sample_store, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of_fy"] == 2025 and manifest["version"]
    for name in CSV_FILES:
        assert manifest["files"][name] == hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
    sources = {s["file_name"]: s["sha256"] for s in manifest["sources"]}
    assert sources["themes_2026-03-31.csv"] == hashlib.sha256(SAMPLE_THEMES.read_bytes()).hexdigest()
    assert manifest["written_at"].endswith("+09:00")  # the programme's calendar (Asia/Tokyo), whatever the machine's


def test_formula_text_is_guarded_numbers_are_not(kpi, db: Path, tmp_path: Path) -> None:
    rows = [
        theme("T1").replace("テーマT1", '=HYPERLINK(""http://x"",""y"")'),
        theme("T2").replace("某社", "-社"),
        theme("T3").replace("某社", "@x"),
    ]
    text = themes_csv(rows).replace('=HYPERLINK(""http://x"",""y"")', '"=HYPERLINK(""http://x"",""y"")"')
    assert kpi("load", "--db", str(db), str(write(tmp_path / "themes.csv", text))).returncode == 0
    export(kpi, db, tmp_path / "out")
    out = (tmp_path / "out" / "themes.csv").read_text(encoding="utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"",""y"")"' in out
    assert ",'-社," in out and ",'@x," in out
    assert ",2023,令和5年度," in out


def test_cp932_export_of_a_character_without_a_cp932_form_fails_naming_the_theme(
    kpi, kpi_en, db: Path, tmp_path: Path
) -> None:
    rows = [theme("T1"), theme("T2").replace("某社", "𠮷野家")]
    assert kpi("load", "--db", str(db), str(write(tmp_path / "themes.csv", themes_csv(rows)))).returncode == 0
    args = ["export", "--db", str(db), "--as-of", "2025", "--out", str(tmp_path / "out"), "--encoding", "cp932"]
    ja = kpi(*args)
    assert ja.returncode == 3 and "T2 行（機関名）に '𠮷'（U+20BB7）があり、CP932 では表せません" in ja.stderr
    result = kpi_en(*args)
    assert result.returncode == 3
    assert (
        "row T2" in result.stderr
        and "'𠮷'" in result.stderr
        and "U+20BB7" in result.stderr
        and "CP932" in result.stderr
    )
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_cp932_export_round_trips_vendor_characters(kpi, db: Path, tmp_path: Path) -> None:
    rows = [theme("T1").replace("某社", "①髙橋㈱")]
    assert kpi("load", "--db", str(db), str(write(tmp_path / "themes.csv", themes_csv(rows)))).returncode == 0
    export(kpi, db, tmp_path / "out", "--encoding", "cp932")
    assert "①髙橋㈱" in (tmp_path / "out" / "themes.csv").read_bytes().decode("cp932")


def test_existing_files_need_force(kpi, sample_store: Path, tmp_path: Path) -> None:
    export(kpi, sample_store, tmp_path)
    result = kpi("export", "--db", str(sample_store), "--as-of", "2025", "--out", str(tmp_path))
    assert result.returncode == 2 and "outcome_kpis.csv" in result.stderr and "--force" in result.stderr
    export(kpi, sample_store, tmp_path, "--force")
    assert not list(tmp_path.glob(".*.tmp"))


SHEETS_JA = [
    "概要",
    "アウトカム指標",
    "研究開発の状況",
    "基盤要素別",
    "予算執行",
    "テーマ一覧",
    "特許出願・論文発表等",
    "ステージゲート審査",
    "評点法による評価",
]
SHEETS_EN = [
    "About",
    "Outcome KPIs",
    "Status summary",
    "By element",
    "Budget execution",
    "Themes",
    "Outputs",
    "Stage gate",
    "Evaluation",
]


def widths(sheet) -> dict[str, float]:
    """Every column's width by letter (openpyxl groups neighbouring columns of one width)."""
    from openpyxl.utils import get_column_letter

    found = {}
    for dim in sheet.column_dimensions.values():
        for index in range(dim.min, dim.max + 1):
            found[get_column_letter(index)] = dim.width
    return found


@pytest.fixture(scope="module")
def workbook_ja(_sample_db: Path, tmp_path_factory: pytest.TempPathFactory):
    import openpyxl
    from kit import run_kpi

    out = tmp_path_factory.mktemp("xlsx")
    db = out.parent / "xlsx.duckdb"  # an export writes its submission into the database: a copy of the sample's
    shutil.copy(_sample_db, db)
    export(run_kpi, db, out, "--format", "xlsx")
    return openpyxl.load_workbook(out / "kpi_submission.xlsx")


def test_xlsx_has_japanese_sheets_after_a_summary_sheet(workbook_ja) -> None:
    assert workbook_ja.sheetnames == SHEETS_JA
    rows = [[c.value for c in row] for row in workbook_ja["研究開発の状況"].iter_rows()]
    assert rows == [["区分", "件数"], ["目標達成", 39], ["遅延なし", 58], ["遅延・未達", 18], ["合計", 115]]
    assert workbook_ja["テーマ一覧"].max_row == 145


def test_xlsx_numbers_are_formatted_as_an_office_would(workbook_ja) -> None:
    outcome = workbook_ja["アウトカム指標"]
    assert [c.value for c in outcome[1]][:4] == ["指標", "定義", "目標（%）", "実績（%）"]
    assert (outcome["C2"].value, outcome["C2"].number_format) == (0.8, "0.0%")  # the target is a number too
    actual = outcome["D2"]
    assert (round(actual.value, 6), actual.number_format) == (0.696429, "0.0%")
    assert (outcome["E2"].value, outcome["E2"].number_format) == (39, "#,##0")
    budget = workbook_ja["予算執行"]
    fy2025 = [c for c in budget[8]]
    assert [c.value for c in fy2025[:4]] == [2025, "令和7年度", 3134, 12662]
    assert [c.number_format for c in fy2025[:5]] == ["0", "General", "#,##0", "#,##0", "0.0%"]
    assert round(fy2025[4].value, 4) == 4.0402  # 404.0%: a fund draws on earlier years
    assert (budget["F8"].value, budget["F8"].number_format) == (27759, "#,##0")
    assert workbook_ja["評点法による評価"]["G2"].number_format == "0.0"
    assert workbook_ja["テーマ一覧"]["I2"].number_format == "0"  # a year: 2023, not 2,023


def test_xlsx_header_frozen_and_filterable_columns_fitted(workbook_ja) -> None:
    for name in SHEETS_JA[1:]:
        sheet = workbook_ja[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}", name
        assert sheet["A1"].font.b, name
    themes = widths(workbook_ja["テーマ一覧"])
    assert int(themes["A"]) == 10  # テーマID: 6 columns of its header (the rest wraps), the filter button 3, a margin 1
    assert int(themes["D"]) == 10  # 基盤要素: the header wraps, the values (a1) are narrower
    assert int(themes["E"]) > 16 and int(themes["F"]) > 16  # 機関名, 開発テーマ名: long text gives way, and wraps
    assert sum(int(w) for w in themes.values()) <= 150  # (kpi.present.xlsx.READABLE)
    budget = widths(workbook_ja["予算執行"])
    assert int(budget["I"]) == 10  # 前年度までの予算を充当: a header of 11 full-width characters wraps
    assert int(budget["C"]) == 10  # 予算（億円）: the header wraps; the amounts (27,759) are narrower


def test_xlsx_prints_every_sheet_on_a4_one_page_wide_its_text_whole(workbook_ja) -> None:
    """What LibreOffice and Excel print from: A4, one page wide, upright or landscape by the columns' width, the
    header row on every page; text wraps (its row as high as its lines) instead of running into the next cell or
    off the page, so the definitions and the outlook print whole."""
    from kpi.present.xlsx import PORTRAIT, READABLE, TEXT_NARROWEST, lines

    for name in SHEETS_JA:
        sheet = workbook_ja[name]
        setup = sheet.page_setup
        assert (setup.paperSize, setup.fitToHeight, sheet.sheet_properties.pageSetUpPr.fitToPage) == (9, 0, True), name
        assert setup.fitToWidth in (None, 1), name  # (1 is the default, left out)
        assert sheet.print_title_rows == "$1:$1", name
        columns = widths(sheet)
        total = sum(columns[sheet.cell(1, c).column_letter] for c in range(1, sheet.max_column + 1))
        assert setup.orientation == ("portrait" if total <= PORTRAIT + sheet.max_column else "landscape"), name
        if total > READABLE + sheet.max_column:  # (each width as stored carries a margin under 1)
            texts = [c.column_letter for c in sheet[2] if isinstance(c.value, str)]
            assert all(int(columns[c]) <= TEXT_NARROWEST for c in texts), name  # its text gave way as far as it goes
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.alignment.wrap_text, (name, cell.coordinate)
                    assert not cell.value.startswith("'"), (name, cell.coordinate)
                    width = int(columns[cell.column_letter])
                    if lines(cell.value, width) > 1:  # a row of wrapped text is as high as its lines
                        assert sheet.row_dimensions[cell.row].height >= 18 * lines(cell.value, width), cell.coordinate
    outcome = workbook_ja["アウトカム指標"]
    definition = outcome["B2"].value
    assert definition.endswith("研究開発を完了したテーマ数（先導研究は除く）")  # whole, not cut at 「…研究開発を完了」
    assert outcome.row_dimensions[2].height >= 18 * 3  # the 見通し sentence and the definition wrap: a tall row
    summary = workbook_ja["概要"]
    assert summary.page_setup.orientation == "portrait"
    assert summary.row_dimensions[2].height >= 36  # the programme's name on two lines, on the one page
    written = next(row[1] for row in summary.iter_rows(values_only=True) if row[0] == "書き出し日時")
    assert written.endswith("+09:00")  # Japan's time with its offset


def test_column_widths_count_east_asian_characters_twice() -> None:
    from kpi.present.numbers import Percent
    from kpi.present.xlsx import column_widths

    rows = [["日本電気株式会社", 1234567, Percent(Fraction(39, 56)), "x"], ["NEC", 5, None, "a\nlonger line"]]
    assert column_widths(["機関名", "件数", "実績", "memo"], rows, ["", "count", "percent", ""]) == [17, 10, 8, 12]


def test_xlsx_summary_sheet_says_what_the_workbook_is(workbook_ja) -> None:
    from kpi import __version__

    rows = {row[0]: row[1] for row in workbook_ja["概要"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert rows["事業名"].startswith("ポスト5G情報通信システム基盤強化研究開発事業")
    assert rows["予算事業ID"] == 3522
    assert rows["時点"] == "2025年度（令和7年度）時点"
    assert rows["一覧の日付"] == "2026-03-31"  # the theme list the figures read
    assert rows["作成ツール"] == f"kpi {__version__}"
    assert rows["書き出し日時"][:4].isdigit()
    sources = [row[1] for row in workbook_ja["概要"].iter_rows(values_only=True) if row[0] == "読み込んだファイル"]
    assert len(sources) == 8 and sources[1].startswith("読込 #2 themes_2026-03-31.csv（テーマ、144行、")


def test_xlsx_in_english(kpi, sample_store: Path, tmp_path: Path) -> None:
    import openpyxl

    export(kpi, sample_store, tmp_path, "--format", "xlsx", "--lang", "en")
    book = openpyxl.load_workbook(tmp_path / "kpi_submission.xlsx")
    assert book.sheetnames == SHEETS_EN
    assert [c.value for c in book["Outcome KPIs"][1]][:4] == ["indicator", "definition", "target (%)", "actual (%)"]
    assert book["About"]["A2"].value == "programme"


def test_xlsx_text_that_looks_like_a_formula_stays_text(kpi, db: Path, tmp_path: Path) -> None:
    import openpyxl

    rows = [theme("T1").replace("某社", "=1+1"), theme("T2").replace("テーマT2", "0123")]
    assert kpi("load", "--db", str(db), str(write(tmp_path / "themes.csv", themes_csv(rows)))).returncode == 0
    export(kpi, db, tmp_path / "out", "--format", "xlsx")
    themes = openpyxl.load_workbook(tmp_path / "out" / "kpi_submission.xlsx")["テーマ一覧"]
    assert [themes["E2"].value, themes["F3"].value] == ["=1+1", "0123"]  # as typed: a text cell is no formula
    assert themes["E2"].data_type == "s" and themes["F3"].data_type == "s"


def test_every_sheet_name_is_one_excel_accepts() -> None:
    import re

    from kpi.present.catalogue import WORDS
    from kpi.present.xlsx import sheet_name

    names = {key: pair for key, pair in WORDS.items() if key.startswith("sheet.")}
    assert len(names) == 26
    for key, pair in names.items():
        for title in pair:
            assert len(title) <= 31 and not re.search(r"[\[\]:*?/\\]", title), key
            assert sheet_name(title) == title
    assert sheet_name("a/b:c[d]*?" + "x" * 40) == "a_b_c_d___" + "x" * 21


@pytest.mark.parametrize("encoding", ["latin-1", "shift_jis"])
def test_unknown_encodings_are_usage_errors(kpi, sample_store: Path, tmp_path: Path, encoding: str) -> None:
    args = ("--as-of", "2025", "--out", str(tmp_path), "--encoding", encoding)
    assert kpi("export", "--db", str(sample_store), *args).returncode == 2


def test_the_summary_sheet_gives_its_time_in_the_programmes_zone_whatever_the_machines(
    sample_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt
    import time

    from kpi.db.store import Store
    from kpi.figures.report import submission
    from kpi.present.catalogue import Words
    from kpi.present.export import summary_rows

    with Store(sample_store, 1).reading() as con:
        content = submission(con, 2025)
    words, at = Words("ja"), dt.datetime(2026, 4, 1, 0, 30, tzinfo=dt.UTC)
    seen = set()
    try:
        for zone in ("UTC", "America/New_York", "Asia/Tokyo"):
            monkeypatch.setenv("TZ", zone)
            time.tzset()
            seen.add(dict(summary_rows(content.report, content.sources, words, at))[words("summary.written_at")])
    finally:
        monkeypatch.undo()
        time.tzset()
    assert seen == {"2026-04-01 09:30:00+09:00"}


def test_the_confidential_file_says_so_on_its_first_line_in_csv_and_in_xlsx(tmp_path: Path) -> None:
    """The answers' own file (never one of a submission's): its first line, or its workbook's first row, says that
    it is confidential, the column headers follow."""
    import csv
    import io
    from decimal import Decimal

    import openpyxl

    from kpi.present.catalogue import WORDS, Lang, Words
    from kpi.present.export import confidential_file
    from kpi.present.formats import Format, OutEncoding

    answers = [("A1", "テーマA1", "甲社", 2024, "上市", Decimal("100.1212"), Decimal("150.9191"), "製品X", "")]
    words = Words(Lang.ja)
    text = confidential_file(answers, words, OutEncoding.utf_8_sig, Format.csv).decode("utf-8-sig")
    notice, headers, row = list(csv.reader(io.StringIO(text)))
    assert notice[0] == WORDS["effects.confidential"][0] and headers[0] == "テーマID"
    assert row[:3] == ["A1", "テーマA1", "甲社"] and row[5] == "100.1212"
    (tmp_path / "a.xlsx").write_bytes(confidential_file(answers, words, OutEncoding.utf_8_sig, Format.xlsx))
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert book.sheetnames == [WORDS["effects.sheet.confidential"][0]]
    sheet = book.worksheets[0]
    assert sheet["A1"].value == WORDS["effects.confidential"][0] and sheet["A2"].value == "テーマID"
    assert sheet["A3"].value == "A1" and float(sheet["F3"].value) == 100.1212


@pytest.mark.slow
def test_the_themes_file_gains_a_column_per_declared_attribute_after_the_themes_own(
    kpi, db: Path, tmp_path: Path
) -> None:
    from kit import SAMPLE, THEMES_HEADER

    declared = (
        '\n[attributes."分野"]\ntype = "category"\nvalues = ["通信", "AI"]\n\n[attributes."予算額"]\ntype = "money"\n'
    )
    settings = write(tmp_path / "programme.toml", (SAMPLE / "programme.toml").read_text(encoding="utf-8") + declared)
    listed = write(
        tmp_path / "themes_2026-03-31.csv",
        themes_csv([theme("T1") + ",ai,1.50", theme("T2") + ",,"], THEMES_HEADER + ",分野,予算額"),
    )
    assert kpi("load", "--db", str(db), str(settings), str(listed)).returncode == 0
    export(kpi, db, tmp_path / "out")
    lines = (tmp_path / "out" / "themes.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].endswith(",結果/状況,分野,予算額")
    assert [line.rsplit(",", 2)[1:] for line in lines[1:]] == [["AI", "1.5"], ["", ""]]


def test_a_breakdown_is_exported_registered_and_written_again_as_it_was(
    kpi_en, grouped_store: Path, tmp_path: Path
) -> None:
    """`kpi export --by 分野`: a file per KPI and one of status, each group's counts summing to the total line (the
    outcome file's); the manifest names the grouping; `--submission N` writes the same bytes without being told
    --by; an unknown grouping is refused before anything is written or registered."""
    import csv

    db = tmp_path / "kpi.duckdb"
    shutil.copy(grouped_store, db)
    out = tmp_path / "out"
    done = kpi_en(
        "export", "--db", str(db), "--as-of", "2026", "--out", str(out), "--by", "分野", "--encoding", "utf-8"
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader((out / "breakdown_short_term.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[0][:5] == ["分野", "numerator (count)", "denominator (count)", "pending (count)", "actual (%)"]
    groups, total = rows[1:-1], rows[-1]
    assert [r[0] for r in groups] == ["通信", "AI", "光", "(not given)"] and total[0] == "total"
    for column in (1, 2, 3):
        assert sum(int(r[column]) for r in groups) == int(total[column])
    outcome = list(csv.reader((out / "outcome_kpis.csv").read_text(encoding="utf-8").splitlines()))
    assert [total[1], total[2]] == outcome[1][4:6]  # the short-term KPI's numerator and denominator
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["breakdown"] == {"by": "分野"}
    again = tmp_path / "again"
    assert kpi_en("export", "--db", str(db), "--submission", "1", "--out", str(again)).returncode == 0
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == {p.name: p.read_bytes() for p in again.glob("*.csv")}
    refused = kpi_en("export", "--db", str(db), "--as-of", "2026", "--out", str(tmp_path / "no"), "--by", "size")
    assert refused.returncode == 2 and "no such grouping" in refused.stderr
    assert not (tmp_path / "no").exists() or not any((tmp_path / "no").iterdir())
    listed = kpi_en("submissions", "--db", str(db), "-f", "json")
    assert [s["submission"] for s in json.loads(listed.stdout)] == [1]
