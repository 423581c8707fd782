"""`kpi portfolio`: one line per programme and the portfolio line, the cohorts, the faults; as a table, markdown,
CSV for Excel, JSON, a workbook, or an HTML page with one chart per KPI. `kpi explain`: the themes behind a figure.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from kpi.errors import ExitCode
from kpi.figures.cohorts import Cohort
from kpi.figures.explain import Explained, rules_of, spec_of
from kpi.figures.kpis import KPIS, Kpi
from kpi.figures.placement import ROLES
from kpi.figures.portfolio import Fault, GroupTotal, Portfolio, Programme, Total
from kpi.fiscal import wareki
from kpi.present import json_out, labels
from kpi.present.catalogue import Words
from kpi.present.formats import Format
from kpi.present.messages import message
from kpi.present.numbers import as_float, number, percent
from kpi.present.rows import outlook_line, placement_notes, verdict_text
from kpi.present.tables import TEXT, Column, Table, emit, heading, is_file, is_text, markdown_text, text

ROLE = {
    "numerator": "explain.role.numerator",
    "denominator": "explain.role.denominator",
    "pending": "explain.role.pending",
    "not_countable": "explain.role.not_countable",
    "excluded": "explain.role.excluded",
}
# The words of each rule that places a theme (kpi.figures.placement): the exclusions every KPI shares, by reason,
# then each KPI's own rules, by KPI and reason.
EXCLUSION_RULE = {
    "leading_research": "explain.rule.leading_research",
    "not_adopted": "explain.rule.not_adopted",
    "cancelled": "explain.rule.cancelled",
    "terminated": "explain.rule.terminated_excluded",
}
RULE = {
    ("short_term", "in_progress"): "explain.rule.short_term.in_progress",
    ("short_term", "achieved"): "explain.rule.short_term.achieved",
    ("short_term", "not_achieved"): "explain.rule.short_term.not_achieved",
    ("short_term", "terminated"): "explain.rule.short_term.terminated",
    ("short_term", "awaiting_final"): "explain.rule.short_term.awaiting_final",
    ("short_term", "delayed"): "explain.rule.short_term.delayed",
    ("long_term", "terminated"): "explain.rule.long_term.terminated",
    ("long_term", "commercialised"): "explain.rule.long_term.commercialised",
    ("long_term", "not_commercialised"): "explain.rule.long_term.not_commercialised",
    ("long_term", "awaiting_survey"): "explain.rule.long_term.awaiting_survey",
    ("long_term_matured", "not_matured"): "explain.rule.long_term_matured.not_matured",
    ("long_term_matured", "terminated"): "explain.rule.long_term_matured.terminated",
    ("long_term_matured", "commercialised"): "explain.rule.long_term_matured.commercialised",
    ("long_term_matured", "not_commercialised"): "explain.rule.long_term_matured.not_commercialised",
    ("long_term_matured", "awaiting_survey"): "explain.rule.long_term_matured.awaiting_survey",
}


def _fraction(numerator: int | None, denominator: int) -> str:
    return f"{number(numerator)}/{number(denominator)}"


def _kpi_cell(k: Kpi, words: Words) -> str:
    return f"{_fraction(k.numerator, k.denominator)} {percent(k.ratio)} {verdict_text(k, words)}"


def _total_cell(t: Total, words: Words) -> str:
    verdict = words(labels.VERDICT_WORD[str(t.verdict)]) if t.verdict else words("portfolio.targets_differ")
    return f"{_fraction(t.numerator, t.denominator)} {percent(t.ratio)} {verdict}"


def _name(p: Programme, words: Words) -> str:
    prog = p.report.programme
    return prog.name if prog else words("portfolio.no_settings", file=p.path.name)


def _budget_ratio(p: Programme) -> str:
    return percent(p.report.budget.ratio)


def programme_table(result: Portfolio, words: Words, inert: bool = False) -> Table:
    """A row per programme (its name, 予算事業ID, list, each KPI, budget execution), then the portfolio line; with
    `inert`, the programmes' names made inert as markdown (they are data)."""
    name = (lambda p: markdown_text(_name(p, words))) if inert else (lambda p: _name(p, words))
    columns = [
        Column(words("col.programme"), name, TEXT),
        Column(words("html.project_id"), lambda p: p.report.programme.project_id if p.report.programme else ""),
        Column(words("col.snapshot"), lambda p: p.report.snapshot.date.isoformat() if p.report.snapshot else ""),
        *(Column(words(labels.KPI[s.key].name, horizon=3), _kpi_of(i, words)) for i, s in enumerate(KPIS)),
        Column(words("col.budget_ratio"), _budget_ratio),
    ]
    total = [
        words("portfolio.line", n=len(result.programmes)),
        "",
        "",
        *(_total_cell(t, words) for t in result.totals),
        "",
    ]
    return Table.of("portfolio", columns, result.programmes, footer=[total], title=words("sheet.portfolio"))


