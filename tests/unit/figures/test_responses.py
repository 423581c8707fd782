"""Who has answered the surveys sent (kpi.figures.responses), on crafted rounds: partial answers, a late answer, a
re-sent sheet, a whole-theme answer, an answer of another round; the rates by hand; `kpi followups status`,
`kpi followups remind` and `kpi check --max-overdue-days` on them, in both languages."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from fractions import Fraction
from pathlib import Path

import duckdb
import pytest
from kit import THEMES_HEADER, themes_csv

from kpi.db.sent import SentRow, record_sent
from kpi.errors import ExitCode
from kpi.figures.responses import late, responses

PROGRAMME = """name = "試験事業"
project_id = 1
short_term_target = "0%"
long_term_target = "0%"
followup_horizon_years = 3
long_term_judged_from_fy = 2030
"""
THEMES = themes_csv(
    [
        "T1,1,委託,a1,A社、B社,テーマ1,2021,2023,目標達成",
        "T2,1,委託,a1,C社,テーマ2,2021,2023,目標達成",
        "T3,1,委託,a1,D社,テーマ3,2021,2023,目標達成",
        "T4,1,委託,a1,E社,テーマ4,2021,2024,目標達成",
    ],
    THEMES_HEADER,
)
DEADLINE_2024, DEADLINE_2025 = dt.date(2025, 1, 31), dt.date(2026, 1, 31)
SENT_ON = dt.date(2024, 11, 1)


def _sent(fy: int, theme: str, organisation: str, deadline: dt.date) -> SentRow:
    return SentRow(fy, theme, organisation, fy - 2023, "immediate", SENT_ON, deadline)


# The FY2024 round: both organisations of T1, C社 of T2, D社 of T3. The FY2025 round: T1's A社 and T4's E社.
ROUND_2024 = [_sent(2024, t, o, DEADLINE_2024) for t, o in (("T1", "A社"), ("T1", "B社"), ("T2", "C社"), ("T3", "D社"))]
ROUND_2025 = [_sent(2025, "T1", "A社", DEADLINE_2025), _sent(2025, "T4", "E社", DEADLINE_2025)]
# A whole-theme answer of T3 (organisation blank, loaded before the round was recorded as sent), C社's answer of
# the FY2025 survey (another round than the one it was sent), and A社's answers.
EARLY = "theme_id,survey_fy,stage,organisation\nT3,2024,研究,\nT2,2025,開発,C社\n"
ANSWERS = "theme_id,survey_fy,stage,organisation\nT1,2024,開発,A社\nT1,2025,製品化,A社\n"


def _store(tmp_path: Path, load, answered: bool = True) -> Path:
    db = load({"programme.toml": PROGRAMME, "themes.csv": THEMES, "followups.csv": EARLY})
    con = duckdb.connect(str(db))
    try:
        record_sent(con, tmp_path / "FY2024", ROUND_2024)
        record_sent(con, tmp_path / "FY2025", ROUND_2025)
        # C社's sheet sent again with a later deadline: the new row supersedes the first.
        record_sent(con, tmp_path / "again", [_sent(2024, "T2", "C社", dt.date(2025, 3, 15))])
    finally:
        con.close()
    return load({"followups_answers.csv": ANSWERS}, db) if answered else db


def _responses(db: Path, fy: int, day: dt.date):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return responses(con, fy, day)
    finally:
        con.close()


def test_answered_per_organisation_or_for_the_theme_as_a_whole(tmp_path: Path, load) -> None:
    r = _responses(_store(tmp_path, load), 2025, dt.date(2025, 6, 1))
    answered = {(s.survey_fy, s.theme_id, s.organisation): s.answered for s in r.sendings}
    assert answered == {
        (2024, "T1", "A社"): True,
        (2024, "T1", "B社"): False,  # partial: A社 answered for T1, B社 did not
        (2024, "T2", "C社"): False,  # its answer is of FY2025, a year it was not sent
        (2024, "T3", "D社"): True,  # the theme's answer as a whole
        (2025, "T1", "A社"): True,
        (2025, "T4", "E社"): False,
    }
    assert len(r.sendings) == 6  # the re-sent sheet is one sending, with its new deadline
    [c] = [s for s in r.sendings if s.organisation == "C社"]
    assert c.deadline == dt.date(2025, 3, 15)
    # The rates by hand: FY2024 2/4, FY2025 1/2, every round 3/6.
    assert [(g.survey_fy, g.rate.answered, g.rate.sent) for g in r.rounds] == [(2024, 2, 4), (2025, 1, 2)]
    assert r.overall.fraction == Fraction(1, 2) and r.latest is not None and r.latest.survey_fy == 2025
    t1 = {(g.survey_fy, g.organisation): g.rate for g in r.organisations}
    assert t1[(2024, "A社")].fraction == 1 and t1[(2024, "B社")].fraction == 0


def test_a_sending_whose_theme_is_cancelled_leaves_every_count(tmp_path: Path, load) -> None:
    """T4 (E社, unanswered, FY2025's round) is cancelled by a later list: its sending leaves the rates and the overdue."""
    db = _store(tmp_path, load)
    cancelled = THEMES.replace(
        "T4,1,委託,a1,E社,テーマ4,2021,2024,目標達成", "T4,1,委託,a1,E社,テーマ4,2021,2024,採択取消"
    )
    load({"themes.csv": cancelled}, db)  # a correction of the list of the day
    r = _responses(db, 2025, dt.date(2026, 6, 1))
    assert [(g.survey_fy, g.rate.answered, g.rate.sent) for g in r.rounds] == [(2024, 2, 4), (2025, 1, 1)]
    assert "E社" not in {s.organisation for s in r.overdue}


def test_overdue_since_the_day_after_the_deadline_and_a_late_answer_ends_it(tmp_path: Path, load) -> None:
    db = _store(tmp_path, load, answered=False)
    on_deadline = _responses(db, 2024, DEADLINE_2024)
    assert [s.organisation for s in on_deadline.overdue] == []  # not yet: the deadline day itself
    r = _responses(db, 2024, dt.date(2025, 2, 10))
    assert [(s.organisation, s.days_overdue(r.as_of)) for s in r.overdue] == [("A社", 10), ("B社", 10)]
    [round_2024] = r.rounds  # (only the rounds up to FY2024)
    assert (round_2024.days_overdue, r.since(round_2024)) == (10, dt.date(2025, 2, 1))
    assert late(r, 9).sendings and not late(r, 10).sendings  # more than N days
    load({"followups_answers.csv": ANSWERS}, db)  # A社 answers late, after its deadline
    after = _responses(db, 2024, dt.date(2025, 2, 10))
    assert [s.organisation for s in after.overdue] == ["B社"]
    assert [s.organisation for s in _responses(db, 2024, dt.date(2025, 3, 20)).overdue] == ["B社", "C社"]


def test_status_in_every_format(tmp_path: Path, load, kpi, kpi_en) -> None:
    db = str(_store(tmp_path, load))
    data = json.loads(kpi("followups", "status", "--db", db, "--as-of", "2025", "-f", "json").stdout)
    assert data["response_rate"] == {"numerator": 3, "denominator": 6, "ratio": 0.5}
    assert [(g["survey_fy"], g["sent"], g["answered"]) for g in data["rounds"]] == [(2024, 4, 2), (2025, 2, 1)]
    b = next(g for g in data["organisations"] if g["organisation"] == "B社")
    assert (b["deadline"], b["overdue_since"], b["days_overdue"]) == ("2025-01-31", "2025-02-01", 424)
    assert data["as_of"] == "2026-03-31"  # a fiscal year that has ended: as of its last day
    text = kpi("followups", "status", "--db", db, "--as-of", "2025").stdout
    assert "送付 6 件、回答 3 件、回答率 50.0%" in text and "■ 調査年度 × 回答機関ごとの回答状況" in text
    english = kpi_en("followups", "status", "--db", db, "--as-of", "2025", "-f", "markdown").stdout
    assert english.startswith("# Follow-up survey answers") and "|   survey_fy |" in english
    out = tmp_path / "status.csv"
    assert kpi("followups", "status", "--db", db, "--as-of", "2025", "--out", str(out)).returncode == 0
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and rows[0][:3] == ["調査年度", "送付", "回答"]
    assert ["2024", "4", "2", "2", "2025-01-31", "2025-02-01", "424", "50.0%"] in rows


def test_reminders_per_organisation_in_markdown_and_csv(tmp_path: Path, load, kpi, kpi_en) -> None:
    db = str(_store(tmp_path, load))
    mail = kpi("followups", "remind", "--db", db, "--as-of", "2025").stdout
    assert [line for line in mail.splitlines() if line.startswith("#")] == [
        "# 追跡調査のご回答のお願い（2026-03-31 時点の未回答）",
        "## B社",
        "## C社",
        "## E社",
    ]
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in mail.splitlines() if line.startswith("| T")]
    assert ["T2", "テーマ2", "2024", "2025-03-15", "381"] in cells and len(cells) == 3
    out = tmp_path / "督促.csv"
    assert kpi_en("followups", "remind", "--db", db, "--as-of", "2025", "--out", str(out)).returncode == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["organisation", "theme_id", "title", "survey_fy", "deadline", "days_overdue"]
    assert rows[1:] == [
        ["B社", "T1", "テーマ1", "2024", "2025-01-31", "424"],
        ["C社", "T2", "テーマ2", "2024", "2025-03-15", "381"],
        ["E社", "T4", "テーマ4", "2025", "2026-01-31", "59"],
    ]


