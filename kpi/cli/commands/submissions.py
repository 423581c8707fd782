"""`kpi submissions`: the register of what was sent — the list, one submission, and why two differ."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kpi.cli import options
from kpi.cli.app import command
from kpi.cli.help import HELP
from kpi.cli.output import Console
from kpi.db.store import Store
from kpi.present.formats import RecordFormat


class Action(StrEnum):
    """What `kpi submissions` shows: one submission, or how it differs from another (or from now)."""

    show = "show"
    diff = "diff"


@command("submissions", "help.submissions")
def submissions_command(
    console: Console,
    store: Store,
    action: Annotated[
        Action | None, typer.Argument(help=HELP("help.opt.submission_action"), show_default=False)
    ] = None,
    numbers: Annotated[
        list[int] | None, typer.Argument(help=HELP("help.opt.submission_numbers"), show_default=False)
    ] = None,
    fmt: options.RecordFormatOption = RecordFormat.table,
    out: Annotated[Path | None, options.out_option("help.opt.out_record")] = None,
    force: options.Force = False,
) -> None:
    """kpi submissions [show N | diff N [M]] → db.submissions / figures.submissions.diff(), present.submissions."""
    from kpi.figures.programme import settings
    from kpi.fiscal import calendar_of
    from kpi.present.submissions import check_options, read, render

    check_options(action, numbers or [], fmt, out, force)
    with store.reading() as con:
        result = read(con, str(action) if action else None, numbers or [])
        timezone = calendar_of(settings(con))
    console.emit(render(result, fmt, console.words, timezone), out, force)
