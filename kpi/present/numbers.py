"""Numbers as people read them: percentages to one decimal, amounts with separators, rounded half up."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kpi.exact import round_half_up

DASH = "—"  # not computable (never 0)
OKU = 100_000_000  # yen per 億円


def percent(value: Fraction | Decimal | None, places: int = 1) -> str:
    """A ratio in percent, rounded half up to `places` decimals; '—' when not computable."""
    if value is None:
        return DASH
    return f"{round_half_up(value * 100, places)}%"


@dataclass(frozen=True)
class Percent:
    """A ratio that a CSV cell shows as its percentage text (69.6%) and a workbook keeps as a number (0.0%)."""

    value: Fraction | Decimal

    def __str__(self) -> str:
        return percent(self.value)

    def __float__(self) -> float:
        return float(self.value)


def number(value: int | Decimal | Fraction | None) -> str:
    """A count or an amount with thousands separators; an amount keeps up to two decimals; '—' for None."""
    if value is None:
        return DASH
    if isinstance(value, int):
        return f"{value:,}"
    exact = Fraction(value)
    if exact.denominator == 1:
        return f"{exact.numerator:,}"
    return f"{round_half_up(exact, 2).normalize():,f}"


def mean(value: Fraction | None, places: int) -> str:
    """A mean score rounded half up to `places` decimals; '—' when nobody graded."""
    return DASH if value is None else str(round_half_up(value, places))


def oku(yen: int | None) -> str:
    """Yen as 億円 with two decimals and separators."""
    return DASH if yen is None else f"{round_half_up(Fraction(yen, OKU), 2):,}"


def as_float(value: Fraction | Decimal | int | None) -> float | int | None:
    """A number for JSON made from the exact value: an int when whole, else the nearest float."""
    if value is None:
        return None
    exact = Fraction(value)
    return exact.numerator if exact.denominator == 1 else float(exact)
