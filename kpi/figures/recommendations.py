"""The working group's recommendations and what has been done about them: open ones first (未着手, 対応中, 対応済)."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import duckdb

from schemas.rounds import round_order

STATUS_ORDER = ("not_started", "in_progress", "done")  # schemas.recommendations.STATUSES' codes, open ones first


class Recommendation(NamedTuple):
    """One recommendation of a round, its 対処方針, and its status with the evidence and date."""

    round: str
    section: str
    number: str
    member: str | None
    recommendation: str
    response: str | None
    status: str
    evidence: str | None
    status_date: dt.date | None


class StatusCount(NamedTuple):
    """How many recommendations have one status."""

    status: str
    n: int


def recommendations(con: duckdb.DuckDBPyConnection, round_: str | None = None) -> list[Recommendation]:
    """Every stored recommendation (of one round when given): by status, open ones first, then by round (latest
    first) and the file's order."""
    rows = con.execute(
        """SELECT round, section, number, member, recommendation, response, status, evidence, status_date
           FROM recommendations WHERE $round IS NULL OR round = $round ORDER BY position""",
        {"round": round_},
    ).fetchall()
    found = [Recommendation(*row) for row in rows]
    rank = {status: i for i, status in enumerate(STATUS_ORDER)}
    return sorted(found, key=lambda r: (rank.get(r.status, len(rank)), tuple(-n for n in round_order(r.round))))


def stored_rounds(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The rounds whose recommendations are stored, oldest first."""
    return sorted(
        (str(r) for (r,) in con.execute("SELECT DISTINCT round FROM recommendations").fetchall()), key=round_order
    )


def counts(con: duckdb.DuckDBPyConnection) -> tuple[StatusCount, ...]:
    """The stored recommendations by status, in STATUS_ORDER, every status given (none stored: empty)."""
    found = dict(con.execute("SELECT status, count(*) FROM recommendations GROUP BY status").fetchall())
    if not found:
        return ()
    return tuple(StatusCount(s, int(found.get(s, 0))) for s in STATUS_ORDER)
