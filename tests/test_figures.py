"""The evaluation's other figures: outputs and grants, stage-gate decisions, working-group scores."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import SAMPLE, theme, themes_csv, write

from kpi import metrics, store

PROGRAMME = (SAMPLE / "programme.toml").read_text(encoding="utf-8")


def report(db: Path, as_of: int = 2025) -> dict:
    with store.open_for_read(db, wait=5) as con:
        return metrics.report(con, as_of)


def test_outputs_totals_and_grant_rate(sample_store: Path) -> None:
    o = report(sample_store)["outputs"]
    assert o["total"] == {
        "papers": 195,
        "presentations": 1056,
        "patents_domestic": 277,
        "patents_foreign": 597,
        "patents_pct": 363,
    }
    assert [y["fy"] for y in o["years"]] == [2020, 2021, 2022, 2023, 2024, 2025]
    g = o["grants"]
    assert (g["as_of_date"], g["granted_domestic"], g["granted_foreign"]) == ("2026-05-01", 43, 119)
    assert g["rate_domestic"] == pytest.approx(43 / 277) and g["rate_foreign"] == pytest.approx(119 / 597)
    assert [y["fy"] for y in report(sample_store, 2022)["outputs"]["years"]] == [2020, 2021, 2022]


def test_outputs_in_the_report_and_its_json_key(kpi, sample_store: Path) -> None:
    text = kpi("report", "--db", str(sample_store), "--as-of", "2025").stdout
    assert "計      195       1,056   277             597             363" in text
    assert "国内 43件 / 出願 277件 = 15.5%" in text and "国外 119件 / 出願 597件 = 19.9%" in text
    data = json.loads(kpi("report", "--db", str(sample_store), "--as-of", "2025", "-f", "json").stdout)
    assert set(data["outputs"]) == {"years", "total", "grants"}
    assert set(data) >= {"stage_gate", "evaluation"}


def test_working_group_scores_equal_the_printed_ones(sample_store: Path) -> None:
    ev = report(sample_store)["evaluation"]
    assert ev["members"] == ["委員A", "委員B", "委員C", "委員D", "委員E"]
    assert [round(c["score"], 1) for c in ev["criteria"]] == [2.8, 2.4, 2.8, 2.6, 2.4, 2.6, 2.8, 2.6]
    assert ev["criteria"][0]["criterion"] == "1.(1) 本事業の位置づけ・意義"


def test_a_missing_grade_is_missing_not_d(load) -> None:
    text = "評価項目,委員,評価\n意義,委員A,A\n意義,委員B,\n意義,委員C,B\n道筋,委員A,D\n"
    db = load({"programme.toml": PROGRAMME, "themes.csv": themes_csv([theme("T1")]), "evaluation.csv": text})
    criteria = report(db)["evaluation"]["criteria"]
    assert criteria[0]["grades"] == {"委員A": "A", "委員B": None, "委員C": "B"}
    assert (criteria[0]["score"], criteria[0]["graded_by"]) == (2.5, 2)
    assert criteria[1]["score"] == 0.0


def test_grade_points_are_configurable(load) -> None:
    settings = PROGRAMME.replace('grade_points = "A=3, B=2, C=1, D=0"', 'grade_points = "A=4, B=3, C=2, D=1"')
    db = load(
        {
            "programme.toml": settings,
            "themes.csv": themes_csv([theme("T1")]),
            "evaluation.csv": "評価項目,委員,評価\n意義,委員A,A\n意義,委員B,B\n",
        }
    )
    assert report(db)["evaluation"]["criteria"][0]["score"] == 3.5


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


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("outputs.csv", "年度,論文数,発表,国内特許出願,国外特許出願,PCT出願\n2020,1,2,3,4,-5\n", "whole number"),
        (
            "outputs.csv",
            "年度,論文数,発表,国内特許出願,国外特許出願,PCT出願\n2020,1,2,3,4,5\n2020,1,2,3,4,5\n",
            "one row per fiscal year",
        ),
        ("grants.csv", "時点,国内特許権利化,国外特許権利化\n2026年13月,1,2\n", "a date such as"),
        ("stagegate.csv", "theme_id,review_fy,reviewer,score\nT1,2024,a,101\n", "score between 0 and 100"),
        ("stagegate.csv", "theme_id,review_fy,reviewer,score\nT9,2024,a,50\n", "unknown theme"),
        ("evaluation.csv", "評価項目,委員,評価\n意義,委員A,S\n", "grade A, B, C or D"),
        ("published.csv", "figure,as_of_fy,value,source\nsomething.else,2025,1,p\n", "a figure kpi computes"),
    ],
)
def test_rules_of_the_new_kinds(
    name: str, content: str, fragment: str, kpi, sample_store: Path, tmp_path: Path
) -> None:
    write(tmp_path / "themes.csv", themes_csv([theme("T1")]))
    result = kpi("load", "--db", str(sample_store), str(tmp_path / "themes.csv"), str(write(tmp_path / name, content)))
    assert result.returncode == 3 and fragment in result.stderr and "Traceback" not in result.stderr
