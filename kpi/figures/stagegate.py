"""Stage-gate reviews (3-3 ③): each theme's latest score and the rule's decision as the settings give it, beside the
committee's recorded decision; and the themes whose stage gate falls in a year, compared exactly.

A review's score (0–100): scored by criterion, the weighted mean over the criteria of each criterion's mean over
its reviewers, Σ w·m / Σ w over the criteria the review scores (a criterion the settings no longer name weighs 0;
when none of its criteria is named, each weighs the same); else, the mean of the reviewers' total scores, as before
criteria were recorded. The rule: a score from stagegate_continue (60) continues in principle, from
stagegate_consider (40) is considered with the special notes, below it is terminated in principle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction
from itertools import groupby
from typing import NamedTuple

import duckdb

from kpi.codes import CANCELLED, ENDED_EARLY
from kpi.db.carried import listed
from kpi.db.connect import fetch_one
from kpi.figures.lists import in_force, list_id
from kpi.figures.population import first_rows
from kpi.figures.programme import as_of_year, settings
from kpi.figures.status import LIST_LIMIT
from kpi.settings import (
    DEFAULT_STAGEGATE_CONSIDER,
    DEFAULT_STAGEGATE_CONTINUE,
    DEFAULT_STAGEGATE_CRITERIA,
    Settings,
)

RUNNING = ("on_track", "delayed")  # the statuses of a theme still under way (its stage gate may be overdue)
STOP = "stop"  # the committee's decision to stop a theme (schemas.stagegate.DECISIONS)


class Rule(NamedTuple):
    """The stage gate as the settings run it: criteria with their weights, and the two thresholds."""

    criteria: tuple[tuple[str, Fraction], ...]
    continue_from: Fraction
    consider_from: Fraction


DEFAULT_RULE = Rule(DEFAULT_STAGEGATE_CRITERIA, DEFAULT_STAGEGATE_CONTINUE, DEFAULT_STAGEGATE_CONSIDER)


def rule_of(programme: Settings | None) -> Rule:
    """The programme's stage-gate rule (the defaults without settings)."""
    if programme is None:
        return DEFAULT_RULE
    return Rule(programme.stagegate_criteria, programme.stagegate_continue, programme.stagegate_consider)


def decision(mean: Fraction, rule: Rule = DEFAULT_RULE) -> str:
    """The rule's decision for a mean score: continue, consider or terminate."""
    if mean >= rule.continue_from:
        return "continue"
    if mean >= rule.consider_from:
        return "consider"
    return "terminate"


class Score(NamedTuple):
    """One reviewer's score in a review: on a criterion, or in total (criterion '')."""

    reviewer: str
    criterion: str
    score: Fraction


class Scored(NamedTuple):
    """A review's score (0–100), how many reviewers gave it, and each criterion's mean (empty for total scores)."""

    mean: Fraction
    reviewers: int
    criteria: tuple[tuple[str, Fraction], ...]


def review_score(scores: Iterable[Score], rule: Rule = DEFAULT_RULE) -> Scored:
    """A review's score from its reviewers' scores (the module's rule): criteria first, totals without them."""
    rows = list(scores)
    by_criterion = [s for s in rows if s.criterion]
    if not by_criterion:
        return Scored(sum((s.score for s in rows), Fraction(0)) / len(rows), len({s.reviewer for s in rows}), ())
    means: dict[str, list[Fraction]] = {}
    for s in by_criterion:
        means.setdefault(s.criterion, []).append(s.score)
    criteria = tuple((c, sum(v, Fraction(0)) / len(v)) for c, v in means.items())
    weights = dict(rule.criteria)
    weighed = [(weights.get(c, Fraction(0)), m) for c, m in criteria]
    if not sum(w for w, _ in weighed):
        weighed = [(Fraction(1), m) for _, m in criteria]
    mean = sum((w * m for w, m in weighed), Fraction(0)) / sum(w for w, _ in weighed)
    order = [c for c, _ in rule.criteria]
    shown = tuple(sorted(criteria, key=lambda cm: (order.index(cm[0]) if cm[0] in order else len(order), cm[0])))
    return Scored(mean, len({s.reviewer for s in by_criterion}), shown)


