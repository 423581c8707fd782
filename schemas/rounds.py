"""Evaluation rounds (事前, 中間, 終了時 and a fiscal year) as the evaluation and recommendations files name them.

A round is spelt as its kind and fiscal year, in either order, with or without brackets and spaces: 中間2026,
中間 2026, 中間評価（2022年度）, 終了時2030, 事前(R3), 2026中間, interim 2026, final FY2030. It is stored as
`<kind>-<fy>` (interim-2026); '' is the one unnamed round (an evaluation file without the column). Pandera-free:
`kpi report` reads the codes without loading the input contract.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kpi.fiscal import fy_expr

if TYPE_CHECKING:
    import polars as pl

ROUND_KINDS = {
    "事前評価": "ex_ante",
    "事前": "ex_ante",
    "中間評価": "interim",
    "中間": "interim",
    "終了時評価": "final",
    "終了時": "final",
    "事後評価": "final",
    "事後": "final",
    "exante": "ex_ante",
    "interim": "interim",
    "midterm": "interim",
    "final": "final",
    "expost": "final",
}
ROUND_ORDER = ("ex_ante", "interim", "final")  # the rounds of one year, in the order they are held
UNNAMED = ""  # the round of an evaluation file without a round column
_KIND_WORDS = "|".join(sorted(ROUND_KINDS, key=len, reverse=True))
_YEAR = r"[0-9a-z令和平成元年度]+"
ROUND_PATTERN = rf"^(?:({_KIND_WORDS})\(?({_YEAR})\)?|\(?({_YEAR})\)?({_KIND_WORDS}))$"
ROUND_RULE = "rule.round"


def round_expr(value: pl.Expr) -> pl.Expr:
    """A round's code (interim-2026) from its spelling; null where it names none."""
    import polars as pl

    text = value.str.normalize("NFKC").str.to_lowercase().str.replace_all(r"[\s「」『』・_\-]", "")
    text = text.str.replace_all(r"fy([0-9])", "$1")
    parts = text.str.extract_groups(ROUND_PATTERN)
    word = pl.coalesce(parts.struct.field("1"), parts.struct.field("4"))
    kind = word.replace_strict(ROUND_KINDS, default=None, return_dtype=pl.String)
    fy = fy_expr(pl.coalesce(parts.struct.field("2"), parts.struct.field("3")))
    return pl.concat_str(kind, fy.cast(pl.String), separator="-")


def round_code(value: pl.Expr) -> pl.Expr:
    """A round cell as stored: its code, UNNAMED for a blank cell (or no column)."""
    import polars as pl

    return pl.when(value.is_null()).then(pl.lit(UNNAMED)).otherwise(round_expr(value))


def round_parts(code: str) -> tuple[str, int] | None:
    """A stored round's kind and fiscal year (None: the unnamed round)."""
    if code == UNNAMED:
        return None
    kind, _, fy = code.rpartition("-")
    return kind, int(fy)


def round_order(code: str) -> tuple[int, int]:
    """Where a round falls among the rounds: the unnamed one first, then by year and kind (事前, 中間, 終了時)."""
    parts = round_parts(code)
    if parts is None:
        return (0, 0)
    kind, fy = parts
    return (fy, ROUND_ORDER.index(kind) + 1 if kind in ROUND_ORDER else 0)


def parse_round(text: str) -> str | None:
    """A round's code from its spelling, as round_expr reads a cell (None: it names no round)."""
    import re
    import unicodedata

    from kpi.fiscal import parse_fy

    value = re.sub(r"[\s「」『』・_\-]", "", unicodedata.normalize("NFKC", text).lower())
    m = re.match(ROUND_PATTERN, re.sub(r"fy([0-9])", r"\1", value))
    if m is None:
        return None
    try:
        fy = parse_fy(m.group(2) or m.group(3))
    except ValueError:
        return None
    return f"{ROUND_KINDS[m.group(1) or m.group(4)]}-{fy}"
