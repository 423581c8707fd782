"""The command line: parses options, prints, and sets exit codes. Nothing else happens here."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, ParamSpec

import typer
from typer import _click as click  # typer 0.28 vendors click: its classes and exceptions live here
from typer._click import exceptions as click_errors
from typer.core import TyperCommand, TyperGroup, TyperOption

from kpi import __version__, interrupts
from kpi.errors import (
    DISK_FULL,
    CannotWrite,
    ExitCode,
    Failure,
    InputRejected,
    KpiError,
    NoData,
    NoSettings,
    UsageProblem,
)
from kpi.present.catalogue import DEFAULT_LANG, Lang, Words
from kpi.present.formats import ListingFormat
from kpi.present.wrap import first_sentence, wrap, wrap_paragraphs

P = ParamSpec("P")


def _early(option: str, env: str, choices: Sequence[str]) -> str | None:
    """An option's value read before parsing (help texts and usage errors need the language first): the
    command line's when it is one of `choices`, else the environment's."""
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        value = (
            args[i + 1]
            if arg == option and i + 1 < len(args)
            else arg.split("=", 1)[1]
            if arg.startswith(option + "=")
            else None
        )
        if value is not None and value.strip().lower() in choices:
            return value.strip().lower()
    value = os.environ.get(env, "").strip().lower()
    return value if value in choices else None


def _lang() -> Lang:
    return Lang(_early("--lang", "KPI_LANG", list(Lang.__members__)) or DEFAULT_LANG)


W = Words(_lang())  # help and usage errors speak the language asked for on the command line or in $KPI_LANG


class LogFormat(StrEnum):
    text = "text"
    json = "json"


class ReportFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    html = "html"


class TableFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


class OutEncoding(StrEnum):
    utf_8_sig = "utf-8-sig"
    cp932 = "cp932"
    utf_8 = "utf-8"


class InEncoding(StrEnum):
    utf_8 = "utf-8"
    utf_8_sig = "utf-8-sig"
    cp932 = "cp932"


class Kind(StrEnum):
    themes = "themes"
    budget = "budget"
    followups = "followups"
    outputs = "outputs"
    grants = "grants"
    stagegate = "stagegate"
    evaluation = "evaluation"
    published = "published"
    rs = "rs"
    programme = "programme"


class DueFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ChangesFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


class ChartName(StrEnum):
    short_term = "short_term"
    long_term = "long_term"
    budget = "budget"
    status = "status"


# ---------------------------------------------------------------------------- help in the user's language

_CLICK_WORDS = {
    "Options": "help.options",
    "Arguments": "help.arguments",
    "Commands": "help.commands",
}


class KpiHelpFormatter(click.HelpFormatter):
    """click's help layout with its own words (headings, [default: …], [required]) from the catalogue."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, W("help.usage"))

    def write_heading(self, heading: str) -> None:
        super().write_heading(W(_CLICK_WORDS[heading]) if heading in _CLICK_WORDS else heading)

    def write_text(self, text: str) -> None:
        self.write(wrap_paragraphs(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        """click's definition list, its second column wrapped by display width."""
        rows = [(term, _translate_help(text)) for term, text in rows]
        first_col = min(max((len(term) for term, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for term, text in rows:
            self.write(f"{indent}{term}")
            if not text:
                self.write("\n")
                continue
            if len(term) <= first_col - col_spacing:
                self.write(" " * (first_col - len(term)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(text, max(self.width - first_col - 2, 10)) or [""]
            pad = " " * (first_col + self.current_indent)
            self.write("".join(f"{line if i == 0 else pad + line}\n" for i, line in enumerate(lines)))


def _translate_help(text: str) -> str:
    text = text.replace("Show this message and exit.", W("help.help"))
    text = re.sub(r"\bdefault: ", W("help.default") + ": ", text)
    text = re.sub(r"\benv var: ", W("help.env") + ": ", text)
    return text.replace("[required]", f"[{W('help.required')}]")


class KpiContext(click.Context):
    formatter_class = KpiHelpFormatter


class KpiGroup(TyperGroup):
    context_class = KpiContext


class KpiCommand(TyperCommand):
    context_class = KpiContext


app = typer.Typer(
    cls=KpiGroup,
    add_completion=True,  # kpi --install-completion; its options' words are ours (command_line())
    pretty_exceptions_enable=False,  # never print locals (data) into a terminal or cron mail
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=W("help.app"),
    epilog=W("help.exit_codes"),
)


def command(name: str) -> Callable[[Callable[P, None]], Callable[P, None]]:
    """A subcommand whose --help is its catalogue entry help.<name>."""
    return app.command(name, cls=KpiCommand, help=W(f"help.{name}"), short_help=first_sentence(W(f"help.{name}")))


DbOption = Annotated[Path | None, typer.Option("--db", help=W("help.opt.db"), envvar="KPI_DB", show_default=False)]
WaitOption = Annotated[
    float | None, typer.Option("--wait", help=W("help.opt.wait"), envvar="KPI_WAIT", show_default=False)
]
AsOfOption = Annotated[str | None, typer.Option("--as-of", help=W("help.opt.as_of"), show_default=False)]
LangOption = Annotated[
    Lang | None, typer.Option("--lang", help=W("help.opt.lang"), envvar="KPI_LANG", show_default=False)
]
ForceOption = Annotated[bool, typer.Option("--force", help=W("help.opt.force_out"))]
LogOption = Annotated[
    LogFormat | None,
    typer.Option("--log-format", help=W("help.opt.log_format"), envvar="KPI_LOG_FORMAT", show_default=False),
]


# ---------------------------------------------------------------------------- what goes to stdout and stderr


class Output:
    """Where messages go and in what language, as the options of the running command set them."""

    log_format = LogFormat(_early("--log-format", "KPI_LOG_FORMAT", list(LogFormat.__members__)) or LogFormat.text)
    words = W


def say(message: str) -> None:
    """A message for the person or the log: always stderr, so stdout carries only data."""
    if not message:
        return
    if Output.log_format is LogFormat.json:
        _log({"level": "info", "message": message})
    else:
        _stderr(message.rstrip("\n") + "\n")


def out(text: str) -> None:
    """Data for stdout (a report, JSON, CSV)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def _stderr(text: str) -> None:
    """Text lines for stderr. When stderr is a file (cron's `2>> kpi.log`), each line starts with the local time
    (ISO 8601, as the JSON lines' `time`); a terminal, or a pipe whose reader keeps its own time (journald, cron's
    mail, a script), gets the lines as they are."""
    if _stderr_is_a_file():
        stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        text = "".join(f"{stamp} {line}" for line in text.splitlines(keepends=True))
    sys.stderr.write(text)


def _stderr_is_a_file() -> bool:
    import stat

    try:
        return stat.S_ISREG(os.fstat(sys.stderr.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):  # no descriptor (a test runner's buffer): not a file
        return False


def _log(record: dict[str, Any]) -> None:
    stamped = {"time": dt.datetime.now().astimezone().isoformat(timespec="seconds"), **record}
    sys.stderr.write(json.dumps(stamped, ensure_ascii=False) + "\n")


def _fail(message: str, code: int, failures: list[Failure] | None = None) -> NoReturn:
    """The one message of a failed command, then its exit code. From here on a signal changes nothing (the
    outcome is decided), and nothing heavy is imported: this also reports a signal that cut an import short.
    A message with nowhere to go (stderr on a full disk) is dropped: the exit code still tells."""
    interrupts.finish()
    w = Output.words
    try:
        if Output.log_format is LogFormat.json:
            if failures:
                from kpi.present.messages import rule_text
            for f in failures or []:
                _log(
                    {
                        "level": "error",
                        "file": f.file,
                        "line": f.line,
                        "column": f.column,
                        "value": f.value,
                        "rule": rule_text(f, w),
                    }
                )
            _log({"level": "error", "message": message, "exit_code": int(code)})
        else:
            if failures:
                from kpi.present.messages import failures_table

                _stderr(failures_table(failures, w) + "\n")
            _stderr(w("cli.error", message=message) + "\n")
        sys.stderr.flush()
    except OSError:
        sys.stderr = None  # type: ignore[assignment]  # (nor is it flushed again at exit)
    sys.exit(int(code))


def _stopped(signum: int) -> NoReturn:
    """Ctrl-C or SIGTERM: one line saying what was kept (a committed load, written files), exit 130 / 143."""
    w = Output.words
    joiner = "、" if w.lang is Lang.ja else "; "
    kept = joiner.join(w(key, **params) for key, params in interrupts.kept()) or w("cli.kept_nothing")
    if signum == interrupts.SIGTERM:
        _fail(w("cli.terminated", kept=kept), ExitCode.TERMINATED)
    _fail(w("cli.interrupted", kept=kept), ExitCode.INTERRUPTED)


def handled(command: Callable[P, None]) -> Callable[P, None]:
    """Map every outcome of a command to one message and one exit code (README, 'Exit codes')."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        lang, log_format = kwargs.get("lang"), kwargs.get("log_format")
        if isinstance(lang, Lang):
            Output.words = Words(lang)
        if isinstance(log_format, LogFormat):
            Output.log_format = log_format
        w = Output.words
        debug = "--debug" in sys.argv
        try:
            command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except BaseException as exc:
            signum = interrupts.received()
            if signum is not None:  # Ctrl-C or SIGTERM, however it came up (DuckDB: "Query interrupted")
                _stopped(signum)
            if not isinstance(exc, Exception):
                raise
            from kpi.present.messages import error_text

            if isinstance(exc, InputRejected):
                from kpi.present.messages import refusal_line

                one = refusal_line(exc, w) if Output.log_format is LogFormat.text else None
                _fail(one or error_text(exc, w), exc.exit_code, None if one else exc.failures)
            if debug:
                raise
            if isinstance(exc, KpiError):
                _fail(error_text(exc, w), exc.exit_code)
            if isinstance(exc, OSError) and exc.errno in DISK_FULL:  # stdout or stderr on a full disk
                committed = any(key == "cli.kept_commit" for key, _ in interrupts.kept())
                _fail(error_text(CannotWrite("io.disk_full_output", committed=committed), w), ExitCode.IO_ERROR)
            # a bug: one line for the user, the traceback only with --debug
            _fail(w("cli.internal", kind=type(exc).__name__, detail=exc), ExitCode.INTERNAL)

    return run


def _wait(option: float | None) -> float:
    from kpi.db.connect import DEFAULT_WAIT

    return DEFAULT_WAIT if option is None else option


def _as_of(option: str | None) -> int | None:
    """The fiscal year asked for (None: the current one, in the programme's calendar: figures.report.as_of_year)."""
    from kpi.fiscal import parse_fy

    if option is None:
        return None
    try:
        return parse_fy(option)
    except ValueError:
        raise UsageProblem("cli.as_of_invalid", value=option) from None


SIZE_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def _size(option: str | None) -> int:
    """--max-file-size as bytes: 2G, 500M, 1000000 (exit 2 when it is none of these)."""
    from kpi.load.files import MAX_FILE_BYTES

    if option is None:
        return MAX_FILE_BYTES
    m = re.fullmatch(r"\s*(\d+)\s*([KMGT]?)i?B?\s*", option.upper())
    if not m or int(m[1]) == 0:
        raise UsageProblem("cli.bad_size", value=option)
    return int(m[1]) * SIZE_UNITS[m[2]]


def _fiscal_year(con: Any, asked: int | None) -> int:
    from kpi.figures.report import as_of_year

    return as_of_year(con, asked)


def _date(option: str | None, name: str) -> dt.date | None:
    """A YYYY-MM-DD option as a date (exit 2 when it is none)."""
    if option is None:
        return None
    try:
        return dt.date.fromisoformat(option.strip())
    except ValueError:
        raise UsageProblem("cli.not_a_date", option=name, value=option) from None


def _need_charts() -> None:
    import importlib.util

    if importlib.util.find_spec("matplotlib") is None or importlib.util.find_spec("matplotlib_fontja") is None:
        raise UsageProblem("cli.charts_missing")


def _need_data(con: Any) -> None:
    from kpi.figures.report import has_data

    if not has_data(con):
        raise NoData("db.no_themes")


# ---------------------------------------------------------------------------- the commands


@app.callback(invoke_without_command=True)
def _options(
    ctx: typer.Context,
    log_format: Annotated[
        LogFormat, typer.Option("--log-format", help=W("help.opt.log_format"), envvar="KPI_LOG_FORMAT")
    ] = LogFormat.text,
    lang: LangOption = None,
    debug: Annotated[bool, typer.Option("--debug", help=W("help.opt.debug"))] = False,
    version: Annotated[bool, typer.Option("--version", help=W("help.opt.version"))] = False,
) -> None:
    Output.log_format = log_format
    Output.words = Words(lang or W.lang)
    if version:
        out(W("cli.version", version=__version__) + "\n")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        out(ctx.get_help() + "\n")


@command("load")
@handled
def load(
    paths: Annotated[list[Path], typer.Argument(help=W("help.opt.paths"), show_default=False)],
    kind: Annotated[
        Kind | None, typer.Option("--kind", help=W("help.opt.kind"), metavar="<kind>", show_default=False)
    ] = None,
    encoding: Annotated[
        InEncoding | None, typer.Option("--encoding", help=W("help.opt.encoding_in"), show_default=False)
    ] = None,
    project_id: Annotated[int | None, typer.Option("--project-id", help=W("help.opt.project_id"))] = None,
    snapshot: Annotated[str | None, typer.Option("--snapshot", help=W("help.opt.snapshot"), show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=W("help.opt.quiet"))] = False,
    max_file_size: Annotated[
        str | None, typer.Option("--max-file-size", help=W("help.opt.max_file_size"), show_default=False)
    ] = None,
    db: DbOption = None,
    wait: WaitOption = None,
    lang: LangOption = None,
    log_format: LogOption = None,
) -> None:
    """kpi load → load.ingest.load(): read, check and write in one transaction, with progress on a terminal."""
    from contextlib import nullcontext

    from kpi.db.connect import db_path, open_for_write
    from kpi.load import ingest
    from kpi.present.messages import load_table

    day = _date(snapshot, "--snapshot")
    limit = _size(max_file_size)
    progress = _progress(quiet)
    path = db_path(db)
    with open_for_write(path, _wait(wait)) as con, progress or nullcontext():
        results, skipped = ingest.load(
            con,
            paths,
            kind and str(kind),
            encoding and str(encoding),
            project_id,
            day,
            progress,
            db=path,
            max_bytes=limit,
        )
    if not quiet:
        say(load_table(results, skipped, Output.words))


def _progress(quiet: bool) -> Any:
    """The progress line of a long load: on a terminal only, never with --quiet or JSON log lines."""
    if quiet or Output.log_format is LogFormat.json or not _stderr_is_a_terminal():
        return None
    from kpi.present.progress import Progress

    return Progress(Output.words, sys.stderr)


def _stderr_is_a_terminal() -> bool:
    try:
        return os.isatty(sys.stderr.fileno())
    except (OSError, ValueError, AttributeError):
        return False


@command("report")
@handled
def report(
    as_of: AsOfOption = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help=W("help.opt.format"))] = ReportFormat.table,
    out_file: Annotated[Path | None, typer.Option("--out", help=W("help.opt.out_report"))] = None,
    all_rows: Annotated[bool, typer.Option("--all", help=W("help.opt.all"))] = False,
    force: ForceOption = False,
    db: DbOption = None,
    wait: WaitOption = None,
    lang: LangOption = None,
    log_format: LogOption = None,
) -> None:
    """kpi report → figures.report.report(), rendered by present.report, json_out or html."""
    from kpi.db.connect import db_path, open_for_read
    from kpi.figures.report import report as build

    asked = _as_of(as_of)
    if fmt is ReportFormat.html:
        if out_file is None:
            raise UsageProblem("cli.html_needs_out")
        _need_charts()
    _check_out(out_file, force, db)
    w = Output.words
    with open_for_read(db_path(db), _wait(wait)) as con:
        fy = _fiscal_year(con, asked)
        _need_data(con)
        rep = build(con, fy, None if all_rows else 100)
        if fmt is ReportFormat.html:
            from kpi.figures.report import schedule as schedule_of
            from kpi.present import charts, html

            schedule = schedule_of(con, rep)
    if fmt is ReportFormat.html:
        text = html.render_html(rep, w, charts.svgs(rep, w, schedule))
    elif fmt is ReportFormat.json:
        from kpi.present.json_out import dumps, report_json

        text = dumps(report_json(rep))
    elif fmt is ReportFormat.csv:
        from kpi.present.report import report_csv

        text = report_csv(rep, w, "\r\n" if out_file else "\n")  # a file as kpi export writes one; a pipe plain
    else:
        from kpi.present.report import report_text

        text = report_text(rep, w, str(fmt))
    _write_or_print(text, out_file, excel=fmt is ReportFormat.csv, force=force, db=db)


def _kept(db: Path | None) -> list[Path]:
    """The database's own files (an output must never be one of them)."""
    from kpi.db.backup_files import store_files
    from kpi.db.connect import db_path

    return store_files(db_path(db))


def _check_out(out_file: Path | None, force: bool, db: Path | None) -> None:
    """Refuse an --out file before any work is done (kpi.present.files.refuse_target)."""
    if out_file is not None:
        from kpi.present.files import refuse_target

        refuse_target(out_file, force, _kept(db))


def _write_or_print(
    text: str, out_file: Path | None, excel: bool = False, force: bool = False, db: Path | None = None
) -> None:
    """Data to stdout as UTF-8, or to a file; a CSV file as Excel opens it (BOM, CRLF; the text is guarded)."""
    if out_file is None:
        out(text)
        return
    from kpi.present.csvfile import excel_bytes
    from kpi.present.files import write_file

    data = excel_bytes(text) if excel else text.encode("utf-8")
    say(Output.words("export.wrote", path=write_file(out_file, data, force, _kept(db))))


@command("check")
@handled
def check(
    as_of: AsOfOption = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help=W("help.opt.format"))] = CheckFormat.text,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=W("help.opt.check_quiet"))] = False,
    db: DbOption = None,
    wait: WaitOption = None,
    lang: LangOption = None,
    log_format: LogOption = None,
) -> None:
    """kpi check → figures.kpis.outcome(), exit 1 only on a KPI judged not met."""
    from kpi.db.connect import db_path, open_for_read
    from kpi.figures.kpis import outcome
    from kpi.figures.lists import in_force, list_id
    from kpi.figures.report import settings
    from kpi.present.check import check_json, check_text, failed

    asked = _as_of(as_of)
    with open_for_read(db_path(db), _wait(wait)) as con:
        fy = _fiscal_year(con, asked)
        _need_data(con)
        programme = settings(con)
        if programme is None:
            raise NoSettings("db.no_settings")
        snapshot = in_force(con, fy)
        result = outcome(con, fy, programme, list_id(snapshot))
    if not quiet:
        out(check_json(result, snapshot) if fmt is CheckFormat.json else check_text(result, snapshot, Output.words))
    if failed(result):
        raise typer.Exit(ExitCode.TARGET_MISSED)


@command("export")
@handled
def export(
    out_dir: Annotated[Path, typer.Option("--out", help=W("help.opt.out_dir"), show_default=False)],
    as_of: AsOfOption = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help=W("help.opt.export_format"))] = ExportFormat.csv,
    encoding: Annotated[
        OutEncoding, typer.Option("--encoding", help=W("help.opt.encoding_out"))
    ] = OutEncoding.utf_8_sig,
    force: Annotated[bool, typer.Option("--force", help=W("help.opt.force"))] = False,
    db: DbOption = None,
    wait: WaitOption = None,
    lang: LangOption = None,
    log_format: LogOption = None,
) -> None:
    """kpi export → present.export.build_files() of figures.report.report(), written atomically."""
    from kpi.db.connect import db_path, open_for_read
    from kpi.figures.lists import list_id
    from kpi.figures.report import report as build
    from kpi.figures.report import sources
    from kpi.figures.status import all_themes
    from kpi.present.export import build_files
    from kpi.present.files import write_files

    asked = _as_of(as_of)
    with open_for_read(db_path(db), _wait(wait)) as con:
        fy = _fiscal_year(con, asked)
        _need_data(con)
        rep = build(con, fy, list_limit=None)
        themes, loaded = all_themes(con, list_id(rep.snapshot)), sources(con)
    files = build_files(rep, themes, loaded, Output.words, str(encoding), str(fmt))
    written = write_files(out_dir, files, force, _kept(db))
    say("\n".join(Output.words("export.wrote", path=p) for p in written))


