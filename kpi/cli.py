"""The command line: parses options, prints, and sets exit codes. Nothing else happens here."""

from __future__ import annotations

import functools
import json
import os
import signal
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, ParamSpec

import typer

from kpi import __version__
from kpi.errors import ExitCode, InputRejected, KpiError, UsageProblem

P = ParamSpec("P")

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,  # never print locals (data) into a terminal or cron mail
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Outcome KPIs, budget execution and evaluation tables of an R&D fund programme.",
)


class Format(StrEnum):
    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    html = "html"


class Lang(StrEnum):
    ja = "ja"
    en = "en"


class LogFormat(StrEnum):
    text = "text"
    json = "json"


class Terminated(BaseException):
    """SIGTERM, raised where the process is so that open transactions roll back."""


DbOption = Annotated[
    Path | None, typer.Option("--db", help="Database file. [default: $KPI_DB, else ./kpi.duckdb]", show_default=False)
]
WaitOption = Annotated[
    float | None,
    typer.Option(
        "--wait", help="Seconds to wait for a busy database. [default: $KPI_WAIT, else 30]", show_default=False
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Fiscal year: 2025, R7 or 令和7年度. [default: the current fiscal year]", show_default=False
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
LangOption = Annotated[Lang, typer.Option("--lang", help="Language of labels.")]

_log_format = LogFormat.text
FAILURES_SHOWN = 200  # rows of the failure table on stderr; --log-format json writes every one


def say(message: str) -> None:
    """A message for the person or the log: always stderr, so stdout carries only data."""
    if not message:
        return
    if _log_format is LogFormat.json:
        sys.stderr.write(json.dumps({"level": "info", "message": message}, ensure_ascii=False) + "\n")
    else:
        sys.stderr.write(message.rstrip("\n") + "\n")


def out(text: str) -> None:
    """Data for stdout (a report, JSON, CSV)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def _wait(option: float | None) -> float:
    from kpi.store import DEFAULT_WAIT

    if option is not None:
        return option
    env = os.environ.get("KPI_WAIT")
    try:
        return float(env) if env else DEFAULT_WAIT
    except ValueError:
        raise UsageProblem(f"$KPI_WAIT must be a number of seconds, not {env!r}") from None


def _need_charts() -> None:
    import importlib.util

    if importlib.util.find_spec("matplotlib") is None or importlib.util.find_spec("matplotlib_fontja") is None:
        raise UsageProblem("charts need the charts extra: pip install 'kpi[charts]' (matplotlib and its Japanese font)")


def _as_of(option: str | None) -> int:
    from kpi.fiscal import current_fy, parse_fy

    if option is None:
        return current_fy()
    try:
        return parse_fy(option)
    except ValueError as exc:
        raise UsageProblem(f"--as-of: {exc}") from None


def _fail(message: str, code: int, failures: list[Any] | None = None) -> NoReturn:
    if _log_format is LogFormat.json:
        for f in failures or []:
            record = {
                "level": "error",
                "file": f.file,
                "line": f.line,
                "column": f.column,
                "value": f.value,
                "rule": f.rule,
            }
            sys.stderr.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stderr.write(
            json.dumps({"level": "error", "message": message, "exit_code": int(code)}, ensure_ascii=False) + "\n"
        )
    else:
        if failures:
            from kpi.render import failures_table

            sys.stderr.write(failures_table(failures, limit=FAILURES_SHOWN) + "\n")
        sys.stderr.write(f"kpi: {message}\n")
    sys.exit(int(code))


def _written() -> str:
    from kpi import store

    return "the load had been committed: the data is stored" if store.committed() else "nothing was written"


def handled(command: Callable[P, None]) -> Callable[P, None]:
    """Map every outcome of a command to one message and one exit code (README, 'Exit codes')."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        debug = "--debug" in sys.argv
        try:
            command(*args, **kwargs)
        except KeyboardInterrupt:
            _fail(f"interrupted (Ctrl-C); {_written()}", ExitCode.INTERRUPTED)
        except Terminated:
            _fail(f"terminated (SIGTERM); {_written()}", ExitCode.TERMINATED)
        except InputRejected as exc:
            _fail(str(exc), exc.exit_code, exc.failures)
        except KpiError as exc:
            if debug:
                raise
            _fail(str(exc), exc.exit_code)
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # a bug: one line for the user, the traceback only with --debug
            if debug:
                raise
            _fail(
                f"internal error: {type(exc).__name__}: {exc} (run again with --debug for details)", ExitCode.INTERNAL
            )

    return run


@app.callback(invoke_without_command=True)
def _options(
    ctx: typer.Context,
    log_format: Annotated[
        LogFormat, typer.Option("--log-format", help="Messages on stderr as text or one JSON object per line.")
    ] = LogFormat.text,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on internal errors.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    global _log_format
    _log_format = log_format
    if version:
        out(f"kpi {__version__}\n")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        out(ctx.get_help() + "\n")


@app.command()
@handled
def load(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to load.", show_default=False)],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="themes, budget, followups, outputs, grants, stagegate, evaluation, published, rs or programme "
            "(else from each file's name).",
        ),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="CSV encoding (utf-8, utf-8-sig, cp932). [default: detected]")
    ] = None,
    project_id: Annotated[
        int | None, typer.Option("--project-id", help="RS files: the 予算事業ID to keep. [default: the programme's]")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")] = False,
    db: DbOption = None,
    wait: WaitOption = None,
) -> None:
    """Load the programme's records (themes, budget, follow-ups, outputs, …): all files or none.

    Every row is checked against the input contract (README); if any row of any file
    fails, nothing is written and every failure is listed with its file and line.

    RS open-data files (2-1_RS_…, 3-1_RS_…) keep the rows of one project (--project-id).

    Example: kpi load sample_data/
    """
    from kpi import ingest, render, store

    path = store.db_path(str(db) if db else None)
    batch = ingest.read_files(paths, kind, encoding, project_id, lambda: store.stored_project_id(path, _wait(wait)))
    with store.open_for_write(path, _wait(wait)) as con:
        results = ingest.load_files(con, batch)
    if not quiet:
        say(render.load_results(results, batch.skipped))


@app.command()
@handled
def report(
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.ja,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write to this file instead of stdout (required for html).")
    ] = None,
    all_rows: Annotated[
        bool, typer.Option("--all", help="List every theme in the theme lists (default: the first 100 of each).")
    ] = False,
    db: DbOption = None,
    wait: WaitOption = None,
) -> None:
    """Print the outcome KPIs, status tables, budget execution, trend, theme lists and other figures.

    --format html --out report.html writes one self-contained page with charts
    (needs the charts extra: pip install 'kpi[charts]').

    Example: kpi report --as-of 2025 --format json
    """
    from kpi import metrics, render, store

    fy = _as_of(as_of)
    if fmt is Format.html:
        if out_file is None:
            raise UsageProblem("--format html writes a file: add --out report.html")
        _need_charts()
    with store.open_for_read(store.db_path(str(db) if db else None), _wait(wait)) as con:
        if not metrics.has_data(con):
            raise InputRejected("the database holds no themes or budget yet; load data first: kpi load sample_data/")
        result = metrics.report(con, fy, None if all_rows else metrics.LIST_LIMIT)
        if fmt is Format.html:
            from kpi import html_report

            text = html_report.report_html(result, con, lang.value)
        else:
            text = render.report(result, fmt.value, lang.value)
    if out_file is None:
        out(text)
    else:
        from kpi import export

        written = export.write_files(out_file.parent, {out_file.name: text.encode("utf-8")}, force=True)
        say(f"wrote {written[0]}")


