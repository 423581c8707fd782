"""Helpers of the reliability tests: table checksums, a CPU burner, and `kpi` announcing what it is doing.

Run as a script, this module is `kpi` itself with announcements on stdout, one line each, as they happen
(`kpi load` writes nothing to stdout on its own). Nothing else changes: the imports happen in kpi's own
order (they are watched, not done early), and the statements, transactions and exit codes are kpi's.

    started                       before kpi's entry point is imported
    handlers                      kpi has installed its Ctrl-C / SIGTERM handlers
    importing X / imported X      X in WATCHED (typer, the command line, duckdb, polars, pandera)
    begin read / end read         reading and checking the input files (kpi.load.ingest.read_files)
    begin check / end check       a staged themes file: pandera on its spellings, DuckDB recoding (kpi.load.staged)
    begin validate / end validate the pandera checks of the files read the ordinary way, the rules across files
                                  (kpi.load.validate.validate_sources; a staged file was checked in `check`)
    opening                       each attempt to open the database (twice or more: it is waiting)
    connected                     the database is open
    before S / after S            each SQL statement S (its first three words) sent to DuckDB
    begin write files / end write files, temp NAME, before rename NAME / after rename NAME   output files
    signal SIGINT                 kpi's handler is running (where the signal landed, in the order above)
    paused                        see $FAULTKIT_PAUSE_AT
    exiting                       kpi leaves the process, its exit code decided (only with FAULTKIT_PAUSE_AT=exiting)

The phases a test names are the stable ones above (BEGIN, COMMIT, CHECKPOINT, reading, …), or a statement
found by measuring a reference run (`Spy.durations`), never a table name written into a test.

With $FAULTKIT_PAUSE_AT set to the start of an announcement (say `after COMMIT`, or `temp #3` for the third
one), the process says `paused` right after that announcement and waits there (up to a minute, until a
signal arrives, or until `Spy.resume()`): a signal sent then lands exactly at that point, every time, and a
limit set on the paused process (`resource.prlimit`) applies from that point on. `Spy.stop_inside()` does
the same for a phase without a pause: it freezes the process (SIGSTOP) as soon as the phase begins and
proves it has not ended. `FAULTKIT_PAUSE_AT=exiting` pauses the process as kpi leaves it (its exit code decided)
until the file $FAULTKIT_RESUME_FILE exists.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent

# Columns whose value depends on the clock, not on the data (left out when comparing two runs).
CLOCK_COLUMNS = {"loads": ["loaded_at"]}
WATCHED = ("typer", "kpi.cli.main", "duckdb", "polars", "pandera")


def table_checksums(db: Path, ignore: dict[str, list[str]] | None = None) -> dict[str, tuple[int, str]]:
    """Every table of the file: its row count and a digest of its columns and rows (in a canonical order)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = con.execute(
            "SELECT table_name, string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) "
            "FROM information_schema.columns WHERE table_schema = 'main' GROUP BY table_name ORDER BY 1"
        ).fetchall()
        if not columns:
            return {}
        parts = []
        for table, _ in columns:
            skip = (ignore or {}).get(table, [])
            select_ = f"SELECT * EXCLUDE ({', '.join(skip)})" if skip else "SELECT *"
            parts.append(
                f"SELECT '{table}' AS t, count(*) AS n, "
                f"coalesce(md5(string_agg(r::VARCHAR, chr(10) ORDER BY r::VARCHAR)), '') AS digest "
                f'FROM ({select_} FROM "{table}") r'
            )
        found = {t: (n, d) for t, n, d in con.execute(" UNION ALL ".join(parts)).fetchall()}
        return {
            table: (int(found[table][0]), hashlib.sha256(f"{shape}|{found[table][1]}".encode()).hexdigest())
            for table, shape in columns
        }
    finally:
        con.close()


