"""The report as the documented JSON contract (README, 'kpi report --format json'): numbers made from the
exact values at the edge, ratios in 0–1 (null when not computable), money in 億円, verdicts by name."""

from __future__ import annotations

import json
from typing import Any

from kpi.figures.effects import CohortCell, Effects
from kpi.figures.evaluation import Evaluation
from kpi.figures.kpis import LONG_TERM, LONG_TERM_MATURED, SHORT_TERM, Kpi, Outcome
from kpi.figures.outlook import Pending, ToReach
from kpi.figures.reasons import ReasonCount
from kpi.figures.report import Report
from kpi.figures.responses import Rate
from kpi.figures.stagegate import StageGate
from kpi.figures.status import GROUPS, LISTS, ThemeList
from kpi.figures.submissions import Standing
from kpi.figures.suppress import Figure
from kpi.fiscal import DEFAULT_TIMEZONE, calendar_of, machine_time
from kpi.present.numbers import as_float


def dumps(data: Any) -> str:
    """Pretty JSON, Japanese kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def outlook_json(k: Kpi) -> dict[str, Any] | None:
    """A KPI's outlook in the JSON contract (null where nothing is measurable)."""
    o = k.outlook
    if isinstance(o, Pending):
        return {
            "pending": o.pending,
            "best": {"achieved": o.best_achieved, "completed": o.total, "ratio": as_float(o.best)},
            "worst": {"achieved": o.achieved, "completed": o.total, "ratio": as_float(o.worst)},
            "needed": o.needed,
            "verdict": str(o.reach) if o.reach else None,
        }
    if isinstance(o, ToReach):
        return {
            "needed": o.needed,
            "required": o.required,
            "years_left": o.years_left,
            "judged": o.judged,
            "surveys_due": o.surveys_due,
        }
    return None


def kpi_json(k: Kpi) -> dict[str, Any]:
    """One KPI in the generic form `kpi check` and the `kpis` list use."""
    return {
        "name": k.key,
        "numerator": k.numerator,
        "denominator": k.denominator,
        "ratio": as_float(k.ratio),
        "target": as_float(k.target),
        "target_text": k.target_text,
        "met": k.verdict.met,
        "verdict": str(k.verdict),
        "judged_from_fy": k.judged_from_fy,
        "outlook": outlook_json(k),
        "roles": k.placement.by_role,
        "reasons": placement_json(k),
    }


def placement_json(k: Kpi) -> dict[str, dict[str, int]]:
    """A KPI's themes per role and reason (the reasons that place at least one theme)."""
    found: dict[str, dict[str, int]] = {}
    for role, reason, n in k.placement.counts:
        if n:
            found.setdefault(role, {})[reason] = n
    return found


def placement_notes_json(o: Outcome) -> dict[str, Any]:
    """What every output says beside the KPIs: themes carried from earlier lists, ended early, cancelled, surveys
    set aside."""
    return {
        "carried": o.extra.carried,
        "carried_from": [d.isoformat() for d in o.extra.carried_from],
        "terminated": o.terminated,
        "terminated_themes": "excluded" if o.terminated_excluded else "failed",
        "cancelled": o.cancelled,
        "surveys_set_aside": o.extra.surveys_set_aside,
    }


def short_term(report: Report) -> dict[str, Any]:
    o = report.outcome
    k = o[SHORT_TERM.key]
    return {
        "achieved": k.numerator,
        "completed": k.denominator,
        "ratio": as_float(k.ratio),
        "target": as_float(k.target),
        "target_text": k.target_text,
        "met": k.verdict.met,
        "verdict": str(k.verdict),
        "delayed": o.delayed,
        "awaiting_final": o.awaiting_final,
        "not_achieved": o.not_achieved,
        "outlook": outlook_json(k),
    }


def long_term(report: Report) -> dict[str, Any]:
    o = report.outcome
    official, matured = o[LONG_TERM.key], o[LONG_TERM_MATURED.key]
    return {
        "commercialised": official.numerator,
        "adopted": official.denominator,
        "ratio": as_float(official.ratio),
        "target": as_float(official.target),
        "target_text": official.target_text,
        "met": official.verdict.met,
        "verdict": str(official.verdict),
        "matured": matured.denominator,
        "matured_commercialised": matured.numerator,
        "matured_ratio": as_float(matured.ratio),
        "matured_met": matured.verdict.met,
        "matured_verdict": str(matured.verdict),
        "matured_pending": matured.placement.pending,
        "matured_outlook": outlook_json(matured),
        "not_yet_measurable": o.not_yet_measurable,
        "horizon_years": o.horizon_years,
        "judged_from_fy": official.judged_from_fy,
        "surveyed_themes": o.surveyed_themes,
        "has_followups": o.has_followups,
        "outlook": outlook_json(official),
        **response_rates(report),
    }


