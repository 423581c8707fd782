"""Many programmes in one view (`kpi portfolio`): each programme's figures from its own database, read one at a
time, and the portfolio line.

Each file gives exactly what its own `kpi report` gives (the same function, on the file attached read-only). The
portfolio line sums numerators and denominators — never averages percentages — over the programmes that measure
the KPI (a long-term KPI is not measured before a follow-up survey is loaded); it is judged against the target
only when every programme with settings has the same one. A file that cannot be read (busy, damaged, of another
schema) is a fault of its own: named with its reason, the others shown all the same.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

from kpi.db import versions
from kpi.db.attach import attached
from kpi.db.known import KnownAt
from kpi.errors import ExitCode, InputRejected, KpiError
from kpi.exact import ratio
from kpi.figures.breakdown import Breakdown, breakdown
from kpi.figures.cohorts import Cohort, cohorts
from kpi.figures.explain import Explained, explain
from kpi.figures.kpis import KPIS, Outcome
from kpi.figures.lists import list_id
from kpi.figures.report import Report, report
from kpi.figures.verdict import Verdict, judge

# The exit code of a portfolio with faults: the worst of its files', in this order (a busy file may read next time).
WORST_FIRST = (ExitCode.BUSY, ExitCode.DAMAGED, ExitCode.INPUT_REJECTED)


class Programme(NamedTuple):
    """One programme's figures, read from its file, and its cohorts; its themes behind a KPI when asked."""

    path: Path
    report: Report
    cohorts: tuple[Cohort, ...]
    explained: Explained | None = None
    breakdown: Breakdown | None = None  # every figure per group (--by)


class Fault(NamedTuple):
    """A file that could not be read, and why (its exit code and message)."""

    path: Path
    error: KpiError


class Total(NamedTuple):
    """The portfolio line of one KPI: numerators and denominators summed over the programmes that measure it."""

    key: str
    numerator: int | None  # None: no programme measures it
    denominator: int
    programmes: int  # how many programmes the sums are over
    target: Fraction | None  # the common target (None: none, or targets that differ)
    verdict: Verdict | None  # None: the targets differ, no single verdict

    @property
    def ratio(self) -> Fraction | None:
        return ratio(self.numerator, self.denominator)


class Portfolio(NamedTuple):
    """Every programme read, every fault, the portfolio line, and the cohorts summed by the year they end."""

    programmes: tuple[Programme, ...]
    faults: tuple[Fault, ...]
    totals: tuple[Total, ...]
    lacking_settings: int
    lacking_followups: int
    cohorts: tuple[Cohort, ...]
    groups: tuple[GroupTotal, ...] = ()  # with --by: the portfolio line of each group, in the groups' order

    @property
    def exit_code(self) -> ExitCode:
        """0 when every file was read, else the worst of the faults (WORST_FIRST)."""
        codes = {fault.error.exit_code for fault in self.faults}
        if not codes:
            return ExitCode.OK
        return next((code for code in WORST_FIRST if code in codes), max(codes))


def _read_one(
    path: Path, asked: int | None, known_at: KnownAt | None, wait: float, kpi: str | None, by: str | None = None
) -> Programme:
    with attached(path, wait) as con:
        if known_at is not None:
            versions.show_as_of(con, versions.resolve(con, known_at))
        built = report(con, asked)
        surveyed = built.outcome.has_followups
        found = cohorts(con, built.as_of_fy, built.programme, list_id(built.snapshot), surveyed)
        explained = explain(con, kpi, built.as_of_fy, by=by) if kpi else None
        grouped = breakdown(con, by, built.as_of_fy) if by is not None else None
    return Programme(path, built, found, explained, grouped)


class GroupTotal(NamedTuple):
    """A group's portfolio line (--by): its KPIs summed over the programmes that have the group."""

    key: tuple[object, ...]
    totals: tuple[Total, ...]
    programmes: int


