"""budget: the fund's appropriation and execution per fiscal year (the report's 【事業情報】 予算額)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from kpi.fiscal import fy_expr
from schemas.common import LINE, amount_column, amount_expr, fiscal_year_column, row_check

KIND = "budget"
TABLE = "budget"
KEY = ["fy"]
COLUMNS = {
    "fy": ["年度", "予算年度"],
    "budget": ["予算額", "予算"],
    "executed": ["執行額", "執行"],
}
OPTIONAL = {"executed"}
FREE_TEXT: set[str] = set()
AMOUNTS = ["budget", "executed"]  # checked against their unit by kpi.load.validate (a yen column may be longer)

SCHEMA = pa.DataFrameSchema(
    {
        "fy": fiscal_year_column(),
        "budget": amount_column(),
        "executed": amount_column(required=False),
        LINE: pa.Column(pl.Int64),
    },
    checks=[
        row_check(
            lambda: ~fy_expr(pl.col("fy")).is_duplicated(),
            "rule.one_row_per_year",
            "fy",
        ),
    ],
    strict=True,
    name="budget",
)


def to_records(df: pl.DataFrame, units: dict[str, str]) -> pl.DataFrame:
    """Typed rows for the budget table: exact 億円 (a blank execution stays unknown, not 0)."""
    return df.select(
        fy_expr(pl.col("fy")).cast(pl.Int16).alias("fy"),
        amount_expr("budget", units).alias("budget"),
        amount_expr("executed", units).alias("executed"),
    )
