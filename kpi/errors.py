"""The exception family of kpi and the exit codes it maps to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes are an API: scripts and cron jobs depend on them (README, 'Exit codes')."""

    OK = 0
    TARGET_MISSED = 1
    USAGE = 2
    INPUT_REJECTED = 3
    INTERNAL = 70
    BUSY = 75
    INTERRUPTED = 130
    TERMINATED = 143


class KpiError(Exception):
    """An error with a message for the user and an exit code."""

    exit_code = ExitCode.INTERNAL


@dataclass(frozen=True)
class Failure:
    """One broken rule: where it is and what was wrong."""

    file: str
    line: int | None
    column: str
    value: str | None
    rule: str


class InputRejected(KpiError):
    """Input files were refused; nothing was written."""

    exit_code = ExitCode.INPUT_REJECTED

    def __init__(self, message: str, failures: list[Failure] | None = None) -> None:
        super().__init__(message)
        self.failures = failures or []


class NoData(KpiError):
    """The database is missing or holds nothing to report on."""

    exit_code = ExitCode.INPUT_REJECTED


class DatabaseUnreadable(KpiError):
    """The file is not a DuckDB database kpi can open."""

    exit_code = ExitCode.INPUT_REJECTED


class SchemaTooNew(KpiError):
    """The database was written by a newer kpi."""

    exit_code = ExitCode.INPUT_REJECTED


class UsageProblem(KpiError):
    """An option or argument the command cannot use."""

    exit_code = ExitCode.USAGE


class DatabaseBusy(KpiError):
    """Another process held the database for longer than the wait."""

    exit_code = ExitCode.BUSY


class Interrupted(KpiError):
    """Ctrl-C or SIGTERM stopped the command; the transaction was rolled back."""

    def __init__(self, message: str, exit_code: ExitCode) -> None:
        super().__init__(message)
        self.exit_code = exit_code
