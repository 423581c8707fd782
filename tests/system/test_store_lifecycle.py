"""An office's store through months of use, against the reference model: every state it was in stays recoverable.

A hypothesis state machine plays the office as tests/system/test_lifecycle.py does (its files are written the same
way, smaller), for the store commands: loads (new lists, corrections, surveys, budget years), `kpi undo` (with
--reopen or not), `kpi export` preliminary and final (a final one closes its year: a load or undo that would change
that year's figures is refused with exit 3, and `load_again_with_reopen` loads the refused file again with
--reopen), `kpi backup`, and `kpi restore` of any copy the store kept (a backup, a copy kept before a load, a copy a
restore kept). Each of these may race a second process started beside it, first or second, up to 0.3 s apart, both
with a long --wait: a `kpi report`, a `kpi backup`, a second `kpi load` or a second `kpi restore`. Both must end
with a documented exit code (75, busy, only having done nothing), and together they must have done what the model
says of one of the two orders. `sigkill_a_command` runs one of the writing commands paused under tests/faultkit.py
at one of the announcements a rehearsal of the same command made on a copy of the store — every phase the fault hook
knows, none named here — and kills it there with SIGKILL: the database then holds the state before or after it.

The model of a database file is `reference_model.Book`: its loads with the records after each, and its submissions.
A file the store keeps (`kpi.duckdb.backups/*`, `kpi.duckdb.replaced-*`) must, when it appears, hold a state the
database passed through in that step (its tests/faultkit.table_checksums, clock columns left out, when the database
was seen in that state, else the loads, submissions and figures it records); from then on it may not change, and only
copies kept before a load may go (the newest few are kept). After every step:

- the database is its book: `kpi report --format json` for one year; through the library, the loads and
  submissions it records, the figures of every year, and those as known right after every earlier load; the same
  checksum whenever it is in the same book;
- every state the database has been in is still held — as it is, or as an earlier state --known-at reads — by the
  database or a file the store kept;
- beside the database and in its backups folder there is nothing but the store's own files, except, until the next
  write that succeeds, what a killed command left.

The examples are derandomised and bounded to about a minute and a half. For a longer search set
KPI_STORE_EXAMPLES and KPI_STORE_STEPS (tools/soak.py: ten times as many examples), and KPI_STORE_RANDOM=1 for new
examples.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest
import reference_model as rm
from faultkit import CLOCK_COLUMNS, Spy, table_checksums
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from kit import SAMPLE, cli, run_kpi
from system.test_lifecycle import (
    BUDGETS,
    CHANGES,
    SEEDS,
    SURVEYS,
    YEARS,
    Budget,
    Correction,
    Load,
    NewList,
    Office,
    Surveys,
    count,
    expected,
    from_library,
    from_report_json,
    kpi_figures,
    pause_points,
    ran,
    read_csv,
    write_rows,
)

EXAMPLES = int(os.environ.get("KPI_STORE_EXAMPLES", "3"))
STEPS = int(os.environ.get("KPI_STORE_STEPS", "12"))
RANDOM = bool(os.environ.get("KPI_STORE_RANDOM"))
TIMEOUT = 300  # seconds for one command: a hang fails, slowness does not
WAIT = "120"  # --wait of every command: two that race both wait for the other

SMALL = st.integers(20, 150)
PLANS = st.one_of(
    st.builds(NewList, nth_free_date=st.integers(0, 31), size=SMALL, seed=SEEDS, change=CHANGES),
    st.builds(
        Correction,
        nth_loaded_date=st.integers(0, 31),
        size=st.none() | SMALL,
        seed=SEEDS,
        change=CHANGES,
        by_option=st.booleans(),
    ),
    SURVEYS,
    BUDGETS,
)
PICKS = st.integers(0, 99)  # which of the files the store kept (counting round)
# A second process beside a write: what it runs, whether it starts first, how long after the other, which file.
RIVALS = st.none() | st.tuples(
    st.sampled_from(("report", "backup", "load", "restore")),
    st.booleans(),
    st.sampled_from((0.0, 0.1, 0.3)),
    PICKS,
)
KILLED = ("load", "undo", "export", "backup", "restore")
KEPT_NAME = re.compile(
    r"^(\d{8}T\d{6}_(load-\d+|backup|upgrade-v\d+)(-\d+)?\.duckdb|kpi\.duckdb\.replaced-\d{8}T\d{6}(-\d+)?)$"
)


@dataclass(frozen=True)
class Outcome:
    """What the model says a command does to a database: its exit code, the book after, the copies it must keep."""

    code: int
    book: rm.Book
    keeps: tuple[rm.Book, ...] = ()


@dataclass(frozen=True)
class Op:
    """A command: its words, what the model says it may do (one outcome per exit code), a check of its output."""

    what: str
    args: tuple[str, ...]
    model: Callable[[rm.Book], tuple[Outcome, ...]]
    check: Callable[[CompletedProcess[str], rm.Book], bool] = lambda result, book: True


@dataclass(frozen=True)
class Run:
    """One order of the commands of a step, as the model plays it: the books passed through, the last, the copies."""

    passed: tuple[rm.Book, ...]
    keeps: tuple[rm.Book, ...]

    @property
    def book(self) -> rm.Book:
        """The book the database ends in."""
        return self.passed[-1]


@dataclass
class Kept:
    """A file the store kept: the book it holds and its tables' checksums."""

    book: rm.Book
    checksum: dict[str, tuple[int, str]]


