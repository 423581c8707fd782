"""Sheet names a workbook is given (kpi.present.xlsx.sheet_name): any title, however long or strange, makes a
name Excel accepts, unique in its workbook, in one pass."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.present.xlsx import sheet_name, utf16_length, workbook


@dataclass
class Sheet:
    name: str
    title: str
    headers: list[str] = field(default_factory=lambda: ["機関名"])
    rows: list[list[Any]] = field(default_factory=lambda: [["甲社"]])
    formats: list[str] = field(default_factory=lambda: [""])


def valid(name: str) -> bool:
    """Whether Excel accepts a sheet name (xlsxwriter checks the same, but for History)."""
    return (
        0 < utf16_length(name) <= 31
        and not re.search(r"[\[\]:*?/\\\x00-\x1f]", name)
        and not name.startswith("'")
        and not name.endswith("'")
        and name.lower() != "history"
    )


def sheet_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return re.findall(r'<sheet name="([^"]*)"', book.read("xl/workbook.xml").decode("utf-8"))


ASTRAL = st.sampled_from(["𠮷", "😀", "𩸽", "あ", "'", "A", "a", "/", "[", " ", "株"])
TITLES = st.lists(
    st.text(st.characters(codec="utf-8") | ASTRAL, max_size=40)
    | st.sampled_from(["History", "HISTORY", "あ" * 30, "あ" * 30 + "'株式会社", "株式会社" + "𠮷" * 30, "'", ""]),
    min_size=1,
    max_size=8,
)


@given(TITLES)
@settings(max_examples=150, deadline=None)
def test_any_titles_make_valid_unique_names_and_a_workbook_that_is_written(titles: list[str]) -> None:
    taken: set[str] = set()
    names = [sheet_name(title, taken) for title in titles]
    assert all(valid(name) for name in names), names
    assert len({name.lower() for name in names}) == len(names)
    data = workbook([Sheet("t", title) for title in titles])  # never xlsxwriter's InvalidWorksheetName/Duplicate…
    assert len(sheet_names(data)) == len(titles)


def test_the_names_the_tester_found_are_written() -> None:
    """Cut by UTF-16 length (𠮷 counts two), a trailing ' gone before uniqueness is decided, History avoided."""
    titles = ["株式会社𠮷野研究所" + "𠮷" * 30, "あ" * 30, "あ" * 30 + "'株式会社", "History", "ＡＢＣ"]
    taken: set[str] = set()
    names = [sheet_name(title, taken) for title in titles]
    assert names[1:] == ["あ" * 30, "あ" * 27 + " (2)", "History (2)", "ＡＢＣ"]
    assert utf16_length(names[0]) in (30, 31) and names[0].startswith("株式会社𠮷野研究所")
    assert len(sheet_names(workbook([Sheet("t", title) for title in titles]))) == 5
