"""The input contract: one pandera schema per record kind, with its columns, rules and Japanese headers.

Each kind module defines KIND, TABLE, COLUMNS (canonical name → accepted headers), SCHEMA (a pandera
DataFrameSchema over the file's trimmed text, plus `_line`), and to_records() turning validated text
into the typed rows stored in DuckDB. `KINDS` imports pandera, on first use (only `kpi load` uses it);
`schemas.themes_columns` holds a themes file's headers without pandera.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemas.common import KindSpec

    KINDS: dict[str, KindSpec]


def __getattr__(name: str) -> Any:
    if name != "KINDS":
        raise AttributeError(f"module 'schemas' has no attribute {name!r}")
    from schemas import (
        budget,
        evaluation,
        followups,
        grants,
        outputs,
        published,
        recommendations,
        schedule,
        stagegate,
        themes,
    )

    specs = (themes, budget, followups, outputs, grants, stagegate, schedule, evaluation, recommendations, published)
    kinds = {spec.KIND: spec for spec in specs}
    globals()["KINDS"] = kinds
    return kinds
