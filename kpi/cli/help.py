"""Help, usage errors and shell completion in the user's language.

click's own words are English and its layout counts characters; here headings, [default: …] and [required] come
from the catalogue and help is wrapped by display width. The words of help are chosen before the command line is
parsed (`HELP`: the --lang the command line asks for, else $KPI_LANG), as help is built when the commands are.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

from typer import _click as click  # typer 0.28 vendors click: its classes and exceptions live here
from typer._click import exceptions as click_errors
from typer._click import types as click_types
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from kpi.cli.output import Voice
from kpi.present.catalogue import Words
from kpi.present.wrap import width, wrap, wrap_paragraphs

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
        first_col = min(max((width(term) for term, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for term, text in rows:
            self.write(f"{indent}{term}")
            if not text:
                self.write("\n")
                continue
            if width(term) <= first_col - col_spacing:
                self.write(" " * (first_col - width(term)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(text, max(self.width - first_col - 2, 10)) or [""]
            pad = " " * (first_col + self.current_indent)
            self.write("".join(f"{line if i == 0 else pad + line}\n" for i, line in enumerate(lines)))


def _translate(text: str) -> str:
    text = text.replace("Show this message and exit.", HELP("help.help"))
    text = re.sub(r"\bdefault: ", HELP("help.default") + ": ", text)
    text = re.sub(r"\benv var: ", HELP("help.env") + ": ", text)
    return _one_default(text.replace("[required]", f"[{HELP('help.required')}]"))


def _one_default(text: str) -> str:
    """An option's help says its default once: the help's own words ([既定値: 今日を含む年度]) over click's."""
    default = re.escape(HELP("help.default"))
    said = re.search(rf"\[{default}: [^\]]*\]", text)
    if said is None:
        return text
    head, tail = text[: said.end()], text[said.end() :]
    tail = re.sub(rf"\s*\[{default}: [^\]]*\]", "", tail)  # click's own [default: …]
    tail = re.sub(rf"; {default}: [^\]]*\]", "]", tail)  # …or its part of [env var: …; default: …]
    return head + tail


class KpiContext(click.Context):
    formatter_class = KpiHelpFormatter


# ---------------------------------------------------------------------------- usage errors
#
# click says some usage errors only in English sentences (ctx.fail("Got unexpected extra argument(s) …")); kpi's
# command classes raise these instead, carrying what kpi needs to say them in the user's words (usage_message).


class ExtraArguments(click_errors.UsageError):
    """Arguments a command does not take (`kpi report 2025`)."""

    def __init__(self, extra: list[str], ctx: click.Context) -> None:
        super().__init__("unexpected extra arguments: " + " ".join(extra), ctx)
        self.extra = extra


class MissingCommand(click_errors.UsageError):
    """A group named without one of its commands (`kpi followups`)."""

    def __init__(self, ctx: click.Context) -> None:
        super().__init__("missing command", ctx)


class NoSuchCommand(click_errors.UsageError):
    """A command name the group does not have (`kpi repot`)."""

    def __init__(self, name: str, ctx: click.Context) -> None:
        super().__init__(f"no such command: {name}", ctx)
        self.name = name


class MisplacedOption(click_errors.UsageError):
    """An option on the wrong side of a command's name: a command's own before it (`kpi --db x load …`), or one of
    kpi's own after it (`kpi report --debug`); `fixed` is the command line with the option moved."""

    def __init__(self, option: str, owner: str, fixed: str, before: bool, ctx: click.Context) -> None:
        super().__init__(f"{option} belongs to {owner}", ctx)
        self.option, self.owner, self.fixed, self.before = option, owner, fixed, before


def _has_option(command: click.Command, name: str) -> bool:
    return any(name in (*param.opts, *param.secondary_opts) for param in command.params)


def _takes_value(command: click.Command, name: str) -> bool:
    return any(name in param.opts and not getattr(param, "is_flag", False) for param in command.params)


def _option_tokens(args: list[str], i: int, command: click.Command) -> int:
    """How many of `args` from `i` are the option there (with its value when it takes one as the next word)."""
    name = args[i]
    return 2 if "=" not in name and _takes_value(command, name) and i + 1 < len(args) else 1


