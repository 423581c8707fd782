"""`kpi recommendations`: the working group's recommendations, open ones first, as a table, markdown, CSV, JSON or
a workbook; the evaluation rounds as a person reads them."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from kpi.errors import UsageProblem
from kpi.figures.evaluation import CriterionTrend, Evaluation
from kpi.figures.recommendations import Recommendation
from kpi.present.catalogue import Words
from kpi.present.formats import Format, Formats
from kpi.present.numbers import mean
from kpi.present.tables import TEXT, Column, Table, emit
from schemas.rounds import parse_round, round_parts

RecommendationFormat = Formats(Format.table, Format.markdown, Format.csv, Format.json, Format.xlsx)

STATUS = {
    "not_started": "recommendation.status.not_started",
    "in_progress": "recommendation.status.in_progress",
    "done": "recommendation.status.done",
}
ROUND = {"ex_ante": "round.ex_ante", "interim": "round.interim", "final": "round.final"}


def round_label(code: str, words: Words) -> str:
    """A stored round as a person reads it: 中間評価（2026年度） / interim evaluation (FY2026)."""
    parts = round_parts(code)
    if parts is None:
        return words("round.unnamed")
    kind, fy = parts
    return words(ROUND[kind], fy=fy) if kind in ROUND else code


def round_asked(text: str | None) -> str | None:
    """--round as a stored round's code (a usage error when it names none)."""
    if text is None:
        return None
    code = parse_round(text)
    if code is None:
        raise UsageProblem("recommendations.bad_round", round=text)
    return code


def table(found: list[Recommendation], words: Words) -> Table:
    """Every recommendation: its round, section, number and member, the text, the 対処方針, its status, the
    evidence and the status's date."""
    columns = [
        Column(words("col.round"), lambda r: round_label(r.round, words)),
        Column(words("col.section"), lambda r: r.section, TEXT),
        Column(words("col.number"), lambda r: r.number),
        Column(words("col.member"), lambda r: r.member or ""),
        Column(words("col.recommendation"), lambda r: r.recommendation, TEXT),
        Column(words("col.response"), lambda r: r.response or "", TEXT),
        Column(words("col.recommendation_status"), lambda r: words(STATUS[r.status])),
        Column(words("col.evidence"), lambda r: r.evidence or "", TEXT),
        Column(words("col.status_date"), lambda r: r.status_date.isoformat() if r.status_date else ""),
    ]
    return Table.of("recommendations", columns, found, title=words("sheet.recommendations"))


def record(r: Recommendation) -> dict[str, Any]:
    """One recommendation in JSON: the round and status as codes (interim-2022, in_progress), the texts as loaded."""
    return {
        "round": r.round,
        "section": r.section,
        "number": r.number,
        "member": r.member,
        "recommendation": r.recommendation,
        "response": r.response,
        "status": r.status,
        "evidence": r.evidence,
        "status_date": r.status_date.isoformat() if r.status_date else None,
    }


def render(found: list[Recommendation], fmt: Format, words: Words, round_: str | None = None) -> str | bytes:
    """`kpi recommendations` in a format (of the round asked, if one was)."""
    none = words("recommendations.none_in_round", round=round_label(round_, words)) if round_ else None
    empty = none or words("recommendations.none")
    return emit(table(found, words), fmt, json=[record(r) for r in found], empty=empty)


def trend_table(ev: Evaluation, words: Words, score: Callable[[Fraction | None], Any] | None = None) -> Table:
    """Each criterion's score in every round, oldest first (two rounds or more): as the report prints it, or
    `score` (an export's exact number)."""
    shown = score or (lambda s: mean(s, 1))
    kind = "score" if score else ""
    columns = [
        Column(words("col.criterion"), lambda t: t.criterion, TEXT),
        *(Column(round_label(r, words), _score(i, shown), kind) for i, r in enumerate(ev.rounds)),
    ]
    return Table.of("evaluation_trend", columns, ev.trend, title=words("sheet.evaluation_trend"))


def _score(i: int, shown: Callable[[Fraction | None], Any]) -> Callable[[CriterionTrend], Any]:
    return lambda t: shown(t.scores[i])


def counts_table(ev: Evaluation, words: Words) -> Table:
    """The recommendations loaded by status, open ones first, and their total."""
    columns = [
        Column(words("col.recommendation_status"), lambda c: words(STATUS[c.status])),
        Column(words("col.count"), lambda c: c.n, "count"),
    ]
    total = [[words("row.total"), sum(c.n for c in ev.recommendations)]]
    return Table.of("recommendations_by_status", columns, ev.recommendations, footer=total)
