"""Where every theme stands in every KPI: the one rule each output counts from.

As of a fiscal year, each theme of the list in force has, in each KPI, one role and the reason for it:

- `excluded` — leading research, not yet adopted, adoption cancelled (採択取消), or ended early (中止) when the
  programme's settings leave terminated themes out;
- `not_countable` — its result cannot count yet: still in its R&D period (short-term), its follow-up horizon not
  passed (matured long-term);
- `numerator` — it counts for the KPI;
- `denominator` — in the denominator, not in the numerator;
- `pending` — its result is still to come and it is outside the denominator until then: awaiting its final result
  or delayed (short-term), its measuring survey (matured long-term).

The rules are each KPI's `rules` (kpi.figures.kpis), tried in order after the exclusions every KPI shares; the first
that holds places the theme. The report, `kpi check`, `kpi export`, `kpi explain`, `kpi portfolio`, the charts and
the outlook all count these roles, so no two outputs can place a theme differently.

The themes of a list are the rows it gives and, for a theme it does not name, the row of the latest earlier list
that does (carried, with that list's date): a theme leaves the programme only when a list says 採択取消.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from kpi.codes import CANCELLED, LEADING_ITEM, TERMINATED
from kpi.db.carried import listed
from kpi.figures.population import COMMERCIALISED_SQL

ROLES = ("numerator", "denominator", "pending", "not_countable", "excluded")
IN_DENOMINATOR = ("numerator", "denominator")


class Rule(NamedTuple):
    """One rule of a KPI: the role and reason it gives a theme when `condition` (SQL over a placed row) holds.

    `{as_of}` in a condition stands for the as-of year. A placed row has the theme's columns and `commercialised`
    (a counted survey up to the as-of year records 製品化 or 上市), `matured` (the follow-up horizon has passed
    since the theme's end) and `measured` (a counted survey in or after the year the horizon ends).
    """

    role: str
    reason: str
    condition: str


def exclusions(terminated_excluded: bool) -> tuple[Rule, ...]:
    """The rules every KPI tries first: the themes no outcome figure counts."""
    return (
        Rule("excluded", "leading_research", f"item = {LEADING_ITEM}"),
        Rule("excluded", "not_adopted", "start_fy IS NOT NULL AND start_fy > {as_of}"),
        Rule("excluded", "cancelled", f"status = '{CANCELLED}'"),
        Rule("excluded", "terminated", f"status = '{TERMINATED}' AND {str(terminated_excluded).lower()}"),
    )


def case(rules: tuple[Rule, ...], terminated_excluded: bool, as_of: str, part: str) -> str:
    """The SQL CASE giving a theme's role (`part` "role") or reason ("reason") by the first rule that holds."""
    whens = " ".join(
        f"WHEN {rule.condition.format(as_of=as_of)} THEN '{getattr(rule, part)}'"
        for rule in (*exclusions(terminated_excluded), *rules)
    )
    return f"CASE {whens} END"


# The themes of the list bound to $list with what the long-term rules read, as of the year bound to $as_of (follow-up
# horizon: $horizon). A survey counts for a theme when its year is within the theme's follow-up: from the year the
# theme ends (as this list has it) to the as-of year; one from before that year is set aside (`set_aside`: a survey
# of a theme whose end a later correction moved past it). The surveys are summed per theme before they meet the list
# (one pass over each), so that the list is read once. A theme's organisations answer each for itself (several rows of
# a theme and year): a theme is commercialised when any of its organisations' counted answers records 製品化 or 上市,
# and a survey year counts once however many organisations answered in it.
PLACED_ROWS = f"""
    listed AS {listed()},
    surveyed AS (
      SELECT theme_id, max(survey_fy) AS last_survey,
             max(survey_fy) FILTER (stage IN {COMMERCIALISED_SQL}) AS last_commercialised,
             list(DISTINCT survey_fy) AS years
      FROM followups WHERE survey_fy <= $as_of GROUP BY theme_id),
    placed AS (
      SELECT t.*, coalesce(s.last_commercialised >= t.end_fy, false) AS commercialised,
             t.end_fy + $horizon <= $as_of AS matured,
             coalesce(s.last_survey >= t.end_fy + $horizon, false) AS measured,
             coalesce(s.last_survey >= t.end_fy, false) AS surveyed,
             coalesce(len(list_filter(s.years, lambda y: y < t.end_fy)), 0) AS set_aside
      FROM listed t LEFT JOIN surveyed s USING (theme_id))
"""


class Placement(NamedTuple):
    """How many themes of a list each (role, reason) of one KPI holds as of a year."""

    counts: tuple[tuple[str, str, int], ...]  # (role, reason, themes), in the order the rules give them

    def of(self, role: str, reason: str | None = None) -> int:
        """The themes of a role (and reason, when given)."""
        return sum(n for r, why, n in self.counts if r == role and (reason is None or why == reason))

    @property
    def by_role(self) -> dict[str, int]:
        """Themes per role, every role present (0 where none)."""
        found = Counter[str]()
        for role, _, n in self.counts:
            found[role] += n
        return {role: found[role] for role in ROLES}

    @property
    def numerator(self) -> int:
        return self.of("numerator")

    @property
    def denominator(self) -> int:
        return self.of("numerator") + self.of("denominator")

    @property
    def pending(self) -> int:
        return self.of("pending")
