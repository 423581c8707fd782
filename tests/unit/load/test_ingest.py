"""The load's reading of dates and years: the date a themes file's name gives (kpi.load.dates, in every form an
office writes), and a follow-up survey of a year that has not come yet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from kit import english, theme, themes_csv, write

from kpi.errors import UsageProblem
from kpi.load import ingest

TODAY = dt.date(2026, 12, 5)  # FY2026 in the programme's calendar


@pytest.mark.parametrize(
    "name",
    [
        "テーマ一覧_20261130.csv",
        "テーマ一覧_2026年11月30日.csv",
        "テーマ一覧_令和8年11月30日.csv",
        "テーマ一覧_2026.11.30.csv",
        "テーマ一覧_2026_11_30.xlsx",
        "テーマ一覧_R8.11.30.csv",
        "themes_2026-11-30.csv",
    ],
)
def test_a_date_the_office_writes_in_the_name_dates_the_list(name: str) -> None:
    assert ingest.snapshot_of(Path(name), None, TODAY) == (dt.date(2026, 11, 30), "name")


def test_a_name_without_a_date_is_the_list_of_the_load_day() -> None:
    assert ingest.snapshot_of(Path("テーマ一覧_3522_v2.csv"), None, TODAY) == (TODAY, "today")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("テーマ一覧_20261332.csv", "20261332"),
        ("テーマ一覧_2026.13.01.csv", "2026.13.01"),
        ("テーマ一覧_令和8年2月30日.csv", "令和8年2月30日"),
    ],
)
def test_date_like_text_that_is_no_date_is_refused_naming_the_file_the_text_and_the_forms(name: str, text: str) -> None:
    with pytest.raises(UsageProblem) as caught:
        ingest.snapshot_of(Path("in") / name, None, TODAY)
    assert caught.value.exit_code == 2 and caught.value.key == "load.snapshot_name_not_a_date"
    words = english(caught.value)
    assert f"in/{name}: {text} in the file's name is not a date" in words
    assert "20261130" in words and "令和8年11月30日" in words and "R8.11.30" in words  # the forms read
    assert "--snapshot" in words


def test_two_dates_in_one_name_are_refused_naming_both() -> None:
    with pytest.raises(UsageProblem) as caught:
        ingest.snapshot_of(Path("テーマ一覧_20261031_20261130.csv"), None, TODAY)
    assert english(caught.value) == (
        "テーマ一覧_20261031_20261130.csv: the file's name gives two dates, 20261031 and 20261130: which day's list "
        "is it? Rename it or pass --snapshot"
    )


def test_a_date_in_the_future_in_any_form_stays_refused() -> None:
    with pytest.raises(UsageProblem) as caught:
        ingest.snapshot_of(Path("テーマ一覧_令和8年12月6日.csv"), None, TODAY)
    assert caught.value.key == "load.snapshot_name_future" and caught.value.params["date"] == "2026-12-06"


def test_snapshot_given_wins_over_a_name_that_is_no_date() -> None:
    day = dt.date(2026, 3, 31)
    assert ingest.snapshot_of(Path("テーマ一覧_20261332.csv"), day, TODAY) == (day, "option")


def test_a_survey_year_after_the_current_fiscal_year_is_a_row_failure(tmp_path: Path) -> None:
    themes = write(tmp_path / "themes_2026-03-31.csv", themes_csv([theme("T1"), theme("T2")]))
    surveys = write(
        tmp_path / "追跡調査.csv", "テーマID,調査年度,段階\nT1,2026,上市\nT2,令和9年度,製品化\nT1,2027,研究\n"
    )
    batch = ingest.read_files([themes, surveys], today=TODAY)
    found = [(f.file, f.line, f.column, f.value, f.rule, f.params) for f in batch.failures]
    assert found == [
        (str(surveys), 3, "survey_fy", "令和9年度", "rule.survey_future", {"fy": 2026}),
        (str(surveys), 4, "survey_fy", "2027", "rule.survey_future", {"fy": 2026}),
    ]


def test_the_current_fiscal_year_is_the_programmes_so_march_is_still_the_year_before(tmp_path: Path) -> None:
    themes = write(tmp_path / "themes_2026-03-31.csv", themes_csv([theme("T1")]))
    surveys = write(tmp_path / "followups.csv", "theme_id,survey_fy,stage\nT1,2026,上市\n")
    assert ingest.read_files([themes, surveys], today=dt.date(2027, 3, 31)).failures == []
    [failure] = ingest.read_files([themes, surveys], today=dt.date(2026, 3, 31)).failures
    assert (failure.line, failure.value, failure.params) == (2, "2026", {"fy": 2025})


def test_a_column_the_file_does_not_have_is_named_as_the_contract_names_it(tmp_path: Path) -> None:
    """An end year read from the status, missing, is 「終了年度 [end_fy]」 as other columns are (kpi#35: 「end_fy」)."""
    header = "テーマID,研究開発項目,契約形態,基盤要素,機関名,開発テーマ名,開始年度,結果/状況"
    themes = write(tmp_path / "themes_2026-03-31.csv", f"{header}\nT1,1,委託,a1,某社,テーマT1,,目標達成\n")
    batch = ingest.read_files([themes], today=TODAY)
    named = {(f.column, f.rule) for f in (ingest.in_own_words(f, batch.sources) for f in batch.failures)}
    assert ("終了年度 [end_fy]", "rule.end_year_required") in named, named
