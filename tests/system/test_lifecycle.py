"""Months of a programme office's ordinary use, step by step through the real CLI, against a reference model.

A hypothesis state machine plays the office. It loads the programme's settings once and its first theme list, then,
in an order it picks: dated theme lists for new dates (100 to 20,000 themes, most of them small, a few large; each
grown from the list before it, with themes missing, statuses and end years moved, new themes), corrected lists for
dates already loaded (by the file's name or by --snapshot; some statuses, end years or themes changed, perhaps
another size), follow-up surveys (some re-surveying a stored theme and year) and budget years (some given again);
`kpi export`, `kpi report`, `kpi check` and `kpi changes`; `kpi undo` of the latest load (refused when it is an
undo itself); a load killed with SIGKILL right after one of the announcements its rehearsal on a copy of the
database made (tests/faultkit.py pauses the load there: nothing is slept towards, and no phase is named here); and
the database moved to another folder and back, as an office moves its file. Every step is `python -m kpi` in a
subprocess on the machine's own database in its own temporary folder.

After every step `kpi report --format json` must open the database and say, as of one fiscal year (the next of
YEARS at each step), what the reference model (tests/reference_model.py, plain Python over the files written)
says: the short-term and long-term numerators, denominators and verdicts, the status summary, the list in force
and the budget. The other years are compared through the library in this process, and kpi must have recorded as
many loads as the model (a file whose content is stored already records none). A load killed before its COMMIT
leaves the state before it; one killed after its COMMIT, the state after it. The model keeps the state after
every load by its number, and after every step the figures `--known-at` every earlier load (through the library,
one year each; through the command, one load and year) are the model's state after that load: nothing loaded is
ever lost, whatever was corrected, undone or killed since.

The examples are derandomised (the same ones on every run) and bounded to about a minute. For a longer search
set KPI_LIFECYCLE_EXAMPLES and KPI_LIFECYCLE_STEPS (make soak), and KPI_LIFECYCLE_RANDOM=1 for new examples.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import reference_model as rm
from faultkit import Spy, copy_db
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from kit import SAMPLE, THEMES_HEADER, run_kpi

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("KPI_LIFECYCLE_EXAMPLES", "4"))
STEPS = int(os.environ.get("KPI_LIFECYCLE_STEPS", "9"))
RANDOM = bool(os.environ.get("KPI_LIFECYCLE_RANDOM"))
TIMEOUT = 600  # seconds for one command: a large load on a busy machine takes a few; a hang fails, slowness does not

YEARS = (2023, 2025, 2026, 2027)  # the fiscal years every step's figures are compared for
FIRST_DAY, LAST_DAY = dt.date(2022, 3, 31), dt.date(2027, 3, 31)
# The dates a list may describe: each year's end and the day after it (the edge of the list in force), two more a
# year; never after today (kpi refuses a future snapshot).
LIST_DATES = tuple(
    day
    for year in range(FIRST_DAY.year, LAST_DAY.year + 1)
    for day in (dt.date(year, 3, 31), dt.date(year, 4, 1), dt.date(year, 9, 30), dt.date(year, 12, 31))
    if FIRST_DAY <= day <= min(LAST_DAY, dt.date.today())
)
STATUS_CODES = {
    rm.ACHIEVED: "achieved",
    rm.NOT_ACHIEVED: "not_achieved",
    rm.DELAYED: "delayed",
    rm.ON_TRACK: "on_track",
}


def pause_points(lines: Sequence[str]) -> list[tuple[int, str]]:
    """Each announcement of a run from its first opening on: its index, and its FAULTKIT_PAUSE_AT (`START #N`)."""
    points = []
    for i in range(next((i for i, line in enumerate(lines) if line == "opening"), 0), len(lines)):
        words = lines[i].split(" ")  # the start: the words before any naming a file, a time or a number
        start = " ".join(words[: next((j for j, w in enumerate(words) if re.search(r"[0-9/.'\"]", w)), len(words))])
        if start:
            points.append((i, f"{start} #{sum(line.startswith(start) for line in lines[: i + 1])}"))
    return points


# ---------------------------------------------------------------------------- what the office loads


@dataclass(frozen=True)
class NewList:
    """A theme list for a date not loaded yet (the nth such date, counting round), grown from a loaded list."""

    nth_free_date: int
    size: int
    seed: int
    change: float  # the share of the kept themes whose status or end year moves


@dataclass(frozen=True)
class Correction:
    """A corrected list for a date already loaded (the nth, counting round): `size` themes (None: as many as it
    has), `change` of them moved; dated by --snapshot or by the file's name."""

    nth_loaded_date: int
    size: int | None
    seed: int
    change: float
    by_option: bool


