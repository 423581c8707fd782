"""The working group's grades (評点法): a row per criterion, a column per member, and the mean points."""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

import duckdb

from kpi.settings import DEFAULT_GRADE_POINTS, Settings, parse_grade_points


class Criterion(NamedTuple):
    """One criterion's grades by member (None: no grade given) and its mean points."""

    criterion: str
    grades: dict[str, str | None]
    score: Fraction | None
    graded_by: int


class Evaluation(NamedTuple):
    """The grades table and the points each grade counts for."""

    members: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    grade_points: dict[str, Fraction]


def evaluation(con: duckdb.DuckDBPyConnection, settings: Settings | None) -> Evaluation:
    """Grades per criterion and member in the file's order; a missing grade is left out of the mean (not a D)."""
    points = parse_grade_points(settings.grade_points_text if settings else DEFAULT_GRADE_POINTS)
    rows = con.execute(
        """SELECT criterion, member, grade,
                  min(position) OVER (PARTITION BY criterion) AS c_pos, min(position) OVER (PARTITION BY member) AS m_pos
           FROM evaluation ORDER BY c_pos, m_pos"""
    ).fetchall()
    members = [m for _, m in sorted({(m_pos, member) for _, member, _, _, m_pos in rows})]
    by_criterion: dict[str, dict[str, str | None]] = {}
    for criterion, member, grade, _, _ in rows:
        by_criterion.setdefault(criterion, {})[member] = grade
    criteria = []
    for criterion, grades in by_criterion.items():
        given = [points[g] for g in grades.values() if g]
        mean = sum(given, Fraction(0)) / len(given) if given else None
        criteria.append(Criterion(criterion, {m: grades.get(m) for m in members}, mean, len(given)))
    return Evaluation(tuple(members), tuple(criteria), points)
