"""`kpi reconcile`: published against computed, as a table with the explanations, CSV or JSON."""

from __future__ import annotations

from typing import Any

from kpi.figures.reconcile import Comparison, Note, Reading
from kpi.present import labels
from kpi.present.catalogue import Words
from kpi.present.formats import Format
from kpi.present.numbers import DASH, as_float
from kpi.present.tables import Column, Table, emit, is_text, text

# A published figure's part after its section, as the report's words (kpi reconcile's 指標 column).
BUDGET_FIGURE = {
    "total.budget": "reconcile.figure.budget_total",
    "total.executed": "reconcile.figure.executed_total",
    "year.budget": "reconcile.figure.budget_year",
    "year.executed": "reconcile.figure.executed_year",
}
GRANTS_FIGURE = {
    "granted_domestic": "reconcile.figure.granted_domestic",
    "granted_foreign": "reconcile.figure.granted_foreign",
}
RS_FIGURE = {
    "short_term.actual": "reconcile.figure.rs_short_actual",
    "short_term.target": "reconcile.figure.rs_short_target",
    "long_term.target": "reconcile.figure.rs_long_target",
    "long_term.target_year": "reconcile.figure.rs_long_target_year",
    "appropriation": "reconcile.figure.rs_appropriation",
}


def figure_label(figure: str, words: Words) -> str:
    """A published figure's code (status_summary.achieved, by_element.1.g.achieved, …) as the report words it."""
    section, _, rest = figure.partition(".")
    if section == "status_summary":
        return words("reconcile.figure.status", group=words(labels.GROUP[rest]))
    if section == "by_element":
        item, letter, group = rest.split(".")
        element = words(labels.ITEM[int(item)]) + letter
        return words("reconcile.figure.element", element=element, group=words(labels.GROUP[group]))
    if figure == "short_term.ratio":
        return words("reconcile.figure.short_term")
    if section == "budget" and rest in BUDGET_FIGURE:
        return words(BUDGET_FIGURE[rest])
    if figure == "national_expenditure":
        return words("reconcile.figure.national_expenditure")
    if section == "outputs" and rest.startswith("total."):
        return words("reconcile.figure.outputs", column=words(labels.OUTPUT[rest.removeprefix("total.")]))
    if section == "grants" and rest in GRANTS_FIGURE:
        return words(GRANTS_FIGURE[rest])
    if section.startswith("evaluation") and ":" in figure:
        return words("reconcile.figure.evaluation", criterion=figure.split(":", 1)[1])
    if section == "rs" and rest in RS_FIGURE:
        return words(RS_FIGURE[rest])
    return figure


def computed_text(c: Comparison | Reading, percent: bool = False, grouped: bool = False) -> str:
    """The computed value written the way the report wrote its own (precision, separators, %); a reading as its
    comparison's (`percent`, `grouped`)."""
    if isinstance(c, Comparison):
        percent, grouped = c.percent, c.grouped
    if c.computed is None:
        return DASH
    text = f"{c.computed:,}" if grouped else str(c.computed)
    return text + ("%" if percent else "")


# How a figure read two ways is read, by reading (kpi.figures.reconcile.READINGS).
READING = {"cumulative": "reading.cumulative", "cohort": "reading.cohort"}


def computed_cell(c: Comparison, words: Words) -> str:
    """The computed value; a figure read two ways shows both: 「累計 85% / 年度終了分 83%」."""
    if not c.readings:
        return computed_text(c)
    values = {r.reading: computed_text(r, c.percent, c.grouped) for r in c.readings}
    return words("reconcile.readings_cell", cumulative=values["cumulative"], cohort=values["cohort"])


def agree_text(c: Comparison, words: Words) -> str:
    """一致 or 不一致; for a figure read two ways, which reading agrees (or that neither does)."""
    if not c.readings:
        return words("agree.yes" if c.agree else "agree.no")
    if not c.matched:
        return words("agree.neither")
    if len(c.matched) == len(c.readings):
        return words("agree.every_reading")
    return words("agree.reading", reading=words(READING[c.matched[0]]))


def note_text(notes: tuple[Note, ...], words: Words) -> str:
    def one(n: Note) -> str:
        params = dict(n.params)
        if "scope" in params:
            params["scope"] = words(labels.SCOPE[params["scope"]])
        elif "element" in params and n.key == "reconcile.group":
            params["scope"] = words("reconcile.scope.element", item=params["item"], element=params["element"])
        return words(n.key, **params)

    return " ".join(one(n) for n in notes)


def reconcile_table(results: list[Comparison], words: Words, notes: bool = True) -> Table:
    """Published against computed, a row per figure; with `notes`, why each differs (the text says it below)."""
    columns = [
        Column(words("col.figure"), lambda c: figure_label(c.figure, words)),
        Column(words("col.fy"), lambda c: c.as_of_fy, "year", text=lambda c: str(c.as_of_fy)),
        Column(words("col.published"), lambda c: c.published),
        Column(words("col.computed"), lambda c: computed_cell(c, words)),
        Column(words("col.agree"), lambda c: agree_text(c, words)),
        Column(words("col.source"), lambda c: c.source),
        *([Column(words("col.note"), lambda c: note_text(c.notes, words))] if notes else []),
    ]
    return Table.of("reconcile", columns, results)


def reconcile_text(results: list[Comparison], words: Words, fmt: Format = Format.table) -> str:
    """The table, how many figures agree, then a line per figure that differs with why."""
    differing = [c for c in results if not c.agree]
    lines = [
        text(reconcile_table(results, words, notes=False), fmt),
        "",
        words("reconcile.summary", n=len(results) - len(differing), total=len(results)),
    ]
    for c in differing:
        lines.append(
            words(
                "reconcile.difference",
                figure=figure_label(c.figure, words),
                fy=c.as_of_fy,
                published=c.published,
                computed=computed_cell(c, words),
                note=note_text(c.notes, words),
            )
        )
    return "\n".join(lines) + "\n"


def reconcile_json(results: list[Comparison], words: Words) -> dict[str, Any]:
    """The JSON contract: whether every figure agrees, and each figure published, computed (as printed and
    exact), whether it agrees, its source and note."""
    return {
        "agree": all(c.agree for c in results),
        "figures": [
            {
                "figure": c.figure,
                "label": figure_label(c.figure, words),
                "as_of_fy": c.as_of_fy,
                "published": c.published,
                "computed": None if c.computed is None else computed_text(c),
                "computed_exact": as_float(c.exact),
                "agree": c.agree,
                **_readings_json(c, words),
                "source": c.source,
                "note": note_text(c.notes, words),
            }
            for c in results
        ],
    }


def _readings_json(c: Comparison, words: Words) -> dict[str, object]:
    """For a figure read two ways: each reading (its counts, its value as printed and exact, whether it agrees)
    and the readings that agree."""
    if not c.readings:
        return {}
    return {
        "readings": [
            {
                "reading": r.reading,
                "label": words(READING[r.reading]),
                "numerator": r.achieved,
                "denominator": r.completed,
                "computed": None if r.computed is None else computed_text(r, c.percent, c.grouped),
                "computed_exact": as_float(r.exact),
                "agree": r.reading in c.matched,
            }
            for r in c.readings
        ],
        "matched": list(c.matched),
    }


def render(results: list[Comparison], fmt: Format, words: Words) -> str | bytes:
    """`kpi reconcile` in a format."""
    if is_text(fmt):
        return reconcile_text(results, words, fmt)
    return emit(reconcile_table(results, words), fmt, json=reconcile_json(results, words), line_end="\n")