def test_check_exits_4_when_answers_are_overdue_longer_than_allowed(tmp_path: Path, load, kpi, kpi_en) -> None:
    db = str(_store(tmp_path, load))
    plain = kpi("check", "--db", db, "--as-of", "2025")
    assert plain.returncode == 0 and "追跡調査" not in plain.stdout  # without the option: as before
    over = kpi("check", "--db", db, "--as-of", "2025", "--max-overdue-days", "60")
    assert over.returncode == ExitCode.OVERDUE == 4
    assert "未回答の追跡調査が 2 件" in over.stdout and "T1 B社" in over.stdout and "424 日超過" in over.stdout
    assert kpi("check", "--db", db, "--as-of", "2025", "--max-overdue-days", "424").returncode == 0
    data = json.loads(kpi_en("check", "--db", db, "--as-of", "2025", "--max-overdue-days", "60", "-f", "json").stdout)
    assert data["ok"] is False and data["overdue"]["count"] == 2
    assert data["overdue"]["surveys"][0] == {
        "survey_fy": 2024,
        "theme_id": "T1",
        "organisation": "B社",
        "deadline": "2025-01-31",
        "days_overdue": 424,
    }
    said = kpi_en("check", "--db", db, "--as-of", "2025", "--max-overdue-days", "60").stdout
    assert "exit code 4" in said and "2 follow-up surveys are unanswered more than 60 days" in said