def _misplaced(exc: click_errors.NoSuchOption, ctx: click.Context, args: list[str]) -> MisplacedOption | None:
    """The option an unknown-option error is about, when it belongs to a command named later on the line, or to
    the group above this command."""
    import shlex

    name = exc.option_name.split("=", 1)[0]
    if name not in args and not any(a.startswith(name + "=") for a in args):
        return None
    i = next(n for n, a in enumerate(args) if a == name or a.startswith(name + "="))
    group, path, j = ctx.command, [], i + 1
    while isinstance(group, TyperGroup) and j < len(args):  # the command named after the option (followups due)
        sub = group.get_command(ctx, args[j]) if not args[j].startswith("-") else None
        if sub is not None:
            path.append(j)
            group = sub
        j += 1
    if path and _has_option(group, name):
        n = _option_tokens(args, i, group)
        moved = args[i : i + n]
        rest = args[:i] + args[i + n :]
        at = path[-1] - n + 1  # just after the command's name, once the option is taken out
        fixed = shlex.join([*rest[:at], *moved, *rest[at:]])
        owner = " ".join([ctx.command_path, *(args[k] for k in path)])
        return MisplacedOption(name, owner, f"{ctx.command_path} {fixed}", before=True, ctx=ctx)
    above = ctx.parent
    while above is not None and not _has_option(above.command, name):
        above = above.parent
    if above is not None:
        n = _option_tokens(args, i, above.command)
        moved, rest = args[i : i + n], args[:i] + args[i + n :]
        between = ctx.command_path.split()[len(above.command_path.split()) :]  # (followups due)
        fixed = shlex.join([*moved, *between, *rest])
        return MisplacedOption(name, above.command_path, f"{above.command_path} {fixed}", before=False, ctx=ctx)
    return None


class OutDash(click_errors.UsageError):
    """`--out -`: kpi writes to the standard output when --out is left out, and never writes a file named `-`."""

    def __init__(self, ctx: click.Context) -> None:
        super().__init__("--out -", ctx)


class OptionAsValue(click_errors.BadOptionUsage):
    """An option followed by another option's name where its value should be (`--out --force`)."""

    def __init__(self, option: str, following: str, ctx: click.Context) -> None:
        super().__init__(option, f"{option} needs a value", ctx)
        self.following = following


def voice_of_error(exc: click_errors.UsageError, given: list[str], voice: Voice) -> Voice:
    """The voice a usage error is said in: a `--lang en` that stood where a value belongs (`--as-of --lang en`)
    was never the language asked for."""
    if not isinstance(exc, OptionAsValue) or exc.following not in ("--lang", "--log-format"):
        return voice
    at = next((i for i in range(len(given) - 1) if given[i : i + 2] == [exc.option_name, exc.following]), None)
    return voice if at is None else Voice.early([*given[: at + 1], *given[at + 3 :]])


def _option_names(command: click.Command, ctx: click.Context) -> set[str]:
    """The option names a value is never: the command's own, kpi's own (--debug, --lang …) and --help."""
    names = set(ctx.help_option_names)
    for owner in (command, ctx.find_root().command):
        names.update(name for param in owner.params for name in (*param.opts, *param.secondary_opts))
    return {name for name in names if name.startswith("-")}


def _any_commands_option(word: str, ctx: click.Context) -> bool:
    """Whether `word` is the name of an option of any kpi command (`kpi init --out --db x`: --db is not init's)."""
    build = getattr(ctx.find_root().command, "every_command", None)
    if not word.startswith("--") or build is None:
        return False
    return bool(_owners(build(), word.split("=", 1)[0]))  # every command, built only for a word like an option


