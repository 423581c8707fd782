"""Every rule of the input contract, with the failure it reports (file, line, column, value, rule)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from kit import english, in_english, theme, themes_csv, write
from matrix import some_in_default

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


@pytest.mark.parametrize(("name", "content", "line", "column", "value", "rule"), some_in_default(CASES, 10))
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


STATUS_SPELLINGS = [
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
]


def test_status_spellings(load) -> None:
    """Every spelling in one list, a theme each: each is stored as its code."""
    import duckdb

    rows = [theme(f"T{i}", status=status) for i, (status, _) in enumerate(STATUS_SPELLINGS)]
    db = load({"themes.csv": themes_csv(rows)})
    con = duckdb.connect(str(db), read_only=True)
    stored = dict(con.execute("SELECT theme_id, status FROM themes").fetchall())
    con.close()
    assert stored == {f"T{i}": expected for i, (_, expected) in enumerate(STATUS_SPELLINGS)}


ITEM_SPELLINGS = [
    ("1", 1),
    ("①", 1),
    ("②", 2),
    ("③", 3),
    ("①ポスト5G情報通信システム開発(委託)", 1),
    ("先端半導体製造技術の開発", 2),
    ("先導研究", 3),
    ("ポスト5G情報通信システムの開発", 1),
    ("Leading research", 3),
]


def test_item_spellings(load) -> None:
    """Every spelling in one list, a theme each: each is stored as its item number."""
    import duckdb

    rows = [theme(f"T{i}").replace(",1,", f",{item},", 1) for i, (item, _) in enumerate(ITEM_SPELLINGS)]
    db = load({"themes.csv": themes_csv(rows)})
    con = duckdb.connect(str(db), read_only=True)
    stored = dict(con.execute("SELECT theme_id, item FROM themes").fetchall())
    con.close()
    assert stored == {f"T{i}": expected for i, (_, expected) in enumerate(ITEM_SPELLINGS)}


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


# ---------------------------------------------------------------------------- one cause, one line


def surveys(ids: list[str]) -> str:
    return FOLLOWUPS + "".join(f"{theme_id},2024,開発\n" for theme_id in ids)


def test_surveys_of_a_refused_theme_list_are_one_line_naming_it(tmp_path: Path) -> None:
    """A themes file refused as a whole (a misspelt header): the 26 surveys of its themes are one line naming the
    list, with the count of rows it stands for; a survey of a theme no file lists keeps its own line."""
    ids = [f"T{n}" for n in range(1, 27)]
    bad = themes_csv([theme(i) for i in ids], header="theme_id,item,funding,element,orgs,title,start_fy,end_fy,status")
    failures = failures_of(tmp_path, {"themes_2026-03-31.csv": bad, "followups.csv": surveys([*ids, "ZZ"])})
    follow_on = [f for f in failures if f.file.endswith("followups.csv")]
    assert len(follow_on) == 1, follow_on
    [line] = follow_on
    assert line.line is None and line.column == "theme_id"
    assert line.rule == (
        "27 row(s) name themes not registered (rows 2, 3, 4, 5, 6 …) because the themes file "
        f"{tmp_path / 'themes_2026-03-31.csv'} of this load was refused; correct that file first"
    )


def test_only_the_surveys_of_a_lists_refused_rows_follow_from_it(tmp_path: Path) -> None:
    """A list with one bad row: the survey of that row's theme is one line naming the list; a survey of a theme
    no file holds is its own line, as before."""
    listed = themes_csv([theme("T1"), theme("T2", item=7), theme("T3")])
    failures = failures_of(tmp_path, {"themes_2026-03-31.csv": listed, "followups.csv": surveys(["T1", "T2", "ZZ"])})
    rules = [(f.line, f.rule.split(" (")[0].split(":")[0]) for f in failures if f.file.endswith("followups.csv")]
    assert sorted(rules, key=str) == [(4, "unknown theme"), (None, "1 row(s) name themes not registered")], failures


def test_several_lists_of_one_date_are_one_line_naming_the_files(tmp_path: Path) -> None:
    """Two theme lists of one date (a corrected copy left in the folder): one line naming both files, the date,
    how many themes they share and how many rows that is, not a line per row."""
    rows = [theme(f"T{n}") for n in range(1, 181)]
    failures = failures_of(
        tmp_path, {"themes_2026-03-31.csv": themes_csv(rows), "themes_2026-03-31_修正.csv": themes_csv(rows[:100])}
    )
    assert len(failures) == 1, failures[:3]
    [line] = failures
    files = f"{tmp_path / 'themes_2026-03-31.csv'} (rows 2, 3, 4, 5, 6 …), {tmp_path / 'themes_2026-03-31_修正.csv'}"
    assert line.rule.startswith(
        f"{files} (rows 2, 3, 4, 5, 6 …) are lists of the same date (2026-03-31): 100 themes (theme_id = T1, T2, T3, "
        "T4, T5 …) also given by another file of this load (200 rows)"
    ), line.rule
    budget = "fy,budget,executed\n2023,100,50\n2024,100,60\n"
    (tmp_path / "b").mkdir()
    [twice] = failures_of(tmp_path / "b", {"budget.csv": budget, "予算.csv": budget})
    assert "fy: 2 also given by another file of this load" in twice.rule and "4 rows" in twice.rule


def test_one_cause_in_japanese_names_the_files_and_the_count(kpi, tmp_path: Path) -> None:
    folder = tmp_path / "月次"
    folder.mkdir()
    rows = [theme(f"T{n}") for n in range(1, 4)]
    write(folder / "テーマ一覧_2026-03-31.csv", themes_csv(rows), "utf-8-sig")
    write(folder / "テーマ一覧_2026-03-31_修正.csv", themes_csv(rows), "cp932")
    result = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), str(folder))
    assert result.returncode == 3
    assert (
        f"{folder / 'テーマ一覧_2026-03-31.csv'}（行 2, 3, 4）, {folder / 'テーマ一覧_2026-03-31_修正.csv'}（行 2, 3, 4）"
        " は同じ日（2026-03-31）のテーマ一覧です。3件のテーマ（テーマID = T1, T2, T3）が同じ読み込みの別のファイルにも"
        "あります（6行分）"
    ) in result.stderr
    assert "問題が1件見つかりました" in result.stderr
    (folder / "テーマ一覧_2026-03-31_修正.csv").unlink()
    write(folder / "テーマ一覧_2026-03-31.csv", themes_csv([theme("T1", item=7), *rows[1:]]), "cp932")
    write(folder / "追跡調査.csv", surveys(["T1", "T1"]).replace("2024,開発\nT1,2024", "2024,開発\nT1,2025"))
    result = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), str(folder))
    assert result.returncode == 3
    assert (
        f"未登録のテーマを書いた行が2行あります（2, 3行目）。同じ読み込みのテーマ一覧 {folder / 'テーマ一覧_2026-03-31.csv'} "
        "が受け付けられなかったためです。先にその一覧を直してください"
    ) in result.stderr
    assert "問題が2件見つかりました" in result.stderr


# ---------------------------------------------------------------- survey answers against the store (issue 36)

ANSWERS = "theme_id,survey_fy,organisation,stage\n"
TWO_ORGANISATIONS = themes_csv([theme("T1").replace("某社", '"A社、Ｂ社"'), theme("T2")])


def _refused(db: Path, tmp_path: Path, name: str, text: str) -> list[Failure]:
    """The failures (rules in English) of loading one file into `db`, which must refuse it."""
    path = write(tmp_path / name, text)
    with pytest.raises(InputRejected) as excinfo, open_for_write(db, wait=1) as con:
        ingest.load_files(con, ingest.read_files([path]))
    return in_english(excinfo.value.failures or [])


def _answers(db: Path) -> list[tuple]:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT theme_id, organisation, survey_fy, stage FROM followups ORDER BY ALL").fetchall()


def test_an_answer_is_from_one_of_its_themes_organisations_or_the_theme_as_a_whole(tmp_path: Path, load) -> None:
    db = load({"themes.csv": TWO_ORGANISATIONS})
    load({"followups.csv": ANSWERS + "T1,2025,A社,研究\nT1,2025,B社,製品化\nT1,2025,,開発\nT2,2025,某社,上市\n"}, db)
    assert _answers(db) == [
        ("T1", "", 2025, "開発"),
        ("T1", "A社", 2025, "研究"),
        ("T1", "B社", 2025, "製品化"),  # Ｂ社 in the list, B社 in the answer: the same after NFKC
        ("T2", "某社", 2025, "上市"),
    ]


def test_an_answer_from_another_organisation_is_refused_by_name_and_nothing_is_written(tmp_path: Path, load) -> None:
    db = load({"themes.csv": TWO_ORGANISATIONS})
    failures = _refused(db, tmp_path, "followups.csv", ANSWERS + "T1,2025,A社,研究\nT1,2025,C社,研究\n")
    assert [(f.line, f.column, f.value) for f in failures] == [(3, "organisation", "C社")]
    assert failures[0].file.endswith("followups.csv")
    assert "not one of this theme's organisations (A社、B社)" in failures[0].rule
    assert _answers(db) == []


def test_when_a_round_was_sent_only_the_organisations_it_was_sent_to_answer_by_name(tmp_path: Path, load) -> None:
    import datetime as dt

    from kpi.db.sent import SentRow, record_sent

    db = load({"themes.csv": TWO_ORGANISATIONS})
    day, deadline = dt.date(2025, 6, 1), dt.date(2026, 1, 31)
    with open_for_write(db, wait=1) as con:
        record_sent(con, tmp_path, [SentRow(2025, "T1", "A社", 2, "simple", day, deadline)])
    # another organisation of the theme, and an organisation of a theme the round left out
    failures = _refused(db, tmp_path, "followups.csv", ANSWERS + "T1,2025,B社,研究\nT2,2025,某社,研究\n")
    assert [(f.line, f.value) for f in failures] == [(2, "B社"), (3, "某社")]
    assert all("the survey of FY2025 was not sent to this organisation" in f.rule for f in failures)
    assert "(sent to: A社)" in failures[0].rule and "(sent to: —)" in failures[1].rule
    # the organisation it was sent to answers; another year's answers, and answers for a theme as a whole (the
    # three-column survey file), are not held to it
    load({"followups.csv": ANSWERS + "T1,2025,A社,製品化\nT1,2024,B社,研究\nT2,2025,,上市\nT1,2025,,研究\n"}, db)
    assert ("T1", "A社", 2025, "製品化") in _answers(db) and len(_answers(db)) == 4


def test_the_three_column_survey_csv_loads_as_before(tmp_path: Path, load) -> None:
    import duckdb

    db = load({"themes.csv": TWO_ORGANISATIONS, "followups.csv": FOLLOWUPS + "T1,R7,製品化\nT2,2024,研究\n"})
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute(
            "SELECT theme_id, organisation, survey_fy, stage, sales, cumulative_sales, products, effects, "
            "reason_code, reason_text FROM followups ORDER BY theme_id"
        ).fetchall()
    assert stored == [
        ("T1", "", 2025, "製品化", None, None, None, None, None, None),
        ("T2", "", 2024, "研究", None, None, None, None, None, None),
    ]
    load({"followups.csv": FOLLOWUPS + "T1,2025,上市\n"}, db)  # the same key: the row before is superseded
    assert _answers(db) == [("T1", "", 2025, "上市"), ("T2", "", 2024, "研究")]


def test_a_workbook_of_answers_loaded_twice_changes_nothing_the_second_time(tmp_path: Path, load) -> None:
    import duckdb
    from kit import workbook

    db = load({"themes.csv": TWO_ORGANISATIONS})
    header = ["テーマID", "調査年度", "回答機関", "段階", "中止・中断の理由", "売上高(億円)", "製品名", "回答期限"]
    book = workbook(
        tmp_path / "追跡調査_FY2025_A社.xlsx",
        {
            "記入要領": [["この回答シートに記入してください"]],
            "回答": [header, ["T1", "2025", "A社", "上市", "", "12.5", "X-1", "2026-01-31"]],
            "回答2": [header, ["T1", "2025", "B社", "中止", "資金", "", "", ""]],
        },
    )
    for attempt in (1, 2):
        with open_for_write(db, wait=1) as con:
            (result,) = ingest.load_files(con, ingest.read_files([book]))
        assert (result.inserted, result.load_id is None) == ((2, False) if attempt == 1 else (0, True))
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM loads WHERE kind = 'followups'").fetchall() == [(1,)]
        assert con.execute(
            "SELECT organisation, stage, sales, products, reason_code FROM followups ORDER BY organisation"
        ).fetchall() == [("A社", "上市", Decimal("12.5"), "X-1", None), ("B社", "中止", None, None, "funding")]


def test_a_row_with_an_answer_but_no_stage_is_refused_and_blank_ones_are_left_out(tmp_path: Path, load) -> None:
    """A returned row whose 段階 is blank but which gives sales, effects or a reason is refused by row (F13); a row
    carrying only what kpi pre-fills (累積売上高, 製品名) is not answered yet, left out and counted."""
    db = load({"themes.csv": TWO_ORGANISATIONS})
    header = "theme_id,survey_fy,organisation,stage,sales,cumulative_sales,products,effects,reason_code\n"
    rows = "T1,2025,A社,上市,5,,,,\nT1,2025,B社,,9.5,,製品Z,,\nT2,2025,某社,,,3,製品Y,,\nT1,2024,A社,,,,,雇用,\n"
    failures = _refused(db, tmp_path, "followups.csv", header + rows)
    assert [(f.line, f.column, f.value) for f in failures] == [(3, "stage", None), (5, "stage", None)]
    assert all(f.rule == "choose a 段階 (stage): the row gives sales, effects or a reason" for f in failures)
    assert _answers(db) == []
    path = write(tmp_path / "answered.csv", header + "T1,2025,A社,上市,5,,,,\nT2,2025,某社,,,3,製品Y,,\n")
    with open_for_write(db, wait=1) as con:
        (result,) = ingest.load_files(con, ingest.read_files([path]))
    assert result.skipped == 1 and _answers(db) == [("T1", "A社", 2025, "上市")]


def test_two_workbooks_of_one_organisation_name_the_keys_and_rows_in_the_users_words(tmp_path: Path, load) -> None:
    """The same answers in two files of one load (an organisation's workbook returned twice): the key by its headers
    in the user's language, the first keys, each file's rows, and the advice to load the newer one (F11)."""
    from kpi.present.catalogue import Lang, Words
    from kpi.present.messages import rule_text

    db = load({"themes.csv": TWO_ORGANISATIONS})
    answers = ANSWERS + "T1,2025,A社,研究\nT2,2025,某社,開発\n"
    paths = [write(tmp_path / "first.csv", answers), write(tmp_path / "second.csv", answers)]
    with pytest.raises(InputRejected) as excinfo, open_for_write(db, wait=1) as con:
        ingest.load_files(con, ingest.read_files(paths))
    (failure,) = excinfo.value.failures
    ja, en = rule_text(failure, Words(Lang.ja)), rule_text(failure, Words(Lang.en))
    assert "テーマID・回答機関・調査年度 の行があります: 2件（4行）: T1・A社・2025, T2・某社・2025" in ja
    assert f"{paths[0]}（行 2, 3）, {paths[1]}（行 2, 3）" in ja and "新しい方だけを読み込んでください" in ja
    assert "theme_id/organisation/survey_fy: 2 also given" in en and "T1/A社/2025, T2/某社/2025" in en
    assert "load only the newer workbook" in en
