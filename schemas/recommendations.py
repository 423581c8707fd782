"""recommendations: the working group's recommendations of a round, the 対処方針 and what has been done about them."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas.common import LINE, choice, row_check, text_check, text_column
from schemas.grants import DATE_RULE, _valid_date, date_expr
from schemas.rounds import ROUND_RULE, round_expr

KIND = "recommendations"
TABLE = "recommendations"
KEY = ["round", "section", "number"]
COLUMNS = {
    "round": ["評価回", "評価時期"],
    "section": ["区分", "評価項目"],
    "number": ["番号", "No"],
    "member": ["委員"],
    "recommendation": ["指摘事項", "問題点・改善点・今後への提言", "問題点・改善すべき点", "提言", "text"],
    "response": ["対処方針", "対処方針・見解"],
    "status": ["状況", "対応状況", "ステータス"],
    "evidence": ["対処状況", "現在の対処状況", "根拠"],
    "status_date": ["時点", "確認日", "date"],
}
OPTIONAL = {"section", "member", "response", "evidence", "status_date"}
FREE_TEXT = {"section", "number", "member", "recommendation", "response", "evidence"}

# 未着手 → 対応中 → 対応済 (each in Japanese or English); stored as not_started, in_progress, done.
STATUSES = {
    "未着手": "not_started",
    "未対応": "not_started",
    "not started": "not_started",
    "not_started": "not_started",
    "対応中": "in_progress",
    "検討中": "in_progress",
    "in progress": "in_progress",
    "in_progress": "in_progress",
    "対応済": "done",
    "対応済み": "done",
    "done": "done",
}
STATUS_ORDER = ("not_started", "in_progress", "done")  # the open ones first

SCHEMA = pa.DataFrameSchema(
    {
        "round": pa.Column(str, checks=text_check(lambda c: round_expr(c).is_not_null(), ROUND_RULE)),
        "section": text_column(required=False),
        "number": text_column(),
        "member": text_column(required=False),
        "recommendation": text_column(),
        "response": text_column(required=False),
        "status": pa.Column(
            str, checks=text_check(lambda c: choice(STATUSES, c).is_not_null(), "rule.recommendation_status")
        ),
        "evidence": text_column(required=False),
        "status_date": pa.Column(str, nullable=True, checks=text_check(_valid_date, DATE_RULE)),
        LINE: pa.Column(pl.Int64),
    },
    checks=[
        row_check(
            lambda: ~pl.struct(round_expr(pl.col("round")), pl.col("section").fill_null(""), "number").is_duplicated(),
            "rule.one_recommendation",
            "number",
        )
    ],
    strict=True,
    name="recommendations",
)


def to_records(df: pl.DataFrame, units: dict[str, str]) -> pl.DataFrame:
    """Typed rows: the round and status as codes, the texts as written, `position` the file's order."""
    return df.select(
        round_expr(pl.col("round")).alias("round"),
        pl.col("section").fill_null("").alias("section"),
        pl.col("number"),
        pl.col("member"),
        pl.col("recommendation"),
        pl.col("response"),
        choice(STATUSES, pl.col("status")).alias("status"),
        pl.col("evidence"),
        date_expr(pl.col("status_date")).alias("status_date"),
        pl.int_range(pl.len(), dtype=pl.Int32).alias("position"),
    )
