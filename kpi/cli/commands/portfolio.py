"""`kpi portfolio` and `kpi explain`: many programmes in one view, and the themes behind a figure."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kpi.cli import options
from kpi.cli.app import command
from kpi.cli.help import HELP
from kpi.cli.output import Console
from kpi.db.store import Store
from kpi.present.formats import PortfolioFormat, RecordFormat

KpiOption = Annotated[str | None, typer.Option("--explain", help=HELP("help.opt.explain_kpi"), metavar="<kpi>")]
ProgrammeOption = Annotated[int | None, typer.Option("--programme", help=HELP("help.opt.programme"), metavar="<id>")]


@command("portfolio", "help.portfolio")
def portfolio_command(
    console: Console,
    programmes: Annotated[list[Path], options.in_argument("help.opt.paths_portfolio")],
    as_of: options.AsOf = None,
    known_at: options.KnownAtOption = None,
    fmt: options.PortfolioFormatOption = PortfolioFormat.table,
    out: Annotated[Path | None, options.out_option("help.opt.out_portfolio")] = None,
    force: options.Force = False,
    explain: KpiOption = None,
    programme: ProgrammeOption = None,
    wait: options.Wait = None,
    by: options.By = None,
) -> None:
    """kpi portfolio → figures.portfolio.portfolio() of the files attached read-only; faults named, worst exit."""
    from kpi.db.attach import programme_files
    from kpi.figures.portfolio import portfolio
    from kpi.present.portfolio import check_options, fault_lines, render

    files = programme_files(programmes)  # (each one protected from the output: kpi.db.gate)
    check_options(fmt, out, force, explain)
    result = portfolio(files, as_of, known_at, options.wait_of(wait), explain, programme, by=by)
    console.emit(render(result, fmt, console.words), out, force)
    if result.faults:
        console.say(fault_lines(result, console.words))
        raise typer.Exit(result.exit_code)


@command("explain", "help.explain")
def explain_command(
    console: Console,
    store: Store,
    kpi: Annotated[str, typer.Argument(help=HELP("help.opt.kpi"), show_default=False)],
    as_of: options.AsOf = None,
    programme: ProgrammeOption = None,
    known_at: options.KnownAtOption = None,
    fmt: options.RecordFormatOption = RecordFormat.table,
    out: Annotated[Path | None, options.out_option("help.opt.out_record")] = None,
    force: options.Force = False,
    by: options.By = None,
) -> None:
    """kpi explain → figures.explain.explain(): every theme of the list in force by its part in the KPI."""
    from kpi.figures.explain import explain
    from kpi.present.portfolio import check_explain_options, render_explain

    check_explain_options(fmt, out, force)
    with store.reading(known_at) as con:
        result = explain(con, kpi, as_of, programme, by)
    console.emit(render_explain(result, fmt, console.words), out, force)
