"""The surveys' effects as display tables (kpi.figures.effects): sales by cohort with withheld figures said in words,
the reasons for stopping, and the cohort table of commercialisation by years since the end."""

from __future__ import annotations

from typing import Any

from kpi.figures.effects import UNRECORDED, CohortCell, CohortRow, CohortTable, Sales
from kpi.figures.suppress import Figure
from kpi.present.catalogue import Words
from kpi.present.numbers import DASH, number, percent
from kpi.present.tables import Column, Table

REASON = {
    **{code: f"followups.reason.{code}" for code in ("technical", "market", "funding", "strategy", "other")},
    UNRECORDED: "effects.reason.unrecorded",
}


def figure(f: Figure | None, words: Words) -> str:
    """A sales figure as printed: its value, blank when no theme, the catalogue's word when withheld (never a number)."""
    if f is None or f.themes == 0:
        return ""
    if f.value is None:
        return words("effects.withheld")
    return number(f.value)


def sales(s: Sales, words: Words) -> Table:
    """Sales by end-year cohort (rows) and survey year (columns), each row's total, then the years' totals."""
    t = s.table
    rows: list[tuple[str, tuple[Figure, ...], Figure | None]] = [
        (str(cohort), t.cells[i], t.row_totals[i] if t.row_totals else None) for i, cohort in enumerate(s.cohorts)
    ]
    if t.column_totals is not None:
        rows.append((words("row.total"), t.column_totals, t.grand_total))
    columns = [
        Column(words("col.end_fy"), lambda r: r[0]),
        *(Column(words("effects.col.fy", fy=fy), _nth(j, words)) for j, fy in enumerate(s.years)),
        Column(words("row.total"), lambda r: figure(r[2], words)),
    ]
    return Table.of("sales", columns, rows)


def _nth(j: int, words: Words) -> Any:
    """The j-th year's figure of a sales row, as printed."""
    return lambda r: figure(r[1][j], words)


def sales_note(s: Sales, words: Words) -> str:
    """What a withheld figure means."""
    return words("effects.sales_note", k=s.table.k)


def reasons(counts: tuple[tuple[str, int], ...], words: Words) -> Table:
    """The current 中止・中断 answers by reason code, 未記入 last, then their total."""
    rows = [
        *((words(REASON[code]), number(n)) for code, n in counts),
        (words("row.total"), number(sum(n for _, n in counts))),
    ]
    return Table.of(
        "reasons",
        [Column(words("effects.col.reason"), lambda r: r[0]), Column(words("effects.col.answers"), lambda r: r[1])],
        rows,
    )


def cohort_cell(cell: CohortCell | None, words: Words) -> str:
    """「3/12（25.0%）回答 2/3」: commercialised of the cohort by then, and the round's answered of sent."""
    if cell is None:
        return DASH
    text = words("effects.cohort_cell", n=cell.commercialised, d=cell.themes, ratio=percent(cell.ratio))
    if cell.sent:
        text += " " + words(
            "effects.response", answered=cell.answered, sent=cell.sent, rate=percent(cell.response_rate)
        )
    return text


def cohorts(table: CohortTable, words: Words) -> Table:
    """The cohort table: a row per end year, a column per round (years since the end)."""
    columns = [
        Column(words("col.end_fy"), lambda r: str(r.end_fy)),
        Column(words("col.themes"), lambda r: number(r.themes)),
        *(Column(words("effects.col.years_after", n=y), _cohort_nth(j, words)) for j, y in enumerate(table.rounds)),
    ]
    return Table.of("cohorts", columns, table.rows)


def _cohort_nth(j: int, words: Words) -> Any:
    """The j-th round's cell of a cohort row, as printed."""

    def cell(r: CohortRow) -> str:
        return cohort_cell(r.cells[j], words)

    return cell
