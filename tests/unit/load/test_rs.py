"""Reading the government's RS open data (2-1 予算・執行_サマリ, 3-1 効果発現経路_目標・実績) on the real files."""

from __future__ import annotations

import csv
import hashlib
import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from kit import ROOT, SAMPLE, TESTS, english, in_english

from kpi.errors import Failure, InputRejected
from kpi.load.rs import AMOUNT_RULE, FLAG_RULE, NUMBER_RULE, PERCENT_RULE, RATE_RULE, read_rs

RS = TESTS / "data" / "rs"
BUDGET = RS / "2-1_RS_2025_予算・執行_サマリ_trimmed.csv"
INDICATORS = RS / "3-1_RS_2025_効果発現経路_目標・実績_trimmed.csv"
POST5G, LAW_EDUCATION = 3522, 884

# Lines of the real 2-1 file: 3522's total rows per 予算年度 (each followed by its per-account rows).
TOTAL_LINES = {2025: 6, 2024: 10, 2023: 13, 2022: 16, 2021: 18}


def variant(src: Path, dest: Path, cells: dict[int, dict[str, str]] | None = None, eol: str = "\n") -> Path:
    """A copy of a real RS file with some cells changed (line → header → new text), written with its BOM."""
    lines = src.read_text(encoding="utf-8-sig").split("\n")
    header = next(csv.reader([lines[0]]))
    for number, changes in (cells or {}).items():
        row = next(csv.reader([lines[number - 1]]))
        for name, value in changes.items():
            row[header.index(name)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(row)  # quotes fields holding line breaks
        lines[number - 1] = out.getvalue().removesuffix("\n")
    dest.write_bytes(("\ufeff" + eol.join(lines)).encode("utf-8"))
    return dest


def by_year(frame: pl.DataFrame) -> dict[int, dict]:
    """Rows of a budget frame keyed by 予算年度."""
    return {row["budget_fy"]: row for row in frame.iter_rows(named=True)}


def values_of(data, number: int) -> dict[int, tuple]:
    """An indicator's (target, actual, achievement_rate, is_target_year) per fiscal year."""
    rows = data.values.filter(pl.col("number") == number).iter_rows(named=True)
    return {r["fy"]: (r["target"], r["actual"], r["achievement_rate"], r["is_target_year"]) for r in rows}


# --- 2-1 予算・執行_サマリ -------------------------------------------------------------------------------


def test_budget_sheet_is_told_by_its_header_and_keeps_only_the_total_rows() -> None:
    data = read_rs(BUDGET, POST5G)
    assert (data.sheet, data.title) == ("2-1", "2-1 予算・執行_サマリ")
    assert data.indicators is None and data.values is None
    assert data.encoding == "utf-8-sig"
    assert data.sha256 == hashlib.sha256(BUDGET.read_bytes()).hexdigest()
    # 18 records: 884 has 2 totals + 2 account rows; 3522 has 5 totals + 9 account rows (3 in 2025, 2 in 2024...).
    assert (data.rows, data.project_rows, data.skipped_account_rows) == (18, 14, 9)
    budget = data.budget
    assert budget is not None
    assert budget["budget_fy"].to_list() == [2021, 2022, 2023, 2024, 2025]
    assert dict(zip(budget["budget_fy"], budget["_line"], strict=True)) == TOTAL_LINES
    assert budget["sheet_fy"].unique().to_list() == [2025]
    assert budget.columns == [
        "sheet_fy",
        "project_id",
        "project_name",
        "budget_fy",
        "initial",
        "supplementary",
        "carried_in",
        "reserve",
        "current",
        "executed",
        "execution_rate",
        "carried_out",
        "requested_next",
        "execution_reported",
        "_line",
    ]
    money = ["initial", "supplementary", "carried_in", "reserve", "current", "executed", "carried_out"]
    assert all(budget.schema[c] == pl.Int64 for c in [*money, "requested_next"])
    assert budget.schema["execution_rate"] == pl.Decimal(38, 10)


# The domain notes §3.3 table: 予算年度 → (当初, 補正, 歳出予算現額, 執行), in yen.
POST5G_YEN = {
    2021: (0, 110_003_000_000, 110_003_000_000, 110_003_000_000),
    2022: (0, 485_009_192_000, 485_009_192_000, 485_009_192_000),
    2023: (0, 677_292_895_000, 677_292_895_000, 677_292_895_000),
    2024: (0, 990_178_535_000, 990_178_535_000, 990_178_535_000),
    2025: (161_700_000_000, 153_656_459_250, 315_356_459_250, None),
}


@pytest.mark.parametrize(("fy", "expected"), POST5G_YEN.items())
def test_post5g_amounts_are_exact_yen_per_budget_year(fy: int, expected: tuple) -> None:
    row = by_year(read_rs(BUDGET, POST5G).budget)[fy]
    assert (row["initial"], row["supplementary"], row["current"], row["executed"]) == expected
    assert (row["carried_in"], row["reserve"], row["requested_next"]) == (0, 0, 0)  # 「0.0」 in the file
    # RS's identity: 歳出予算現額 = 当初 + 補正 + 前年度繰越 + 予備費等.
    assert row["current"] == row["initial"] + row["supplementary"] + row["carried_in"] + row["reserve"]
    assert (
        row["project_name"]
        == "ポスト５Ｇ情報通信システム基盤強化研究開発事業（AI基盤モデル及び先端半導体関連技術開発事業）"
    )


def test_past_years_carry_the_published_rate_of_one_for_a_fund() -> None:
    rows = by_year(read_rs(BUDGET, POST5G).budget)
    for fy in (2021, 2022, 2023, 2024):
        assert rows[fy]["execution_reported"] is True
        assert rows[fy]["execution_rate"] == Decimal(1)
        assert rows[fy]["carried_out"] == 0
    assert sum(rows[fy]["executed"] for fy in (2021, 2022, 2023, 2024)) == 2_262_483_622_000


def test_the_sheet_year_has_no_execution_yet_so_it_is_null_not_zero() -> None:
    # The file says 執行額 0 and 執行率 blank for 予算年度 2025 on the 2025 sheet: "not yet", not a real zero.
    line = BUDGET.read_text(encoding="utf-8-sig").splitlines()[TOTAL_LINES[2025] - 1]
    assert ",315356459250,0,,0,0.0," in line
    row = by_year(read_rs(BUDGET, POST5G).budget)[2025]
    assert row["execution_reported"] is False
    assert (row["executed"], row["execution_rate"], row["carried_out"]) == (None, None, None)
    assert row["current"] == 315_356_459_250  # the appropriation itself is known


def test_the_other_project_is_read_only_when_asked_for() -> None:
    post5g = read_rs(BUDGET, POST5G).budget
    assert post5g["project_id"].unique().to_list() == [POST5G]
    assert not post5g["project_name"].str.contains("法教育").any()
    law = read_rs(BUDGET, LAW_EDUCATION)
    assert (law.project_rows, law.skipped_account_rows) == (4, 2)
    rows = by_year(law.budget)
    assert rows.keys() == {2024, 2025}
    assert rows[2024]["project_name"] == "法教育の推進"
    assert (rows[2024]["initial"], rows[2024]["carried_in"], rows[2024]["current"]) == (
        11_169_000,
        8_260_000,
        19_429_000,
    )
    assert (rows[2024]["executed"], rows[2024]["execution_rate"]) == (13_435_000, Decimal("0.69149"))
    assert rows[2024]["requested_next"] == 24_844_000  # published as 「24844000.0」
    assert rows[2025]["requested_next"] == 17_930_000
    assert (rows[2025]["executed"], rows[2025]["execution_rate"], rows[2025]["execution_reported"]) == (
        None,
        None,
        False,
    )


def test_amount_spellings_negative_blank_dash_and_full_width(tmp_path: Path) -> None:
    path = variant(
        BUDGET,
        tmp_path / "2-1.csv",
        {
            4: {
                "当初予算（合計）": "１１，１６９，０００",
                "補正予算（合計）": "-1000000",
                "予備費等（合計）": "△250",
                "前年度からの繰越し（合計）": "",
                "翌年度への繰越し(合計）": "―",
                "翌年度要求額（合計）": " 24844000.0 ",
            }
        },
    )
    row = by_year(read_rs(path, LAW_EDUCATION).budget)[2024]
    assert (row["initial"], row["supplementary"], row["reserve"]) == (11_169_000, -1_000_000, -250)
    assert (row["carried_in"], row["carried_out"], row["requested_next"]) == (None, None, 24_844_000)


def test_headers_match_after_nfkc_whatever_the_brackets(tmp_path: Path) -> None:
    text = BUDGET.read_text(encoding="utf-8-sig")
    header, rest = text.split("\n", 1)
    # The published header mixes brackets: 翌年度への繰越し(合計）. Full-width, half-width or mixed all match.
    assert "翌年度への繰越し(合計）" in header
    header = header.replace("翌年度への繰越し(合計）", "翌年度への繰越し（合計）").replace(
        "当初予算（合計）", "当初予算(合計)"
    )
    plain = tmp_path / "no-bom.csv"
    plain.write_text(header + "\n" + rest, encoding="utf-8")  # no BOM: plain UTF-8 reads too
    data = read_rs(plain, POST5G)
    assert data.encoding == "utf-8"
    assert data.budget.drop("_line").equals(read_rs(BUDGET, POST5G).budget.drop("_line"))


def test_a_second_total_row_for_the_same_year_is_refused(tmp_path: Path) -> None:
    lines = BUDGET.read_text(encoding="utf-8-sig").split("\n")
    lines.insert(TOTAL_LINES[2024], lines[TOTAL_LINES[2024] - 1])
    path = tmp_path / "2-1.csv"
    path.write_text("\n".join(lines), encoding="utf-8-sig")
    with pytest.raises(InputRejected) as caught:
        read_rs(path, POST5G)
    assert caught.value.failures == [Failure(str(path), 11, "予算年度", "2024", "rule.rs.second_total")]
    assert in_english(caught.value.failures)[0].rule == "a second total row for 予算年度 2024 (the first is on line 10)"


# --- 3-1 効果発現経路_目標・実績 ---------------------------------------------------------------------------


def test_indicator_sheet_is_told_by_its_header_and_keeps_every_indicator() -> None:
    data = read_rs(INDICATORS, POST5G)
    assert (data.sheet, data.title) == ("3-1", "3-1 効果発現経路_目標・実績")
    assert data.budget is None
    assert (data.rows, data.project_rows) == (13, 13)
    ind = data.indicators
    assert ind["number"].to_list() == [1, 2, 3, 4]
    assert ind["seq"].to_list() == [1, 2, 3, 4]
    assert ind["kind"].to_list() == ["activity", "output", "outcome", "outcome"]
    assert ind["period"].to_list() == [None, None, "short", "long"]
    assert ind["goal_type"].to_list() == [None, None, "quantitative", "quantitative"]
    assert ind["unit"].to_list() == [None, "件", "%", "%"]  # 「％」 NFKC-normalised
    assert ind["direction"].to_list() == [None, None, "up", "up"]
    assert ind["direction_text"].to_list() == [None, None, "上がると良い指標", "上がると良い指標"]
    assert ind["target_years"].to_list() == [[], [], [2029], [2032]]
    assert ind["_line"].to_list() == [2, 3, 7, 11]
    assert ind["name"][2] == "有識者の意見に基づき開発テーマごとに設定した目標を達成したテーマの割合の一定水準の達成"
    assert ind["indicator"][2].startswith("開発テーマごとに設定した目標を達成したテーマ数／")
    assert ind["name"][3].startswith("本事業で開発した技術の実用化率：50%以上")
    assert ind["source"][3].startswith("●「国立研究開発法人新エネルギー・産業技術総合開発機構 第４期中長期目標」")
    assert ind.schema["target_years"] == pl.List(pl.Int64)
    assert data.values.columns == [
        "sheet_fy",
        "project_id",
        "seq",
        "number",
        "fy",
        "target",
        "actual",
        "achievement_rate",
        "is_target_year",
    ]
    assert all(data.values.schema[c] == pl.Decimal(38, 10) for c in ("target", "actual", "achievement_rate"))


def test_short_term_kpi_targets_actuals_and_target_year() -> None:
    d = Decimal
    assert values_of(read_rs(INDICATORS, POST5G), 3) == {
        2022: (d(80), d(100), d(125), False),
        2023: (d(80), d(83), d("103.75"), False),
        2024: (d(80), d(72), d(90), False),
        2025: (d(80), None, None, False),
        2029: (d(80), None, None, True),
    }


def test_long_term_kpi_has_a_target_year_and_no_actual_yet() -> None:
    data = read_rs(INDICATORS, POST5G)
    assert values_of(data, 4) == {2025: (Decimal(50), None, None, False), 2032: (Decimal(50), None, None, True)}
    assert values_of(data, 1) == {}  # the activity has no year values


def test_output_indicator_values_keep_published_rates_above_100() -> None:
    output = values_of(read_rs(INDICATORS, POST5G), 2)
    assert output[2020] == (Decimal(12), Decimal(35), Decimal("291.66667"), False)
    assert output[2025] == (Decimal(41), None, None, False)
    assert sorted(output) == [2020, 2021, 2022, 2023, 2024, 2025]


def test_periods_are_normalised(tmp_path: Path) -> None:
    short = {n: {"アウトカムの期間": "１．短期"} for n in range(7, 11)}  # full-width 「１．」
    long = {n: {"アウトカムの期間": "長期"} for n in range(11, 15)}  # bare, as a few RS rows have it
    ind = read_rs(variant(INDICATORS, tmp_path / "3-1.csv", short | long), POST5G).indicators
    assert ind["period"].to_list() == [None, None, "short", "long"]
    medium = {n: {"アウトカムの期間": "2.中期"} for n in range(11, 15)}
    ind = read_rs(variant(INDICATORS, tmp_path / "3-1b.csv", medium), POST5G).indicators
    assert ind["period"].to_list() == [None, None, "short", "medium"]


# --- quoted fields with line breaks --------------------------------------------------------------------


def test_a_multi_line_quoted_field_is_one_record_starting_on_its_own_line(tmp_path: Path) -> None:
    reason = "基金造成（補正予算）\n一般会計とエネルギー対策特別会計の合計\n（3行目）"
    path = variant(BUDGET, tmp_path / "2-1.csv", {TOTAL_LINES[2024]: {"主な増減理由": reason}})
    assert path.read_bytes().count(b"\n") == BUDGET.read_bytes().count(b"\n") + 2
    data = read_rs(path, POST5G)
    assert (data.rows, data.project_rows, data.skipped_account_rows) == (18, 14, 9)
    # The 2024 total starts on line 10 still; every record after it starts two lines later.
    assert dict(zip(data.budget["budget_fy"], data.budget["_line"], strict=True)) == {
        2025: 6,
        2024: 10,
        2023: 15,
        2022: 18,
        2021: 20,
    }
    assert data.budget.drop("_line").equals(read_rs(BUDGET, POST5G).budget.drop("_line"))


def test_a_failure_after_a_multi_line_field_names_the_line_its_record_starts_on(tmp_path: Path) -> None:
    path = variant(
        BUDGET,
        tmp_path / "2-1.csv",
        {TOTAL_LINES[2024]: {"主な増減理由": "一行目\r\n二行目"}, TOTAL_LINES[2022]: {"執行率": "1.0x"}},
        eol="\r\n",
    )
    with pytest.raises(InputRejected) as caught:
        read_rs(path, POST5G)
    assert caught.value.failures == [Failure(str(path), TOTAL_LINES[2022] + 1, "執行率", "1.0x", RATE_RULE)]


def test_multi_line_source_text_in_the_indicator_sheet(tmp_path: Path) -> None:
    source = "●第１回 中間評価検討会\n●有識者の意見に基づき開発テーマごとに設定した目標"
    path = variant(
        INDICATORS,
        tmp_path / "3-1.csv",
        {n: {"成果実績及び目標値の根拠として用いた統計・データ名（出典）": source} for n in range(7, 11)},
    )
    data = read_rs(path, POST5G)
    assert data.indicators["_line"].to_list() == [2, 3, 7, 15]
    assert data.indicators["source"][2] == source
    assert values_of(data, 3) == values_of(read_rs(INDICATORS, POST5G), 3)


# --- refusals ------------------------------------------------------------------------------------------


def test_a_file_with_neither_header_is_refused_saying_what_was_expected(tmp_path: Path) -> None:
    themes = next(SAMPLE.glob("themes*.csv"))
    with pytest.raises(InputRejected) as caught:
        read_rs(themes, POST5G)
    message = english(caught.value)
    assert message.startswith("not an RS file kpi can read: its header matches neither ")
    assert "RS 2-1 予算・執行_サマリ" in message and "RS 3-1 効果発現経路_目標・実績" in message
    assert (
        "Expected the headers of RS 2-1 予算・執行_サマリ (事業年度, 予算事業ID, 事業名, 予算年度, 当初予算（合計）"
        in message
    )
    assert (
        "RS 3-1 効果発現経路_目標・実績 (事業年度, 予算事業ID, 事業名, アクティビティ・アウトプット・アウトカムの番号"
        in message
    )
    assert "2007…2060" in message
    assert "looks like" not in message

    # An RS 2-1 file with a column renamed: the message names what is missing.
    text = BUDGET.read_text(encoding="utf-8-sig").replace("執行率,", "執行割合,", 1)
    renamed = tmp_path / "2-1_renamed.csv"
    renamed.write_text(text, encoding="utf-8-sig")
    with pytest.raises(InputRejected) as caught:
        read_rs(renamed, POST5G)
    assert "it looks like RS 2-1 予算・執行_サマリ but lacks: 執行率." in english(caught.value)

    # The 3-1 sheet without its year columns.
    lines = [",".join(r[:28]) for r in csv.reader(io.StringIO(INDICATORS.read_text(encoding="utf-8-sig")))]
    cut = tmp_path / "3-1_no_years.csv"
    cut.write_text("\n".join(lines), encoding="utf-8-sig")
    with pytest.raises(InputRejected) as caught:
        read_rs(cut, POST5G)
    assert "it looks like RS 3-1 効果発現経路_目標・実績 but lacks: 2007…2060" in english(caught.value)


def test_a_project_id_absent_from_the_file_is_refused() -> None:
    with pytest.raises(InputRejected) as caught:
        read_rs(BUDGET, 99999)
    assert english(caught.value) == (
        "予算事業ID 99999 is not in this file (RS 2-1 予算・執行_サマリ; it holds 2 other project(s): 884, 3522)"
    )
    with pytest.raises(InputRejected) as caught:
        read_rs(INDICATORS, LAW_EDUCATION)
    assert english(caught.value) == (
        "予算事業ID 884 is not in this file (RS 3-1 効果発現経路_目標・実績; it holds 1 other project(s): 3522)"
    )


def test_bad_numbers_are_all_reported_with_line_column_and_value(tmp_path: Path) -> None:
    path = variant(
        BUDGET,
        tmp_path / "2-1.csv",
        {
            TOTAL_LINES[2024]: {"執行額（合計）": "990,178,535千円"},
            TOTAL_LINES[2022]: {"執行率": "100%"},
            TOTAL_LINES[2021]: {"補正予算（合計）": "1100.5"},  # not whole yen
            4: {"執行額（合計）": "abc"},  # another project: ignored
            11: {"執行額": "abc"},  # a per-account row: skipped, so not checked
        },
    )
    with pytest.raises(InputRejected) as caught:
        read_rs(path, POST5G)
    assert english(caught.value) == (
        "problems in the rows of 予算事業ID 3522 (RS 2-1 予算・執行_サマリ); nothing was read"
    )
    assert caught.value.failures == [
        Failure(str(path), 10, "執行額（合計）", "990,178,535千円", AMOUNT_RULE),
        Failure(str(path), 16, "執行率", "100%", RATE_RULE),
        Failure(str(path), 18, "補正予算（合計）", "1100.5", AMOUNT_RULE),
    ]
    assert read_rs(BUDGET, LAW_EDUCATION).budget is not None  # the real file itself is fine


def test_bad_indicator_values_are_all_reported(tmp_path: Path) -> None:
    path = variant(
        INDICATORS,
        tmp_path / "3-1.csv",
        {7: {"2029": "○"}, 9: {"2024": "72%"}, 10: {"2023": "abc"}, 11: {"アウトカムの期間": "超長期"}},
    )
    with pytest.raises(InputRejected) as caught:
        read_rs(path, POST5G)
    assert caught.value.failures == [
        Failure(str(path), 7, "2029", "○", FLAG_RULE),
        Failure(str(path), 9, "2024", "72%", NUMBER_RULE),
        Failure(str(path), 10, "2023", "abc", PERCENT_RULE),
        Failure(str(path), 11, "アウトカムの期間", "超長期", "rule.rs.choice"),
    ]
    assert [f.rule for f in in_english(caught.value.failures)][1:] == [
        "a number such as 80, 103.75 or -2 (blank = none) (3.実績値)",
        "a percentage such as 90 or 103.75, without the % sign (blank = none) (4.達成率)",
        "one of 短期, 中期, 長期 (a leading number such as 「1.」 is allowed)",
    ]
    assert english(caught.value).startswith("problems in the rows of 予算事業ID 3522 (RS 3-1 効果発現経路_目標・実績)")


def test_missing_and_empty_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputRejected) as caught:
        read_rs(tmp_path / "nothing.csv", POST5G)
    assert "no such file" in english(caught.value)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\xef\xbb\xbf\n")
    with pytest.raises(InputRejected) as caught:
        read_rs(empty, POST5G)
    assert "the file is empty" in english(caught.value)


def test_importing_the_reader_does_not_import_polars() -> None:
    code = "import sys, kpi.load.rs; print('polars' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "False"


def test_test_data_keeps_the_attribution_the_licence_requires() -> None:
    readme = (RS / "README.md").read_text(encoding="utf-8")
    assert "「行政事業レビュー（RSシステム）のデータを加工して作成」" in readme
    assert "公共データ利用規約 第1.0版 (PDL1.0)" in readme
