"""`kpi money`: per-theme budget coverage, concentration, the budget per achieved theme and outputs per 100億円, as
a document (aligned text, markdown), CSV tables or JSON."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from kpi.exact import round_half_up
from kpi.figures.money import PER, Money, OutputsPerMoney
from kpi.present import labels
from kpi.present.catalogue import Words
from kpi.present.formats import Format, Formats
from kpi.present.numbers import DASH, as_float, number, percent
from kpi.present.rows import item_label
from kpi.present.tables import TEXT, Column, Table, block, emit, is_text

MoneyFormat = Formats(Format.table, Format.markdown, Format.csv, Format.json)
GINI_PLACES = 3


def per_100(value: Fraction | None) -> str:
    """Outputs per 100億円, always two decimals (1.20, not 1.2), so that the column reads evenly; — when none."""
    return DASH if value is None else f"{round_half_up(value, 2):,}"


def _item(item: int | None, words: Words) -> str:
    """An item as the report shows it (kpi.present.rows.item_label); the total's row when None."""
    return words("row.total") if item is None else item_label(item, words)


def coverage_table(m: Money, words: Words) -> Table:
    """Themes per 研究開発項目 and in total, those with a budget and its sum; with execution declared, those with
    both, their budget and execution, and the execution ratio."""
    columns = [
        Column(words("col.item"), lambda c: _item(c.item, words)),
        Column(words("col.themes"), lambda c: number(c.themes)),
        Column(words("col.money_budgeted"), lambda c: number(c.budgeted)),
        Column(words("col.money_budget_total"), lambda c: number(c.budget)),
    ]
    if m.executed_attribute is not None:
        columns += [
            Column(words("col.money_paired"), lambda c: number(c.paired)),
            Column(words("col.money_paired_budget"), lambda c: number(c.paired_budget)),
            Column(words("col.money_executed"), lambda c: number(c.executed)),
            Column(words("col.execution_ratio"), lambda c: percent(c.execution_ratio)),
        ]
    return Table.of("money_coverage", columns, m.coverage)


def largest_table(m: Money, words: Words) -> Table:
    """The largest themes, their budget, share and running share."""
    columns = [
        Column(words("col.money_rank"), lambda r: str(r.rank)),
        Column(words("col.theme_id"), lambda r: r.theme_id),
        Column(words("col.item"), lambda r: _item(r.item, words)),
        Column(words("col.title"), lambda r: r.title, TEXT),
        Column(words("col.money_budget"), lambda r: number(r.budget)),
        Column(words("col.money_share"), lambda r: percent(r.share)),
        Column(words("col.money_cumulative"), lambda r: percent(r.cumulative)),
    ]
    return Table.of("money_largest", columns, m.concentration.largest)


def shares_table(m: Money, words: Words) -> Table:
    """The largest 1, 5 and 10 themes' share of the budget."""
    columns = [
        Column(words("col.money_top"), lambda s: words("money.top", n=s.top)),
        Column(words("col.themes"), lambda s: number(s.themes)),
        Column(words("col.money_budget"), lambda s: number(s.budget)),
        Column(words("col.money_share"), lambda s: percent(s.share)),
    ]
    return Table.of("money_top_shares", columns, m.concentration.shares)


def lorenz_table(m: Money, words: Words) -> Table:
    """The Lorenz table: by decile, the smallest themes' share of the themes and of the budget."""
    columns = [
        Column(words("col.money_decile"), lambda r: f"{r.decile}/10"),
        Column(words("col.themes"), lambda r: number(r.themes)),
        Column(words("col.money_theme_share"), lambda r: percent(r.theme_share)),
        Column(words("col.money_budget_share"), lambda r: percent(r.budget_share)),
    ]
    return Table.of("money_lorenz", columns, m.concentration.lorenz)


def cost_table(m: Money, words: Words) -> Table:
    """The short-term KPI's finished and achieved themes, those with a budget, and the budget per achieved theme."""
    columns = [
        Column(words("col.money_finished"), lambda c: number(c.finished)),
        Column(words("col.money_finished_budgeted"), lambda c: number(c.finished_budgeted)),
        Column(words("col.money_achieved"), lambda c: number(c.achieved)),
        Column(words("col.money_achieved_budgeted"), lambda c: number(c.achieved_budgeted)),
        Column(words("col.money_finished_budget"), lambda c: number(c.budget)),
        Column(words("col.money_per_achieved"), lambda c: number(c.per_achieved)),
    ]
    return Table.of("money_cost_per_achieved", columns, [m.cost])


def outputs_table(m: Money, words: Words) -> Table:
    """Each year's execution, papers and patent applications, and both per 100億円; then their total."""
    columns = [
        Column(words("col.fy"), lambda y: str(y.fy) if y.fy else words("row.total")),
        Column(words("col.money_executed_fy"), lambda y: number(y.executed)),
        Column(words(labels.OUTPUT["papers"]), lambda y: number(y.papers)),
        Column(words("col.money_patents"), lambda y: number(y.patents)),
        Column(words("col.money_papers_per"), lambda y: per_100(y.papers_per)),
        Column(words("col.money_patents_per"), lambda y: per_100(y.patents_per)),
    ]
    items = [*m.outputs, m.outputs_total] if m.outputs else []
    return Table.of("money_outputs", columns, items)


def gini_text(value: Fraction | None) -> str:
    return DASH if value is None else str(round_half_up(value, GINI_PLACES))


def theme_tables(m: Money, words: Words) -> list[Table]:
    """The tables of the per-theme figures (none without a per-theme budget)."""
    if not m.has_theme_budget:
        return []
    tables = [coverage_table(m, words), shares_table(m, words), largest_table(m, words), lorenz_table(m, words)]
    return [*tables, cost_table(m, words)]


