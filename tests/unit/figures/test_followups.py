"""`kpi followups due`: exactly the theme × organisation pairs of the year's rounds and those whose measuring survey is
due or overdue, the kind of each survey, the survey sheet, and the filled sheet loaded back moving the long-term
matured figure."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from kit import write
from programmes import LISTS, load_lists

from kpi.figures.followups import Answer, kind_of
from kpi.present.catalogue import Lang
from kpi.present.followups import SHEET

SURVEYS = "theme_id,survey_fy,stage\nA1,2024,開発\nA2,2026,研究\nD1,2024,上市\n"


def due(kpi, db: Path, fy: int) -> list[tuple[str, int, str, bool]]:
    data = json.loads(kpi("followups", "due", "--db", str(db), "--fy", str(fy), "--format", "json").stdout)
    fields = {"theme_id", "organisation", "title", "end_fy", "years_after", "kind", "last", "deadline", "overdue"}
    assert all(set(d) == fields and d["deadline"] == f"{fy + 1}-01-31" for d in data)
    return [(d["theme_id"], d["years_after"], d["kind"], d["overdue"]) for d in data]


@pytest.mark.slow  # (1.3 s: the rounds of three years)
def test_due_lists_the_rounds_and_the_overdue(kpi, db: Path, tmp_path: Path) -> None:
    load_lists(kpi, db, tmp_path / "in", list(LISTS))
    assert kpi("load", "--db", str(db), str(write(tmp_path / "followups.csv", SURVEYS))).returncode == 0
    # Rounds 1, 2, 4, 6 (the default). A1 ended 2022: 4 years in FY2026, and its measuring survey (FY2025) is
    # overdue. E1 ended 2023 awaits its measuring survey (3 years: no round). W1 (2024) is in round 2; W2 and B1
    # (2025) in round 1, the immediate survey. A2 was surveyed in 2026, D1 is on the market (上市: 3 years, no
    # round); L9 is leading research; N1's adoption was cancelled; C1 has not ended.
    assert due(kpi, db, 2026) == [
        ("A1", 4, "simple", True),
        ("B1", 1, "immediate", False),
        ("E1", 3, "simple", False),
        ("W1", 2, "simple", False),
        ("W2", 1, "immediate", False),
    ]
    # FY2025: A1 in its measuring year (3: no round, not yet overdue); A2, D1 and E1 two years after their end, D1's
    # first answer (FY2024) 上市: the detailed survey; W1 a year after its end.
    assert due(kpi, db, 2025) == [
        ("A1", 3, "simple", False),
        ("A2", 2, "simple", False),
        ("D1", 2, "detailed", False),
        ("E1", 2, "simple", False),
        ("W1", 1, "immediate", False),
    ]
    # FY2027: D1 (4 years) last answered 上市 for the first time: the detailed survey.
    assert ("D1", 4, "detailed", False) in due(kpi, db, 2027)


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
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == data.count(b"\n") == 6
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == SHEET[Lang.ja]
    assert [r[:4] for r in rows[1:]] == [[t, "2026", "某社", ""] for t in ("A1", "B1", "E1", "W1", "W2")]
    # The company of E1 answers 製品化; the others have not answered yet.
    rows[3][3] = "製品化"
    filled = io.StringIO()
    csv.writer(filled, lineterminator="\r\n").writerows(rows)
    sheet.write_bytes(b"\xef\xbb\xbf" + filled.getvalue().encode("utf-8"))
    loaded = kpi("load", "--db", str(db), str(sheet))
    assert loaded.returncode == 0, loaded.stderr
    assert "段階が空欄の行 4件は未回答として読み込んでいません" in loaded.stderr
    assert matured() == (2, 3)  # exactly one more theme in practical use, and in the denominator
    assert [d[0] for d in due(kpi, db, 2026)] == ["A1", "B1", "W1", "W2"]  # E1 (3 years: no round) measured


def test_a_filled_row_is_checked_like_any_survey(kpi, kpi_en, db: Path, tmp_path: Path) -> None:
    load_lists(kpi, db, tmp_path / "in", list(LISTS))
    sheet = tmp_path / "followups_2026.csv"
    assert (
        kpi("followups", "due", "--db", str(db), "--fy", "2026", "--format", "csv", "--out", str(sheet)).returncode == 0
    )
    text = sheet.read_text(encoding="utf-8-sig")
    bad = text.replace("A1,2026,某社,,", "A1,2026,某社,完売,").replace("E1,2026,某社,,", "E1,2021,某社,研究,")
    write(sheet, bad, "utf-8-sig")
    result = kpi_en("load", "--db", str(db), str(sheet))
    assert result.returncode == 3
    assert "stage: 研究, 開発, 製品化, 上市, 中止 or 中断" in result.stderr
    assert "the survey year is before the theme ended (FY2023)" in result.stderr
    lines = [line for line in result.stderr.splitlines() if "followups_2026.csv" in line]
    assert [line.split()[1] for line in lines] == ["2", "6"]  # each refused row named by its line (A1, E1)


def test_the_kind_of_survey() -> None:
    rounds = (1, 2, 4, 6)

    def answers(*stages: str) -> list[Answer]:
        return [Answer(2020 + i, stage, None, None) for i, stage in enumerate(stages)]

    assert kind_of(1, rounds, []) == "immediate"
    assert kind_of(2, rounds, answers("開発")) == "simple"
    assert kind_of(2, rounds, answers("製品化")) == "detailed"  # a first answer that reached 製品化
    assert kind_of(4, rounds, answers("開発", "上市")) == "detailed"  # newly reached
    assert kind_of(4, rounds, answers("上市", "上市")) == "simple"  # as before: not new
    assert kind_of(6, rounds, answers("開発", "中断")) == "detailed"  # stopped
    assert kind_of(1, rounds, answers("研究", "中止")) == "detailed"
    assert kind_of(3, (3, 5), []) == "immediate"  # the first round the programme names


def test_several_organisations_answering_a_theme_change_no_count(kpi, db: Path, tmp_path: Path) -> None:
    from kit import SAMPLE, theme, themes_csv

    inbox = tmp_path / "in"
    inbox.mkdir()
    write(inbox / "programme.toml", (SAMPLE / "programme.toml").read_text(encoding="utf-8"))
    rows = [theme("X1", end_fy=2022).replace("某社", "甲社、乙社"), theme("Y1", end_fy=2022).replace("某社", "丙社")]
    write(inbox / "themes_2026-03-31.csv", themes_csv(rows))
    assert kpi("load", "--db", str(db), str(inbox)).returncode == 0
    assert [(d[0], d[1]) for d in due(kpi, db, 2026)] == [("X1", 4), ("X1", 4), ("Y1", 4)]  # 甲社 and 乙社 apart
    surveys = "theme_id,survey_fy,organisation,stage\n" + "\n".join(
        ["X1,2025,甲社,開発", "X1,2025,乙社,製品化", "Y1,2025,丙社,開発"]
    )
    assert kpi("load", "--db", str(db), str(write(tmp_path / "followups.csv", surveys + "\n"))).returncode == 0
    report = json.loads(kpi("check", "--db", str(db), "--as-of", "2025", "-f", "json").stdout)
    matured = next(k for k in report["kpis"] if k["name"] == "long_term_matured")
    # X1 is commercialised (乙社 reached 製品化), Y1 is not: 1 of 2, whatever the number of answers of a year.
    assert (matured["numerator"], matured["denominator"]) == (1, 2)
    explained = json.loads(kpi("explain", "long_term_matured", "--db", str(db), "--as-of", "2025", "-f", "json").stdout)
    assert [(t["theme_id"], t["answered"], t["organisations"]) for t in explained["themes"]] == [
        ("X1", 2, 2),
        ("Y1", 1, 1),
    ]
    # A year later only 甲社 answers for X1: 1 of its 2 organisations answered its latest survey (an answer for the
    # theme as a whole in an earlier year does not answer for the later one).
    whole = "theme_id,survey_fy,stage\nX1,2024,開発\n"
    assert kpi("load", "--db", str(db), str(write(tmp_path / "followups_whole.csv", whole))).returncode == 0
    later = "theme_id,survey_fy,organisation,stage\nX1,2026,甲社,上市\n"
    assert kpi("load", "--db", str(db), str(write(tmp_path / "followups_2026.csv", later))).returncode == 0
    explained = json.loads(kpi("explain", "long_term_matured", "--db", str(db), "--as-of", "2026", "-f", "json").stdout)
    assert [(t["theme_id"], t["answered"]) for t in explained["themes"]] == [("X1", 1), ("Y1", 1)]
