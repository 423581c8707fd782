"""Crash safety: `kpi load` killed (SIGKILL) at any moment leaves all of the load or none of it;
SIGTERM and Ctrl-C roll back, exit 143 / 130 and say so in one line.

A large themes file (the sample's themes, 20 of them with a changed status, plus 40,000 new ones) is
loaded into a copy of a database holding sample_data/. The load is killed at chosen moments: early
(while reading), just after opening the database, in the middle of the big INSERT, on COMMIT, just
after COMMIT and during the CHECKPOINT that follows. The moments come from tests/faultkit.py, which runs
the real `kpi` and announces each SQL statement on stdout as it starts and ends; a second set of kills
uses the plain `python -m kpi` at fractions of its measured running time.

After each kill the database must open, `kpi report` must pass, and every table must equal either the
state before the load or the state after an uninterrupted load (checksums of all tables; the clock time
in `loads` left out). A load whose COMMIT had returned must be kept.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from faultkit import CLOCK_COLUMNS, kpi_env, rows, spy, table_checksums, wait_for
from kit import SAMPLE, SAMPLE_THEMES, run_kpi

pytestmark = pytest.mark.slow

NEW_THEMES = 40_000
CHANGED = 20
STATUSES = ["目標達成", "目標未達", "遅延", "計画通り"]


def big_themes_file(path: Path) -> Path:
    """The sample's themes with CHANGED statuses moved to 目標未達, then NEW_THEMES generated themes."""
    with (SAMPLE_THEMES).open(encoding="utf-8-sig", newline="") as f:
        sample = list(csv.reader(f))
    header, body = sample[0], sample[1:]
    changed = 0
    for record in body:
        if changed < CHANGED and record[-1].endswith("目標達成"):
            record[-1] = record[-1].replace("目標達成", "目標未達")
            changed += 1
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(body)
        for i in range(NEW_THEMES):
            status = STATUSES[i % 4]
            writer.writerow(
                [f"BIG-{i:06d}", 1 + i % 3, "委託" if i % 2 else "助成", f"{'abcd'[i % 4]}{i % 9}",
                 f"株式会社試験{i % 97}", f"大規模読込試験テーマ{i}", "", f"令和{1 + i % 7}年度終了 {status}"]
            )  # fmt: skip
    return path


@dataclass
class Scenario:
    source: Path  # the large themes file
    base: Path  # a database holding sample_data/ (never written; copied per test)
    before: dict[str, tuple[int, str]]
    after: dict[str, tuple[int, str]]
    durations: dict[str, float]  # seconds a statement took in the reference run, by statement
    total: float  # seconds of the plain `kpi load`


@pytest.fixture(scope="module")
def scenario(_sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    folder = tmp_path_factory.mktemp("crash")
    source = big_themes_file(folder / "themes_big.csv")
    before = table_checksums(_sample_db, CLOCK_COLUMNS)
    # the reference run, announced: the state after, and how long each statement takes
    reference = folder / "reference.duckdb"
    shutil.copy(_sample_db, reference)
    proc = spy("load", "--db", str(reference), str(source))
    assert proc.stdout is not None
    started: dict[str, float] = {}
    durations: dict[str, float] = {}
    for line in proc.stdout:
        what, _, statement = line.rstrip("\n").partition(" ")
        if what == "before":
            started.setdefault(statement, time.monotonic())
        elif what == "after" and statement not in durations:
            durations[statement] = time.monotonic() - started[statement]
    assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
    after = table_checksums(reference, CLOCK_COLUMNS)
    assert after != before
    assert rows(reference, "SELECT updated FROM loads ORDER BY load_id DESC LIMIT 1") == [(CHANGED,)]
    # the plain command, timed
    plain = folder / "plain.duckdb"
    shutil.copy(_sample_db, plain)
    t0 = time.monotonic()
    result = run_kpi("load", "--db", str(plain), str(source), timeout=300)
    total = time.monotonic() - t0
    assert result.returncode == 0, result.stderr
    assert table_checksums(plain, CLOCK_COLUMNS) == after
    return Scenario(source, _sample_db, before, after, durations, total)


def check_consistent(db: Path, scenario: Scenario) -> str:
    """The database opens, `kpi report` passes, and it holds all of the load or none of it: 'before' or 'after'."""
    report = run_kpi("report", "--db", str(db), "--as-of", "2025", "--format", "json")
    assert report.returncode == 0, report.stderr
    assert "Traceback" not in report.stderr
    state = table_checksums(db, CLOCK_COLUMNS)
    if state == scenario.before:
        return "before"
    assert state == scenario.after, {
        t: (state.get(t), scenario.before.get(t), scenario.after.get(t))
        for t in set(state) | set(scenario.after)
        if state.get(t) != scenario.after.get(t)
    }
    return "after"


MOMENTS = [
    # id, announcement to wait for, share of that statement's reference duration to wait after it,
    # the state it must leave (None: either), and whether to run the load again afterwards
    ("early-while-reading", "started", None, "before", False),
    ("database-just-opened", "connected", 0.0, "before", False),
    ("mid-insert", "before INSERT INTO theme_rows", 0.5, "before", True),
    ("on-commit", "before COMMIT", 0.0, None, True),
    ("just-after-commit", "after COMMIT", 0.0, "after", False),
    ("mid-checkpoint", "before CHECKPOINT", 0.5, "after", False),
]


@pytest.mark.parametrize(("marker", "share", "expected", "reload"), [pytest.param(*m[1:], id=m[0]) for m in MOMENTS])
def test_sigkill_at_a_moment_of_the_load_keeps_all_or_nothing(
    scenario: Scenario, tmp_path: Path, marker: str, share: float | None, expected: str | None, reload: bool
) -> None:
    db = tmp_path / "kpi.duckdb"
    shutil.copy(scenario.base, db)
    proc = spy("load", "--db", str(db), str(scenario.source))
    try:
        wait_for(proc, marker)
        if share is None:  # early: a short while after the start, in imports or reading the file
            time.sleep(0.2)
        else:
            time.sleep(share * scenario.durations.get(marker.partition(" ")[2], 0.0))
        proc.kill()
    finally:
        proc.kill()
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    state = check_consistent(db, scenario)
    if expected:
        assert state == expected
    if reload:  # the same load, run again, completes on the recovered file
        again = run_kpi("load", "--db", str(db), str(scenario.source), timeout=300)
        assert again.returncode == 0, again.stderr
        assert table_checksums(db, CLOCK_COLUMNS) == scenario.after


@pytest.mark.parametrize("fraction", [0.9])
def test_sigkill_of_the_plain_command_at_a_fraction_of_its_run_keeps_all_or_nothing(
    scenario: Scenario, tmp_path: Path, fraction: float
) -> None:
    db = tmp_path / "kpi.duckdb"
    shutil.copy(scenario.base, db)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kpi", "load", "--db", str(db), str(scenario.source)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=kpi_env(),
    )
    time.sleep(fraction * scenario.total)
    proc.kill()
    proc.wait(timeout=60)
    check_consistent(db, scenario)


