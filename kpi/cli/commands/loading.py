"""`kpi load`: the programme's records into the store, every file or none."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from kpi.cli import options
from kpi.cli.app import command
from kpi.cli.help import HELP
from kpi.cli.output import Console
from kpi.db.store import Store
from kpi.load.decode import InEncoding
from kpi.load.files import Kind


def renumbering(text: str) -> str:
    """--renumbered: why a list sharing few IDs with the stored one (or another 予算事業ID) is this programme's,
    as text (blanks are no reason)."""
    try:
        return options.reason(text)
    except options.Refused:
        raise options.Refused("cli.renumbered_blank") from None


Renumbered = Annotated[
    str | None,
    typer.Option(
        "--renumbered",
        help=HELP("help.opt.renumbered"),
        parser=renumbering,
        metavar="<reason>",
        show_default=False,
    ),
]


@command("load", "help.load")
def load_command(
    console: Console,
    store: Store,
    paths: Annotated[list[Path], options.in_argument("help.opt.paths")],
    kind: Annotated[
        Kind | None, typer.Option("--kind", help=HELP("help.opt.kind"), metavar="<kind>", show_default=False)
    ] = None,
    encoding: Annotated[
        InEncoding | None, typer.Option("--encoding", help=HELP("help.opt.encoding_in"), show_default=False)
    ] = None,
    project_id: Annotated[int | None, typer.Option("--project-id", help=HELP("help.opt.project_id"))] = None,
    snapshot: options.Snapshot = None,
    quiet: options.Quiet = False,
    max_file_size: options.MaxFileSize = None,
    reopen: options.Reopen = None,
    renumbered: Renumbered = None,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help=HELP("help.opt.sheet"), metavar="<name>", show_default=False),
    ] = None,
) -> None:
    """kpi load → load.ingest.load(): read, check and write in one transaction, with progress on a terminal."""
    from kpi.figures.submissions import closing
    from kpi.load import ingest
    from kpi.present.messages import load_table

    progress = console.progress(quiet)
    guard = lambda con: closing(con, reopen)  # noqa: E731 (a closed year is checked before the load commits)
    with store.writing() as con, progress or nullcontext():
        loaded = ingest.load(
            con,
            paths,
            kind,
            encoding,
            project_id,
            snapshot,
            progress,
            store.path,
            max_file_size,
            guard,
            reopen,
            renumbered,
            sheet,
        )
    if not quiet:
        console.say(load_table(*loaded, console.words))


@command("undo", "help.undo")
def undo_command(
    console: Console,
    store: Store,
    load: Annotated[int | None, typer.Argument(help=HELP("help.opt.undo_load"), show_default=False)] = None,
    reopen: options.Reopen = None,
) -> None:
    """kpi undo → load.ingest.undo(): a load reverted as a new load, a closed year checked as for any load."""
    from kpi.figures.submissions import closing
    from kpi.load import ingest
    from kpi.present.submissions import undone_line

    with store.writing() as con:
        done = ingest.undo(con, load, store.path, lambda c: closing(c, reopen), reopen)
    console.say(undone_line(done, console.words))
