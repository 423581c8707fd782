"""The entry point: the command line built with its completion options in the user's language, run, and every
outcome turned into an exit code — usage errors (2) included, which click raises before any command runs.

Ctrl-C and SIGTERM end it with 130 / 143 and one line wherever they land: the entry point (kpi.entry) holds them
during the imports, `interrupts.release()` raises one that arrived meanwhile, and once an outcome is decided
(`interrupts.finish()`) a signal no longer changes it.
"""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from typer import _click as click
from typer._click import exceptions as click_errors
from typer.core import TyperOption

from kpi import interrupts
from kpi.cli import commands
from kpi.cli.app import app
from kpi.cli.help import HELP, KpiGroup, completion_script, completion_shell, completion_shells, install_completion
from kpi.cli.options import Refused
from kpi.cli.output import Console, LogFormat, Voice, fail, log, stopped
from kpi.db.store import Store
from kpi.errors import ExitCode


def _shell(voice: Voice, value: Any) -> str:
    """The shell completion is for; a usage error when kpi knows none by that name."""
    shell = completion_shell(value)
    if shell is None:
        fail(voice, voice.words("cli.completion_shell", shell=value or "?", shells=completion_shells()), ExitCode.USAGE)
    return shell


def _install_completion(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if not value or ctx.resilient_parsing:
        return value
    voice = Voice.early(sys.argv[1:])
    shell, path = install_completion(_shell(voice, value))
    Console(voice).say(voice.words("cli.completion_installed", shell=shell, path=path))
    raise typer.Exit()


def _show_completion(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if not value or ctx.resilient_parsing:
        return value
    Console(Voice.early(sys.argv[1:])).out(completion_script(_shell(Voice.early(sys.argv[1:]), value)) + "\n")
    raise typer.Exit()


COMPLETION_OPTIONS = {
    "install_completion": ("help.opt.install_completion", _install_completion),
    "show_completion": ("help.opt.show_completion", _show_completion),
}


ROOT_VALUES = ("--lang", "--log-format")  # kpi's own options that take a value


def invoked(args: Sequence[str]) -> str | None:
    """The command (or group) the arguments name, if kpi has one by that name: only it needs to be built."""
    names = set(commands.MODULES)
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in ROOT_VALUES:
            skip = True
        elif not arg.startswith("-"):
            return arg if arg in names else None
    return None


def _only(name: str) -> typer.Typer:
    """The app with only the command (or group) `name`: building every command's click form costs ~20 ms."""
    narrowed = copy.copy(app)
    narrowed.registered_commands = [c for c in app.registered_commands if c.name == name]
    narrowed.registered_groups = [g for g in app.registered_groups if g.name == name]
    return narrowed


def whole_app() -> typer.Typer:
    """The app with every command registered (the tests, the command reference); `kpi` itself registers only the
    command it runs."""
    commands.register(None)
    return app


def command_line(args: Sequence[str] | None = None) -> click.Command:
    """`kpi` as a click command, with the completion options typer adds speaking the user's language; with `args`,
    only the command they name is built (all of them for help, completion, or a name kpi does not know)."""
    name = invoked(args) if args is not None and "_KPI_COMPLETE" not in os.environ else None
    commands.register(name)
    cli = typer.main.get_command(app if name is None else _only(name))
    for param in cli.params:
        if param.name in COMPLETION_OPTIONS and isinstance(param, TyperOption):
            key, callback = COMPLETION_OPTIONS[param.name]
            param.help, param.callback = HELP(key), callback
    if isinstance(cli, KpiGroup):
        cli.every_command = command_line  # (an option of any command is never an option's value: kpi.cli.help)
    return cli


def open_early(args: Sequence[str]) -> bool:
    """For a command that only reads, start opening the store it names (kpi.db.connect.open_early), and leave
    closing it to the process's exit (kpi.db.connect.leave_open)."""
    if invoked(args) not in commands.READS or "--help" in args:
        return False
    from kpi.db import connect

    db = next((args[i + 1] for i, arg in enumerate(args[:-1]) if arg == "--db"), None)
    db = next((arg.split("=", 1)[1] for arg in args if arg.startswith("--db=")), db)
    connect.open_early(Store.at(Path(db) if db else None, None).path)
    connect.leave_open()
    return True


def main(args: list[str] | None = None) -> None:
    """Run `kpi` with its arguments (else sys.argv's); every outcome is an exit code. Run as the process itself
    (no `args`), a command that only reads starts opening its store at once."""
    voice = Voice.early(sys.argv[1:] if args is None else args)
    early = open_early(sys.argv[1:]) if args is None else False
    try:
        _main(args, voice)
    except interrupts.Stopped as stop:
        stopped(voice, stop.signum)
    finally:
        if early:
            from kpi.db.connect import drop_early

            drop_early()


def _main(args: list[str] | None, voice: Voice) -> None:
    try:
        interrupts.release()
        given = sys.argv[1:] if args is None else args
        code = command_line(given).main(args=args, prog_name="kpi", standalone_mode=False, obj=voice)
        interrupts.finish()
    except click_errors.UsageError as exc:
        interrupts.finish()
        from kpi.cli.help import usage_hint, usage_message, voice_of_error

        voice = voice_of_error(exc, given, voice)
        said = usage_message(
            exc, voice.words, command_line
        )  # in the voice's words: the process's and the tests' runner's alike
        if voice.log_format is LogFormat.json:
            log({"level": "error", "message": said, "exit_code": int(ExitCode.USAGE)})
            sys.exit(ExitCode.USAGE)
        refused = isinstance(exc, Refused)  # a parser's own message says all (kpi.cli.options)
        fail(voice, said, ExitCode.USAGE, hint=None if refused else usage_hint(exc, voice.words))
    except typer.Abort:
        interrupts.finish()
        sys.exit(ExitCode.INTERRUPTED)
    signum = interrupts.received()
    if signum is not None and code in (None, 0):  # a signal the command's own code swallowed
        stopped(voice, signum)
    sys.exit(int(code or 0))
