"""The input contract: one pandera schema per record kind, with its columns, rules and Japanese headers.

Each kind module defines KIND, TABLE, COLUMNS (canonical name → accepted headers), SCHEMA (a pandera
DataFrameSchema over the file's trimmed text, plus `_line`), and to_records() turning validated text
into the typed rows stored in DuckDB. Importing this package imports pandera: only `kpi load` does.
"""

from schemas import budget, evaluation, followups, grants, outputs, published, stagegate, themes
from schemas.common import KindSpec

KINDS: dict[str, KindSpec] = {
    spec.KIND: spec  # type: ignore[misc]
    for spec in (themes, budget, followups, outputs, grants, stagegate, evaluation, published)
}
