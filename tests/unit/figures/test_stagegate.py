"""Stage-gate decisions: exact boundaries, the latest review, and `kpi stagegate`."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from kit import SAMPLE, theme, themes_csv, write

from kpi.db.connect import open_for_read
from kpi.figures.report import report as build
from kpi.present.json_out import report_json

PROGRAMME = (SAMPLE / "programme.toml").read_text(encoding="utf-8")


def report(db: Path, as_of: int = 2025) -> dict:
    """The report as its JSON contract."""
    with open_for_read(db, wait=5) as con:
        return report_json(build(con, as_of))


@pytest.mark.parametrize(
    ("scores", "decision"),
    [
        (["60", "60", "60"], "continue"),
        (["70", "50"], "continue"),  # mean exactly 60
        (["59.99", "60"], "consider"),
        (["40", "40"], "consider"),  # exactly 40
        (["39.9"], "terminate"),
        (["45", "34.8"], "terminate"),  # mean 39.9
        (["100", "0", "20"], "consider"),  # mean exactly 40, from thirds
        (["100", "0", "19.99"], "terminate"),
    ],
)
def test_stage_gate_boundaries_are_exact(scores: list[str], decision: str, load) -> None:
    rows = "".join(f"T1,2024,委員{i},{s}\n" for i, s in enumerate(scores))
    db = load(
        {
            "themes.csv": themes_csv([theme("T1"), theme("T2")]),
            "stagegate.csv": "theme_id,review_fy,reviewer,score\n" + rows,
        }
    )
    sg = report(db)["stage_gate"]
    assert [r["decision"] for r in sg["reviewed"]] == [decision]
    assert sg["reviewed"][0]["mean"] == pytest.approx(float(sum(map(Fraction, scores)) / len(scores)))
    assert [r["theme_id"] for r in sg["not_reviewed"]] == ["T2"]


def test_stage_gate_uses_the_latest_review_up_to_as_of(load) -> None:
    text = "テーマID,審査年度,審査委員,点数\nT1,2023,甲,30\nT1,2025,甲,80\nT1,2025,乙,70\n"
    db = load({"themes.csv": themes_csv([theme("T1")]), "stagegate.csv": text})
    assert [(r["review_fy"], r["decision"]) for r in report(db, 2024)["stage_gate"]["reviewed"]] == [
        (2023, "terminate")
    ]
    assert [(r["review_fy"], r["mean"], r["decision"]) for r in report(db, 2025)["stage_gate"]["reviewed"]] == [
        (2025, 75.0, "continue")
    ]


def test_kpi_stagegate_command(kpi, tmp_path: Path, db: Path) -> None:
    write(tmp_path / "themes.csv", themes_csv([theme("T1"), theme("T2")]))
    write(tmp_path / "stagegate.csv", "theme_id,review_fy,reviewer,score\nT1,2024,a,40\nT1,2024,b,40\n")
    assert kpi("load", "--db", str(db), str(tmp_path)).returncode == 0
    out = kpi("stagegate", "--db", str(db), "--as-of", "2025").stdout
    assert "T1" in out and "40.00" in out and "特記事項を踏まえて継続可否を検討" in out and "審査記録なし" in out
    data = json.loads(kpi("stagegate", "--db", str(db), "--as-of", "2025", "-f", "json").stdout)
    assert data["reviewed"][0]["decision"] == "consider" and data["not_reviewed"][0]["theme_id"] == "T2"
