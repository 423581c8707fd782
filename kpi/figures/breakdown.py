"""Every outcome figure per group of themes (`--by`): by research item, by element, or by a theme attribute.

A group's figures are the whole's rules on its themes: one pass over the list counts each theme's role in every KPI
(kpi.figures.placement) and its status group, grouped by the theme's value. Every theme has one value (a theme whose
list gives none is in the group "not given"), so the groups partition the list and each count of the whole is the
sum of its groups' counts; `breakdown` checks that it is before anything is shown.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from fractions import Fraction
from typing import NamedTuple

import duckdb

from kpi.db.carried import attribute_join
from kpi.db.versions import KnownLoad, shown_load
from kpi.errors import UsageProblem
from kpi.figures.kpis import KPIS, NONE, Outcome, grouped_placements, outcome, outcome_of, placement_of
from kpi.figures.lists import Snapshot, in_force_among, list_id
from kpi.figures.population import POPULATION
from kpi.figures.programme import as_of_year, loaded
from kpi.figures.status import GROUP_COUNTS, GROUPS, StatusCounts, status_summary
from kpi.settings import DEFAULT_SMALL_GROUP, Attribute, Settings

# The groupings every programme has, by the names --by accepts for them.
BUILT_IN = {"item": "item", "研究開発項目": "item", "element": "element", "基盤要素": "element"}
GROUPABLE = ("category", "year", "text")  # attribute types whose values name groups (a money amount names none)


class Grouping(NamedTuple):
    """How themes are grouped: by item, by element (item and element letter), or by an attribute's value."""

    by: str  # "item", "element", or the attribute's name
    attribute: Attribute | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        """SQL over a theme's row (aliased p) naming its group."""
        if self.by == "item":
            return ("p.item",)
        if self.by == "element":
            return ("p.item", "left(p.element, 1)")
        return ("attribute.value",)

    @property
    def join(self) -> str:
        return "" if self.attribute is None else attribute_join("p")

    @property
    def params(self) -> dict[str, object]:
        return {} if self.attribute is None else {"attribute": self.attribute.name}


def grouping(by: str, programme: Settings | None) -> Grouping:
    """--by as a grouping: item, element, or a declared category, year or text attribute (its name or a header it is
    read under, any width and case); a usage error naming the choices otherwise."""
    asked = unicodedata.normalize("NFKC", by).strip().casefold()
    for name, built_in in BUILT_IN.items():
        if asked == name.casefold():
            return Grouping(built_in)
    attributes = programme.attributes if programme else ()
    for attribute in attributes:
        if asked in {h.casefold() for h in (attribute.name, *attribute.headers)}:
            if attribute.type not in GROUPABLE:
                raise UsageProblem("breakdown.not_groupable", by=by)
            return Grouping(attribute.name, attribute)
    names = [*("item", "element"), *(a.name for a in attributes if a.type in GROUPABLE)]
    raise UsageProblem("breakdown.unknown_by", by=by, choices=", ".join(names))


class Group(NamedTuple):
    """One group's figures: the outcome KPIs (with their outlook) and the status table over its themes."""

    key: tuple[object, ...]  # (item,), (item, element letter) or (value,); a value None: the list gives none
    outcome: Outcome
    status: StatusCounts
    small: bool  # fewer adopted themes than the programme's small_group

    @property
    def adopted(self) -> int:
        """The group's adopted themes (leading research and cancelled adoptions left out), as the status table."""
        return self.status.total


class Breakdown(NamedTuple):
    """Every group's figures as of a year, from one list, and the whole's, which each count sums."""

    grouping: Grouping
    as_of_fy: int
    snapshot: Snapshot | None
    groups: tuple[Group, ...]
    whole: Outcome
    whole_status: StatusCounts
    small_group: int
    programme: Settings | None = None  # the settings the figures were judged by
    known_at: KnownLoad | None = None  # the load the figures are as known right after (--known-at)

    def share(self, group: Group) -> Fraction | None:
        """A group's share of the adopted themes (the SME share, for 企業規模 = 中小企業); None without any."""
        return Fraction(group.adopted, self.whole_status.total) if self.whole_status.total else None


def breakdown(con: duckdb.DuckDBPyConnection, by: str, asked: int | None) -> Breakdown:
    """Every outcome figure per group of the list in force for the year asked (else the current one)."""
    start = loaded(con)
    start.require_data()
    programme = start.settings
    group = grouping(by, programme)
    as_of = as_of_year(con, asked, programme)
    snapshot = in_force_among(start.lists, as_of)
    listed = list_id(snapshot)
    whole = outcome(con, as_of, programme, listed)
    whole_status = status_summary(con, as_of, listed)
    return Breakdown(
        group,
        as_of,
        snapshot,
        groups(con, group, as_of, programme, listed, whole),
        whole,
        whole_status,
        programme.small_group if programme else DEFAULT_SMALL_GROUP,
        programme,
        shown_load(con),
    )


def groups(
    con: duckdb.DuckDBPyConnection,
    group: Grouping,
    as_of: int,
    programme: Settings | None,
    listed: int,
    whole: Outcome,
) -> tuple[Group, ...]:
    """Each group's figures, in the grouping's order (a category's declared values first, then any other value,
    then the themes without one), every declared value shown, even one without a theme."""
    placed = grouped_placements(con, as_of, programme, listed, group.keys, group.join, group.params)
    keys = ", ".join(f"{k} AS group_{i}" for i, k in enumerate(group.keys))
    status = {
        tuple(row[: len(group.keys)]): StatusCounts(*(int(v) for v in row[len(group.keys) :]))
        for row in con.execute(
            f"SELECT {keys}, {GROUP_COUNTS} FROM {POPULATION} p {group.join} GROUP BY ALL",
            {"as_of": as_of, "list": listed, **group.params},
        ).fetchall()
    }
    surveyed = whole.has_followups
    small = programme.small_group if programme else DEFAULT_SMALL_GROUP
    empty = ({s.key: placement_of({}, s) for s in KPIS}, NONE)
    out = []
    for key in ordered(group, placed):
        place, extra = placed.get(key, empty)
        counts = status.get(key, StatusCounts(*(0,) * len(GROUPS)))
        out.append(Group(key, outcome_of(place, extra, as_of, programme, surveyed), counts, counts.total < small))
    _check_partition(out, whole)
    return tuple(out)


def ordered(group: Grouping, found: Iterable[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """The groups in the grouping's order: a category's declared values first (each, even one without a theme), then
    any other value found, then the themes without one."""
    declared = [(v,) for v in group.attribute.values] if group.attribute and group.attribute.type == "category" else []
    rest = sorted(set(found) - set(declared), key=lambda k: tuple((v is None, str(v)) for v in k))
    return [*declared, *rest]


def _check_partition(found: list[Group], whole: Outcome) -> None:
    """Each KPI's themes per role and reason, summed over the groups, are the whole's (the groups partition it)."""
    for spec in KPIS:
        for i, (role, reason, n) in enumerate(whole[spec.key].placement.counts):
            summed = sum(g.outcome[spec.key].placement.counts[i][2] for g in found)
            assert summed == n, f"{spec.key} {role}/{reason}: groups sum to {summed}, the whole has {n}"