def group_table(result: Portfolio, words: Words) -> Table | None:
    """With --by: each group's portfolio line (every KPI summed over the programmes that have the group); None
    without."""
    from kpi.present.breakdown import by_header, group_label

    grouping = next((p.breakdown.grouping for p in result.programmes if p.breakdown), None)
    if grouping is None:
        return None
    columns = [
        Column(by_header(grouping, words), lambda g: group_label(grouping, g.key, words)),
        *(Column(words(labels.KPI[s.key].name, horizon=3), _group_total(i, words)) for i, s in enumerate(KPIS)),
        Column(words("col.programmes"), lambda g: g.programmes),
    ]
    return Table.of("portfolio_groups", columns, result.groups, title=words("sheet.portfolio_groups"))


def _group_total(index: int, words: Words) -> Callable[[GroupTotal], str]:
    """A group's portfolio line of its `index`th KPI."""
    return lambda g: _total_cell(g.totals[index], words)


def _kpi_of(index: int, words: Words) -> Callable[[Programme], str]:
    """A programme's KPI cell: the fraction, the ratio and the verdict of its `index`th KPI."""
    return lambda p: _kpi_cell(p.report.outcome.kpis[index], words)


def cohort_table(result: Portfolio, words: Words) -> Table:
    """Each programme's themes by the year they ended, then the portfolio's."""
    columns = [
        Column(words("col.programme"), lambda lc: lc[0], TEXT),
        Column(words("col.end_fy"), lambda lc: lc[1].end_fy),
        Column(words("col.themes"), lambda lc: lc[1].themes),
        Column(
            words("col.achieved_completed"),
            lambda lc: f"{lc[1].achieved}/{lc[1].completed} {percent(_ratio(lc[1].achieved, lc[1].completed))}",
        ),
        Column(words("col.commercialised_matured"), lambda lc: _commercialised(lc[1])),
    ]
    line = words("portfolio.line", n=len(result.programmes))
    cohorts = [
        *((_name(p, words), c) for p in result.programmes for c in p.cohorts),
        *((line, c) for c in result.cohorts),
    ]
    return Table.of("cohorts", columns, cohorts, title=words("sheet.cohorts"))


def _commercialised(c: Cohort) -> str:
    if c.commercialised is None:
        return "—"
    return f"{c.commercialised}/{c.matured} {percent(_ratio(c.commercialised, c.matured))}"


def _ratio(a: int, b: int) -> Any:
    from kpi.exact import ratio

    return ratio(a, b)


def fault_line(fault: Fault, words: Words) -> str:
    """A file that could not be read, or read but not grouped as asked (--by): its name and the reason, in one
    line."""
    key = "portfolio.fault_usage" if fault.error.exit_code is ExitCode.USAGE else "portfolio.fault"
    return words(key, file=str(fault.path), reason=message(fault.error.key, fault.error.params, words))


def fault_lines(result: Portfolio, words: Words) -> str:
    """Every fault, a line each (stderr), with the exit code they give."""
    if not result.faults:
        return ""
    return "\n".join(
        [*(fault_line(f, words) for f in result.faults), words("portfolio.exit", code=int(result.exit_code))]
    )


def _notes(result: Portfolio, words: Words) -> list[str]:
    return [
        words("portfolio.sums"),
        words("portfolio.lacking", settings=result.lacking_settings, followups=result.lacking_followups),
        *(f"{_name(p, words)}: {note}" for p in result.programmes for note in placement_notes(p.report.outcome, words)),
    ]


