"""Every rule of the input contract, with the failure it reports (file, line, column, value, rule)."""

from __future__ import annotations

from pathlib import Path

import pytest
from kit import english, in_english, theme, themes_csv, write

from kpi.db.connect import open_for_write
from kpi.errors import Failure, InputRejected
from kpi.load import ingest

BUDGET = "fy,budget,executed\n"
FOLLOWUPS = "theme_id,survey_fy,stage\n"

CASES = [
    # (file name, content, line, column, value, rule fragment)
    ("themes.csv", themes_csv([theme("T1"), theme("T1")]), 3, "theme_id", "T1", "must be unique"),
    ("themes.csv", themes_csv([theme("", item=1)]), 2, "theme_id", None, "required"),
    ("themes.csv", themes_csv([theme("T1", item=4)]), 2, "item", "4", "research item 1, 2 or 3"),
    ("themes.csv", themes_csv([theme("T1").replace("委託", "寄付")]), 2, "funding", "寄付", "委託 or 助成"),
    ("themes.csv", themes_csv([theme("T1", element="A-1")]), 2, "element", "A-1", "a letter a–z"),
    ("themes.csv", themes_csv([theme("T1", element="11")]), 2, "element", "11", "a letter a–z"),
    ("themes.csv", themes_csv([theme("T1").replace("某社", "")]), 2, "organizations", None, "required"),
    ("themes.csv", themes_csv([theme("T1").replace("テーマT1", "")]), 2, "title", None, "required"),
    ("themes.csv", themes_csv([theme("T1", status="完了")]), 2, "status", "完了", "status: 目標達成"),
    ("themes.csv", themes_csv([theme("T1", end_fy="", status="目標達成")]), 2, "end_fy", None, "end year required"),
    ("themes.csv", themes_csv([theme("T1", end_fy="1999")]), 2, "end_fy", "1999", "within 2000–2100"),
    ("themes.csv", themes_csv([theme("T1", end_fy="令和x年度")]), 2, "end_fy", "令和x年度", "fiscal year such as"),
    ("themes.csv", themes_csv([theme("T1", end_fy="2023/4/1")]), 2, "end_fy", "2023/4/1", "fiscal year such as"),
    (
        "themes.csv",
        themes_csv([theme("T1", start_fy=2024, end_fy=2023)]),
        2,
        "start_fy",
        "2024",
        "start_fy must not be after end_fy",
    ),
    (
        "themes.csv",
        themes_csv([theme("T1", end_fy=2024, status="令和5年度終了 目標達成")]),
        2,
        "end_fy",
        "2024",
        "disagrees with the year in the status cell",
    ),
    (
        "themes.csv",
        themes_csv([theme("T1", end_fy="", status="令和百年度終了 目標達成")]),
        2,
        "status",
        "令和百年度終了 目標達成",
        "must be a fiscal year",
    ),
    ("budget.csv", BUDGET + "2023,100,50\n2023,200,10\n", 2, "fy", "2023", "one row per fiscal year"),
    ("budget.csv", BUDGET + "2023,-100,50\n", 2, "budget", "-100", "non-negative amount"),
    ("budget.csv", BUDGET + "2023,100億円,50\n", 2, "budget", "100億円", "no unit words"),
    ("budget.csv", BUDGET + "2023,1.2e3,50\n", 2, "budget", "1.2e3", "digits 0–9 only"),
    ("budget.csv", BUDGET + "2023,,50\n", 2, "budget", None, "required"),
    ("budget.csv", BUDGET + "2023,100,1,00\n", 2, "", None, "4 fields where the header has 3"),
    ("budget.csv", BUDGET + "2022,5,5\n2023,100\n", 3, "", None, "2 fields where the header has 3"),
    (
        "followups.csv",
        FOLLOWUPS + "T1,2026,販売\n",
        2,
        "stage",
        "販売",
        "stage: 研究, 開発, 製品化, 上市, 中止 or 中断",
    ),
    (
        "followups.csv",
        FOLLOWUPS + "T1,2026,上市\nT1,令和8年度,製品化\n",
        2,
        "",
        None,
        "one row per theme and survey year",
    ),
    ("followups.csv", FOLLOWUPS + "T9,2026,上市\n", 2, "theme_id", "T9", "unknown theme"),
    (
        "themes.csv",
        "theme_id,テーマID,item,funding,element,organizations,title,end_fy,status\n",
        1,
        "テーマID",
        "テーマID",
        "duplicate column",
    ),
    (
        "themes.csv",
        "theme_id,item,funding,element,title,end_fy,status\nT1,1,委託,a1,題,2023,目標達成\n",
        1,
        "organizations",
        None,
        "required column missing",
    ),
]


