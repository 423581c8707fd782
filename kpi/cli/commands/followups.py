"""`kpi followups due`, `sheets`, `status` and `remind`: the follow-up surveys of a year, the sheets the
organisations fill in, who has answered, and the reminders to mail."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from kpi.cli import options
from kpi.cli.app import command, followups
from kpi.cli.output import Console
from kpi.db.known import KnownAt
from kpi.db.store import Store
from kpi.present.formats import Format, RemindFormat, StatusFormat


@command("due", "help.followups_due", group=followups)
def due_command(
    console: Console,
    store: Store,
    as_of: options.SurveyYear = None,
    known_at: options.KnownAtOption = None,
    fy: options.OldSurveyYear = None,
    fmt: options.DueFormatOption = Format.table,
    out: Annotated[Path | None, options.out_option("help.opt.out_sheet")] = None,
    force: options.Force = False,
) -> None:
    """kpi followups due → figures.followups.due_in(), as a table, JSON or the survey sheet."""
    from kpi.db.gate import refuse
    from kpi.figures.followups import due_in
    from kpi.present.followups import check_options, render

    check_options(fmt, out)
    refuse(out, force)
    with store.reading(known_at) as con:
        result = due_in(con, as_of if as_of is not None else fy)
    console.emit(render(result, fmt, console.words, out is not None), out, force)


@command("sheets", "help.followups_sheets", group=followups)
def sheets_command(
    console: Console,
    store: Store,
    out: Annotated[Path, options.out_option("help.opt.out_sheets", folder=True)],
    as_of: options.SurveyYear = None,
    force: options.ForceFolder = False,
) -> None:
    """kpi followups sheets → present.followups.send(): a workbook per organisation, the sending recorded; a year
    to come refused before anything is written, a deadline already passed said."""
    from kpi.db.sent import sending_day
    from kpi.present.followups import send, sent_lines

    with store.reading() as con:
        today = sending_day(con, as_of)
    sent = send(store, console.words, as_of, out, force)
    console.say(sent_lines(sent, console.words))
    if sent.written and sent.due.deadline < today:
        deadline, n = sent.due.deadline.isoformat(), len(sent.due.surveys)
        console.say(console.words("followups.sent_overdue", fy=sent.due.fy, deadline=deadline, today=today, n=n))


@command("status", "help.followups_status", group=followups)
def status_command(
    console: Console,
    store: Store,
    as_of: options.SurveyYear = None,
    fmt: Annotated[Format, options.format_option(StatusFormat)] = Format.table,
    out: Annotated[Path | None, options.out_option("help.opt.out_status")] = None,
    force: options.Force = False,
    known_at: options.KnownAtOption = None,
) -> None:
    """kpi followups status → figures.responses.responses_in(), per round and per organisation."""
    _responses(console, store, as_of, known_at, "status", fmt, out, force)


@command("remind", "help.followups_remind", group=followups)
def remind_command(
    console: Console,
    store: Store,
    as_of: options.SurveyYear = None,
    fmt: Annotated[Format, options.format_option(RemindFormat)] = Format.markdown,
    out: Annotated[Path | None, options.out_option("help.opt.out_remind")] = None,
    force: options.Force = False,
    known_at: options.KnownAtOption = None,
) -> None:
    """kpi followups remind → the surveys not answered, per organisation: markdown for a mail, CSV for Excel."""
    _responses(console, store, as_of, known_at, "remind", fmt, out, force)


def _responses(
    console: Console,
    store: Store,
    as_of: int | None,
    known_at: KnownAt | None,
    view: str,
    fmt: Format,
    out: Path | None,
    force: bool,
) -> None:
    """The answers to the rounds sent, read once and rendered as `view` (status or remind)."""
    from kpi.db.gate import refuse
    from kpi.figures.responses import responses_in
    from kpi.present.responses import render_remind, render_status

    refuse(out, force)
    with store.reading(known_at) as con:
        result = responses_in(con, as_of)
    render = render_status if view == "status" else render_remind
    console.emit(render(result, fmt, console.words, out is not None), out, force)
