"""`kpi schedule` and `kpi schedule due` (kpi.cli.commands.schedule) on a small store, and the report's first line
when the settings declare the evaluation calendar."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kit import SAMPLE, theme, themes_csv

PROGRAMME = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
SCHEDULE = (
    "テーマ番号,事象,名称,予定年度,実績年度\n"
    "T1,開始,,2023,2023\nT1,ステージゲート,,2025,\nT1,マイルストーン,試作,2026,\nT1,終了,,2027,\n"
    "T2,開始,,2022,2022\nT2,終了,,2024,2024\n"
)


@pytest.fixture
def store(load) -> Path:
    themes = [theme("T1", end_fy=2027, status="計画通り"), theme("T2", end_fy=2024)]
    return load({"programme.toml": PROGRAMME, "themes.csv": themes_csv(themes), "schedule.csv": SCHEDULE})


def test_kpi_schedule_shows_each_plan_late_first_and_due_lists_the_overdue_first(store: Path, kpi, kpi_en) -> None:
    shown = kpi("schedule", "--db", str(store), "--as-of", "2026")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "2026年度末時点の各テーマのスケジュール（予定・実績）"
    assert "SG（予定）" in lines[1] and lines[3].startswith("T1") and lines[3].endswith("遅れ")
    assert lines[4].startswith("T2") and lines[4].endswith("完了")
    due = kpi_en("schedule", "due", "--db", str(store), "--as-of", "2026", "--format", "json")
    assert [(d["theme_id"], d["event"], d["name"], d["overdue"]) for d in json.loads(due.stdout)["due"]] == [
        ("T1", "stagegate", "", True),
        ("T1", "milestone", "試作", False),
    ]


@pytest.mark.slow
def test_the_reports_first_line_says_when_the_next_evaluation_is_when_the_calendar_is_declared(
    load, kpi, kpi_en, tmp_path: Path
) -> None:
    calendar = PROGRAMME + '\nperiod = "2020-2030"\nevaluations = ["中間2022", "中間2026", "終了時2030"]\n'
    db = load({"programme.toml": calendar, "themes.csv": themes_csv([theme("T1")])})
    first = kpi("report", "--db", str(db), "--as-of", "2027").stdout.splitlines()[0]
    assert first.endswith(" · 次の評価: 終了時評価（2030年度）、あと3年度"), first
    english = kpi_en("report", "--db", str(db), "--as-of", "2026", "--format", "csv").stdout.splitlines()[0]
    assert english.endswith('next evaluation: interim evaluation (FY2026), this year"'), english  # a CSV cell
    found = json.loads(kpi("report", "--db", str(db), "--as-of", "2031", "--format", "json").stdout)
    assert found["next_evaluation"] is None and found["programme"]["period"] == [2020, 2030]
    plain = load({"programme.toml": PROGRAMME, "themes.csv": themes_csv([theme("T1")])}, tmp_path / "plain.duckdb")
    assert "next_evaluation" not in json.loads(kpi("report", "--db", str(plain), "--format", "json").stdout)
    assert "次の評価" not in kpi("report", "--db", str(plain)).stdout
