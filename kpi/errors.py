"""The exception family of kpi and the exit codes it maps to.

An error carries a message key and its parameters, never finished words: kpi.present.catalogue turns
them into Japanese or English at the top, so every layer below stays free of the user's language.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

# OS errors that mean the disk (or the file-size limit, or a quota) is full: exit 74 saying so.
DISK_FULL = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT})
# OS errors that mean a file may not be created or written here: exit 73 (an output) or 77 (the database).
NOT_PERMITTED = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


class ExitCode(IntEnum):
    """Exit codes are an API: scripts and cron jobs depend on them (README, 'Exit codes')."""

    OK = 0
    TARGET_MISSED = 1
    USAGE = 2
    INPUT_REJECTED = 3
    OVERDUE = 4  # kpi check --max-overdue-days N: a survey sent is unanswered more than N days past its deadline
    DAMAGED = 65  # sysexits EX_DATAERR: the database file is damaged (cut short, bad blocks)
    INTERNAL = 70
    CANNOT_CREATE = 73  # sysexits EX_CANTCREAT: an output file cannot be created (a read-only folder, a device)
    IO_ERROR = 74  # sysexits EX_IOERR: a file could not be written (a full disk, a file-size limit)
    BUSY = 75
    NO_PERMISSION = 77  # sysexits EX_NOPERM: the database cannot be opened or written for want of permission
    INTERRUPTED = 130
    TERMINATED = 143


@dataclass(frozen=True)
class Failure:
    """One broken rule: where it is, what was wrong, and the rule (a catalogue key with its parameters)."""

    file: str
    line: int | None
    column: str
    value: str | None
    rule: str
    params: dict[str, Any] = field(default_factory=dict, compare=False)


class KpiError(Exception):
    """An error with a message (catalogue key and parameters) for the user and an exit code."""

    exit_code = ExitCode.INTERNAL

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __str__(self) -> str:  # for tracebacks under --debug; users read the catalogue's words
        return f"{self.key} {self.params}" if self.params else self.key


class InputRejected(KpiError):
    """Input files were refused; nothing was written."""

    exit_code = ExitCode.INPUT_REJECTED

    def __init__(self, key: str, /, failures: list[Failure] | None = None, **params: Any) -> None:
        super().__init__(key, **params)
        self.failures = failures or []


class NoData(KpiError):
    """The database is missing or holds nothing to report on."""

    exit_code = ExitCode.INPUT_REJECTED


class NoSettings(KpiError):
    """The programme settings (targets) were never loaded."""

    exit_code = ExitCode.INPUT_REJECTED


class DatabaseUnreadable(KpiError):
    """The file is not a DuckDB database kpi can open."""

    exit_code = ExitCode.INPUT_REJECTED


class SchemaTooNew(KpiError):
    """The database was written by a newer kpi."""

    exit_code = ExitCode.INPUT_REJECTED


class CannotEncode(KpiError):
    """A character has no form in the requested encoding (never written as '?')."""

    exit_code = ExitCode.INPUT_REJECTED


class CannotExport(KpiError):
    """A value cannot be written in the requested format as it is (a text longer than an Excel cell holds)."""

    exit_code = ExitCode.INPUT_REJECTED


class UsageProblem(KpiError):
    """An option or argument the command cannot use."""

    exit_code = ExitCode.USAGE


class DatabaseBusy(KpiError):
    """Another process held the database for longer than the wait."""

    exit_code = ExitCode.BUSY


class OpenInOffice(KpiError):
    """A file kpi would read or replace is open in Excel or LibreOffice (its lock file lies beside it): try again
    once it is saved and closed."""

    exit_code = ExitCode.BUSY


class DatabaseDamaged(KpiError):
    """The database file is damaged (cut short, or blocks whose checksum fails); it is left as it is."""

    exit_code = ExitCode.DAMAGED


class CannotCreate(KpiError):
    """An output file cannot be created: its folder is read-only or not there, or permission is refused."""

    exit_code = ExitCode.CANNOT_CREATE


class NoPermission(KpiError):
    """The database (or the folder that holds it) may not be opened or written by this user."""

    exit_code = ExitCode.NO_PERMISSION


class CannotWrite(KpiError):
    """A file could not be written (a full disk, a file-size limit); what was kept is in the message."""

    exit_code = ExitCode.IO_ERROR


class UndoRefused(KpiError):
    """A load cannot be undone: there is none, it is an undo itself, it was undone, or a later load built on it."""

    exit_code = ExitCode.INPUT_REJECTED


class YearClosed(KpiError):
    """A load would change a figure of a year whose final figures were submitted (--reopen "reason" allows it)."""

    exit_code = ExitCode.INPUT_REJECTED
