"""`kpi schedule` and `kpi schedule due`: each theme's plan (3-3's schedule) with its status, and the events due."""

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
from kpi.present.formats import Format
from kpi.present.milestones import ScheduleFormat

ScheduleFormatOption = Annotated[Format, options.format_option(ScheduleFormat)]


class ScheduleView(StrEnum):
    """What `kpi schedule` lists: the plans (no argument), or the events due."""

    due = "due"


@command("schedule", "help.schedule")
def schedule_command(
    console: Console,
    store: Store,
    view: Annotated[
        ScheduleView | None, typer.Argument(help=HELP("help.opt.schedule_view"), show_default=False)
    ] = None,
    as_of: options.AsOf = None,
    fmt: ScheduleFormatOption = Format.table,
    known_at: options.KnownAtOption = None,
    out: Annotated[Path | None, options.out_option("help.opt.out_schedule")] = None,
    force: options.Force = False,
) -> None:
    """kpi schedule → figures.milestones.plans(); kpi schedule due → figures.milestones.due()."""
    from kpi.db.gate import refuse
    from kpi.figures.milestones import due, plans
    from kpi.present.milestones import render, render_due

    refuse(out, force)
    with store.reading(known_at) as con:
        if view is ScheduleView.due:
            shown = render_due(due(con, as_of), fmt, console.words)
        else:
            shown = render(plans(con, as_of), fmt, console.words)
    console.emit(shown, out, force)
