"""The figures: `kpi report`, `kpi check`, `kpi export`, `kpi chart`, `kpi changes`, `kpi stagegate`,
`kpi reconcile`."""

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
from kpi.errors import ExitCode
from kpi.present.formats import (
    ChangesFormat,
    ChartName,
    CheckFormat,
    ExportFormat,
    OutEncoding,
    ReportFormat,
    Stage,
    TableFormat,
)


@command("report", "help.report")
def report_command(
    console: Console,
    store: Store,
    as_of: options.AsOf = None,
    fmt: options.ReportFormatOption = ReportFormat.table,
    out: Annotated[Path | None, options.out_option("help.opt.out_report")] = None,
    all_rows: options.AllRows = False,
    force: options.Force = False,
    known_at: options.KnownAtOption = None,
    by: options.By = None,
) -> None:
    """kpi report → figures.report.report(), rendered by present.report.render(); with --by,
    figures.breakdown.breakdown() rendered by present.breakdown.render()."""
    from kpi.db.gate import refuse
    from kpi.present.report import check_options, needs_schedule, render, render_breakdown

    check_options(fmt, out, by)
    refuse(out, force)
    if by is not None:
        from kpi.figures.breakdown import breakdown

        with store.reading(known_at) as con:
            found = breakdown(con, by, as_of)
        console.emit(render_breakdown(found, fmt, console.words, out is not None), out, force)
        return
    from kpi.figures.report import report

    with store.reading(known_at) as con:
        figures = report(con, as_of, all_rows, needs_schedule(fmt))
    console.emit(render(figures, fmt, console.words, out is not None), out, force)


@command("check", "help.check")
def check_command(
    console: Console,
    store: Store,
    as_of: options.AsOf = None,
    fmt: options.CheckFormatOption = CheckFormat.text,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=HELP("help.opt.check_quiet"))] = False,
    known_at: options.KnownAtOption = None,
    max_overdue_days: Annotated[
        int | None,
        typer.Option("--max-overdue-days", min=0, help=HELP("help.opt.max_overdue_days"), show_default=False),
    ] = None,
) -> None:
    """kpi check → figures.check.check(): exit 1 on a KPI judged not met, else 4 on a survey unanswered more than
    --max-overdue-days past its deadline."""
    from kpi.figures.check import check
    from kpi.present.check import render

    with store.reading(known_at) as con:
        result = check(con, as_of, max_overdue_days)
    if not quiet:
        console.out(render(result, fmt, console.words))
    if result.failed:
        raise typer.Exit(ExitCode.TARGET_MISSED)
    if result.overdue:
        raise typer.Exit(ExitCode.OVERDUE)


# --as-of of `kpi export`: the year a submission is of is named, never today's by default (kpi.present.submit).
ExportAsOf = Annotated[
    int | None,
    typer.Option(
        "--as-of",
        help=HELP("help.opt.as_of_export"),
        parser=options.as_of_year,
        metavar="<str>",
        show_default=False,
    ),
]


@command("export", "help.export")
def export_command(
    console: Console,
    store: Store,
    out: Annotated[Path, options.out_option("help.opt.out_dir", folder=True)],
    as_of: ExportAsOf = None,
    fmt: options.ExportFormatOption = ExportFormat.csv,
    encoding: Annotated[
        OutEncoding, typer.Option("--encoding", help=HELP("help.opt.encoding_out"))
    ] = OutEncoding.utf_8_sig,
    force: options.ForceFolder = False,
    stage: Annotated[Stage, typer.Option("--stage", help=HELP("help.opt.stage"))] = Stage.preliminary,
    known_at: options.KnownAtOption = None,
    submission: Annotated[int | None, typer.Option("--submission", help=HELP("help.opt.submission"))] = None,
    confidential: Annotated[
        Path | None,
        typer.Option(
            "--confidential",
            help=HELP("help.opt.confidential"),
            click_type=options.ApartFile(),
            metavar=HELP("metavar.file"),
            show_default=False,
        ),
    ] = None,
    by: options.By = None,
) -> None:
    """kpi export → present.submit: the files written and registered as a submission (or one written again), said
    under a first line naming the fiscal year they are of; the confidential answers, if asked, to their own file."""
    from kpi.present.submissions import submitted_lines
    from kpi.present.submit import apart_lines, refuse_with_number, resubmit, submit, year_line

    given = {"--as-of": as_of is not None, "--known-at": known_at is not None, "--by": by is not None}
    refuse_with_number(submission, {**given, **options.given("fmt", "encoding", "stage")})
    if submission is not None:
        done = resubmit(store, submission, out, force, confidential)
    else:
        done = submit(store, console.words, as_of, fmt, encoding, str(stage), out, force, known_at, confidential, by)
    lines = submitted_lines(done.number, done.stage, done.written, submission is not None, console.words)
    console.say("\n".join([year_line(done, out, console.words), lines, *apart_lines(done, console.words)]))


