"""The command tree: the `kpi` app, its `followups` group, and how a command joins it.

`@command(name, help_key)` gives a command its help from the catalogue, attaches the options every command
shares — --lang and --log-format everywhere, --db and --wait to a command that takes a `store` — and runs it with
its `Console` (the process's voice) inside kpi.cli.output.outcomes, which maps every outcome to its exit code.
A command's own parameters are its own options; `store` and `console` are given, never parsed.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from typer import _click as click
from typer._click.globals import get_current_context

from kpi import __version__
from kpi.cli import options
from kpi.cli.help import HELP, KpiCommand, KpiGroup
from kpi.cli.output import Console, LogFormat, Voice, outcomes, terminal_columns
from kpi.present.wrap import first_sentence

F = TypeVar("F", bound=Callable[..., None])

app = typer.Typer(
    cls=KpiGroup,
    add_completion=True,  # kpi --install-completion; its options' words are ours (kpi.cli.main)
    pretty_exceptions_enable=False,  # never print locals (data) into a terminal or cron mail
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=HELP("help.app"),
    epilog=HELP("help.exit_codes"),
)
followups = typer.Typer(
    cls=KpiGroup, help=HELP("help.followups"), short_help=first_sentence(HELP("help.followups")), no_args_is_help=True
)
app.add_typer(followups, name="followups")

# The options attached to commands: (name, annotation, default), in the order --help lists them.
STORE_OPTIONS = (("db", options.Db, None), ("wait", options.Wait, None))
VOICE_OPTIONS = (("lang", options.LangOption, None), ("log_format", options.LogFormatOption, None))
GIVEN = ("store", "console")  # parameters a command is given, not parsed


def voice_of(ctx: click.Context | None) -> Voice:
    """The process's voice: decided by kpi.cli.main (the context's object), else from sys.argv (a test runner)."""
    obj = ctx.find_root().obj if ctx is not None else None
    if isinstance(obj, Voice):
        return obj
    from kpi.cli.help import VOICE

    return VOICE


def _keyword(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def shared(func: Callable[..., None]) -> Callable[..., None]:
    """The command as typer sees it: its own options, then --db and --wait (when it takes a `store`), then --lang
    and --log-format; called with its `store` and `console`, its outcome mapped to an exit code."""
    signature = inspect.signature(func, eval_str=True)
    wanted = set(signature.parameters)
    own = [p for p in signature.parameters.values() if p.name not in GIVEN]
    attached = [*(STORE_OPTIONS if "store" in wanted else ()), *VOICE_OPTIONS]
    parameters = [*own, *(_keyword(*option) for option in attached)]

    @functools.wraps(func)
    def run(**values: Any) -> None:
        from kpi.db.store import Store

        ctx = get_current_context(silent=True)
        voice = voice_of(ctx)
        debug = bool(ctx and ctx.find_root().params.get("debug"))
        for name, _, _ in VOICE_OPTIONS:
            values.pop(name, None)  # decided once per process (kpi.cli.output.Voice)
        if "store" in wanted:
            values["store"] = Store.at(values.pop("db"), values.pop("wait"))
        if "console" in wanted:
            values["console"] = Console(voice)
        from kpi.present.tables import fitting

        width = terminal_columns() if values.get("out") is None else None  # a file gets every character
        with outcomes(voice, debug), fitting(width):
            try:
                func(**values)
            finally:
                _say_notices(Console(voice))

    del run.__wrapped__  # typer reads the signature below, not the function's
    run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters}
    return run


def _say_notices(console: Console) -> None:
    """What the store did on its own during the command (a schema upgraded, a leftover removed), said once."""
    from kpi.db.notices import notices

    for key, params in notices():
        console.say(console.words(key, **params))


def command(name: str, help_key: str, group: typer.Typer = app) -> Callable[[F], F]:
    """Register a command under `name`, its --help the catalogue's entry `help_key`."""
    text = HELP(help_key)

    def register(func: F) -> F:
        group.command(name, cls=KpiCommand, help=text, short_help=first_sentence(text))(shared(func))
        return func

    return register


@app.callback(invoke_without_command=True)
def _options(
    ctx: typer.Context,
    log_format: Annotated[
        LogFormat, typer.Option("--log-format", help=HELP("help.opt.log_format"), envvar="KPI_LOG_FORMAT")
    ] = LogFormat.text,
    lang: options.LangOption = None,
    debug: Annotated[bool, typer.Option("--debug", help=HELP("help.opt.debug"))] = False,
    version: Annotated[bool, typer.Option("--version", help=HELP("help.opt.version"))] = False,
) -> None:
    """kpi's own options (the language and log format are the process's voice: kpi.cli.output.Voice)."""
    console = Console(voice_of(ctx))
    if version:
        console.out(console.words("cli.version", version=__version__) + "\n")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        console.out(ctx.get_help() + "\n")


@followups.callback()
def _followups_options(lang: options.LangOption = None, log_format: options.LogFormatOption = None) -> None:
    """--lang and --log-format are accepted wherever a user writes them, before or after `followups`."""
