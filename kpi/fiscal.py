"""Fiscal years (April–March) and their 和暦 spellings."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

MIN_FY, MAX_FY = 2000, 2100
ERAS = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988}
ERA_YEARS = {"令和": None, "R": None, "平成": 31, "H": 31}  # 平成 ended in its 31st year (FY2019 = 令和元年度)

# One pattern for every spelling the input contract accepts, applied after NFKC:
# 2023, 2023年度, R5, R5年度, 令和5, 令和5年度, 令和元年度, 平成31年度.
FY_PATTERN = r"^(?:([0-9]{4})|(令和|平成|R|H)([0-9]{1,2}|元))(?:年度?)?$"
_FY_RE = re.compile(FY_PATTERN, re.IGNORECASE)


class YearOutOfRange(ValueError):
    """A fiscal year outside MIN_FY–MAX_FY: a year, but not one a programme's records can hold."""

    def __init__(self, year: int) -> None:
        super().__init__(f"fiscal year {year} is outside {MIN_FY}–{MAX_FY}")
        self.year = year


def parse_fy(text: str | int) -> int:
    """Parse a fiscal year spelling into its Western year; ValueError if it is none."""
    value = unicodedata.normalize("NFKC", str(text)).strip()
    m = _FY_RE.match(value)
    if not m:
        raise ValueError(f"not a fiscal year: {text!r} (use 2025, R7 or 令和7年度)")
    if m.group(1):
        year = int(m.group(1))
    else:
        era = m.group(2).upper() if m.group(2) in ("r", "h") else m.group(2)
        n = 1 if m.group(3) == "元" else int(m.group(3))
        last = ERA_YEARS[era]
        if n == 0 or (last is not None and n > last):
            raise ValueError(f"not a year of {era}: {text!r} (令和 starts at 元年 = 1, 平成 ends at 31)")
        year = ERAS[era] + n
    if not MIN_FY <= year <= MAX_FY:
        raise YearOutOfRange(year)
    return year


def wareki(fy: int) -> str:
    """令和N年度 (or 平成N年度) for a Western fiscal year."""
    if fy >= 2019:
        n = fy - 2018
        return f"令和{'元' if n == 1 else n}年度"
    return f"平成{fy - 1988}年度"


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year containing a date: January–March belong to the year before."""
    return day.year if day.month >= 4 else day.year - 1


DEFAULT_TIMEZONE = "Asia/Tokyo"  # the programme's calendar: a Japanese fund's days and years are Japan's


def now_in(timezone: str = DEFAULT_TIMEZONE) -> dt.datetime:
    """The time now in a time zone, without its offset (as the database stores times)."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo(timezone)).replace(tzinfo=None, microsecond=0)


def calendar_of(programme: object | None) -> str:
    """The time zone of a programme's settings (kpi.settings.Settings), else Japan's."""
    return getattr(programme, "timezone", None) or DEFAULT_TIMEZONE


# Every time a person or a program reads is in the programme's calendar, with its zone said (one rule, here):
# a program reads ISO 8601 with seconds and offset (2026-12-05T09:30:00+09:00: JSON, manifests, log lines); a
# person reads minutes and the zone's abbreviation (2026-12-05 09:30 JST: tables and sentences). A time without
# an offset is one the database stores, already in the programme's calendar.


def zoned(moment: dt.datetime, timezone: str = DEFAULT_TIMEZONE) -> dt.datetime:
    """A moment in a time zone, with its offset (a naive one is taken as already there)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(timezone)
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def machine_time(moment: dt.datetime, timezone: str = DEFAULT_TIMEZONE) -> str:
    """2026-12-05T09:30:00+09:00: a time for a program to read (JSON, a manifest, a log line)."""
    return zoned(moment, timezone).replace(microsecond=0).isoformat()


def shown_time(moment: dt.datetime, timezone: str = DEFAULT_TIMEZONE) -> str:
    """2026-12-05 09:30 JST: a time for a person to read (a table, a sentence)."""
    local = zoned(moment, timezone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def today_in(timezone: str = DEFAULT_TIMEZONE) -> dt.date:
    """Today's date in a time zone (a cron server on UTC is still in Japan's day: the programme's calendar)."""
    return now_in(timezone).date()


def current_fy(timezone: str = DEFAULT_TIMEZONE) -> int:
    """The fiscal year containing today in a time zone."""
    return fiscal_year_of(today_in(timezone))


def is_timezone(name: str) -> bool:
    """Whether a name is a time zone the IANA database knows (Asia/Tokyo, UTC, …)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def fy_expr(value: pl.Expr) -> pl.Expr:
    """A polars expression turning fiscal-year spellings into Int32 (null where unparseable)."""
    import polars as pl

    text = value.str.normalize("NFKC").str.strip_chars()
    parts = text.str.extract_groups("(?i)" + FY_PATTERN)
    western = parts.struct.field("1").cast(pl.Int32, strict=False)
    era = parts.struct.field("2").str.to_uppercase()
    n = pl.when(parts.struct.field("3") == "元").then(pl.lit("1")).otherwise(parts.struct.field("3"))
    n = n.cast(pl.Int32, strict=False)
    heisei = era.is_in(["平成", "H"])
    n = pl.when((n >= 1) & (~heisei | (n <= ERA_YEARS["平成"]))).then(n)  # no 令和0, no 平成32 (ERA_YEARS)
    offset = pl.when(era.is_in(["令和", "R"])).then(2018).when(heisei).then(1988)
    year = pl.coalesce(western, offset + n).cast(pl.Int32)
    return pl.when(year.is_between(MIN_FY, MAX_FY)).then(year).otherwise(None).name.keep()
