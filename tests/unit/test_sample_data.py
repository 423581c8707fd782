"""The sample theme list (sample_data/themes_2026-03-31.csv) names each organisation one way: a name that differs
from another only by its blanks (as a PDF extraction letter-spaces it) would make one organisation two, with two
workbooks of a survey round."""

from __future__ import annotations

import csv
import re
from collections import defaultdict

from kit import SAMPLE_THEMES

from kpi.organisations import normal, split


def test_no_organisation_of_the_sample_is_spelled_two_ways() -> None:
    with SAMPLE_THEMES.open(encoding="utf-8", newline="") as f:
        cells = [row["機関名"] for row in csv.DictReader(f)]
    spellings: dict[str, set[str]] = defaultdict(set)
    for cell in cells:
        for name in split(cell):
            spellings[re.sub(r"\s", "", normal(name)).casefold()].add(name)
    assert {key: names for key, names in spellings.items() if len(names) > 1} == {}
    assert spellings["aiinside株式会社"] == {"AI inside株式会社"}  # T1-062 and T1-087: one organisation
