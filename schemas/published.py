"""published: figures as the evaluation report prints them, for `kpi reconcile` to compare with."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from kpi.fiscal import fy_expr
from schemas.common import LINE, fiscal_year_column, row_check, text_check, text_column

KIND = "published"
TABLE = "published"
KEY = ["figure", "as_of_fy"]
COLUMNS = {
    "figure": ["指標", "項目"],
    "as_of_fy": ["時点", "年度"],
    "value": ["値", "公表値"],
    "source": ["出典", "where", "掲載箇所"],
}
OPTIONAL: set[str] = set()
FREE_TEXT = {"figure", "source"}

# The figures kpi can compute (kpi/reconcile.py resolves each).
FIGURE_PATTERN = (
    r"^(?:status_summary\.(?:achieved|on_track|delayed_or_not_achieved|total)"
    r"|by_element\.[12]\.[a-z]\.(?:achieved|on_track|delayed_or_not_achieved|total)"
    r"|short_term\.ratio"
    r"|budget\.(?:total|year)\.(?:budget|executed)"
    r"|national_expenditure"
    r"|outputs\.total\.(?:papers|presentations|patents_domestic|patents_foreign|patents_pct)"
    r"|grants\.(?:granted_domestic|granted_foreign)"
    r"|evaluation\.score:.+)$"
)
VALUE_PATTERN = r"^-?[0-9,]+(?:\.[0-9]+)?%?$"

SCHEMA = pa.DataFrameSchema(
    {
        "figure": pa.Column(
            str,
            checks=text_check(
                lambda c: c.str.contains(FIGURE_PATTERN),
                "rule.figure",
            ),
        ),
        "as_of_fy": fiscal_year_column(),
        "value": pa.Column(
            str,
            checks=text_check(lambda c: c.str.contains(VALUE_PATTERN), "rule.printed_value"),
        ),
        "source": text_column(),
        LINE: pa.Column(pl.Int64),
    },
    checks=[
        row_check(
            lambda: ~pl.struct(pl.col("figure"), fy_expr(pl.col("as_of_fy"))).is_duplicated(),
            "rule.one_value",
            "figure",
        )
    ],
    strict=True,
    name="published",
)


def to_records(df: pl.DataFrame, units: dict[str, str]) -> pl.DataFrame:
    """Typed rows: the value stays text as printed (80% and 27,759 compare by their own precision)."""
    return df.select(
        pl.col("figure"),
        fy_expr(pl.col("as_of_fy")).cast(pl.Int16).alias("as_of_fy"),
        pl.col("value"),
        pl.col("source"),
    )