@app.command()
@handled
def check(
    as_of: AsOfOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing; only the exit code speaks.")] = False,
    db: DbOption = None,
    wait: WaitOption = None,
) -> None:
    """Exit 0 when every measurable KPI meets its target, 1 when one does not (for cron and schedulers).

    Measured: the short-term ratio and the long-term ratio over themes past their follow-up
    horizon; the official long-term ratio from its judging year (programme settings) on.
    A KPI whose denominator is 0 is not measurable and does not fail.

    Example: kpi check --as-of 2025 --quiet || echo "a KPI is below target"
    """
    from kpi import metrics, render, store

    fy = _as_of(as_of)
    with store.open_for_read(store.db_path(str(db) if db else None), _wait(wait)) as con:
        if not metrics.has_data(con) or metrics.programme(con) is None:
            raise InputRejected("no themes or programme settings loaded; load data first: kpi load sample_data/")
        results = metrics.check(metrics.report(con, fy))
    if not quiet:
        out(render.check(fy, results, fmt))
    if any(r["counts"] and r["met"] is False for r in results):
        raise typer.Exit(ExitCode.TARGET_MISSED)


@app.command()
@handled
def export(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder to write the submission files into.", show_default=False)
    ],
    as_of: AsOfOption = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="csv (one file per table) or xlsx (one workbook).")
    ] = "csv",
    encoding: Annotated[str, typer.Option("--encoding", help="utf-8-sig (Excel), cp932 or utf-8.")] = "utf-8-sig",
    lang: LangOption = Lang.ja,
    force: Annotated[bool, typer.Option("--force", help="Replace files already in the folder.")] = False,
    db: DbOption = None,
    wait: WaitOption = None,
) -> None:
    """Write the ministry submission files for one fiscal year, with a manifest of checksums.

    Files: outcome_kpis, status_summary, by_element, budget_execution, themes (.csv, CRLF,
    UTF-8 with BOM by default) and manifest.json. Text that Excel would run as a formula
    is written with a leading '.

    Example: kpi export --as-of 2025 --out submission/
    """
    from kpi import export as exporter
    from kpi import metrics, store

    fy = _as_of(as_of)
    if fmt not in ("csv", "xlsx"):
        raise UsageProblem(f"--format must be csv or xlsx, not {fmt!r}")
    with store.open_for_read(store.db_path(str(db) if db else None), _wait(wait)) as con:
        if not metrics.has_data(con):
            raise InputRejected("the database holds no themes or budget yet; load data first: kpi load sample_data/")
        files = exporter.build_files(
            metrics.report(con, fy, list_limit=None),
            metrics.all_themes(con),
            metrics.sources(con),
            lang.value,
            encoding,
            fmt,
        )
    written = exporter.write_files(out_dir, files, force)
    say("\n".join(f"wrote {p}" for p in written))


