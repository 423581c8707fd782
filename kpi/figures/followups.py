"""The follow-up survey rounds: which theme × organisation is surveyed in a fiscal year, in which round and kind.

A theme of the latest list that the long-term KPI does not exclude is surveyed in the years after its end that the
programme's `followup_rounds` name (NEDO: 1, 2, 4 and 6): in fiscal year F when F − end_fy is one of them. Each of its
organisations (kpi.organisations.split of its 機関名) answers for itself. As before, a theme whose matured long-term
KPI awaits its measuring survey (kpi.figures.placement) is surveyed too, overdue when its measuring year has passed.

The kind of survey: `immediate` (終了直後) in the first round, else `simple` (簡易); `detailed` (詳細) when the
organisation's last answer newly reached 製品化/上市 or 中止/中断 (its first answer, or a stage other than the one
before). An organisation's answers are its own and those given for the theme as a whole (organisation '').
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

import duckdb

from kpi.codes import COMMERCIALISED
from kpi.figures.kpis import LONG_TERM, LONG_TERM_MATURED, placed_sql, terminated_excluded
from kpi.figures.lists import Snapshot, latest, list_id
from kpi.figures.programme import as_of_year, require_data, settings
from kpi.organisations import split
from kpi.settings import DEFAULT_FOLLOWUP_ROUNDS, DEFAULT_HORIZON, Settings, deadline_of

STOPPED = ("中止", "中断")
DETAILED = (*COMMERCIALISED, *STOPPED)  # a stage newly reached that asks for the detailed survey
KINDS = ("immediate", "simple", "detailed")


class Answer(NamedTuple):
    """An organisation's answer of one survey year."""

    survey_fy: int
    stage: str
    cumulative_sales: Decimal | None
    products: str | None
    organisation: str = ""  # who gave it: '' for the theme as a whole


class DueSurvey(NamedTuple):
    """A theme × organisation to survey in the year: its round (years after the end), the kind of survey, its last
    answer before the year (None: never answered), the answer's deadline, and whether its measuring survey is
    overdue."""

    theme_id: str
    organisation: str
    title: str
    end_fy: int
    years_after: int
    kind: str
    last: Answer | None
    deadline: dt.date
    overdue: bool
    joint: bool = False  # the theme has other organisations too

    @property
    def own_last(self) -> Answer | None:
        """The last answer when it is the organisation's own to be shown its sales and products: its own, or the
        theme's as a whole when the theme has no other organisation (a joint theme's may hold a partner's sales)."""
        if self.last is None or (self.last.organisation != self.organisation and self.joint):
            return None
        return self.last


class Due(NamedTuple):
    """The surveys due in a fiscal year, from the latest theme list."""

    fy: int
    rounds: tuple[int, ...]
    deadline: dt.date
    snapshot: Snapshot | None
    surveys: tuple[DueSurvey, ...]
    horizon_years: int = DEFAULT_HORIZON  # the measuring survey's year after the end (long-term KPI)

    @property
    def organisations(self) -> tuple[str, ...]:
        """The organisations asked, in the order they first appear."""
        return tuple(dict.fromkeys(s.organisation for s in self.surveys))


def _themes_sql(excluded: bool) -> str:
    return f"""{placed_sql(excluded)}
    SELECT theme_id, organizations, title, end_fy, role_{LONG_TERM_MATURED.key} = 'pending' AS pending,
           end_fy + $horizon < $as_of AS overdue
    FROM placed_roles WHERE role_{LONG_TERM.key} <> 'excluded' AND end_fy < $as_of
    ORDER BY item, theme_id"""


ANSWERS_SQL = """
    SELECT theme_id, organisation, survey_fy, stage, cumulative_sales, products FROM followups
    WHERE survey_fy < $as_of ORDER BY theme_id, survey_fy, organisation"""


def kind_of(years_after: int, rounds: tuple[int, ...], answers: list[Answer]) -> str:
    """immediate in the first round, detailed when the last answer newly reached a stage that asks for it, else
    simple."""
    if answers and answers[-1].stage in DETAILED and (len(answers) == 1 or answers[-2].stage != answers[-1].stage):
        return "detailed"
    return "immediate" if rounds and years_after == rounds[0] else "simple"


def _answers_of(
    rows: list[tuple[str, str, int, str, Decimal | None, str | None]],
) -> dict[str, dict[str, list[Answer]]]:
    found: dict[str, dict[str, list[Answer]]] = {}
    for theme_id, organisation, fy, stage, cumulative, products in rows:
        found.setdefault(theme_id, {}).setdefault(organisation, []).append(
            Answer(fy, stage, cumulative, products, organisation)
        )
    return found


def _of_organisation(answers: dict[str, list[Answer]], organisation: str) -> list[Answer]:
    """An organisation's answers by year: its own, and the theme's as a whole in a year it did not answer."""
    own = {a.survey_fy: a for a in answers.get("", [])}
    if organisation:
        own.update({a.survey_fy: a for a in answers.get(organisation, [])})
    return [own[fy] for fy in sorted(own)]


def due(con: duckdb.DuckDBPyConnection, fy: int, settings: Settings | None) -> Due:
    """Every theme × organisation surveyed in `fy`: overdue ones first, then in the list's order."""
    horizon = settings.followup_horizon_years if settings else DEFAULT_HORIZON
    rounds = tuple(settings.followup_rounds) if settings else DEFAULT_FOLLOWUP_ROUNDS
    deadline = deadline_of(settings, fy)
    newest = latest(con, 1)
    snapshot = newest[0] if newest else None
    bound = {"horizon": horizon, "as_of": fy, "list": list_id(snapshot)}
    themes = con.execute(_themes_sql(terminated_excluded(settings)), bound).fetchall()
    answers = _answers_of(con.execute(ANSWERS_SQL, {"as_of": fy}).fetchall())
    surveys: list[DueSurvey] = []
    for theme_id, cell, title, end_fy, pending, overdue in themes:
        years_after = fy - end_fy
        if years_after not in rounds and not pending:
            continue
        named = split(cell or "")
        for organisation in named:
            past = _of_organisation(answers.get(theme_id, {}), organisation)
            kind = kind_of(years_after, rounds, past)
            last = past[-1] if past else None
            surveys.append(
                DueSurvey(
                    theme_id,
                    organisation,
                    title,
                    end_fy,
                    years_after,
                    kind,
                    last,
                    deadline,
                    pending and overdue,
                    joint=len(named) > 1,
                )
            )
    surveys.sort(key=lambda s: not s.overdue)  # (stable: the list's order within)
    return Due(fy, rounds, deadline, snapshot, tuple(surveys), horizon)


def due_in(con: duckdb.DuckDBPyConnection, asked: int | None) -> Due:
    """`kpi followups due` and `kpi followups sheets`: the surveys due in the year asked (else the current one)."""
    require_data(con)
    programme = settings(con)
    return due(con, as_of_year(con, asked, programme), programme)
