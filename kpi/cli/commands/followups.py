"""`kpi followups due`: the follow-up surveys to send, and the sheet the companies fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from kpi.cli import options
from kpi.cli.app import command, followups
from kpi.cli.output import Console
from kpi.db.store import Store
from kpi.present.formats import Format


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
