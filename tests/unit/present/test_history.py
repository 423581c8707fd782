"""`kpi lists`: the years a dated theme list stands for, said as one sentence."""

from __future__ import annotations

import datetime as dt

import pytest

from kpi.figures.history import ListRecord
from kpi.present.catalogue import Lang, Words
from kpi.present.history import stands_for


def _list(first: int | None, last: int | None, stands_in: bool) -> ListRecord:
    return ListRecord(dt.date(2025, 6, 30), 10, 1, first, last, stands_in)


@pytest.mark.parametrize(
    ("record", "ja", "en"),
    [
        (
            _list(None, None, False),
            "なし（同じ年度により新しい一覧があります）",
            "none (a newer list of the same year)",
        ),
        (
            _list(None, None, True),
            "2025年度より前の年度のみ（2025年度には同じ年度のより新しい一覧があります）",
            "only the years before FY2025 (a newer list of FY2025 stands for its own year)",
        ),
        (_list(2025, None, True), "2025年度（令和7年度）以降（それより前の年度にも代用）", None),
    ],
)
def test_the_years_a_list_stands_for_read_as_one_sentence(record: ListRecord, ja: str, en: str | None) -> None:
    said = stands_for(record, Words(Lang.ja))
    assert said == ja and "）（" not in said
    if en is not None:
        assert stands_for(record, Words(Lang.en)) == en