@app.command()
@handled
def stagegate(
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.ja,
    db: DbOption = None,
    wait: WaitOption = None,
) -> None:
    """List each reviewed theme's mean stage-gate score and the rule's decision.

    Rule (3-3 ③): mean ≥ 60 continue in principle; 40 ≤ mean < 60 consider with the
    special notes; mean < 40 terminate in principle. Themes with no review are listed too.

    Example: kpi stagegate --as-of 2025
    """
    from kpi import metrics, render, store

    fy = _as_of(as_of)
    with store.open_for_read(store.db_path(str(db) if db else None), _wait(wait)) as con:
        result = metrics.stage_gate(con, fy, limit=None)
    out(render.stage_gate(result, fmt.value, lang.value))


@app.command()
@handled
def reconcile(
    fmt: FormatOption = Format.table,
    db: DbOption = None,
    wait: WaitOption = None,
) -> None:
    """Compare the computed figures with the ones the evaluation report printed; exit 1 if any differ.

    The published figures (sample_data/published.csv, loaded by kpi load) are snapshots:
    each disagreement is shown with both numbers and the themes behind them.

    Example: kpi reconcile --format json
    """
    from kpi import reconcile as reconciler
    from kpi import render, store

    with store.open_for_read(store.db_path(str(db) if db else None), _wait(wait)) as con:
        results = reconciler.reconcile(con)
    if not results:
        raise InputRejected("no published figures loaded; load them first: kpi load sample_data/published.csv")
    out(render.reconcile(results, fmt.value))
    if not all(r["agree"] for r in results):
        raise typer.Exit(ExitCode.TARGET_MISSED)


@app.command()
@handled
def chart(
    name: Annotated[str, typer.Argument(help="short_term, long_term, budget or status.", show_default=False)],
    out_file: Annotated[Path, typer.Option("--out", help="FILE.png (300 dpi) or FILE.svg.", show_default=False)],
    as_of: AsOfOption = None,
    lang: LangOption = Lang.ja,
    db: DbOption = None,
    wait: WaitOption = None,
) -> None:
    """Draw one chart for documents: the short-term trend, long-term maturity, budget, or status by element.

    Needs the charts extra (pip install 'kpi[charts]'); the Japanese font ships with it.

    Example: kpi chart short_term --as-of 2025 --out short_term.png
    """
    from kpi import charts, metrics, store

    _need_charts()
    if name not in charts.CHARTS:
        raise UsageProblem(f"unknown chart {name!r}; use one of: {', '.join(charts.CHARTS)}")
    if out_file.suffix.lower() not in charts.FORMATS:
        raise UsageProblem(f"--out must end in {' or '.join(charts.FORMATS)}, not {out_file.name!r}")
    fy = _as_of(as_of)
    with store.open_for_read(store.db_path(str(db) if db else None), _wait(wait)) as con:
        if not metrics.has_data(con):
            raise InputRejected("the database holds no themes or budget yet; load data first: kpi load sample_data/")
        written = charts.save_chart(metrics.report(con, fy), con, name, lang.value, out_file)
    say(f"wrote {written}")


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated()


def main() -> None:
    """Entry point of the `kpi` command."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    app()
