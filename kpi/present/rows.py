"""The report's tables as (headers, rows) of display text, shared by the text, markdown, CSV and HTML outputs."""

from __future__ import annotations

from kpi.figures.kpis import LONG_TERM_MATURED, Kpi, Outcome
from kpi.figures.lists import Snapshot, year_end
from kpi.figures.outlook import Pending, Reach, ToReach
from kpi.figures.report import Report
from kpi.figures.rs import RS_AMOUNTS
from kpi.figures.stagegate import StageGate
from kpi.figures.status import GROUPS, ThemeList
from kpi.figures.verdict import Verdict
from kpi.fiscal import wareki
from kpi.present import labels
from kpi.present.catalogue import Words
from kpi.present.numbers import DASH, mean, number, oku, percent

Table = tuple[list[str], list[list[str]]]


def kpi_name(kpi: Kpi, horizon: int, words: Words, form: str = "name") -> str:
    """A KPI's name ('name' as the report shows it, 'title' and 'definition' as the export does)."""
    return words(getattr(labels.KPI[kpi.key], form), horizon=horizon)


def verdict_text(kpi: Kpi, words: Words) -> str:
    """A KPI's verdict in words, with why it cannot be measured when it cannot."""
    if kpi.verdict is Verdict.NOT_JUDGED_YET:
        return words("verdict.not_judged_yet", fy=kpi.judged_from_fy)
    text = words(labels.VERDICT[kpi.verdict])
    if kpi.verdict is Verdict.NOT_MEASURABLE and kpi.unmeasured_reason:
        text += words(labels.UNMEASURED[kpi.unmeasured_reason])
    return text


def target_text(kpi: Kpi, words: Words) -> str:
    return words("verdict.no_target") if kpi.target_text is None else words("target.at_least", target=kpi.target_text)


def headline(report: Report, words: Words) -> Table:
    """The outcome indicators: one row per KPI with numerator, denominator, actual, target and verdict."""
    horizon = report.outcome.horizon_years
    headers = [words(k) for k in ("col.indicator", "col.numerator", "col.denominator", "col.actual", "col.target")]
    rows = [
        [
            kpi_name(k, horizon, words),
            number(k.numerator),
            number(k.denominator),
            percent(k.ratio),
            target_text(k, words),
            verdict_text(k, words),
        ]
        for k in report.outcome.kpis
    ]
    return [*headers, words("col.verdict")], rows


def snapshot_line(snapshot: Snapshot | None, words: Words) -> str:
    """Which dated theme list the figures come from."""
    return words("report.snapshot", date=snapshot.date.isoformat()) if snapshot else words("report.no_list")


def fallback_note(as_of: int, snapshot: Snapshot | None, words: Words) -> list[str]:
    """The note every output carries when the year had no list of its own and the earliest one stands in."""
    if snapshot is None or not snapshot.fallback:
        return []
    return [
        words(
            "note.snapshot_fallback",
            fy=as_of,
            year_end=year_end(as_of).isoformat(),
            date=snapshot.date.isoformat(),
        )
    ]


def placement_notes(outcome: Outcome, words: Words) -> list[str]:
    """The notes every output that counts themes carries: themes carried from earlier lists, ended early, cancelled,
    and surveys set aside (each only when there are some)."""
    notes = []
    extra = outcome.extra
    if extra.carried:
        dates = ("、" if words.lang == "ja" else ", ").join(d.isoformat() for d in extra.carried_from)
        notes.append(words("note.carried", n=extra.carried, dates=dates))
    if outcome.terminated:
        key = "note.terminated_excluded" if outcome.terminated_excluded else "note.terminated_failed"
        notes.append(words(key, n=outcome.terminated))
    if outcome.cancelled:
        notes.append(words("note.cancelled", n=outcome.cancelled))
    if extra.surveys_set_aside:
        notes.append(words("note.surveys_set_aside", n=extra.surveys_set_aside))
    return notes


def headline_notes(report: Report, words: Words) -> list[str]:
    """The exclusions and caveats printed under the outcome indicators."""
    ex, o = report.exclusions, report.outcome
    notes = [*fallback_note(report.as_of_fy, report.snapshot, words), words("note.excluded", n=ex.leading_research)]
    if ex.not_yet_adopted:
        notes.append(words("note.not_adopted", n=ex.not_yet_adopted, fy=report.as_of_fy))
    notes += placement_notes(o, words)
    notes.append(
        words(
            "note.short_term",
            delayed=o.delayed,
            awaiting=o.awaiting_final,
            pending=o.delayed + o.awaiting_final,
            fy=report.as_of_fy,
        )
    )
    if o.judged_from_fy is not None:
        notes.append(words("note.long_term", fy=o.judged_from_fy, n=o.not_yet_measurable, horizon=o.horizon_years))
    matured = o[LONG_TERM_MATURED.key].placement.pending
    if o.has_followups and matured:
        notes.append(words("note.matured_pending", n=matured, horizon=o.horizon_years))
    if not o.has_followups:
        notes.append(words("note.no_followups"))
    if report.programme is None:
        notes.append(words("note.no_settings"))
    return notes


