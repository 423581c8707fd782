"""followups: NEDO's follow-up surveys of practical use, one answer per theme, organisation and survey year.

An answer names the organisation it is from (one of its theme's: kpi.organisations; blank = the theme as a whole,
as the survey CSV `theme_id, survey_fy, stage` gives it), its stage, and may give the year's sales and the
cumulative sales (億円), product names, effects, and for 中止・中断 a coded reason with its details.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from kpi.codes import COMMERCIALISED, REASON_CODES, STOPPED  # noqa: F401  (re-exported)
from kpi.fiscal import fy_expr
from schemas.common import LINE, amount_column, amount_expr, choice, fiscal_year_column, text_check, text_column

KIND = "followups"
TABLE = "followups"
KEY = ["theme_id", "organisation", "survey_fy"]
COLUMNS = {
    "theme_id": ["テーマID", "テーマ番号"],
    "survey_fy": ["調査年度"],
    "organisation": ["回答機関", "機関"],
    "stage": ["段階", "実用化段階"],
    "reason_code": ["中止・中断の理由", "理由コード"],
    "reason_text": ["理由の詳細", "理由（詳細）"],
    "sales": ["売上高(億円)", "売上高（億円）", "売上高"],
    "cumulative_sales": ["累積売上高(億円)", "累積売上高（億円）", "累積売上高"],
    "products": ["製品名", "製品・サービス名"],
    "effects": ["効果", "波及効果"],
    # The context columns of the survey sheets kpi writes (`kpi followups due`, `kpi followups sheets`): accepted
    # as they are, not stored.
    "organizations": ["機関名"],
    "title": ["開発テーマ名"],
    "end_fy": ["終了年度"],
    "due_fy": ["調査予定年度"],
    "overdue": ["期限超過"],
    "years_after": ["終了後年数"],
    "survey_kind": ["調査の種類"],
    "previous_fy": ["前回の調査年度", "last_survey_fy"],
    "previous_stage": ["前回の段階", "last_stage"],
    "deadline": ["回答期限"],
}
CONTEXT = {
    "organizations",
    "title",
    "end_fy",
    "due_fy",
    "overdue",
    "years_after",
    "survey_kind",
    "previous_fy",
    "previous_stage",
    "deadline",
}
ANSWERS = {"organisation", "reason_code", "reason_text", "sales", "cumulative_sales", "products", "effects"}
OPTIONAL: set[str] = CONTEXT | ANSWERS
FREE_TEXT: set[str] = CONTEXT | {"reason_text", "products", "effects"}
SALES = ["sales", "cumulative_sales"]  # 億円 (a header marked (円) means yen), stored as DECIMAL(18, 4)
SALES_DIGITS = 14  # DECIMAL(18, 4): 14 digits before the point

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

# Why a theme stopped (中止・中断): the words a sheet may write for each code (any case).
REASON_WORDS = {
    "technical": ("技術的課題", "technical"),
    "market": ("市場・需要", "market"),
    "funding": ("資金", "funding"),
    "strategy": ("事業戦略", "strategy"),
    "other": ("その他", "other"),
}
REASONS = {
    **{code: code for code in REASON_CODES},
    **{word: code for code, words in REASON_WORDS.items() for word in words},
    "技術": "technical",
    "市場": "market",
    "需要": "market",
    "company strategy": "strategy",
    "事業戦略上の判断": "strategy",
}


def _with_organisations(data: pa.PolarsData) -> bool:
    """Whether a file names the organisations answering (the reader gives every optional column, blank if absent)."""
    lf = data.lazyframe
    if "organisation" not in lf.collect_schema().names():
        return False
    return bool(lf.select(pl.col("organisation").is_not_null().any()).collect().item())


def _one_per_theme_and_year(data: pa.PolarsData) -> pl.LazyFrame:
    """A file without organisations: one row per theme and survey year (as before organisations were recorded)."""
    if _with_organisations(data):
        return data.lazyframe.select(pl.lit(True).alias("ok"))
    key = pl.struct(pl.col("theme_id"), fy_expr(pl.col("survey_fy")))
    return data.lazyframe.select((~key.is_duplicated()).fill_null(True).alias("ok"))


def _one_per_organisation(data: pa.PolarsData) -> pl.LazyFrame:
    """A file with organisations: one answer per theme, organisation (blank: the theme as a whole) and survey year."""
    if not _with_organisations(data):
        return data.lazyframe.select(pl.lit(True).alias("ok"))
    key = pl.struct(pl.col("theme_id"), pl.col("organisation").fill_null(""), fy_expr(pl.col("survey_fy")))
    return data.lazyframe.select((~key.is_duplicated()).fill_null(True).alias("ok"))


def _reason_only_when_stopped(data: pa.PolarsData) -> pl.LazyFrame:
    """A reason is given only for a stage 中止 or 中断."""
    stopped = choice(STAGES, pl.col("stage")).is_in(STOPPED)
    return data.lazyframe.select((pl.col("reason_code").is_null() | stopped).fill_null(True).alias("ok"))


def _sales_column() -> pa.Column:
    """Sales in 億円: an amount as the budget file writes one, at most 14 digits before the point."""
    column = amount_column(required=False)
    return pa.Column(
        str,
        nullable=True,
        required=False,
        checks=[
            *column.checks,
            text_check(
                lambda c: (
                    c.str.replace_all(",", "").str.extract(r"^([0-9]+)", 1).str.len_chars().fill_null(0) <= SALES_DIGITS
                ),
                "rule.sales_too_large",
            ),
        ],
    )


SCHEMA = pa.DataFrameSchema(
    {
        "theme_id": text_column(),
        "survey_fy": fiscal_year_column(),
        "organisation": pa.Column(str, nullable=True, required=False),
        "stage": pa.Column(
            str,
            checks=text_check(lambda c: choice(STAGES, c).is_not_null(), "rule.stage"),
        ),
        "reason_code": pa.Column(
            str,
            nullable=True,
            required=False,
            checks=text_check(lambda c: choice(REASONS, c).is_not_null(), "rule.reason_code"),
        ),
        **{column: _sales_column() for column in SALES},
        **{column: pa.Column(str, nullable=True, required=False) for column in FREE_TEXT},
        LINE: pa.Column(pl.Int64),
    },
    checks=[
        pa.Check(_one_per_theme_and_year, error="rule.one_survey_per_year", name="survey_fy"),
        pa.Check(_one_per_organisation, error="rule.one_answer_per_organisation", name="organisation"),
        pa.Check(_reason_only_when_stopped, error="rule.reason_only_when_stopped", name="reason_code"),
    ],
    strict=True,
    name="followups",
)


def _given(df: pl.DataFrame, column: str, value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """A column's typed value, or nulls of its type when the file does not have it."""
    return (value if column in df.columns else pl.lit(None)).cast(dtype).alias(column)


def to_records(df: pl.DataFrame, units: dict[str, str]) -> pl.DataFrame:
    """Typed rows for the followups table: a blank organisation is the theme as a whole (''); sales in 億円, kept to
    four decimals (1万円)."""
    money = pl.Decimal(18, 4)
    return df.select(
        pl.col("theme_id"),
        _given(df, "organisation", pl.col("organisation"), pl.String()).fill_null(""),
        fy_expr(pl.col("survey_fy")).cast(pl.Int16).alias("survey_fy"),
        choice(STAGES, pl.col("stage")).alias("stage"),
        *(
            _given(df, column, amount_expr(column, units) if column in df.columns else pl.lit(None), money)
            for column in SALES
        ),
        _given(df, "products", pl.col("products"), pl.String()),
        _given(df, "effects", pl.col("effects"), pl.String()),
        _given(df, "reason_code", choice(REASONS, pl.col("reason_code")), pl.String()),
        _given(df, "reason_text", pl.col("reason_text"), pl.String()),
    )
