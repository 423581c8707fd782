"""grants: patents granted (権利化) as of a date, domestic and foreign."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas.common import LINE, count_column, count_expr, row_check, text_check

KIND = "grants"
TABLE = "grants"
KEY = ["as_of_date"]
COLUMNS = {
    "as_of_date": ["時点", "基準日"],
    "granted_domestic": ["国内特許権利化", "国内権利化"],
    "granted_foreign": ["国外特許権利化", "国外権利化"],
}
OPTIONAL: set[str] = set()
FREE_TEXT: set[str] = set()

# 2026-05-31, 2026/5/31, 2026-05, 2026年5月, 2026年5月31日 (a month means its last day is not claimed: day 1)
DATE_PATTERN = r"^([0-9]{4})[-/年]([0-9]{1,2})(?:[-/月]([0-9]{1,2})日?|月)?$"
DATE_RULE = "rule.date"


def date_expr(value: pl.Expr) -> pl.Expr:
    """The date a text names (null if it names none)."""
    parts = value.str.extract_groups(DATE_PATTERN)
    return pl.date(
        parts.struct.field("1").cast(pl.Int32, strict=False),
        parts.struct.field("2").cast(pl.Int32, strict=False),
        pl.coalesce(parts.struct.field("3").cast(pl.Int32, strict=False), pl.lit(1)),
    )


def _valid_date(value: pl.Expr) -> pl.Expr:
    parts = value.str.extract_groups(DATE_PATTERN)
    day = pl.coalesce(parts.struct.field("3"), pl.lit("1"))
    text = pl.concat_str(parts.struct.field("1"), parts.struct.field("2"), day, separator="-")
    year = parts.struct.field("1").cast(pl.Int32, strict=False)
    return year.is_between(2000, 2100) & text.str.to_date("%Y-%m-%d", strict=False).is_not_null()


SCHEMA = pa.DataFrameSchema(
    {
        "as_of_date": pa.Column(str, checks=text_check(_valid_date, DATE_RULE)),
        "granted_domestic": count_column(),
        "granted_foreign": count_column(),
        LINE: pa.Column(pl.Int64),
    },
    checks=[row_check(lambda: ~pl.col("as_of_date").is_duplicated(), "rule.one_row_per_date", "as_of_date")],
    strict=True,
    name="grants",
)


def to_records(df: pl.DataFrame, units: dict[str, str]) -> pl.DataFrame:
    """Typed rows for the grants table."""
    return df.select(
        date_expr(pl.col("as_of_date")).alias("as_of_date"),
        count_expr("granted_domestic"),
        count_expr("granted_foreign"),
    )
