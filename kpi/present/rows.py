"""The report's tables (kpi.present.tables.Table) of display text and its sections, listed once (`sections`): the
text, markdown, CSV and HTML outputs walk them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kpi.codes import TERMINATED
from kpi.figures.kpis import LONG_TERM_MATURED, Kpi, Outcome
from kpi.figures.lists import Snapshot, year_end
from kpi.figures.outlook import Pending, Reach, ToReach
from kpi.figures.reasons import ReasonCount
from kpi.figures.report import Report
from kpi.figures.rs import RS_AMOUNTS
from kpi.figures.stagegate import Review, StageGate
from kpi.figures.status import GROUPS, LISTS, ThemeList
from kpi.figures.verdict import Verdict
from kpi.fiscal import wareki
from kpi.present import labels
from kpi.present.catalogue import Words
from kpi.present.numbers import DASH, mean, number, oku, percent
from kpi.present.recommendations import counts_table, round_label, trend_table
from kpi.present.tables import TEXT, Column, Table


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
    columns = [
        Column(words("col.indicator"), lambda k: kpi_name(k, horizon, words)),
        Column(words("col.numerator"), lambda k: number(k.numerator)),
        Column(words("col.denominator"), lambda k: number(k.denominator)),
        Column(words("col.actual"), lambda k: percent(k.ratio)),
        Column(words("col.target"), lambda k: target_text(k, words)),
        Column(words("col.verdict"), lambda k: verdict_text(k, words)),
    ]
    return Table.of("headline", columns, report.outcome.kpis)


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
    if report.responses is not None and (latest := report.responses.latest) is not None:  # (only once one was sent)
        every = report.responses.overall
        rate, all_rate = percent(latest.rate.fraction), percent(every.fraction)
        notes.append(
            words(
                "report.response_rate",
                fy=latest.survey_fy,
                answered=latest.rate.answered,
                sent=latest.rate.sent,
                rate=rate,
                all_answered=every.answered,
                all_sent=every.sent,
                all_rate=all_rate,
            )
        )
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
    """The themes by status group: one row, a column per group."""
    columns = [Column(words(labels.GROUP[g]), _shown(number, g)) for g in groups(report)]
    return Table.of("status_summary", columns, [report.status_summary])


def _shown(form: Callable[[Any], str], attribute: str) -> Callable[[Any], str]:
    """A cell: an item's attribute as `form` shows it (a count with separators, an amount in 億円)."""
    return lambda item: form(getattr(item, attribute))


def _grade(member: str) -> Callable[[Any], str]:
    """A working-group member's grade of a criterion (— when the member gave none)."""
    return lambda criterion: criterion.grades.get(member) or DASH


def item_label(item: int, words: Words) -> str:
    return words(labels.ITEM[item]) if item in labels.ITEM else str(item)


def element(report: Report, words: Words) -> Table:
    """The themes by research item and element, a column per status group."""
    columns = [
        Column(words("col.item"), lambda r: item_label(r.item, words)),
        Column(words("col.element"), lambda r: r.element),
        *(Column(words(labels.GROUP[g]), _shown(number, g)) for g in groups(report)),
    ]
    return Table.of("by_element", columns, report.by_element)


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
    """The budget by year (億円), its execution ratio marked where a year draws on earlier years' money."""
    mark = f" {words('mark.draws')}"
    cells = {
        "col.fy": lambda y: str(y.fy),
        "col.wareki": lambda y: wareki(y.fy),
        "col.budget": lambda y: number(y.budget),
        "col.executed": lambda y: number(y.executed),
        "col.execution_ratio": lambda y: percent(y.ratio) + (mark if y.draws_on_earlier else ""),
        "col.cumulative_budget": lambda y: number(y.cumulative_budget),
        "col.cumulative_executed": lambda y: number(y.cumulative_executed),
        "col.cumulative_ratio": lambda y: percent(y.cumulative_ratio),
    }
    return Table.of("budget_execution", [Column(words(k), cells[k]) for k in BUDGET_KEYS], report.budget.years)


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
    """The short-term KPI year by year."""
    columns = [
        Column(words("col.fy"), lambda y: str(y.fy)),
        Column(words("col.wareki"), lambda y: wareki(y.fy)),
        Column(words("col.achieved"), lambda y: number(y.achieved)),
        Column(words("col.completed"), lambda y: number(y.completed)),
        Column(words("col.actual"), lambda y: percent(y.ratio)),
    ]
    return Table.of("trend", columns, report.trend)


def theme_list(themes: ThemeList, words: Words) -> Table:
    """The themes of one list (as many as it shows)."""
    columns = [
        Column(words("col.theme_id"), lambda r: r.theme_id),
        Column(words("col.item"), lambda r: item_label(r.item, words)),
        Column(words("col.element"), lambda r: r.element),
        Column(words("col.organizations"), lambda r: r.organizations, TEXT),
        Column(words("col.title"), lambda r: r.title, TEXT),
        Column(words("col.end_fy"), lambda r: str(r.end_fy)),
        Column(words("col.status"), lambda r: words(labels.STATUS[r.status])),
    ]
    return Table.of("themes", columns, themes.rows)


