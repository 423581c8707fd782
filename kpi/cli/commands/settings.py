"""`kpi init`: the settings file a new programme starts from."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kpi.cli import options
from kpi.cli.app import command
from kpi.cli.help import HELP
from kpi.cli.output import Console


@command("init", "help.init")
def init_command(
    console: Console,
    out: Annotated[Path, options.out_option("help.opt.init_out", Path("programme.toml"))] = Path("programme.toml"),
    force: Annotated[bool, typer.Option("--force", help=HELP("help.opt.init_force"))] = False,
) -> None:
    """kpi init → the catalogue's settings template, written atomically; an existing file only with --force."""
    from kpi.present.settings_file import template

    console.emit(template(out, console.words), out, force, said="init.wrote")