def same_figures(given: dict[str, Any], book: rm.Book, fy: int) -> bool:
    """Whether `kpi report --format json` gave the book's figures as of `fy`."""
    return from_report_json(given) == expected(rm.figures(book.state, fy))


class StoreLifecycle(Office, RuleBasedStateMachine):
    """One office's database and the files its store keeps, with the model's book of each."""

    def __init__(self) -> None:
        """A new temporary folder: the store (the database and its files) in one folder, the office's files beside."""
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="kpi-store-"))
        self.store = self.folder / "store"
        self.store.mkdir()
        self.db = self.store / "kpi.duckdb"
        self.backups = self.store / "kpi.duckdb.backups"
        self.book = rm.Book()
        self.kept: dict[Path, Kept] = {}
        self.seen: list[rm.Book] = [self.book]  # every state the database has been in
        self.sums: list[tuple[rm.Book, dict[str, tuple[int, str]]]] = []  # the checksums of books the db was in
        self.cache: dict[tuple[Any, ...], dict[str, tuple[int, str]]] = {}
        self.refused: Load | None = None  # a file refused for a closed year, to load again with --reopen
        self.killed = False  # a command was killed since the last write that succeeded
        self.exports = 0
        self.steps = 0

    def teardown(self) -> None:
        """Remove the folder and everything in it."""
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def records(self) -> rm.State:
        """The records of the database's book now."""
        return self.book.state

    # ------------------------------------------------------------------ the commands, and the model of each

    def load_op(self, load: Load, reopen: bool = False) -> Op:
        """`kpi load` of one file (with --reopen)."""
        extra = ("--reopen", "年度の訂正") if reopen else ()

        def model(book: rm.Book) -> tuple[Outcome, ...]:
            code, after = book.load(load.kind, load.path, load.snapshot, reopen)
            return (Outcome(code, after, (book,) if after is not book and book.loads else ()),)

        return Op(
            f"load {load.what}{' --reopen' if reopen else ''}", (*load.args(self.db), "--wait", WAIT, *extra), model
        )

    def undo_op(self, reopen: bool) -> Op:
        """`kpi undo` of the latest load (with --reopen)."""
        extra = ("--reopen", "取り消し") if reopen else ()

        def model(book: rm.Book) -> tuple[Outcome, ...]:
            code, after = book.undo(reopen)
            return (Outcome(code, after, (book,) if after is not book else ()),)

        return Op(f"undo{' --reopen' if reopen else ''}", ("undo", "--db", str(self.db), "--wait", WAIT, *extra), model)

    def export_op(self, fy: int, stage: str) -> Op:
        """`kpi export` of one year, preliminary or final, into a new folder; its KPI file says the model's figures."""
        self.exports += 1
        out = self.folder / "exports" / f"{self.exports:03d}"
        args = ("export", "--db", str(self.db), "--as-of", str(fy), "--stage", stage, "--out", str(out))

        def model(book: rm.Book) -> tuple[Outcome, ...]:
            return (Outcome(*book.export(fy, stage)),)

        def check(result: CompletedProcess[str], book: rm.Book) -> bool:
            if result.returncode != 0:
                return True
            got = [(count(r["分子（件）"]), count(r["分母（件）"])) for r in read_csv(out / "outcome_kpis.csv")]
            return got == [(n, d) for n, d, _ in kpi_figures(rm.figures(book.state, fy).outcome).values()]

        return Op(f"export {fy} {stage}", (*args, "--wait", WAIT), model, check)

    def backup_op(self) -> Op:
        """`kpi backup` into the backups folder."""
        return Op("backup", ("backup", "--db", str(self.db), "--wait", WAIT), lambda book: (Outcome(0, book, (book,)),))

    def restore_op(self, pick: int) -> Op:
        """`kpi restore` of a file the store kept (counting round): the database becomes that file's book."""
        if not self.kept:
            return self.backup_op()
        path = sorted(self.kept)[pick % len(self.kept)]
        restored = self.kept[path].book

        def model(book: rm.Book) -> tuple[Outcome, ...]:
            done = Outcome(0, restored, (book,))
            return (done,) if path.exists() else (done, Outcome(2, book), Outcome(3, book))  # pruned by a load

        return Op(f"restore {path.name}", ("restore", "--db", str(self.db), "--wait", WAIT, str(path)), model)

    def report_op(self, fy: int) -> Op:
        """`kpi report --format json`: the figures of the book it saw (exit 3 without data)."""

        def check(result: CompletedProcess[str], book: rm.Book) -> bool:
            return result.returncode != 0 or same_figures(json.loads(result.stdout), book, fy)

        args = ("report", "--db", str(self.db), "--as-of", str(fy), "--format", "json", "--wait", WAIT)
        return Op(f"report {fy}", args, lambda book: (Outcome(0 if book.state.has_data else 3, book),), check)

    def plan(self, plan: NewList | Correction | Surveys | Budget) -> Load:
        """A plan's file; a new list when nothing is listed to correct or survey, budget years when no date is free."""
        if isinstance(plan, Correction | Surveys) and not self.records.lists:
            plan = NewList(plan.seed % 32, 50, plan.seed, 0.0)
        if isinstance(plan, NewList) and not self.free_dates():
            plan = Budget(3, plan.seed)
        return self.resolve(plan)

    def rival(self, kind: str, pick: int) -> Op:
        """The second process of a race: a report, a backup, a load of one budget year, or a restore."""
        if kind == "report":
            return self.report_op(YEARS[pick % len(YEARS)])
        if kind == "load":
            amount = Decimal(pick * 1000 + self.files) / 10
            path = write_rows(self.inbox() / "budget_rival.csv", ["fy", "budget", "executed"], [(2030, amount, None)])
            return self.load_op(Load("budget", path, None, f"rival budget of 2030: {amount}"))
        if kind == "restore":
            return self.restore_op(pick)
        return self.backup_op()

    # ------------------------------------------------------------------ running them

    def run(self, main: Op, rival: tuple[str, bool, float, int] | None = None) -> int:
        """Run `main` (with a second process racing it), move the model to the order that happened; main's exit."""
        ops, first, delay = [main], False, 0.0
        if rival is not None:
            kind, first, delay, pick = rival
            ops = [self.rival(kind, pick), main] if first else [main, self.rival(kind, pick)]
        with ThreadPoolExecutor(len(ops)) as pool:
            futures = []
            for i, op in enumerate(ops):
                time.sleep(delay if i else 0)
                futures.append(pool.submit(run_kpi, *op.args, timeout=TIMEOUT))
            results = [f.result() for f in futures]
        for op, result in zip(ops, results, strict=True):
            note(f"{op.what}: exit {result.returncode}")
            ran(result, 0, 2, 3, 75)  # documented exits; the model says which
        pairs = list(zip(ops, results, strict=True))
        orders = [pairs] if len(pairs) == 1 else [pairs, pairs[::-1]]
        played = [r for order in orders if (r := self.play(order)) is not None]
        assert played, f"no order of {[op.what for op in ops]} gives exits {[r.returncode for r in results]}"
        runs = [r for r in played if self.matches(self.db, r.book)]
        assert runs, f"the database holds no order of {[op.what for op in ops]}: {self.mismatch(played)}"
        self.settle(runs)
        if any(r.returncode == 0 and not op.what.startswith("report") for op, r in pairs):
            self.killed = False  # a write took the lock and finished: nothing of a killed command may be left
        return results[1 if first else 0].returncode

    def play(self, order: list[tuple[Op, CompletedProcess[str]]]) -> Run | None:
        """The model of the commands in this order (a busy one did nothing), if their exits and outputs agree."""
        passed, keeps = [self.book], []
        for op, result in order:
            if result.returncode == 75:
                continue
            out = next((o for o in op.model(passed[-1]) if o.code == result.returncode), None)
            if out is None or not op.check(result, passed[-1]):
                return None
            keeps += out.keeps
            passed.append(out.book)
        return Run(tuple(passed), tuple(keeps))

    def run_killed(self, op: Op, phase: int) -> None:
        """Run `op` paused at one announcement of its rehearsal and kill it: the database is before or after it."""
        points = self.rehearse(op)
        _, at = points[phase % len(points)]
        spy = Spy(*op.args, pause_at=at)
        try:
            paused = spy.wait_for("paused", timeout=TIMEOUT)
            assert spy.lines[paused - 1].startswith(at.partition(" #")[0]), spy.lines[-5:]
            spy.send(signal.SIGKILL)
            assert spy.finish(timeout=TIMEOUT) == -signal.SIGKILL, spy.stderr()
        finally:
            spy.close()
        note(f"{op.what}: killed at {at!r} of {len(points)} announcements")
        after = op.model(self.book)[0]
        played = [Run((self.book,), ()), Run((self.book, after.book), ())]
        runs = [r for r in played if self.matches(self.db, r.book)]
        assert runs, f"killed at {at!r}, the database is neither before nor after it: {self.mismatch(played)}"
        self.killed = True
        self.settle(runs, required=False)

    def rehearse(self, op: Op) -> list[tuple[int, str]]:
        """The points `op` may be paused at, from its announcements on a copy of the store (`pause_points`)."""
        stage = self.folder / "rehearsal"
        shutil.rmtree(stage, ignore_errors=True)
        shutil.copytree(self.store, stage / "store")
        args = [a.replace(str(self.store), str(stage / "store")) for a in op.args]
        args = [a.replace(str(self.folder / "exports"), str(stage / "exports")) for a in args]
        with Spy(*args) as spy:
            assert spy.finish(timeout=TIMEOUT) in (0, 2, 3), spy.stderr()  # 2: a final export of a year not ended
        shutil.rmtree(stage)
        return pause_points(spy.lines)

    # ------------------------------------------------------------------ the files the store keeps

    def scan(self) -> tuple[set[Path], set[Path]]:
        """The files the store keeps now (a log beside one is part of it), and anything else beside them."""
        kept, other = set(), set()
        for place in (self.store, self.backups):
            for path in place.iterdir() if place.is_dir() else ():
                if path in (self.db, self.db.with_name(self.db.name + ".wal"), self.backups):
                    continue
                if KEPT_NAME.match(path.name):
                    kept.add(path)
                elif not (path.name.endswith(".wal") and KEPT_NAME.match(path.name[: -len(".wal")])):
                    other.add(path)
        return kept, other

    def settle(self, runs: list[Run], required: bool = True) -> None:
        """The first order whose states and copies the new files hold (only copies made before a load may go)."""
        kept, _ = self.scan()
        new = sorted(kept - self.kept.keys())
        for path in sorted(self.kept.keys() - kept):
            assert "_load-" in path.name, f"{path.name}, a copy the store kept, is gone"
            del self.kept[path]
        for run in runs:
            books = [next((b for b in run.passed if self.matches(path, b)), None) for path in new]
            if None in books or any(not any(self.matches(p, must) for p in new) for must in run.keeps if required):
                continue
            for path, book in zip(new, books, strict=True):
                assert book is not None
                self.kept[path] = Kept(book, self.checksum(path))
                note(f"kept {path.name}: {len(book.loads)} loads, {len(book.submissions)} submissions")
            self.book = run.book
            self.seen += [b for b in run.passed if b not in self.seen]
            return
        _, other = self.scan()
        raise AssertionError(
            f"the new files {[p.name for p in new]} (and others: {sorted(p.name for p in other)}) are not copies of "
            f"the states the database passed through, {[[b.register for b in r.passed] for r in runs]}, among them "
            f"those a backup or restore must keep, {[[b.register for b in r.keeps] for r in runs]}"
        )

    def checksum(self, path: Path) -> dict[str, tuple[int, str]]:
        """The tables of a file, as DuckDB reads it read-only (with its log); cached while the files are the same."""
        signature = tuple(
            (s.st_ino, s.st_size, s.st_mtime_ns) if (s := _stat(p)) else None
            for p in (path, path.with_name(path.name + ".wal"))
        )
        key = (path, signature)
        if key not in self.cache:
            try:
                self.cache[key] = table_checksums(path, CLOCK_COLUMNS)
            except Exception as exc:  # (duckdb's errors): a file DuckDB cannot read matches nothing
                self.cache[key] = {"unreadable": (0, repr(exc))}
        return self.cache[key]

    def known_sum(self, book: rm.Book) -> dict[str, tuple[int, str]] | None:
        """The checksum of the database when it was last seen in this very book."""
        return next((s for b, s in reversed(self.sums) if b is book), None)

    def matches(self, path: Path, book: rm.Book) -> bool:
        """Whether a file holds a book: by checksum when the db was seen in it, else by register and figures."""
        known = self.known_sum(book)
        if known is not None:
            return self.checksum(path) == known
        return not self.differences(path, book, known_at=False)

    def mismatch(self, runs: list[Run]) -> list[list[str]]:
        """How the database differs from the book each run ends in (a checksum that differs: nothing else)."""
        return [self.differences(self.db, r.book) or ["its checksum"] for r in runs]

    def differences(self, path: Path, book: rm.Book | None = None, known_at: bool = False) -> list[str]:
        """How a file differs from a book (the db's own by default): register, figures, and `known_at` ones."""
        from kpi.db import versions
        from kpi.db.connect import open_for_read

        book = self.book if book is None else book
        try:
            with open_for_read(path, wait=TIMEOUT) as con:
                loads = con.execute("SELECT file_name, undoes FROM loads ORDER BY load_id").fetchall()
                made = con.execute("SELECT as_of_fy, stage, load_id FROM submissions ORDER BY submission_id").fetchall()
                if (tuple(loads), tuple(made)) != book.register:
                    return [f"records {loads}, {made}; the model {book.register}"]
                found = [d for fy in YEARS if (d := differ(con, book.state, fy, "now"))]
                for n in range(1, len(book.loads)) if known_at else ():
                    versions.show_as_of(con, versions.resolve(con, n))
                    found += [d for d in [differ(con, book.at(n), YEARS[(self.steps + n) % len(YEARS)], n)] if d]
                versions.forget(con)
        except Exception as exc:  # (kpi's and duckdb's errors): a file kpi cannot read holds no book
            return [f"{path.name} cannot be read: {exc!r}"]
        return found

    # ------------------------------------------------------------------ the rules: what an office does

    @initialize(first=PLANS)
    def start_the_programme(self, first: NewList | Correction | Surveys | Budget) -> None:
        """The programme's settings, then a first file, so that every rule can run from the first step on."""
        self.run(self.load_op(Load("programme", SAMPLE / "programme.toml", None, "the programme's settings")))
        self.run(self.load_op(self.plan(first)))

    @rule(plan=PLANS, rival=RIVALS)
    def load(self, plan: NewList | Correction | Surveys | Budget, rival: Any) -> None:
        """A file loaded; one that changes a closed year is refused (exit 3) and kept to load again with --reopen."""
        load = self.plan(plan)
        if self.run(self.load_op(load), rival) == 3:
            self.refused = load

    @rule(rival=RIVALS)
    def load_again_with_reopen(self, rival: Any) -> None:
        """The refused file loaded again with a reason to reopen its year (else budget years, with a reason)."""
        load = self.refused or self.plan(Budget(2, self.files))  # (no precondition: no draw may depend on a race)
        self.refused = None
        self.run(self.load_op(load, reopen=True), rival)

    @rule(reopen=st.booleans(), rival=RIVALS)
    def undo(self, reopen: bool, rival: Any) -> None:
        """`kpi undo` of the latest load."""
        self.run(self.undo_op(reopen), rival)

    @rule(fy=st.sampled_from(YEARS), final=st.booleans(), rival=RIVALS)
    def submit(self, fy: int, final: bool, rival: Any) -> None:
        """A submission, preliminary or final (which closes its year)."""
        self.run(self.export_op(fy, "final" if final else "preliminary"), rival)

    @rule(rival=RIVALS)
    def take_a_backup(self, rival: Any) -> None:
        """`kpi backup`."""
        self.run(self.backup_op(), rival)

    @rule(pick=PICKS, rival=RIVALS)
    def restore(self, pick: int, rival: Any) -> None:
        """`kpi restore` of one of the files the store kept."""
        self.run(self.restore_op(pick), rival)

    @rule(what=st.sampled_from(KILLED), plan=PLANS, pick=PICKS, phase=st.integers(0, 10_000))
    def sigkill_a_command(self, what: str, plan: Any, pick: int, phase: int) -> None:
        """One of the writing commands killed at one of its announcements."""
        op = {
            "load": lambda: self.load_op(self.plan(plan)),
            "undo": lambda: self.undo_op(bool(pick % 2)),
            "export": lambda: self.export_op(YEARS[pick % len(YEARS)], ("preliminary", "final")[pick % 2]),
            "backup": self.backup_op,
            "restore": lambda: self.restore_op(pick),
        }[what]()
        self.run_killed(op, phase)

    # ------------------------------------------------------------------ after every step

    @invariant()
    def the_database_is_the_models(self) -> None:
        """The command and the library give the book's register and figures, now and as once known."""
        self.steps += 1
        fy = YEARS[self.steps % len(YEARS)]
        result = cli("report", "--db", str(self.db), "--as-of", str(fy), "--format", "json")
        ran(result, 0 if self.records.has_data else 3)
        if result.returncode == 0:
            assert same_figures(json.loads(result.stdout), self.book, fy), fy
        assert not (found := self.differences(self.db, known_at=True)), found
        known, now = self.known_sum(self.book), self.checksum(self.db)
        assert known in (None, now), "the database holds the same book as before, with other rows"
        self.sums.append((self.book, now))

    @invariant()
    def every_state_seen_is_still_held(self) -> None:
        """Every state seen is held by the database or a kept file; no kept file changed; nothing else left over."""
        kept, other = self.scan()
        assert kept == self.kept.keys(), (sorted(kept), sorted(self.kept))
        for path, copy in self.kept.items():
            assert self.checksum(path) == copy.checksum, f"{path.name}, a copy the store kept, has changed"
        holders = [self.book, *(copy.book for copy in self.kept.values())]
        lost = [b.register for b in self.seen if not any(h.holds(b) for h in holders)]
        assert not lost, f"states held by no file: {lost}"
        assert self.killed or not other, f"left beside the database: {sorted(p.name for p in other)}"


