"""The report's tables as (headers, rows) of display text, shared by the text, markdown, CSV and HTML outputs."""

from __future__ import annotations

from kpi.figures.kpis import Kpi, Outcome
from kpi.figures.lists import Snapshot, year_end
from kpi.figures.outlook import Pending, Reach, ToReach
from kpi.figures.report import Report
from kpi.figures.stagegate import StageGate
from kpi.figures.status import GROUPS, ThemeList
from kpi.figures.verdict import Verdict
from kpi.fiscal import wareki
from kpi.present.catalogue import Words
from kpi.present.numbers import DASH, mean, number, oku, percent

Table = tuple[list[str], list[list[str]]]


def kpi_name(kpi: Kpi, horizon: int, w: Words, form: str = "name") -> str:
    """A KPI's name ('name' as the report shows it, 'title' and 'definition' as the export does)."""
    return w(f"kpi.{kpi.key}.{form}", horizon=horizon)


def verdict_text(kpi: Kpi, w: Words) -> str:
    """A KPI's verdict in words, with why it cannot be measured when it cannot."""
    if kpi.verdict is Verdict.NOT_JUDGED_YET:
        return w("verdict.not_judged_yet", fy=kpi.judged_from_fy)
    text = w(f"verdict.{kpi.verdict}")
    if kpi.verdict is Verdict.NOT_MEASURABLE and kpi.unmeasured_reason:
        text += w(f"reason.{kpi.unmeasured_reason}")
    return text


def target_text(kpi: Kpi, w: Words) -> str:
    return w("verdict.no_target") if kpi.target_text is None else w("target.at_least", target=kpi.target_text)


def headline(rep: Report, w: Words) -> Table:
    """The outcome indicators: one row per KPI with numerator, denominator, actual, target and verdict."""
    horizon = rep.outcome.horizon_years
    headers = [w(k) for k in ("col.indicator", "col.numerator", "col.denominator", "col.actual", "col.target")]
    rows = [
        [
            kpi_name(k, horizon, w),
            number(k.numerator),
            number(k.denominator),
            percent(k.ratio),
            target_text(k, w),
            verdict_text(k, w),
        ]
        for k in rep.outcome.kpis
    ]
    return [*headers, w("col.verdict")], rows


def snapshot_line(snapshot: Snapshot | None, w: Words) -> str:
    """Which dated theme list the figures come from."""
    return w("report.snapshot", date=snapshot.date.isoformat()) if snapshot else w("report.no_list")


def fallback_note(as_of: int, snapshot: Snapshot | None, w: Words) -> list[str]:
    """The note every output carries when the year had no list of its own and the earliest one stands in."""
    if snapshot is None or not snapshot.fallback:
        return []
    return [
        w(
            "note.snapshot_fallback",
            fy=as_of,
            year_end=year_end(as_of).isoformat(),
            date=snapshot.date.isoformat(),
        )
    ]


def headline_notes(rep: Report, w: Words) -> list[str]:
    """The exclusions and caveats printed under the outcome indicators."""
    ex, o = rep.exclusions, rep.outcome
    notes = [*fallback_note(rep.as_of_fy, rep.snapshot, w), w("note.excluded", n=ex.leading_research)]
    if ex.not_yet_adopted:
        notes.append(w("note.not_adopted", n=ex.not_yet_adopted, fy=rep.as_of_fy))
    notes.append(w("note.short_term", delayed=o.delayed, awaiting=o.awaiting_final))
    if o.judged_from_fy is not None:
        notes.append(w("note.long_term", fy=o.judged_from_fy, n=o.not_yet_measurable, horizon=o.horizon_years))
    if not o.has_followups:
        notes.append(w("note.no_followups"))
    if rep.programme is None:
        notes.append(w("note.no_settings"))
    return notes


