"""outputs: papers, presentations and patent applications per fiscal year (the report's 2-2 ③)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from kpi.fiscal import fy_expr
from schemas.common import LINE, count_column, count_expr, fiscal_year_column, row_check

KIND = "outputs"
TABLE = "outputs"
KEY = ["fy"]
COLUMNS = {
    "fy": ["年度"],
    "papers": ["論文数", "論文"],
    "presentations": ["発表", "発表数"],
    "patents_domestic": ["国内特許出願"],
    "patents_foreign": ["国外特許出願"],
    "patents_pct": ["PCT出願"],
}
OPTIONAL: set[str] = set()
FREE_TEXT: set[str] = set()
COUNTS = [c for c in COLUMNS if c != "fy"]

SCHEMA = pa.DataFrameSchema(
    {
        "fy": fiscal_year_column(),
        **{c: count_column() for c in COUNTS},
        LINE: pa.Column(pl.Int64),
    },
    checks=[row_check(lambda: ~fy_expr(pl.col("fy")).is_duplicated(), "rule.one_row_per_year", "fy")],
    strict=True,
    name="outputs",
)


def to_records(df: pl.DataFrame, units: dict[str, str]) -> pl.DataFrame:
    """Typed rows for the outputs table (a 計 total row is not data: totals are computed)."""
    return df.select(fy_expr(pl.col("fy")).cast(pl.Int16).alias("fy"), *(count_expr(c) for c in COUNTS))
