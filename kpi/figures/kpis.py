"""The outcome KPIs, each specified once: population, numerator, denominator, target and judging year.

Every output (report, JSON, CSV, HTML, charts, export, `kpi check`) lists KPIS and reads each KPI's
verdict from here. A new KPI is one KpiSpec below plus its name and definition in the catalogue
(kpi/present/catalogue.py, keys kpi.<key>.name and kpi.<key>.definition).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

import duckdb

from kpi.codes import TERMINATED
from kpi.db.carried import listed
from kpi.db.connect import fetch_one
from kpi.exact import ratio
from kpi.figures.lists import Snapshot, dated, in_force_among, list_id
from kpi.figures.outlook import Pending, ToReach, pending_outlook, to_reach
from kpi.figures.placement import PLACED_ROWS, Placement, Rule, case, exclusions
from kpi.figures.verdict import Verdict, judge
from kpi.settings import DEFAULT_HORIZON, Settings


class KpiSpec(NamedTuple):
    """One KPI: the rules that place each theme in it (kpi.figures.placement), its target and its judging year.

    The rules are tried in order after the exclusions every KPI shares; the first that holds gives a theme its role
    and reason. Numerator: the `numerator` themes; denominator: the `numerator` and `denominator` themes. Its outlook
    (kpi.figures.outlook) is the best and worst once the `pending` themes are judged (`outlook="pending"`), or the
    themes still to reach the target with today's denominator (`outlook="to_reach"`).
    """

    key: str
    rules: tuple[Rule, ...]
    target: str  # the settings key of its target
    outlook: str  # "pending" or "to_reach"
    judged_from: str | None = None  # the settings attribute naming the first fiscal year it is judged
    needs_followups: bool = False  # its numerator is unknown (not 0) until a follow-up survey is loaded


# The list a theme's row comes from is dated by the end of the as-of year: a stop it records happened by then.
STOPPED_BY = "list_date <= make_date({as_of} + 1, 3, 31)"

SHORT_TERM = KpiSpec(
    "short_term",
    rules=(
        # a theme a list says was stopped has ended by that list's date, whatever end year it still gives
        Rule("denominator", "terminated", f"status = '{TERMINATED}' AND (end_fy <= {{as_of}} OR {STOPPED_BY})"),
        Rule("not_countable", "in_progress", "end_fy > {as_of}"),
        Rule("numerator", "achieved", "status = 'achieved'"),
        Rule("denominator", "not_achieved", "status = 'not_achieved'"),
        Rule("pending", "awaiting_final", "status = 'on_track'"),
        Rule("pending", "delayed", "status = 'delayed'"),
    ),
    target="short_term_target",
    outlook="pending",
)
LONG_TERM = KpiSpec(
    "long_term",
    rules=(
        Rule("denominator", "terminated", f"status = '{TERMINATED}'"),
        Rule("numerator", "commercialised", "commercialised"),
        Rule("denominator", "not_commercialised", "measured"),
        Rule("denominator", "awaiting_survey", "true"),
    ),
    target="long_term_target",
    outlook="to_reach",
    judged_from="long_term_judged_from_fy",
    needs_followups=True,
)
LONG_TERM_MATURED = KpiSpec(
    "long_term_matured",
    rules=(
        Rule("not_countable", "not_matured", "NOT matured"),
        Rule("denominator", "terminated", f"status = '{TERMINATED}'"),
        Rule("numerator", "commercialised", "commercialised"),
        Rule("denominator", "not_commercialised", "measured"),
        Rule("pending", "awaiting_survey", "true"),
    ),
    target="long_term_target",
    outlook="pending",
    needs_followups=True,
)
KPIS: tuple[KpiSpec, ...] = (SHORT_TERM, LONG_TERM, LONG_TERM_MATURED)


def terminated_excluded(settings: Settings | None) -> bool:
    """Whether the programme leaves themes ended early out of every KPI (by default they count as not met, which
    can never raise a KPI)."""
    return settings is not None and settings.terminated_excluded


def roles_sql(excluded: bool, as_of: str = "$as_of") -> str:
    """Every KPI's role and reason (role_<key>, reason_<key>) of a placed row, as SELECT items."""
    return ", ".join(
        f"{case(s.rules, excluded, as_of, 'role')} AS role_{s.key}, "
        f"{case(s.rules, excluded, as_of, 'reason')} AS reason_{s.key}"
        for s in KPIS
    )


