"""Help, usage errors and shell completion in the user's language.

click's own words are English and its layout counts characters; here headings, [default: …] and [required] come
from the catalogue and help is wrapped by display width. The words of help are chosen before the command line is
parsed (`HELP`: the --lang the command line asks for, else $KPI_LANG), as help is built when the commands are.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

from typer import _click as click  # typer 0.28 vendors click: its classes and exceptions live here
from typer._click import exceptions as click_errors
from typer.core import TyperCommand, TyperGroup

from kpi.cli.output import Voice
from kpi.present.catalogue import Words
from kpi.present.wrap import wrap, wrap_paragraphs

VOICE = Voice.early(sys.argv[1:])
HELP = Words(VOICE.lang)  # the words of every --help, usage error and completion message

_CLICK_WORDS = {
    "Options": "help.options",
    "Arguments": "help.arguments",
    "Commands": "help.commands",
}


class KpiHelpFormatter(click.HelpFormatter):
    """click's help layout with its own words (headings, [default: …], [required]) from the catalogue."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, HELP("help.usage"))

    def write_heading(self, heading: str) -> None:
        super().write_heading(HELP(_CLICK_WORDS[heading]) if heading in _CLICK_WORDS else heading)

    def write_text(self, text: str) -> None:
        self.write(wrap_paragraphs(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        """click's definition list, its second column wrapped by display width."""
        rows = [(term, _translate(text)) for term, text in rows]
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


def _translate(text: str) -> str:
    text = text.replace("Show this message and exit.", HELP("help.help"))
    text = re.sub(r"\bdefault: ", HELP("help.default") + ": ", text)
    text = re.sub(r"\benv var: ", HELP("help.env") + ": ", text)
    return text.replace("[required]", f"[{HELP('help.required')}]")


class KpiContext(click.Context):
    formatter_class = KpiHelpFormatter


class KpiGroup(TyperGroup):
    context_class = KpiContext


class KpiCommand(TyperCommand):
    context_class = KpiContext


def usage_message(exc: click_errors.UsageError) -> str:
    """A usage error in the user's language (click's own words are English; a parser's are the catalogue's)."""
    if hasattr(exc, "words"):  # kpi.cli.options.Refused
        return str(exc.words)
    if isinstance(exc, click_errors.NoSuchOption):
        return HELP("usage.no_such_option", option=exc.option_name)
    if isinstance(exc, click_errors.MissingParameter) and exc.param is not None:
        if exc.param.name in MISSING_ARGUMENT:  # an argument, said as what it is rather than by its name
            return HELP(MISSING_ARGUMENT[exc.param.name])
        return HELP("usage.missing", param=exc.param.opts[0] if exc.param.opts else exc.param.human_readable_name)
    if isinstance(exc, click_errors.BadParameter) and exc.param is not None:
        option = exc.param.opts[0] if exc.param.opts else exc.param.human_readable_name
        choices = getattr(exc.param.type, "choices", None)
        value = _bad_value(exc.message)
        if choices and value is not None:
            return HELP("usage.bad_choice", option=option, value=value, choices=", ".join(str(c) for c in choices))
        kind = getattr(exc.param.type, "name", "")
        if value is not None and kind in ("integer", "float"):
            return HELP("usage.bad_type", option=option, value=value, kind=HELP(TYPE_WORDS[kind]))
        return HELP("usage.bad_value", option=option, detail=exc.message)
    if exc.message.startswith("No such command"):
        name = exc.message.split("'")[1] if "'" in exc.message else exc.message
        return HELP("usage.no_such_command", name=name) + _did_you_mean(exc, name)
    return HELP("usage.other", detail=exc.message)


def _did_you_mean(exc: click_errors.UsageError, name: str) -> str:
    """「もしかして: kpi report」: the commands of the group spelled closest to a mistyped one."""
    import difflib

    group = exc.ctx.command if exc.ctx is not None else None
    commands = list(getattr(group, "commands", {}) or {})  # (an unknown name builds every command: kpi.cli.commands)
    close = difflib.get_close_matches(name, commands, n=3, cutoff=0.6)
    prefix = " ".join(exc.ctx.command_path.split()) if exc.ctx else "kpi"
    return HELP("usage.did_you_mean", commands=", ".join(f"{prefix} {c}" for c in close)) if close else ""


TYPE_WORDS = {"integer": "usage.type.integer", "float": "usage.type.float"}
MISSING_ARGUMENT = {
    "paths": "usage.missing_paths",
    "programmes": "usage.missing_programmes",
    "kpi": "usage.missing_kpi",
    "name": "usage.missing_chart",
    "backup_file": "usage.missing_backup",
}


def usage_hint(exc: click_errors.UsageError) -> str:
    """Where to read how the command is used."""
    return HELP("usage.hint", command=" ".join(exc.ctx.command_path.split()) if exc.ctx else "kpi")


def _bad_value(message: str) -> str | None:
    m = re.search(r"'(.*?)' is not", message)
    return m.group(1) if m else None


# ---------------------------------------------------------------------------- completion


def completion_shell(value: Any) -> str | None:
    """The shell completion is for: the one named, else the one kpi runs in; None if none kpi knows."""
    from typer._completion_shared import Shells, _get_shell_name

    shell = value if isinstance(value, str) else _get_shell_name()
    return shell if shell in {s.value for s in Shells} else None


def completion_shells() -> str:
    from typer._completion_shared import Shells

    return ", ".join(s.value for s in Shells)


def install_completion(shell: str) -> tuple[str, Any]:
    """Install the completion script for `shell`: the shell and the file it went into."""
    from typer._completion_shared import install

    installed: tuple[str, Any] = install(shell=shell, prog_name="kpi")
    return installed


def completion_script(shell: str) -> str:
    from typer._completion_shared import get_completion_script

    return str(get_completion_script(prog_name="kpi", complete_var="_KPI_COMPLETE", shell=shell))