def _groups(programmes: tuple[Programme, ...]) -> tuple[GroupTotal, ...]:
    """Each group's portfolio line, the groups in the order the programmes give them (the first's first)."""
    found: dict[tuple[object, ...], list[Outcome]] = {}
    for p in programmes:
        for group in p.breakdown.groups if p.breakdown else ():
            found.setdefault(group.key, []).append(group.outcome)
    as_of = max((p.report.as_of_fy for p in programmes), default=0)
    last = sorted(found, key=lambda key: any(v is None for v in key))  # (stable: the themes without a value last)
    return tuple(GroupTotal(key, _summed_kpis(found[key], as_of), len(found[key])) for key in last)


def _totals(programmes: tuple[Programme, ...]) -> tuple[Total, ...]:
    as_of = max((p.report.as_of_fy for p in programmes), default=0)
    return _summed_kpis([p.report.outcome for p in programmes], as_of)


def _summed_kpis(outcomes: list[Outcome], as_of: int) -> tuple[Total, ...]:
    """Each KPI's numerators and denominators summed over the outcomes that measure it, judged against the common
    target when there is one."""
    totals = []
    for spec in KPIS:
        kpis = [o[spec.key] for o in outcomes]
        measured = [k for k in kpis if k.numerator is not None]
        targets = {k.target for k in kpis if k.target is not None}
        judged = {k.judged_from_fy for k in kpis}
        numerator = sum(k.numerator or 0 for k in measured) if measured else None
        denominator = sum(k.denominator for k in measured) if measured else sum(k.denominator for k in kpis)
        target = next(iter(targets)) if len(targets) == 1 else None
        verdict = (
            judge(numerator, denominator, target, as_of, next(iter(judged)) if len(judged) == 1 else None)
            if len(targets) <= 1
            else None
        )
        totals.append(Total(spec.key, numerator, denominator, len(measured), target, verdict))
    return tuple(totals)


def _summed(programmes: tuple[Programme, ...]) -> tuple[Cohort, ...]:
    by_year: dict[int, list[Cohort]] = {}
    for p in programmes:
        for c in p.cohorts:
            by_year.setdefault(c.end_fy, []).append(c)
    out = []
    for fy in sorted(by_year):
        rows = by_year[fy]
        measured = [c.commercialised for c in rows if c.commercialised is not None]
        out.append(
            Cohort(
                fy,
                sum(c.themes for c in rows),
                sum(c.achieved for c in rows),
                sum(c.completed for c in rows),
                sum(measured) if measured else None,
                sum(c.matured for c in rows if c.commercialised is not None) if measured else 0,
            )
        )
    return tuple(out)


def portfolio(
    paths: list[Path],
    asked: int | None,
    known_at: KnownAt | None = None,
    wait: float = 0.0,
    kpi: str | None = None,
    programme_id: int | None = None,
    told: Callable[[Path], None] | None = None,
    by: str | None = None,
) -> Portfolio:
    """Read every programme file, one at a time (memory bounded by the largest); refuse two programmes with the
    same 予算事業ID, naming both files. With `kpi`, the themes behind it (of the programme `programme_id` only,
    when given)."""
    read: list[Programme] = []
    faults: list[Fault] = []
    for path in paths:
        if told is not None:
            told(path)
        try:
            read.append(_read_one(path, asked, known_at, wait, kpi, by))
        except KpiError as error:
            faults.append(Fault(path, error))
    seen: dict[int, Path] = {}
    for p in read:
        if p.report.programme is None:
            continue
        pid = p.report.programme.project_id
        if pid in seen:
            raise InputRejected("portfolio.same_project_id", project_id=pid, first=str(seen[pid]), second=str(p.path))
        seen[pid] = p.path
    if programme_id is not None:
        chosen = [p for p in read if p.report.programme and p.report.programme.project_id == programme_id]
        if not chosen:
            raise InputRejected("portfolio.no_programme", project_id=programme_id, ids=", ".join(map(str, seen)))
        read = chosen
    programmes = tuple(read)
    return Portfolio(
        programmes,
        tuple(faults),
        _totals(programmes),
        sum(1 for p in programmes if p.report.programme is None),
        sum(1 for p in programmes if not p.report.outcome.has_followups),
        _summed(programmes),
        _groups(programmes),
    )
