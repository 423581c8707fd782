"""Crash safety: `kpi load` killed (SIGKILL) at any moment leaves all of the load or none of it.

A large themes file (tests/system/conftest.py: the sample's themes, 20 of them with a changed status, plus
40,000 new ones) is loaded into a copy of a database holding sample_data/ and killed at chosen moments:
while reading, just after opening the database, inside the longest statement of the transaction, on
COMMIT, just after COMMIT and during the CHECKPOINT that follows. Each kill is proven to land in the phase
it names (tests/faultkit.py: the process is paused there, or frozen by SIGSTOP as soon as the phase begins
and shown not to have left it), never slept towards and hoped for. Another pair of kills uses the plain
`python -m kpi` at fractions of its measured running time, and asserts that it was still running.

After each kill the database must open, `kpi report` must pass, and every table must equal either the
state before the load or the state after an uninterrupted load (checksums of all tables; the clock time
in `loads` left out). A load whose COMMIT had returned must be kept. (Ctrl-C and SIGTERM: test_signals.py.)

Every moment is in the default run; the kills at fractions of a measured time are marked `serial` (run alone).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from faultkit import CLOCK_COLUMNS, BigLoad, Spy, kpi_env, longest_in_transaction, rows, table_checksums
from kit import SAMPLE, cli, run_kpi

ATTEMPTS = 10  # a phase shorter than the test's reaction is tried again (each attempt proves where it stopped)


def kill_at(db: Path, load: BigLoad, *, pause_at: str | None = None, inside: tuple[str, ...] | None = None) -> Spy:
    """Start the load and SIGKILL it paused at `pause_at`, or frozen inside the phase `inside` = (begin, end), or
    (begin, end, after): the first such phase after the announcement `after`."""
    for _ in range(ATTEMPTS):
        load.copy(db)
        spy = Spy("load", "--db", str(db), str(load.source), pause_at=pause_at)
        try:
            if pause_at:
                spy.wait_for("paused")
                landed = True
            else:
                assert inside is not None
                begin, end, *after = inside
                landed = spy.stop_inside(begin, end, after=after[0] if after else None)
            spy.send(signal.SIGKILL)
            assert spy.finish(timeout=60) == -signal.SIGKILL
        finally:
            spy.close()
        if landed:
            return spy
    raise AssertionError(f"in {ATTEMPTS} attempts the load never stopped inside {inside}")


MOMENTS = [
    # id, where the kill lands, the state it must leave (None: either), whether to run the load again after
    ("while-reading", {"inside": ("begin read", "end read")}, "before", False),
    ("database-just-opened", {"pause_at": "connected"}, "before", False),
    ("inside-the-longest-statement", {"inside": ("before {longest}", "after {longest}")}, "before", True),
    ("on-commit", {"inside": ("before COMMIT", "after COMMIT")}, None, True),
    ("just-after-commit", {"pause_at": "after COMMIT"}, "after", False),
    # the CHECKPOINT after the load's COMMIT (the one before the load keeps a backup copy of the database)
    ("mid-checkpoint", {"inside": ("before CHECKPOINT", "after CHECKPOINT", "after COMMIT")}, "after", False),
]


@pytest.mark.parametrize(("where", "expected", "reload"), [pytest.param(*m[1:], id=m[0]) for m in MOMENTS])
def test_sigkill_at_a_moment_of_the_load_keeps_all_or_nothing(
    big_load: BigLoad, tmp_path: Path, where: dict[str, object], expected: str | None, reload: bool
) -> None:
    db = tmp_path / "kpi.duckdb"
    if "inside" in where:
        phase = tuple(part.format(longest=big_load.longest) for part in where["inside"])  # type: ignore[attr-defined]
        kill_at(db, big_load, inside=phase)
    else:
        kill_at(db, big_load, pause_at=str(where["pause_at"]))
    state = big_load.state(db)
    if expected:
        assert state == expected
    if reload:  # the same load, run again, completes on the recovered file
        again = cli("load", "--db", str(db), str(big_load.source))
        assert again.returncode == 0, again.stderr
        assert table_checksums(db, CLOCK_COLUMNS) == big_load.after


@pytest.mark.serial
@pytest.mark.parametrize("fraction", [0.3, 0.6])
def test_sigkill_of_the_plain_command_at_a_fraction_of_its_run_keeps_all_or_nothing(
    big_load: BigLoad, tmp_path: Path, fraction: float
) -> None:
    # how long the plain command takes here, now (the same load into another copy)
    timed = big_load.copy(tmp_path / "timed.duckdb")
    started = time.monotonic()
    assert run_kpi("load", "--db", str(timed), str(big_load.source), timeout=300).returncode == 0
    total = time.monotonic() - started
    db = big_load.copy(tmp_path / "kpi.duckdb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kpi", "load", "--db", str(db), str(big_load.source)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=kpi_env(),
    )
    time.sleep(fraction * total)
    proc.kill()
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the load had ended before the kill: nothing was tested"
    big_load.state(db)


def test_sigkill_during_the_first_load_into_a_new_file_leaves_no_half_database(
    big_load: BigLoad, tmp_path: Path
) -> None:
    with Spy("load", "--db", str(tmp_path / "reference.duckdb"), str(big_load.source)) as reference:
        assert reference.finish(timeout=300) == 0, reference.stderr()
    longest = longest_in_transaction(reference)  # a first load takes its own path (no comparison with stored rows)
    db = tmp_path / "new.duckdb"
    for _ in range(ATTEMPTS):
        db.unlink(missing_ok=True)
        with Spy("load", "--db", str(db), str(big_load.source)) as spy:
            landed = spy.stop_inside(f"before {longest}", f"after {longest}")
            spy.send(signal.SIGKILL)
            assert spy.finish(timeout=60) == -signal.SIGKILL
        if landed:
            break
    else:
        raise AssertionError("the first load never stopped inside its longest statement")
    report = cli("report", "--db", str(db), "--as-of", "2025")
    assert report.returncode == 3 and "先にデータを読み込んでください" in report.stderr, report.stderr
    assert "Traceback" not in report.stderr
    again = cli("load", "--db", str(db), str(SAMPLE))
    assert again.returncode == 0, again.stderr
    assert rows(db, "SELECT count(*) FROM themes") == [(144,)]
