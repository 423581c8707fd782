"""Everything `kpi report` shows, as of one fiscal year, computed from one connection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from kpi.db.connect import fetch_one
from kpi.figures.budget import Budget, budget
from kpi.figures.evaluation import Evaluation, evaluation
from kpi.figures.kpis import Outcome, TrendYear, outcome, trend
from kpi.figures.lists import Snapshot, in_force, list_id
from kpi.figures.outputs import Outputs, outputs
from kpi.figures.rs import Rs, rs
from kpi.figures.schedule import Schedule, maturity_schedule
from kpi.figures.stagegate import StageGate, stage_gate
from kpi.figures.status import (
    LIST_LIMIT,
    ElementCounts,
    Exclusions,
    StatusCounts,
    ThemeList,
    by_element,
    exclusions,
    status_summary,
    theme_lists,
)
from kpi.fiscal import DEFAULT_TIMEZONE, current_fy
from kpi.settings import Settings


@dataclass(frozen=True)
class Report:
    """The figures of one as-of year, from the theme list in force at its end (`snapshot`)."""

    as_of_fy: int
    snapshot: Snapshot | None
    programme: Settings | None
    exclusions: Exclusions
    outcome: Outcome
    budget: Budget
    status_summary: StatusCounts
    by_element: list[ElementCounts]
    trend: list[TrendYear]
    themes: dict[str, ThemeList]
    outputs: Outputs
    stage_gate: StageGate
    evaluation: Evaluation
    rs: Rs | None


def settings(con: duckdb.DuckDBPyConnection) -> Settings | None:
    """The programme's settings as loaded from programme.toml (None if never loaded)."""
    return Settings.from_stored(dict(con.execute("SELECT key, value FROM programme").fetchall()))


def as_of_year(con: duckdb.DuckDBPyConnection, asked: int | None) -> int:
    """The fiscal year asked for, else the one containing today in the programme's calendar (its time zone)."""
    if asked is not None:
        return asked
    programme = settings(con)
    return current_fy(programme.timezone if programme else DEFAULT_TIMEZONE)


def has_data(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any themes list or budget row is stored."""
    row = fetch_one(con, "SELECT (SELECT count(*) FROM theme_lists) + (SELECT count(*) FROM budget)")
    return bool(row and row[0])


def report(con: duckdb.DuckDBPyConnection, as_of: int, list_limit: int | None = LIST_LIMIT) -> Report:
    """Every figure as of `as_of`; theme lists hold at most `list_limit` rows each (None: all)."""
    programme = settings(con)
    snapshot = in_force(con, as_of)
    listed = list_id(snapshot)
    return Report(
        as_of_fy=as_of,
        snapshot=snapshot,
        programme=programme,
        exclusions=exclusions(con, as_of, listed),
        outcome=outcome(con, as_of, programme, listed),
        budget=budget(con, as_of),
        status_summary=status_summary(con, as_of, listed),
        by_element=by_element(con, as_of, listed),
        trend=trend(con, as_of, programme),
        themes=theme_lists(con, as_of, listed, list_limit),
        outputs=outputs(con, as_of),
        stage_gate=stage_gate(con, as_of, listed, list_limit),
        evaluation=evaluation(con, programme),
        rs=rs(con, as_of, programme),
    )


def schedule(con: duckdb.DuckDBPyConnection, rep: Report) -> Schedule:
    """The long-term chart's maturity schedule for a report (its year, list, horizon and judging year)."""
    o = rep.outcome
    return maturity_schedule(con, rep.as_of_fy, o.horizon_years, list_id(rep.snapshot), o.judged_from_fy)


def sources(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The audit trail of loads: file, sha256, kind, rows, time."""
    keys = ["load_id", "file_name", "sha256", "kind", "row_count", "loaded_at"]
    rows = con.execute(f"SELECT {', '.join(keys)} FROM loads ORDER BY load_id").fetchall()
    return [{k: (str(v) if k == "loaded_at" else v) for k, v in zip(keys, r, strict=True)} for r in rows]