@command("stagegate")
@handled
def stagegate(
    as_of: AsOfOption = None,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help=W("help.opt.format"))] = TableFormat.table,
    db: DbOption = None,
    wait: WaitOption = None,
    lang: LangOption = None,
    log_format: LogOption = None,
) -> None:
    """kpi stagegate → figures.stagegate.stage_gate()."""
    from kpi.db.connect import db_path, open_for_read
    from kpi.figures.lists import in_force, list_id
    from kpi.figures.stagegate import stage_gate
    from kpi.present.stagegate import stage_gate_output

    asked = _as_of(as_of)
    with open_for_read(db_path(db), _wait(wait)) as con:
        fy = _fiscal_year(con, asked)
        result = stage_gate(con, fy, list_id(in_force(con, fy)), limit=None)
    out(stage_gate_output(result, str(fmt), Output.words))


@command("reconcile")
@handled
def reconcile(
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help=W("help.opt.format"))] = TableFormat.table,
    db: DbOption = None,
    wait: WaitOption = None,
    lang: LangOption = None,
    log_format: LogOption = None,
) -> None:
    """kpi reconcile → figures.reconcile.reconcile(); exit 1 when a figure differs."""
    from kpi.db.connect import db_path, open_for_read
    from kpi.figures.reconcile import reconcile as compare
    from kpi.present.reconcile import reconcile_csv, reconcile_json, reconcile_text

    with open_for_read(db_path(db), _wait(wait)) as con:
        results = compare(con)
    if not results:
        raise NoData("db.no_published")
    w = Output.words
    if fmt is TableFormat.json:
        out(reconcile_json(results, w))
    elif fmt is TableFormat.csv:
        out(reconcile_csv(results, w))
    else:
        out(reconcile_text(results, w, str(fmt)))
    if not all(r.agree for r in results):
        raise typer.Exit(ExitCode.TARGET_MISSED)


