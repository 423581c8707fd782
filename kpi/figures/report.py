"""Everything `kpi report` shows, as of one fiscal year, computed from one connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import duckdb

from kpi.db.reading import together
from kpi.db.versions import KnownLoad, shown_load
from kpi.figures.breakdown import Breakdown
from kpi.figures.budget import Budget, budget
from kpi.figures.effects import Effects, effects
from kpi.figures.evaluation import Evaluation, evaluation
from kpi.figures.kpis import Outcome, TrendYear, outcome, trend
from kpi.figures.lists import Snapshot, in_force_among, list_id
from kpi.figures.outputs import Outputs, outputs
from kpi.figures.programme import as_of_year, loaded
from kpi.figures.reasons import ReasonCount, missed_reasons
from kpi.figures.responses import Responses, as_of_date, responses
from kpi.figures.rs import Rs, rs
from kpi.figures.schedule import Schedule, maturity_schedule
from kpi.figures.stagegate import StageGate, stage_gate
from kpi.figures.status import (
    LIST_LIMIT,
    ElementCounts,
    Exclusions,
    StatusCounts,
    ThemeList,
    all_themes,
    by_element,
    exclusions,
    status_summary,
    theme_lists,
)
from kpi.figures.submissions import Standing, against_latest, figures_from
from kpi.fiscal import calendar_of
from kpi.settings import Settings


class Report(NamedTuple):
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
    schedule: Schedule | None = None  # the long-term chart's maturity schedule, when asked for
    known_at: KnownLoad | None = None  # the load the figures are as known right after (--known-at)
    standing: Standing | None = None  # the latest submission for the year, and the figures that differ from it
    effects: Effects | None = None  # the surveys' sales by cohort, reasons and cohort table (kpi.figures.effects)
    responses: Responses | None = None  # the follow-up surveys sent up to the year and their answers
    missed_reasons: tuple[ReasonCount, ...] | None = None  # why themes missed or stopped, as the list says


class Submission(NamedTuple):
    """What an export writes: the report with every theme of its lists, every theme of its list, the loads."""

    report: Report
    themes: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    answers: list[tuple[object, ...]] | None = None  # confidential: per-theme answers with sales (--confidential)
    breakdown: Breakdown | None = None  # every figure per group (--by: kpi.figures.breakdown)


def report(
    con: duckdb.DuckDBPyConnection, asked: int | None, all_rows: bool = False, with_schedule: bool = False
) -> Report:
    """Every figure as of the year asked (else the current one: as_of_year); theme lists hold their first
    LIST_LIMIT rows each (all of them with `all_rows`); with the long-term chart's maturity schedule when asked."""
    start = loaded(con)
    start.require_data()
    list_limit = None if all_rows else LIST_LIMIT
    programme = start.settings
    as_of = as_of_year(con, asked, programme)
    snapshot = in_force_among(start.lists, as_of)
    listed = list_id(snapshot)
    parts: dict[str, Callable[[duckdb.DuckDBPyConnection], Any]] = {
        "trend": lambda c: trend(c, as_of, programme, start.lists),
        "outcome": lambda c: outcome(c, as_of, programme, listed),
        "themes": lambda c: theme_lists(c, as_of, listed, list_limit),
        "stage_gate": lambda c: stage_gate(c, as_of, listed, list_limit),
        "by_element": lambda c: by_element(c, as_of, listed),
        "rs": lambda c: rs(c, as_of, programme),
        "budget": lambda c: budget(c, as_of),
        "evaluation": lambda c: evaluation(c, programme),
        "exclusions": lambda c: exclusions(c, as_of, listed),
        "status_summary": lambda c: status_summary(c, as_of, listed),
        "outputs": lambda c: outputs(c, as_of),
        "effects": lambda c: effects(c, as_of, programme, listed),
        "missed_reasons": lambda c: missed_reasons(c, as_of, listed),
        "responses": lambda c: responses(c, as_of, as_of_date(as_of, calendar_of(programme))),
    }
    built = Report(as_of_fy=as_of, snapshot=snapshot, programme=programme, **together(con, parts))
    figures = figures_from(built.outcome, built.status_summary, built.budget, snapshot)
    built = built._replace(known_at=shown_load(con), standing=against_latest(con, as_of, figures))
    return built._replace(schedule=schedule(con, built)) if with_schedule else built


def schedule(con: duckdb.DuckDBPyConnection, report: Report) -> Schedule:
    """The long-term chart's maturity schedule for a report (its year, list, horizon and judging year)."""
    outcome = report.outcome
    return maturity_schedule(con, report.as_of_fy, report.programme, list_id(report.snapshot), outcome.judged_from_fy)


def submission(
    con: duckdb.DuckDBPyConnection, asked: int | None, confidential: bool = False, by: str | None = None
) -> Submission:
    """What `kpi export` writes for the year asked: every theme of the lists, and the loads it came from; with
    `confidential`, every survey answer with its sales too (kpi.figures.effects.answers); with `by`, every figure
    per group (kpi.figures.breakdown)."""
    from kpi.figures.breakdown import breakdown
    from kpi.figures.effects import answers

    built = report(con, asked, all_rows=True)
    listed = list_id(built.snapshot)
    found = answers(con, built.as_of_fy, listed) if confidential else None
    grouped = breakdown(con, by, built.as_of_fy) if by is not None else None
    return Submission(built, all_themes(con, listed), sources(con), found, grouped)


def sources(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The audit trail of loads: file, sha256, kind, rows, time."""
    keys = ["load_id", "file_name", "sha256", "kind", "row_count", "loaded_at"]
    rows = con.execute(f"SELECT {', '.join(keys)} FROM loads ORDER BY load_id").fetchall()
    return [{k: (str(v) if k == "loaded_at" else v) for k, v in zip(keys, r, strict=True)} for r in rows]