class Review(NamedTuple):
    """A theme's latest review up to the as-of year, with the committee's decision when recorded."""

    theme_id: str
    item: int
    element: str
    title: str
    review_fy: int
    reviewers: int
    mean: Fraction
    decision: str  # the rule's: continue, consider, terminate
    criteria: tuple[tuple[str, Fraction], ...] = ()  # each criterion's mean over reviewers
    committee: str | None = None  # the committee's: continue, conditional, revise, stop
    decided_on: dt.date | None = None
    status: str = ""  # the theme's status in the list

    @property
    def conflicts(self) -> bool:
        """The committee stopped the theme but the list does not say it ended early (中止 vs 計画通り)."""
        return self.committee == STOP and self.status not in ENDED_EARLY


class Unreviewed(NamedTuple):
    """A theme with no review up to the as-of year."""

    theme_id: str
    item: int
    element: str
    title: str


class StageGate(NamedTuple):
    """The reviewed themes, and the first unreviewed ones with how many there are in full."""

    reviewed: tuple[Review, ...]
    not_reviewed: tuple[Unreviewed, ...]
    not_reviewed_count: int

    @property
    def decided(self) -> bool:
        """Whether any review records the committee's decision (its columns are shown only then)."""
        return any(r.committee for r in self.reviewed)


def stage_gate(
    con: duckdb.DuckDBPyConnection,
    as_of: int,
    list_id: int,
    limit: int | None = LIST_LIMIT,
    rule: Rule | None = None,
) -> StageGate:
    """Each theme's latest review up to as_of (the themes of a list): its score and decision under the programme's
    rule (its settings', unless `rule` is given), and the committee's decision."""
    rule = rule or rule_of(settings(con))
    latest_cte = """latest AS (
          SELECT theme_id, max(review_fy) AS review_fy FROM stagegate WHERE review_fy <= $as_of GROUP BY theme_id)"""
    latest = f"WITH {latest_cte}"
    rows = con.execute(
        f"""{latest}
        SELECT t.theme_id, t.item, t.element, t.title, t.status, l.review_fy, s.reviewer, s.criterion, s.score,
               s.decision, s.decided_on
        FROM latest l JOIN (SELECT * FROM theme_rows WHERE list_id = $list) t USING (theme_id)
        JOIN stagegate s ON s.theme_id = l.theme_id AND s.review_fy = l.review_fy
        ORDER BY t.item, t.theme_id, s.load_id DESC, s.reviewer, s.criterion
        """,
        {"as_of": as_of, "list": list_id},
    ).fetchall()
    reviewed = []
    for (theme_id, item, element, title, status, fy), group in groupby(rows, key=lambda r: r[:6]):
        review = list(group)
        scored = review_score((Score(r[6], r[7], Fraction(r[8])) for r in review), rule)
        committee, decided_on = next(((r[9], r[10]) for r in review if r[9] is not None), (None, None))
        reviewed.append(
            Review(
                theme_id,
                int(item),
                element,
                title,
                int(fy),
                scored.reviewers,
                scored.mean,
                decision(scored.mean, rule),
                scored.criteria,
                committee,
                decided_on,
                status,
            )
        )
    unreviewed = "(SELECT t.* FROM theme_rows t ANTI JOIN latest l USING (theme_id) WHERE t.list_id = $list)"
    count = fetch_one(
        con,
        f"{latest} SELECT count(*) FROM theme_rows t ANTI JOIN latest l USING (theme_id) WHERE t.list_id = $list",
        {"as_of": as_of, "list": list_id},
    )
    listed = con.execute(
        first_rows(
            "theme_id, item, element, title",
            unreviewed,
            "true",
            ctes=f"{latest_cte}, ",
            rows_of="(SELECT * FROM theme_rows WHERE list_id = $list)",
        ),
        {"as_of": as_of, "list": list_id, "limit": limit},
    ).fetchall()
    return StageGate(tuple(reviewed), tuple(Unreviewed(*r) for r in listed), int(count[0]) if count else 0)


def for_year(con: duckdb.DuckDBPyConnection, asked: int | None) -> StageGate:
    """`kpi stagegate`: every theme of the list in force as of the year asked (else the current one)."""
    as_of = as_of_year(con, asked)
    return stage_gate(con, as_of, list_id(in_force(con, as_of)), limit=None)


def gate_year(start_fy: int, end_fy: int) -> int:
    """The year of a theme's stage gate: the midpoint of its term, floor((start_fy + end_fy) / 2) (3-3 ③: 各テーマの
    中間時点; a 3-year theme 2023–2025 in 2024, a 2-year one 2023–2024 in 2023)."""
    return (start_fy + end_fy) // 2