def _refuse_options_as_values(command: click.Command, ctx: click.Context, args: list[str]) -> None:
    """An option that takes a value followed by an option's name (`--out --force`, `--as-of --lang en`) is missing
    its value, whatever click would make of it: the one rule, before click parses."""
    names, i = _option_names(command, ctx), 0
    while i < len(args) and args[i] != "--":
        word = args[i]
        if not word.startswith("-") and isinstance(command, TyperGroup):
            return  # the command's name: what follows is the command's to parse
        if "=" in word or not _takes_value(command, word):
            i += 1
            continue
        following = args[i + 1] if i + 1 < len(args) else None
        if following is not None and (following in names or _any_commands_option(following, ctx)):
            raise OptionAsValue(word, following, ctx)
        if word == "--out" and following == "-":
            raise OutDash(ctx)
        i += 2


def _parse(command: click.Command, parse: Any, ctx: click.Context, args: list[str]) -> list[str]:
    """click's parsing of a command's arguments, its usage errors given the context and kpi's own kinds."""
    if not ctx.resilient_parsing:
        _refuse_options_as_values(command, ctx, args)
    try:
        rest: list[str] = parse(ctx, list(args))
    except click_errors.NoSuchOption as exc:
        exc.ctx, exc.cmd = exc.ctx or ctx, exc.cmd or command
        raise _misplaced(exc, ctx, list(args)) or exc from None
    except click_errors.UsageError as exc:
        exc.ctx, exc.cmd = exc.ctx or ctx, exc.cmd or command  # (click's parser leaves it out: BadOptionUsage)
        raise
    return rest


class KpiGroup(TyperGroup):
    context_class = KpiContext
    every_command: Callable[[], click.Command] | None = None  # kpi with every command built (kpi.cli.main)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = f"[{HELP('help.options')}]"
        self.subcommand_metavar = f"{HELP('help.commands')} [{HELP('help.arguments')}]..."
        for param in self.params:
            _give_label(param)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            raise MissingCommand(ctx)
        rest = _parse(self, super().parse_args, ctx, args)
        named = getattr(ctx, "_protected_args", None)  # (where typer's Group keeps the command's name)
        if not named and not self.invoke_without_command and not ctx.resilient_parsing:
            raise MissingCommand(ctx)
        return rest

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0]
        if not ctx.resilient_parsing and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise NoSuchCommand(name, ctx)
        return super().resolve_command(ctx, args)


class KpiCommand(TyperCommand):
    context_class = KpiContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = f"[{HELP('help.options')}]"
        for param in self.params:
            _give_label(param)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.allow_extra_args = True  # extra arguments are said by kpi (ExtraArguments), not in click's English
        rest = _parse(self, super().parse_args, ctx, args)
        if rest and not ctx.resilient_parsing:
            raise ExtraArguments(rest, ctx)
        return rest


# Every argument's label (its help's usage line and its usage errors), by its parameter's name; an option's
# metavar by its name when click's would be a Python type (<str>, <float>, <path>).
ARGUMENT_LABELS = {
    "name": "param.chart",
    "kpi": "param.kpi",
    "paths": "param.paths",
    "programmes": "param.programmes",
    "backup_file": "param.backup_file",
    "action": "param.action",
    "number": "param.load_number",
    "load": "param.load_number",
    "numbers": "param.submission_numbers",
    "view": "param.stagegate_view",
}
OPTION_METAVARS = {
    "--as-of": "metavar.year",
    "--fy": "metavar.year",
    "--db": "metavar.file",
    "--out": "metavar.file",
    "--explain": "metavar.kpi",
    "--from": "metavar.date",
    "--to": "metavar.date",
    "--snapshot": "metavar.date",
    "--known-at": "metavar.known_at",
    "--max-file-size": "metavar.size",
    "--programme": "metavar.programme",
    "--project-id": "metavar.number",
    "--renumbered": "metavar.reason",
    "--reopen": "metavar.reason",
    "--sheet": "metavar.sheet",
    "--submission": "metavar.submission",
    "--wait": "metavar.seconds",
    "--kind": "metavar.kind",
    "--max-overdue-days": "metavar.days",
    "--round": "metavar.round",
    "--by": "metavar.grouping",
}


