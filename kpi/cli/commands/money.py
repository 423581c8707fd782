"""`kpi money`: per-theme budget coverage, concentration, the budget per achieved theme, outputs per 100億円."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kpi.cli import options
from kpi.cli.app import command
from kpi.cli.help import HELP
from kpi.cli.output import Console
from kpi.db.store import Store
from kpi.figures.money import DEFAULT_TOP
from kpi.present.formats import Format
from kpi.present.money import MoneyFormat

MoneyFormatOption = Annotated[Format, options.format_option(MoneyFormat)]


@command("money", "help.money")
def money_command(
    console: Console,
    store: Store,
    as_of: options.AsOf = None,
    fmt: MoneyFormatOption = Format.table,
    out: Annotated[Path | None, options.out_option("help.opt.out_money")] = None,
    top: Annotated[int, typer.Option("--top", min=1, help=HELP("help.opt.top_money"))] = DEFAULT_TOP,
    force: options.Force = False,
    known_at: options.KnownAtOption = None,
) -> None:
    """kpi money → figures.money.money(), present.money.render()."""
    from kpi.db.gate import refuse
    from kpi.figures.money import money
    from kpi.figures.programme import require_data
    from kpi.present.money import render

    refuse(out, force)
    with store.reading(known_at) as con:
        require_data(con)
        found = money(con, as_of, top)
    console.emit(render(found, fmt, console.words), out, force)