class Due(NamedTuple):
    """A theme whose stage gate falls in the year asked, or fell before it with no review since its start."""

    theme_id: str
    item: int
    element: str
    title: str
    start_fy: int | None  # None: the list gives none (its schedule declares the gate)
    end_fy: int | None
    gate_fy: int
    reviewed_fy: int | None  # its latest review from its start up to the year asked, else the year its schedule
    # records the gate held (up to the year asked)
    overdue: bool
    declared: bool = False  # the gate's year is the one the theme's schedule plans, not the midpoint of its term


class DueGates(NamedTuple):
    """`kpi stagegate due`: the themes due (overdue first), and those whose term is unknown (no start year)."""

    as_of: int
    due: tuple[Due, ...]
    term_unknown: tuple[Unreviewed, ...]


def due(con: duckdb.DuckDBPyConnection, asked: int | None) -> DueGates:
    """The themes of the list in force as of the year asked whose stage gate falls in it, reviewed or not, and those
    overdue (the themes it carries from earlier lists too): a gate before it, no review from the theme's start up to it, the theme still under way (its status
    on_track or delayed, its end not passed). A gate is in the year its schedule plans (declared, kpi schedule), else
    at gate_year; a gate the schedule records as held (its actual year up to the year asked) counts as reviewed that
    year when no review is recorded. A theme with neither a declared gate nor a start year is listed as its term
    unknown; a theme whose adoption the list cancelled (採択取消) left the programme and is not listed."""
    as_of = as_of_year(con, asked)
    bound = {"fy": as_of, "list": list_id(in_force(con, as_of)), "running": list(RUNNING), "cancelled": CANCELLED}
    declared = """declared AS (
          SELECT theme_id, any_value(planned_fy) FILTER (WHERE event = 'stagegate') AS gate_fy,
                 any_value(actual_fy) FILTER (WHERE event = 'stagegate') AS held_fy,
                 any_value(coalesce(actual_fy, planned_fy)) FILTER (WHERE event = 'start') AS start_fy
          FROM schedule GROUP BY theme_id)"""
    rows = con.execute(
        f"""
        WITH {declared},
        reviews AS (
          SELECT s.theme_id, max(s.review_fy) AS review_fy
          FROM stagegate s JOIN {listed()} r ON r.theme_id = s.theme_id
          LEFT JOIN declared d ON d.theme_id = s.theme_id
          WHERE s.review_fy <= $fy AND s.review_fy >= coalesce(r.start_fy, d.start_fy, s.review_fy)
          GROUP BY s.theme_id),
        gates AS (
          SELECT t.*, coalesce(d.gate_fy, (t.start_fy + t.end_fy) // 2) AS gate_fy,
                 coalesce(r.review_fy, CASE WHEN d.held_fy <= $fy THEN d.held_fy END) AS reviewed_fy,
                 d.gate_fy IS NOT NULL AS declared
          FROM {listed()} t LEFT JOIN reviews r USING (theme_id) LEFT JOIN declared d USING (theme_id)
          WHERE (t.start_fy IS NOT NULL OR d.gate_fy IS NOT NULL)
            AND t.status IS DISTINCT FROM $cancelled)
        SELECT theme_id, item, element, title, start_fy, end_fy, gate_fy, reviewed_fy, gate_fy < $fy AS overdue,
               declared
        FROM gates
        WHERE gate_fy = $fy
           OR (gate_fy < $fy AND reviewed_fy IS NULL AND coalesce(end_fy, $fy) >= $fy
               AND list_contains($running, status))
        ORDER BY gate_fy, item, theme_id
        """,
        bound,
    ).fetchall()
    unknown = con.execute(
        f"""WITH {declared} SELECT theme_id, item, element, title FROM {listed()} t LEFT JOIN declared d USING (theme_id)
        WHERE t.start_fy IS NULL AND d.gate_fy IS NULL AND t.status IS DISTINCT FROM $cancelled
        ORDER BY item, theme_id""",
        {"list": bound["list"], "cancelled": CANCELLED},
    ).fetchall()
    return DueGates(
        as_of,
        tuple(Due(*r) for r in rows),
        tuple(Unreviewed(*r) for r in unknown),
    )