def failures_of(tmp_path: Path, files: dict[str, str]) -> list[Failure]:
    """The failures of a refused load, their rules in English."""
    paths = [write(tmp_path / name, text) for name, text in files.items()]
    with pytest.raises(InputRejected) as excinfo:
        batch = ingest.read_files(paths)
        with open_for_write(tmp_path / "v.duckdb", wait=1) as con:
            ingest.load_files(con, batch)
    failures = excinfo.value.failures or [Failure(str(paths[0]), None, "", None, english(excinfo.value))]
    return in_english(failures)


@pytest.mark.parametrize(("name", "content", "line", "column", "value", "rule"), CASES)
def test_each_rule_reports_file_line_column_value_and_rule(
    name, content, line, column, value, rule, tmp_path: Path
) -> None:
    failures = failures_of(tmp_path, {name: content})
    assert any(
        f.line == line and (not column or f.column == column) and (value is None or f.value == value) and rule in f.rule
        for f in failures
    ), failures
    assert all(f.file.endswith(name) or f.file == "" for f in failures)
    assert not (tmp_path / "v.duckdb").exists(), "a rejected first load leaves no database behind"


def test_every_failure_is_reported_not_just_the_first(tmp_path: Path) -> None:
    content = themes_csv([theme("T1", item=7), theme("T2", status="?"), theme("T3", end_fy="x"), theme("T3")])
    failures = failures_of(tmp_path, {"themes.csv": content})
    assert {(f.line, f.column) for f in failures} >= {(2, "item"), (3, "status"), (4, "end_fy"), (5, "theme_id")}


def test_a_bad_second_file_leaves_the_first_unloaded(tmp_path: Path, load) -> None:
    db = load({"themes.csv": themes_csv([theme("T1")])})
    files = {"themes_new.csv": themes_csv([theme("T2")]), "budget.csv": BUDGET + "2023,abc,1\n"}
    paths = [write(tmp_path / n, t) for n, t in files.items()]
    with pytest.raises(InputRejected):
        batch = ingest.read_files(paths)
        with open_for_write(db, wait=1) as con:
            ingest.load_files(con, batch)
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT theme_id FROM themes").fetchall() == [("T1",)]
    assert con.execute("SELECT count(*) FROM loads").fetchall() == [(1,)]
    con.close()


def test_the_same_key_in_two_files_of_one_load_is_refused(tmp_path: Path) -> None:
    failures = failures_of(
        tmp_path, {"themes_a.csv": themes_csv([theme("T1")]), "themes_b.csv": themes_csv([theme("T1", status="遅延")])}
    )
    assert any("also given by another file" in f.rule for f in failures)


def test_followups_may_refer_to_themes_of_the_same_command(tmp_path: Path, load) -> None:
    db = load({"themes.csv": themes_csv([theme("T1")]), "followups.csv": FOLLOWUPS + "T1,R7,製品化\n"})
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT theme_id, survey_fy, stage FROM followups").fetchall() == [("T1", 2025, "製品化")]
    con.close()


def test_lazyframe_trap_a_bad_value_really_fails(tmp_path: Path) -> None:
    """pandera skips value checks on a LazyFrame: this guards that we validate an eager frame."""
    failures = failures_of(tmp_path, {"budget.csv": BUDGET + "2023,-5,1\n"})
    assert [f.rule for f in failures if f.column == "budget"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("目標達成", "achieved"),
        ("目標未達", "not_achieved"),
        ("遅延", "delayed"),
        ("計画通り", "on_track"),
        ("遅延なし", "on_track"),
        ("achieved", "achieved"),
        ("Not Achieved", "not_achieved"),
        ("not_achieved", "not_achieved"),
        ("delayed", "delayed"),
        ("on track", "on_track"),
    ],
)
def test_status_spellings(status: str, expected: str, load) -> None:
    import duckdb

    db = load({"themes.csv": themes_csv([theme("T1", status=status)])})
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT status FROM themes").fetchall() == [(expected,)]
    con.close()


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("1", 1),
        ("①", 1),
        ("②", 2),
        ("③", 3),
        ("①ポスト5G情報通信システム開発(委託)", 1),
        ("先端半導体製造技術の開発", 2),
        ("先導研究", 3),
        ("ポスト5G情報通信システムの開発", 1),
        ("Leading research", 3),
    ],
)
def test_item_spellings(item: str, expected: int, load) -> None:
    import duckdb

    db = load({"themes.csv": themes_csv([theme("T1").replace(",1,", f",{item},", 1)])})
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT item FROM themes").fetchall() == [(expected,)]
    con.close()


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
    name: str, content: str, fragment: str, kpi_en, sample_store: Path, tmp_path: Path
) -> None:
    write(tmp_path / "themes.csv", themes_csv([theme("T1")]))
    result = kpi_en(
        "load", "--db", str(sample_store), str(tmp_path / "themes.csv"), str(write(tmp_path / name, content))
    )
    assert result.returncode == 3 and fragment in result.stderr and "Traceback" not in result.stderr
