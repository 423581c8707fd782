"""What a KPI can still become: the outlook the office asks for all year ("can we still make 80%?").

Two kinds, each declared by a KPI's specification:
- pending themes (the short-term KPI): themes whose result is still to come will each join the denominator,
  and the numerator when they meet their goals; the outlook is the best and worst the ratio can end at, the
  fewest of them that must meet their goals, and whether the target is secured, open or out of reach;
- a count to reach (the long-term KPI): how many more themes must reach practical use for the ratio to meet
  its target with today's denominator, the years left to the judging year, and the surveys still to come.
Every comparison is exact, like the target's: reaching the target exactly counts as reaching it.
"""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from kpi.exact import ratio


class Reach(StrEnum):
    """Whether the target can still be met once every pending theme is judged."""

    SECURED = "secured"  # met even if no pending theme meets its goal
    OPEN = "open"  # met only if enough pending themes meet their goals
    OUT_OF_REACH = "out_of_reach"  # missed even if every pending theme meets its goal


def at_least(target: Fraction, total: int) -> int:
    """The fewest themes of `total` that make a ratio reach `target`: ⌈target × total⌉, exactly."""
    return -(-(target.numerator * total) // target.denominator)


class Pending(NamedTuple):
    """The short-term outlook: `pending` themes still to be judged beside `achieved` of `completed`."""

    pending: int
    achieved: int
    completed: int
    needed: int | None  # pending themes that must meet their goals (0: secured; None: out of reach or no target)
    reach: Reach | None  # None without a target

    @property
    def total(self) -> int:
        return self.completed + self.pending

    @property
    def best_achieved(self) -> int:
        return self.achieved + self.pending

    @property
    def best(self) -> Fraction | None:
        return ratio(self.best_achieved, self.total)

    @property
    def worst(self) -> Fraction | None:
        return ratio(self.achieved, self.total)


def pending_outlook(achieved: int, completed: int, pending: int, target: Fraction | None) -> Pending | None:
    """The outlook once the pending themes are judged; None when there is nothing to judge at all."""
    total = completed + pending
    if total == 0:
        return None
    if target is None:
        return Pending(pending, achieved, completed, None, None)
    short = at_least(target, total) - achieved
    if short <= 0:
        return Pending(pending, achieved, completed, 0, Reach.SECURED)
    if short > pending:
        return Pending(pending, achieved, completed, None, Reach.OUT_OF_REACH)
    return Pending(pending, achieved, completed, short, Reach.OPEN)


class ToReach(NamedTuple):
    """The long-term outlook: themes still to reach practical use, years left, surveys still to come."""

    needed: int | None  # None without a target, or while nothing is measured (no survey yet)
    years_left: int | None  # None without a judging year
    surveys_due: int
    required: int | None = None  # themes in practical use the target needs of today's denominator
    judged: bool = False  # the as-of year is the judging year or later: the figure is judged, not awaited


def to_reach(
    numerator: int | None,
    denominator: int,
    target: Fraction | None,
    as_of: int,
    judged_from: int | None,
    to_measure: int,
) -> ToReach | None:
    """How many more themes must count for the ratio to meet its target with today's denominator; None when the
    denominator is 0. With an unmeasured numerator (no survey yet) only the themes required are known."""
    if denominator == 0:
        return None
    required = None if target is None else at_least(target, denominator)
    needed = None if required is None or numerator is None else max(0, required - numerator)
    years_left = None if judged_from is None else max(0, judged_from - as_of)
    judged = judged_from is not None and as_of >= judged_from
    return ToReach(needed, years_left, to_measure, required, judged)
