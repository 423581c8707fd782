"""Comparing the computed figures with the ones the evaluation report printed (sample_data/published.csv),
and, with RS data loaded, with the actuals, targets and appropriations RS publishes.

The published figures are snapshots taken when they were reported, so a disagreement is explained, not
judged: each comparison carries both numbers and notes (catalogue keys) on the themes behind them. Two
numbers agree when the computed one, rounded half up at the precision the report printed, equals it. A yearly
short-term actual RS publishes is read two ways, since RS does not say which it counts: cumulative (the KPI as of
that year's end) and the end-year cohort (the themes that ended that year); it agrees when either reading does,
and says which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, NamedTuple

import duckdb

from kpi.errors import NoData
from kpi.exact import ratio, round_half_up
from kpi.figures.budget import budget
from kpi.figures.cohorts import cohorts
from kpi.figures.kpis import SHORT_TERM, TrendYear, trend
from kpi.figures.lists import in_force, list_id
from kpi.figures.population import POPULATION
from kpi.figures.programme import settings
from kpi.figures.report import Report, report
from kpi.figures.rs import Indicator, rs
from kpi.settings import Settings

OKU = Decimal(100_000_000)  # yen per 億円
STATUSES = ("achieved", "on_track", "delayed", "not_achieved")
RS_INDICATORS = "RS 3-1 効果発現経路_目標・実績"
RS_BUDGET = "RS 2-1 予算・執行_サマリ (歳出予算現額)"


@dataclass(frozen=True)
class Note:
    """One sentence of an explanation: a catalogue key and its parameters."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


class Reading(NamedTuple):
    """One way to read a published yearly short-term actual: cumulative (the themes that ended by the year's end,
    as the KPI counts them) or cohort (the themes that ended in that year), its counts, and its value at the
    printed precision (None: no theme to count)."""

    reading: str  # cumulative | cohort
    achieved: int
    completed: int
    computed: Decimal | None

    @property
    def exact(self) -> Fraction | None:
        return ratio(self.achieved, self.completed)


READINGS = ("cumulative", "cohort")


class Comparison(NamedTuple):
    """A published figure beside the computed one (for a figure read two ways, `readings`: `exact` and `computed`
    are the reading that agrees, else the cumulative one)."""

    figure: str
    as_of_fy: int
    published: str  # as printed
    published_value: Decimal | None  # what it says (in percent for a percentage); None when it is no number
    exact: Fraction | Decimal | int | None  # the computed value, exact (a ratio in 0–1 for a percentage)
    computed: Decimal | None  # the computed value at the printed precision (in percent for a percentage)
    percent: bool
    grouped: bool  # printed with thousands separators
    source: str
    notes: tuple[Note, ...]
    readings: tuple[Reading, ...] = ()

    @property
    def agree(self) -> bool:
        return self.computed is not None and self.computed == self.published_value

    @property
    def matched(self) -> tuple[str, ...]:
        """The readings whose value agrees with the published one (none: it differs under every reading)."""
        return tuple(r.reading for r in self.readings if r.computed is not None and r.computed == self.published_value)


def _parse(value: str) -> tuple[Decimal | None, bool, int]:
    """A printed number: its value (None if it is none), whether it was a percentage, and its decimal places."""
    text = value.replace(",", "").strip()
    percent = text.endswith("%")
    text = text.rstrip("%")
    places = len(text.split(".")[1]) if "." in text else 0
    try:
        return Decimal(text), percent, places
    except InvalidOperation:
        return None, percent, places


def compare(
    figure: str, fy: int, published: str, exact: Fraction | Decimal | int | None, source: str, notes: list[Note]
) -> Comparison:
    """A comparison at the precision `published` was printed with."""
    value, percent, _ = _parse(published)
    computed = at_printed(published, exact)
    return Comparison(figure, fy, published, value, exact, computed, percent, "," in published, source, tuple(notes))


def at_printed(published: str, exact: Fraction | Decimal | int | None) -> Decimal | None:
    """A computed value as `published` was printed: rounded half up at its precision, in percent for a percentage."""
    if exact is None:
        return None
    _, percent, places = _parse(published)
    return round_half_up(Fraction(exact) * (100 if percent else 1), places)


def _status_counts(con: duckdb.DuckDBPyConnection, as_of: int, where: str, params: dict[str, Any]) -> dict[str, int]:
    """The themes of the year's list that meet `where`, by status."""
    params = {"as_of": as_of, "list": list_id(in_force(con, as_of)), **params}
    rows = con.execute(f"SELECT status, count(*) FROM {POPULATION} WHERE {where} GROUP BY status", params).fetchall()
    counts = {status: int(n) for status, n in rows}
    return {s: counts.get(s, 0) for s in STATUSES}