@dataclass(frozen=True)
class Surveys:
    """Follow-up surveys of up to `count` themes; with `resurvey`, stored (theme, year) pairs answered again."""

    count: int
    seed: int
    resurvey: bool


@dataclass(frozen=True)
class Budget:
    """Budget rows for `count` years of 2019–2030 (new ones, or given again), in 億円; executed blank at times."""

    count: int
    seed: int


@dataclass(frozen=True)
class Load:
    """One `kpi load` of one written file, as the machine runs it and the model reads it."""

    kind: str
    path: Path
    snapshot: dt.date | None  # given as --snapshot (else the date in the file's name)
    what: str

    def args(self, db: Path) -> list[str]:
        """The command's arguments."""
        option = ["--snapshot", self.snapshot.isoformat()] if self.snapshot else []
        return ["load", "--db", str(db), *option, str(self.path)]


SIZES = st.one_of(*[st.integers(100, 400)] * 5, st.integers(400, 20_000))  # most lists small, one in six large
SEEDS = st.integers(0, 2**16)
CHANGES = st.sampled_from((0.0, 0.02, 0.2, 1.0))
NEW_LISTS = st.builds(NewList, nth_free_date=st.integers(0, 31), size=SIZES, seed=SEEDS, change=CHANGES)
CORRECTIONS = st.builds(
    Correction,
    nth_loaded_date=st.integers(0, 31),
    size=st.none() | SIZES,
    seed=SEEDS,
    change=CHANGES,
    by_option=st.booleans(),
)
SURVEYS = st.builds(Surveys, count=st.integers(1, 60), seed=SEEDS, resurvey=st.booleans())
BUDGETS = st.builds(Budget, count=st.integers(1, 8), seed=SEEDS)
KILLS = st.tuples(st.one_of(NEW_LISTS, CORRECTIONS, SURVEYS, BUDGETS), st.integers(0, 10_000))  # (a plan, a point)


def new_theme(number: int, rng: random.Random) -> rm.Theme:
    """A theme never listed before: id T{item}-{number:05d}, end year 2019–2030, a start year half of the time."""
    item = rng.choice((1, 1, 2, 2, 3))
    end_fy = rng.randint(2019, 2030)
    return rm.Theme(
        theme_id=f"T{item}-{number:05d}",
        item=item,
        funding=rng.choice(("委託", "助成")),
        element=f"{rng.choice('abcdefg')}{rng.randint(1, 9)}",
        organizations=f"株式会社試験{number % 97}",
        title=f"試験テーマ{number}",
        start_fy=rng.randint(2019, end_fy) if rng.random() < 0.5 else None,
        end_fy=end_fy,
        status=rng.choice(rm.STATUSES),
    )


def moved(theme: rm.Theme, rng: random.Random) -> rm.Theme:
    """A theme with a new status, a new end year (never before its start), or both."""
    what = rng.choice(("status", "end", "both"))
    status = rng.choice(rm.STATUSES) if what != "end" else theme.status
    end_fy = rng.randint(max(2019, theme.start_fy or 2019), 2030) if what != "status" else theme.end_fy
    return dataclasses.replace(theme, status=status, end_fy=end_fy)


