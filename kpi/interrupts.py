"""Ctrl-C and SIGTERM at any moment: one exception where the process is, or a short wait where it must not stop.

The entry point installs the handlers before any heavy import (this module imports only `signal` and `os`).
The first signal raises `Stopped` where the process is, so that an open transaction rolls back and temporary
files are removed; DuckDB reports it from inside a statement as `RuntimeError: Query interrupted`, which is
why `received()` says that a signal arrived, whatever exception carries it up. Inside `held()` (the imports,
COMMIT, renaming export files into place, the exit itself) a signal is only noted, and raised when the
held section ends: a commit is all done or not started, an export folder holds all its files or none.

A second signal while the first one is being handled is ignored (the rollback is under way); a third ends
the process by the signal itself, for a person who really wants it gone.
"""

import _signal  # the C module under `signal`: importing `signal` (its enums) would cost ~3 ms before the handlers
import os

TYPE_CHECKING = False  # (typing itself costs ~6 ms to import: this module runs before the handlers are up)
if TYPE_CHECKING:
    from types import FrameType, TracebackType
    from typing import Any

SIGINT, SIGTERM = _signal.SIGINT, _signal.SIGTERM
SIGNALS = (SIGINT, SIGTERM)
FORCE_AFTER = 3  # signals: the third one ends the process at once

_received: int | None = None  # the first signal that arrived
_raised = False  # whether Stopped has been raised for it
_count = 0  # signals that arrived
_holds = 0  # depth of held() sections (the entry point starts one, the command line releases it)
_finished = False  # the outcome is decided: from now on signals are only noted
_kept: "list[tuple[str, dict[str, Any]]]" = []  # what was stored for good (catalogue keys), for the message


class Stopped(BaseException):
    """Ctrl-C (SIGINT) or SIGTERM; a BaseException so that no `except Exception` (nor typer) takes it for an error."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum: int, frame: "FrameType | None") -> None:
    global _received, _raised, _count
    _count += 1
    if _received is None and not _finished:
        _received = signum
        if _holds == 0:
            _raised = True
            raise Stopped(signum)
    elif _count >= FORCE_AFTER:
        _signal.signal(signum, _signal.SIG_DFL)
        os.kill(os.getpid(), signum)


def install() -> None:
    """Take Ctrl-C and SIGTERM from here on, held until `release()` (the command line can then say what happened).
    A signal the process was started ignoring stays ignored (a shell's background job ignores Ctrl-C)."""
    global _holds
    _holds += 1
    for signum in SIGNALS:
        if _signal.getsignal(signum) != _signal.SIG_IGN:
            _signal.signal(signum, _on_signal)


def _raise_pending() -> None:
    global _raised
    if _received is not None and not _raised and _holds == 0 and not _finished:
        _raised = True
        raise Stopped(_received)


def release() -> None:
    """End the hold `install()` began; a signal that arrived meanwhile is raised now."""
    global _holds
    _holds = max(_holds - 1, 0)
    _raise_pending()


class held:
    """A section a signal must not cut in two: it is noted and raised when the section ends."""

    def __enter__(self) -> None:
        global _holds
        _holds += 1

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: "TracebackType | None"
    ) -> None:
        global _holds
        _holds -= 1
        if exc_type is None:
            _raise_pending()


def finish() -> None:
    """The outcome is decided (its message is being written, the process is exiting): signals are only noted."""
    global _finished
    _finished = True


def ignore() -> None:
    """The process is exiting: from here on Ctrl-C and SIGTERM are ignored. As Python finalises it gives every
    signal with a Python handler back its default action, so a late signal would end the process by itself
    (exit -2 or -15 instead of the command's own code)."""
    for signum in SIGNALS:
        _signal.signal(signum, _signal.SIG_IGN)


def received() -> int | None:
    """The first signal that arrived before the outcome was decided, if any (it may have surfaced as another
    exception, e.g. DuckDB's `Query interrupted`)."""
    return _received


def keep(key: str, /, **params: "Any") -> None:
    """Note something stored for good (a catalogue key), so that the message of a signal can say so."""
    _kept.append((key, params))


def kept() -> "list[tuple[str, dict[str, Any]]]":
    """What this process has stored for good, in order."""
    return list(_kept)
