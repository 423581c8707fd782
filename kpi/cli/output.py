"""What goes to stdout and stderr, in which language and log format, and the exit code every outcome maps to.

The language and the log format are decided once per process (`Voice.early`: the command line's --lang and
--log-format wherever they stand, else $KPI_LANG and $KPI_LOG_FORMAT) and passed to every command as its
`Console`; stdout carries only data, every message goes to stderr.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from kpi import interrupts
from kpi.errors import DISK_FULL, CannotWrite, ExitCode, Failure, InputRejected, KpiError
from kpi.present.catalogue import DEFAULT_LANG, Lang, Words
from kpi.present.formats import Format

if TYPE_CHECKING:
    from kpi.present.progress import Progress


WRITTEN_AS = "written_as"  # the format of the file a command writes (its context's meta: kpi.cli.options)
BOM = "\ufeff".encode()


def written_as() -> Format | None:
    """The format of the file the running command writes (--out), as kpi.cli.options.settle_format settled it."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    return ctx.meta.get(WRITTEN_AS) if ctx is not None else None


class LogFormat(StrEnum):
    """How messages are written: lines of text, or one JSON object per line (with its time)."""

    text = "text"
    json = "json"


def _early(args: Sequence[str], option: str, env: str, choices: Sequence[str]) -> str | None:
    """An option's value read before parsing (help texts and usage errors need it first): the command line's
    when it is one of `choices`, else the environment's."""
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


@dataclass(frozen=True)
class Voice:
    """The language of every word a command prints and the form of its messages, decided once per process."""

    lang: Lang = DEFAULT_LANG
    log_format: LogFormat = LogFormat.text

    @classmethod
    def early(cls, args: Sequence[str]) -> Voice:
        """The voice the command line asks for (before or after the command's name), else the environment's."""
        lang = _early(args, "--lang", "KPI_LANG", list(Lang.__members__))
        log_format = _early(args, "--log-format", "KPI_LOG_FORMAT", list(LogFormat.__members__))
        return cls(Lang(lang or DEFAULT_LANG), LogFormat(log_format or LogFormat.text))

    @property
    def words(self) -> Words:
        return Words(self.lang)