class GateView(StrEnum):
    """What `kpi stagegate` lists: the reviews (no argument), or the themes due a stage gate."""

    due = "due"


@command("stagegate", "help.stagegate")
def stagegate_command(
    console: Console,
    store: Store,
    view: Annotated[GateView | None, typer.Argument(help=HELP("help.opt.stagegate_view"), show_default=False)] = None,
    as_of: options.AsOf = None,
    fmt: options.TableFormatOption = TableFormat.table,
    all_rows: Annotated[bool, typer.Option("--all", help=HELP("help.opt.all_stagegate"))] = False,
    known_at: options.KnownAtOption = None,
) -> None:
    """kpi stagegate → figures.stagegate.for_year(); kpi stagegate due → figures.stagegate.due()."""
    from kpi.figures.stagegate import due, for_year
    from kpi.present.stagegate import render, render_due

    with store.reading(known_at) as con:
        if view is GateView.due:
            console.out(render_due(due(con, as_of), fmt, console.words, all_rows))
            return
        result = for_year(con, as_of)
    console.out(render(result, fmt, console.words, all_rows))


@command("reconcile", "help.reconcile")
def reconcile_command(
    console: Console,
    store: Store,
    fmt: options.TableFormatOption = TableFormat.table,
    known_at: options.KnownAtOption = None,
) -> None:
    """kpi reconcile → figures.reconcile.reconcile(); exit 1 when a figure differs."""
    from kpi.figures.reconcile import reconcile
    from kpi.present.reconcile import render

    with store.reading(known_at) as con:
        results = reconcile(con)
    console.out(render(results, fmt, console.words))
    if not all(r.agree for r in results):
        raise typer.Exit(ExitCode.TARGET_MISSED)


@command("chart", "help.chart")
def chart_command(
    console: Console,
    store: Store,
    name: Annotated[ChartName, typer.Argument(help=HELP("help.opt.chart"), show_default=False)],
    out: Annotated[Path, options.out_option("help.opt.chart_out")],
    as_of: options.AsOf = None,
    force: options.Force = False,
    known_at: options.KnownAtOption = None,
    by: options.By = None,
) -> None:
    """kpi chart → present.charts.chart_file() of figures.report.report(); with --by,
    present.charts.breakdown_file() of figures.breakdown.breakdown()."""
    from kpi.db.gate import refuse
    from kpi.figures.report import report
    from kpi.present import charts

    charts.require()
    charts.format_of(out)
    charts.check_by(name, by)
    refuse(out, force)
    if by is not None:
        from kpi.figures.breakdown import breakdown

        with store.reading(known_at) as con:
            found = breakdown(con, by, as_of)
        programme = found.programme.name if found.programme else None
        drawn = charts.breakdown_file(found, name, console.words, out, programme)
        console.emit(drawn, out, force, said="chart.wrote")
        return
    with store.reading(known_at) as con:
        figures = report(con, as_of, with_schedule=charts.needs_schedule(name))
    console.emit(charts.chart_file(figures, name, console.words, out), out, force, said="chart.wrote")


@command("changes", "help.changes")
def changes_command(
    console: Console,
    store: Store,
    since: options.Since = None,
    until: options.Until = None,
    fmt: options.ChangesFormatOption = ChangesFormat.table,
    known_at: options.KnownAtOption = None,
) -> None:
    """kpi changes → figures.changes.between() two dated theme lists, or two versions of one date's list."""
    from kpi.figures.changes import between
    from kpi.present.changes import render

    with store.reading(known_at) as con:
        result = between(con, since, until)
    console.out(render(result, fmt, console.words))
