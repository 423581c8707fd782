"""themes: every funded theme with its item, element, end year and result (the report's section 3-3)."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

import pandera.polars as pa
import polars as pl

from kpi.codes import CANCELLED, ENDED_EARLY, REASON_GIVEN, TERMINATED
from kpi.fiscal import fy_expr
from kpi.settings import Attribute
from schemas.common import (
    LINE,
    OKU,
    amount_column,
    choice,
    fiscal_year_column,
    per_distinct,
    row_check,
    row_rule,
    text_check,
    text_column,
)
from schemas.followups import REASONS
from schemas.themes_columns import COLUMNS, FREE_TEXT, KEY, KIND, OPTIONAL, TABLE, Declared
from schemas.themes_columns import REASONS as REASONS_COLUMNS

if TYPE_CHECKING:
    from schemas.common import KindSpec

__all__ = [
    "COLUMNS",
    "FREE_TEXT",
    "KEY",
    "KIND",
    "OPTIONAL",
    "REASONS_COLUMNS",
    "RULE_INPUTS",
    "SCHEMA",
    "TABLE",
    "to_records",
]

ITEM_NAMES = {"ポスト5G": 1, "先端半導体": 2, "先導半導体": 2, "先導研究": 3, "leading": 3}
FUNDING = {"委託": "委託", "助成": "助成", "contract": "委託", "grant": "助成"}
STATUS = {
    "目標達成": "achieved",
    "目標未達": "not_achieved",
    "遅延": "delayed",
    "計画通り": "on_track",
    "遅延なし": "on_track",
    "achieved": "achieved",
    "not achieved": "not_achieved",
    "delayed": "delayed",
    "on track": "on_track",
    # Ended early: stopped at a stage gate (the seed's 「原則終了」 under 40 points) or withdrawn by its organisations.
    "中止": TERMINATED,
    "ステージゲートで中止": TERMINATED,
    "ステージゲート中止": TERMINATED,
    "SG中止": TERMINATED,
    "途中終了": TERMINATED,
    "早期終了": TERMINATED,
    "打ち切り": TERMINATED,
    "打切り": TERMINATED,
    "原則終了": TERMINATED,
    "辞退": TERMINATED,
    "中途辞退": TERMINATED,
    "terminated": TERMINATED,
    "terminated early": TERMINATED,
    "stopped": TERMINATED,
    "withdrawn": TERMINATED,
    # Adoption cancelled: the theme leaves the programme (a theme merely missing from a list keeps its last state).
    "採択取消": CANCELLED,
    "採択取消し": CANCELLED,
    "採択取り消し": CANCELLED,
    "取消": CANCELLED,
    "取消し": CANCELLED,
    "取り消し": CANCELLED,
    "cancelled": CANCELLED,
    "canceled": CANCELLED,
    "adoption cancelled": CANCELLED,
    "adoption canceled": CANCELLED,
}


def _alternatives(codes: tuple[str, ...] | None = None) -> str:
    """The spellings of STATUS (of `codes` only, when given) as a regex alternation, longest first."""
    names = [s for s, code in STATUS.items() if codes is None or code in codes]
    return "|".join(re.escape(s) for s in sorted(names, key=len, reverse=True))


# The report's own cell: 「令和5年度終了 目標達成」 (end year, then the result), or for a theme ended early the year it
# ended and how: 「令和6年度中止」, 「令和6年度 ステージゲートで中止」, 「令和6年度 採択取消」. Group 1 or 3 is the year's
# text, group 2 or 4 the status.
STATUS_CELL = (
    r"(?i)^(?:(?:(\S+?)終了)?\s*(" + _alternatives() + r")|(\S+?年度)\s*(" + _alternatives(ENDED_EARLY) + r"))$"
)


def item_expr(value: pl.Expr) -> pl.Expr:
    """1, 2 or 3 from '1', '①' (NFKC makes it '1'), '①ポスト5G…(委託)' or an item's name."""
    leading = value.str.extract(r"^([123])(?:\.0+)?(?:$|[^0-9.,\-])", 1).cast(pl.Int8, strict=False)
    by_name = pl.lit(None, dtype=pl.Int8)
    for name, code in reversed(ITEM_NAMES.items()):
        by_name = (
            pl.when(value.str.to_lowercase().str.contains(name.lower(), literal=True))
            .then(pl.lit(code, pl.Int8))
            .otherwise(by_name)
        )
    return pl.coalesce(leading, by_name)


def _cell(value: pl.Expr, *groups: int) -> pl.Expr:
    cell = value.str.replace_all(r"[\s_]+", " ")
    return pl.coalesce(*(cell.str.extract(STATUS_CELL, group) for group in groups))


