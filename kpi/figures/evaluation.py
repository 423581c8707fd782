"""The working group's grades (評点法): a row per criterion, a column per member, and the mean points; each
criterion's score per evaluation round; and the recommendations by status."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import NamedTuple

import duckdb

from kpi.figures.recommendations import StatusCount, counts
from kpi.settings import DEFAULT_GRADE_POINTS, Settings, parse_grade_points
from schemas.rounds import UNNAMED, round_order


class Criterion(NamedTuple):
    """One criterion's grades by member (None: no grade given) and its mean points."""

    criterion: str
    grades: dict[str, str | None]
    score: Fraction | None
    graded_by: int


class CriterionTrend(NamedTuple):
    """One criterion's score in each round (`Evaluation.rounds`; None: not graded in that round)."""

    criterion: str
    scores: tuple[Fraction | None, ...]


class Evaluation(NamedTuple):
    """The latest round's grades table and the points each grade counts for; with two rounds or more, every round
    (oldest first) and each criterion's score in each; the recommendations loaded, by status (none: empty)."""

    members: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    grade_points: dict[str, Fraction]
    round: str = UNNAMED
    rounds: tuple[str, ...] = ()
    trend: tuple[CriterionTrend, ...] = ()
    recommendations: tuple[StatusCount, ...] = ()


def _criteria(rows: Sequence[tuple[str, str, str | None, int]], points: dict[str, Fraction]) -> Evaluation:
    """One round's grades (rows in the file's order of criteria, each with its member's place) with the means."""
    members = [m for _, m in sorted({(m_pos, member) for _, member, _, m_pos in rows})]
    by_criterion: dict[str, dict[str, str | None]] = {}
    for criterion, member, grade, _ in rows:
        by_criterion.setdefault(criterion, {})[member] = grade
    criteria = []
    for criterion, grades in by_criterion.items():
        given = [points[g] for g in grades.values() if g]
        mean = sum(given, Fraction(0)) / len(given) if given else None
        criteria.append(Criterion(criterion, {m: grades.get(m) for m in members}, mean, len(given)))
    return Evaluation(tuple(members), tuple(criteria), points)


def evaluation(con: duckdb.DuckDBPyConnection, settings: Settings | None) -> Evaluation:
    """The latest round's grades per criterion and member in the file's order (a missing grade is left out of the
    mean, not a D); each criterion's trend when two rounds or more are stored."""
    points = parse_grade_points(settings.grade_points_text if settings else DEFAULT_GRADE_POINTS)
    rows = con.execute(
        """SELECT round, criterion, member, grade,
                  min(position) OVER (PARTITION BY round, criterion) AS c_pos,
                  min(position) OVER (PARTITION BY round, member) AS m_pos
           FROM evaluation ORDER BY round, c_pos, m_pos"""
    ).fetchall()
    by_round: dict[str, list[tuple[str, str, str | None, int]]] = {}
    for round_, criterion, member, grade, _, m_pos in rows:
        by_round.setdefault(round_, []).append((criterion, member, grade, m_pos))
    rounds = sorted(by_round, key=round_order)
    tables = {r: _criteria(by_round[r], points) for r in rounds}
    latest = tables[rounds[-1]] if rounds else Evaluation((), (), points)
    trend: list[CriterionTrend] = []
    if len(rounds) > 1:
        scores = {r: {c.criterion: c.score for c in tables[r].criteria} for r in rounds}
        named = dict.fromkeys(c.criterion for r in reversed(rounds) for c in tables[r].criteria)
        trend = [CriterionTrend(c, tuple(scores[r].get(c) for r in rounds)) for c in named]
    return latest._replace(
        round=rounds[-1] if rounds else UNNAMED,
        rounds=tuple(rounds) if len(rounds) > 1 else (),
        trend=tuple(trend),
        recommendations=counts(con),
    )
