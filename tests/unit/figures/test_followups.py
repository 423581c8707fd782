"""`kpi followups due`: exactly the themes whose measuring survey is due or overdue, the survey sheet, and the
filled sheet loaded back moving the long-term matured figure."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from kit import write
from programmes import LISTS, load_lists

SURVEYS = "theme_id,survey_fy,stage\nA1,2024,開発\nA2,2026,研究\nD1,2024,上市\n"


def due(kpi, db: Path, fy: int) -> list[tuple[str, int, int, bool]]:
    data = json.loads(kpi("followups", "due", "--db", str(db), "--fy", str(fy), "--format", "json").stdout)
    assert all(set(d) == {"theme_id", "organizations", "title", "end_fy", "due_fy", "overdue"} for d in data)
    return [(d["theme_id"], d["end_fy"], d["due_fy"], d["overdue"]) for d in data]


def test_due_lists_exactly_the_due_and_the_overdue(kpi, db: Path, tmp_path: Path) -> None:
    load_lists(kpi, db, tmp_path / "in", list(LISTS))
    assert kpi("load", "--db", str(db), str(write(tmp_path / "followups.csv", SURVEYS))).returncode == 0
    # A1 ended 2022: its survey of FY2024 came before its due year 2025, so it is still due, and overdue.
    # E1 ended 2023: due in FY2026. A2 was surveyed in 2026; D1 is already on the market (上市); L9 is leading
    # research; W1 (2024) and later themes are not due yet; N1's adoption was cancelled.
    assert due(kpi, db, 2026) == [("A1", 2022, 2025, True), ("E1", 2023, 2026, False)]
    assert due(kpi, db, 2025) == [("A1", 2022, 2025, False)]
    assert due(kpi, db, 2027) == [("A1", 2022, 2025, True), ("E1", 2023, 2026, True), ("W1", 2024, 2027, False)]


def test_the_filled_survey_sheet_loads_back_and_moves_the_matured_figure(kpi, db: Path, tmp_path: Path) -> None:
    load_lists(kpi, db, tmp_path / "in", list(LISTS))
    assert kpi("load", "--db", str(db), str(write(tmp_path / "followups.csv", SURVEYS))).returncode == 0

    def matured() -> tuple[int, int]:
        lt = json.loads(kpi("report", "--db", str(db), "--as-of", "2026", "-f", "json").stdout)["long_term"]
        return lt["matured_commercialised"], lt["matured"]

    # A1, A2, D1, E1 are 3 years past their end; D1 is on the market, A2 was surveyed in its measuring year (2026);
    # A1 (surveyed before its measuring year) and E1 (not surveyed) await their survey: not in the denominator
    assert matured() == (1, 2)
    sheet = tmp_path / "followups_2026.csv"
    result = kpi("followups", "due", "--db", str(db), "--fy", "2026", "--format", "csv", "--out", str(sheet))
    assert result.returncode == 0, result.stderr
    data = sheet.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == data.count(b"\n") == 3
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["テーマID", "調査年度", "段階", "機関名", "開発テーマ名", "終了年度", "調査予定年度", "期限超過"]
    assert [r[:3] for r in rows[1:]] == [["A1", "2026", ""], ["E1", "2026", ""]]
    # The company of E1 answers 製品化; A1 has not answered yet.
    rows[2][2] = "製品化"
    filled = io.StringIO()
    csv.writer(filled, lineterminator="\r\n").writerows(rows)
    sheet.write_bytes(b"\xef\xbb\xbf" + filled.getvalue().encode("utf-8"))
    loaded = kpi("load", "--db", str(db), str(sheet))
    assert loaded.returncode == 0, loaded.stderr
    assert "段階が空欄の行 1件は未回答として読み込んでいません" in loaded.stderr
    assert matured() == (2, 3)  # exactly one more theme in practical use, and in the denominator
    assert due(kpi, db, 2026) == [("A1", 2022, 2025, True)]


def test_a_filled_row_is_checked_like_any_survey(kpi, kpi_en, db: Path, tmp_path: Path) -> None:
    load_lists(kpi, db, tmp_path / "in", list(LISTS))
    sheet = tmp_path / "followups_2026.csv"
    assert (
        kpi("followups", "due", "--db", str(db), "--fy", "2026", "--format", "csv", "--out", str(sheet)).returncode == 0
    )
    text = sheet.read_text(encoding="utf-8-sig")
    bad = text.replace("A1,2026,,", "A1,2026,完売,").replace("E1,2026,,", "E1,2021,研究,")
    write(sheet, bad, "utf-8-sig")
    result = kpi_en("load", "--db", str(db), str(sheet))
    assert result.returncode == 3
    assert "stage: 研究, 開発, 製品化, 上市, 中止 or 中断" in result.stderr
    assert "the survey year is before the theme ended (FY2023)" in result.stderr
    lines = [line for line in result.stderr.splitlines() if "followups_2026.csv" in line]
    assert [line.split()[1] for line in lines] == ["2", "5"]  # each refused row named by its line (A1, E1)