def placed_sql(excluded: bool) -> str:
    """`WITH … placed_roles AS (…)`: every theme of the list bound to $list as of $as_of, with its role and reason
    in every KPI."""
    return f"WITH {PLACED_ROWS}, placed_roles AS (SELECT *, {roles_sql(excluded)} FROM placed)\n"


def placements(
    con: duckdb.DuckDBPyConnection, as_of: int, settings: Settings | None, list_id: int
) -> tuple[dict[str, Placement], Extra]:
    """Every KPI's placement of the themes of one list as of a year, and the counts printed beside them, in one
    pass over the list (grouped by every KPI's role and reason)."""
    return grouped_placements(con, as_of, settings, list_id).get((), ({s.key: placement_of({}, s) for s in KPIS}, NONE))


def grouped_placements(
    con: duckdb.DuckDBPyConnection,
    as_of: int,
    settings: Settings | None,
    list_id: int,
    group: tuple[str, ...] = (),
    join: str = "",
    params: dict[str, object] | None = None,
) -> dict[tuple[object, ...], tuple[dict[str, Placement], Extra]]:
    """placements() per group of themes: `group` are SQL expressions over a placed row (aliased `p`, with what `join`
    joins to it) whose values name its group; one pass over the list, so the groups partition it (kpi.figures.breakdown).
    """
    horizon = settings.followup_horizon_years if settings else DEFAULT_HORIZON
    columns = ", ".join(f"role_{s.key}, reason_{s.key}" for s in KPIS)
    keys = "".join(f"{g} AS group_{i}, " for i, g in enumerate(group))
    rows = con.execute(
        f"""{placed_sql(terminated_excluded(settings))}
        SELECT {keys}{columns}, carried_from, count(*), count(*) FILTER (surveyed), sum(set_aside)
        FROM placed_roles p {join} GROUP BY ALL""",
        {"as_of": as_of, "horizon": horizon, "list": list_id, **(params or {})},
    ).fetchall()
    found: dict[tuple[object, ...], dict[str, dict[tuple[str, str], int]]] = {}
    carried: dict[tuple[object, ...], dict[dt.date, int]] = {}
    counts: dict[tuple[object, ...], list[int]] = {}
    width, at = 2 * len(KPIS), len(group)
    for row in rows:
        key, row = tuple(row[:at]), row[at:]
        n = int(row[width + 1])
        of = found.setdefault(key, {s.key: {} for s in KPIS})
        for i, s in enumerate(KPIS):
            role = (str(row[2 * i]), str(row[2 * i + 1]))
            of[s.key][role] = of[s.key].get(role, 0) + n
        if row[width] is not None:
            dates = carried.setdefault(key, {})
            dates[row[width]] = dates.get(row[width], 0) + n
        surveyed = counts.setdefault(key, [0, 0])
        surveyed[0] += int(row[width + 2])
        surveyed[1] += int(row[width + 3] or 0)
    return {
        key: (
            {s.key: placement_of(of[s.key], s) for s in KPIS},
            Extra(
                counts[key][0], counts[key][1], tuple(sorted(carried.get(key, {}))), sum(carried.get(key, {}).values())
            ),
        )
        for key, of in found.items()
    }


def placement_of(found: dict[tuple[str, str], int], spec: KpiSpec) -> Placement:
    """A KPI's placement from themes counted per (role, reason), every rule's (role, reason) in order."""
    order = [(r.role, r.reason) for r in (*exclusions(False), *spec.rules)]
    return Placement(tuple((role, why, found.get((role, why), 0)) for role, why in order))


