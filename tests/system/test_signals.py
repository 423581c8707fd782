"""Ctrl-C (SIGINT) and SIGTERM at any moment: exit 130 / 143, one line saying what was kept, no traceback,
and the database and the export folder hold all of the command's work or none of it.

The signals land at moments spread over a large load (tests/system/conftest.py), from the process's first
milliseconds to after its CHECKPOINT, with and without a second process keeping a CPU busy. Each moment is
a phase the process is proven to be in when the signal lands (tests/faultkit.py: kpi's handler announces
where it ran; a pause holds the process at a point; SIGSTOP freezes it as soon as a phase begins, and it is
shown not to have left it). The first three moments use the plain `python -m kpi`, with the kernel's list
of the signals it catches (SigCgt) telling whether Python's handler, or kpi's, was in place.

Python installs its own SIGINT handler a few milliseconds into start-up, before any line of kpi runs (site,
runpy); a Ctrl-C in that window is Python's KeyboardInterrupt, not kpi's (README, "Guarantees"). The 5 ms
moment therefore sends SIGINT at 5 ms only when it would not land there, and otherwise as soon as kpi's
handlers are up; SIGTERM, which Python does not catch, is always sent at 5 ms.

The default run sends one signal per moment, on an idle machine (tests/matrix.py); `-m slow` adds the rest of the
matrix (the other signal, and every case again with a CPU kept busy). The first milliseconds race the clock: they
are marked `serial` (run alone, `-n 0`).
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from faultkit import (
    BigLoad,
    Spy,
    caught_signals,
    copy_db,
    cpu_burner,
    default_signals,
    kpi_env,
    pending_signals,
    rows,
    table_checksums,
)
from kit import SAMPLE, cli
from matrix import first_in_default, one_per_moment

ATTEMPTS = 10  # a phase shorter than the test's reaction is tried again; each attempt proves where it stopped
NOTHING = "何も書き込んでいません"
COMMITTED = "読み込みは確定済みです: データは保存されています"
SIGNALS = [
    pytest.param(signal.SIGINT, 130, "kpi: 中断しました（Ctrl-C）。", id="SIGINT"),
    pytest.param(signal.SIGTERM, 143, "kpi: 終了しました（SIGTERM）。", id="SIGTERM"),
]


@pytest.fixture(scope="module", params=["idle", pytest.param("busy-cpu", marks=pytest.mark.slow)])
def cpu(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each test twice: on an idle machine, and with another process keeping one CPU busy."""
    if request.param == "idle":
        yield request.param
    else:
        with cpu_burner():
            yield request.param


@dataclass(frozen=True)
class Moment:
    name: str
    pause_at: str | None = None  # the process waits right after this announcement: the signal lands there
    inside: tuple[str, ...] | None = None  # (begin, end[, after]): frozen once `begin` is announced, before `end`
    expected: str = "before"  # the state the load must leave: 'before' or 'after' it

    def phase(self, longest: str) -> tuple[str, str | None, str | None]:
        """Where kpi's handler must have run: after the first announcement, before the second (if any), the first
        such phase after the third (if any)."""
        if self.pause_at:
            return "paused", None, None
        assert self.inside is not None
        begin, end, *after = (part.format(longest=longest) for part in self.inside)
        # a signal held during COMMIT (kpi waits for it to end) may run its handler just after it
        return begin, None if begin == "before COMMIT" else end, after[0] if after else None


MOMENTS = [
    Moment("importing", inside=("importing typer", "imported kpi.cli.main")),
    Moment("reading", inside=("begin read", "end read")),
    # a staged file's check and the rules across files are milliseconds long: held at their start, not raced
    Moment("checking-spellings", pause_at="begin check"),
    Moment("validating", pause_at="begin validate"),
    Moment("database-opened", pause_at="connected"),
    # the copy of the database kept before the load writes (DuckDB writes it: kpi.db.copy)
    Moment("keeping-a-backup", pause_at="before COPY FROM DATABASE"),
    Moment("transaction-begun", pause_at="after BEGIN TRANSACTION"),
    Moment("inside-the-longest-statement", inside=("before {longest}", "after {longest}")),
    Moment("after-the-longest-statement", pause_at="after {longest}"),
    Moment("just-before-commit", pause_at="before COMMIT", expected="after"),
    Moment("inside-commit", inside=("before COMMIT", "after COMMIT"), expected="after"),
    Moment("just-after-commit", pause_at="after COMMIT", expected="after"),
    Moment("inside-checkpoint", inside=("before CHECKPOINT", "after CHECKPOINT", "after COMMIT"), expected="after"),
    Moment("after-checkpoint", pause_at="after CHECKPOINT", expected="after"),
]