# The outlook's words for the KPIs whose pending themes are still to be judged, by KPI and reach.
PENDING_OUTLOOK = {
    "short_term": {
        "secured": "outlook.short.secured",
        "open": "outlook.short.open",
        "out_of_reach": "outlook.short.out_of_reach",
        "no_target": "outlook.short.no_target",
        "settled": "outlook.short.settled",
    },
    "long_term_matured": {
        "secured": "outlook.matured.secured",
        "open": "outlook.matured.open",
        "out_of_reach": "outlook.matured.out_of_reach",
        "no_target": "outlook.matured.no_target",
        "settled": "outlook.matured.settled",
    },
}


def outlook_line(kpi: Kpi, words: Words) -> str | None:
    """One sentence a person reads at a glance: what a KPI can still become (None for a KPI without an outlook)."""
    o = kpi.outlook
    target = kpi.target_text or ""
    if isinstance(o, Pending):
        said = PENDING_OUTLOOK[kpi.key]
        best, worst = percent(o.best), percent(o.worst)
        if o.pending == 0:
            return words(said["settled"], ratio=percent(kpi.ratio))
        if o.reach is None:
            return words(said["no_target"], pending=o.pending, best=best, worst=worst)
        if o.reach is Reach.OPEN:
            return words(said["open"], target=target, pending=o.pending, needed=o.needed, best=best, worst=worst)
        return words(said[str(o.reach)], target=target, pending=o.pending, best=best, worst=worst)
    if isinstance(o, ToReach) and o.required is not None:
        params = {
            "target": target,
            "needed": o.needed,
            "required": number(o.required),
            "adopted": number(kpi.denominator),
            "commercialised": number(kpi.numerator or 0),
            "fy": kpi.judged_from_fy,
            "years": o.years_left,
            "due": number(o.surveys_due),
        }
        if o.needed is None:  # no survey yet: the count in practical use is not measured (not 0)
            return words("outlook.long.unmeasured_judged" if o.judged else "outlook.long.unmeasured", **params)
        if o.judged:
            return words("outlook.long.judged_met" if o.needed == 0 else "outlook.long.judged_short", **params)
        return words("outlook.long.reached" if o.needed == 0 else "outlook.long", **params)
    return None


def outlook_brief(kpi: Kpi, words: Words) -> str | None:
    """A few words for a table cell: the reach of a pending outlook, or the themes still needed."""
    o = kpi.outlook
    if isinstance(o, Pending) and o.reach is not None:
        more = f"（{words('outlook.brief.needed', n=o.needed)}）" if o.reach is Reach.OPEN else ""
        return words(labels.REACH[o.reach]) + more
    if isinstance(o, ToReach) and o.needed is not None:
        return words("outlook.brief.needed", n=o.needed)
    return None


def outlook_lines(outcome: Outcome, words: Words) -> list[str]:
    """The outlook of every KPI that has one."""
    return [line for k in outcome.kpis if (line := outlook_line(k, words))]


def groups(report: Report) -> tuple[str, ...]:
    """The status groups a table shows: 中止 (ended early) only when the programme has such a theme."""
    return tuple(g for g in GROUPS if g != "terminated" or report.status_summary.terminated)


def status(report: Report, words: Words) -> Table:
    s = report.status_summary
    return [words(labels.GROUP[g]) for g in groups(report)], [[number(getattr(s, g)) for g in groups(report)]]


def item_label(item: int, words: Words) -> str:
    return words(labels.ITEM[item]) if item in labels.ITEM else str(item)


def element(report: Report, words: Words) -> Table:
    shown = groups(report)
    rows = [[item_label(r.item, words), r.element, *(number(getattr(r, g)) for g in shown)] for r in report.by_element]
    return [words("col.item"), words("col.element"), *(words(labels.GROUP[g]) for g in shown)], rows


# The budget table's columns, in order, as the report and the export show them.
BUDGET_KEYS = (
    "col.fy",
    "col.wareki",
    "col.budget",
    "col.executed",
    "col.execution_ratio",
    "col.cumulative_budget",
    "col.cumulative_executed",
    "col.cumulative_ratio",
)


def budget(report: Report, words: Words) -> Table:
    rows = []
    for y in report.budget.years:
        mark = f" {words('mark.draws')}" if y.draws_on_earlier else ""
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
    return [words(k) for k in BUDGET_KEYS], rows