def outlook_line(kpi: Kpi, w: Words) -> str | None:
    """One sentence a person reads at a glance: what a KPI can still become (None for a KPI without an outlook)."""
    o = kpi.outlook
    target = kpi.target_text or ""
    if isinstance(o, Pending):
        best, worst = percent(o.best), percent(o.worst)
        if o.pending == 0:
            return w("outlook.short.settled", ratio=percent(kpi.ratio))
        if o.reach is None:
            return w("outlook.short.no_target", pending=o.pending, best=best, worst=worst)
        if o.reach is Reach.OPEN:
            return w("outlook.short.open", target=target, pending=o.pending, needed=o.needed, best=best, worst=worst)
        return w(f"outlook.short.{o.reach}", target=target, pending=o.pending, best=best, worst=worst)
    if isinstance(o, ToReach) and o.needed is not None:
        params = {
            "target": target,
            "needed": o.needed,
            "adopted": number(kpi.denominator),
            "commercialised": number(kpi.numerator or 0),
            "fy": kpi.judged_from_fy,
            "years": o.years_left,
            "due": number(o.surveys_due),
        }
        return w("outlook.long.reached" if o.needed == 0 else "outlook.long", **params)
    return None


def outlook_brief(kpi: Kpi, w: Words) -> str | None:
    """A few words for a table cell: the reach of a pending outlook, or the themes still needed."""
    o = kpi.outlook
    if isinstance(o, Pending) and o.reach is not None:
        more = f"（{w('outlook.brief.needed', n=o.needed)}）" if o.reach is Reach.OPEN else ""
        return w(f"reach.{o.reach}") + more
    if isinstance(o, ToReach) and o.needed is not None:
        return w("outlook.brief.needed", n=o.needed)
    return None


def outlook_lines(outcome: Outcome, w: Words) -> list[str]:
    """The outlook of every KPI that has one."""
    return [line for k in outcome.kpis if (line := outlook_line(k, w))]


def status(rep: Report, w: Words) -> Table:
    s = rep.status_summary
    return [w(f"group.{g}") for g in GROUPS], [[number(getattr(s, g)) for g in GROUPS]]


def item_label(item: int, w: Words) -> str:
    return w(f"item.{item}") if w.has(f"item.{item}") else str(item)


def element(rep: Report, w: Words) -> Table:
    rows = [[item_label(r.item, w), r.element, *(number(getattr(r, g)) for g in GROUPS)] for r in rep.by_element]
    return [w("col.item"), w("col.element"), *(w(f"group.{g}") for g in GROUPS)], rows


def budget(rep: Report, w: Words) -> Table:
    rows = []
    for y in rep.budget.years:
        mark = f" {w('mark.draws')}" if y.draws_on_earlier else ""
        rows.append(
            [
                str(y.fy),
                wareki(y.fy),
                number(y.budget),
                number(y.executed),
                percent(y.ratio) + mark,
                number(y.cumulative_budget),
                number(y.cumulative_executed),
                percent(y.cumulative_ratio),
            ]
        )
    keys = [
        "col.fy",
        "col.wareki",
        "col.budget",
        "col.executed",
        "col.execution_ratio",
        "col.cumulative_budget",
        "col.cumulative_executed",
        "col.cumulative_ratio",
    ]
    return [w(k) for k in keys], rows


def budget_total(rep: Report, w: Words) -> str:
    b = rep.budget
    return w(
        "budget.total",
        fy=rep.as_of_fy,
        executed=number(b.total_executed),
        budget=number(b.total_budget),
        ratio=percent(b.ratio),
    )


def trend(rep: Report, w: Words) -> Table:
    rows = [[str(y.fy), wareki(y.fy), number(y.achieved), number(y.completed), percent(y.ratio)] for y in rep.trend]
    return [w("col.fy"), w("col.wareki"), w("col.achieved"), w("col.completed"), w("col.actual")], rows


def theme_list(themes: ThemeList, w: Words) -> Table:
    rows = [
        [
            r.theme_id,
            item_label(r.item, w),
            r.element,
            r.organizations,
            r.title,
            str(r.end_fy),
            w(f"status.{r.status}"),
        ]
        for r in themes.rows
    ]
    keys = ["col.theme_id", "col.item", "col.element", "col.organizations", "col.title", "col.end_fy", "col.status"]
    return [w(k) for k in keys], rows


OUTPUT_COLUMNS = ("papers", "presentations", "patents_domestic", "patents_foreign", "patents_pct")