def document(m: Money, fmt: Format, words: Words) -> str:
    """The figures as a person reads them: what they are as of (a --known-at read, an earlier list standing in for
    the year), then a heading, a table and the rule of each."""
    lines = said_first(m, words)
    if m.has_theme_budget:
        c, cost = m.concentration, m.cost
        listed = m.snapshot.date.isoformat() if m.snapshot else DASH
        heading = words("money.heading_coverage", fy=m.as_of, date=listed, attribute=m.budget_attribute)
        executed = (
            [words("money.executed_attribute", attribute=m.executed_attribute), words("money.execution_rule")]
            if m.executed_attribute
            else []
        )
        lines += block(heading, coverage_table(m, words), fmt, "", *executed, words("money.coverage_rule"))
        if c.themes:
            concentration = words("money.heading_concentration", n=c.themes, total=number(c.total))
            lines += block(concentration, shares_table(m, words), fmt, "", words("money.gini", gini=gini_text(c.gini)))
            lines += block(words("money.heading_largest", n=len(c.largest)), largest_table(m, words), fmt, "")
            lines += block(words("money.heading_lorenz"), lorenz_table(m, words), fmt, "", words("money.lorenz_rule"))
        else:
            lines += [words("money.none_budgeted"), ""]
        rule = words("money.cost_rule", finished=cost.finished, without=cost.finished_without_budget)
        lines += block(words("money.heading_cost"), cost_table(m, words), fmt, "", rule)
    else:
        lines += [words("money.no_theme_budget"), ""]
    outputs = outputs_table(m, words)
    notes = [words("money.outputs_rule")] if outputs.rows else []
    lines += block(words("money.heading_outputs", per=PER), outputs, fmt, words("money.outputs_none"), *notes)
    return "\n".join(lines)


def _outputs_json(y: OutputsPerMoney) -> dict[str, Any]:
    return {
        "executed": as_float(y.executed),
        "papers": y.papers,
        "patents": y.patents,
        "papers_per_100oku": as_float(y.papers_per),
        "patents_per_100oku": as_float(y.patents_per),
    }


def money_json(m: Money) -> dict[str, Any]:
    """`kpi money --format json`: money in 億円, shares and ratios in 0–1, null where not computable; the per-theme
    figures null without a per-theme budget."""
    c, cost = m.concentration, m.cost
    theme: dict[str, Any] | None = None
    if m.has_theme_budget:
        theme = {
            "coverage": [
                {
                    "item": v.item,
                    "themes": v.themes,
                    "budgeted": v.budgeted,
                    "budget": as_float(v.budget),
                    **(
                        {
                            "with_execution": v.paired,
                            "budget_with_execution": as_float(v.paired_budget),
                            "executed": as_float(v.executed),
                            "execution_ratio": as_float(v.execution_ratio),
                        }
                        if m.executed_attribute
                        else {}
                    ),
                }
                for v in m.coverage
            ],
            "concentration": {
                "themes": c.themes,
                "total": as_float(c.total),
                "largest": [
                    {
                        "rank": r.rank,
                        "theme_id": r.theme_id,
                        "item": r.item,
                        "title": r.title,
                        "budget": as_float(r.budget),
                        "share": as_float(r.share),
                        "cumulative": as_float(r.cumulative),
                    }
                    for r in c.largest
                ],
                "top_shares": [
                    {"top": s.top, "themes": s.themes, "budget": as_float(s.budget), "share": as_float(s.share)}
                    for s in c.shares
                ],
                "lorenz": [
                    {
                        "decile": r.decile,
                        "themes": r.themes,
                        "theme_share": as_float(r.theme_share),
                        "budget_share": as_float(r.budget_share),
                    }
                    for r in c.lorenz
                ],
                "gini": as_float(c.gini),
            },
            "cost_per_achieved": {
                "finished": cost.finished,
                "achieved": cost.achieved,
                "finished_with_budget": cost.finished_budgeted,
                "achieved_with_budget": cost.achieved_budgeted,
                "finished_without_budget": cost.finished_without_budget,
                "budget": as_float(cost.budget),
                "per_achieved": as_float(cost.per_achieved),
            },
        }
    return {
        "as_of": m.as_of,
        "list_date": m.snapshot.date.isoformat() if m.snapshot else None,
        "theme_budget": m.budget_attribute,
        "theme_executed": m.executed_attribute,
        "per_theme": theme,
        "outputs_per_100oku": [{"fy": y.fy, **_outputs_json(y)} for y in m.outputs],
        "outputs_per_100oku_total": _outputs_json(m.outputs_total) if m.outputs else None,
    }


def said_first(m: Money, words: Words) -> list[str]:
    """The lines every output of figures starts with when they apply: the load a --known-at read is as of, and the
    earliest list standing in for a year that has none of its own (as the report says them)."""
    from kpi.fiscal import calendar_of
    from kpi.present.rows import fallback_note
    from kpi.present.submissions import known_at_line

    known = known_at_line(m.known_at, words, calendar_of(None))
    lines = [*([known] if known else []), *fallback_note(m.as_of, m.snapshot, words)]
    return [*lines, ""] if lines else []


def render(m: Money, fmt: Format, words: Words) -> str | bytes:
    """`kpi money` in a format: a document (aligned text, markdown), its tables as CSV, or JSON."""
    if is_text(fmt):
        return document(m, fmt, words)
    if not m.has_theme_budget:  # (the document says it in its place)
        from kpi.db.notices import notice

        notice("money.no_theme_budget")
    if fmt is Format.json:
        return emit([], fmt, json=money_json(m))
    return emit([*theme_tables(m, words), outputs_table(m, words)], fmt)