def test_the_report_says_the_response_rate_beside_the_long_term_kpi(tmp_path: Path, load, kpi) -> None:
    db = str(_store(tmp_path, load))
    text = kpi("report", "--db", db, "--as-of", "2025").stdout
    assert "追跡調査の回答率: 2025年度の調査 1/2（50.0%）、送付した全回 3/6（50.0%）" in text
    long_term = json.loads(kpi("report", "--db", db, "--as-of", "2025", "-f", "json").stdout)["long_term"]
    assert long_term["response_rate"] == {"survey_fy": 2025, "numerator": 1, "denominator": 2, "ratio": 0.5}
    assert long_term["response_rate_all_rounds"]["denominator"] == 6
    before = json.loads(kpi("report", "--db", db, "--as-of", "2023", "-f", "json").stdout)["long_term"]
    assert "response_rate" not in before  # no round sent up to FY2023: the report is as it was


@pytest.mark.parametrize("fy", [2024, 2025])
def test_nothing_sent_says_so(tmp_path: Path, load, kpi, fy: int) -> None:
    db = str(load({"programme.toml": PROGRAMME, "themes.csv": THEMES}))
    assert "送付を記録した追跡調査はありません" in kpi("followups", "status", "--db", db, "--as-of", str(fy)).stdout
    assert "未回答はありません" in kpi("followups", "remind", "--db", db, "--as-of", str(fy)).stdout