@command("chart")
@handled
def chart(
    name: Annotated[ChartName, typer.Argument(help=W("help.opt.chart"), show_default=False)],
    out_file: Annotated[Path, typer.Option("--out", help=W("help.opt.chart_out"), show_default=False)],
    as_of: AsOfOption = None,
    force: ForceOption = False,
    db: DbOption = None,
    wait: WaitOption = None,
    lang: LangOption = None,
    log_format: LogOption = None,
) -> None:
    """kpi chart → present.charts.render() of figures.report.report()."""
    from kpi.db.connect import db_path, open_for_read
    from kpi.figures.report import report as build
    from kpi.figures.report import schedule as schedule_of
    from kpi.present import charts
    from kpi.present.files import write_file

    _need_charts()
    if out_file.suffix.lower() not in charts.FORMATS:
        raise UsageProblem("cli.chart_suffix", formats=" / ".join(charts.FORMATS), name=out_file.name)
    _check_out(out_file, force, db)
    asked = _as_of(as_of)
    with open_for_read(db_path(db), _wait(wait)) as con:
        fy = _fiscal_year(con, asked)
        _need_data(con)
        rep = build(con, fy)
        schedule = schedule_of(con, rep)
    data = charts.render(rep, str(name), Output.words, out_file.suffix.lower()[1:], schedule)
    say(Output.words("chart.wrote", path=write_file(out_file, data, force, _kept(db))))


