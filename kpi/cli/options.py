"""Every option more than one command takes, declared once (typer Annotated aliases), and the parsers that turn their
text into values: a fiscal year, a date, a size. A value that is none of these is a usage error (exit 2) in the
user's language. The per-command options sit with their commands; the ones every command takes (--lang,
--log-format) and the database's (--db, --wait) are attached by kpi.cli.app.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.core import Context, Parameter
from typer._click.types import ParamType
from typer._types import TyperChoice

from kpi.cli.help import HELP
from kpi.cli.output import WRITTEN_AS, LogFormat
from kpi.db.known import KnownAt
from kpi.present.catalogue import Lang
from kpi.present.formats import (
    EXTENSIONS,
    ChangesFormat,
    CheckFormat,
    DueFormat,
    ExportFormat,
    Format,
    Formats,
    ListingFormat,
    PortfolioFormat,
    RecordFormat,
    ReportFormat,
    TableFormat,
    extensions_of,
)

# ---------------------------------------------------------------------------- parsers


class Refused(typer.BadParameter):
    """An option's value refused by its parser: a usage error (exit 2) whose message is the catalogue's, whole."""

    def __init__(self, key: str, **params: Any) -> None:
        from kpi.present.messages import message

        super().__init__(message(key, params, HELP))
        self.words = message(key, params, HELP)
        self.key, self.params = key, params  # said in the user's words by kpi.cli.help.usage_message


def as_of_year(text: str) -> int:
    """--as-of (and the hidden --fy): a fiscal year in any accepted spelling (2025, R7, 令和7年度)."""
    from kpi.fiscal import MAX_FY, MIN_FY, YearOutOfRange, parse_fy

    try:
        return parse_fy(text)
    except YearOutOfRange as exc:
        raise Refused("cli.as_of_out_of_range", value=text, year=exc.year, low=MIN_FY, high=MAX_FY) from None
    except ValueError:
        raise Refused("cli.as_of_invalid", value=text) from None


def date_of(option: str) -> Callable[[str], dt.date]:
    """A parser of YYYY-MM-DD for the option named (its name is in the message)."""

    def parse(text: str) -> dt.date:
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            raise Refused("cli.not_a_date", option=option, value=text) from None

    return parse


def known_at(text: str) -> KnownAt:
    """--known-at: a load number from `kpi loads` (3 or #3), or YYYY-MM-DD[THH:MM] in the programme's calendar (a
    date alone is the end of that day)."""
    value = text.strip().removeprefix("#")
    if value.isdigit() and value.isascii():
        return KnownAt(load=int(value))
    try:
        if len(value) == 10:
            return KnownAt(time=dt.datetime.combine(dt.date.fromisoformat(value), dt.time(23, 59, 59)))
        return KnownAt(time=dt.datetime.fromisoformat(value).replace(tzinfo=None))
    except ValueError:
        raise Refused("cli.known_at_invalid", value=text) from None


def finite_wait(value: float | None) -> float | None:
    """--wait (and $KPI_WAIT): seconds, a finite number not below zero (nan or inf would wait for ever)."""
    if value is not None and not (math.isfinite(value) and value >= 0):
        raise Refused("cli.wait_invalid", value=f"{value:g}")
    return value


def reason(text: str) -> str:
    """--reopen: the reason a closed year is reopened, as text (blanks are no reason)."""
    import unicodedata

    if not "".join(c for c in text if unicodedata.category(c)[0] not in "ZC").strip():  # blanks, zero-width, BOM
        raise Refused("cli.reopen_blank")
    return text.strip()


SIZE_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def size(text: str) -> int:
    """--max-file-size: 2G, 500M, 1000000."""
    m = re.fullmatch(r"\s*(\d+)\s*([KMGT]?)i?B?\s*", text.upper())
    if not m or int(m[1]) == 0:
        raise Refused("cli.bad_size", value=text)
    return int(m[1]) * SIZE_UNITS[m[2]]


# ---------------------------------------------------------------------------- the options


class _PathType(ParamType):
    """A path as given (kpi says what is wrong with it, in the user's language; click's checks are English)."""

    name = "path"

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> Path:
        return value if isinstance(value, Path) else Path(value)


class OutputPath(_PathType):
    """A path kpi writes. Every one is written through kpi.db.gate; the tests find every output of the command tree
    by this type (tests/system/test_write_matrix.py)."""


class OutputFolder(OutputPath):
    """A folder kpi writes its files into (`kpi export --out`): its name never says a format."""


class ApartFile(OutputPath):
    """A file a command writes apart from its --out (`kpi export --confidential`): its own name says its format;
    it never settles --format (settle_format reads only a plain OutputPath)."""


class InputPath(_PathType):
    """A path kpi reads (an input file, a backup, another programme's database, the database itself)."""


def _option(*names: str, help_key: str, **settings: Any) -> Any:
    """An option with its help; a path is never checked by click (its words are English): kpi says what is wrong."""
    return typer.Option(*names, help=HELP(help_key), readable=False, **settings)


Db = Annotated[
    Path | None,
    typer.Option("--db", help=HELP("help.opt.db"), envvar="KPI_DB", show_default=False, click_type=InputPath()),
]
Wait = Annotated[
    float | None,
    _option(
        "--wait",
        help_key="help.opt.wait",
        envvar="KPI_WAIT",
        callback=finite_wait,
        metavar="<float>",
        show_default=False,
    ),
]
LangOption = Annotated[Lang | None, _option("--lang", help_key="help.opt.lang", envvar="KPI_LANG", show_default=False)]
LogFormatOption = Annotated[
    LogFormat | None,
    _option("--log-format", help_key="help.opt.log_format", envvar="KPI_LOG_FORMAT", show_default=False),
]
AsOf = Annotated[
    int | None, _option("--as-of", help_key="help.opt.as_of", parser=as_of_year, metavar="<str>", show_default=False)
]
SurveyYear = Annotated[
    int | None, _option("--as-of", help_key="help.opt.fy", parser=as_of_year, metavar="<str>", show_default=False)
]
OldSurveyYear = Annotated[  # `kpi followups due --fy`, kept hidden for one release (the year is --as-of everywhere)
    int | None, _option("--fy", help_key="help.opt.fy", parser=as_of_year, hidden=True, show_default=False)
]
Force = Annotated[bool, _option("--force", help_key="help.opt.force_out")]
ForceFolder = Annotated[bool, _option("--force", help_key="help.opt.force")]
Quiet = Annotated[bool, _option("--quiet", "-q", help_key="help.opt.quiet")]
Snapshot = Annotated[
    dt.date | None,
    _option(
        "--snapshot", help_key="help.opt.snapshot", parser=date_of("--snapshot"), metavar="<str>", show_default=False
    ),
]
Since = Annotated[
    dt.date | None,
    _option("--from", help_key="help.opt.since", parser=date_of("--from"), metavar="<str>", show_default=False),
]
Until = Annotated[
    dt.date | None,
    _option("--to", help_key="help.opt.until", parser=date_of("--to"), metavar="<str>", show_default=False),
]
MaxFileSize = Annotated[
    int | None,
    _option("--max-file-size", help_key="help.opt.max_file_size", parser=size, metavar="<str>", show_default=False),
]
AllRows = Annotated[bool, _option("--all", help_key="help.opt.all")]
By = Annotated[str | None, _option("--by", help_key="help.opt.by", metavar="<str>", show_default=False)]
KnownAtOption = Annotated[
    KnownAt | None,
    _option("--known-at", help_key="help.opt.known_at", parser=known_at, metavar="<str>", show_default=False),
]
Reopen = Annotated[
    str | None,
    _option("--reopen", help_key="help.opt.reopen", parser=reason, metavar="<reason>", show_default=False),
]


def wait_of(wait: float | None) -> float:
    """--wait for a command without a --db: the seconds given, else $KPI_WAIT's, else the default."""
    from kpi.db.store import Store

    return Store.at(None, finite_wait(wait)).wait


def given(*names: str) -> dict[str, bool]:
    """Whether each of a command's options (by parameter name) was given, by its flag (--stage): on the command
    line or by its environment variable, not left to its default."""
    from typer._click.core import ParameterSource
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    if ctx is None:
        return {}
    flags = {p.name: (p.opts[0] if p.opts else str(p.name)) for p in ctx.command.params}
    defaults = (None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)
    return {flags.get(name, name): ctx.get_parameter_source(name) not in defaults for name in names}


def out_option(help_key: str, default: Path | None = None, folder: bool = False) -> Any:
    """--out, with the help of the command (a file, a folder, a sheet); a file's extension chooses its format."""
    kind = OutputFolder() if folder else OutputPath()
    return typer.Option(
        "--out", help=HELP(help_key), click_type=kind, show_default=default is not None, callback=settle_format
    )


def in_argument(help_key: str) -> Any:
    """A path argument kpi reads."""
    return typer.Argument(help=HELP(help_key), show_default=False, click_type=InputPath())


class FormatChoice(TyperChoice[str]):
    """--format's type: one of the formats a command offers."""

    def __init__(self, offered: Formats) -> None:
        super().__init__([f.value for f in offered])
        self.offered = offered


def format_option(offered: Formats, help_key: str = "help.opt.format") -> Any:
    """--format / -f: one of the formats the command offers (a Format), settled with --out's name."""
    return typer.Option("--format", "-f", help=HELP(help_key), click_type=FormatChoice(offered), callback=settle_format)


# Extensions of formats kpi does not write: a file so named would be a text table under a misleading name.
NOT_WRITTEN = (".xls", ".xlsm", ".xlsb", ".xltx", ".ods", ".tsv", ".numbers", ".pdf", ".doc", ".docx", ".odt", ".xml")
TYPO = 0.75  # how alike (difflib's ratio) an unknown extension and a known one are for the first to be a typo


def extension(path: str) -> str:
    """A file name's extension in lower case, from its last dot ("" without one): `.csv` alone is .csv."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return name[name.rfind(".") :].lower() if "." in name else ""


def file_format(path: str, offered: Formats) -> Format | None:
    """The format an --out file's name says (None: --format's), or a usage error: a name ending in a dot or a blank
    (Windows drops them), an extension of a format kpi does not write (.xls, .tsv …) or one a typo away from a known
    one (.xslx: 「もしかして .xlsx」 when the command writes .xlsx, else unknown). Any other name (r.txt, r.dat, r)
    is written in --format."""
    import difflib

    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    ext, writes = extension(path), " ".join(extensions_of(offered))
    if name != name.rstrip(". \t\u3000"):
        raise Refused("cli.out_name_trailing", name=path, extensions=writes)
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    if ext in NOT_WRITTEN:
        raise Refused("cli.out_format_not_offered", name=path, ext=ext, extensions=writes)
    guess = difflib.get_close_matches(ext, extensions_of(offered), n=1, cutoff=TYPO)  # only what it writes
    if guess:
        raise Refused("cli.out_extension_typo", name=path, ext=ext, guess=guess[0], extensions=writes)
    if difflib.get_close_matches(ext, list(EXTENSIONS), n=1, cutoff=TYPO):  # (.xslx for kpi report)
        raise Refused("cli.out_extension_unknown", name=path, ext=ext, extensions=writes)
    return None


def refuse_a_file_name(path: str) -> None:
    """`kpi export --out` names a folder: a name with a file's extension (提出.xlsx, sub2.csv) is a usage error."""
    if extension(path.rstrip("/\\")) in (*EXTENSIONS, *NOT_WRITTEN):
        raise Refused("cli.out_is_folder", name=path)


