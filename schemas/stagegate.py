"""stagegate: the stage-gate committee's scores (0–100) per theme, review year, reviewer and criterion (3-3 ③), and
the committee's decision.

A file without the criterion column (審査項目) gives each reviewer's total score, stored with the criterion '' (as
every review stored before criteria were recorded). With it, each row is a reviewer's score out of 100 on one of
the criteria the settings name (stagegate_criteria; kpi.figures.stagegate weighs them). A review's rows may give the
committee's decision (決定: 継続, 条件付き継続, 目標見直し, 中止) and its date (決定日), the same on every row that
gives them.
"""

from __future__ import annotations

from collections.abc import Callable

import pandera.polars as pa
import polars as pl

from kpi.fiscal import fy_expr
from schemas.common import LINE, choice, fiscal_year_column, text_check, text_column
from schemas.grants import DATE_PATTERN, date_expr

KIND = "stagegate"
TABLE = "stagegate"
KEY = ["theme_id", "review_fy", "reviewer", "criterion"]
COLUMNS = {
    "theme_id": ["テーマID", "テーマ番号"],
    "review_fy": ["審査年度"],
    "reviewer": ["審査委員", "委員"],
    "score": ["点数", "評点", "得点"],
    "criterion": ["審査項目", "評価項目"],
    "decision": ["決定", "委員会の決定", "審査結果"],
    "decided_on": ["決定日"],
}
OPTIONAL: set[str] = {"criterion", "decision", "decided_on"}
FREE_TEXT = {"reviewer", "criterion"}
SCORE_PATTERN = r"^[0-9]{1,3}(?:\.[0-9]{1,2})?$"

# The committee's decisions (codes stored) and the words a sheet may write for them (any case).
DECISIONS = ("continue", "conditional", "revise", "stop")
DECISION_WORDS = {
    "継続": "continue",
    "条件付き継続": "conditional",
    "条件付継続": "conditional",
    "目標見直し": "revise",
    "目標の見直し": "revise",
    "中止": "stop",
    **{code: code for code in DECISIONS},
}


def _review_rule(make: Callable[[set[str]], pl.Expr], rule: str, column: str) -> pa.Check:
    """A check across a file's rows, `make` given the columns the file has (the optional ones may be absent)."""

    def check(data: pa.PolarsData) -> pl.LazyFrame:
        names = set(data.lazyframe.collect_schema().names())
        return data.lazyframe.select(make(names).fill_null(True).alias("ok"))

    return pa.Check(check, error=rule, name=column)


def _given(names: set[str], column: str) -> pl.Expr:
    return pl.col(column) if column in names else pl.lit(None, pl.String)


def _review() -> list[pl.Expr]:
    return [pl.col("theme_id"), fy_expr(pl.col("review_fy"))]


def _duplicated(names: set[str]) -> pl.Expr:
    criterion = _given(names, "criterion")
    return pl.struct(*_review(), pl.col("reviewer"), criterion.fill_null("")).is_duplicated()


def _one_total(names: set[str]) -> pl.Expr:
    return ~(_duplicated(names) & _given(names, "criterion").is_null())


def _one_per_criterion(names: set[str]) -> pl.Expr:
    return ~(_duplicated(names) & _given(names, "criterion").is_not_null())


def _not_mixed(names: set[str]) -> pl.Expr:
    """A review is scored by criterion or by total, not both."""
    given = _given(names, "criterion").is_not_null()
    return given.n_unique().over(*_review()) == 1


def _one_value(column: str) -> Callable[[set[str]], pl.Expr]:
    """Every row of a review giving `column` gives the same value."""
    return lambda names: _given(names, column).drop_nulls().n_unique().over(*_review()) <= 1


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
        "criterion": pa.Column(str, nullable=True, required=False),
        "decision": pa.Column(
            str,
            nullable=True,
            required=False,
            checks=text_check(lambda c: choice(DECISION_WORDS, c).is_not_null(), "rule.stagegate_decision"),
        ),
        "decided_on": pa.Column(
            str, nullable=True, required=False, checks=text_check(lambda c: c.str.contains(DATE_PATTERN), "rule.date")
        ),
        LINE: pa.Column(pl.Int64),
    },
    checks=[
        _review_rule(_one_total, "rule.one_score", "reviewer"),
        _review_rule(_one_per_criterion, "rule.one_score_per_criterion", "criterion"),
        _review_rule(_not_mixed, "rule.stagegate_mixed", "criterion"),
        _review_rule(_one_value("decision"), "rule.stagegate_one_decision", "decision"),
        _review_rule(_one_value("decided_on"), "rule.stagegate_one_date", "decided_on"),
    ],
    strict=True,
    name="stagegate",
)


def to_records(df: pl.DataFrame, units: dict[str, str]) -> pl.DataFrame:
    """Typed rows for the stagegate table (scores exact, as DECIMAL; a total score has the criterion '')."""
    names = set(df.columns)
    return df.select(
        pl.col("theme_id"),
        fy_expr(pl.col("review_fy")).cast(pl.Int16).alias("review_fy"),
        pl.col("reviewer"),
        pl.col("score").cast(pl.Decimal(5, 2)).alias("score"),
        _given(names, "criterion").fill_null("").alias("criterion"),
        choice(DECISION_WORDS, _given(names, "decision")).alias("decision"),
        date_expr(_given(names, "decided_on")).alias("decided_on"),
    )


def criteria_faults(
    records: pl.DataFrame, criteria: tuple[str, ...]
) -> list[tuple[int, str | None, str, dict[str, str]]]:
    """A file's rows scored by criterion against the settings' criteria: a criterion they do not name (refused by
    name), and a review leaving one of theirs unscored (on its first line), each as (line, value, rule, params)."""
    scored = records.filter(pl.col("criterion") != "")
    listed = "、".join(criteria)
    faults: list[tuple[int, str | None, str, dict[str, str]]] = [
        (line, criterion, "rule.stagegate_criterion", {"criteria": listed})
        for criterion, line in scored.select("criterion", LINE).iter_rows()
        if criterion not in criteria
    ]
    reviews = scored.group_by("theme_id", "review_fy", maintain_order=True).agg(pl.col("criterion"), pl.col(LINE).min())
    for _, _, given, line in reviews.iter_rows():
        missing = [c for c in criteria if c not in given]
        if missing:
            faults.append((line, None, "rule.stagegate_criterion_missing", {"missing": "、".join(missing)}))
    return faults