def stderr_is_a_file() -> bool:
    """Whether stderr is a regular file (cron's `2>> kpi.log`): its lines then start with the time."""
    import stat

    try:
        return stat.S_ISREG(os.fstat(sys.stderr.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):  # no descriptor (a test runner's buffer): not a file
        return False


def terminal_columns() -> int | None:
    """The width of the terminal stdout writes to (COLUMNS when set), or None when stdout is a pipe or a file."""
    try:
        if not os.isatty(sys.stdout.fileno()):
            return None
    except (OSError, ValueError, AttributeError):
        return None
    import shutil

    return shutil.get_terminal_size().columns


def stderr_is_a_terminal() -> bool:
    try:
        return os.isatty(sys.stderr.fileno())
    except (OSError, ValueError, AttributeError):
        return False


def _stderr(text: str) -> None:
    """Text lines for stderr. When stderr is a file, each line starts with the time (as the JSON lines' `time`);
    a terminal, or a pipe whose reader keeps its own time (journald, cron's mail, a script), gets the lines as they
    are."""
    if stderr_is_a_file():
        stamp = _now()
        text = "".join(f"{stamp} {line}" for line in text.splitlines(keepends=True))
    sys.stderr.write(text)


def _now() -> str:
    """The time of a log line, in Japan's calendar whatever the machine's clock zone (kpi.fiscal.machine_time)."""
    from kpi.fiscal import machine_time

    return machine_time(dt.datetime.now(dt.UTC))


def log(record: dict[str, Any]) -> None:
    """One JSON line on stderr, with its time."""
    stamped = {"time": _now(), **record}
    import json

    sys.stderr.write(json.dumps(stamped, ensure_ascii=False) + "\n")


class Console:
    """A command's way to the user: data to stdout, messages to stderr, in the process's voice."""

    def __init__(self, voice: Voice) -> None:
        self.voice = voice
        self.words = voice.words

    def out(self, data: str | bytes) -> None:
        """Data for stdout (a report, JSON, CSV)."""
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()

    def say(self, message: str) -> None:
        """A message for the person or the log: always stderr, so stdout carries only data."""
        if not message:
            return
        if self.voice.log_format is LogFormat.json:
            log({"level": "info", "message": message})
        else:
            _stderr(message.rstrip("\n") + "\n")

    def emit(
        self,
        data: str | bytes,
        to: Path | None,
        force: bool = False,
        said: str = "export.wrote",
    ) -> None:
        """Data to stdout, or written to the file `to` (kpi.db.gate: atomically, never over what it must not
        replace) and said so (the catalogue key `said`, given the path). A CSV file starts with a BOM, so that Excel
        reads it as UTF-8; CSV on stdout never does (a pipe's reader does not expect one)."""
        if to is None:
            self.out(data)
            return
        from kpi.db.gate import write_file

        raw = data.encode("utf-8") if isinstance(data, str) else data
        if written_as() is Format.csv and not raw.startswith(BOM):
            raw = BOM + raw
        written = write_file(to, raw, force)
        self.say(self.words(said, path=written))

    def progress(self, quiet: bool) -> Progress | None:
        """The progress line of a long load: on a terminal only, never with --quiet or JSON log lines."""
        if quiet or self.voice.log_format is LogFormat.json or not stderr_is_a_terminal():
            return None
        from kpi.present.progress import Progress

        return Progress(self.words, sys.stderr)


def fail(
    voice: Voice, message: str, code: int, failures: list[Failure] | None = None, hint: str | None = None
) -> NoReturn:
    """The one message of a failed command, then its exit code. From here on a signal changes nothing (the
    outcome is decided), and nothing heavy is imported: this also reports a signal that cut an import short.
    A message with nowhere to go (stderr on a full disk) is dropped: the exit code still tells."""
    interrupts.finish()
    words = voice.words
    try:
        if voice.log_format is LogFormat.json:
            if failures:
                from kpi.present.messages import rule_text
            for f in failures or []:
                log(
                    {
                        "level": "error",
                        "file": f.file,
                        "line": f.line,
                        "column": f.column,
                        "value": f.value,
                        "rule": rule_text(f, words),
                    }
                )
            log({"level": "error", "message": message, "exit_code": int(code)})
        else:
            if failures:
                from kpi.present.messages import failures_table

                _stderr(failures_table(failures, words) + "\n")
            _stderr(words("cli.error", message=message) + "\n" + (hint + "\n" if hint else ""))
        sys.stderr.flush()
    except OSError:
        sys.stderr = None  # (nor is it flushed again at exit)
    sys.exit(int(code))


def stopped(voice: Voice, signum: int) -> NoReturn:
    """Ctrl-C or SIGTERM: one line saying what was kept (a committed load, written files), exit 130 / 143."""
    words = voice.words
    joiner = "、" if words.lang is Lang.ja else "; "
    kept = joiner.join(words(key, **params) for key, params in interrupts.kept()) or words("cli.kept_nothing")
    if signum == interrupts.SIGTERM:
        fail(voice, words("cli.terminated", kept=kept), ExitCode.TERMINATED)
    fail(voice, words("cli.interrupted", kept=kept), ExitCode.INTERRUPTED)


def fail_with(voice: Voice, exc: KpiError) -> NoReturn:
    """A KpiError's message and exit code; a refusal about one whole file as one line (what a cron mail needs)."""
    from kpi.present.messages import error_text, refusal_line

    words = voice.words
    if isinstance(exc, InputRejected):
        one = refusal_line(exc, words) if voice.log_format is LogFormat.text else None
        fail(voice, one or error_text(exc, words), exc.exit_code, None if one else exc.failures)
    fail(voice, error_text(exc, words), exc.exit_code)


@contextmanager
def outcomes(voice: Voice, debug: bool) -> Iterator[None]:
    """Map every outcome of a command to one message and one exit code (README, 'Exit codes')."""
    from typer import Abort, Exit

    try:
        yield
    except (Exit, Abort):
        raise
    except BaseException as exc:
        signum = interrupts.received()
        if signum is not None:  # Ctrl-C or SIGTERM, however it came up (DuckDB: "Query interrupted")
            stopped(voice, signum)
        if not isinstance(exc, Exception):
            raise
        if isinstance(exc, InputRejected):
            fail_with(voice, exc)
        if debug:
            raise
        if isinstance(exc, KpiError):
            fail_with(voice, exc)
        if isinstance(exc, OSError) and exc.errno in DISK_FULL:  # stdout or stderr on a full disk
            committed = any(key == "cli.kept_commit" for key, _ in interrupts.kept())
            fail_with(voice, CannotWrite("io.disk_full_output", committed=committed))
        # a bug: one line for the user, the traceback only with --debug
        fail(voice, voice.words("cli.internal", kind=type(exc).__name__, detail=exc), ExitCode.INTERNAL)
