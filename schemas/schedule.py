"""schedule: each theme's research plan (3-3's schedule): the planned and actual fiscal years of its start, stage
gate and end, and of milestones it names, one row per theme and event."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from kpi.fiscal import fy_expr
from schemas.common import LINE, choice, fiscal_year_column, row_check, row_rule, text_check, text_column

KIND = "schedule"
TABLE = "schedule"
KEY = ["theme_id", "event", "name"]
COLUMNS = {
    "theme_id": ["テーマID", "テーマ番号"],
    "event": ["事象", "区分", "種別"],
    "name": ["名称", "マイルストーン名", "マイルストーン"],
    "planned_fy": ["予定年度", "計画年度", "予定"],
    "actual_fy": ["実績年度", "実績"],
}
OPTIONAL = {"name", "actual_fy"}
FREE_TEXT = {"name"}

# The events of a theme's plan (codes stored) and the words a sheet may write for them (any case).
EVENTS = ("start", "stagegate", "end", "milestone")
EVENT_WORDS = {
    "開始": "start",
    "着手": "start",
    "ステージゲート": "stagegate",
    "sg": "stagegate",
    "sg審査": "stagegate",
    "stage gate": "stagegate",
    "終了": "end",
    "完了": "end",
    "マイルストーン": "milestone",
    **{code: code for code in EVENTS},
}


def _event() -> pl.Expr:
    return choice(EVENT_WORDS, pl.col("event"))


SCHEMA = pa.DataFrameSchema(
    {
        "theme_id": text_column(),
        "event": pa.Column(
            str, checks=text_check(lambda c: choice(EVENT_WORDS, c).is_not_null(), "rule.schedule_event")
        ),
        "name": text_column(required=False),
        "planned_fy": fiscal_year_column(),
        "actual_fy": fiscal_year_column(required=False),
        LINE: pa.Column(pl.Int64),
    },
    checks=[
        row_rule(
            lambda: (_event() != "milestone") | pl.col("name").is_not_null(), "rule.schedule_name_required", "name"
        ),
        row_rule(
            lambda: (_event() == "milestone") | pl.col("name").is_null(), "rule.schedule_name_only_milestone", "name"
        ),
        row_check(
            lambda: ~pl.struct(pl.col("theme_id"), _event(), pl.col("name").fill_null("")).is_duplicated(),
            "rule.schedule_one_event",
            "event",
        ),
    ],
    strict=True,
    name="schedule",
)


def to_records(df: pl.DataFrame, units: dict[str, str]) -> pl.DataFrame:
    """Typed rows: the event as its code, the name '' for the start, stage gate and end, the years as numbers."""
    return df.select(
        pl.col("theme_id"),
        _event().alias("event"),
        pl.col("name").fill_null("").alias("name"),
        fy_expr(pl.col("planned_fy")).cast(pl.Int16).alias("planned_fy"),
        fy_expr(pl.col("actual_fy")).cast(pl.Int16).alias("actual_fy"),
    )
