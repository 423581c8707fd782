"""Exact arithmetic: ratios as fractions, rounding half up on the exact value (never on a binary float)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from kpi.exact import ratio, round_half_up


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (Fraction(39, 56) * 100, 1, "69.6"),
        (Fraction(1, 8) * 100, 1, "12.5"),
        (Decimal("2.45"), 1, "2.5"),  # half up, where float rounding would give 2.4 or 2.5 by luck
        (Fraction(5, 2), 0, "3"),
        (Fraction(-5, 2), 0, "-3"),
        (Fraction(1), 1, "1.0"),
        (Fraction(2, 3) * 100, 1, "66.7"),
        (Fraction(12662, 3134) * 100, 1, "404.0"),
    ],
)
def test_round_half_up(value: Fraction | Decimal, places: int, shown: str) -> None:
    assert str(round_half_up(value, places)) == shown


def test_ratio_is_none_when_not_computable() -> None:
    assert ratio(39, 56) == Fraction(39, 56)
    assert ratio(Decimal("22867"), Decimal("27759")) == Fraction(22867, 27759)
    assert ratio(None, 5) is None and ratio(3, 0) is None
