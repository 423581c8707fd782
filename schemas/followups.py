"""followups: NEDO's follow-up surveys of practical use, one stage per theme and survey year."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from kpi.codes import COMMERCIALISED  # noqa: F401  (re-exported: 実用化 = 製品化 or 上市)
from kpi.fiscal import fy_expr
from schemas.common import LINE, choice, fiscal_year_column, row_check, text_check, text_column

KIND = "followups"
TABLE = "followups"
KEY = ["theme_id", "survey_fy"]
COLUMNS = {
    "theme_id": ["テーマID", "テーマ番号"],
    "survey_fy": ["調査年度"],
    "stage": ["段階", "実用化段階"],
    # The context columns of the survey sheet `kpi followups due` writes: accepted as they are, not stored.
    "organizations": ["機関名"],
    "title": ["開発テーマ名"],
    "end_fy": ["終了年度"],
    "due_fy": ["調査予定年度"],
    "overdue": ["期限超過"],
}
CONTEXT = {"organizations", "title", "end_fy", "due_fy", "overdue"}
OPTIONAL: set[str] = set(CONTEXT)
FREE_TEXT: set[str] = set(CONTEXT)

# NEDO's survey stages; 実用化 (practical use) means 製品化 or 上市.
STAGES = {
    "研究": "研究",
    "開発": "開発",
    "製品化": "製品化",
    "上市": "上市",
    "中止": "中止",
    "中断": "中断",
    "research": "研究",
    "development": "開発",
    "productization": "製品化",
    "launch": "上市",
    "discontinued": "中止",
    "suspended": "中断",
}

SCHEMA = pa.DataFrameSchema(
    {
        "theme_id": text_column(),
        "survey_fy": fiscal_year_column(),
        "stage": pa.Column(
            str,
            checks=text_check(lambda c: choice(STAGES, c).is_not_null(), "rule.stage"),
        ),
        **{column: pa.Column(str, nullable=True, required=False) for column in CONTEXT},
        LINE: pa.Column(pl.Int64),
    },
    checks=[
        row_check(
            lambda: ~pl.struct(pl.col("theme_id"), fy_expr(pl.col("survey_fy"))).is_duplicated(),
            "rule.one_survey_per_year",
            "survey_fy",
        ),
    ],
    strict=True,
    name="followups",
)


def to_records(df: pl.DataFrame, units: dict[str, str]) -> pl.DataFrame:
    """Typed rows for the followups table."""
    return df.select(
        pl.col("theme_id"),
        fy_expr(pl.col("survey_fy")).cast(pl.Int16).alias("survey_fy"),
        choice(STAGES, pl.col("stage")).alias("stage"),
    )