def settle_format(ctx: Context, param: Parameter, value: Any) -> Any:
    """The one rule for --out and --format, run as both options are read (the second one settles it): an --out
    file whose extension names a format (formats.EXTENSIONS) is written in it; --format given too must agree, and a
    command that does not write that format refuses the name (usage errors, before anything is written), as does a
    name file_format refuses, and kpi export's folder named like a file. Any other name is written in --format. The format of a file written is kept for kpi.cli.output.Console.emit."""
    if ctx.resilient_parsing:
        return value
    if isinstance(param.type, OutputFolder) and value is not None:
        refuse_a_file_name(str(value))
    chosen = next((p for p in ctx.command.params if isinstance(p.type, FormatChoice)), None)
    out = next((p for p in ctx.command.params if type(p.type) is OutputPath), None)  # a file, not a folder
    if chosen is None or out is None or (out if param is chosen else chosen).name not in ctx.params:
        return value
    path = value if param is out else ctx.params[str(out.name)]
    fmt = Format(value if param is chosen else ctx.params[str(chosen.name)])
    named = file_format(str(path), chosen.type.offered) if path is not None else None  # type: ignore[attr-defined]
    if named is not None and named is not fmt:
        from typer._click.core import ParameterSource

        if ctx.get_parameter_source(str(chosen.name)) not in (None, ParameterSource.DEFAULT):
            raise Refused("cli.out_format_mismatch", name=str(path), named=named.value, format=fmt.value)
        offered = chosen.type.offered  # type: ignore[attr-defined]
        if named not in offered:
            ext = extension(str(path))
            raise Refused(
                "cli.out_format_not_offered", name=str(path), ext=ext, extensions=" ".join(extensions_of(offered))
            )
        fmt = named
    if path is not None:
        ctx.meta[WRITTEN_AS] = fmt
    if param is chosen:
        return fmt
    ctx.params[str(chosen.name)] = fmt
    return value


ReportFormatOption = Annotated[Format, format_option(ReportFormat)]
TableFormatOption = Annotated[Format, format_option(TableFormat)]
ChangesFormatOption = Annotated[Format, format_option(ChangesFormat)]
CheckFormatOption = Annotated[Format, format_option(CheckFormat)]
DueFormatOption = Annotated[Format, format_option(DueFormat)]
ListingFormatOption = Annotated[Format, format_option(ListingFormat)]
RecordFormatOption = Annotated[Format, format_option(RecordFormat)]
PortfolioFormatOption = Annotated[Format, format_option(PortfolioFormat)]
ExportFormatOption = Annotated[Format, format_option(ExportFormat, "help.opt.export_format")]
