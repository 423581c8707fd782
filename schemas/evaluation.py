"""evaluation: the working group's grades (評点法, A–D) per round, criterion and member (Chapter 1, 1.)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas.common import LINE, row_check, text_check, text_column
from schemas.rounds import ROUND_RULE, round_code, round_expr

KIND = "evaluation"
TABLE = "evaluation"
KEY = ["criterion", "member", "round"]
COLUMNS = {
    "criterion": ["評価項目", "評価項目・評価基準"],
    "member": ["委員", "評価WG委員"],
    "grade": ["評価", "評点"],
    "round": ["評価回", "評価時期"],
}
OPTIONAL: set[str] = {"round"}
FREE_TEXT = {"criterion", "member"}

SCHEMA = pa.DataFrameSchema(
    {
        "criterion": text_column(),
        "member": text_column(),
        # blank = the member gave no grade: missing, not D
        "grade": pa.Column(
            str,
            nullable=True,
            checks=text_check(lambda c: c.str.to_uppercase().is_in(["A", "B", "C", "D"]), "rule.grade"),
        ),
        "round": pa.Column(str, nullable=True, checks=text_check(lambda c: round_expr(c).is_not_null(), ROUND_RULE)),
        LINE: pa.Column(pl.Int64),
    },
    checks=[
        row_check(
            lambda: ~pl.struct(round_code(pl.col("round")), "criterion", "member").is_duplicated(),
            "rule.one_grade",
            "member",
        )
    ],
    strict=True,
    name="evaluation",
)


def to_records(df: pl.DataFrame, units: dict[str, str]) -> pl.DataFrame:
    """Typed rows; `position` keeps the criteria and members in the order the file gives them."""
    return df.select(
        pl.col("criterion"),
        pl.col("member"),
        pl.col("grade").str.to_uppercase().alias("grade"),
        pl.int_range(pl.len(), dtype=pl.Int32).alias("position"),
        round_code(pl.col("round")).alias("round"),
    )
