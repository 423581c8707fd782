"""A theme list's reasons for 目標未達 and 中止: loaded by code with details, refused on any other theme or code,
counted by code in the report (every output), shown by name in the changes, and absent when the list gives none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kit import THEMES_HEADER, theme, themes_csv, write

HEADER = THEMES_HEADER + ",reason_code,理由の詳細"
ROWS = [
    theme("A1", status="目標達成") + ",,",
    theme("N1", status="目標未達") + ",技術的課題,感度が届かず",
    theme("N2", status="目標未達") + ",market,",
    theme("N3", status="目標未達") + ",,",
    theme("S1", end_fy="令和5年度", status="中止") + ",資金,",
    theme("L1", item=3, status="目標未達") + ",technical,",  # leading research: counted in no table
    theme("F1", start_fy=2027, end_fy=2028, status="目標未達") + ",technical,",  # not adopted by 2026: nowhere
]


def test_reasons_are_counted_by_code_in_the_report(kpi, db: Path, tmp_path: Path) -> None:
    listed = write(tmp_path / "themes_2026-03-31.csv", themes_csv(ROWS, HEADER))
    assert kpi("load", "--db", str(db), str(listed)).returncode == 0
    data = json.loads(kpi("report", "--db", str(db), "--as-of", "2026", "-f", "json").stdout)
    assert data["missed_reasons"] == {
        "technical": {"not_achieved": 1, "terminated": 0},
        "market": {"not_achieved": 1, "terminated": 0},
        "funding": {"not_achieved": 0, "terminated": 1},
        "strategy": {"not_achieved": 0, "terminated": 0},
        "other": {"not_achieved": 0, "terminated": 0},
        "unrecorded": {"not_achieved": 1, "terminated": 0},
    }
    text = kpi("report", "--db", str(db), "--as-of", "2026").stdout
    assert "目標未達・中止の理由（テーマ一覧）" in text
    assert [line.split() for line in text.splitlines() if line.startswith(("技術的課題", "未記入", "計 "))][:3] == [
        ["技術的課題", "1", "0"],
        ["未記入", "1", "0"],
        ["計", "3", "1"],
    ]


@pytest.mark.slow  # (2 s: an export and a second list)
def test_reasons_are_exported_and_their_changes_shown(kpi, db: Path, tmp_path: Path) -> None:
    listed = write(tmp_path / "themes_2026-03-31.csv", themes_csv(ROWS, HEADER))
    assert kpi("load", "--db", str(db), str(listed)).returncode == 0
    exported = tmp_path / "提出"
    assert kpi("export", "--db", str(db), "--as-of", "2026", "--out", str(exported)).returncode == 0
    lines = (exported / "themes.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].endswith(",結果/状況,理由コード,理由の詳細")
    assert next(line for line in lines if line.startswith("N1,")).endswith(",目標未達,技術的課題,感度が届かず")
    # A later list changes a reason: the changes name it by its word.
    later = [r.replace(",market,", ",その他,") for r in ROWS]
    assert (
        kpi(
            "load", "--db", str(db), str(write(tmp_path / "themes_2026-06-30.csv", themes_csv(later, HEADER)))
        ).returncode
        == 0
    )
    changes = json.loads(kpi("changes", "--db", str(db), "-f", "json").stdout)
    assert "理由コード    市場・需要  その他" in kpi("changes", "--db", str(db)).stdout
    assert [(e["theme_id"], e["field"], e["before"], e["after"]) for e in changes["field_changes"]] == [
        ("N2", "reason_code", "market", "other")
    ]


def test_a_reason_on_another_theme_or_an_unknown_code_is_refused(kpi, db: Path, tmp_path: Path) -> None:
    rows = [theme("A1", status="目標達成") + ",technical,", theme("N1", status="目標未達") + ",予算不足,"]
    listed = write(tmp_path / "themes_2026-03-31.csv", themes_csv(rows, HEADER))
    result = kpi("load", "--db", str(db), str(listed))
    assert result.returncode == 3
    lines = [" ".join(line.split()) for line in result.stderr.splitlines()]
    assert any(
        line.endswith("2 reason_code technical 理由は結果が目標未達・中止・採択取消のテーマにだけ書きます")
        for line in lines
    )
    assert any(
        line.endswith(
            "3 reason_code 予算不足 理由コード: 技術的課題、市場・需要、資金、事業戦略、その他（technical, market, funding, strategy, other）"
        )
        for line in lines
    )
    assert not db.exists() or "themes" not in kpi("loads", "--db", str(db)).stdout


def test_a_list_without_reasons_has_no_such_table(kpi, db: Path, tmp_path: Path) -> None:
    listed = write(tmp_path / "themes_2026-03-31.csv", themes_csv([theme("N1", status="目標未達")]))
    assert kpi("load", "--db", str(db), str(listed)).returncode == 0
    data = json.loads(kpi("report", "--db", str(db), "--as-of", "2026", "-f", "json").stdout)
    assert "missed_reasons" not in data
    assert "目標未達・中止の理由" not in kpi("report", "--db", str(db), "--as-of", "2026").stdout