@command("changes")
@handled
def changes(
    since: Annotated[str | None, typer.Option("--from", help=W("help.opt.since"), show_default=False)] = None,
    until: Annotated[str | None, typer.Option("--to", help=W("help.opt.until"), show_default=False)] = None,
    fmt: Annotated[ChangesFormat, typer.Option("--format", "-f", help=W("help.opt.format"))] = ChangesFormat.table,
    db: DbOption = None,
    wait: WaitOption = None,
    lang: LangOption = None,
    log_format: LogOption = None,
) -> None:
    """kpi changes → figures.changes.changes() between two dated theme lists."""
    from kpi.db.connect import db_path, open_for_read
    from kpi.figures.changes import changes as compare
    from kpi.figures.changes import pick
    from kpi.figures.report import settings
    from kpi.present.changes import changes_json, changes_text

    with open_for_read(db_path(db), _wait(wait)) as con:
        before, after = pick(con, _date(since, "--from"), _date(until, "--to"))
        result = compare(con, settings(con), before, after)
    out(changes_json(result) if fmt is ChangesFormat.json else changes_text(result, Output.words, str(fmt)))


followups_app = typer.Typer(
    cls=KpiGroup, help=W("help.followups"), short_help=first_sentence(W("help.followups")), no_args_is_help=True
)
app.add_typer(followups_app, name="followups")


