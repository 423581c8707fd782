"""The themes every status-based figure counts: those of one dated list, adopted by the as-of year, leading
research left out."""

from __future__ import annotations

from kpi.codes import COMMERCIALISED, LEADING_ITEM


def counted(as_of_expr: str = "$as_of") -> str:
    """The condition on a theme's row that puts it in the population as of a year: adopted by then (a theme
    without start_fy counts as adopted), not leading research."""
    return f"item <> {LEADING_ITEM} AND (start_fy IS NULL OR start_fy <= {as_of_expr})"


def population(list_expr: str = "$list", as_of_expr: str = "$as_of") -> str:
    """The adopted non-leading themes of a list, as a subquery."""
    return f"(SELECT * FROM theme_rows WHERE list_id = {list_expr} AND {counted(as_of_expr)})"


# The population of the list bound to $list as of the year bound to $as_of.
POPULATION = population()

COMMERCIALISED_SQL = "(" + ", ".join(f"'{stage}'" for stage in COMMERCIALISED) + ")"
