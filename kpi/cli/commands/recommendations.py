"""`kpi recommendations`: the working group's recommendations and what has been done about them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kpi.cli import options
from kpi.cli.app import command
from kpi.cli.help import HELP
from kpi.cli.output import Console
from kpi.db.store import Store
from kpi.present.formats import Format
from kpi.present.recommendations import RecommendationFormat

RecommendationFormatOption = Annotated[Format, options.format_option(RecommendationFormat)]


@command("recommendations", "help.recommendations")
def recommendations_command(
    console: Console,
    store: Store,
    round_: Annotated[
        str | None, typer.Option("--round", help=HELP("help.opt.recommendations_round"), show_default=False)
    ] = None,
    fmt: RecommendationFormatOption = Format.table,
    known_at: options.KnownAtOption = None,
    out: Annotated[Path | None, options.out_option("help.opt.out_recommendations")] = None,
    force: options.Force = False,
) -> None:
    """kpi recommendations → figures.recommendations.recommendations(), present.recommendations."""
    from kpi.db.gate import refuse
    from kpi.figures.recommendations import recommendations
    from kpi.present.recommendations import render, round_asked

    asked = round_asked(round_)
    refuse(out, force)
    with store.reading(known_at) as con:
        found = recommendations(con, asked)
    console.emit(render(found, fmt, console.words, asked), out, force)
