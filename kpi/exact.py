"""Exact arithmetic shared by the figures and their presenters: ratios as Fractions, rounding half up."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def ratio(numerator: int | Decimal | Fraction | None, denominator: int | Decimal | Fraction | None) -> Fraction | None:
    """numerator / denominator exactly, or None when either is unknown or the denominator is 0."""
    if numerator is None or not denominator:
        return None
    return Fraction(numerator) / Fraction(denominator)


def round_half_up(value: int | Decimal | Fraction, places: int = 0) -> Decimal:
    """A value rounded half up (away from zero at .5) to `places` decimals, computed exactly."""
    exact = Fraction(value)
    scaled = abs(exact) * 10**places
    whole = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)
    signed = -whole if exact < 0 else whole
    return Decimal(signed).scaleb(-places) if places else Decimal(signed)