def _group_note(con: duckdb.DuckDBPyConnection, as_of: int, where: str, params: dict[str, Any], **label: Any) -> Note:
    """How the theme list splits a group: its counts by status and the themes not achieved or delayed."""
    ids = con.execute(
        f"SELECT theme_id FROM {POPULATION} WHERE {where} AND status IN ('delayed', 'not_achieved') ORDER BY theme_id",
        {"as_of": as_of, "list": list_id(in_force(con, as_of)), **params},
    ).fetchall()
    counts = _status_counts(con, as_of, where, params)
    return Note("reconcile.group", {**label, **counts, "ids": " ".join(i for (i,) in ids) or "—"})


def _year_note(con: duckdb.DuckDBPyConnection, fy: int) -> Note:
    """The themes of the year's list that ended in that year, by status, and the date of that list."""
    snapshot = in_force(con, fy)
    counts = _status_counts(con, fy, "end_fy = $fy", {"fy": fy})
    return Note("reconcile.year", {"fy": fy, "snapshot": snapshot.date.isoformat() if snapshot else "—", **counts})


def resolve(con: duckdb.DuckDBPyConnection, figure: str, year_report: Report) -> tuple[Any, list[Note]]:
    """The exact computed value of a published figure and notes on where it comes from."""
    as_of = year_report.as_of_fy
    section, _, rest = figure.partition(".")
    if section == "status_summary":
        return getattr(year_report.status_summary, rest), [_group_note(con, as_of, "true", {}, scope="overall")]
    if section == "by_element":
        item, letter, group = rest.split(".")
        row = next((r for r in year_report.by_element if str(r.item) == item and r.element == letter), None)
        where = "item = $item AND left(element, 1) = $letter"
        note = _group_note(con, as_of, where, {"item": int(item), "letter": letter}, item=item, element=letter)
        return (getattr(row, group) if row else 0), [note]
    if section == "short_term":
        st = year_report.outcome[SHORT_TERM.key]
        return st.ratio, [
            Note("reconcile.short_term", {"n": st.numerator, "d": st.denominator}),
            _year_note(con, as_of),
        ]
    if section == "budget":
        kind, column = rest.split(".")
        if kind == "total":
            total = year_report.budget.total_budget if column == "budget" else year_report.budget.total_executed
            return total, [Note("reconcile.budget_total", {"fy": as_of})]
        year = next((y for y in year_report.budget.years if y.fy == as_of), None)
        return (getattr(year, column) if year else None), [Note("reconcile.budget_year", {"fy": as_of})]
    if section == "national_expenditure":
        return budget(con, 2100).total_budget, [Note("reconcile.national_expenditure")]
    if section == "outputs":
        return year_report.outputs.total[rest.split(".")[1]], [Note("reconcile.outputs_total", {"fy": as_of})]
    if section == "grants":
        grants = year_report.outputs.grants
        if grants is None:
            return None, [Note("reconcile.no_grants")]
        return getattr(grants, rest), [Note("reconcile.grants", {"date": grants.as_of_date.isoformat()})]
    if section.startswith("evaluation"):
        criterion = figure.split(":", 1)[1]
        graded = next((c for c in year_report.evaluation.criteria if c.criterion == criterion), None)
        if graded is None:
            return None, [Note("reconcile.criterion_missing")]
        return graded.score, [Note("reconcile.evaluation", {"n": graded.graded_by})]
    raise ValueError(f"unknown figure {figure!r}")


def reconcile(con: duckdb.DuckDBPyConnection) -> list[Comparison]:
    """Every published figure with its computed value, then the comparisons with RS (when loaded); refused (exit 3)
    when no published figure is loaded."""
    published = con.execute("SELECT figure, as_of_fy, value, source FROM published ORDER BY position").fetchall()
    if not published:
        raise NoData("db.no_published")
    reports: dict[int, Report] = {}
    results = []
    for figure, as_of, value, source in published:
        if int(as_of) not in reports:  # (setdefault would build the report for every figure)
            reports[int(as_of)] = report(con, int(as_of))
        year_report = reports[int(as_of)]
        exact, notes = resolve(con, figure, year_report)
        results.append(compare(figure, int(as_of), value, exact, source, notes))
    return _point_at_element_groups(results) + rs_comparisons(con)


