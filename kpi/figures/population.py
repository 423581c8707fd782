"""The themes every status-based figure counts: those of one dated list (and those it carries from earlier lists),
adopted by the as-of year, leading research and cancelled adoptions left out."""

from __future__ import annotations

from kpi.codes import CANCELLED, COMMERCIALISED, LEADING_ITEM
from kpi.db.carried import listed


def counted(as_of_expr: str = "$as_of") -> str:
    """The condition on a theme's row that puts it in the population as of a year: adopted by then (a theme
    without start_fy counts as adopted), not leading research, its adoption not cancelled."""
    return f"item <> {LEADING_ITEM} AND (start_fy IS NULL OR start_fy <= {as_of_expr}) AND status <> '{CANCELLED}'"


def population(list_expr: str = "$list", as_of_expr: str = "$as_of") -> str:
    """The adopted non-leading themes of a list (carried ones included), as a subquery."""
    return f"(SELECT * FROM {listed(list_expr)} WHERE {counted(as_of_expr)})"


# The population of the list bound to $list as of the year bound to $as_of.
POPULATION = population()

COMMERCIALISED_SQL = "(" + ", ".join(f"'{stage}'" for stage in COMMERCIALISED) + ")"


def first_rows(columns: str, source: str, condition: str, ctes: str = "", rows_of: str | None = None) -> str:
    """SQL for the rows of `source` (a subquery over one list) that meet `condition`, the first $limit of them
    by (item, theme_id), as `SELECT columns … ORDER BY item, theme_id LIMIT $limit` gives them.

    The first rows are found on their sort keys alone; then only those rows are read whole, their theme_id range
    letting DuckDB skip the rest of the list's storage (titles and organisations are most of its bytes): on
    1,000,000 themes 18 ms instead of 80 ms a list. theme_id is unique in a list, so the rows are the same.
    `ctes` are common table expressions the source reads (`name AS (…), `); `rows_of`, when given, is where the
    chosen rows are read whole (the list itself, for a source whose own condition is costly to evaluate twice).
    """
    top = f"SELECT theme_id FROM {source} WHERE {condition} ORDER BY item, theme_id LIMIT $limit"
    return f"""WITH {ctes}top AS ({top})
        SELECT {columns} FROM {rows_of or source} WHERE theme_id IN (SELECT theme_id FROM top)
          AND theme_id BETWEEN (SELECT min(theme_id) FROM top) AND (SELECT max(theme_id) FROM top)
        ORDER BY item, theme_id"""