def _as_of(result: Portfolio, words: Words) -> str:
    years = sorted({p.report.as_of_fy for p in result.programmes})
    return ", ".join(words("report.as_of", fy=fy, wareki=wareki(fy)) for fy in years)


def portfolio_text(result: Portfolio, words: Words, fmt: Format = Format.table) -> str:
    """The programmes and the portfolio line, then the cohorts, as aligned text or markdown."""
    programmes = programme_table(result, words, inert=fmt is Format.markdown)
    out = [words("portfolio.title", n=len(result.programmes)), _as_of(result, words), ""]
    out += [heading(words("portfolio.section.programmes"), fmt), text(programmes, fmt)]
    out += [f"{words('notes')}:", *(f"  - {n}" for n in _notes(result, words)), ""]
    outlooks = [
        f"{_name(p, words)}: {line}"
        for p in result.programmes
        for k in p.report.outcome.kpis
        if (line := outlook_line(k, words))
    ]
    if outlooks:
        out += [heading(words("section.outlook"), fmt), *outlooks, ""]
    if (grouped := group_table(result, words)) is not None:
        out += [heading(grouped.title, fmt), text(grouped, fmt), ""]
    out += [heading(words("portfolio.section.cohorts"), fmt), text(cohort_table(result, words), fmt), ""]
    explained = [p for p in result.programmes if p.explained is not None]
    if explained:
        first = explained[0].explained
        assert first is not None
        name = words(labels.KPI[first.kpi].name, horizon=first.horizon_years)
        columns = [
            Column(words("col.programme"), lambda p: _name(p, words), TEXT),
            *(Column(words(ROLE[r]), _role_count(r)) for r in ROLES),
            Column(words("group.total"), lambda p: len(p.explained.themes)),
        ]
        roles = Table.of("roles", columns, explained)
        out += [heading(words("portfolio.section.explain", kpi=name), fmt), text(roles, fmt), ""]
    return "\n".join(out).rstrip() + "\n"


def _role_count(role: str) -> Callable[[Programme], int]:
    """How many themes of a programme's list the explained KPI puts in a role."""
    return lambda p: p.explained.counts[role] if p.explained else 0


def _programme_json(p: Programme, words: Words | None = None) -> dict[str, Any]:
    from kpi.present.breakdown import json_of

    return {
        "file": str(p.path),
        "name": p.report.programme.name if p.report.programme else None,
        "project_id": p.report.programme.project_id if p.report.programme else None,
        "report": json_out.report_json(p.report),
        "cohorts": [c._asdict() for c in p.cohorts],
        **({"explain": explain_json(p.explained)} if p.explained else {}),
        **({"breakdown": json_of(p.breakdown, words)} if p.breakdown and words else {}),
    }


def portfolio_json(result: Portfolio, words: Words) -> dict[str, Any]:
    """The JSON contract: each programme's whole report (as `kpi report --format json`), the portfolio line, the
    cohorts and the faults."""
    return {
        "programmes": [_programme_json(p, words) for p in result.programmes],
        "portfolio": {
            "programmes": len(result.programmes),
            "lacking_settings": result.lacking_settings,
            "lacking_followups": result.lacking_followups,
            "kpis": [
                {
                    "name": t.key,
                    "numerator": t.numerator,
                    "denominator": t.denominator,
                    "ratio": as_float(t.ratio),
                    "programmes": t.programmes,
                    "target": as_float(t.target),
                    "verdict": str(t.verdict) if t.verdict else None,
                }
                for t in result.totals
            ],
            "cohorts": [c._asdict() for c in result.cohorts],
            **({"groups": [_group_json(g) for g in result.groups]} if result.groups else {}),
        },
        "faults": [
            {
                "file": str(f.path),
                "exit_code": int(f.error.exit_code),
                "message": message(f.error.key, f.error.params, words),
            }
            for f in result.faults
        ],
        "exit_code": int(result.exit_code),
    }


def _group_json(g: GroupTotal) -> dict[str, Any]:
    """A group's portfolio line in the JSON contract."""
    return {
        "group": list(g.key),
        "programmes": g.programmes,
        "kpis": [
            {"name": t.key, "numerator": t.numerator, "denominator": t.denominator, "ratio": as_float(t.ratio)}
            for t in g.totals
        ],
    }