def _give_label(param: click.Parameter) -> None:
    """The parameter's metavar in the help's words: an argument's label, an option's kind."""
    if isinstance(param, TyperArgument) and param.name in ARGUMENT_LABELS:
        param.metavar = HELP(ARGUMENT_LABELS[param.name]) + ("..." if param.nargs != 1 else "")  # (choices: help)
    elif isinstance(param, TyperOption) and param.opts and param.opts[0] in OPTION_METAVARS:
        folder = type(param.type).__name__ == "OutputFolder"  # (kpi export --out names a folder)
        param.metavar = HELP("metavar.folder" if folder else OPTION_METAVARS[param.opts[0]])


def label(param: click.Parameter, words: Words) -> str:
    """How a usage error names the parameter: an option by its name, an argument by its label."""
    if isinstance(param, TyperOption) and param.opts:
        return param.opts[0]
    key = ARGUMENT_LABELS.get(str(param.name))
    return words(key) if key else str(param.name)


def usage_message(exc: click_errors.UsageError, words: Words, tree: Callable[[], click.Command] | None = None) -> str:
    """A usage error in the user's language: every kind click (or kpi's command classes) raises, said from what the
    exception carries; click's own English sentence never reaches the user. `tree` builds every command (kpi
    builds only the one it runs), to name the commands an unknown option belongs to."""
    if isinstance(exc, MisplacedOption):
        key = "usage.option_after_command" if exc.before else "usage.option_before_command"
        return words(key, option=exc.option, owner=exc.owner, fixed=exc.fixed)
    if isinstance(exc, OutDash):
        return words("usage.out_dash")
    if isinstance(exc, ExtraArguments):
        return _one_argument(exc, words) or words("usage.extra", args=" ".join(exc.extra)) + _likely_options(exc, words)
    if isinstance(exc, MissingCommand):
        return words("usage.missing_command", command=_path(exc), commands=", ".join(_commands(exc)))
    if isinstance(exc, NoSuchCommand):
        return words("usage.no_such_command", name=exc.name) + _did_you_mean(exc, exc.name, words)
    if isinstance(exc, click_errors.NoSuchOption):
        return words("usage.no_such_option", option=exc.option_name) + _option_hint(exc, words, tree)
    if isinstance(exc, click_errors.BadOptionUsage):
        return _bad_option_usage(exc, words)
    if isinstance(exc, click_errors.MissingParameter) and exc.param is not None:
        if exc.param.name in MISSING_ARGUMENT:  # an argument, said as what it is rather than by its name
            return words(MISSING_ARGUMENT[exc.param.name])
        return words("usage.missing", param=label(exc.param, words))
    if isinstance(exc, click_errors.BadParameter) and exc.param is not None:
        return _bad_parameter(exc, exc.param, words)
    return words("usage.other")


def _bad_parameter(exc: click_errors.BadParameter, param: click.Parameter, words: Words) -> str:
    """A value its option refused: kpi's own parsers say why (kpi.cli.options.Refused); click's types are said
    by kind — a choice, a number."""
    key = getattr(exc, "key", None)
    if key is not None:  # kpi.cli.options.Refused
        from kpi.present.messages import message

        return message(key, getattr(exc, "params", {}), words)
    option, value = label(param, words), _bad_value(exc.message)
    choices = getattr(param.type, "choices", None)
    env = _from_environment(exc, param)
    if env is not None:  # the user never typed the option: say where the value came from
        if not choices:
            return words("usage.bad_env_value", env=env, value=value or "", option=option)
        return words("usage.bad_env", env=env, value=value or "", choices=", ".join(str(c) for c in choices))
    if choices and value is not None:
        said = words("usage.bad_choice", option=option, value=value, choices=", ".join(str(c) for c in choices))
        meant = [str(c) for c in choices if str(c) == _folded(value)]  # --format JSON, ｊｓｏｎ
        return said + (words("usage.did_you_mean", commands=f"{option} {meant[0]}") if meant else "")
    below = re.match(r"(\S+) is not in the range", exc.message)  # an IntRange with only a minimum (min=0)
    if below and getattr(param.type, "min", None) is not None and getattr(param.type, "max", None) is None:
        return words("usage.below_minimum", option=option, value=below.group(1), minimum=param.type.min)  # type: ignore[attr-defined]
    kind = next((k for t, k in NUMBER_WORDS if isinstance(param.type, t)), None)
    if kind is not None and value is not None:
        return words("usage.bad_type", option=option, value=value, kind=words(kind))
    return words("usage.bad_value", option=option)