OUTPUT_COLUMNS = ("papers", "presentations", "patents_domestic", "patents_foreign", "patents_pct")


def outputs(report: Report, words: Words) -> Table:
    """Papers, presentations and patents by year, then their total."""
    o = report.outputs
    columns = [
        Column(words("col.fy"), lambda y: str(y.fy)),
        *(Column(words(labels.OUTPUT[c]), _shown(number, c)) for c in OUTPUT_COLUMNS),
    ]
    total = [[words("row.total"), *(number(o.total[c]) for c in OUTPUT_COLUMNS)]] if o.years else []
    return Table.of("outputs", columns, o.years, footer=total)


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


def committee(review: Review, words: Words) -> str:
    """The committee's decision, flagged when it stopped a theme the list does not show as ended (中止 vs 計画通り)."""
    if review.committee is None:
        return ""
    said = words(labels.COMMITTEE[review.committee])
    if review.conflicts:
        return words("stagegate.conflict", decision=said, status=words(labels.STATUS[review.status]))
    return said


def stage_gate(sg: StageGate, words: Words, unreviewed: bool = False) -> Table:
    """Reviewed themes with their mean and decision; with `unreviewed`, the listed themes without a review too."""
    columns = [
        Column(words("col.theme_id"), lambda r: r.theme_id),
        Column(words("col.item"), lambda r: item_label(r.item, words)),
        Column(words("col.element"), lambda r: r.element),
        Column(words("col.review_fy"), lambda r: str(r.review_fy)),
        Column(words("col.reviewers"), lambda r: str(r.reviewers)),
        Column(words("col.mean"), lambda r: mean(r.mean, 2)),
        Column(words("col.decision"), lambda r: words(labels.DECISION[r.decision])),
    ]
    if sg.decided:  # the committee's decision beside the rule's, once any is recorded
        columns += [
            Column(words("col.committee"), lambda r: committee(r, words)),
            Column(words("col.decided_on"), lambda r: str(r.decided_on or "")),
        ]
    not_reviewed = words("stagegate.not_reviewed")
    footer = [
        [r.theme_id, item_label(r.item, words), r.element, "", "", "", not_reviewed, *([""] * (len(columns) - 7))]
        for r in (sg.not_reviewed if unreviewed else ())
    ]
    return Table.of("stage_gate", columns, sg.reviewed, footer=footer)


def evaluation(report: Report, words: Words) -> Table:
    """The working group's grades by criterion and member, and each criterion's score."""
    ev = report.evaluation
    columns = [
        Column(words("col.criterion"), lambda c: c.criterion, TEXT),
        *(Column(m, _grade(m)) for m in ev.members),
        Column(words("col.score"), lambda c: mean(c.score, 1)),
    ]
    return Table.of("evaluation", columns, ev.criteria)


def grade_points(report: Report) -> str:
    return ", ".join(f"{g}={number(p)}" for g, p in report.evaluation.grade_points.items())


RS_COLUMNS = ("budget_fy", *RS_AMOUNTS)


def rs_appropriations(report: Report, words: Words) -> Table:
    """The RS appropriations by budget year (億円), as published."""
    not_reported = words("rs.not_reported")
    cells = {
        "budget_fy": lambda a: str(a.budget_fy),
        "executed": lambda a: oku(a.executed) if a.execution_reported else not_reported,
        "execution_rate": lambda a: percent(a.execution_rate),
    }
    columns = [Column(words(labels.RS_COLUMN[c]), cells.get(c, _shown(oku, c))) for c in RS_COLUMNS]
    return Table.of("rs_appropriations", columns, report.rs.appropriations if report.rs else ())


def clip(value: str | None, width: int = 40) -> str:
    """Text cut to `width` characters with an ellipsis, line breaks shown as \\n."""
    if value is None:
        return ""
    text = str(value).replace("\n", "\\n")
    return text if len(text) <= width else text[: width - 1] + "…"


def rs_indicators(report: Report, words: Words) -> Table:
    """The RS indicators, a row per indicator and year (◎ marks a target year)."""
    columns = [
        Column(words("col.rs.number"), lambda iy: number(iy[0].number)),
        Column(words("col.rs.kind"), lambda iy: words(labels.RS_KIND[iy[0].kind]) if iy[0].kind else ""),
        Column(words("col.rs.period"), lambda iy: words(labels.RS_PERIOD[iy[0].period]) if iy[0].period else ""),
        Column(words("col.indicator"), lambda iy: clip(iy[0].indicator or iy[0].name, 30)),
        Column(words("col.fy"), lambda iy: f"{iy[1].fy}{' ◎' if iy[1].fy in iy[0].target_years else ''}"),
        Column(words("col.rs.target"), lambda iy: number(iy[1].target)),
        Column(words("col.actual"), lambda iy: number(iy[1].actual)),
        Column(words("col.rs.achievement_rate"), lambda iy: number(iy[1].achievement_rate)),
    ]
    pairs = [(i, y) for i in (report.rs.indicators if report.rs else ()) for y in i.years]
    return Table.of("rs_indicators", columns, pairs)