@followups_app.callback()
def _followups_options(lang: LangOption = None, log_format: LogOption = None) -> None:
    """--lang and --log-format are accepted wherever a user writes them, before or after `followups`."""
    if log_format is not None:
        Output.log_format = log_format
    if lang is not None:
        Output.words = Words(lang)


@followups_app.command(
    "due", cls=KpiCommand, help=W("help.followups_due"), short_help=first_sentence(W("help.followups_due"))
)
@handled
def followups_due(
    fy: Annotated[str | None, typer.Option("--fy", help=W("help.opt.fy"), show_default=False)] = None,
    fmt: Annotated[DueFormat, typer.Option("--format", "-f", help=W("help.opt.format"))] = DueFormat.table,
    out_file: Annotated[Path | None, typer.Option("--out", help=W("help.opt.out_sheet"), show_default=False)] = None,
    force: ForceOption = False,
    db: DbOption = None,
    wait: WaitOption = None,
    lang: LangOption = None,
    log_format: LogOption = None,
) -> None:
    """kpi followups due → figures.followups.due(), as a table, JSON or the survey sheet."""
    from kpi.db.connect import db_path, open_for_read
    from kpi.figures.followups import due
    from kpi.figures.report import settings
    from kpi.present.followups import due_json, due_sheet, due_text

    _check_out(out_file, force, db)
    asked = _as_of(fy)
    with open_for_read(db_path(db), _wait(wait)) as con:
        year = _fiscal_year(con, asked)
        _need_data(con)
        result = due(con, year, settings(con))
    w = Output.words
    if fmt is DueFormat.csv:
        if out_file is None:
            out(due_sheet(result, w, "\n"))
            return
        from kpi.present.csvfile import excel_bytes
        from kpi.present.files import write_file

        say(w("export.wrote", path=write_file(out_file, excel_bytes(due_sheet(result, w)), force, _kept(db))))
        return
    _write_or_print(due_json(result) if fmt is DueFormat.json else due_text(result, w), out_file, force=force, db=db)


