"""The working group's scores (評点法): means over the members who graded, points from the settings."""

from __future__ import annotations

from pathlib import Path

from faultkit import database_at
from kit import SAMPLE, theme, themes_csv

from kpi.db.connect import open_for_read
from kpi.figures.report import report as build
from kpi.present.catalogue import Lang, Words
from kpi.present.export import tables
from kpi.present.json_out import report_json
from kpi.present.report import report_text

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


def test_two_rounds_coexist_the_latest_is_shown_and_each_criterion_has_its_trend(load) -> None:
    text = (
        "評価項目,委員,評価,評価回\n"
        "意義,委員A,B,中間2026\n意義,委員B,A,中間2026\n道筋,委員A,A,中間2026\n"
        "意義,委員A,C,中間評価（2022年度）\n意義,委員X,B,中間評価（2022年度）\n体制,委員X,D,中間評価（2022年度）\n"
    )
    db = load({"programme.toml": PROGRAMME, "themes.csv": themes_csv([theme("T1")]), "evaluation.csv": text})
    ev = report(db)["evaluation"]
    assert ev["members"] == ["委員A", "委員B"]  # the latest round's
    assert [(c["criterion"], c["score"]) for c in ev["criteria"]] == [("意義", 2.5), ("道筋", 3.0)]
    assert (ev["round"], ev["rounds"]) == ("interim-2026", ["interim-2022", "interim-2026"])
    assert ev["trend"] == [
        {"criterion": "意義", "scores": [1.5, 2.5]},
        {"criterion": "道筋", "scores": [None, 3.0]},
        {"criterion": "体制", "scores": [0.0, None]},
    ]
    with open_for_read(db, wait=5) as con:
        built = build(con, 2025)
    text = report_text(built, Words(Lang.en))
    trend = text[text.index("■ Score trend by evaluation round") :].splitlines()
    assert trend[1].split() == ["criterion", "interim", "evaluation", "(FY2022)", "interim", "evaluation", "(FY2026)"]
    assert [line.split() for line in trend[3:6]] == [["意義", "1.5", "2.5"], ["道筋", "—", "3.0"], ["体制", "0.0", "—"]]
    assert "The table above is the latest round: interim evaluation (FY2026)." in text
    sheets = {t.name: t for t in tables(built, [], Words(Lang.en))}
    assert sheets["evaluation_trend"].rows == [["意義", 1.5, 2.5], ["道筋", None, 3.0], ["体制", 0.0, None]]


def test_one_round_shows_no_trend(sample_store: Path) -> None:
    ev = report(sample_store)["evaluation"]
    assert "rounds" not in ev and "trend" not in ev


def test_an_older_database_keeps_its_grades_as_the_unnamed_round(tmp_path: Path) -> None:
    import duckdb

    from kpi.db import schema
    from kpi.db.connect import open_for_write

    path = tmp_path / "old.duckdb"
    con = database_at(path, "recommendations_versions")
    con.execute("INSERT INTO evaluation_versions VALUES ('意義', '委員A', 'A', 0, 1, NULL)")
    con.close()
    with open_for_write(path, wait=1):
        pass
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT round, criterion, member, grade FROM evaluation").fetchall() == [
        ("", "意義", "委員A", "A")
    ]
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(schema.SCHEMA_VERSION),
    )
    con.close()