def rows(db: Path, sql: str, params: Iterable[Any] | None = None) -> list[tuple[Any, ...]]:
    """The rows of one query on a read-only connection."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params) if params is not None else None).fetchall()
    finally:
        con.close()


def database_at(path: Path, version: int | str) -> Any:
    """A new database as kpi wrote it at an earlier schema version (a number, or the first migration holding a text),
    open for the test to fill: the connection is returned and the caller closes it."""
    import duckdb

    from kpi.db import schema

    if isinstance(version, str):
        version = next(i for i, script in enumerate(schema.MIGRATIONS) if version in script)
    con = duckdb.connect(str(path))
    for script in schema.MIGRATIONS[:version]:
        for statement in filter(str.strip, script.split(";")):
            con.execute(statement)
    con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(version)])
    return con


def copy_db(source: Path, target: Path) -> Path:
    """A copy of a database file, with no write-ahead log of an earlier file left beside it (DuckDB would
    replay a stale log into the copy)."""
    import shutil

    target.with_name(target.name + ".wal").unlink(missing_ok=True)
    shutil.copy(source, target)
    wal = source.with_name(source.name + ".wal")
    if wal.exists():
        shutil.copy(wal, target.with_name(target.name + ".wal"))
    return target


def pause_points(lines: list[str]) -> list[tuple[int, str]]:
    """Each announcement of a run from its first opening on: its index, and its FAULTKIT_PAUSE_AT (`START #N`)."""
    points = []
    for i in range(next((i for i, line in enumerate(lines) if line == "opening"), 0), len(lines)):
        words = lines[i].split(" ")  # the start: the words before any naming a file, a time or a number
        start = " ".join(words[: next((j for j, w in enumerate(words) if re.search(r"[0-9/.'\"]", w)), len(words))])
        if start:
            points.append((i, f"{start} #{sum(line.startswith(start) for line in lines[: i + 1])}"))
    return points


def kpi_env() -> dict[str, str]:
    """The environment of a test subprocess: no KPI_ settings of the person running the tests."""
    return {k: v for k, v in os.environ.items() if not k.startswith("KPI_") and not k.startswith("FAULTKIT_")}


STATUSES = ["目標達成", "目標未達", "遅延", "計画通り"]


def big_themes_file(path: Path, new_themes: int, changed: int, sample: Path = ROOT / "sample_data") -> Path:
    """The sample's themes with `changed` statuses moved to 目標未達, then `new_themes` generated themes."""
    with (sample / "themes_2026-03-31.csv").open(encoding="utf-8-sig", newline="") as f:
        records = list(csv.reader(f))
    header, body = records[0], records[1:]
    done = 0
    for record in body:
        if done < changed and record[-1].endswith("目標達成"):
            record[-1] = record[-1].replace("目標達成", "目標未達")
            done += 1
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(body)
        for i in range(new_themes):
            status = STATUSES[i % 4]
            writer.writerow(
                [f"BIG-{i:06d}", 1 + i % 3, "委託" if i % 2 else "助成", f"{'abcd'[i % 4]}{i % 9}",
                 f"株式会社試験{i % 97}", f"大規模読込試験テーマ{i}", "", f"令和{1 + i % 7}年度終了 {status}"]
            )  # fmt: skip
    return path


@dataclass
class BigLoad:
    """A large themes file (the sample's themes, CHANGED of them with a new status, and NEW_THEMES new ones)
    loaded into a copy of a database holding sample_data/."""

    source: Path  # the large themes file
    base: Path  # a database holding sample_data/ (never written; copied per test)
    before: dict[str, tuple[int, str]]  # every table's checksum before the load …
    after: dict[str, tuple[int, str]]  # … and after it (the clock column of `loads` left out)
    durations: dict[str, float]  # seconds each statement took in the reference run
    longest: str  # the longest statement inside the load's transaction (found by measuring, not by name)

    def state(self, db: Path, command: bool = True) -> str:
        """'before' or 'after': the database opens, `kpi report` passes (the command line, or the library when
        `command` is false; both in this process), and it holds all or none of the load."""
        if command:
            from kit import cli

            report = cli("report", "--db", str(db), "--as-of", "2025", "--format", "json")
            assert report.returncode == 0, report.stderr
            assert "Traceback" not in report.stderr
        else:
            from kpi.db.connect import open_for_read
            from kpi.figures.report import report as build

            with open_for_read(db, wait=10) as con:
                build(con, 2025)
        state = table_checksums(db, CLOCK_COLUMNS)
        if state == self.before:
            return "before"
        assert state == self.after, {
            t: (state.get(t), self.before.get(t), self.after.get(t))
            for t in set(state) | set(self.after)
            if state.get(t) != self.after.get(t)
        }
        return "after"

    def copy(self, target: Path) -> Path:
        return copy_db(self.base, target)


def longest_in_transaction(spy: Spy) -> str:
    """The statement that took longest between the last BEGIN and the COMMIT of a reference run."""
    begin = max(i for i, line in enumerate(spy.lines) if line == "after BEGIN TRANSACTION")
    commit = spy.index("before COMMIT", begin)
    assert commit is not None, spy.lines
    inside = {line.partition(" ")[2] for line in spy.lines[begin + 1 : commit] if line.startswith("before ")}
    took = spy.durations()
    return max(inside, key=lambda statement: took.get(statement, 0.0))