@command("init")
@handled
def init(
    out_file: Annotated[Path, typer.Option("--out", help=W("help.opt.init_out"))] = Path("programme.toml"),
    force: Annotated[bool, typer.Option("--force", help=W("help.opt.init_force"))] = False,
    lang: LangOption = None,
    log_format: LogOption = None,
) -> None:
    """kpi init → the catalogue's settings template, written atomically; an existing file only with --force."""
    from kpi.load.files import kind_of
    from kpi.present.files import write_files

    if kind_of(out_file, None) != "programme":
        raise UsageProblem("cli.init_name", name=out_file.name)
    template = Output.words("init.template").encode("utf-8")
    say(Output.words("init.wrote", path=write_files(out_file.parent, {out_file.name: template}, force)[0]))


@command("backup")
@handled
def backup(
    out_file: Annotated[Path | None, typer.Option("--out", help=W("help.opt.backup_out"), show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help=W("help.opt.backup_force"))] = False,
    db: DbOption = None,
    wait: WaitOption = None,
    lang: LangOption = None,
    log_format: LogOption = None,
) -> None:
    """kpi backup → db.backup.checked_copy(): a consistent copy, read back whole."""
    from kpi.db.backup import checked_copy
    from kpi.db.connect import db_path, open_for_write

    path = db_path(db)
    if not path.exists():
        raise NoData("db.missing", path=str(path))
    if out_file is not None:
        from kpi.db.connect import wal_of
        from kpi.present.files import refuse_target

        refuse_target(out_file, force, [path, wal_of(path)])
    with open_for_write(path, _wait(wait)) as con:
        copy = checked_copy(con, path, out_file)
    say(Output.words("backup.wrote", path=copy.path, size=f"{copy.size:,}", loads=copy.loads))


