"""kpi.interrupts: the first signal raises where the process is, a held section waits for its end, repeats
are ignored and a third ends the process; once the outcome is decided a signal changes nothing.

Each case runs in its own interpreter (the handlers are process-wide and must not touch pytest's own)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest
from kit import ROOT

PRELUDE = """
import os, signal, sys, time
from kpi import interrupts
interrupts.install()
interrupts.release()
def kill(signum=signal.SIGINT):
    os.kill(os.getpid(), signum)
    for _ in range(20):  # let Python run the handler
        time.sleep(0.001)
"""


def default_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # as a terminal's foreground command has it
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def run(code: str) -> subprocess.CompletedProcess[str]:
    script = PRELUDE + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60, preexec_fn=default_signals
    )


def test_the_first_signal_raises_stopped_where_the_process_is() -> None:
    result = run("""
        try:
            kill(signal.SIGTERM)
            print("not stopped")
        except interrupts.Stopped as stop:
            print("stopped", stop.signum == signal.SIGTERM, interrupts.received() == signal.SIGTERM)
    """)
    assert result.stdout.split() == ["stopped", "True", "True"], result.stderr


def test_a_held_section_is_finished_before_the_signal_is_raised() -> None:
    result = run("""
        try:
            with interrupts.held():
                kill()
                print("finished the section")
            print("not stopped")
        except interrupts.Stopped:
            print("stopped after it")
    """)
    assert result.stdout.splitlines() == ["finished the section", "stopped after it"], result.stderr


def test_a_held_section_that_fails_keeps_its_own_error_and_the_signal_is_still_known() -> None:
    result = run("""
        try:
            with interrupts.held():
                kill()
                raise OSError("disk full")
        except OSError as exc:
            print(exc, interrupts.received() == signal.SIGINT)
    """)
    assert result.stdout.strip() == "disk full True", result.stderr


def test_the_hold_of_the_start_up_is_released_by_the_command_line() -> None:
    code = """
        import os, signal, time
        from kpi import interrupts
        interrupts.install()  # held: the imports
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
        print("imports done")
        try:
            interrupts.release()
        except interrupts.Stopped:
            print("stopped on release")
    """
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        preexec_fn=default_signals,
    )
    assert result.stdout.splitlines() == ["imports done", "stopped on release"], result.stderr


def test_a_second_signal_is_ignored_and_a_third_ends_the_process() -> None:
    result = run("""
        try:
            kill()
        except interrupts.Stopped:
            print("stopping", flush=True)
            kill()
            print("second ignored", flush=True)
            kill()
            print("still here")
    """)
    assert result.stdout.splitlines() == ["stopping", "second ignored"], result.stderr
    assert result.returncode == -signal.SIGINT


def test_once_the_outcome_is_decided_a_signal_changes_nothing() -> None:
    result = run("""
        interrupts.finish()
        kill()
        print("finished", interrupts.received())
    """)
    assert result.stdout.strip() == "finished None", result.stderr


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_what_was_kept_is_noted_in_order(signum: int) -> None:
    result = run(f"""
        interrupts.keep("cli.kept_commit")
        interrupts.keep("io.kept_files", folder="out", n=3)
        print(interrupts.kept())
        try:
            kill({int(signum)})
        except interrupts.Stopped as stop:
            print(stop.signum)
    """)
    assert result.stdout.splitlines() == [
        "[('cli.kept_commit', {}), ('io.kept_files', {'folder': 'out', 'n': 3})]",
        str(int(signum)),
    ], result.stderr


def test_a_signal_the_process_was_started_ignoring_stays_ignored() -> None:
    """A background job (`kpi load … &` in a script) ignores Ctrl-C, as Python itself leaves it."""
    code = """
        import os, signal, time
        from kpi import interrupts
        interrupts.install()
        interrupts.release()
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
        print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN, interrupts.received())
    """
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    assert result.stdout.strip() == "True None", result.stderr