def test_sigkill_during_the_first_load_into_a_new_file_leaves_no_half_database(
    scenario: Scenario, tmp_path: Path
) -> None:
    db = tmp_path / "new.duckdb"
    proc = spy("load", "--db", str(db), str(scenario.source))
    try:
        wait_for(proc, "before INSERT INTO theme_rows")
    finally:
        proc.kill()
        proc.wait(timeout=60)
    report = run_kpi("report", "--db", str(db), "--as-of", "2025")
    assert report.returncode == 3 and "先にデータを読み込んでください" in report.stderr, report.stderr
    assert "Traceback" not in report.stderr
    again = run_kpi("load", "--db", str(db), str(SAMPLE))
    assert again.returncode == 0, again.stderr
    assert rows(db, "SELECT count(*) FROM themes") == [(144,)]


SIGNALS = [
    pytest.param(signal.SIGTERM, 143, "kpi: 終了しました（SIGTERM）。", id="SIGTERM"),
    pytest.param(signal.SIGINT, 130, "kpi: 中断しました（Ctrl-C）。", id="SIGINT"),
]


def signal_load(db: Path, scenario: Scenario, signum: int, pause_after: str | None) -> subprocess.CompletedProcess[str]:
    """Start the load, send `signum` while it reads the file (None) or while it is paused after a statement."""
    proc = spy("load", "--db", str(db), str(scenario.source), pause_after=pause_after)
    try:
        if pause_after:
            wait_for(proc, "paused")
        else:
            wait_for(proc, "started")
            time.sleep(0.3)  # inside the command (its imports, reading the file), long before the commit
        os.kill(proc.pid, signum)
        out, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
        proc.wait()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.parametrize(("signum", "code", "message"), SIGNALS)
@pytest.mark.parametrize("pause_after", [None, "INSERT INTO theme_rows"], ids=["while-reading", "mid-transaction"])
def test_a_signal_before_the_commit_rolls_back_and_says_so_in_one_line(
    scenario: Scenario, tmp_path: Path, signum: int, code: int, message: str, pause_after: str | None
) -> None:
    db = tmp_path / "kpi.duckdb"
    shutil.copy(scenario.base, db)
    result = signal_load(db, scenario, signum, pause_after)
    assert result.returncode == code, result.stderr
    assert result.stderr.splitlines() == [f"{message}何も書き込んでいません"]
    assert check_consistent(db, scenario) == "before"


@pytest.mark.parametrize(("signum", "code", "message"), SIGNALS)
def test_a_signal_after_the_commit_never_claims_nothing_was_written(
    scenario: Scenario, tmp_path: Path, signum: int, code: int, message: str
) -> None:
    db = tmp_path / "kpi.duckdb"
    shutil.copy(scenario.base, db)
    result = signal_load(db, scenario, signum, "COMMIT")
    assert check_consistent(db, scenario) == "after"  # committed is committed
    # the exit code and the message must tell the truth: the load is in the database
    assert "Traceback" not in result.stderr
    assert result.returncode == 0 or "何も書き込んでいません" not in result.stderr, (result.returncode, result.stderr)


HOLD = (
    "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
    "time.sleep(float(sys.argv[2])); c.close()"
)


@pytest.mark.parametrize(("signum", "code", "message"), SIGNALS)
def test_a_signal_while_waiting_for_a_busy_database_stops_at_once_and_says_so(
    sample_store: Path, signum: int, code: int, message: str
) -> None:
    before = table_checksums(sample_store)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(sample_store), "60"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        proc = spy("load", "--db", str(sample_store), "--wait", "60", str(SAMPLE / "budget.csv"))
        try:
            wait_for(proc, "opening")
            wait_for(proc, "opening")  # the first attempt found the file busy: it is waiting
            started = time.monotonic()
            os.kill(proc.pid, signum)
            _, err = proc.communicate(timeout=30)
            waited = time.monotonic() - started
        finally:
            proc.kill()
            proc.wait()
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == code, err
    assert err.splitlines() == [f"{message}何も書き込んでいません"]
    assert waited < 5
    assert table_checksums(sample_store) == before
