"""Who has answered the follow-up surveys sent: answered, overdue and the response rate, per round, per round ×
organisation and over every round — the one rule every output reads.

A round is the surveys recorded as sent for a survey year (`followup_sent`: one row per theme × organisation). A
sending is answered when `followups` holds that theme's answer of that year with a stage, from that organisation or
for the theme as a whole (organisation ''), whenever it was loaded (a late answer is answered); a sending whose
theme the latest list cancels (採択取消) leaves every count, as the theme leaves the programme. One unanswered is
overdue once the as-of date is after its deadline: overdue since the day after, for (as-of date − deadline) days.
The response rate is answered / sent, exact; presenters round it.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import NamedTuple

import duckdb

from kpi.codes import CANCELLED
from kpi.fiscal import DEFAULT_TIMEZONE, today_in
from kpi.organisations import normal


class Rate(NamedTuple):
    """Answered of sent."""

    answered: int
    sent: int

    @property
    def fraction(self) -> Fraction | None:
        """answered / sent exactly; None when nothing was sent."""
        return Fraction(self.answered, self.sent) if self.sent else None


class Sending(NamedTuple):
    """One survey sent: to a theme's organisation, in a year's round, and whether it is answered."""

    survey_fy: int
    theme_id: str
    organisation: str  # '' = the theme as a whole
    title: str
    years_after: int
    kind: str
    sent_on: dt.date
    deadline: dt.date
    answered: bool

    def days_overdue(self, as_of: dt.date) -> int:
        """Days past its deadline unanswered as of a date (0: answered, or not past it)."""
        return 0 if self.answered else max((as_of - self.deadline).days, 0)


class Group(NamedTuple):
    """The sendings of a round (organisation None) or of one organisation in a round: how many were sent and
    answered, the earliest deadline, and the oldest overdue one's days (0: none overdue)."""

    survey_fy: int
    organisation: str | None
    rate: Rate
    deadline: dt.date
    days_overdue: int

    @property
    def not_answered(self) -> int:
        """Sent and not answered."""
        return self.rate.sent - self.rate.answered

    @classmethod
    def of(cls, fy: int, organisation: str | None, sendings: list[Sending], as_of: dt.date) -> Group:
        answered = sum(s.answered for s in sendings)
        days = max((s.days_overdue(as_of) for s in sendings), default=0)
        return cls(fy, organisation, Rate(answered, len(sendings)), min(s.deadline for s in sendings), days)


def overdue_since(group: Group, as_of: dt.date) -> dt.date | None:
    """The day the oldest unanswered survey of a group became overdue (the day after its deadline), or None."""
    return as_of - dt.timedelta(days=group.days_overdue - 1) if group.days_overdue else None


class Responses(NamedTuple):
    """The rounds sent up to a fiscal year as of a date: every sending, the rounds, each round's organisations,
    the overdue sendings (oldest first) and the rate over every round."""

    as_of_fy: int
    as_of: dt.date
    sendings: tuple[Sending, ...]
    rounds: tuple[Group, ...]
    organisations: tuple[Group, ...]

    @property
    def overall(self) -> Rate:
        """The response rate over every round."""
        return Rate(sum(s.answered for s in self.sendings), len(self.sendings))

    @property
    def latest(self) -> Group | None:
        """The latest round sent (None: none was)."""
        return self.rounds[-1] if self.rounds else None

    @property
    def overdue(self) -> tuple[Sending, ...]:
        """The sendings overdue as of the date, oldest first (then by round, organisation and theme)."""
        late = [s for s in self.sendings if s.days_overdue(self.as_of) > 0]
        return tuple(sorted(late, key=lambda s: (-s.days_overdue(self.as_of), s.survey_fy, s.organisation)))

    def since(self, group: Group) -> dt.date | None:
        """The day a group's oldest unanswered survey became overdue, or None."""
        return overdue_since(group, self.as_of)


def as_of_date(fy: int, timezone: str = DEFAULT_TIMEZONE) -> dt.date:
    """The date a year's figures are as of: today in the programme's calendar, or the last day of a fiscal year
    that has ended."""
    return min(today_in(timezone), dt.date(fy + 1, 3, 31))


SENT_SQL = f"""
    SELECT s.survey_fy, s.theme_id, s.organisation, coalesce(t.title, ''), s.years_after, s.kind, s.sent_on,
           s.deadline
    FROM followup_sent s LEFT JOIN themes t USING (theme_id)
    WHERE s.survey_fy <= $fy AND t.status IS DISTINCT FROM '{CANCELLED}'
    ORDER BY s.survey_fy, s.organisation, s.theme_id"""
ANSWERED_SQL = "SELECT DISTINCT theme_id, survey_fy, organisation FROM followups WHERE stage IS NOT NULL"


def responses(con: duckdb.DuckDBPyConnection, fy: int, as_of: dt.date) -> Responses:
    """The rounds sent for survey years up to `fy`, answered or overdue as of the date `as_of`."""
    answered = {(str(t), int(y), normal(str(o or ""))) for t, y, o in con.execute(ANSWERED_SQL).fetchall()}
    sendings = []
    for survey_fy, theme_id, organisation, title, years_after, kind, sent_on, deadline in con.execute(
        SENT_SQL, {"fy": fy}
    ).fetchall():
        done = any((theme_id, survey_fy, who) in answered for who in (normal(organisation), ""))
        sendings.append(Sending(survey_fy, theme_id, organisation, title, years_after, kind, sent_on, deadline, done))
    rounds: dict[int, list[Sending]] = {}
    by_organisation: dict[tuple[int, str], list[Sending]] = {}
    for s in sendings:
        rounds.setdefault(s.survey_fy, []).append(s)
        by_organisation.setdefault((s.survey_fy, s.organisation), []).append(s)
    return Responses(
        fy,
        as_of,
        tuple(sendings),
        tuple(Group.of(y, None, found, as_of) for y, found in rounds.items()),
        tuple(Group.of(y, o, found, as_of) for (y, o), found in by_organisation.items()),
    )


def responses_in(con: duckdb.DuckDBPyConnection, asked: int | None) -> Responses:
    """`kpi followups status|remind`: the rounds up to the year asked (else the current one), as of its date."""
    from kpi.figures.programme import as_of_year, require_data, settings
    from kpi.fiscal import calendar_of

    require_data(con)
    programme = settings(con)
    fy = as_of_year(con, asked, programme)
    return responses(con, fy, as_of_date(fy, calendar_of(programme)))


class Late(NamedTuple):
    """`kpi check --max-overdue-days N`: the surveys unanswered more than N days past their deadline, oldest
    first, as of a date."""

    limit: int
    as_of: dt.date
    sendings: tuple[Sending, ...]

    @property
    def oldest(self) -> Sending | None:
        return self.sendings[0] if self.sendings else None


def late(responses: Responses, limit: int) -> Late:
    """The overdue surveys of `responses` more than `limit` days past their deadline."""
    found = tuple(s for s in responses.overdue if s.days_overdue(responses.as_of) > limit)
    return Late(limit, responses.as_of, found)
