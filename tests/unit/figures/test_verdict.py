"""The verdict rule every output reads: no target, not judged yet, not measurable, met or not met — exactly."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kpi.figures.verdict import Verdict, judge

EIGHTY = Fraction(4, 5)


@pytest.mark.parametrize(
    ("numerator", "denominator", "target", "as_of", "judged_from", "verdict"),
    [
        (4, 5, EIGHTY, 2025, None, Verdict.MET),  # exactly 80% meets 80%
        (79, 100, EIGHTY, 2025, None, Verdict.NOT_MET),
        (799_999, 1_000_000, EIGHTY, 2025, None, Verdict.NOT_MET),  # no float rounding lifts it to 80%
        (0, 0, EIGHTY, 2025, None, Verdict.NOT_MEASURABLE),
        (None, 115, EIGHTY, 2025, None, Verdict.NOT_MEASURABLE),  # not surveyed is not 0%
        (1, 2, Fraction(1, 2), 2029, 2030, Verdict.NOT_JUDGED_YET),  # met, but before its judging year
        (0, 0, Fraction(1, 2), 2029, 2030, Verdict.NOT_JUDGED_YET),
        (1, 2, Fraction(1, 2), 2030, 2030, Verdict.MET),
        (1, 3, Fraction(1, 2), 2031, 2030, Verdict.NOT_MET),
        (4, 5, None, 2025, None, Verdict.NO_TARGET),  # no settings: nothing is judged
        (4, 5, None, 2025, 2030, Verdict.NO_TARGET),
    ],
)
def test_judge(
    numerator: int | None,
    denominator: int,
    target: Fraction | None,
    as_of: int,
    judged_from: int | None,
    verdict: Verdict,
) -> None:
    assert judge(numerator, denominator, target, as_of, judged_from) is verdict


def test_met_is_true_or_false_only_for_a_judged_ratio() -> None:
    assert {v: v.met for v in Verdict} == {
        Verdict.MET: True,
        Verdict.NOT_MET: False,
        Verdict.NOT_JUDGED_YET: None,
        Verdict.NOT_MEASURABLE: None,
        Verdict.NO_TARGET: None,
    }
