"""Stage-gate reviews: each theme's latest mean score and the rule's decision (3-3 ③), compared exactly."""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

import duckdb

from kpi.db.connect import fetch_one
from kpi.figures.lists import in_force, list_id
from kpi.figures.population import first_rows
from kpi.figures.programme import as_of_year
from kpi.figures.status import LIST_LIMIT

# The rule (3-3 ③): mean ≥ 60 continue; 40 ≤ mean < 60 consider with the notes; < 40 terminate.
CONTINUE_FROM, CONSIDER_FROM = Fraction(60), Fraction(40)


def decision(mean: Fraction) -> str:
    """The rule's decision for a mean score: continue, consider or terminate."""
    if mean >= CONTINUE_FROM:
        return "continue"
    if mean >= CONSIDER_FROM:
        return "consider"
    return "terminate"


class Review(NamedTuple):
    """A theme's latest review up to the as-of year."""

    theme_id: str
    item: int
    element: str
    title: str
    review_fy: int
    reviewers: int
    mean: Fraction

    @property
    def decision(self) -> str:
        return decision(self.mean)


class Unreviewed(NamedTuple):
    """A theme with no review up to the as-of year."""

    theme_id: str
    item: int
    element: str
    title: str


class StageGate(NamedTuple):
    """The reviewed themes, and the first unreviewed ones with how many there are in full."""

    reviewed: tuple[Review, ...]
    not_reviewed: tuple[Unreviewed, ...]
    not_reviewed_count: int


def stage_gate(con: duckdb.DuckDBPyConnection, as_of: int, list_id: int, limit: int | None = LIST_LIMIT) -> StageGate:
    """Each theme's latest review up to as_of (the themes of a list): mean score over reviewers and the decision."""
    latest_cte = """latest AS (
          SELECT theme_id, max(review_fy) AS review_fy FROM stagegate WHERE review_fy <= $as_of GROUP BY theme_id)"""
    latest = f"WITH {latest_cte}"
    rows = con.execute(
        f"""{latest}
        SELECT t.theme_id, t.item, t.element, t.title, l.review_fy, sum(s.score), count(s.score)
        FROM latest l JOIN (SELECT * FROM theme_rows WHERE list_id = $list) t USING (theme_id)
        JOIN stagegate s ON s.theme_id = l.theme_id AND s.review_fy = l.review_fy
        GROUP BY ALL ORDER BY t.item, t.theme_id
        """,
        {"as_of": as_of, "list": list_id},
    ).fetchall()
    reviewed = tuple(
        Review(theme_id, int(item), element, title, int(fy), int(n), Fraction(total) / n)
        for theme_id, item, element, title, fy, total, n in rows
    )
    unreviewed = "(SELECT t.* FROM theme_rows t ANTI JOIN latest l USING (theme_id) WHERE t.list_id = $list)"
    count = fetch_one(
        con,
        f"{latest} SELECT count(*) FROM theme_rows t ANTI JOIN latest l USING (theme_id) WHERE t.list_id = $list",
        {"as_of": as_of, "list": list_id},
    )
    listed = con.execute(
        first_rows(
            "theme_id, item, element, title",
            unreviewed,
            "true",
            ctes=f"{latest_cte}, ",
            rows_of="(SELECT * FROM theme_rows WHERE list_id = $list)",
        ),
        {"as_of": as_of, "list": list_id, "limit": limit},
    ).fetchall()
    return StageGate(reviewed, tuple(Unreviewed(*r) for r in listed), int(count[0]) if count else 0)


def for_year(con: duckdb.DuckDBPyConnection, asked: int | None) -> StageGate:
    """`kpi stagegate`: every theme of the list in force as of the year asked (else the current one)."""
    as_of = as_of_year(con, asked)
    return stage_gate(con, as_of, list_id(in_force(con, as_of)), limit=None)