def differ(con: Any, state: rm.State, fy: int, when: object) -> str | None:
    """How the library's figures as of `fy` on `con` differ from the state's (None: they agree)."""
    from kpi.errors import NoData
    from kpi.figures.report import report

    want = expected(rm.figures(state, fy)) if state.has_data else None
    try:
        got = from_library(report(con, fy))
    except NoData:
        got = None
    return None if got == want else f"after load {when}, as of {fy}: {got} ≠ the model's {want}"


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None


@pytest.mark.slow  # CI's slow step, as the short history below (every rule, rival and kill once)
def test_the_store_keeps_every_state_it_was_in() -> None:
    """Backups, restores, undos, submissions and reopened years, raced and killed: no state the store was in is lost."""
    run_state_machine_as_test(
        StoreLifecycle,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=not RANDOM,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
        ),
    )


# Every rule, every kind of rival and a kill of every writing command, in an order that reaches each case (a final
# submission, a load it refuses, that load again with --reopen): the bounded run above may draw none of them.
TOUR: list[tuple[str, dict[str, Any]]] = [
    ("load", {"plan": NewList(4, 60, 2, 0.2), "rival": ("report", False, 0.1, 1)}),
    ("submit", {"fy": 2025, "final": True, "rival": ("backup", True, 0.0, 0)}),
    ("load", {"plan": Correction(1, None, 3, 1.0, False), "rival": None}),
    ("load_again_with_reopen", {"rival": ("load", False, 0.0, 7)}),
    ("undo", {"reopen": True, "rival": ("restore", True, 0.3, 2)}),
    ("take_a_backup", {"rival": ("restore", False, 0.0, 3)}),
    ("restore", {"pick": 0, "rival": ("restore", False, 0.0, 1)}),
    ("restore", {"pick": 4, "rival": ("load", True, 0.1, 5)}),
    ("submit", {"fy": 2026, "final": False, "rival": ("load", True, 0.0, 2)}),
    *[
        ("sigkill_a_command", {"what": what, "plan": Budget(2, 9), "pick": 2, "phase": phase})
        for what, phase in (("restore", 40), ("backup", 12), ("load", 30), ("undo", 50), ("export", 25))
    ],
    ("take_a_backup", {"rival": None}),
]


@pytest.mark.slow  # 24 s: CI's slow step runs it with the store machine's examples
@settings(max_examples=1, deadline=None)
@given(st.just("a tour"))
def test_every_store_rule_runs_on_a_short_history(tour: str) -> None:
    """Each rule, rival and kill once, with the checks after every step. (Inside @given, where the rules take notes.)"""
    machine = StoreLifecycle()
    try:
        machine.start_the_programme(first=NewList(0, 60, 1, 0.0))
        for name, arguments in TOUR:
            getattr(machine, name)(**arguments)
            machine.the_database_is_the_models()
            machine.every_state_seen_is_still_held()
    finally:
        machine.teardown()