def _from_environment(exc: click_errors.BadParameter, param: click.Parameter) -> str | None:
    """The environment variable a refused value came from ($KPI_LANG), or None when it was typed."""
    from typer._click.core import ParameterSource

    ctx, env = exc.ctx, getattr(param, "envvar", None)
    if ctx is None or not isinstance(env, str) or param.name is None:
        return None
    return env if ctx.get_parameter_source(param.name) is ParameterSource.ENVIRONMENT else None


def _bad_option_usage(exc: click_errors.BadOptionUsage, words: Words) -> str:
    """An option without the value it takes (`--as-of` last), or a flag given one (`--force=1`)."""
    command = exc.ctx.command if exc.ctx is not None else None
    param = next((p for p in command.params if exc.option_name in p.opts), None) if command else None
    if param is not None and getattr(param, "is_flag", False):
        return words("usage.takes_no_value", option=exc.option_name)
    choices = getattr(param.type, "choices", None) if param is not None else None
    if choices:
        return words("usage.needs_choice", option=exc.option_name, choices=", ".join(str(c) for c in choices))
    return words("usage.needs_value", option=exc.option_name)


def _folded(text: str) -> str:
    """A name as it was meant: full-width letters made ASCII (ｒｅｐｏｒｔ), upper case made lower (--AS-OF)."""
    import unicodedata

    return unicodedata.normalize("NFKC", text).lower()


def _option_hint(exc: click_errors.NoSuchOption, words: Words, tree: Callable[[], click.Command] | None) -> str:
    """The commands whose option it is (「--stage は kpi export のオプションです」), else 「もしかして: --as-of」 for an
    option of the command spelled close to it (in any case or width): an option other commands have is not a typo
    (`kpi portfolio --db` is not `--by`)."""
    import difflib

    name = exc.option_name.split("=", 1)[0]
    command = exc.ctx.command if exc.ctx is not None else None
    own = [o for p in (command.params if command else []) for o in (*p.opts, *p.secondary_opts) if o[:1] == "-"]
    possible = {_folded(p): p for p in [*own, *(exc.possibilities or ())]}
    close = [possible[c] for c in difflib.get_close_matches(_folded(name), list(possible), cutoff=0.75)]
    owners = _owners(tree(), name) if tree is not None else []
    if close and not owners:
        return words("usage.did_you_mean", commands=", ".join(close))
    here = _path(exc) + " "  # a group's own subcommands first: `kpi followups --db` is `kpi followups due`'s
    owners = [o for o in owners if o.startswith(here)] or owners
    if len(owners) > 3:
        first, second = sorted(owners, key=_commonest)[:2]
        return words("usage.many_commands_option", option=name, first=first, second=second)
    if owners:
        return words("usage.other_commands_option", option=name, commands=", ".join(owners))
    return ""


COMMONEST = ("kpi load", "kpi report", "kpi export", "kpi check")  # named first for an option many commands have


def _commonest(command: str) -> tuple[int, str]:
    return (COMMONEST.index(command) if command in COMMONEST else len(COMMONEST), command)


def _owners(command: click.Command, option: str, path: str = "kpi") -> list[str]:
    """The commands under `command` that have `option`, by their full names."""
    found = []
    for name, sub in sorted((getattr(command, "commands", None) or {}).items()):
        if not isinstance(sub, TyperGroup) and _has_option(sub, option):
            found.append(f"{path} {name}")
        found += _owners(sub, option, f"{path} {name}")
    return found