def write_themes(path: Path, themes: list[rm.Theme]) -> Path:
    """A themes file in the canonical English header, UTF-8."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(THEMES_HEADER.split(","))
        for t in themes:
            cells = (t.theme_id, t.item, t.funding, t.element, t.organizations, t.title, t.start_fy, t.end_fy, t.status)
            writer.writerow("" if cell is None else cell for cell in cells)
    return path


def write_rows(path: Path, header: list[str], rows: Sequence[Sequence[object]]) -> Path:
    """A CSV file of a header and rows (None written as a blank cell)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
    return path


# ---------------------------------------------------------------------------- what kpi says, as the model says it


def expected(f: rm.Figures) -> dict[str, Any]:
    """The model's figures in the terms of `kpi report --format json`."""
    o = f.outcome
    return {
        "snapshot": f.snapshot.isoformat() if f.snapshot else None,
        "snapshot_fallback": f.snapshot_fallback,
        "short_term": {
            "achieved": o.short_term.numerator,
            "completed": o.short_term.denominator,
            "verdict": o.short_term.verdict,
            "awaiting_final": o.awaiting_final,
            "not_achieved": o.not_achieved,
        },
        "long_term": {
            "commercialised": o.long_term.numerator,
            "adopted": o.long_term.denominator,
            "verdict": o.long_term.verdict,
            "matured": o.long_term_matured.denominator,
            "matured_commercialised": o.long_term_matured.numerator,
            "matured_verdict": o.long_term_matured.verdict,
        },
        "status_summary": dataclasses.asdict(f.status_summary),
        "budget": {
            "years": [
                [y.fy, float(y.budget), None if y.executed is None else float(y.executed)] for y in f.budget_years
            ],
            "total": [float(f.total_budget), float(f.total_executed)],
        },
    }


SHORT_TERM_KEYS = ("achieved", "completed", "verdict", "awaiting_final", "not_achieved")
LONG_TERM_KEYS = ("commercialised", "adopted", "verdict", "matured", "matured_commercialised", "matured_verdict")


def from_report_json(report: dict[str, Any]) -> dict[str, Any]:
    """The figures the model computes, as `kpi report --format json` gives them."""
    return {
        "snapshot": report["snapshot"],
        "snapshot_fallback": report["snapshot_fallback"],
        "short_term": {k: report["short_term"][k] for k in SHORT_TERM_KEYS},
        "long_term": {k: report["long_term"][k] for k in LONG_TERM_KEYS},
        "status_summary": report["status_summary"],
        "budget": {
            "years": [[y["fy"], y["budget"], y["executed"]] for y in report["budget"]["years"]],
            "total": [report["budget"]["total"]["budget"], report["budget"]["total"]["executed"]],
        },
    }


def from_library(report: Any) -> dict[str, Any]:
    """The figures the model computes, from kpi.figures.report.report() in this process."""
    o = report.outcome
    short, official, matured = o["short_term"], o["long_term"], o["long_term_matured"]
    b = report.budget
    return {
        "snapshot": report.snapshot.date.isoformat() if report.snapshot else None,
        "snapshot_fallback": report.snapshot.fallback if report.snapshot else False,
        "short_term": {
            "achieved": short.numerator,
            "completed": short.denominator,
            "verdict": str(short.verdict),
            "awaiting_final": o.awaiting_final,
            "not_achieved": o.not_achieved,
        },
        "long_term": {
            "commercialised": official.numerator,
            "adopted": official.denominator,
            "verdict": str(official.verdict),
            "matured": matured.denominator,
            "matured_commercialised": matured.numerator,
            "matured_verdict": str(matured.verdict),
        },
        "status_summary": report.status_summary._asdict(),
        "budget": {
            "years": [[y.fy, float(y.budget), None if y.executed is None else float(y.executed)] for y in b.years],
            "total": [float(b.total_budget), float(b.total_executed)],
        },
    }


