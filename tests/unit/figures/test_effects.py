"""The surveys' effects the report shows: sales summed by cohort through the disclosure rule, the reasons of the
current 中止・中断 answers, and the cohort table (commercialised by years since the end, each round's response rate)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import duckdb
import pytest
from kit import cli, cli_en

from kpi.codes import REASON_CODES
from kpi.db.sent import SentRow, record_sent
from kpi.db.store import Store
from kpi.figures.effects import UNRECORDED, CohortCell, Effects, Sales
from kpi.figures.effects import sales as sales_of
from kpi.figures.kpis import placed_sql
from kpi.figures.report import report
from kpi.figures.suppress import Withheld

HEADER = "theme_id,item,funding,element,organizations,title,start_fy,end_fy,status"
THEMES = [
    "A1,1,委託,a1,甲社、乙社,テーマA1,2020,2022,目標達成",
    "A2,1,委託,a1,丙社,テーマA2,2020,2022,目標達成",
    "A3,1,委託,a2,丁社,テーマA3,2020,2022,目標未達",
    "B1,1,委託,b1,己社,テーマB1,2021,2023,目標達成",
    "B2,1,委託,b1,庚社,テーマB2,2021,2023,目標達成",
    "C1,1,委託,c1,辛社,テーマC1,2023,2026,計画通り",  # not ended: in no cohort
]
ANSWERS = """theme_id,survey_fy,organisation,stage,sales,reason_code
A1,2023,甲社,開発,,
A1,2023,乙社,製品化,1.5,
A1,2024,甲社,上市,2.25,
A2,2023,,製品化,3,
A3,2024,,中止,,market
B1,2024,,中断,,
B2,2024,,研究,0.5,
B2,2025,,中止,,technical
"""


@pytest.fixture
def store(load) -> Path:  # type: ignore[no-untyped-def]
    db: Path = load({"themes.csv": HEADER + "\n" + "\n".join(THEMES) + "\n", "followups.csv": ANSWERS})
    return db


def effects_of(db: Path, as_of: int = 2025) -> Effects:
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = report(con, as_of).effects
    finally:
        con.close()
    assert found is not None
    return found


def every_sum(db: Path) -> Sales | None:
    """The sales table as of FY2025 with k = 1: every sum shown."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        list_id = con.execute("SELECT max(list_id) FROM theme_lists").fetchone()[0]  # type: ignore[index]
        ended = f"""{placed_sql(False)}, ended AS (
            SELECT theme_id, end_fy FROM placed_roles WHERE role_long_term <> 'excluded' AND end_fy < $as_of)"""
        return sales_of(con, ended, {"as_of": 2025, "horizon": 3, "list": list_id}, 1)
    finally:
        con.close()


def test_sales_are_summed_per_theme_over_its_organisations_then_by_cohort_and_year(store: Path) -> None:
    sales = effects_of(store).sales
    assert sales is not None and sales.cohorts == (2022, 2023) and sales.years == (2023, 2024)
    t = sales.table
    # 2022 × FY2023: A1 (1.5) and A2 (3): 2 themes, withheld; 2022 × FY2024: A1 alone (2.25), withheld
    assert [f.themes for f in t.cells[0]] == [2, 1] and all(f.value is None for f in t.cells[0])
    assert t.cells[1][0].withheld is Withheld.EMPTY and t.cells[1][1].withheld is Withheld.SMALL
    assert t.grand_total is not None and t.grand_total.themes == 3  # A1, A2, B2: distinct themes over the years
    assert t.grand_total.value == Decimal("7.25")  # shown: no withheld figure follows from it alone
    assert t.k == 3


def test_k_one_shows_every_sum(store: Path) -> None:
    found = every_sum(store)
    assert found is not None
    assert [[f.value for f in row] for row in found.table.cells] == [
        [Decimal("4.5"), Decimal("2.25")],
        [None, Decimal("0.5")],
    ]
    assert found.table.grand_total is not None and found.table.grand_total.value == Decimal("7.25")


def test_an_answer_for_the_whole_theme_is_not_added_to_its_organisations_answers(store: Path, load) -> None:  # type: ignore[no-untyped-def]
    """A1's organisations gave FY2024's sales (2.25): an answer for A1 as a whole that year (9) is not added to them."""
    load({"followups_whole.csv": "theme_id,survey_fy,stage,sales\nA1,2024,上市,9\n"}, store)
    found = every_sum(store)
    assert found is not None and [f.value for f in found.table.cells[0]] == [Decimal("4.5"), Decimal("2.25")]


def test_reasons_count_the_latest_answer_of_each_theme_and_organisation(store: Path) -> None:
    assert effects_of(store).reasons == (
        ("technical", 1),  # B2: 研究 in 2024, then 中止 in 2025
        ("market", 1),
        ("funding", 0),
        ("strategy", 0),
        ("other", 0),
        (UNRECORDED, 1),  # B1: 中断 without a code
    )
    assert effects_of(store, 2024).reasons == (*((c, int(c == "market")) for c in REASON_CODES), (UNRECORDED, 1))