def _one_argument(exc: ExtraArguments, words: Words) -> str:
    """「kpi undo がとる読込番号は一つです」: a second number after a command that takes one number."""
    command = exc.ctx.command if exc.ctx is not None else None
    numbered = [
        p
        for p in (command.params if command else [])
        if isinstance(p, TyperArgument) and p.nargs == 1 and isinstance(p.type, click_types.IntParamType)
    ]
    if len(numbered) != 1 or not all(value.isdigit() for value in exc.extra):
        return ""
    return words("usage.one_argument", command=_path(exc), label=label(numbered[0], words), args=" ".join(exc.extra))


# The kinds of option value that tell which option a stray argument was meant for: a parser that refuses most
# words (a year, a date, a load). A free text (a reason), a path or a plain number would take any argument.
TELLING_KINDS = ("metavar.year", "metavar.date", "metavar.known_at")


def _likely_options(exc: ExtraArguments, words: Words) -> str:
    """「もしかして: --as-of 2025」: for each extra argument, the first option of the command not yet offered that would take it —
    a choice it is one of, else a value kpi's own parser accepts (a year, a date, a load) — none for a path or a
    plain number, which any path or number option would take."""
    import shlex

    command, ctx = exc.ctx.command if exc.ctx else None, exc.ctx
    if command is None or ctx is None:
        return ""
    offered = [
        p
        for p in command.params
        if isinstance(p, TyperOption) and not p.is_flag and p.opts[0] not in ("--lang", "--log-format")
    ]
    fixes = []
    for value in exc.extra:  # each option offered once: `kpi changes D1 D2` is --from D1 --to D2
        option = next((p for p in offered if _accepts(p, value, ctx)), None)
        if option is not None:
            offered.remove(option)
            fixes.append(f"{option.opts[0]} {shlex.quote(value)}")
    return words("usage.did_you_mean", commands=" ".join(fixes)) if fixes else ""


def _accepts(param: click.Parameter, value: str, ctx: click.Context) -> bool:
    """Whether the option's value could be `value`: one of its choices, or what its kpi parser accepts."""
    kind = param.type
    choices = getattr(kind, "choices", None)
    if choices:
        return value in [str(c) for c in choices]
    if not isinstance(kind, click_types.FuncParamType) or OPTION_METAVARS.get(param.opts[0]) not in TELLING_KINDS:
        return False  # a path, a number, a text: anything fits, nothing tells
    try:
        kind.convert(value, param, ctx)
    except Exception:
        return False
    return True


def _path(exc: click_errors.UsageError) -> str:
    return " ".join(exc.ctx.command_path.split()) if exc.ctx else "kpi"


def _commands(exc: click_errors.UsageError) -> list[str]:
    group = exc.ctx.command if exc.ctx is not None else None
    return list(getattr(group, "commands", {}) or {})


def _did_you_mean(exc: click_errors.UsageError, name: str, words: Words) -> str:
    """「もしかして: kpi report」: the commands of the group spelled closest to a mistyped one."""
    import difflib

    prefix = _path(exc)
    if _folded(name) in ("help", "-h"):  # kpi help
        return words("usage.did_you_mean", commands=f"{prefix} --help")
    close = difflib.get_close_matches(_folded(name), _commands(exc), n=3, cutoff=0.6)  # (builds them all)
    return words("usage.did_you_mean", commands=", ".join(f"{prefix} {c}" for c in close)) if close else ""


NUMBER_WORDS = ((click_types.IntParamType, "usage.type.integer"), (click_types.FloatParamType, "usage.type.float"))
MISSING_ARGUMENT = {
    "paths": "usage.missing_paths",
    "programmes": "usage.missing_programmes",
    "kpi": "usage.missing_kpi",
    "name": "usage.missing_chart",
    "backup_file": "usage.missing_backup",
}


def usage_hint(exc: click_errors.UsageError, words: Words) -> str:
    """Where to read how the command is used (the one a misplaced option belongs to)."""
    return words("usage.hint", command=exc.owner if isinstance(exc, MisplacedOption) else _path(exc))


def _bad_value(message: str) -> str | None:
    """The value in click's own sentence about it ('abc' is not a valid int. / 'x' is not one of …): repr-quoted."""
    m = re.match(r"""(['"])(.*)\1 is not""", message, re.S)
    return m.group(2) if m else None


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