def budget_total(report: Report, words: Words) -> str:
    b = report.budget
    return words(
        "budget.total",
        fy=report.as_of_fy,
        executed=number(b.total_executed),
        budget=number(b.total_budget),
        ratio=percent(b.ratio),
    )


def trend(report: Report, words: Words) -> Table:
    rows = [[str(y.fy), wareki(y.fy), number(y.achieved), number(y.completed), percent(y.ratio)] for y in report.trend]
    return [
        words("col.fy"),
        words("col.wareki"),
        words("col.achieved"),
        words("col.completed"),
        words("col.actual"),
    ], rows


def theme_list(themes: ThemeList, words: Words) -> Table:
    rows = [
        [
            r.theme_id,
            item_label(r.item, words),
            r.element,
            r.organizations,
            r.title,
            str(r.end_fy),
            words(labels.STATUS[r.status]),
        ]
        for r in themes.rows
    ]
    keys = ["col.theme_id", "col.item", "col.element", "col.organizations", "col.title", "col.end_fy", "col.status"]
    return [words(k) for k in keys], rows


OUTPUT_COLUMNS = ("papers", "presentations", "patents_domestic", "patents_foreign", "patents_pct")


def outputs(report: Report, words: Words) -> Table:
    o = report.outputs
    rows = [[str(y.fy), *(number(getattr(y, c)) for c in OUTPUT_COLUMNS)] for y in o.years]
    if rows:
        rows.append([words("row.total"), *(number(o.total[c]) for c in OUTPUT_COLUMNS)])
    return [words("col.fy"), *(words(labels.OUTPUT[c]) for c in OUTPUT_COLUMNS)], rows


def grants_line(report: Report, words: Words) -> str:
    g = report.outputs.grants
    if g is None:
        return words("grants.none")
    return words(
        "grants.line",
        date=g.as_of_date.isoformat(),
        granted_domestic=number(g.granted_domestic),
        filed_domestic=number(g.filed_domestic),
        rate_domestic=percent(g.rate_domestic),
        granted_foreign=number(g.granted_foreign),
        filed_foreign=number(g.filed_foreign),
        rate_foreign=percent(g.rate_foreign),
    )


def stage_gate(sg: StageGate, words: Words, unreviewed: bool = False) -> Table:
    """Reviewed themes with their mean and decision; with `unreviewed`, the listed themes without a review too."""
    rows = [
        [
            r.theme_id,
            item_label(r.item, words),
            r.element,
            str(r.review_fy),
            str(r.reviewers),
            mean(r.mean, 2),
            words(labels.DECISION[r.decision]),
        ]
        for r in sg.reviewed
    ]
    if unreviewed:
        rows += [
            [r.theme_id, item_label(r.item, words), r.element, "", "", "", words("stagegate.not_reviewed")]
            for r in sg.not_reviewed
        ]
    keys = ["col.theme_id", "col.item", "col.element", "col.review_fy", "col.reviewers", "col.mean", "col.decision"]
    return [words(k) for k in keys], rows


def evaluation(report: Report, words: Words) -> Table:
    ev = report.evaluation
    rows = [[c.criterion, *((c.grades.get(m) or DASH) for m in ev.members), mean(c.score, 1)] for c in ev.criteria]
    return [words("col.criterion"), *ev.members, words("col.score")], rows


def grade_points(report: Report) -> str:
    return ", ".join(f"{g}={number(p)}" for g, p in report.evaluation.grade_points.items())


RS_COLUMNS = ("budget_fy", *RS_AMOUNTS)


def rs_appropriations(report: Report, words: Words) -> Table:
    rows = []
    for a in report.rs.appropriations if report.rs else ():
        rows.append(
            [
                str(a.budget_fy),
                oku(a.initial),
                oku(a.supplementary),
                oku(a.carried_in),
                oku(a.reserve),
                oku(a.current),
                oku(a.executed) if a.execution_reported else words("rs.not_reported"),
                percent(a.execution_rate),
                oku(a.carried_out),
            ]
        )
    return [words(labels.RS_COLUMN[c]) for c in RS_COLUMNS], rows


def clip(value: str | None, width: int = 40) -> str:
    """Text cut to `width` characters with an ellipsis, line breaks shown as \\n."""
    if value is None:
        return ""
    text = str(value).replace("\n", "\\n")
    return text if len(text) <= width else text[: width - 1] + "…"


def rs_indicators(report: Report, words: Words) -> Table:
    rows = []
    for ind in report.rs.indicators if report.rs else ():
        for y in ind.years:
            flag = " ◎" if y.fy in ind.target_years else ""
            rows.append(
                [
                    number(ind.number),
                    words(labels.RS_KIND[ind.kind]) if ind.kind else "",
                    words(labels.RS_PERIOD[ind.period]) if ind.period else "",
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
    return [words(k) for k in keys], rows