def one_line(stderr: str, message: str, kept: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert stderr.splitlines() == [message + kept], stderr


@pytest.mark.parametrize(("moment", "signum", "code", "message"), one_per_moment(MOMENTS, SIGNALS))
def test_a_signal_at_a_moment_of_a_large_load(
    cpu: str, big_load: BigLoad, tmp_path: Path, moment: Moment, signum: int, code: int, message: str
) -> None:
    db = tmp_path / "kpi.duckdb"
    pause_at = moment.pause_at.format(longest=big_load.longest) if moment.pause_at else None
    for _ in range(ATTEMPTS):
        big_load.copy(db)
        shutil.rmtree(db.with_name(db.name + ".backups"), ignore_errors=True)  # an earlier attempt's committed load's
        with Spy("load", "--db", str(db), str(big_load.source), pause_at=pause_at) as spy:
            if pause_at:
                spy.wait_for("paused")
                inside = True
            else:
                assert moment.inside is not None
                begin, end, *after = (part.format(longest=big_load.longest) for part in moment.inside)
                inside = spy.stop_inside(begin, end, after=after[0] if after else None)
            spy.send(signum)
            returncode = spy.finish()
        if inside:
            break
    else:
        raise AssertionError(f"in {ATTEMPTS} attempts the load never stopped inside {moment.inside}")
    begin, end, after = moment.phase(big_load.longest)
    assert spy.landed_between(begin, end, after), (begin, end, spy.lines[-12:])
    assert returncode == code, spy.stderr()
    one_line(spy.stderr(), message, COMMITTED if moment.expected == "after" else NOTHING)
    assert big_load.state(db, command=False) == moment.expected
    # the copy kept before the load stays only when the load was committed; no temporary file is left
    backups = db.with_name(db.name + ".backups")
    kept = sorted(p.name for p in backups.iterdir()) if backups.exists() else []
    assert len(kept) == (1 if moment.expected == "after" else 0) and not any(n.endswith(".tmp") for n in kept), kept


def start_plain(db: Path, load: BigLoad) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kpi", "load", "--db", str(db), str(load.source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=kpi_env(),
        preexec_fn=default_signals(),
    )


