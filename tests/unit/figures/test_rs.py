"""RS open data through kpi load, report, export and reconcile (the real files, trimmed)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import duckdb
import pytest
from kit import ROOT

RS = ROOT / "tests" / "data" / "rs"
BUDGET_FILE = RS / "2-1_RS_2025_予算・執行_サマリ_trimmed.csv"
INDICATORS_FILE = RS / "3-1_RS_2025_効果発現経路_目標・実績_trimmed.csv"


@pytest.fixture
def rs_store(sample_store: Path, kpi) -> Path:
    result = kpi(
        "load",
        "--db",
        str(sample_store),
        "--kind",
        "rs",
        "--project-id",
        "3522",
        str(BUDGET_FILE),
        str(INDICATORS_FILE),
    )
    assert result.returncode == 0, result.stderr
    return sample_store


def test_load_keeps_the_projects_total_rows_and_the_missing_execution(rs_store: Path) -> None:
    con = duckdb.connect(str(rs_store), read_only=True)
    rows = con.execute(
        'SELECT project_id, budget_fy, "current", executed, execution_reported FROM rs_budget ORDER BY budget_fy'
    ).fetchall()
    con.close()
    assert rows == [
        (3522, 2021, 110_003_000_000, 110_003_000_000, True),
        (3522, 2022, 485_009_192_000, 485_009_192_000, True),
        (3522, 2023, 677_292_895_000, 677_292_895_000, True),
        (3522, 2024, 990_178_535_000, 990_178_535_000, True),
        (3522, 2025, 315_356_459_250, None, False),
    ]


def test_kind_and_project_come_from_the_file_name_and_the_settings(sample_store: Path, kpi_en) -> None:
    result = kpi_en("load", "--db", str(sample_store), str(RS))
    assert result.returncode == 0, result.stderr
    assert "rs" in result.stderr and "skipped (not a known kind):" in result.stderr and "README.md" in result.stderr
    again = kpi_en("load", "--db", str(sample_store), str(RS))
    assert again.stderr.count("unchanged") == 2


def test_an_unknown_project_is_rejected(sample_store: Path, kpi, kpi_en) -> None:
    result = kpi_en("load", "--db", str(sample_store), "--project-id", "99999", str(BUDGET_FILE))
    assert result.returncode == 3 and "99999 is not in this file" in result.stderr
    ja = kpi("load", "--db", str(sample_store), "--project-id", "99999", str(BUDGET_FILE))
    assert ja.returncode == 3 and "予算事業ID 99999 はこのファイル" in ja.stderr


def test_report_section_and_json(rs_store: Path, kpi) -> None:
    text = kpi("report", "--db", str(rs_store), "--as-of", "2025").stdout
    assert "歳出予算と執行（行政事業レビュー RS、予算事業ID 3522、億円）" in text
    assert re.search(r"\n +2025 +1,617.00 +1,536.56 ", text) and "未公表" in text and "基金への繰入れ" in text
    data = json.loads(kpi("report", "--db", str(rs_store), "--as-of", "2025", "-f", "json").stdout)["rs"]
    assert [a["executed"] for a in data["appropriations"]][-1] is None
    short = next(i for i in data["indicators"] if i["kind"] == "outcome" and i["period"] == "short")
    assert [(y["fy"], y["actual"]) for y in short["years"] if y["actual"] is not None] == [
        (2022, 100),
        (2023, 83),
        (2024, 72),
    ]
    assert short["target_years"] == [2029]
    long_ = next(i for i in data["indicators"] if i["period"] == "long")
    assert long_["target_years"] == [2032]


def test_reconcile_with_rs(rs_store: Path, kpi_en) -> None:
    figures = json.loads(kpi_en("reconcile", "--db", str(rs_store), "-f", "json").stdout)["figures"]
    rs = {(f["figure"], f["as_of_fy"]): f for f in figures if f["figure"].startswith("rs.")}
    # RS's yearly actual under both readings: cumulative (the KPI at the year's end) and the end-year cohort.
    assert {
        k[1]: (f["published"], [(r["numerator"], r["denominator"], r["computed"]) for r in f["readings"]], f["matched"])
        for k, f in rs.items()
        if k[0] == "rs.short_term.actual"
    } == {
        2022: ("100%", [(1, 1, "100%"), (1, 1, "100%")], ["cumulative", "cohort"]),
        2023: ("83%", [(11, 13, "85%"), (10, 12, "83%")], ["cohort"]),  # 83% is FY2023's cohort, 10/12
        2024: ("72%", [(25, 33, "76%"), (14, 20, "70%")], []),
    }
    assert [rs[("rs.short_term.actual", y)]["agree"] for y in (2022, 2023, 2024)] == [True, True, False]
    assert (rs[("rs.short_term.actual", 2023)]["computed"], rs[("rs.short_term.actual", 2023)]["computed_exact"]) == (
        "83%",
        10 / 12,  # the reading that agrees, exact
    )
    assert rs[("rs.short_term.actual", 2024)]["computed_exact"] == 25 / 33  # none agrees: the cumulative, exact
    assert rs[("rs.short_term.target", 2029)]["agree"] and rs[("rs.long_term.target", 2032)]["agree"]
    assert (rs[("rs.long_term.target_year", 2032)]["computed"], rs[("rs.long_term.target_year", 2032)]["agree"]) == (
        "2030",
        False,
    )
    assert [(y, rs[("rs.appropriation", y)]["agree"]) for y in range(2021, 2026)] == [
        (2021, True),
        (2022, True),
        (2023, True),
        (2024, True),
        (2025, False),
    ]
    assert "315,356,459,250 yen" in rs[("rs.appropriation", 2025)]["note"]


def test_export_writes_the_rs_tables(rs_store: Path, kpi, tmp_path: Path) -> None:
    assert kpi("export", "--db", str(rs_store), "--as-of", "2025", "--out", str(tmp_path)).returncode == 0
    text = (tmp_path / "rs_appropriations.csv").read_text(encoding="utf-8-sig")
    assert "2025,令和7年度,161700000000,153656459250,0,0,315356459250,,,,2025" in text
    indicators = (tmp_path / "rs_indicators.csv").read_text(encoding="utf-8-sig")
    assert ",○,2029,80,," in indicators
    assert ",アウトカム,短期," in indicators and ",アウトカム,長期," in indicators and ",outcome," not in indicators


@pytest.mark.slow  # (3 s of CPU; test_reconcile_with_rs keeps RS in the default run)
def test_reconcile_names_the_reading_of_a_yearly_rs_actual_in_every_format(rs_store: Path, kpi, kpi_en) -> None:
    """The RS file's FY2023 actual (83%) is the FY2023 end-year cohort (10/12), not the cumulative KPI (11/13)."""
    ja = kpi("reconcile", "--db", str(rs_store))
    assert ja.returncode == 1  # other figures still differ (FY2024's actual among them)
    row = next(line for line in ja.stdout.splitlines() if line.startswith("RS 短期目標 実績") and " 2023 " in line)
    assert re.search(r"83%\s+累計 85% / 年度終了分 83%\s+一致（年度終了分）", row), row
    assert re.search(r"2022\s+100%\s+累計 100% / 年度終了分 100%\s+一致（累計・年度終了分とも）", ja.stdout)
    assert (
        "- RS 短期目標 実績（2024年度）: 公表 72%、計算 累計 76% / 年度終了分 70%: "
        "累計（2024年度末までに終了したテーマ）25/33、年度終了分（2024年度に終了したテーマ）14/20。"
    ) in ja.stdout
    assert "不一致（累計・年度終了分とも）" in ja.stdout and "- RS 短期目標 実績（2023年度）" not in ja.stdout
    markdown = kpi_en("reconcile", "--db", str(rs_store), "-f", "markdown").stdout
    assert re.search(r"\| 2023 \|\s+83% \| cumulative 85% / end-year cohort 83%\s+\| yes \(end-year cohort\)", markdown)
    assert "NO (neither reading)" in markdown
    cells = {
        (r[0], r[1]): r for r in csv.reader(io.StringIO(kpi("reconcile", "--db", str(rs_store), "-f", "csv").stdout))
    }
    assert cells[("RS 短期目標 実績", "2023")][2:5] == ["83%", "累計 85% / 年度終了分 83%", "一致（年度終了分）"]
    assert "年度終了分（2023年度に終了したテーマ）10/12" in cells[("RS 短期目標 実績", "2023")][6]
