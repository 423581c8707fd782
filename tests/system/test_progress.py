"""Progress of a long `kpi load`: on a terminal's stderr only; never into a pipe or a file, nor with --quiet.

A load of the sample takes well under the second before progress shows, so each test holds the load at the start
of its reading (faultkit's pause) for as long as it needs: the line must appear while the load is held there, and
must not appear in the same hold with --quiet or into a pipe. Nothing depends on how fast the machine reads.
"""

from __future__ import annotations

import os
import pty
import select
import time
from pathlib import Path

import pytest
from faultkit import Spy
from kit import SAMPLE_THEMES

from kpi.present.progress import DELAY

HELD_AT = "begin read"  # inside the load's transaction, before the first file is read


def read_terminal(leader: int, until: str | None = None, timeout: float = 60) -> str:
    """What the terminal shows: until `until` appears (AssertionError if it never does), else until it closes."""
    shown = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if until is not None and until in shown.decode("utf-8", errors="replace"):
            break
        ready, _, _ = select.select([leader], [], [], 0.05)
        if not ready:
            continue
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            chunk = b""
        if not chunk:
            assert until is None, f"the terminal closed before {until!r}: {shown!r}"
            break
        shown += chunk
    else:
        raise AssertionError(f"nothing like {until!r} within {timeout} s: {shown!r}")
    return shown.decode("utf-8", errors="replace")


def hold_past_the_delay(spy: Spy) -> None:
    """Keep the held load held until twice the progress delay has passed since it was held."""
    held = spy.times[spy.wait_for("paused")]
    while time.monotonic() < held + 2 * DELAY:
        time.sleep(0.05)


def test_a_held_load_on_a_terminal_shows_its_phase_then_its_table(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    try:
        with Spy(
            "load", "--db", str(tmp_path / "kpi.duckdb"), str(SAMPLE_THEMES), pause_at=HELD_AT, stderr=follower
        ) as spy:
            os.close(follower)
            spy.wait_for("paused")
            during = read_terminal(leader, until="ファイルを読み込んでいます")  # only the progress can speak now
            assert spy.proc.poll() is None and spy.index("end read") is None  # still held where it was
            spy.resume()
            code = spy.finish()
            after = read_terminal(leader)
    finally:
        os.close(leader)
    assert code == 0, during + after
    assert "秒" in during  # the time taken so far
    assert "144" in after and "テーマ" in after  # the load table follows


def test_quiet_shows_nothing_on_a_terminal(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    args = ["load", "-q", "--db", str(tmp_path / "kpi.duckdb"), str(SAMPLE_THEMES)]
    try:
        with Spy(*args, pause_at=HELD_AT, stderr=follower) as spy:
            os.close(follower)
            hold_past_the_delay(spy)
            spy.resume()
            code = spy.finish()
            shown = read_terminal(leader)
    finally:
        os.close(leader)
    assert (code, shown) == (0, "")


@pytest.mark.slow  # (a real process: 3 s; --quiet on a terminal, in the default run, shows the same silence)
def test_a_pipe_gets_no_progress(tmp_path: Path) -> None:
    with Spy("load", "--db", str(tmp_path / "kpi.duckdb"), str(SAMPLE_THEMES), pause_at=HELD_AT) as spy:
        hold_past_the_delay(spy)
        spy.resume()
        code = spy.finish()
        stderr = spy.stderr()
    assert code == 0, stderr
    assert "読み込んでいます" not in stderr and "\x1b[" not in stderr
    assert "144" in stderr  # the load table, and nothing else
