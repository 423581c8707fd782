"""The organisations of a theme: one rule splitting a 機関名 cell."""

from __future__ import annotations

import pytest

from kpi.organisations import normal, split


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("日本電気株式会社", ("日本電気株式会社",)),
        ("日本電気株式会社、富士通株式会社", ("日本電気株式会社", "富士通株式会社")),
        ("Ａ社，Ｂ社；Ｃ社／Ｄ社", ("A社", "B社", "C社", "D社")),  # full-width separators after NFKC
        ("A社\nB社\r\nC社", ("A社", "B社", "C社")),  # one per line
        (" A社 、、 B社 , A社 ", ("A社", "B社")),  # trimmed, empty parts dropped, the first of a duplicate kept
        ("国立研究開発法人 産業技術総合研究所・東京大学", ("国立研究開発法人 産業技術総合研究所・東京大学",)),
        ("㈱ＡＢＣ", ("(株)ABC",)),
        ("", ("",)),  # the theme as a whole
        ("　、 ,", ("",)),
        (None, ("",)),
    ],
)
def test_a_cell_splits_into_its_organisations_in_order(cell: str | None, names: tuple[str, ...]) -> None:
    assert split(cell) == names


def test_a_name_is_compared_after_nfkc_and_trimming() -> None:
    assert normal(" ＮＥＣ　") == "NEC" == normal("NEC")