def kpi_figures(outcome: rm.Outcome) -> dict[str, tuple[int | None, int, str]]:
    """Each KPI's numerator, denominator and verdict, by kpi's name for it."""
    kpis = {
        "short_term": outcome.short_term,
        "long_term": outcome.long_term,
        "long_term_matured": outcome.long_term_matured,
    }
    return {name: (k.numerator, k.denominator, k.verdict) for name, k in kpis.items()}


def read_csv(path: Path) -> list[dict[str, str]]:
    """An exported CSV file (UTF-8 with BOM, CRLF) as rows keyed by its header."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def count(cell: str) -> int | None:
    """An exported count: a whole number, or blank (not measured)."""
    return int(cell) if cell else None


def ran(result: Any, *codes: int) -> None:
    """The command ended with one of `codes`, with no traceback."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in codes, f"exit {result.returncode}, expected {codes}: {result.stderr[-2000:]}"


# ---------------------------------------------------------------------------- the office


class Office:
    """Turning a plan into a file for the records as they stand (`records`), in a folder of the office's own."""

    folder: Path
    files = 0  # files written so far: each load's file has a folder of its own
    next_theme = 1  # the number of the next theme never listed

    @property
    def records(self) -> rm.State:
        """The records as they stand now, which the next file is written for."""
        raise NotImplementedError

    def inbox(self) -> Path:
        """A new folder for the next file (names may repeat from load to load, as an office's do)."""
        self.files += 1
        folder = self.folder / "inbox" / f"{self.files:04d}"
        folder.mkdir(parents=True)
        return folder

    def free_dates(self) -> list[dt.date]:
        """The dates no list is loaded for yet."""
        return [day for day in LIST_DATES if day not in self.records.lists]

    def grown(self, base: Mapping[str, rm.Theme], size: int, seed: int, change: float) -> list[rm.Theme]:
        """`size` themes from `base`: as many of its themes as fit (the others go missing), `change` of them moved,
        then new themes; in a shuffled order (a list's order means nothing)."""
        rng = random.Random(seed)
        kept = sorted(base.values(), key=lambda t: t.theme_id)
        if len(kept) > size:
            kept = rng.sample(kept, size)
        themes = [moved(t, rng) if rng.random() < change else t for t in kept]
        for _ in range(size - len(themes)):
            themes.append(new_theme(self.next_theme, rng))
            self.next_theme += 1
        rng.shuffle(themes)
        return themes

    def resolve(self, plan: NewList | Correction | Surveys | Budget) -> Load:
        """Write the file a plan describes, for the state as it is now."""
        state = self.records
        if isinstance(plan, NewList):
            free = self.free_dates()
            day = free[plan.nth_free_date % len(free)]
            earlier = [d for d in sorted(state.lists) if d < day]
            base_day = earlier[-1] if earlier else min(state.lists, default=None)
            base = state.lists[base_day] if base_day is not None else {}
            themes = self.grown(base, plan.size, plan.seed, plan.change)
            path = write_themes(self.inbox() / f"themes_{day.isoformat()}.csv", themes)
            return Load("themes", path, None, f"new list of {day}: {len(themes)} themes, grown from {base_day}")
        if isinstance(plan, Correction):
            day = sorted(state.lists)[plan.nth_loaded_date % len(state.lists)]
            stored = state.lists[day]
            themes = self.grown(stored, plan.size or len(stored), plan.seed, plan.change)
            name = "themes_corrected.csv" if plan.by_option else f"themes_{day.isoformat()}.csv"
            path = write_themes(self.inbox() / name, themes)
            how = "--snapshot" if plan.by_option else "its name"
            what = f"corrected list of {day} by {how}: {len(stored)} → {len(themes)} themes"
            return Load("themes", path, day if plan.by_option else None, what)
        if isinstance(plan, Surveys):
            rows = self.surveys(state, plan)
            path = write_rows(self.inbox() / "followups.csv", ["theme_id", "survey_fy", "stage"], rows)
            return Load("followups", path, None, f"{len(rows)} follow-up surveys")
        years = self.budget_rows(plan)
        path = write_rows(self.inbox() / "budget.csv", ["fy", "budget", "executed"], years)
        return Load("budget", path, None, f"budget of {sorted(fy for fy, _, _ in years)}")

    @staticmethod
    def budget_rows(plan: Budget) -> list[tuple[int, str, str | None]]:
        """Years of 2019–2030 with a budget and, three times in four, what was executed: 億円 to 0.1, written with
        thousands separators (1,234.5)."""
        rng = random.Random(plan.seed)
        rows = []
        for fy in rng.sample(range(2019, 2031), plan.count):
            budget, executed = (Decimal(rng.randint(0, 150_000)) / 10 for _ in range(2))
            rows.append((fy, f"{budget:,}", f"{executed:,}" if rng.random() < 0.75 else None))
        return rows

    @staticmethod
    def surveys(state: rm.State, plan: Surveys) -> list[tuple[str, int, str]]:
        """Valid survey rows: a known theme, a year not before its end (as its latest list has it), one row per
        theme and year; with `resurvey`, half of them stored pairs answered again (perhaps the same)."""
        rng = random.Random(plan.seed)
        ends = rm.end_years(state)
        rows: dict[tuple[str, int], str] = {}
        if plan.resurvey:
            again = sorted(key for key in state.surveys if key[0] in ends and key[1] >= ends[key[0]])
            for key in rng.sample(again, min(len(again), max(1, plan.count // 2))):
                rows[key] = rng.choice(rm.STAGES)
        for theme_id in rng.sample(sorted(ends), min(len(ends), plan.count - len(rows))):
            rows.setdefault((theme_id, ends[theme_id] + rng.choice((0, 1, 2, 3, 3, 4))), rng.choice(rm.STAGES))
        return [(theme_id, fy, stage) for (theme_id, fy), stage in rows.items()]


class OfficeLifecycle(Office, RuleBasedStateMachine):
    """One programme office's database, used the ordinary way, with the model beside it."""

    def __init__(self) -> None:
        """A new temporary folder for this run's database and files."""
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="kpi-lifecycle-"))
        self.db = self.folder / "kpi.duckdb"
        self.model = rm.Model()
        self.steps = 0
        self.undos: set[int] = set()  # the loads that are undos

    def teardown(self) -> None:
        """Remove the folder, database and files."""
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def records(self) -> rm.State:
        """The model's records now."""
        return self.model.state

    def run_load(self, plan: NewList | Correction | Surveys | Budget) -> None:
        """Write a plan's file, load it with the real command, and record it in the model."""
        load = self.resolve(plan)
        ran(run_kpi(*load.args(self.db), timeout=TIMEOUT), 0)
        number = self.model.load(load.kind, load.path, load.snapshot)
        note(f"{load.what}: {f'load #{number}' if number else 'unchanged, no load recorded'}")

    # ------------------------------------------------------------------ the rules: what an office does

    @initialize(first_list=NEW_LISTS)
    def start_the_programme(self, first_list: NewList) -> None:
        """The programme's settings, once, first (the figures then have no data to read: exit 3), then its first
        theme list, so that every rule can run from the first step on."""
        path = SAMPLE / "programme.toml"
        ran(run_kpi("load", "--db", str(self.db), str(path), timeout=TIMEOUT), 0)
        assert self.model.load("programme", path) == 1
        self.report_matches(self.db, YEARS[0])
        self.run_load(first_list)

    @precondition(lambda self: self.free_dates())
    @rule(plan=NEW_LISTS)
    def load_new_list(self, plan: NewList) -> None:
        """A theme list for a new date."""
        self.run_load(plan)

    @precondition(lambda self: self.model.state.lists)
    @rule(plan=CORRECTIONS)
    def load_corrected_list(self, plan: Correction) -> None:
        """A corrected list for a date already loaded: it replaces that date's list."""
        self.run_load(plan)

    @precondition(lambda self: self.model.state.lists)
    @rule(plan=SURVEYS)
    def load_surveys(self, plan: Surveys) -> None:
        """Follow-up surveys of known themes."""
        self.run_load(plan)

    @rule(plan=BUDGETS)
    def load_budget(self, plan: Budget) -> None:
        """Budget years, new or given again."""
        self.run_load(plan)

    @precondition(lambda self: self.model.state.lists and self.free_dates())
    @rule(kill=KILLS)
    def kill_a_load(self, kill: tuple[NewList | Correction | Surveys | Budget, int]) -> None:
        """A load killed with SIGKILL after one announcement of its rehearsal; kept only when its COMMIT had returned."""
        plan, point = kill
        load = self.resolve(plan)
        after = self.model.outcome(load.kind, load.path, load.snapshot)
        rehearsal = self.folder / "rehearsal" / self.db.name
        rehearsal.parent.mkdir()
        with Spy(*load.args(copy_db(self.db, rehearsal))) as spy:
            assert spy.finish(timeout=TIMEOUT) == 0, spy.stderr()
        shutil.rmtree(rehearsal.parent)
        points = pause_points(spy.lines)
        at, phase = points[point % len(points)]
        committed = any(line == "after COMMIT" for line in spy.lines[: at + 1])  # (a load commits once, at its end)
        spy = Spy(*load.args(self.db), pause_at=phase)
        try:
            paused = spy.wait_for("paused", timeout=TIMEOUT)  # fails, naming what it did announce, if it never pauses
            assert spy.lines[paused - 1].startswith(phase.partition(" #")[0]), spy.lines[-5:]
            spy.send(signal.SIGKILL)
            assert spy.finish(timeout=TIMEOUT) == -signal.SIGKILL, spy.stderr()
        finally:
            spy.close()
        number = self.model.record(after) if committed else None
        kept = f"kept as load #{number}" if number else ("kept, nothing changed" if committed else "lost")
        note(f"{load.what}: killed at {phase!r}, {kept}")

    @rule()
    def undo_the_latest_load(self) -> None:
        """`kpi undo`: the latest load reverted, as a load of its own; refused (exit 3, nothing changed) when there is
        none or the latest is an undo itself."""
        result = run_kpi("undo", "--db", str(self.db), timeout=TIMEOUT)
        latest = self.model.loads
        if latest == 0 or latest in self.undos:
            ran(result, 3)
            note(f"kpi undo refused: {'nothing loaded' if latest == 0 else f'load #{latest} is an undo'}")
            return
        ran(result, 0)
        number = self.model.record(self.model.history[latest - 1])
        assert number is not None
        self.undos.add(number)
        note(f"kpi undo: load #{latest} undone as load #{number}")

    @rule(command=st.sampled_from(("export", "report", "check", "changes")), fy=st.sampled_from(YEARS))
    def read(self, command: str, fy: int) -> None:
        """What an office reads: an export, the report, the check, the changes since the last list."""
        {"export": self.export, "report": self.report, "check": self.check, "changes": self.changes}[command](fy)

    @rule()
    def move_database(self) -> None:
        """The database (with any write-ahead log beside it) copied to another folder, read there, and copied back."""
        away = self.folder / "moved" / self.db.name
        away.parent.mkdir(exist_ok=True)
        copy_db(self.db, away)
        for original in (self.db, self.db.with_name(self.db.name + ".wal")):
            original.unlink(missing_ok=True)
        self.report_matches(away, YEARS[self.steps % len(YEARS)])
        copy_db(away, self.db)
        shutil.rmtree(away.parent)

    # ------------------------------------------------------------------ reading, compared with the model

    def export(self, fy: int) -> None:
        """`kpi export`: its outcome and status files say what the model says."""
        out = self.folder / "export"
        result = run_kpi("export", "--db", str(self.db), "--as-of", str(fy), "--out", str(out), "--force")
        state = self.model.state
        ran(result, 0 if state.has_data else 3)
        if not state.has_data:
            return
        f = rm.figures(state, fy)
        rows = read_csv(out / "outcome_kpis.csv")
        got = [(count(r["分子（件）"]), count(r["分母（件）"])) for r in rows]
        assert got == [(n, d) for n, d, _ in kpi_figures(f.outcome).values()]
        status = [int(r["件数"]) for r in read_csv(out / "status_summary.csv")]
        assert status == list(dataclasses.astuple(f.status_summary))

    def report(self, fy: int) -> None:
        """`kpi report` as a person reads it: the tables, naming the list in force."""
        result = run_kpi("report", "--db", str(self.db), "--as-of", str(fy), timeout=TIMEOUT)
        state = self.model.state
        ran(result, 0 if state.has_data else 3)
        snapshot = rm.figures(state, fy).snapshot
        if state.has_data and snapshot:
            assert f"テーマ一覧: {snapshot.isoformat()} 現在" in result.stdout

    def check(self, fy: int) -> None:
        """`kpi check --format json`: its exit code and its KPIs are the model's."""
        result = run_kpi("check", "--db", str(self.db), "--as-of", str(fy), "--format", "json", timeout=TIMEOUT)
        state = self.model.state
        ran(result, rm.check_exit_code(state, fy))
        if not state.has_data:
            return
        f = rm.figures(state, fy)
        given = json.loads(result.stdout)
        assert given["snapshot"] == (f.snapshot.isoformat() if f.snapshot else None)
        assert given["ok"] is (result.returncode == 0)
        assert {k["name"]: (k["numerator"], k["denominator"], k["verdict"]) for k in given["kpis"]} == kpi_figures(
            f.outcome
        )

    def changes(self, fy: int) -> None:
        """`kpi changes --format json`: the last two lists' moves and KPIs are the model's (exit 3 with fewer)."""
        result = run_kpi("changes", "--db", str(self.db), "--format", "json", timeout=TIMEOUT)
        c = rm.changes(self.model.state)
        ran(result, 0 if c else 3)
        if c is None:
            return
        given = json.loads(result.stdout)
        assert (given["from"], given["to"]) == (c.before.isoformat(), c.after.isoformat())
        moves = {m["theme_id"]: (m["before"], m["after"]) for m in given["status_changes"]}
        assert moves == {t: (STATUS_CODES[b], STATUS_CODES[a]) for t, (b, a) in c.status_changes.items()}
        assert {t["theme_id"] for t in given["added"]} == c.added
        assert {t["theme_id"] for t in given["missing"]} == c.missing
        for side, outcome in (("before", c.outcome_before), ("after", c.outcome_after)):
            got = {
                name: tuple(k[side][f] for f in ("numerator", "denominator", "verdict"))
                for name, k in given["kpis"].items()
            }
            assert got == kpi_figures(outcome), side

    def report_matches(self, db: Path, fy: int) -> None:
        """`kpi report --format json` on `db` opens it and gives the model's figures as of `fy` (exit 3, no data,
        before any list or budget year is loaded)."""
        result = run_kpi("report", "--db", str(db), "--as-of", str(fy), "--format", "json", timeout=TIMEOUT)
        state = self.model.state
        ran(result, 0 if state.has_data else 3)
        if state.has_data:
            assert from_report_json(json.loads(result.stdout)) == expected(rm.figures(state, fy)), fy

    # ------------------------------------------------------------------ after every step

    @invariant()
    def every_figure_is_the_models(self) -> None:
        """The command opens the database and gives the model's figures for one year; the library for the others;
        kpi has recorded the model's number of loads."""
        self.steps += 1
        fy = YEARS[self.steps % len(YEARS)]
        self.report_matches(self.db, fy)
        if not self.db.exists():
            return
        from kpi.db.connect import fetch_one, open_for_read
        from kpi.figures.report import report

        state = self.model.state
        with open_for_read(self.db, wait=TIMEOUT) as con:
            if state.has_data:
                for other in YEARS:
                    if other != fy:
                        assert from_library(report(con, other)) == expected(rm.figures(state, other)), other
            loads = fetch_one(con, "SELECT coalesce(max(load_id), 0) FROM loads")
        assert loads == (self.model.loads,)
        self.known_at_every_load_is_the_models()

    def known_at_every_load_is_the_models(self) -> None:
        """The figures as known right after every earlier load are the model's state after it: through the library
        on one connection (one year each, in turn), and through `kpi report --known-at` for one load."""
        from kpi.db import versions
        from kpi.db.store import Store
        from kpi.errors import NoData
        from kpi.figures.report import report

        earlier = range(1, self.model.loads)
        if not earlier:
            return
        with Store(self.db, TIMEOUT).reading() as con:
            for n in earlier:
                versions.show_as_of(con, versions.resolve(con, n))
                state, fy = self.model.history[n], YEARS[(self.steps + n) % len(YEARS)]
                if not state.has_data:
                    with pytest.raises(NoData):
                        report(con, fy)
                    continue
                assert from_library(report(con, fy)) == expected(rm.figures(state, fy)), (n, fy)
            versions.forget(con)
        n = earlier[self.steps % len(earlier)]
        fy = YEARS[self.steps % len(YEARS)]
        args = ("report", "--db", str(self.db), "--as-of", str(fy), "--known-at", str(n), "--format", "json")
        result = run_kpi(*args, timeout=TIMEOUT)
        state = self.model.history[n]
        ran(result, 0 if state.has_data else 3)
        if state.has_data:
            given = json.loads(result.stdout)
            assert given["known_at_load"] == n
            assert from_report_json(given) == expected(rm.figures(state, fy)), (n, fy)


def test_months_of_ordinary_use_keep_every_figure_right() -> None:
    run_state_machine_as_test(
        OfficeLifecycle,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=not RANDOM,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],  # no `explain`: costly
        ),
    )


