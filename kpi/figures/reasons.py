"""Why themes missed their goals or ended early, as the theme list says (its optional reason columns), by code."""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from kpi.codes import LEADING_ITEM, REASON_CODES, TERMINATED
from kpi.db.carried import listed
from kpi.figures.effects import UNRECORDED  # also: a 目標未達 or 中止 theme the list gives no reason code for


class ReasonCount(NamedTuple):
    """The themes of one reason code (or UNRECORDED): 目標未達, and ended early (中止)."""

    code: str
    not_achieved: int
    terminated: int


def missed_reasons(con: duckdb.DuckDBPyConnection, list_id: int) -> tuple[ReasonCount, ...] | None:
    """The list's 目標未達 and 中止 themes (leading research excluded) counted by reason code, every code in order
    and UNRECORDED last; None when the list gives no theme a reason (the report then leaves the table out)."""
    rows = con.execute(
        f"""SELECT coalesce(reason_code, '{UNRECORDED}'),
                   count(*) FILTER (status = 'not_achieved'), count(*) FILTER (status = '{TERMINATED}')
            FROM {listed("$list")} WHERE item <> {LEADING_ITEM} AND status IN ('not_achieved', '{TERMINATED}')
              AND EXISTS (SELECT 1 FROM {listed("$list")} WHERE reason_code IS NOT NULL OR reason_text IS NOT NULL)
            GROUP BY ALL""",
        {"list": list_id},
    ).fetchall()
    if not rows:
        return None
    counts = {str(code): (int(a), int(t)) for code, a, t in rows}
    return tuple(ReasonCount(code, *counts.get(code, (0, 0))) for code in (*REASON_CODES, UNRECORDED))
