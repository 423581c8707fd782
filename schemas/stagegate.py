"""stagegate: the stage-gate committee's scores (0–100) per theme, review year and reviewer (3-3 ③)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from kpi.fiscal import fy_expr
from schemas.common import LINE, fiscal_year_column, row_check, text_check, text_column

KIND = "stagegate"
TABLE = "stagegate"
KEY = ["theme_id", "review_fy", "reviewer"]
COLUMNS = {
    "theme_id": ["テーマID", "テーマ番号"],
    "review_fy": ["審査年度"],
    "reviewer": ["審査委員", "委員"],
    "score": ["点数", "評点", "得点"],
}
OPTIONAL: set[str] = set()
FREE_TEXT = {"reviewer"}
SCORE_PATTERN = r"^[0-9]{1,3}(?:\.[0-9]{1,2})?$"

SCHEMA = pa.DataFrameSchema(
    {
        "theme_id": text_column(),
        "review_fy": fiscal_year_column(),
        "reviewer": text_column(),
        "score": pa.Column(
            str,
            checks=text_check(
                lambda c: c.str.contains(SCORE_PATTERN) & (c.cast(pl.Float64, strict=False) <= 100),
                "rule.score",
            ),
        ),
        LINE: pa.Column(pl.Int64),
    },
    checks=[
        row_check(
            lambda: ~pl.struct(pl.col("theme_id"), fy_expr(pl.col("review_fy")), pl.col("reviewer")).is_duplicated(),
            "rule.one_score",
            "reviewer",
        )
    ],
    strict=True,
    name="stagegate",
)


def to_records(df: pl.DataFrame, units: dict[str, str]) -> pl.DataFrame:
    """Typed rows for the stagegate table (scores exact, as DECIMAL)."""
    return df.select(
        pl.col("theme_id"),
        fy_expr(pl.col("review_fy")).cast(pl.Int16).alias("review_fy"),
        pl.col("reviewer"),
        pl.col("score").cast(pl.Decimal(5, 2)).alias("score"),
    )