# ---------------------------------------------------------------------------- a busy CPU


@contextlib.contextmanager
def cpu_burner() -> Iterator[subprocess.Popen[bytes]]:
    """A second process keeping one CPU busy for as long as the block runs."""
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield burner
    finally:
        burner.kill()
        burner.wait()


# ---------------------------------------------------------------------------- signals a process catches


def default_signals(then: Callable[[], None] | None = None) -> Callable[[], None]:
    """A preexec_fn giving the child Ctrl-C and SIGTERM as a terminal's foreground command gets them (a test
    run in the background, e.g. from a non-interactive shell's `&`, would pass on an ignored SIGINT)."""

    def preexec() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if then is not None:
            then()

    return preexec


def caught_signals(pid: int) -> set[int]:
    """The signals a running process has a handler for (Linux: SigCgt in /proc/PID/status); empty once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            mask = next((int(line.split()[1], 16) for line in f if line.startswith("SigCgt:")), 0)
    except OSError:
        return set()
    return {n for n in range(1, 65) if mask & (1 << (n - 1))}


def pending_signals(pid: int) -> set[int]:
    """The signals waiting to be delivered to a process (Linux: SigPnd and ShdPnd in /proc/PID/status); an ignored
    signal is discarded when sent, so it is never pending."""
    try:
        with open(f"/proc/{pid}/status") as f:
            masks = [int(line.split()[1], 16) for line in f if line.startswith(("SigPnd:", "ShdPnd:"))]
    except OSError:
        return set()
    mask = 0
    for m in masks:
        mask |= m
    return {n for n in range(1, 65) if mask & (1 << (n - 1))}


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


# ---------------------------------------------------------------------------- `kpi` with its announcements


class Spy:
    """`kpi ARGS` run by this module as a script: its announcements, its stderr, its fate."""

    def __init__(
        self,
        *args: str,
        pause_at: str | None = None,
        env: dict[str, str] | None = None,
        preexec_fn: Callable[[], None] | None = None,
        stderr: int | None = None,
    ) -> None:
        """`stderr`: a descriptor for kpi's stderr (a terminal's, read by the caller), else a pipe read here."""
        full_env = kpi_env() | (env or {}) | ({"FAULTKIT_PAUSE_AT": pause_at} if pause_at else {})
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE), *args],
            stdout=subprocess.PIPE,
            # a pipe, not a file: a file-size limit on the process must not reach it
            stderr=subprocess.PIPE if stderr is None else stderr,
            env=full_env,
            preexec_fn=default_signals(preexec_fn),
        )
        assert self.proc.stdout is not None
        self._stderr: list[bytes] = []
        self._stderr_reader = threading.Thread(target=self._drain, args=(self.proc.stderr,), daemon=True)
        if self.proc.stderr is not None:
            self._stderr_reader.start()
        self._fd = self.proc.stdout.fileno()
        self._buffer = b""
        self._eof = False
        self.lines: list[str] = []
        self.times: list[float] = []  # when each line was read (time.monotonic())
        self.stopped = False

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read(self, timeout: float) -> None:
        if self._eof:
            return
        ready, _, _ = select.select([self._fd], [], [], max(timeout, 0.0))
        if not ready:
            return
        chunk = os.read(self._fd, 65536)
        if not chunk:
            self._eof = True
            return
        self._buffer += chunk
        *complete, self._buffer = self._buffer.split(b"\n")
        now = time.monotonic()
        for line in complete:
            self.lines.append(line.decode())
            self.times.append(now)

    def index(self, marker: str, start: int = 0) -> int | None:
        """The first line from `start` on that starts with `marker`."""
        return next((i for i in range(start, len(self.lines)) if self.lines[i].startswith(marker)), None)

    def wait_for(self, marker: str, timeout: float = 120, start: int = 0) -> int:
        """Read announcements until one from line `start` on starts with `marker`; its index (AssertionError
        if it never comes)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.index(marker, start)
            if found is not None:
                return found
            start = len(self.lines)
            if self._eof or time.monotonic() > deadline:
                raise AssertionError(
                    f"kpi never announced {marker!r}; it announced: {self.lines[-10:]}; stderr: {self.stderr()[-500:]}"
                )
            self._read(deadline - time.monotonic())

    def stop_inside(self, begin: str, end: str, timeout: float = 120, after: str | None = None) -> bool:
        """Freeze the process (SIGSTOP) as soon as `begin` is announced (the first time after `after`, when given);
        True if `end` has not been announced by then, i.e. the process is stopped inside the phase (a signal sent
        now lands there)."""
        start = self.wait_for(after, timeout) + 1 if after else 0
        at = self.wait_for(begin, timeout, start)
        os.kill(self.pid, signal.SIGSTOP)
        self.stopped = True
        deadline = time.monotonic() + 10
        while _state(self.pid) not in ("T", "t", "gone", "Z") and time.monotonic() < deadline:
            time.sleep(0.001)
        while not self._eof:  # everything it wrote before it stopped
            before = len(self.lines), len(self._buffer)
            self._read(0.01)
            if (len(self.lines), len(self._buffer)) == before:
                break
        return self.index(end, at + 1) is None

    def send(self, signum: int) -> None:
        """Send a signal; a stopped process is continued so that it lands where it stopped."""
        os.kill(self.pid, signum)
        if self.stopped and signum != signal.SIGKILL:
            os.kill(self.pid, signal.SIGCONT)
            self.stopped = False

    def finish(self, timeout: float = 120) -> int:
        """Wait for the process to end, reading the rest of its announcements; its exit status."""
        deadline = time.monotonic() + timeout
        while not self._eof and time.monotonic() < deadline:
            self._read(deadline - time.monotonic())
        try:
            return self.proc.wait(timeout=max(deadline - time.monotonic(), 1))
        finally:
            self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self._stderr_reader.is_alive():
            self._stderr_reader.join(timeout=10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    def _drain(self, stream: Any) -> None:
        for chunk in iter(lambda: stream.read1(65536), b""):
            self._stderr.append(chunk)
        stream.close()

    def stderr(self) -> str:
        """What the process wrote on stderr (all of it once it has ended)."""
        if self.proc.poll() is not None and self._stderr_reader.is_alive():
            self._stderr_reader.join(timeout=10)
        return b"".join(self._stderr).decode("utf-8", errors="replace")

    def resume(self) -> None:
        """End a pause without a signal for kpi (SIGUSR1, which only this module handles)."""
        os.kill(self.pid, signal.SIGUSR1)

    def landed(self) -> int | None:
        """The index of the `signal …` announcement (where kpi's handler first ran), if any."""
        return self.index("signal ")

    def landed_between(self, begin: str, end: str | None, after: str | None = None) -> bool:
        """Whether kpi's handler first ran after `begin` was announced and before `end` was (if ever); `begin`
        the first time after the announcement `after`, when given."""
        first = self.index(after) if after else 0
        at, start = self.landed(), None if first is None else self.index(begin, first + 1 if after else 0)
        if at is None or start is None or at < start:
            return False
        stop = self.index(end, start + 1) if end else None
        return stop is None or at < stop

    def durations(self) -> dict[str, float]:
        """Seconds each statement took (first occurrence of each), from the announcement times."""
        started: dict[str, float] = {}
        took: dict[str, float] = {}
        for line, at in zip(self.lines, self.times, strict=True):
            what, _, statement = line.partition(" ")
            if what == "before":
                started.setdefault(statement, at)
            elif what == "after" and statement in started and statement not in took:
                took[statement] = at - started[statement]
        return took

    def __enter__(self) -> Spy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------------------- inside the spied process

_signalled = [False]  # kpi's handler has run (or SIGUSR1 said to go on): a pause ends
_pause_at, _, _nth = (os.environ.get("FAULTKIT_PAUSE_AT") or "").partition(" #")
_pause = {"at": _pause_at, "count": int(_nth or 1)}  # pauses once (at the Nth match, `MARKER #N`), then is cleared


def _announce(text: str) -> None:
    os.write(1, f"{text}\n".encode())
    if _pause["at"] and text.startswith(str(_pause["at"])):
        _pause["count"] = int(_pause["count"]) - 1
        if _pause["count"] > 0:
            return
        _pause["at"] = ""
        os.write(1, b"paused\n")
        deadline = time.monotonic() + 60
        while not _signalled[0] and time.monotonic() < deadline:
            time.sleep(0.002)  # a signal handler that raises (kpi's) raises here: the signal landed at this point


def _statement(sql: str) -> str:
    return " ".join(sql.split()[:3])


class _Announcing:
    """A DuckDB connection that says what it is about to do and what it has done."""

    def __init__(self, con: Any) -> None:
        self._con = con

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)

    def execute(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        _announce(f"before {_statement(sql)}")
        result = self._con.execute(sql, *args, **kwargs)
        _announce(f"after {_statement(sql)}")
        return result

    def executemany(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        _announce(f"before {_statement(sql)}")
        result = self._con.executemany(sql, *args, **kwargs)
        _announce(f"after {_statement(sql)}")
        return result

    def cursor(self) -> _Announcing:
        return _Announcing(self._con.cursor())


def _phase(function: Any, name: str) -> Any:
    def announced(*args: Any, **kwargs: Any) -> Any:
        _announce(f"begin {name}")
        result = function(*args, **kwargs)
        _announce(f"end {name}")
        return result

    return announced


def _patch(name: str, module: Any) -> None:
    """Announcements for the module just imported."""
    if name == "duckdb":
        open_file = module.connect

        def announcing_open(*args: Any, **kwargs: Any) -> Any:
            _announce("opening")  # each attempt, so a test can tell that kpi is waiting for a busy file
            return open_file(*args, **kwargs)

        module.connect = announcing_open
    elif name == "kpi.db.connect":
        connect = module.open_file

        def announcing_connect(*args: Any, **kwargs: Any) -> Any:
            con, absent = connect(*args, **kwargs)
            _announce("connected")
            return _Announcing(con), absent

        module.open_file = announcing_connect
    elif name == "kpi.load.ingest" and hasattr(module, "read_files"):
        module.read_files = _phase(module.read_files, "read")
    elif name == "kpi.load.staged" and hasattr(module, "_check_and_recode"):
        module._check_and_recode = _phase(module._check_and_recode, "check")
    elif name == "kpi.load.validate" and hasattr(module, "validate_sources"):
        module.validate_sources = _phase(module.validate_sources, "validate")
    elif name == "kpi.db.gate" and hasattr(module, "write_files"):
        module.write_files = _phase(module.write_files, "write files")


PATCHED = ("duckdb", "kpi.db.connect", "kpi.load.ingest", "kpi.load.staged", "kpi.load.validate", "kpi.db.gate")


class _Watch:
    """A finder that lets the others find a watched module, then wraps its loading in announcements."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name not in WATCHED and name not in PATCHED:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        load = loader.exec_module

        def exec_module(module: Any) -> None:
            if name in WATCHED:
                _announce(f"importing {name}")
            load(module)
            _patch(name, module)
            if name in WATCHED:
                _announce(f"imported {name}")

        loader.exec_module = exec_module
        return spec


def _announce_files() -> None:
    """Temporary files and renames, as kpi.db.gate makes them."""
    make_temp, replace = tempfile.mkstemp, os.replace

    def announcing_mkstemp(*args: Any, **kwargs: Any) -> Any:
        made = make_temp(*args, **kwargs)
        _announce(f"temp {Path(made[1]).name}")
        return made

    def announcing_replace(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
        _announce(f"before rename {Path(target).name}")
        replace(source, target, *args, **kwargs)
        _announce(f"after rename {Path(target).name}")

    tempfile.mkstemp = announcing_mkstemp  # type: ignore[assignment]
    os.replace = announcing_replace


def _announce_handlers() -> None:
    """kpi's signal handlers, announced when installed and each time they run."""
    import _signal

    install = _signal.signal

    def announcing_install(signum: int, handler: Any) -> Any:
        if not callable(handler):
            return install(signum, handler)
        inner = handler

        def announcing(number: int, frame: Any) -> Any:
            _signalled[0] = True
            _announce(f"signal {signal.Signals(number).name}")
            return inner(number, frame)

        previous = install(signum, announcing)
        if signum == signal.SIGTERM:
            _announce("handlers")
        return previous

    _signal.signal = announcing_install


def _resume(signum: int, frame: Any) -> None:
    _signalled[0] = True


def _pause_at_exit(resume: str) -> None:
    """`FAULTKIT_PAUSE_AT=exiting`: says `exiting` as kpi leaves the process (its exit code decided, its signal
    handlers put away) and waits there until the file $FAULTKIT_RESUME_FILE exists (a signal handler cannot end
    this pause: kpi ignores signals by then)."""
    leave = os._exit

    def exiting(code: int) -> None:
        os.write(1, b"exiting\n")
        deadline = time.monotonic() + 60
        while not os.path.exists(resume) and time.monotonic() < deadline:
            time.sleep(0.002)
        leave(code)

    os._exit = exiting  # type: ignore[assignment]


def _main() -> None:
    signal.signal(signal.SIGUSR1, _resume)
    if _pause["at"] == "exiting":
        _pause["at"] = ""
        _pause_at_exit(os.environ["FAULTKIT_RESUME_FILE"])
    sys.meta_path.insert(0, _Watch())
    _announce_handlers()
    _announce_files()
    sys.argv = ["kpi", *sys.argv[1:]]
    _announce("started")
    from kpi.entry import main

    main()


if __name__ == "__main__":
    _main()
