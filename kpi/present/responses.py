"""`kpi followups status` and `kpi followups remind`: the answers to the surveys sent (kpi.figures.responses) per
round and per organisation, and the reminders to mail, per organisation, of the surveys not answered."""

from __future__ import annotations

from typing import Any

from kpi.figures.responses import Group, Rate, Responses, Sending
from kpi.present.catalogue import Words
from kpi.present.formats import Format
from kpi.present.json_out import rate_json
from kpi.present.numbers import Percent, percent
from kpi.present.tables import TEXT, Column, Table, block, emit, is_text, markdown_text


def rate_text(rate: Rate) -> str:
    """3/5 (60.0%), or — when nothing was sent."""
    return f"{rate.answered}/{rate.sent} ({percent(rate.fraction)})" if rate.sent else "—"


def group_table(responses: Responses, groups: tuple[Group, ...], words: Words, by_organisation: bool) -> Table:
    """A row per round (or round × organisation): sent, answered, not answered, deadline, overdue since and its
    days, the response rate."""
    columns = [Column(words("responses.col.round"), lambda g: g.survey_fy, "year")]
    if by_organisation:
        columns.append(
            Column(words("followups.col.organisation"), lambda g: g.organisation or words("responses.whole"), TEXT)
        )
    columns += [
        Column(words("responses.col.sent"), lambda g: g.rate.sent, "count"),
        Column(words("responses.col.answered"), lambda g: g.rate.answered, "count"),
        Column(words("responses.col.not_answered"), lambda g: g.not_answered, "count"),
        Column(words("responses.col.deadline"), lambda g: g.deadline.isoformat()),
        Column(words("responses.col.overdue_since"), lambda g: _date(responses.since(g))),
        Column(words("responses.col.days"), lambda g: g.days_overdue or None, "count", lambda g: g.days_overdue or ""),
        Column(
            words("responses.col.rate"),
            lambda g: Percent(g.rate.fraction) if g.rate.fraction is not None else None,
            "percent",
        ),
    ]
    name = "responses_by_organisation" if by_organisation else "responses"
    title = words("responses.section.organisations" if by_organisation else "responses.section.rounds")
    return Table.of(name, columns, groups, title=title)


def _date(day: Any) -> str | None:
    return day.isoformat() if day is not None else None


def heading(responses: Responses, words: Words) -> str:
    """The rounds up to the year, the date they are as of, and the rate over every round."""
    if not responses.sendings:
        return words("responses.none", fy=responses.as_of_fy)
    overall = responses.overall
    return words(
        "responses.heading",
        fy=responses.as_of_fy,
        date=responses.as_of.isoformat(),
        sent=overall.sent,
        answered=overall.answered,
        rate=percent(overall.fraction),
        overdue=len(responses.overdue),
    )


def status_json(responses: Responses) -> dict[str, Any]:
    """`kpi followups status --format json`: the rounds, each round's organisations and the overdue surveys."""

    def group(g: Group) -> dict[str, Any]:
        return {
            "survey_fy": g.survey_fy,
            **({"organisation": g.organisation} if g.organisation is not None else {}),
            "sent": g.rate.sent,
            "answered": g.rate.answered,
            "not_answered": g.not_answered,
            "deadline": g.deadline.isoformat(),
            "overdue_since": _date(responses.since(g)),
            "days_overdue": g.days_overdue,
            "response_rate": rate_json(g.rate),
        }

    return {
        "as_of_fy": responses.as_of_fy,
        "as_of": responses.as_of.isoformat(),
        "response_rate": rate_json(responses.overall),
        "rounds": [group(g) for g in responses.rounds],
        "organisations": [group(g) for g in responses.organisations],
        "overdue": [sending_json(s, responses) for s in responses.overdue],
    }


def sending_json(s: Sending, responses: Responses) -> dict[str, Any]:
    """One survey sent and not answered: theme, organisation, round, deadline, days overdue."""
    return {
        "survey_fy": s.survey_fy,
        "theme_id": s.theme_id,
        "organisation": s.organisation,
        "title": s.title,
        "deadline": s.deadline.isoformat(),
        "days_overdue": s.days_overdue(responses.as_of),
    }


def render_status(responses: Responses, fmt: Format, words: Words, to_file: bool) -> str | bytes:
    """`kpi followups status` in a format: a heading then the two tables (text, markdown), the tables (CSV), or
    one JSON object."""
    tables = [
        group_table(responses, responses.rounds, words, False),
        group_table(responses, responses.organisations, words, True),
    ]
    if not is_text(fmt):
        from kpi.present.json_out import dumps

        if fmt is Format.json:
            return dumps(status_json(responses))
        return emit(tables, fmt, line_end="\n", to_file=to_file)
    first = heading(responses, words)
    lines = [("# " + markdown_text(first)) if fmt is Format.markdown else first, ""]
    if responses.sendings:
        for table in tables:
            lines += block(table.title, table, fmt, words("none"))
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------------------- reminders


def unanswered(responses: Responses) -> dict[str, list[Sending]]:
    """The surveys not answered, by organisation (in name order), oldest deadline first."""
    found: dict[str, list[Sending]] = {}
    for s in sorted(responses.sendings, key=lambda s: (s.organisation, s.deadline, s.survey_fy, s.theme_id)):
        if not s.answered:
            found.setdefault(s.organisation, []).append(s)
    return found


def remind_table(responses: Responses, sendings: list[Sending], words: Words, with_organisation: bool) -> Table:
    """The reminder's rows: (organisation,) theme, title, round, deadline, days overdue."""
    columns = []
    if with_organisation:
        columns.append(
            Column(words("followups.col.organisation"), lambda s: s.organisation or words("responses.whole"), TEXT)
        )
    columns += [
        Column(words("col.theme_id"), lambda s: s.theme_id),
        Column(words("col.title"), lambda s: s.title, TEXT),
        Column(words("responses.col.round"), lambda s: s.survey_fy, "year"),
        Column(words("responses.col.deadline"), lambda s: s.deadline.isoformat()),
        Column(
            words("responses.col.days"),
            lambda s: s.days_overdue(responses.as_of) or None,
            "count",
            lambda s: s.days_overdue(responses.as_of) or "",
        ),
    ]
    return Table.of("reminders", columns, sendings)


def render_remind(responses: Responses, fmt: Format, words: Words, to_file: bool) -> str | bytes:
    """`kpi followups remind`: markdown to paste into a mail, a heading per organisation with its surveys not
    answered; or one CSV table of them all (a row per survey, its organisation first)."""
    found = unanswered(responses)
    if fmt is Format.csv:
        every = [s for sendings in found.values() for s in sendings]
        return emit(remind_table(responses, every, words, True), fmt, line_end="\n", to_file=to_file)
    date = responses.as_of.isoformat()
    if not found:
        return words("remind.none", fy=responses.as_of_fy, date=date) + "\n"
    lines = ["# " + markdown_text(words("remind.heading", fy=responses.as_of_fy, date=date)), ""]
    for organisation, sendings in found.items():
        late = sum(s.days_overdue(responses.as_of) > 0 for s in sendings)
        lines += [
            "## " + markdown_text(organisation or words("responses.whole")),
            "",
            markdown_text(words("remind.intro", n=len(sendings), overdue=late)),
            "",
            str(emit(remind_table(responses, sendings, words, False), Format.markdown)).rstrip("\n"),
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"