@command("restore")
@handled
def restore(
    backup_file: Annotated[Path, typer.Argument(help=W("help.opt.backup_file"), show_default=False)],
    db: DbOption = None,
    wait: WaitOption = None,
    lang: LangOption = None,
    log_format: LogOption = None,
) -> None:
    """kpi restore → db.backup.restore(): the backup checked whole, swapped in, the replaced file kept."""
    from kpi.db.backup import restore as put_back
    from kpi.db.connect import db_path
    from kpi.fiscal import now_in

    done = put_back(db_path(db), backup_file, _wait(wait), now_in())
    w = Output.words
    aside = w("restore.aside", aside=done.kept_aside) if done.kept_aside else ""
    say(w("restore.done", db=done.db, backup=done.backup, aside_text=aside))


@command("loads")
@handled
def loads(
    fmt: Annotated[ListingFormat, typer.Option("--format", "-f", help=W("help.opt.format"))] = ListingFormat.table,
    db: DbOption = None,
    wait: WaitOption = None,
    lang: LangOption = None,
    log_format: LogOption = None,
) -> None:
    """kpi loads → figures.history.loads()."""
    from kpi.db.connect import db_path, open_for_read
    from kpi.figures.history import loads as loaded
    from kpi.present.history import render_loads

    with open_for_read(db_path(db), _wait(wait)) as con:
        records = loaded(con)
    out(render_loads(records, fmt, Output.words))


@command("lists")
@handled
def lists(
    fmt: Annotated[ListingFormat, typer.Option("--format", "-f", help=W("help.opt.format"))] = ListingFormat.table,
    db: DbOption = None,
    wait: WaitOption = None,
    lang: LangOption = None,
    log_format: LogOption = None,
) -> None:
    """kpi lists → figures.history.lists()."""
    from kpi.db.connect import db_path, open_for_read
    from kpi.figures.history import lists as dated
    from kpi.present.history import render_lists

    with open_for_read(db_path(db), _wait(wait)) as con:
        records = dated(con)
    out(render_lists(records, fmt, Output.words))