def wait_for_kpis_handlers(proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while signal.SIGTERM not in caught_signals(proc.pid) and time.monotonic() < deadline:
        assert proc.poll() is None, proc.returncode
        time.sleep(0.0005)


@pytest.mark.serial
@pytest.mark.parametrize(
    ("moment", "signum", "code", "message"), one_per_moment(["at-exec", "5ms", "handlers-installed"], SIGNALS)
)
def test_a_signal_in_the_first_milliseconds(
    cpu: str, big_load: BigLoad, tmp_path: Path, moment: str, signum: int, code: int, message: str
) -> None:
    """The plain command. At exec no handler is in place: the signal itself ends the process, silently. From
    kpi's handlers on (installed before the heavy imports, held until the command line can speak) it is
    kpi's one line. At 5 ms SIGTERM may find either; SIGINT is sent at 5 ms if kpi's handlers are up by
    then, else the moment they are (in between, Python's own start-up would answer, see the module's note)."""
    db = big_load.copy(tmp_path / "kpi.duckdb")
    proc = start_plain(db, big_load)
    try:
        if moment == "at-exec":
            assert signal.SIGINT not in caught_signals(proc.pid), "Python was already running: nothing early tested"
        elif moment == "5ms":
            time.sleep(0.005)
            if signum == signal.SIGINT:
                wait_for_kpis_handlers(proc)
        else:
            wait_for_kpis_handlers(proc)
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
        proc.wait()
    died = proc.returncode == -signum and err == ""
    if moment == "at-exec":
        assert died, (proc.returncode, err)
    elif moment == "5ms" and signum == signal.SIGTERM and died:
        pass  # before kpi's handlers: SIGTERM (which Python leaves alone) ended the process by itself
    else:
        assert proc.returncode == code, err
        one_line(err, message, NOTHING)
    assert big_load.state(db, command=False) == "before"


@pytest.mark.serial
def test_the_first_milliseconds_are_tested_on_both_sides(big_load: BigLoad, tmp_path: Path) -> None:
    """Not blind: at exec no handler is in place yet, and once SIGTERM is caught kpi's handlers are."""
    db = big_load.copy(tmp_path / "kpi.duckdb")
    proc = start_plain(db, big_load)
    try:
        assert signal.SIGINT not in caught_signals(proc.pid)
        deadline = time.monotonic() + 60
        while signal.SIGTERM not in caught_signals(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.001)
        assert {signal.SIGINT, signal.SIGTERM} <= caught_signals(proc.pid)
    finally:
        proc.kill()
        proc.wait()


HOLD = (
    "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
    "time.sleep(float(sys.argv[2])); c.close()"
)


@pytest.mark.parametrize(("signum", "code", "message"), first_in_default(SIGNALS))
def test_a_signal_while_waiting_for_a_busy_database_stops_at_once_and_says_so(
    sample_store: Path, signum: int, code: int, message: str
) -> None:
    before = table_checksums(sample_store)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(sample_store), "60"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with Spy("load", "--db", str(sample_store), "--wait", "60", str(SAMPLE / "budget.csv")) as spy:
            first = spy.wait_for("opening")
            spy.wait_for("opening", start=first + 1)  # the first attempt found the file busy: it is waiting
            started = time.monotonic()
            spy.send(signum)
            returncode = spy.finish(timeout=30)
            waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert spy.landed_between("opening", "connected")
    assert returncode == code, spy.stderr()
    one_line(spy.stderr(), message, NOTHING)
    assert waited < 5
    assert table_checksums(sample_store) == before


# ---------------------------------------------------------------------------- export: the folder, all or nothing


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file in the folder, hidden ones (temporary files) included (the manifest's clock time and the number
    and time of the submission it registered left out: each export is a submission of its own)."""
    if not folder.exists():
        return {}

    def content(p: Path) -> bytes:
        if p.name != "manifest.json":
            return p.read_bytes()
        manifest = json.loads(p.read_bytes())
        return json.dumps({k: v for k, v in manifest.items() if k not in ("written_at", "submission")}).encode()

    return {p.name: content(p) for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def exports(_sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], Path]:
    """An earlier export (FY2024) of the sample data, and the FY2025 export an interrupted run replaces it with."""
    folder = tmp_path_factory.mktemp("exports")
    old, new = folder / "old", folder / "new"
    exported = copy_db(_sample_db, folder / "exported.duckdb")  # an export writes its submission into the database
    for fy, out in (("2024", old), ("2025", new)):
        result = cli("export", "--db", str(exported), "--as-of", fy, "--out", str(out))
        assert result.returncode == 0, result.stderr
    assert folder_state(old).keys() == folder_state(new).keys() and folder_state(old) != folder_state(new)
    return old, folder_state(new), _sample_db


EXPORT_MOMENTS = [
    # id, where the signal lands, what the folder must hold: the earlier export ('old') or the new one
    pytest.param("temp #3", "old", id="two-files-written-a-third-begun"),
    pytest.param("after rename", "new", id="one-file-renamed-into-place"),
]


@pytest.mark.parametrize(("pause_at", "expected", "signum", "code", "message"), one_per_moment(EXPORT_MOMENTS, SIGNALS))
def test_a_signal_during_an_export_leaves_the_old_files_or_all_the_new_ones(
    cpu: str,
    exports: tuple[Path, dict[str, bytes], Path],
    tmp_path: Path,
    pause_at: str,
    expected: str,
    signum: int,
    code: int,
    message: str,
) -> None:
    old, new, sample_db = exports
    db = copy_db(sample_db, tmp_path / "kpi.duckdb")
    out = tmp_path / "out"
    out.mkdir()
    for p in old.iterdir():
        (out / p.name).write_bytes(p.read_bytes())
    args = ("export", "--db", str(db), "--as-of", "2025", "--out", str(out), "--force")
    with Spy(*args, pause_at=pause_at) as spy:
        spy.wait_for("paused")
        spy.send(signum)
        returncode = spy.finish()
    assert spy.landed_between("paused", None)
    assert returncode == code, spy.stderr()
    registered = "提出を記録済みです、"  # an export registers its submission before its files are renamed into place
    kept = NOTHING if expected == "old" else f"{registered}{out} に {len(new)} 個のファイルを書き出し済みです"
    one_line(spy.stderr(), message, kept)
    assert folder_state(out) == (folder_state(old) if expected == "old" else new)


@pytest.mark.parametrize(("signum", "code", "message"), first_in_default(SIGNALS))
def test_a_signal_during_a_first_load_leaves_no_file(
    big_load: BigLoad, tmp_path: Path, signum: int, code: int, message: str
) -> None:
    db = tmp_path / "new.duckdb"
    # a new file: the first transaction creates kpi's tables, the second is the load's
    with Spy("load", "--db", str(db), str(big_load.source), pause_at="after BEGIN TRANSACTION #2") as spy:
        spy.wait_for("paused")
        assert db.exists()
        spy.send(signum)
        returncode = spy.finish()
    assert spy.landed_between("paused", None)
    assert returncode == code, spy.stderr()
    one_line(spy.stderr(), message, NOTHING)
    assert not db.exists() and not db.with_name(db.name + ".wal").exists()


@pytest.mark.parametrize(
    ("options", "expected"),
    first_in_default(
        [
            pytest.param([], "kpi: 中断しました（Ctrl-C）。何も書き込んでいません", id="japanese"),
            pytest.param(["--lang", "en"], "kpi: interrupted (Ctrl-C); nothing was written", id="english"),
            pytest.param(["--log-format", "json"], "中断しました（Ctrl-C）。何も書き込んでいません", id="json-log"),
        ]
    ),
)
def test_a_signal_during_a_report_says_so_in_the_users_language_and_log_format(
    big_load: BigLoad, tmp_path: Path, options: list[str], expected: str
) -> None:
    db = big_load.copy(tmp_path / "kpi.duckdb")
    before = db.read_bytes()
    with Spy("report", "--db", str(db), "--as-of", "2025", *options, pause_at="connected") as spy:
        spy.wait_for("paused")
        spy.send(signal.SIGINT)
        returncode = spy.finish()
    assert returncode == 130
    if "json" in options:
        [line] = spy.stderr().splitlines()
        record = json.loads(line)
        assert (record["level"], record["message"], record["exit_code"]) == ("error", expected, 130)
    else:
        assert spy.stderr().splitlines() == [expected]
    assert db.read_bytes() == before


@pytest.mark.parametrize(("command", "signum", "code", "message"), one_per_moment(["load", "report"], SIGNALS))
def test_a_signal_after_the_work_is_done_leaves_the_commands_own_exit_code(
    _sample_db: Path, tmp_path: Path, signum: int, code: int, message: str, command: str
) -> None:
    """Ctrl-C or SIGTERM as the process leaves (the result printed, the list stored): the command's own exit code,
    not death by the signal."""
    db = copy_db(_sample_db, tmp_path / "kpi.duckdb")
    corrected = tmp_path / "themes_2026-03-31.csv"
    corrected.write_text(
        (SAMPLE / "themes_2026-03-31.csv").read_text(encoding="utf-8-sig").replace("目標達成", "目標未達", 1),
        encoding="utf-8",
    )
    args = ["load", str(corrected)] if command == "load" else ["report", "--as-of", "2025", "--format", "json"]
    resume = tmp_path / "resume"
    with Spy(*args, "--db", str(db), pause_at="exiting", env={"FAULTKIT_RESUME_FILE": str(resume)}) as spy:
        spy.wait_for("exiting")
        spy.send(signum)
        deadline = time.monotonic() + 30
        while spy.proc.poll() is None and signum in pending_signals(spy.pid) and time.monotonic() < deadline:
            time.sleep(0.001)  # until the kernel has delivered it (or discarded it: an ignored signal is never pending)
        resume.touch()
        returncode = spy.finish()
    assert returncode == 0, (returncode, spy.stderr())
    assert "Traceback" not in spy.stderr()
    if command == "load":
        assert "2026-03-31 の一覧を置き換えました" in spy.stderr()
        assert rows(db, "SELECT count(*) FROM loads WHERE kind = 'themes'") == [(2,)]