def render(result: Portfolio, fmt: Format, words: Words) -> str | bytes:
    """`kpi portfolio` in a format (a workbook and the page are files: --out)."""
    if fmt is Format.html:
        return portfolio_html(result, words)
    if is_text(fmt):
        return portfolio_text(result, words, fmt)
    grouped = group_table(result, words)
    tables = [programme_table(result, words), cohort_table(result, words), *([grouped] if grouped else [])]
    return emit(tables, fmt, json=portfolio_json(result, words))


# ---------------------------------------------------------------------------- the page


def portfolio_html(result: Portfolio, words: Words) -> str:
    """One page: the programmes' table and one chart per KPI (programmes side by side, the target line, each
    programme's best–worst range where its outlook has one)."""
    from kpi.present.charts import portfolio_svgs
    from kpi.present.html import CSP, CSS

    head = (
        f'<!DOCTYPE html><html lang="{words.lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{escape(words('portfolio.title', n=len(result.programmes)))}</title><style>{CSS}</style></head><body>"
    )
    programmes = programme_table(result, words)
    headers = "".join(f"<th>{escape(h)}</th>" for h in programmes.headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in programmes.rows)
    charts = "".join(f'<figure class="chart">{svg}</figure>' for svg in portfolio_svgs(result, words).values())
    notes = "".join(f"<li>{escape(n)}</li>" for n in _notes(result, words))
    return (
        f"{head}<h1>{escape(words('portfolio.title', n=len(result.programmes)))}</h1>"
        f'<p class="asof">{escape(_as_of(result, words))}</p>'
        f"<table><thead><tr>{headers}</tr></thead><tbody>{body}</tbody></table>"
        f'<ul class="notes">{notes}</ul><div class="charts">{charts}</div></body></html>\n'
    )


# ---------------------------------------------------------------------------- kpi explain


def explain_json(e: Explained, words: Words | None = None) -> dict[str, Any]:
    """`kpi explain` in its JSON contract; with --by, each theme's group and the counts per group too."""
    found = {
        "kpi": e.kpi,
        "as_of_fy": e.as_of_fy,
        "snapshot": e.snapshot.date.isoformat() if e.snapshot else None,
        "project_id": e.project_id,
        "counts": e.counts,
        "reasons": e.reasons,
        "carried": sum(1 for t in e.themes if t.carried_from is not None),
        "measured": e.measured,
        "themes": [
            {
                "theme_id": t.theme_id,
                "role": t.role,
                "reason": t.reason,
                "status": t.status,
                "start_fy": t.start_fy,
                "end_fy": t.end_fy,
                "carried_from": t.carried_from.isoformat() if t.carried_from else None,
                "organisations": t.organisations,
                "answered": t.answered,
                **({"group": list(t.group)} if e.grouping else {}),
            }
            for t in e.themes
        ],
    }
    if e.grouping is None or words is None:
        return found
    from kpi.present.breakdown import group_label

    found["by"] = e.grouping.by
    counts = group_counts(e)
    found["groups"] = [
        {"group": list(g), "label": group_label(e.grouping, g, words), "counts": counts[g]} for g in e.groups
    ]
    return found


def group_counts(e: Explained) -> dict[tuple[object, ...], dict[str, int]]:
    """Each group's themes per role (every role, 0 where none), counted in one pass over the themes."""
    found = {g: dict.fromkeys(ROLES, 0) for g in e.groups}
    for t in e.themes:
        found[t.group][t.role] += 1
    return found


def _in_role(counts: dict[tuple[object, ...], dict[str, int]], role: str) -> Callable[[tuple[object, ...]], int]:
    """A group's themes in one role."""
    return lambda g: counts[g][role]


def explain_group_table(e: Explained, words: Words) -> Table:
    """The themes per group and role (--by): the numerator and denominator columns are the breakdown's."""
    from kpi.present.breakdown import by_header, group_label

    assert e.grouping is not None
    counts = group_counts(e)
    columns = [
        Column(by_header(e.grouping, words), lambda g: group_label(e.grouping, g, words) if e.grouping else ""),
        *(Column(words(ROLE[role]), _in_role(counts, role)) for role in ROLES),
        Column(words("group.total"), lambda g: sum(counts[g].values())),
    ]
    total = [words("group.total"), *e.counts.values(), len(e.themes)]
    return Table.of("explain_groups", columns, e.groups, footer=[total])