def response_rates(report: Report) -> dict[str, Any]:
    """The follow-up surveys' response rates, exact (answered / sent), of the latest round sent up to the year and
    of every round; nothing before a round was ever sent (the JSON of a programme without sendings is as it was)."""
    responses = report.responses
    if responses is None or (latest := responses.latest) is None:
        return {}
    every = responses.overall
    return {
        "response_rate": {"survey_fy": latest.survey_fy, **rate_json(latest.rate)},
        "response_rate_all_rounds": rate_json(every),
    }


def rate_json(rate: Rate) -> dict[str, Any]:
    """A response rate exactly: answered (numerator) of sent (denominator), and the ratio for convenience."""
    return {"numerator": rate.answered, "denominator": rate.sent, "ratio": as_float(rate.fraction)}


def budget(report: Report) -> dict[str, Any]:
    b = report.budget
    return {
        "unit": "oku_yen",
        "years": [
            {
                "fy": y.fy,
                "budget": as_float(y.budget),
                "executed": as_float(y.executed),
                "ratio": as_float(y.ratio),
                "cumulative_budget": as_float(y.cumulative_budget),
                "cumulative_executed": as_float(y.cumulative_executed),
                "cumulative_ratio": as_float(y.cumulative_ratio),
                "draws_on_earlier": y.draws_on_earlier,
            }
            for y in b.years
        ],
        "total": {
            "budget": as_float(b.total_budget),
            "executed": as_float(b.total_executed),
            "ratio": as_float(b.ratio),
        },
    }


def theme_list(themes: ThemeList) -> list[dict[str, Any]]:
    return [r._asdict() for r in themes.rows]


def stage_gate(sg: StageGate) -> dict[str, Any]:
    return {
        "reviewed": [
            {
                "theme_id": r.theme_id,
                "item": r.item,
                "element": r.element,
                "title": r.title,
                "review_fy": r.review_fy,
                "reviewers": r.reviewers,
                "mean": as_float(r.mean),
                "decision": r.decision,
                "criteria": {c: as_float(m) for c, m in r.criteria},
                "committee": r.committee,
                "decided_on": None if r.decided_on is None else r.decided_on.isoformat(),
                "committee_conflicts_status": r.conflicts,
            }
            for r in sg.reviewed
        ],
        "not_reviewed": [r._asdict() for r in sg.not_reviewed],
        "not_reviewed_count": sg.not_reviewed_count,
    }


def outputs(report: Report) -> dict[str, Any]:
    o = report.outputs
    g = o.grants
    return {
        "years": [y._asdict() for y in o.years],
        "total": o.total,
        "grants": None
        if g is None
        else {
            "as_of_date": g.as_of_date.isoformat(),
            "granted_domestic": g.granted_domestic,
            "granted_foreign": g.granted_foreign,
            "filed_domestic": g.filed_domestic,
            "filed_foreign": g.filed_foreign,
            "rate_domestic": as_float(g.rate_domestic),
            "rate_foreign": as_float(g.rate_foreign),
        },
    }


def evaluation(report: Report) -> dict[str, Any]:
    ev = report.evaluation
    return {
        "members": list(ev.members),
        "criteria": [
            {"criterion": c.criterion, "grades": c.grades, "score": as_float(c.score), "graded_by": c.graded_by}
            for c in ev.criteria
        ],
        "grade_points": {g: as_float(p) for g, p in ev.grade_points.items()},
        **evaluation_rounds(ev),
    }


def evaluation_rounds(ev: Evaluation) -> dict[str, Any]:
    """With two rounds or more: the latest round's code, every round (oldest first) and each criterion's scores."""
    if not ev.rounds:
        return {}
    trend = [{"criterion": t.criterion, "scores": [as_float(s) for s in t.scores]} for t in ev.trend]
    return {"round": ev.round, "rounds": list(ev.rounds), "trend": trend}


def next_evaluation_json(report: Report) -> dict[str, Any]:
    """The evaluation calendar's next round as of the report's year (None: every round has passed): present only when
    the settings declare the calendar."""
    from kpi.figures.milestones import next_evaluation

    if report.programme is None or not report.programme.evaluations:
        return {}
    found = next_evaluation(report.programme, report.as_of_fy)
    return {"next_evaluation": found._asdict() if found else None}


def recommendations_json(ev: Evaluation) -> dict[str, Any]:
    """The recommendations loaded, by status (not_started, in_progress, done): present only when some are."""
    return {"recommendations": {c.status: c.n for c in ev.recommendations}} if ev.recommendations else {}


def rs(report: Report) -> dict[str, Any] | None:
    if report.rs is None:
        return None
    return {
        "project_id": report.rs.project_id,
        "unit": "yen",
        "appropriations": [
            {**a._asdict(), "execution_rate": as_float(a.execution_rate)} for a in report.rs.appropriations
        ],
        "indicators": [
            {
                "seq": i.seq,
                "number": i.number,
                "kind": i.kind,
                "period": i.period,
                "name": i.name,
                "indicator": i.indicator,
                "unit": i.unit,
                "target_years": list(i.target_years),
                "sheet_fy": i.sheet_fy,
                "years": [
                    {
                        "fy": y.fy,
                        "target": as_float(y.target),
                        "actual": as_float(y.actual),
                        "achievement_rate": as_float(y.achievement_rate),
                    }
                    for y in i.years
                ],
            }
            for i in report.rs.indicators
        ],
    }