class Extra(NamedTuple):
    """What the outputs print beside the KPIs: themes surveyed, surveys set aside, themes carried from earlier
    lists (and those lists' dates)."""

    surveyed_themes: int
    surveys_set_aside: int  # surveys dated before their theme's end year (as the list has it): not counted
    carried_from: tuple[dt.date, ...]
    carried: int


NONE = Extra(0, 0, (), 0)  # a list without a theme


class Kpi(NamedTuple):
    """A KPI as of a fiscal year: exact counts, its target and its verdict, and where every theme stands in it."""

    spec: KpiSpec
    numerator: int | None  # None: not measured yet (no follow-up survey loaded), which is not 0
    denominator: int
    target: Fraction | None
    target_text: str | None
    judged_from_fy: int | None
    verdict: Verdict
    placement: Placement
    outlook: Pending | ToReach | None = None  # what the KPI can still become, as its spec declares

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def ratio(self) -> Fraction | None:
        return ratio(self.numerator, self.denominator)

    @property
    def unmeasured_reason(self) -> str | None:
        """Why the ratio cannot be computed: 'no_followups', 'denominator_zero', or None when it can."""
        if self.numerator is None:
            return "no_followups"
        if self.denominator == 0:
            return "denominator_zero"
        return None


@dataclass(frozen=True)
class Outcome:
    """The outcome KPIs as of a fiscal year, with the counts the report prints beside them (each read from the
    placement of the KPI it belongs to)."""

    as_of_fy: int
    kpis: tuple[Kpi, ...]
    horizon_years: int
    extra: Extra
    terminated_excluded: bool = False

    def __getitem__(self, key: str) -> Kpi:
        return next(k for k in self.kpis if k.key == key)

    @property
    def delayed(self) -> int:
        """Short-term: delayed themes whose end year has come (pending, not in the denominator)."""
        return self[SHORT_TERM.key].placement.of("pending", "delayed")

    @property
    def awaiting_final(self) -> int:
        """Short-term: themes whose end year has come, still on track (pending, not in the denominator)."""
        return self[SHORT_TERM.key].placement.of("pending", "awaiting_final")

    @property
    def not_achieved(self) -> int:
        return self[SHORT_TERM.key].placement.of("denominator", "not_achieved")

    @property
    def terminated(self) -> int:
        """Themes ended early (中止) in the population (as the status tables count them), counted as not met or left
        out as the settings say: the official long-term KPI places every one of them."""
        official = self[LONG_TERM.key].placement
        return official.of("excluded", "terminated") + official.of("denominator", "terminated")

    @property
    def cancelled(self) -> int:
        """Themes whose adoption a list cancelled (採択取消): in no figure."""
        return self[SHORT_TERM.key].placement.of("excluded", "cancelled")

    @property
    def not_yet_measurable(self) -> int:
        """Long-term: themes whose follow-up horizon has not passed."""
        return self[LONG_TERM_MATURED.key].placement.of("not_countable", "not_matured")

    @property
    def surveyed_themes(self) -> int:
        return self.extra.surveyed_themes

    @property
    def has_followups(self) -> bool:
        return self.extra.surveyed_themes > 0

    @property
    def judged_from_fy(self) -> int | None:
        return self[LONG_TERM.key].judged_from_fy


def outcome(con: duckdb.DuckDBPyConnection, as_of: int, settings: Settings | None, list_id: int) -> Outcome:
    """Every KPI of KPIS as of `as_of` over the themes of one list, counted from their placement."""
    placed, extra = placements(con, as_of, settings, list_id)
    return outcome_of(placed, extra, as_of, settings, extra.surveyed_themes > 0)


