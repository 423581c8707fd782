"""Recording a follow-up survey round as sent: one load of kind followup_sent, written as every load is written."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kpi.db.connect import fetch_one, transaction
from kpi.db.schema import SENT_KINDS
from kpi.db.write import Incoming, stored_setting, write_checked
from kpi.errors import UsageProblem
from kpi.fiscal import DEFAULT_TIMEZONE, fiscal_year_of, now_in
from kpi.settings import DEFAULT_BACKUPS

if TYPE_CHECKING:
    import duckdb

KIND = "followup_sent"


class SentRow(NamedTuple):
    """One theme's organisation sent a survey sheet of a fiscal year's round."""

    survey_fy: int
    theme_id: str
    organisation: str  # '' = the theme as a whole
    years_after: int  # years since the theme's end
    kind: str  # immediate | simple | detailed (kpi.db.schema.SENT_KINDS)
    sent_on: dt.date
    deadline: dt.date


def _frame(rows: Sequence[SentRow]) -> object:
    import polars as pl

    return pl.DataFrame(
        [tuple(r) for r in rows],
        schema={
            "survey_fy": pl.Int16,
            "theme_id": pl.String,
            "organisation": pl.String,
            "years_after": pl.Int16,
            "kind": pl.String,
            "sent_on": pl.Date,
            "deadline": pl.Date,
        },
        orient="row",
    )


def _digest(rows: Sequence[SentRow]) -> str:
    """The rows' content as a hash (the load's sha256): the same round sent again is the same content."""
    text = "\n".join("\t".join(str(v) for v in row) for row in sorted(rows))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sending_day(con: duckdb.DuckDBPyConnection, survey_fy: int | None) -> dt.date:
    """Today in the programme's calendar, the day a round is sent; a round of a fiscal year after the current one
    is refused (exit 2): its answers would be refused until that year (kpi.load.ingest.future_years)."""
    today = now_in(stored_setting(con, "timezone") or DEFAULT_TIMEZONE).date()
    current = fiscal_year_of(today)
    if survey_fy is not None and survey_fy > current:
        raise UsageProblem("followups.round_future", fy=survey_fy, current=current)
    return today


def record_sent(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    rows: Sequence[SentRow],
    db: Path | None = None,
    loaded_at: dt.datetime | None = None,
) -> int | None:
    """Record the sheets of a round as sent, in one transaction, as a load (kind followup_sent, file_name the
    folder written): its number, or None when every row was recorded so already (nothing changed, no load).

    A round of a fiscal year after the current one is refused (sending_day). A row supersedes the one stored for
    its theme, organisation and survey year (a sheet sent again); `kpi loads`
    lists the load and `kpi undo` takes it back. With `db` (the file `con` holds) the database as it was is kept in
    its backups folder before the commit, as before every load.
    """
    from kpi.db import backup

    if not rows:
        return None
    sending_day(con, max(r.survey_fy for r in rows))
    bad = sorted({r.kind for r in rows} - set(SENT_KINDS))
    if bad:
        raise ValueError(f"unknown kinds of survey: {bad}")
    keep = int(stored_setting(con, "backups") or DEFAULT_BACKUPS)
    timezone = stored_setting(con, "timezone") or DEFAULT_TIMEZONE
    at = loaded_at or now_in(timezone)
    source = Incoming(folder, KIND, _digest(rows), at, tables={KIND: _frame(rows)})
    kept: backup.BeforeLoad | None = None
    try:
        with transaction(con):
            (result,) = write_checked(con, [source])
            if result.load_id is not None:
                con.execute(
                    "UPDATE loads SET file_name = ? WHERE load_id = ?",
                    [Path(os.path.abspath(folder)).name, result.load_id],
                )
            if db is not None:
                kept = backup.before_commit(con, db, keep, now_in(timezone))
    finally:
        if db is not None:
            backup.after_load(con, db, kept, keep)
    return result.load_id


def sent_rounds(con: duckdb.DuckDBPyConnection, survey_fy: int) -> list[SentRow]:
    """The rows of the round of a survey year recorded as sent (current), by theme and organisation."""
    rows = con.execute(
        "SELECT survey_fy, theme_id, organisation, years_after, kind, sent_on, deadline FROM followup_sent "
        "WHERE survey_fy = ? ORDER BY theme_id, organisation",
        [survey_fy],
    ).fetchall()
    return [SentRow(int(r[0]), str(r[1]), str(r[2]), int(r[3]), str(r[4]), r[5], r[6]) for r in rows]


def stored_sent(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, str]]:
    """Every (theme, survey year, organisation) a round was recorded as sent to (current rows)."""
    rows = con.execute("SELECT theme_id, survey_fy, organisation FROM followup_sent").fetchall()
    return [(str(t), int(fy), str(o)) for t, fy, o in rows]


def was_sent(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any round was ever recorded as sent (current rows)."""
    return fetch_one(con, "SELECT count(*) FROM (SELECT 1 FROM followup_sent LIMIT 1)") == (1,)
