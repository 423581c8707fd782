"""The themes every status-based figure counts: adopted by the as-of year, leading research left out."""

from __future__ import annotations

from kpi.codes import COMMERCIALISED, LEADING_ITEM

# Adopted, non-leading themes as of the year bound to $as_of: the population of every outcome figure.
POPULATION = f"(SELECT * FROM themes WHERE item <> {LEADING_ITEM} AND (start_fy IS NULL OR start_fy <= $as_of))"

COMMERCIALISED_SQL = "(" + ", ".join(f"'{stage}'" for stage in COMMERCIALISED) + ")"