def test_an_organisations_later_answer_supersedes_the_whole_themes_stop(store: Path, load) -> None:  # type: ignore[no-untyped-def]
    """B1 (己社 alone) was 中断 as a whole theme in 2024; 己社 answers 上市 in 2025: no longer stopped. A3 stopped as a
    whole theme (market) and 丁社 answers 中止 (funding) the same year later on: one stop, counted once, by 丁社's code."""
    load(
        {
            "followups_orgs.csv": "theme_id,survey_fy,organisation,stage,reason_code\nB1,2025,己社,上市,\nA3,2024,丁社,中止,funding\n"
        },
        store,
    )
    assert dict(effects_of(store).reasons or ()) == {
        "technical": 1,  # B2
        "market": 0,
        "funding": 1,  # A3 by 丁社
        "strategy": 0,
        "other": 0,
        UNRECORDED: 0,
    }


def test_the_cohort_table_counts_commercialised_by_years_after_the_end(store: Path, tmp_path: Path) -> None:
    with Store.at(store, 5).writing() as con:  # FY2025's round: A3 and B1 (B1 answered nothing that year)
        day, deadline = dt.date(2025, 6, 1), dt.date(2026, 1, 31)
        record_sent(
            con,
            tmp_path / "FY2025",
            [
                SentRow(2025, "B1", "己社", 2, "simple", day, deadline),
                SentRow(2025, "B2", "", 2, "simple", day, deadline),
            ],
            db=store,
        )
    table = effects_of(store).cohorts
    assert table is not None and table.rounds == (1, 2, 4, 6)
    (a, b) = table.rows
    assert (a.end_fy, a.themes, b.end_fy, b.themes) == (2022, 3, 2023, 2)
    # 2022 + 1 = FY2023: A1 (乙社's 製品化) and A2; + 2 = FY2024: the same two; 4 and 6 years not reached
    assert a.cells == (CohortCell(1, 2, 3, 0, 0), CohortCell(2, 2, 3, 0, 0), None, None)
    # 2023: nothing commercialised; FY2025's round sent to B1 and B2, B2 answered (中止)
    assert b.cells == (CohortCell(1, 0, 2, 0, 0), CohortCell(2, 0, 2, 1, 2), None, None)
    assert b.cells[1] is not None and b.cells[1].response_rate == Fraction(1, 2)
    assert a.cells[0] is not None and a.cells[0].ratio == Fraction(2, 3) and a.cells[0].response_rate is None


def test_no_survey_no_section_the_sample_s_report_is_as_it_was(sample_store: Path) -> None:
    assert effects_of(sample_store) == Effects(None, None, None)
    text = cli("report", "--db", str(sample_store), "--as-of", "2025").stdout
    assert "売上高（億円" not in text and "実用化の推移" not in text
    assert '"effects"' not in cli("report", "--db", str(sample_store), "--as-of", "2025", "-f", "json").stdout


def test_the_sections_in_both_languages(store: Path) -> None:
    ja = cli("report", "--db", str(store), "--as-of", "2025").stdout
    en = cli_en("report", "--db", str(store), "--as-of", "2025").stdout
    assert "■ 売上高（億円、終了年度別・調査年度別）" in ja and "秘匿" in ja and "2/3（66.7%）" in ja
    assert "Sales (100M yen, 億円) by end-year cohort" in en and "withheld" in en and "2/3 (66.7%)" in en
    assert "■ 中止・中断の理由（最新の回答）" in ja and "not given" in en
    csv_text = cli("report", "--db", str(store), "--as-of", "2025", "-f", "csv").stdout
    assert "実用化の推移（終了年度別・終了後年数別）" in csv_text


def test_a_theme_ended_early_is_never_commercialised_in_the_cohort_table(load) -> None:  # type: ignore[no-untyped-def]
    """The cohort table places a theme as the long-term KPI does: a 中止 theme whose organisation later answers 上市
    is not in practical use there either (found by the adversarial pass on #37: it showed 2/2 for 1/2)."""
    themes = HEADER + "\nS1,1,委託,a1,甲社,S1,2020,2022,中止\nS2,1,委託,a1,乙社,S2,2020,2022,目標達成\n"
    db: Path = load({"themes.csv": themes, "followups.csv": "theme_id,survey_fy,stage\nS1,2024,上市\nS2,2024,上市\n"})
    table = effects_of(db).cohorts
    assert table is not None
    cell = next(c for c in table.rows[0].cells if c is not None and c.years_after == 2)
    assert (cell.commercialised, cell.themes) == (1, 2)
