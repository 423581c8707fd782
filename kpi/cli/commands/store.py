"""`kpi backup`, `kpi restore`, `kpi loads`, `kpi lists`: the store itself — its copies, and what it holds."""

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
from kpi.present.formats import ListingFormat


@command("backup", "help.backup")
def backup_command(
    console: Console,
    store: Store,
    out: Annotated[Path | None, options.out_option("help.opt.backup_out")] = None,
    force: Annotated[bool, typer.Option("--force", help=HELP("help.opt.backup_force"))] = False,
) -> None:
    """kpi backup → db.backup.checked_copy(): a consistent copy, read back whole."""
    from kpi.db.backup import checked_copy, require
    from kpi.db.gate import refuse
    from kpi.present.history import backup_line

    require(store.path)
    refuse(out, force)
    with store.writing(upgrade_schema=False) as con:  # a backup leaves an older schema as it is
        copy = checked_copy(con, store.path, out, force)
    console.say(backup_line(copy, console.words))


@command("restore", "help.restore")
def restore_command(
    console: Console,
    store: Store,
    backup_file: Annotated[Path, options.in_argument("help.opt.backup_file")],
    other_programme: Annotated[bool, typer.Option("--other-programme", help=HELP("help.opt.other_programme"))] = False,
) -> None:
    """kpi restore → db.backup.restore(): the backup checked whole, copied in, the replaced state kept."""
    from kpi.db.backup import restore
    from kpi.present.history import restored_line

    done = restore(store.path, backup_file, store.wait, other_programme)
    console.say(restored_line(done, console.words))


class LoadAction(StrEnum):
    """What `kpi loads` shows besides the list: what one load changed."""

    show = "show"


@command("loads", "help.loads")
def loads_command(
    console: Console,
    store: Store,
    action: Annotated[LoadAction | None, typer.Argument(help=HELP("help.opt.loads_action"), show_default=False)] = None,
    number: Annotated[int | None, typer.Argument(help=HELP("help.opt.loads_number"), show_default=False)] = None,
    fmt: options.ListingFormatOption = ListingFormat.table,
    known_at: options.KnownAtOption = None,
    out: Annotated[Path | None, options.out_option("help.opt.out_listing")] = None,
    force: options.Force = False,
) -> None:
    """kpi loads → figures.history.loads(); kpi loads show N → figures.history.load_changes()."""
    from kpi.db.gate import refuse
    from kpi.errors import UsageProblem

    refuse(out, force)
    if action is not None:
        if number is None or known_at is not None:
            raise UsageProblem("loads.show_needs_number" if number is None else "loads.show_known_at")
        from kpi.figures.history import load_changes
        from kpi.figures.programme import settings
        from kpi.fiscal import calendar_of
        from kpi.present.history import render_load_changes

        with store.reading() as con:
            changes, timezone = load_changes(con, number), calendar_of(settings(con))
        console.emit(render_load_changes(changes, fmt, console.words, timezone), out, force)
        return
    from kpi.figures.history import loads
    from kpi.figures.programme import settings
    from kpi.fiscal import calendar_of
    from kpi.present.history import render_loads

    with store.reading(known_at) as con:
        records, timezone = loads(con), calendar_of(settings(con))
    console.emit(render_loads(records, fmt, console.words, timezone), out, force)


@command("lists", "help.lists")
def lists_command(
    console: Console,
    store: Store,
    fmt: options.ListingFormatOption = ListingFormat.table,
    known_at: options.KnownAtOption = None,
    out: Annotated[Path | None, options.out_option("help.opt.out_listing")] = None,
    force: options.Force = False,
) -> None:
    """kpi lists → figures.history.lists()."""
    from kpi.db.gate import refuse
    from kpi.figures.history import lists
    from kpi.present.history import render_lists

    refuse(out, force)
    with store.reading(known_at) as con:
        records = lists(con)
    console.emit(render_lists(records, fmt, console.words), out, force)
