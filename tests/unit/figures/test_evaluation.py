"""The working group's scores (評点法): means over the members who graded, points from the settings."""

from __future__ import annotations

from pathlib import Path

from kit import SAMPLE, theme, themes_csv

from kpi.db.connect import open_for_read
from kpi.figures.report import report as build
from kpi.present.json_out import report_json

PROGRAMME = (SAMPLE / "programme.toml").read_text(encoding="utf-8")


def report(db: Path, as_of: int = 2025) -> dict:
    """The report as its JSON contract."""
    with open_for_read(db, wait=5) as con:
        return report_json(build(con, as_of))


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