def outputs(rep: Report, w: Words) -> Table:
    o = rep.outputs
    rows = [[str(y.fy), *(number(getattr(y, c)) for c in OUTPUT_COLUMNS)] for y in o.years]
    if rows:
        rows.append([w("row.total"), *(number(o.total[c]) for c in OUTPUT_COLUMNS)])
    return [w("col.fy"), *(w(f"col.{c}") for c in OUTPUT_COLUMNS)], rows


def grants_line(rep: Report, w: Words) -> str:
    g = rep.outputs.grants
    if g is None:
        return w("grants.none")
    return w(
        "grants.line",
        date=g.as_of_date.isoformat(),
        granted_domestic=number(g.granted_domestic),
        filed_domestic=number(g.filed_domestic),
        rate_domestic=percent(g.rate_domestic),
        granted_foreign=number(g.granted_foreign),
        filed_foreign=number(g.filed_foreign),
        rate_foreign=percent(g.rate_foreign),
    )


def stage_gate(sg: StageGate, w: Words, unreviewed: bool = False) -> Table:
    """Reviewed themes with their mean and decision; with `unreviewed`, the listed themes without a review too."""
    rows = [
        [
            r.theme_id,
            item_label(r.item, w),
            r.element,
            str(r.review_fy),
            str(r.reviewers),
            mean(r.mean, 2),
            w(f"decision.{r.decision}"),
        ]
        for r in sg.reviewed
    ]
    if unreviewed:
        rows += [
            [r.theme_id, item_label(r.item, w), r.element, "", "", "", w("stagegate.not_reviewed")]
            for r in sg.not_reviewed
        ]
    keys = ["col.theme_id", "col.item", "col.element", "col.review_fy", "col.reviewers", "col.mean", "col.decision"]
    return [w(k) for k in keys], rows


def evaluation(rep: Report, w: Words) -> Table:
    ev = rep.evaluation
    rows = [[c.criterion, *((c.grades.get(m) or DASH) for m in ev.members), mean(c.score, 1)] for c in ev.criteria]
    return [w("col.criterion"), *ev.members, w("col.score")], rows


def grade_points(rep: Report) -> str:
    return ", ".join(f"{g}={number(p)}" for g, p in rep.evaluation.grade_points.items())


RS_COLUMNS = (
    "budget_fy",
    "initial",
    "supplementary",
    "carried_in",
    "reserve",
    "current",
    "executed",
    "execution_rate",
    "carried_out",
)


def rs_appropriations(rep: Report, w: Words) -> Table:
    rows = []
    for a in rep.rs.appropriations if rep.rs else ():
        rows.append(
            [
                str(a.budget_fy),
                oku(a.initial),
                oku(a.supplementary),
                oku(a.carried_in),
                oku(a.reserve),
                oku(a.current),
                oku(a.executed) if a.execution_reported else w("rs.not_reported"),
                percent(a.execution_rate),
                oku(a.carried_out),
            ]
        )
    return [w(f"col.rs.{c}") for c in RS_COLUMNS], rows


def clip(value: str | None, width: int = 40) -> str:
    """Text cut to `width` characters with an ellipsis, line breaks shown as \\n."""
    if value is None:
        return ""
    text = str(value).replace("\n", "\\n")
    return text if len(text) <= width else text[: width - 1] + "…"


def rs_indicators(rep: Report, w: Words) -> Table:
    rows = []
    for ind in rep.rs.indicators if rep.rs else ():
        for y in ind.years:
            flag = " ◎" if y.fy in ind.target_years else ""
            rows.append(
                [
                    number(ind.number),
                    w(f"rs.kind.{ind.kind}") if ind.kind else "",
                    w(f"rs.period.{ind.period}") if ind.period else "",
                    clip(ind.indicator or ind.name, 30),
                    f"{y.fy}{flag}",
                    number(y.target),
                    number(y.actual),
                    number(y.achievement_rate),
                ]
            )
    keys = [
        "col.rs.number",
        "col.rs.kind",
        "col.rs.period",
        "col.indicator",
        "col.fy",
        "col.rs.target",
        "col.actual",
        "col.rs.achievement_rate",
    ]
    return [w(k) for k in keys], rows