def rule_text(e: Explained, role: str, reason: str, words: Words) -> str:
    """The rule that puts a theme in a role of the KPI, in words, with the year and horizon filled in."""
    key = EXCLUSION_RULE[reason] if role == "excluded" else RULE[(e.kpi, reason)]
    return words(key, fy=e.as_of_fy, horizon=e.horizon_years)


def explain_table(e: Explained, words: Words) -> Table:
    """Every theme of the list with its role in the KPI and the rule that puts it there; for a KPI the follow-up
    surveys measure, how many of its organisations answered."""
    from kpi.present.breakdown import by_header, group_label

    surveyed = spec_of(e.kpi).needs_followups
    columns = [
        Column(words("col.theme_id"), lambda t: t.theme_id),
        *(
            [
                Column(
                    by_header(e.grouping, words),
                    lambda t: group_label(e.grouping, t.group, words) if e.grouping else "",
                )
            ]
            if e.grouping
            else []
        ),
        Column(words("col.role"), lambda t: words(ROLE[t.role])),
        Column(words("col.rule"), lambda t: rule_text(e, t.role, t.reason, words), TEXT),
        Column(words("col.status"), lambda t: words(labels.STATUS[t.status])),
        Column(words("col.end_fy"), lambda t: t.end_fy),
        Column(words("col.carried_from"), lambda t: t.carried_from.isoformat() if t.carried_from else ""),
        *([Column(words("explain.col.answered"), lambda t: f"{t.answered}/{t.organisations}")] if surveyed else []),
        Column(words("col.organizations"), lambda t: t.organizations, TEXT),
        Column(words("col.title"), lambda t: t.title, TEXT),
    ]
    return Table.of("explain", columns, e.themes, title=words("sheet.explain"))


def render_explain(e: Explained, fmt: Format, words: Words) -> str | bytes:
    """`kpi explain`: the counts by rule (which add up to the list), then every theme with its role and rule."""
    themes = explain_table(e, words)
    if not is_text(fmt):
        return emit(themes, fmt, json=explain_json(e, words))
    counted = [rule for rule in rules_of(e.kpi) if e.reasons[rule.role].get(rule.reason, 0)]
    columns = [
        Column(words("col.role"), lambda rule: words(ROLE[rule.role])),
        Column(words("col.count"), lambda rule: e.reasons[rule.role][rule.reason]),
        Column(words("col.rule"), lambda rule: rule_text(e, rule.role, rule.reason, words)),
    ]
    counts = Table.of("rules", columns, counted, footer=[[words("group.total"), len(e.themes), ""]])
    head = words(
        "explain.heading",
        kpi=words(labels.KPI[e.kpi].name, horizon=e.horizon_years),
        as_of=words("report.as_of", fy=e.as_of_fy, wareki=wareki(e.as_of_fy)),
        snapshot=e.snapshot.date.isoformat() if e.snapshot else "—",
    )
    carried = sum(1 for t in e.themes if t.carried_from is not None)
    note = [words("explain.carried", n=carried), ""] if carried else []
    if not e.measured:
        note = [words("explain.not_measured"), "", *note]
    grouped = [text(explain_group_table(e, words)), ""] if e.grouping else []
    return "\n".join([head, "", text(counts), "", *grouped, *note, text(themes)]) + "\n"


def check_options(fmt: Format, out: Path | None, force: bool, kpi: str | None) -> None:
    """Usage errors before any file is read: a workbook and a page are files (--out); the KPI to explain exists."""
    from kpi.db.gate import refuse
    from kpi.errors import UsageProblem
    from kpi.figures.explain import spec_of

    if is_file(fmt) and out is None:
        raise UsageProblem("portfolio.needs_out", format=str(fmt))
    if fmt is Format.html:
        from kpi.present import charts

        charts.require()
    if kpi is not None:
        spec_of(kpi)
    refuse(out, force)


def check_explain_options(fmt: Format, out: Path | None, force: bool) -> None:
    """A workbook is a file (--out); an output never replaces what kpi.db.gate protects."""
    from kpi.db.gate import refuse
    from kpi.errors import UsageProblem

    if is_file(fmt) and out is None:
        raise UsageProblem("cli.xlsx_needs_out")
    refuse(out, force)
