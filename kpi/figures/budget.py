"""Budget execution of the fund: per fiscal year and cumulative, in exact 億円 (DECIMAL), never clamped."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

import duckdb

from kpi.exact import ratio


class BudgetYear(NamedTuple):
    """One fiscal year: its appropriation, its execution (None: not yet known, not 0) and the running sums."""

    fy: int
    budget: Decimal
    executed: Decimal | None
    cumulative_budget: Decimal
    cumulative_executed: Decimal | None

    @property
    def ratio(self) -> Fraction | None:
        return ratio(self.executed, self.budget)

    @property
    def cumulative_ratio(self) -> Fraction | None:
        return ratio(self.cumulative_executed, self.cumulative_budget)

    @property
    def draws_on_earlier(self) -> bool:
        """A fund may execute more than the year's appropriation, drawing on earlier ones."""
        return self.executed is not None and self.executed > self.budget


class Budget(NamedTuple):
    """The budget table up to the as-of year, and its totals."""

    years: tuple[BudgetYear, ...]

    @property
    def total_budget(self) -> Decimal:
        return sum((y.budget for y in self.years), Decimal(0))

    @property
    def total_executed(self) -> Decimal:
        return sum((y.executed for y in self.years if y.executed is not None), Decimal(0))

    @property
    def ratio(self) -> Fraction | None:
        return ratio(self.total_executed, self.total_budget)


def budget(con: duckdb.DuckDBPyConnection, as_of: int) -> Budget:
    """Per-year and cumulative execution / budget up to as_of."""
    rows = con.execute(
        """
        SELECT fy, budget, executed, sum(budget) OVER w, sum(executed) OVER w
        FROM budget WHERE fy <= $as_of
        WINDOW w AS (ORDER BY fy ROWS UNBOUNDED PRECEDING)
        ORDER BY fy
        """,
        {"as_of": as_of},
    ).fetchall()
    return Budget(tuple(BudgetYear(int(fy), b, e, cb, ce) for fy, b, e, cb, ce in rows))
