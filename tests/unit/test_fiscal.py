"""Fiscal years: every accepted spelling, 和暦, the April–March boundary."""

import datetime as dt

import polars as pl
import pytest

from kpi.fiscal import fiscal_year_of, fy_expr, parse_fy, wareki

SPELLINGS = [
    ("2023", 2023),
    ("2023年度", 2023),
    ("２０２３", 2023),
    ("R5", 2023),
    ("r5", 2023),
    ("Ｒ５", 2023),
    ("R5年度", 2023),
    ("令和5", 2023),
    ("令和5年度", 2023),
    ("令和５年度", 2023),
    ("令和元年度", 2019),
    ("平成31年度", 2019),
    ("H31", 2019),
    ("平成30年度", 2018),
    (" 2025 ", 2025),
]


@pytest.mark.parametrize(("text", "year"), SPELLINGS)
def test_parse_fy_accepts_every_spelling(text: str, year: int) -> None:
    assert parse_fy(text) == year


@pytest.mark.parametrize(("text", "year"), SPELLINGS)
def test_polars_expression_agrees_with_parse_fy(text: str, year: int) -> None:
    df = pl.DataFrame({"v": [text]})
    assert df.select(fy_expr(pl.col("v")))["v"][0] == year


@pytest.mark.parametrize("text", ["1999", "2101", "令和", "R", "5", "2023/4", "FY2023", "令和5年4月", "abc", ""])
def test_parse_fy_rejects_non_years(text: str) -> None:
    with pytest.raises(ValueError):
        parse_fy(text)
    assert pl.DataFrame({"v": [text]}).select(fy_expr(pl.col("v")))["v"][0] is None


def test_wareki() -> None:
    assert wareki(2019) == "令和元年度"
    assert wareki(2025) == "令和7年度"
    assert wareki(2018) == "平成30年度"


def test_fiscal_year_runs_april_to_march() -> None:
    assert fiscal_year_of(dt.date(2025, 3, 31)) == 2024
    assert fiscal_year_of(dt.date(2025, 4, 1)) == 2025
    assert fiscal_year_of(dt.date(2026, 1, 15)) == 2025


def test_a_time_is_said_in_the_programmes_calendar_with_its_zone() -> None:
    """One rule (kpi.fiscal): a program reads ISO 8601 with its offset, a person minutes and the zone's name; an
    aware time is converted, a naive one (as the database stores them) is taken as already in the zone."""
    from kpi.fiscal import machine_time, shown_time

    utc = dt.datetime(2026, 12, 5, 0, 30, 15, 999, tzinfo=dt.UTC)
    assert machine_time(utc) == "2026-12-05T09:30:15+09:00"
    assert shown_time(utc) == "2026-12-05 09:30 JST"
    stored = dt.datetime(2026, 12, 5, 9, 30, 15)
    assert machine_time(stored) == "2026-12-05T09:30:15+09:00" and shown_time(stored) == "2026-12-05 09:30 JST"
    assert machine_time(stored, "UTC") == "2026-12-05T09:30:15+00:00"
    assert shown_time(dt.datetime(2026, 7, 1, 12, 0), "Europe/London") == "2026-07-01 12:00 BST"
