"""Shared pieces of the schemas: text rules as polars expressions and the pandera checks built on them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import pandera.polars as pa
import polars as pl

from kpi.fiscal import fy_expr

LINE = "_line"  # the line of the file a row starts on, added by kpi.load.tables before validation


class KindSpec(Protocol):
    """What every schemas/<kind>.py module provides."""

    KIND: str
    TABLE: str
    KEY: list[str]
    COLUMNS: dict[str, list[str]]
    OPTIONAL: set[str]
    FREE_TEXT: set[str]
    SCHEMA: pa.DataFrameSchema

    def to_records(self, df: pl.DataFrame, units: dict[str, str]) -> pl.DataFrame: ...


def per_distinct(lf: pl.LazyFrame, exprs: dict[str, pl.Expr]) -> pl.LazyFrame:
    """Row-wise expressions, each evaluated once per distinct value of the columns it reads, in row order.

    The contract's coded columns (fiscal years, status cells, items, funding, elements) hold a bounded set of
    spellings whatever the file's length, so parsing the distinct values and joining back costs one hash join
    instead of a regex per row; on a column of distinct values it costs one join more than evaluating directly.
    """
    parts = []
    for name, expr in exprs.items():
        columns = list(dict.fromkeys(expr.meta.root_names()))
        keys = lf.select(columns)
        table = keys.unique().with_columns(expr.alias("__value"))
        joined = keys.join(table, on=columns, how="left", nulls_equal=True, maintain_order="left")
        parts.append(joined.select(pl.col("__value").alias(name)))
    return pl.concat(parts, how="horizontal")


def text_check(make: Callable[[pl.Expr], pl.Expr], rule: str) -> pa.Check:
    """A row-wise check on a text column: `make(col)` is true where the value follows `rule` (a catalogue key);
    nulls pass.

    `make` must be row-wise (no aggregation such as is_duplicated): it is evaluated per distinct value.
    """

    def check(data: pa.PolarsData) -> pl.LazyFrame:
        col = pl.col(data.key)
        return per_distinct(data.lazyframe, {"ok": make(col).fill_null(False) | col.is_null()})

    return pa.Check(check, error=rule)


def row_rule(make: Callable[[], pl.Expr], rule: str, column: str) -> pa.Check:
    """A row-wise rule across columns, evaluated per distinct combination of the cells it reads (see row_check)."""

    def check(data: pa.PolarsData) -> pl.LazyFrame:
        return per_distinct(data.lazyframe, {"ok": make().fill_null(True)})

    return pa.Check(check, error=rule, name=column)


def row_check(make: Callable[[], pl.Expr], rule: str, column: str) -> pa.Check:
    """A check across columns and rows: `make()` is true (or null) where the row follows `rule`.

    Evaluated on the whole frame, so `make` may aggregate (is_duplicated); a purely row-wise rule is cheaper
    as row_rule.

    `column` is the cell a failure points at (pandera itself only names the schema).
    """

    def check(data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(make().fill_null(True).alias("ok"))

    return pa.Check(check, error=rule, name=column)


FY_RULE = "rule.fiscal_year"  # 2025, R7, 令和7年度 or 平成31年度, within MIN_FY–MAX_FY


def fiscal_year_column(required: bool = True) -> pa.Column:
    """A fiscal-year column in any accepted spelling."""
    return pa.Column(
        str,
        nullable=not required,
        required=required,
        checks=text_check(lambda c: fy_expr(c).is_not_null(), FY_RULE),
    )


def text_column(required: bool = True, unique: bool = False) -> pa.Column:
    """A free-text column (already trimmed and NFKC-normalised by kpi.load.tables)."""
    return pa.Column(str, nullable=not required, required=required, unique=unique)


def choice(mapping: dict[str, str], value: pl.Expr) -> pl.Expr:
    """Map accepted spellings (compared case-insensitively) to canonical codes; null if none matches."""
    key = value.str.to_lowercase().str.replace_all(r"[\s_]+", " ")
    return key.replace_strict({k.lower(): v for k, v in mapping.items()}, default=None, return_dtype=pl.String)


AMOUNT_PATTERN = r"^(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?$"
AMOUNT_RULE = "rule.amount"


MAX_DIGITS = 16  # DECIMAL(24, 8): 16 digits before the point (億円); a yen column may have 8 more
AMOUNT_TOO_LARGE = "rule.amount_too_large"


def amount_column(required: bool = True) -> pa.Column:
    """A money column: digits with optional thousands separators and decimals, never negative."""
    return pa.Column(
        str,
        nullable=not required,
        required=required,
        checks=[
            text_check(lambda c: c.str.contains(AMOUNT_PATTERN), AMOUNT_RULE),
            text_check(
                lambda c: (
                    c.str.replace_all(",", "").str.extract(r"^([0-9]+)", 1).str.len_chars().fill_null(0)
                    <= MAX_DIGITS + 8
                ),
                AMOUNT_TOO_LARGE,
            ),
        ],
    )


OKU = 100_000_000  # yen per 億円


def amount_fits(column: str, units: dict[str, str]) -> pl.Expr:
    """Whether an amount fits DECIMAL(24, 8) once in 億円 (a 億円 column allows 16 digits, a yen one 24)."""
    digits = pl.col(column).str.replace_all(",", "").str.extract(r"^([0-9]+)", 1).str.len_chars()
    return digits <= (MAX_DIGITS + 8 if units.get(column) == "yen" else MAX_DIGITS)


def amount_expr(column: str, units: dict[str, str]) -> pl.Expr:
    """Exact 億円 as Decimal(24, 8): a header marked (円) means yen."""
    value = pl.col(column).str.replace_all(",", "").cast(pl.Decimal(38, 8))
    if units.get(column) == "yen":
        value = value / pl.lit(OKU).cast(pl.Decimal(38, 0))
    return value.cast(pl.Decimal(24, 8))


COUNT_PATTERN = r"^(?:[0-9]{1,3}(?:,[0-9]{3}){0,5}|[0-9]{1,18})\s*件?$"  # at most 18 digits: BIGINT
COUNT_RULE = "rule.count"


def count_column(required: bool = True) -> pa.Column:
    """A count: a non-negative whole number, thousands separators and a trailing 件 allowed."""
    return pa.Column(
        str,
        nullable=not required,
        required=required,
        checks=text_check(lambda c: c.str.contains(COUNT_PATTERN), COUNT_RULE),
    )


def count_expr(column: str) -> pl.Expr:
    """A count column as Int64."""
    return pl.col(column).str.replace_all(r"[,\s件]", "").cast(pl.Int64).alias(column)


def unique_key_check(columns: list[str], rule: str, column: str) -> pa.Check:
    """Each combination of `columns` appears once (compared after the text normalisation of kpi.load.tables)."""
    return row_check(lambda: ~pl.struct(*columns).is_duplicated(), rule, column)