def _target_row(figure: str, indicator: Indicator, ours: Fraction, key: str) -> list[Comparison]:
    """RS's target in its flagged target year against the programme's setting."""
    published = next((y.target for y in indicator.years if y.fy in indicator.target_years), None)
    if published is None:
        return []
    text = f"{published.normalize():f}%"
    return [
        compare(
            figure, max(indicator.target_years), text, ours, RS_INDICATORS, [Note("reconcile.rs_target", {"key": key})]
        )
    ]


def rs_comparisons(con: duckdb.DuckDBPyConnection) -> list[Comparison]:
    """With RS data loaded: the short-term trend against RS's actuals, the settings against RS's targets and
    target years, and the budget table against RS's appropriations (歳出予算現額, rounded to 億円)."""
    programme = settings(con)
    latest = rs(con, 2100, programme)
    if programme is None or latest is None:
        return []
    out: list[Comparison] = []
    short, long_ = latest.outcome("short"), latest.outcome("long")
    if short:
        years = {y.fy: y for y in trend(con, max(y.fy for y in short.years), programme)}
        for y in short.years:
            if y.actual is not None:
                out.append(_yearly_actual(con, programme, y.fy, f"{round_half_up(y.actual)}%", years.get(y.fy)))
        out += _target_row("rs.short_term.target", short, programme.short_term_target, "short_term_target")
    if long_:
        out += _target_row("rs.long_term.target", long_, programme.long_term_target, "long_term_target")
        judged = programme.long_term_judged_from_fy
        for year in long_.target_years:
            note = Note("reconcile.rs_target_year", {"year": year, "judged": judged})
            out.append(compare("rs.long_term.target_year", year, str(year), judged, RS_INDICATORS, [note]))
    table = {y.fy: y for y in budget(con, 2100).years}
    for a in latest.appropriations:
        listed = table.get(a.budget_fy)
        rs_oku = round_half_up(Decimal(a.current) / OKU) if a.current is not None else None
        note = Note(
            "reconcile.rs_appropriation",
            {
                "current": f"{a.current:,}" if a.current is not None else "—",
                "initial": f"{a.initial:,}" if a.initial is not None else "—",
                "supplementary": f"{a.supplementary:,}" if a.supplementary is not None else "—",
                "budget": f"{listed.budget.normalize():f}" if listed else "—",
            },
        )
        out.append(
            compare(
                "rs.appropriation",
                a.budget_fy,
                f"{rs_oku:,}" if rs_oku is not None else "—",
                listed.budget if listed else None,
                RS_BUDGET,
                [note],
            )
        )
    return out


def _yearly_actual(
    con: duckdb.DuckDBPyConnection, programme: Settings, fy: int, published: str, cumulative: TrendYear | None
) -> Comparison:
    """RS's short-term actual of a year under both readings, each compared as any printed percentage is: the KPI
    at the year's end (`cumulative`, from the trend) and the year's end-year cohort (kpi.figures.cohorts, from the
    same list, the one in force at the year's end)."""
    listed = in_force(con, fy)
    ended = cohorts(con, fy, programme, list_id(listed), surveyed=False) if listed is not None else ()
    cohort = next((c for c in ended if c.end_fy == fy), None)
    counts = {
        "cumulative": (cumulative.achieved, cumulative.completed) if cumulative else (0, 0),
        "cohort": (cohort.achieved, cohort.completed) if cohort else (0, 0),
    }
    readings = tuple(Reading(name, *counts[name], at_printed(published, ratio(*counts[name]))) for name in READINGS)
    value = _parse(published)[0]
    primary = next((r for r in readings if r.computed is not None and r.computed == value), readings[0])
    (cn, cd), (yn, yd) = counts["cumulative"], counts["cohort"]
    note = Note("reconcile.rs_readings", {"fy": fy, "cn": cn, "cd": cd, "yn": yn, "yd": yd})
    compared = compare("rs.short_term.actual", fy, published, primary.exact, RS_INDICATORS, [note, _year_note(con, fy)])
    return compared._replace(readings=readings)


def _point_at_element_groups(results: list[Comparison]) -> list[Comparison]:
    """A disagreeing summary count names the element groups whose published counts disagree too."""
    element = [r for r in results if r.figure.startswith("by_element.") and not r.agree]
    out = []
    for r in results:
        if r.figure.startswith("status_summary.") and not r.agree:
            group = r.figure.split(".")[1]
            pointers = [
                Note(
                    "reconcile.element_differs",
                    {
                        "item": e.figure.split(".")[1],
                        "element": e.figure.split(".")[2],
                        "published": e.published,
                        "computed": e.computed,
                    },
                )
                for e in element
                if e.figure.endswith("." + group) and e.as_of_fy == r.as_of_fy
            ]
            r = r._replace(notes=(*pointers, *r.notes))
        out.append(r)
    return out