def outcome_of(
    placed: dict[str, Placement], extra: Extra, as_of: int, settings: Settings | None, surveyed: bool
) -> Outcome:
    """Every KPI of KPIS from its placement; `surveyed`: a follow-up survey of the list's themes is counted (without
    one, a KPI that needs it is not measured: None, not 0)."""
    horizon = settings.followup_horizon_years if settings else DEFAULT_HORIZON
    kpis = []
    for spec in KPIS:
        place = placed[spec.key]
        numerator: int | None = None if spec.needs_followups and not surveyed else place.numerator
        target = settings.target(spec.target) if settings else None
        judged_from = getattr(settings, spec.judged_from) if settings and spec.judged_from else None
        outlook: Pending | ToReach | None = None
        if spec.outlook == "pending":  # none while the numerator is not measured
            outlook = (
                None
                if numerator is None
                else pending_outlook(place.numerator, place.denominator, place.pending, target)
            )
        else:
            due = place.of("denominator", "awaiting_survey")
            outlook = to_reach(numerator, place.denominator, target, as_of, judged_from, due)
        kpis.append(
            Kpi(
                spec=spec,
                numerator=numerator,
                denominator=place.denominator,
                target=target,
                target_text=settings.target_text(spec.target) if settings else None,
                judged_from_fy=judged_from,
                verdict=judge(numerator, place.denominator, target, as_of, judged_from),
                placement=place,
                outlook=outlook,
            )
        )
    return Outcome(as_of, tuple(kpis), horizon, extra, terminated_excluded(settings))


class TrendYear(NamedTuple):
    """The short-term KPI as it stood at the end of one fiscal year."""

    fy: int
    achieved: int
    completed: int
    verdict: Verdict

    @property
    def ratio(self) -> Fraction | None:
        return ratio(self.achieved, self.completed)


def trend(
    con: duckdb.DuckDBPyConnection, as_of: int, settings: Settings | None, lists: list[Snapshot] | None = None
) -> list[TrendYear]:
    """The short-term KPI at the end of each fiscal year, each year from its own list (the list in force at that
    year's end), from the first year a theme of `as_of`'s list completed to `as_of` (`lists`: the dated lists,
    when the caller has read them already)."""
    spec = SHORT_TERM
    excluded = terminated_excluded(settings)
    lists = dated(con) if lists is None else lists
    now = in_force_among(lists, as_of)
    first = fetch_one(
        con,
        f"SELECT min(least(end_fy, $as_of)) FROM {listed()} WHERE {case(spec.rules, excluded, '$as_of', 'role')} IN "
        "('numerator', 'denominator')",
        {"as_of": as_of, "list": list_id(now)},
    )
    if now is None or first is None or first[0] is None:
        return []
    years = [(fy, list_id(in_force_among(lists, fy))) for fy in range(int(first[0]), as_of + 1)]
    # Each year's list is read once, as counts per (item, start_fy, end_fy, status, list_date): a handful of groups whatever
    # the list's length, then joined to the years, whose roles the placement gives group by group. The list of
    # each year is found here, from the dated lists, so the query plans no subquery per year.
    groups = " UNION ALL ".join(
        f"SELECT {int(i)} AS list_id, item, start_fy, end_fy, status, list_date, count(*) AS n "
        f"FROM {listed(str(int(i)))} "
        "GROUP BY ALL"
        for i in sorted({i for _, i in years})
    )
    role = case(spec.rules, excluded, "y.fy", "role")
    rows = con.execute(
        f"""
        WITH years(fy, list_id) AS (VALUES {", ".join("(?, ?)" for _ in years)}),
        groups AS ({groups}),
        placed AS (SELECT y.fy, p.n, {role} AS role FROM years y JOIN groups p ON p.list_id = y.list_id)
        SELECT y.fy,
               coalesce(sum(p.n) FILTER (p.role = 'numerator'), 0),
               coalesce(sum(p.n) FILTER (p.role IN ('numerator', 'denominator')), 0)
        FROM years y LEFT JOIN placed p USING (fy)
        GROUP BY y.fy ORDER BY y.fy
        """,
        [value for year in years for value in year],
    ).fetchall()
    target = settings.target(spec.target) if settings else None
    return [TrendYear(int(fy), int(a), int(c), judge(int(a), int(c), target, int(fy))) for fy, a, c in rows]
