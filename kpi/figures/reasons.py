"""Why themes missed their goals or ended early, as the theme list says (its optional reason columns), by code."""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from kpi.codes import REASON_CODES, TERMINATED
from kpi.db.carried import listed
from kpi.figures.effects import UNRECORDED  # also: a 目標未達 or 中止 theme the list gives no reason code for
from kpi.figures.population import POPULATION


class ReasonCount(NamedTuple):
    """The themes of one reason code (or UNRECORDED): 目標未達, and ended early (中止)."""

    code: str
    not_achieved: int
    terminated: int


def missed_reasons(con: duckdb.DuckDBPyConnection, as_of: int, list_id: int) -> tuple[ReasonCount, ...] | None:
    """The 目標未達 and 中止 themes of the population (the status tables' themes as of the year) counted by reason
    code, every code in order and UNRECORDED last; None when the list gives no theme a reason (no table then)."""
    rows = con.execute(
        f"""SELECT coalesce(reason_code, '{UNRECORDED}'),
                   count(*) FILTER (status = 'not_achieved'), count(*) FILTER (status = '{TERMINATED}')
            FROM {POPULATION} WHERE status IN ('not_achieved', '{TERMINATED}')
              AND EXISTS (SELECT 1 FROM {listed("$list")} WHERE reason_code IS NOT NULL OR reason_text IS NOT NULL)
            GROUP BY ALL""",
        {"list": list_id, "as_of": as_of},
    ).fetchall()
    if not rows:
        return None
    counts = {str(code): (int(a), int(t)) for code, a, t in rows}
    return tuple(ReasonCount(code, *counts.get(code, (0, 0))) for code in (*REASON_CODES, UNRECORDED))
