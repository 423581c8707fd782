"""Dates in file names: every form an office writes is read, date-like digits that are no date are refused, and
digits that cannot be a date (a project number, a version, an ID) are left alone."""

from __future__ import annotations

import datetime as dt

import pytest

from kpi.load.dates import FORMS, NotADate, TwoDates, date_in_name

NOV_30 = dt.date(2026, 11, 30)

READ = [
    ("テーマ一覧_2026-11-30", NOV_30),
    ("テーマ一覧_20261130", NOV_30),
    ("テーマ一覧_2026_11_30", NOV_30),
    ("テーマ一覧_2026.11.30", NOV_30),
    ("テーマ一覧_2026年11月30日", NOV_30),
    ("テーマ一覧_2026年11月30", NOV_30),  # without 日
    ("テーマ一覧_２０２６年１１月３０日", NOV_30),  # full-width digits (NFKC)
    ("テーマ一覧＿２０２６．１１．３０", NOV_30),  # full-width separators
    ("テーマ一覧_令和8年11月30日", NOV_30),
    ("テーマ一覧_令和８年１１月３０日", NOV_30),
    ("テーマ一覧_R8.11.30", NOV_30),
    ("テーマ一覧_R8-11-30", NOV_30),
    ("テーマ一覧_R08.11.30", NOV_30),
    ("テーマ一覧_R8_11_30", NOV_30),
    ("テーマ一覧R8.11.30", NOV_30),
    ("themes_r8.11.30", NOV_30),
    ("テーマ一覧_令和元年5月1日", dt.date(2019, 5, 1)),
    ("テーマ一覧_R元.5.1", dt.date(2019, 5, 1)),
    ("テーマ一覧_平成31年4月30日", dt.date(2019, 4, 30)),
    ("テーマ一覧_H31.4.30", dt.date(2019, 4, 30)),
    ("テーマ一覧_H30.3.31", dt.date(2018, 3, 31)),
    ("themes_2026-3-31", dt.date(2026, 3, 31)),  # one-digit month
    ("themes_2026-03-31_v2", dt.date(2026, 3, 31)),
    ("3522_themes_2026-03-31", dt.date(2026, 3, 31)),
    ("themes_20261130_2026-11-30", NOV_30),  # the same date twice is one date
    ("テーマ一覧_2026／11／30", NOV_30),  # a full-width slash is / after NFKC
]


@pytest.mark.parametrize(("name", "day"), READ)
def test_every_form_an_office_writes_is_read(name: str, day: dt.date) -> None:
    assert date_in_name(name) == day


NO_DATE = [
    "themes",
    "テーマ一覧",
    "themes_3522",  # a project number
    "themes_v2",
    "themes_00012345",  # an ID: eight digits not beginning 19 or 20
    "themes_12345678",
    "themes_123456789",  # nine digits: no YYYYMMDD
    "themes_2026年度",  # a fiscal year, not a day
    "themes_R8",
    "themes_R8.11",  # no day, and no 年/月 to say it is a date
    "OTHER8.11.30",  # R or H inside a word is no era
]


@pytest.mark.parametrize("name", NO_DATE)
def test_digits_that_cannot_be_a_date_are_no_date(name: str) -> None:
    assert date_in_name(name) is None


NOT_A_DATE = [
    ("テーマ一覧_20261332", "20261332"),
    ("テーマ一覧_20260230", "20260230"),
    ("テーマ一覧_19991231", "19991231"),  # eight digits beginning 19: a date, but before the years kpi counts
    ("テーマ一覧_2026.13.01", "2026.13.01"),
    ("テーマ一覧_2026-00-10", "2026-00-10"),
    ("テーマ一覧_2026_11_31", "2026_11_31"),
    ("テーマ一覧_2026年13月1日", "2026年13月1日"),
    ("テーマ一覧_2026年11月", "2026年11月"),  # a month without its day
    ("テーマ一覧_令和8年2月30日", "令和8年2月30日"),
    ("テーマ一覧_令和0年1月1日", "令和0年1月1日"),
    ("テーマ一覧_令和8年11月", "令和8年11月"),
    ("テーマ一覧_R8.13.1", "R8.13.1"),
    ("テーマ一覧_H32.1.1", "H32.1.1"),  # 平成 ended in its 31st year
    ("テーマ一覧_H11.1.1", "H11.1.1"),  # 1999
    # digits that look like a date in no form read: refused, not read as no date (a list's date is its fiscal year)
    ("themes_2026-11.30", "2026-11.30"),  # two different separators
    ("テーマ一覧_2026-11_30", "2026-11_30"),
    ("テーマ一覧_2026-1130", "2026-1130"),
    ("テーマ一覧_202611-30", "202611-30"),
    ("テーマ一覧_26.11.30", "26.11.30"),  # a two-digit year
    ("テーマ一覧_１１月３０日", "11月30日"),  # no year
    ("テーマ一覧_令和1年4月30日", "令和1年4月30日"),  # 令和 began on 1 May 2019
    ("テーマ一覧_R1.4.30", "R1.4.30"),
    ("テーマ一覧_平成31年5月1日", "平成31年5月1日"),  # 平成 ended on 30 April 2019
]


@pytest.mark.parametrize(("name", "text"), NOT_A_DATE)
def test_date_like_text_that_is_no_date_is_refused_with_the_text(name: str, text: str) -> None:
    with pytest.raises(NotADate) as caught:
        date_in_name(name)
    assert caught.value.text == text


def test_a_day_after_the_years_kpi_counts_is_still_a_date_to_refuse_as_the_future() -> None:
    assert date_in_name("themes_2999-01-01") == dt.date(2999, 1, 1)
    assert date_in_name("themes_3026年1月1日") == dt.date(3026, 1, 1)
    assert date_in_name("themes_29990101") is None  # eight digits are a date only when they begin 19 or 20


def test_two_different_dates_in_one_name_are_refused_naming_both() -> None:
    with pytest.raises(TwoDates) as caught:
        date_in_name("テーマ一覧_2026-11-30_令和8年12月1日")
    assert {caught.value.first, caught.value.second} == {"2026-11-30", "令和8年12月1日"}


def test_the_forms_named_in_the_refusal_are_each_read() -> None:
    """The examples a refusal lists are forms this reader accepts (the message cannot promise a form it refuses)."""
    for form in FORMS.split(", "):
        assert date_in_name(f"themes_{form}") is not None, form
