"""The catalogue keys of the codes the lower layers store and return (a status, a group, a kind, a verdict, …),
each written whole, so that a search for a key finds every place that prints it. A code without a key here is
a bug the tests catch (tests/unit/present/test_catalogue.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kpi.present.catalogue import Words

STATUS = {
    "achieved": "status.achieved",
    "not_achieved": "status.not_achieved",
    "delayed": "status.delayed",
    "on_track": "status.on_track",
    "terminated": "status.terminated",
    "cancelled": "status.cancelled",
}
GROUP = {
    "achieved": "group.achieved",
    "on_track": "group.on_track",
    "delayed_or_not_achieved": "group.delayed_or_not_achieved",
    "terminated": "group.terminated",
    "total": "group.total",
}
KIND = {
    "programme": "kind.programme",
    "themes": "kind.themes",
    "budget": "kind.budget",
    "followups": "kind.followups",
    "outputs": "kind.outputs",
    "grants": "kind.grants",
    "stagegate": "kind.stagegate",
    "evaluation": "kind.evaluation",
    "recommendations": "kind.recommendations",
    "schedule": "kind.schedule",
    "published": "kind.published",
    "rs": "kind.rs",
    "followup_sent": "kind.followup_sent",
}
ITEM = {1: "item.1", 2: "item.2", 3: "item.3"}
# The events of a theme's schedule (kpi.figures.milestones), as stored.
SCHEDULE_EVENT = {
    "start": "schedule.event.start",
    "stagegate": "schedule.event.stagegate",
    "end": "schedule.event.end",
    "milestone": "schedule.event.milestone",
}
# A theme's columns a later list may change (kpi.db.schema.THEME_FIELDS), as the lists' headers name them.
FIELD = {
    "item": "col.item",
    "funding": "col.funding",
    "element": "col.element",
    "organizations": "col.organizations",
    "title": "col.title",
    "start_fy": "col.start_fy",
    "end_fy": "col.end_fy",
    "status": "col.status",
    "reason_code": "col.reason_code",
    "reason_text": "col.reason_text",
}
DECISION = {"continue": "decision.continue", "consider": "decision.consider", "terminate": "decision.terminate"}
COMMITTEE = {  # the stage-gate committee's decision (schemas.stagegate.DECISIONS)
    "continue": "committee.continue",
    "conditional": "committee.conditional",
    "revise": "committee.revise",
    "stop": "committee.stop",
}
VERDICT = {
    "met": "verdict.met",
    "not_met": "verdict.not_met",
    "not_judged_yet": "verdict.not_judged_yet",
    "not_measurable": "verdict.not_measurable",
    "no_target": "verdict.no_target",
}
# A verdict as one word, without its year (the register of submissions).
VERDICT_WORD = {
    "met": "verdict.met",
    "not_met": "verdict.not_met",
    "not_judged_yet": "verdict.word.not_judged_yet",
    "not_measurable": "verdict.not_measurable",
    "no_target": "verdict.no_target",
}
STAGE = {"preliminary": "stage.preliminary", "final": "stage.final"}
UNMEASURED = {"denominator_zero": "reason.denominator_zero", "no_followups": "reason.no_followups"}
REACH = {"secured": "reach.secured", "open": "reach.open", "out_of_reach": "reach.out_of_reach"}
THEME_LIST = {"delayed": "list.delayed", "awaiting_final": "list.awaiting_final", "not_achieved": "list.not_achieved"}
OUTPUT = {
    "papers": "col.papers",
    "presentations": "col.presentations",
    "patents_domestic": "col.patents_domestic",
    "patents_foreign": "col.patents_foreign",
    "patents_pct": "col.patents_pct",
}
RS_COLUMN = {
    "budget_fy": "col.rs.budget_fy",
    "initial": "col.rs.initial",
    "supplementary": "col.rs.supplementary",
    "carried_in": "col.rs.carried_in",
    "reserve": "col.rs.reserve",
    "current": "col.rs.current",
    "executed": "col.rs.executed",
    "execution_rate": "col.rs.execution_rate",
    "carried_out": "col.rs.carried_out",
}
RS_KIND = {"activity": "rs.kind.activity", "output": "rs.kind.output", "outcome": "rs.kind.outcome"}
RS_PERIOD = {"short": "rs.period.short", "medium": "rs.period.medium", "long": "rs.period.long"}
SHEET = {
    "summary": "sheet.summary",
    "outcome_kpis": "sheet.outcome_kpis",
    "status_summary": "sheet.status_summary",
    "by_element": "sheet.by_element",
    "budget_execution": "sheet.budget_execution",
    "themes": "sheet.themes",
    "outputs": "sheet.outputs",
    "stage_gate": "sheet.stage_gate",
    "evaluation": "sheet.evaluation",
    "evaluation_trend": "sheet.evaluation_trend",
    "rs_appropriations": "sheet.rs_appropriations",
    "rs_indicators": "sheet.rs_indicators",
    "cohorts": "effects.sheet.cohorts",
    "breakdown_short_term": "sheet.breakdown_short_term",
    "breakdown_long_term": "sheet.breakdown_long_term",
    "breakdown_long_term_matured": "sheet.breakdown_long_term_matured",
    "breakdown_status": "sheet.breakdown_status",
}
CHART_TITLE = {
    "short_term": "chart.short_term",
    "long_term": "chart.long_term",
    "budget": "chart.budget",
    "status": "chart.status",
    "cohorts": "effects.chart.cohorts",
}
CHART_NOTE = {
    "short_term": "html.chart_note.short_term",
    "long_term": "html.chart_note.long_term",
    "budget": "html.chart_note.budget",
    "status": "html.chart_note.status",
    "cohorts": "effects.chart_note.cohorts",
}
PROGRESS = {"read": "progress.read", "check": "progress.check", "write": "progress.write"}
SCOPE = {"overall": "reconcile.scope.overall", "element": "reconcile.scope.element"}


@dataclass(frozen=True)
class KpiWords:
    """The keys of a KPI's words: its name in tables, its title in files, its definition, its line in `kpi check`."""

    name: str
    title: str
    definition: str
    check: str


KPI = {
    "short_term": KpiWords(
        "kpi.short_term.name", "kpi.short_term.title", "kpi.short_term.definition", "check.name.short_term"
    ),
    "long_term": KpiWords(
        "kpi.long_term.name", "kpi.long_term.title", "kpi.long_term.definition", "check.name.long_term"
    ),
    "long_term_matured": KpiWords(
        "kpi.long_term_matured.name",
        "kpi.long_term_matured.title",
        "kpi.long_term_matured.definition",
        "check.name.long_term_matured",
    ),
}


def field(column: str, words: Words) -> str:
    """A theme's column by its label (FIELD); a theme attribute (kpi.settings.Attribute) by its name, its header."""
    return words(FIELD[column]) if column in FIELD else column


def known(labels: dict[str, str], code: str) -> str | None:
    """The key of a code that may come from a file (an RS kind or period): None when the catalogue has none."""
    return labels.get(code)
