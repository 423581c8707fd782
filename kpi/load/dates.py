"""The date a file's name gives, in the forms offices write: 2026-11-30, 20261130, 2026年11月30日, 令和8年11月30日, R8.11.30.

The rule (after NFKC, so full-width digits and separators count): a date-like run is
  - an era date: 令和, 平成, R or H, a year (1–2 digits or 元), then 年M月D日 (日 optional) or a separator
    (- _ .) M, the same separator, D: 令和8年11月30日, R8.11.30, R08-11-30, 令和元年5月1日, H31.4.30;
  - a Western date in kanji: YYYY年M月D日 (日 optional): 2026年11月30日;
  - a Western date with separators: YYYY, - _ or ., M, the same separator, D: 2026-11-30, 2026_11_30, 2026.11.30;
  - eight digits standing alone beginning 19 or 20: YYYYMMDD (20261130).
  (a separator may also be /, as ／ becomes after NFKC.)
Any other digits (a project number 3522, v2, an ID 00012345) are no date. A date-like run must be a real day, not
before 2000 (the fiscal years kpi counts), of its era (令和 from 2019-05-01, 平成 to 2019-04-30), and in kanji give
its day; else the name is refused, as is a name giving two different dates, and one whose digits look like a date
in no form read (mixed separators 2026-11_30, 2026-1130, 202611-30, a two-digit year 26.11.30, a month and day
without the year 11月30日): refused rather than read as no date, since a list's date decides its fiscal year.
(A day after today is refused by the caller: kpi.load.ingest.snapshot_of.)
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from kpi.fiscal import ERA_YEARS, ERAS, MIN_FY

# The forms a name's date may take, as examples (shown when a name's date-like text is no date).
FORMS = "2026-11-30, 2026_11_30, 2026.11.30, 20261130, 2026年11月30日, 令和8年11月30日, R8.11.30, H31.4.30"

_KANJI_DAY = r"年([0-9]{1,2})月(?:([0-9]{1,2})日?)?(?![0-9])"  # 年M月D日, 日 optional; a day left out is refused
_ERA = re.compile(
    r"(?<![A-Za-z0-9])(令和|平成|R|H)(元|[0-9]{1,2})(?:"
    + _KANJI_DAY
    + r"|([-_./])([0-9]{1,2})\5([0-9]{1,2})(?![0-9]))",
    re.IGNORECASE,
)
_KANJI = re.compile(r"(?<![0-9])([0-9]{4})" + _KANJI_DAY)
_SEPARATED = re.compile(r"(?<![0-9])([0-9]{4})([-_./])([0-9]{1,2})\2([0-9]{1,2})(?![0-9])")
_COMPACT = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})([0-9]{2})([0-9]{2})(?![0-9])")
# Digits that look like a date in no form read (checked once the forms above are taken out).
_DATE_LIKE = re.compile(
    r"(?<![0-9])[0-9]{4}[-_./][0-9]{1,2}[-_./][0-9]{1,2}(?![0-9])"  # mixed separators
    r"|(?<![0-9])[0-9]{4}[-_./][0-9]{4}(?![0-9])"  # 2026-1130
    r"|(?<![0-9])[0-9]{6}[-_./][0-9]{1,2}(?![0-9])"  # 202611-30
    r"|(?<![0-9.])[0-9]{2}[-_./][0-9]{1,2}[-_./][0-9]{1,2}(?![0-9])"  # a two-digit year: 26.11.30
    r"|(?<![0-9年])[0-9]{1,2}月[0-9]{1,2}日"  # 11月30日, no year
)
REIWA_BEGINS = dt.date(2019, 5, 1)  # 平成 ended on 30 April 2019


class NotADate(ValueError):
    """Date-like text in a name that is no day kpi can count (2026.13.01, 令和8年2月30日, 2026年11月)."""

    def __init__(self, text: str) -> None:
        super().__init__(f"not a date: {text}")
        self.text = text


class TwoDates(ValueError):
    """A name giving two different dates: which day's list is it?"""

    def __init__(self, first: str, second: str) -> None:
        super().__init__(f"two dates: {first}, {second}")
        self.first = first
        self.second = second


def _day(text: str, year: int, month: str | None, day: str | None) -> dt.date:
    if day is None or month is None:
        raise NotADate(text)  # a month without its day: not the day a list describes
    try:
        found = dt.date(year, int(month), int(day))
    except ValueError:
        raise NotADate(text) from None
    if found.year < MIN_FY:
        raise NotADate(text)  # before the fiscal years kpi counts; a day after them lies in the future
    return found


def _era_day(m: re.Match[str]) -> dt.date:
    era = m.group(1).upper()
    n = 1 if m.group(2) == "元" else int(m.group(2))
    last = ERA_YEARS[era]
    if n == 0 or (last is not None and n > last):
        raise NotADate(m.group(0))
    month, day = (m.group(3), m.group(4)) if m.group(3) else (m.group(6), m.group(7))
    found = _day(m.group(0), ERAS[era] + n, month, day)
    if (found < REIWA_BEGINS) == (era in ("令和", "R")):
        raise NotADate(m.group(0))  # a day outside its era: 令和1年4月30日 was 平成31年
    return found


def _separated_day(m: re.Match[str]) -> dt.date:
    return _day(m.group(0), int(m.group(1)), m.group(3), m.group(4))


def _plain_day(m: re.Match[str]) -> dt.date:
    return _day(m.group(0), int(m.group(1)), m.group(2), m.group(3))


def date_in_name(name: str) -> dt.date | None:
    """The date a file name gives, None when it gives none; NotADate or TwoDates when it cannot be read as one."""
    text = unicodedata.normalize("NFKC", name)
    found: list[tuple[str, dt.date]] = []
    for pattern, read in ((_ERA, _era_day), (_KANJI, _plain_day), (_SEPARATED, _separated_day), (_COMPACT, _plain_day)):
        for m in pattern.finditer(text):
            found.append((m.group(0), read(m)))
        text = pattern.sub(lambda m: "#" * len(m.group(0)), text)  # a run read once is not read again
    if (odd := _DATE_LIKE.search(text)) is not None:
        raise NotADate(odd.group(0))
    if not found:
        return None
    first_text, first = found[0]
    for other_text, other in found[1:]:
        if other != first:
            raise TwoDates(first_text, other_text)
    return first