@settings(max_examples=1, deadline=None)
@given(st.just("one list"))
def test_every_reading_rule_reads_a_small_history(history: str) -> None:
    """Each way of reading, once, on one list: the bounded run above may draw no export, and a change of what a file
    says must fail every run, not only a long one (make soak). (Inside @given, where the rules may take notes.)"""
    machine = OfficeLifecycle()
    try:
        machine.start_the_programme(first_list=NewList(nth_free_date=0, size=100, seed=0, change=0.0))
        machine.every_figure_is_the_models()
        for command in ("export", "report", "check", "changes"):
            machine.read(command=command, fy=2023)
    finally:
        machine.teardown()


def test_the_model_gives_kpis_figures_on_the_sample_data(tmp_path: Path) -> None:
    """The reference model, given the sample data (the evaluation's 144 themes, its budget, the illustrative
    surveys), computes what kpi reports for every year the programme runs."""
    db = tmp_path / "kpi.duckdb"
    surveys = SAMPLE / "illustrative" / "followups_illustrative.csv"
    files = [("programme", SAMPLE / "programme.toml"), ("themes", SAMPLE / "themes_2026-03-31.csv")]
    files += [("budget", SAMPLE / "budget.csv"), ("followups", surveys)]
    model = rm.Model()
    for kind, path in files:
        ran(run_kpi("load", "--db", str(db), str(path)), 0)
        assert model.load(kind, path) is not None
    from kpi.db.connect import open_for_read
    from kpi.figures.report import report

    with open_for_read(db) as con:
        for fy in range(2019, 2031):
            assert from_library(report(con, fy)) == expected(rm.figures(model.state, fy)), fy
    result = run_kpi("report", "--db", str(db), "--as-of", "2025", "--format", "json")
    ran(result, 0)
    assert from_report_json(json.loads(result.stdout)) == expected(rm.figures(model.state, 2025))
    assert rm.figures(model.state, 2025).outcome.short_term == rm.Kpi(39, 56, "not_met")  # README's figures
