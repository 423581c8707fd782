"""The verdict of a figure against its target: the one rule every output reads."""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction

from kpi.exact import ratio


class Verdict(StrEnum):
    """What a KPI's ratio says about its target."""

    MET = "met"
    NOT_MET = "not_met"
    NOT_JUDGED_YET = "not_judged_yet"  # before the programme's judging year
    NOT_MEASURABLE = "not_measurable"  # the denominator is 0, or the numerator is not known yet
    NO_TARGET = "no_target"  # no programme settings loaded

    @property
    def met(self) -> bool | None:
        """True or False for a judged ratio, None for every other verdict."""
        return {Verdict.MET: True, Verdict.NOT_MET: False}.get(self)


def judge(
    numerator: int | None,
    denominator: int,
    target: Fraction | None,
    as_of: int,
    judged_from: int | None = None,
) -> Verdict:
    """The verdict: no target, not judged before its year, not measurable, else met when ratio ≥ target (exactly)."""
    if target is None:
        return Verdict.NO_TARGET
    if judged_from is not None and as_of < judged_from:
        return Verdict.NOT_JUDGED_YET
    value = ratio(numerator, denominator)
    if value is None:
        return Verdict.NOT_MEASURABLE
    return Verdict.MET if value >= target else Verdict.NOT_MET