# ---------------------------------------------------------------------------- running


def _usage_error(exc: click_errors.UsageError) -> str:
    """A usage error in the user's language (click's own words are English)."""
    if isinstance(exc, click_errors.NoSuchOption):
        return W("usage.no_such_option", option=exc.option_name)
    if isinstance(exc, click_errors.MissingParameter) and exc.param is not None:
        return W("usage.missing", param=exc.param.opts[0] if exc.param.opts else exc.param.human_readable_name)
    if isinstance(exc, click_errors.BadParameter) and exc.param is not None:
        option = exc.param.opts[0] if exc.param.opts else exc.param.human_readable_name
        choices = getattr(exc.param.type, "choices", None)
        value = _bad_value(exc.message)
        if choices and value is not None:
            return W("usage.bad_choice", option=option, value=value, choices=", ".join(str(c) for c in choices))
        kind = getattr(exc.param.type, "name", "")
        if value is not None and kind in ("integer", "float"):
            return W("usage.bad_type", option=option, value=value, kind=W(f"usage.type.{kind}"))
        return W("usage.bad_value", option=option, detail=exc.message)
    if exc.message.startswith("No such command"):
        return W("usage.no_such_command", name=exc.message.split("'")[1] if "'" in exc.message else exc.message)
    return W("usage.other", detail=exc.message)


def _bad_value(message: str) -> str | None:
    m = re.search(r"'(.*?)' is not", message)
    return m.group(1) if m else None


def _shell(value: Any) -> str:
    """The shell completion is for: the one named, else the one kpi runs in; a usage error if none kpi knows."""
    from typer._completion_shared import Shells, _get_shell_name

    shell = value if isinstance(value, str) else _get_shell_name()
    if shell not in {s.value for s in Shells}:
        _fail(W("cli.completion_shell", shell=shell or "?", shells=", ".join(s.value for s in Shells)), ExitCode.USAGE)
    return shell


def _install_completion(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import install

    shell, path = install(shell=_shell(value), prog_name="kpi")
    say(W("cli.completion_installed", shell=shell, path=path))
    raise typer.Exit()


def _show_completion(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import get_completion_script

    out(get_completion_script(prog_name="kpi", complete_var="_KPI_COMPLETE", shell=_shell(value)) + "\n")
    raise typer.Exit()


COMPLETION_OPTIONS = {
    "install_completion": ("help.opt.install_completion", _install_completion),
    "show_completion": ("help.opt.show_completion", _show_completion),
}


def command_line() -> click.Command:
    """`kpi` as a click command, with the completion options typer adds speaking the user's language."""
    cli = typer.main.get_command(app)
    for param in cli.params:
        if param.name in COMPLETION_OPTIONS and isinstance(param, TyperOption):
            key, callback = COMPLETION_OPTIONS[param.name]
            param.help, param.callback = W(key), callback
    return cli


def main(args: list[str] | None = None) -> None:
    """Run `kpi` with its arguments; every outcome is an exit code (usage errors 2, in the user's language).

    Ctrl-C and SIGTERM end it with 130 / 143 and one line wherever they land: the entry point holds them
    during the imports, `interrupts.release()` raises one that arrived meanwhile, and once an outcome is
    decided (`interrupts.finish()`) a signal no longer changes it."""
    try:
        _main(args)
    except interrupts.Stopped as stop:
        _stopped(stop.signum)


def _main(args: list[str] | None) -> None:
    try:
        interrupts.release()
        cli = command_line()
        code = cli.main(args=args, prog_name="kpi", standalone_mode=False)
        interrupts.finish()
    except click_errors.UsageError as exc:
        interrupts.finish()
        hint = W("usage.hint", command=" ".join(exc.ctx.command_path.split()) if exc.ctx else "kpi")
        if Output.log_format is LogFormat.json or _early("--log-format", "KPI_LOG_FORMAT", ["text", "json"]) == "json":
            _log({"level": "error", "message": _usage_error(exc), "exit_code": int(ExitCode.USAGE)})
        else:
            _stderr(W("cli.error", message=_usage_error(exc)) + "\n" + hint + "\n")
        sys.exit(ExitCode.USAGE)
    except typer.Abort:
        interrupts.finish()
        sys.exit(ExitCode.INTERRUPTED)
    signum = interrupts.received()
    if signum is not None and code in (None, 0):  # a signal the command's own code swallowed
        _stopped(signum)
    sys.exit(int(code or 0))
