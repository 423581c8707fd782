"""The register of submissions: what each `kpi export` sent, kept as it was sent."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

import duckdb

from kpi.db.connect import fetch_one
from kpi.errors import UsageProblem

STAGES = ("preliminary", "final")  # 速報値, 確定値

COLUMNS = "submission_id, made_at, as_of_fy, stage, load_id, format, encoding, lang, figures, files"


class Stored(NamedTuple):
    """One submission as registered: when, for which year, at which stage, from which load, how it was written
    (format, encoding, language), every figure it carried and its files' sha256."""

    submission_id: int
    made_at: dt.datetime
    as_of_fy: int
    stage: str
    load_id: int
    format: str
    encoding: str | None
    lang: str
    figures: dict[str, Any]
    files: dict[str, str]


def _stored(row: tuple[Any, ...]) -> Stored:
    import json  # (here, not at the top: `kpi report` reads no submission when none was made)

    n, made, fy, stage, load, fmt, enc, lang, figures, files = row
    return Stored(
        int(n), made, int(fy), str(stage), int(load), str(fmt), enc, str(lang), json.loads(figures), json.loads(files)
    )


def next_id(con: duckdb.DuckDBPyConnection) -> int:
    """The number the next submission gets."""
    row = fetch_one(con, "SELECT coalesce(max(submission_id), 0) + 1 FROM submissions")
    return int(row[0]) if row else 1


def add(
    con: duckdb.DuckDBPyConnection,
    submission_id: int,
    as_of: int,
    stage: str,
    load_id: int,
    made_at: dt.datetime,
    written: tuple[str, str | None, str],
    figures: dict[str, Any],
    files: dict[str, str],
    version: str | None = None,
    by: str | None = None,
) -> None:
    """Register a submission (inside the caller's transaction); `written` is its (format, encoding, language),
    `version` the kpi that wrote its files and `by` the grouping of its breakdown (--by), each kept in `meta`: the
    register's columns are those of schema 5."""
    import json

    con.execute(
        f"INSERT INTO submissions ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            submission_id,
            made_at,
            as_of,
            stage,
            load_id,
            *written,
            json.dumps(figures, ensure_ascii=False),
            json.dumps(files),
        ],
    )
    if version is not None:
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [_version_key(submission_id), version])
    if by is not None:
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [_by_key(submission_id), by])


def _version_key(submission_id: int) -> str:
    return f"submission.{int(submission_id)}.kpi_version"


def _by_key(submission_id: int) -> str:
    return f"submission.{int(submission_id)}.by"


def grouped_by(con: duckdb.DuckDBPyConnection, submission_id: int) -> str | None:
    """The grouping a submission's breakdown was written by (--by; None: it has none)."""
    row = fetch_one(con, "SELECT value FROM meta WHERE key = ?", [_by_key(submission_id)])
    return str(row[0]) if row else None


def made_with(con: duckdb.DuckDBPyConnection, submission_id: int) -> str | None:
    """The version of kpi that wrote a submission's files (None: not recorded, as before kpi recorded it)."""
    row = fetch_one(con, "SELECT value FROM meta WHERE key = ?", [_version_key(submission_id)])
    return str(row[0]) if row else None


def get(con: duckdb.DuckDBPyConnection, submission_id: int) -> Stored:
    """One submission; a number the register does not hold is a usage error naming the numbers it holds."""
    row = fetch_one(con, f"SELECT {COLUMNS} FROM submissions WHERE submission_id = ?", [submission_id])
    if row is None:
        last = fetch_one(con, "SELECT count(*), max(submission_id) FROM submissions")
        raise UsageProblem("submission.no_such", n=submission_id, last=(last or (0, None))[1] or 0)
    return _stored(row)


def every(con: duckdb.DuckDBPyConnection) -> list[Stored]:
    """Every submission, oldest first."""
    return [_stored(r) for r in con.execute(f"SELECT {COLUMNS} FROM submissions ORDER BY submission_id").fetchall()]


def latest(con: duckdb.DuckDBPyConnection, as_of: int) -> Stored | None:
    """The latest submission for a year (None: none was made)."""
    row = fetch_one(
        con, f"SELECT {COLUMNS} FROM submissions WHERE as_of_fy = ? ORDER BY submission_id DESC LIMIT 1", [as_of]
    )
    return _stored(row) if row else None


def finals(con: duckdb.DuckDBPyConnection) -> list[Stored]:
    """The latest final submission of each year that has one (those years are closed)."""
    rows = con.execute(
        f"SELECT {COLUMNS} FROM submissions WHERE stage = 'final' "
        "QUALIFY row_number() OVER (PARTITION BY as_of_fy ORDER BY submission_id DESC) = 1 ORDER BY as_of_fy"
    ).fetchall()
    return [_stored(r) for r in rows]


def current_load(con: duckdb.DuckDBPyConnection) -> int:
    """The latest load the connection sees (0: none)."""
    row = fetch_one(con, "SELECT coalesce(max(load_id), 0) FROM loads")
    return int(row[0]) if row else 0
