"""`kpi followups sheets` (kpi.cli.commands.followups): a round of a year to come is refused before anything is
written; a round whose answer deadline has passed on the day of sending is written, and said to be overdue at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from faultkit import rows
from kit import THEMES_HEADER

from kpi.errors import ExitCode
from kpi.fiscal import current_fy, today_in

CURRENT = current_fy()  # today in the programme's calendar (Japan's: no programme setting says otherwise)
PAST = CURRENT - 2  # its round: T2, ended the year before it


@pytest.fixture
def store(load) -> Path:
    """T1 ended last year (its surveys: this year, then 2, 4 and 6 years on); T2 three years ago."""
    return load(
        {
            "themes.csv": "\n".join(
                [
                    THEMES_HEADER,
                    f"T1,1,委託,a1,A社、B社,テーマ1,,{CURRENT - 1},目標達成",
                    f"T2,1,委託,a1,C社,テーマ2,,{PAST - 1},目標達成",
                    "",
                ]
            )
        }
    )


def test_a_round_of_a_year_to_come_is_refused_and_nothing_is_written(store: Path, tmp_path: Path, kpi, kpi_en) -> None:
    """kpi#36: `--as-of` a later year wrote its workbooks and recorded a round whose answers were then refused."""
    out = tmp_path / "sheets"
    refused = kpi("followups", "sheets", "--db", str(store), "--as-of", str(CURRENT + 1), "--out", str(out))
    assert refused.returncode == ExitCode.USAGE == 2
    assert f"{CURRENT + 1}年度はまだ来ていません（今年度は{CURRENT}年度）" in refused.stderr
    assert "何も書き出していません" in refused.stderr
    # A year with nothing due is refused the same, in English too.
    later = kpi_en("followups", "sheets", "--db", str(store), "--as-of", str(CURRENT + 10), "--out", str(out))
    assert later.returncode == 2
    assert f"FY{CURRENT + 10} is in the future (the current fiscal year is FY{CURRENT})" in later.stderr
    assert not out.exists()
    assert rows(store, "SELECT count(*) FROM loads WHERE kind = 'followup_sent'") == [(0,)]


def test_a_round_sent_after_its_deadline_is_written_and_said_overdue_at_once(store: Path, tmp_path: Path, kpi) -> None:
    out = tmp_path / "sheets"
    sent = kpi("followups", "sheets", "--db", str(store), "--as-of", str(PAST), "--out", str(out))
    assert sent.returncode == 0, sent.stderr
    assert [p.name for p in out.iterdir()] == [f"追跡調査_FY{PAST}_C社.xlsx"]
    assert rows(store, "SELECT survey_fy, theme_id, organisation FROM followup_sent") == [(PAST, "T2", "C社")]
    late = [line for line in sent.stderr.splitlines() if "期限超過" in line]
    assert late == [
        f"{PAST}年度の回答期限 {PAST + 1}-01-31 は送付日 {today_in()} より前です。"
        "送付した調査票 1件はすべて送付したときから期限超過です。"
    ]
    now = kpi("followups", "sheets", "--db", str(store), "--out", str(tmp_path / "now"))  # this year's round
    assert now.returncode == 0, now.stderr
    assert ("期限超過" in now.stderr) == (today_in().isoformat() > f"{CURRENT + 1}-01-31")