def missed_reasons(counts: tuple[ReasonCount, ...], words: Words) -> Table:
    """The theme list's 目標未達 and 中止 themes by reason code (未記入 last), then their totals."""
    from kpi.present.effects import REASON

    rows = [(words(REASON[c.code]), c.not_achieved, c.terminated) for c in counts]
    rows.append((words("row.total"), sum(c.not_achieved for c in counts), sum(c.terminated for c in counts)))
    return Table.of(
        "missed_reasons",
        [
            Column(words("effects.col.reason"), lambda r: r[0]),
            Column(words(labels.STATUS["not_achieved"]), lambda r: r[1], "count"),
            Column(words(labels.STATUS[TERMINATED]), lambda r: r[2], "count"),
        ],
        rows,
    )


# ---------------------------------------------------------------------------- the sections


@dataclass(frozen=True)
class Line:
    """A line under a section's table: its text, and its class on the HTML page ("total", "note"; None: text and
    markdown only)."""

    text: str
    page: str | None = "note"


@dataclass(frozen=True)
class Section:
    """One section of the report after its headline: its heading, its table, the lines under it, the part of the page
    it belongs to, the CSV's title row when it is not the heading, and (a theme list) its anchor on the page."""

    heading: str
    table: Table
    lines: tuple[Line, ...] = ()
    part: str = "tables"
    csv_heading: str | None = None
    anchor: str | None = None


def effect_sections(report: Report, words: Words) -> list[Section]:
    """The surveys' effects (kpi.figures.effects), each section only when it has data: sales by cohort (withheld
    figures in words), the reasons for stopping, the cohort table."""
    from kpi.present import effects as shown

    fx = report.effects
    out = []
    if fx is not None and fx.sales is not None:
        note = (Line(shown.sales_note(fx.sales, words)),)
        out.append(Section(words("section.sales"), shown.sales(fx.sales, words), note, anchor="sales"))
    if fx is not None and fx.reasons is not None:
        out.append(Section(words("section.reasons"), shown.reasons(fx.reasons, words), anchor="reasons"))
    if fx is not None and fx.cohorts is not None:
        note = (Line(words("effects.cohort_note")),)
        out.append(Section(words("section.cohorts"), shown.cohorts(fx.cohorts, words), note, anchor="cohorts"))
    return out


def sections(report: Report, words: Words) -> list[Section]:
    """The report's sections after its headline, in the one order every output (text, markdown, CSV, the HTML page)
    walks; a new section is added here."""
    draws = [Line(words("note.draws"))] if any(y.draws_on_earlier for y in report.budget.years) else []
    sg = report.stage_gate
    out = [
        Section(words("section.status_summary"), status(report, words)),
        Section(words("section.by_element"), element(report, words)),
        Section(words("section.budget"), budget(report, words), (Line(budget_total(report, words), "total"), *draws)),
        Section(words("section.trend"), trend(report, words)),
    ]
    out += effect_sections(report, words)
    if report.missed_reasons is not None:
        out.append(Section(words("section.missed_reasons"), missed_reasons(report.missed_reasons, words)))
    for name in LISTS:
        themes, label = report.themes[name], words(labels.THEME_LIST[name])
        more = [Line(words("list.more", n=themes.count - len(themes.rows)))] if themes.count > len(themes.rows) else []
        heading = words("list.heading", label=label, n=themes.count)
        out.append(Section(heading, theme_list(themes, words), tuple(more), "lists", label, f"list-{name}"))
    points = Line(words("evaluation.points", points=grade_points(report)), None)
    ev = report.evaluation
    latest = [Line(words("evaluation.latest_round", round=round_label(ev.round, words)))] if ev.rounds else []
    out += [
        Section(
            words("section.outputs"), outputs(report, words), (Line(grants_line(report, words), "total"),), "figures"
        ),
        Section(
            words("section.stage_gate"),
            stage_gate(sg, words),
            (Line(words("stagegate.not_reviewed_count", n=sg.not_reviewed_count)),),
            "figures",
        ),
        Section(words("section.evaluation"), evaluation(report, words), (points, *latest), "figures"),
    ]
    if ev.rounds:
        out.append(Section(words("section.evaluation_trend"), trend_table(ev, words), (), "figures"))
    if ev.recommendations:
        see = (Line(words("recommendations.see")),)
        out.append(Section(words("section.recommendations"), counts_table(ev, words), see, "figures"))
    if report.rs:
        rs_heading = words("section.rs", project_id=report.rs.project_id)
        out += [
            Section(rs_heading, rs_appropriations(report, words), (Line(words("rs.note")),), "figures"),
            Section(words("section.rs_indicators"), rs_indicators(report, words), (), "figures"),
        ]
    return out