def standing_json(standing: Standing | None, timezone: str = DEFAULT_TIMEZONE) -> dict[str, Any] | None:
    """The latest submission for the year and the figures that differ from it, for JSON (its time in the programme's
    calendar, `timezone`)."""
    if standing is None:
        return None
    s = standing.submission
    return {
        "submission": s.submission_id,
        "stage": s.stage,
        "made_at": machine_time(s.made_at, timezone),
        "differs": bool(standing.differences),
        "differences": [{"figure": x.figure, "submitted": x.before, "now": x.after} for x in standing.differences],
    }


def _figure_json(f: Figure | None) -> dict[str, Any] | None:
    """A sales figure in the JSON contract: its themes, its value (null when withheld or empty) and why withheld."""
    if f is None:
        return None
    return {"themes": f.themes, "value": as_float(f.value), "withheld": str(f.withheld) if f.withheld else None}


def missed_reasons_json(counts: tuple[ReasonCount, ...] | None) -> dict[str, Any]:
    """The theme list's reasons in the report's JSON, under "missed_reasons": per code, its 目標未達 and 中止 themes;
    nothing when the list gives no reason (the JSON of a list without reasons is as it was)."""
    if counts is None:
        return {}
    return {"missed_reasons": {c.code: {"not_achieved": c.not_achieved, "terminated": c.terminated} for c in counts}}


def effects_json(fx: Effects | None) -> dict[str, Any]:
    """The surveys' effects in the report's JSON, under "effects": sales by cohort (withheld figures null), reasons,
    cohort table; nothing without a survey (the JSON of a programme without surveys is as it was)."""
    if fx is None or fx == (None, None, None):
        return {}
    return {"effects": _effects(fx)}


def _effects(fx: Effects) -> dict[str, Any]:
    """The parts of "effects" (null: no data for that part)."""
    s, c = fx.sales, fx.cohorts
    return {
        "sales_by_cohort": None
        if s is None
        else {
            "k": s.table.k,
            "cohorts": list(s.cohorts),
            "survey_years": list(s.years),
            "cells": [[_figure_json(f) for f in row] for row in s.table.cells],
            "cohort_totals": [_figure_json(f) for f in s.table.row_totals or ()],
            "year_totals": [_figure_json(f) for f in s.table.column_totals or ()],
            "total": _figure_json(s.table.grand_total),
        },
        "stop_reasons": None if fx.reasons is None else dict(fx.reasons),
        "cohort_table": None
        if c is None
        else {
            "years_after": list(c.rounds),
            "rows": [
                {"end_fy": r.end_fy, "themes": r.themes, "cells": [_cell_json(x) for x in r.cells]} for r in c.rows
            ],
        },
    }


def _cell_json(x: CohortCell | None) -> dict[str, Any] | None:
    """A cohort cell in the JSON contract (null: the round is not reached yet)."""
    if x is None:
        return None
    return {
        "years_after": x.years_after,
        "commercialised": x.commercialised,
        "themes": x.themes,
        "ratio": as_float(x.ratio),
        "sent": x.sent,
        "answered": x.answered,
        "response_rate": as_float(x.response_rate),
    }


def report_json(report: Report) -> dict[str, Any]:
    """Everything `kpi report` shows, as the JSON contract."""
    return {
        "as_of_fy": report.as_of_fy,
        "snapshot": report.snapshot.date.isoformat() if report.snapshot else None,
        "snapshot_fallback": report.snapshot.fallback if report.snapshot else False,
        "programme": report.programme.as_json() if report.programme else None,
        "exclusions": report.exclusions._asdict(),
        "placement": placement_notes_json(report.outcome),
        "short_term": short_term(report),
        "long_term": long_term(report),
        "kpis": [kpi_json(k) for k in report.outcome.kpis],
        "budget": budget(report),
        "status_summary": {g: getattr(report.status_summary, g) for g in GROUPS},
        "by_element": [
            {"item": r.item, "element": r.element, **{g: getattr(r, g) for g in GROUPS}} for r in report.by_element
        ],
        "trend": [
            {"fy": y.fy, "achieved": y.achieved, "completed": y.completed, "ratio": as_float(y.ratio)}
            for y in report.trend
        ],
        "themes": {name: theme_list(report.themes[name]) for name in LISTS},
        "theme_counts": {name: report.themes[name].count for name in LISTS},
        "outputs": outputs(report),
        "stage_gate": stage_gate(report.stage_gate),
        "evaluation": evaluation(report),
        **recommendations_json(report.evaluation),
        **next_evaluation_json(report),
        "rs": rs(report),
        **effects_json(report.effects),
        **missed_reasons_json(report.missed_reasons),
        "known_at_load": report.known_at.load_id if report.known_at else None,
        "latest_submission": standing_json(report.standing, calendar_of(report.programme)),
    }