def status_expr(value: pl.Expr) -> pl.Expr:
    """The canonical status code of a status cell (null if it is not one)."""
    return choice(STATUS, _cell(value, 2, 4))


def status_end_text(value: pl.Expr) -> pl.Expr:
    """The year's text in a combined status cell (before 「終了」, or before a status that ends a theme early), if any."""
    return _cell(value, 1, 3)


def status_end_expr(value: pl.Expr) -> pl.Expr:
    """The end year written inside a combined status cell, if any."""
    return fy_expr(status_end_text(value))


def end_fy_expr() -> pl.Expr:
    """end_fy from its column, else from the status cell."""
    return pl.coalesce(fy_expr(pl.col("end_fy")), status_end_expr(pl.col("status")))


SCHEMA = pa.DataFrameSchema(
    {
        "theme_id": text_column(unique=True),
        "item": pa.Column(
            str,
            checks=text_check(lambda c: item_expr(c).is_not_null(), "rule.item"),
        ),
        "funding": pa.Column(str, checks=text_check(lambda c: choice(FUNDING, c).is_not_null(), "rule.funding")),
        "element": pa.Column(
            str,
            checks=text_check(
                lambda c: c.str.to_lowercase().str.contains(r"^[a-z](?:[0-9]+(?:-[0-9]+)?)?$"),
                "rule.element",
            ),
        ),
        "organizations": text_column(),
        "title": text_column(),
        "start_fy": fiscal_year_column(required=False),
        "end_fy": fiscal_year_column(required=False),
        "status": pa.Column(
            str,
            checks=[
                text_check(
                    lambda c: status_expr(c).is_not_null(),
                    "rule.status",
                ),
                text_check(
                    lambda c: status_end_text(c).is_null() | status_end_expr(c).is_not_null(),
                    "rule.status_year",
                ),
            ],
        ),
        "reason_code": pa.Column(
            str,
            nullable=True,
            required=False,
            checks=text_check(lambda c: choice(REASONS, c).is_not_null(), "rule.reason_code"),
        ),
        "reason_text": text_column(required=False),
        LINE: pa.Column(pl.Int64),
    },
    checks=[
        row_check(  # T1-002 and t1-002 are one theme written twice, not two themes
            lambda: ~(pl.col("theme_id").str.to_lowercase().is_duplicated() & ~pl.col("theme_id").is_duplicated()),
            "rule.theme_id_case",
            "theme_id",
        ),
        row_rule(
            lambda: (
                end_fy_expr().is_not_null()
                | pl.col("end_fy").is_not_null()
                | status_end_text(pl.col("status")).is_not_null()
                | status_expr(pl.col("status")).is_null()
            ),
            "rule.end_year_required",
            "end_fy",
        ),
        row_rule(
            lambda: fy_expr(pl.col("end_fy")) == status_end_expr(pl.col("status")),
            "rule.end_year_disagrees",
            "end_fy",
        ),
        row_rule(
            lambda: fy_expr(pl.col("start_fy")) <= end_fy_expr(),
            "rule.start_after_end",
            "start_fy",
        ),
        # A reason says why a theme missed its goals or ended early, and of no other theme (each cell named: a
        # failure is placed by its rule's key, so each column has its own).
        row_rule(
            lambda: pl.col("reason_code").is_null() | status_expr(pl.col("status")).is_in(REASON_GIVEN),
            "rule.reason_only_when_missed",
            "reason_code",
        ),
        row_rule(
            lambda: pl.col("reason_text").is_null() | status_expr(pl.col("status")).is_in(REASON_GIVEN),
            "rule.reason_text_only_when_missed",
            "reason_text",
        ),
    ],
    strict=True,
    name="themes",
)


# How each stored column is computed from its (normalised) text column, one column at a time, so that it can be
# evaluated once per distinct spelling: to_records() here, and kpi.load.staged on a file DuckDB has staged. end_fy
# falls back to the year written in the status cell (STATUS_END) where its own cell is blank.
PARSERS: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "item": item_expr,
    "funding": lambda v: choice(FUNDING, v),
    "element": lambda v: v.str.to_lowercase(),
    "start_fy": lambda v: fy_expr(v).cast(pl.Int16),
    "end_fy": lambda v: fy_expr(v).cast(pl.Int16),
    "status": status_expr,
}


# What the rules on start_fy, end_fy and status read of a cell (its column's check and every row rule across the
# three). Two spellings alike in all of these pass or fail every rule alike, so a staged file is judged on one
# spelling of each kind (kpi.load.staged) instead of every combination written; a new rule on these columns must
# read nothing else of them (tests/unit/load/test_staged.py checks the rules against this).
RULE_INPUTS: dict[str, Callable[[pl.Expr], list[pl.Expr]]] = {
    "start_fy": lambda v: [v.is_null(), fy_expr(v)],
    "end_fy": lambda v: [v.is_null(), fy_expr(v)],
    "status": lambda v: [status_expr(v), status_end_text(v).is_null(), status_end_expr(v)],
}


def STATUS_END(value: pl.Expr) -> pl.Expr:
    """The end year written in a combined status cell, as stored."""
    return status_end_expr(value).cast(pl.Int16)


def to_records(df: pl.DataFrame, units: dict[str, str]) -> pl.DataFrame:
    """Typed rows for the themes table, from validated text (coded columns parsed once per distinct value)."""
    parsed = per_distinct(
        df.lazy(),
        {
            "item": PARSERS["item"](pl.col("item")),
            "funding": PARSERS["funding"](pl.col("funding")),
            "start_fy": PARSERS["start_fy"](pl.col("start_fy")),
            "end_fy": pl.coalesce(PARSERS["end_fy"](pl.col("end_fy")), STATUS_END(pl.col("status"))),
            "status": PARSERS["status"](pl.col("status")),
        },
    ).collect()
    return df.select(
        pl.col("theme_id"),
        parsed["item"],
        parsed["funding"],
        PARSERS["element"](pl.col("element")).alias("element"),
        pl.col("organizations"),
        pl.col("title"),
        parsed["start_fy"],
        parsed["end_fy"],
        parsed["status"],
        choice(REASONS, pl.col("reason_code")).alias("reason_code"),
        pl.col("reason_text"),
    )


# The theme attributes the settings declare (kpi.settings.Attribute): each type's rule on a cell, and the value
# stored: a category's declared spelling, a number or an amount (億円; a header marked (円) is yen) as exact decimal
# text, a year as the Western year, a text as written.
ATTRIBUTE_CATEGORY = "rule.attribute_category"


def _attribute_column(attribute: Attribute) -> pa.Column:
    if attribute.type == "category":
        values = {v: v for v in attribute.values}
        return pa.Column(
            str,
            nullable=True,
            required=False,
            checks=text_check(lambda c: choice(values, c).is_not_null(), ATTRIBUTE_CATEGORY),
        )
    if attribute.type in ("number", "money"):
        return amount_column(required=False)
    if attribute.type == "year":
        return fiscal_year_column(required=False)
    return text_column(required=False)


def _decimal_text(value: str | None, yen: bool) -> str | None:
    """An amount's cell (1,100 or 151.50) as exact decimal text without trailing zeros (1100, 151.5); yen in 億円."""
    if value is None:
        return None
    number = Decimal(value.replace(",", ""))
    if yen:
        number /= OKU
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def attribute_expr(attribute: Attribute, units: dict[str, str]) -> pl.Expr:
    """An attribute's stored text from its validated cell."""
    cell = pl.col(attribute.name)
    if attribute.type == "category":
        return choice({v: v for v in attribute.values}, cell)
    if attribute.type in ("number", "money"):
        yen = attribute.type == "money" and units.get(attribute.name) == "yen"
        return cell.map_elements(lambda v: _decimal_text(v, yen), return_dtype=pl.String)
    if attribute.type == "year":
        return fy_expr(cell).cast(pl.String)
    return cell


class WithAttributes(Declared):
    """The themes contract (KindSpec) of a list read with declared theme attributes: SCHEMA and its columns, and
    records carrying each attribute's stored text in a column of its name, after the theme's own columns."""

    def __init__(self, attributes: tuple[Attribute, ...]) -> None:
        super().__init__(attributes)
        self.SCHEMA = SCHEMA.add_columns({a.name: _attribute_column(a) for a in attributes})
        self.AMOUNTS = [a.name for a in attributes if a.type == "money"]  # checked to fit once in 億円
        self.RULE_PARAMS = {
            (a.name, ATTRIBUTE_CATEGORY): {"values": "、".join(a.values)} for a in attributes if a.type == "category"
        }

    def to_records(self, df: pl.DataFrame, units: dict[str, str]) -> pl.DataFrame:
        values = per_distinct(df.lazy(), {a.name: attribute_expr(a, units) for a in self.ATTRIBUTES}).collect()
        return pl.concat([to_records(df, units), values], how="horizontal")


def with_attributes(attributes: tuple[Attribute, ...]) -> KindSpec:
    """The themes contract with the declared attributes; the plain one when none are declared."""
    import schemas.themes

    return WithAttributes(attributes) if attributes else schemas.themes
