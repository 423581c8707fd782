"""The reference model of tests/system/test_lifecycle.py and test_store_lifecycle.py: what kpi's figures must be.

The model reads the files a test wrote (the CSV files and the programme's TOML that kpi is given) and keeps the
programme's records as README "kpi load" says they are kept: one theme list per date (a list for a date already
loaded replaces that date's list), follow-up surveys replaced by (theme_id, survey_fy), budget years by fy, and a
numbered load for every file that changes something (a file whose content is already stored records no load).
Every state is kept, keyed by the number of the load that made it (`Model.history`; 0 is the empty database), so
the figures as known at load N are `figures(model.history[N], fy)`. A `Book` is what one database file holds — its
loads (undos among them) with the records after each, and its submissions — and what `kpi load`, `kpi undo` and
`kpi export` do to it, a final submission closing its year (README "Closing a year").

The figures follow README "How the figures are computed", written again here from its words: nothing of kpi is
imported and no SQL is run. The model reads the forms the tests write (and the sample data's): headers in English
or Japanese, years as 2023, 2023年度, 令和5年度, R5 or 平成31年度, statuses in Japanese, optionally after
「令和N年度終了」; any other cell is an error of the test, not something to guess.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

ACHIEVED, NOT_ACHIEVED, DELAYED, ON_TRACK = "目標達成", "目標未達", "遅延", "計画通り"
STATUSES = (ACHIEVED, NOT_ACHIEVED, DELAYED, ON_TRACK)
STAGES = ("研究", "開発", "製品化", "上市", "中止", "中断")
COMMERCIALISED = frozenset({"製品化", "上市"})  # NEDO's 実用化
LEADING_RESEARCH = 3  # item 3, 先導研究: left out of every figure

THEME_FIELDS = ("theme_id", "item", "funding", "element", "organizations", "title", "start_fy", "end_fy", "status")
JAPANESE_HEADERS = {
    "テーマID": "theme_id",
    "研究開発項目": "item",
    "契約形態": "funding",
    "基盤要素": "element",
    "機関名": "organizations",
    "開発テーマ名": "title",
    "開始年度": "start_fy",
    "終了年度": "end_fy",
    "結果/状況": "status",
    "年度": "fy",
    "予算額": "budget",
    "執行額": "executed",
    "調査年度": "survey_fy",
    "段階": "stage",
}
DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
ERAS = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988}
ENDED_IN = re.compile(r"^(.+?年度)終了\s*(.*)$")  # the report's own cell: 令和5年度終了 目標達成


# ---------------------------------------------------------------------------- the records


@dataclass(frozen=True)
class Theme:
    """One row of a themes file, as its cells say."""

    theme_id: str
    item: int
    funding: str
    element: str
    organizations: str
    title: str
    start_fy: int | None
    end_fy: int
    status: str


@dataclass(frozen=True)
class BudgetYear:
    """One row of a budget file, in 億円; `executed` None when the cell is blank (not known, not 0)."""

    fy: int
    budget: Decimal
    executed: Decimal | None


@dataclass(frozen=True)
class Programme:
    """The settings the figures read: the targets (exact fractions), the follow-up horizon, the judging year."""

    short_term_target: Fraction
    long_term_target: Fraction
    horizon_years: int
    long_term_judged_from_fy: int


@dataclass(frozen=True)
class State:
    """The records after some loads. Never changed in place: a load that changes something makes a new State."""

    settings: Mapping[str, str] | None = None
    lists: Mapping[dt.date, Mapping[str, Theme]] = field(default_factory=dict)  # date → theme_id → row
    surveys: Mapping[tuple[str, int], str] = field(default_factory=dict)  # (theme_id, survey_fy) → stage
    budget: Mapping[int, BudgetYear] = field(default_factory=dict)

    @property
    def programme(self) -> Programme | None:
        """The programme's settings as the figures read them (None before a programme file is loaded)."""
        if self.settings is None:
            return None
        return Programme(
            short_term_target=target(self.settings["short_term_target"]),
            long_term_target=target(self.settings["long_term_target"]),
            horizon_years=int(self.settings["followup_horizon_years"]),
            long_term_judged_from_fy=int(self.settings["long_term_judged_from_fy"]),
        )

    @property
    def has_data(self) -> bool:
        """Whether any theme list or budget year is stored (before that, every figure command says: no data)."""
        return bool(self.lists or self.budget)


class Model:
    """The records load after load: `history[n]` is the state after load n (0: nothing loaded yet)."""

    def __init__(self) -> None:
        """An empty database."""
        self.history: dict[int, State] = {0: State()}

    @property
    def loads(self) -> int:
        """The number of the last load recorded (kpi's highest `loads.load_id`; 0 before any)."""
        return max(self.history)

    @property
    def state(self) -> State:
        """The records as they stand now."""
        return self.history[self.loads]

    def outcome(self, kind: str, path: Path, snapshot: dt.date | None = None) -> State | None:
        """The state a load of one file of `kind` would leave; None when it changes nothing (no load recorded)."""
        return after_load(self.state, kind, path, snapshot)

    def record(self, state: State | None) -> int | None:
        """Record a committed load's state under the next load number; None (and no number) when it changed nothing."""
        if state is None:
            return None
        number = self.loads + 1
        self.history[number] = state
        return number

    def load(self, kind: str, path: Path, snapshot: dt.date | None = None) -> int | None:
        """A load of one file that committed: its load number, or None when the file changed nothing."""
        return self.record(self.outcome(kind, path, snapshot))


# ---------------------------------------------------------------------------- reading cells


def fiscal_year(cell: str) -> int:
    """A fiscal year cell: 2023, 2023年度, 令和5年度, 令和元年度, R5, 平成31年度 (full-width digits too)."""
    text = unicodedata.normalize("NFKC", cell).strip().removesuffix("年度").replace("元", "1")
    if text.isdigit():
        return int(text)
    for era, offset in ERAS.items():
        if text.startswith(era) and text[len(era) :].isdigit():
            return offset + int(text[len(era) :])
    raise ValueError(f"not a fiscal year the model reads: {cell!r}")


def target(cell: str) -> Fraction:
    """A target as settings give it: '80%' or a fraction like 0.8, exactly."""
    text = cell.strip()
    return Fraction(text.removesuffix("%")) / 100 if text.endswith("%") else Fraction(text)


def amount(cell: str) -> Decimal:
    """An amount in 億円, thousands separators allowed."""
    return Decimal(unicodedata.normalize("NFKC", cell).replace(",", "").strip())


def _column(header: str) -> str:
    """A header cell as a column name: English as it is, Japanese by its name, a unit such as (億円) dropped."""
    name = re.sub(r"[(（][^)）]*[)）]$", "", unicodedata.normalize("NFKC", header).strip().lstrip("\ufeff")).strip()
    return JAPANESE_HEADERS.get(name, name)


def read_rows(path: Path) -> list[dict[str, str]]:
    """The data rows of a CSV file (UTF-8, with or without BOM), keyed by column name, cells trimmed."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        records = list(csv.reader(f))
    header = [_column(h) for h in records[0]]
    return [
        {name: cell.strip() for name, cell in zip(header, record, strict=True)} for record in records[1:] if any(record)
    ]


def theme_of(row: Mapping[str, str]) -> Theme:
    """A themes file's row; a status cell 「令和N年度終了 STATUS」 gives the end year too."""
    status, end = row["status"], row.get("end_fy", "")
    if m := ENDED_IN.match(status):
        end, status = end or m.group(1), m.group(2).strip()
    if status not in STATUSES:
        raise ValueError(f"a status the model does not read: {row['status']!r}")
    return Theme(
        theme_id=row["theme_id"],
        item=int(row["item"]),
        funding=row["funding"],
        element=row["element"],
        organizations=row["organizations"],
        title=row["title"],
        start_fy=fiscal_year(row["start_fy"]) if row.get("start_fy") else None,
        end_fy=fiscal_year(end),
        status=status,
    )


def snapshot_of(path: Path, snapshot: dt.date | None) -> dt.date:
    """The date of a themes file's list: the --snapshot given, else the date in its name (the tests always give one)."""
    if snapshot is not None:
        return snapshot
    m = DATE_IN_NAME.search(path.stem)
    if m is None:
        raise ValueError(f"{path.name}: no date given and none in the name (kpi would use today's)")
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


# ---------------------------------------------------------------------------- what one load does


def after_load(state: State, kind: str, path: Path, snapshot: dt.date | None = None) -> State | None:
    """The state a load of one file of `kind` leaves; None when it changes nothing (no load recorded)."""
    if kind == "themes":
        return _themes_load(state, path, snapshot)
    loaders = {"programme": _programme_load, "followups": _surveys_load, "budget": _budget_load}
    return loaders[kind](state, path)


def _programme_load(state: State, path: Path) -> State | None:
    """Programme settings: replaced as a whole, unchanged when the same."""
    with path.open("rb") as f:
        settings = {key: str(value) for key, value in tomllib.load(f).items()}
    if settings == state.settings:
        return None
    return State(settings, state.lists, state.surveys, state.budget)


def _themes_load(state: State, path: Path, snapshot: dt.date | None) -> State | None:
    """A theme list for its date: added beside the others, or replacing that date's list; unchanged when equal."""
    day = snapshot_of(path, snapshot)
    themes: dict[str, Theme] = {}
    for row in read_rows(path):
        theme = theme_of(row)
        if theme.theme_id in themes:
            raise ValueError(f"{path.name}: theme {theme.theme_id} twice (kpi refuses the file)")
        themes[theme.theme_id] = theme
    if state.lists.get(day) == themes:
        return None
    return State(state.settings, {**state.lists, day: themes}, state.surveys, state.budget)


def end_years(state: State) -> dict[str, int]:
    """Each theme ever listed and its end year as its latest-dated list has it (a survey may not come before it)."""
    ends: dict[str, int] = {}
    for day in sorted(state.lists):
        ends.update({theme_id: theme.end_fy for theme_id, theme in state.lists[day].items()})
    return ends


def _surveys_load(state: State, path: Path) -> State | None:
    """Follow-up surveys: each (theme_id, survey_fy) given replaces the stored one; unchanged when all are stored."""
    ends = end_years(state)
    incoming: dict[tuple[str, int], str] = {}
    for row in read_rows(path):
        key, stage = (row["theme_id"], fiscal_year(row["survey_fy"])), row["stage"]
        if stage not in STAGES or key in incoming or key[0] not in ends or key[1] < ends[key[0]]:
            raise ValueError(f"{path.name}: a survey kpi must refuse: {row}")
        incoming[key] = stage
    if all(state.surveys.get(key) == stage for key, stage in incoming.items()):
        return None
    return State(state.settings, state.lists, {**state.surveys, **incoming}, state.budget)


def _budget_load(state: State, path: Path) -> State | None:
    """Budget years: each fy given replaces the stored one; unchanged when all are stored as given."""
    incoming: dict[int, BudgetYear] = {}
    for row in read_rows(path):
        year = BudgetYear(
            fiscal_year(row["fy"]), amount(row["budget"]), amount(row["executed"]) if row.get("executed") else None
        )
        if year.fy in incoming:
            raise ValueError(f"{path.name}: year {year.fy} twice (kpi refuses the file)")
        incoming[year.fy] = year
    if all(state.budget.get(fy) == year for fy, year in incoming.items()):
        return None
    return State(state.settings, state.lists, state.surveys, {**state.budget, **incoming})


# ---------------------------------------------------------------------------- the figures


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year (April–March) containing a day."""
    return day.year if day.month >= 4 else day.year - 1


def year_end(fy: int) -> dt.date:
    """31 March of the year after: the last day of fiscal year `fy`."""
    return dt.date(fy + 1, 3, 31)


def list_in_force(state: State, fy: int) -> tuple[dt.date, bool] | None:
    """The date of the list the figures as of `fy` read — the latest dated on or before the year's end, else the
    earliest (then True: it stands in) — or None without any list."""
    days = sorted(state.lists)
    if not days:
        return None
    known = [day for day in days if day <= year_end(fy)]
    return (known[-1], False) if known else (days[0], True)


def population(themes: Mapping[str, Theme], fy: int) -> list[Theme]:
    """The themes a figure as of `fy` counts: adopted by then (no start_fy counts as adopted), not leading research."""
    return [t for t in themes.values() if t.item != LEADING_RESEARCH and (t.start_fy is None or t.start_fy <= fy)]


def verdict(numerator: int | None, denominator: int, goal: Fraction | None, fy: int, judged_from: int | None) -> str:
    """The README's verdict rules, in their order."""
    if goal is None:
        return "no_target"
    if judged_from is not None and fy < judged_from:
        return "not_judged_yet"
    if numerator is None or denominator == 0:
        return "not_measurable"
    return "met" if Fraction(numerator, denominator) >= goal else "not_met"


@dataclass(frozen=True)
class Kpi:
    """One KPI: numerator (None: no survey to measure it yet, not 0), denominator, verdict."""

    numerator: int | None
    denominator: int
    verdict: str


@dataclass(frozen=True)
class Outcome:
    """The outcome KPIs of one list as of one year, and the short-term counts reported beside them."""

    short_term: Kpi  # achieved / completed
    long_term: Kpi  # commercialised / adopted, the official ratio
    long_term_matured: Kpi  # over the themes whose follow-up horizon has passed
    awaiting_final: int  # ended, still 計画通り
    not_achieved: int  # ended, 目標未達


@dataclass(frozen=True)
class StatusSummary:
    """The population by status group."""

    achieved: int
    on_track: int
    delayed_or_not_achieved: int
    total: int


@dataclass(frozen=True)
class Figures:
    """What `kpi report` must say as of one fiscal year."""

    as_of_fy: int
    snapshot: dt.date | None
    snapshot_fallback: bool
    outcome: Outcome
    status_summary: StatusSummary
    budget_years: tuple[BudgetYear, ...]
    total_budget: Decimal
    total_executed: Decimal


def outcome(state: State, themes: Mapping[str, Theme], fy: int) -> Outcome:
    """The KPIs over one list's population as of `fy`, with the surveys up to `fy`."""
    settings = state.programme
    horizon = settings.horizon_years if settings else 3
    counted = population(themes, fy)
    surveys = {key: stage for key, stage in state.surveys.items() if key[1] <= fy}
    commercialised = {theme_id for (theme_id, _), stage in surveys.items() if stage in COMMERCIALISED}
    measured = bool(surveys)  # no survey up to fy at all: the long-term numerators are unknown, not 0
    ended = [t for t in counted if t.end_fy <= fy]
    achieved = sum(t.status == ACHIEVED for t in ended)
    completed = sum(t.status in (ACHIEVED, NOT_ACHIEVED) for t in ended)
    matured = [t for t in counted if t.end_fy + horizon <= fy]
    official = sum(t.theme_id in commercialised for t in counted) if measured else None
    of_matured = sum(t.theme_id in commercialised for t in matured) if measured else None
    short_goal = settings.short_term_target if settings else None
    long_goal = settings.long_term_target if settings else None
    judged_from = settings.long_term_judged_from_fy if settings else None
    return Outcome(
        short_term=Kpi(achieved, completed, verdict(achieved, completed, short_goal, fy, None)),
        long_term=Kpi(official, len(counted), verdict(official, len(counted), long_goal, fy, judged_from)),
        long_term_matured=Kpi(of_matured, len(matured), verdict(of_matured, len(matured), long_goal, fy, None)),
        awaiting_final=sum(t.status == ON_TRACK for t in ended),
        not_achieved=sum(t.status == NOT_ACHIEVED for t in ended),
    )


def figures(state: State, fy: int) -> Figures:
    """Every figure the tests compare, as of fiscal year `fy`, from the list in force at its end."""
    in_force = list_in_force(state, fy)
    themes = state.lists[in_force[0]] if in_force else {}
    counted = population(themes, fy)
    years = tuple(state.budget[y] for y in sorted(state.budget) if y <= fy)
    return Figures(
        as_of_fy=fy,
        snapshot=in_force[0] if in_force else None,
        snapshot_fallback=in_force[1] if in_force else False,
        outcome=outcome(state, themes, fy),
        status_summary=StatusSummary(
            achieved=sum(t.status == ACHIEVED for t in counted),
            on_track=sum(t.status == ON_TRACK for t in counted),
            delayed_or_not_achieved=sum(t.status in (DELAYED, NOT_ACHIEVED) for t in counted),
            total=len(counted),
        ),
        budget_years=years,
        total_budget=sum((y.budget for y in years), Decimal(0)),
        total_executed=sum((y.executed for y in years if y.executed is not None), Decimal(0)),
    )


def check_exit_code(state: State, fy: int) -> int:
    """`kpi check --as-of fy`: 3 without data or settings, 1 when a KPI is judged not met, else 0."""
    if not state.has_data or state.programme is None:
        return 3
    result = figures(state, fy).outcome
    kpis = (result.short_term, result.long_term, result.long_term_matured)
    return 1 if any(k.verdict == "not_met" for k in kpis) else 0


@dataclass(frozen=True)
class Changes:
    """What moved from the second-latest list to the latest: statuses, themes added and missing, and the KPIs of
    each list as of the fiscal year containing its date."""

    before: dt.date
    after: dt.date
    status_changes: Mapping[str, tuple[str, str]]  # theme_id → (status before, status after)
    added: frozenset[str]
    missing: frozenset[str]
    outcome_before: Outcome
    outcome_after: Outcome


def changes(state: State) -> Changes | None:
    """`kpi changes` by default; None with fewer than two lists (kpi says so and exits 3)."""
    days = sorted(state.lists)
    if len(days) < 2:
        return None
    before, after = days[-2], days[-1]
    old, new = state.lists[before], state.lists[after]
    return Changes(
        before=before,
        after=after,
        status_changes={
            theme_id: (old[theme_id].status, theme.status)
            for theme_id, theme in new.items()
            if theme_id in old and old[theme_id].status != theme.status
        },
        added=frozenset(new.keys() - old.keys()),
        missing=frozenset(old.keys() - new.keys()),
        outcome_before=outcome(state, old, fiscal_year_of(before)),
        outcome_after=outcome(state, new, fiscal_year_of(after)),
    )


# ---------------------------------------------------------------------------- a database file: loads and submissions


def carried(state: State, fy: int) -> tuple[object, ...]:
    """The figures a submission for `fy` carries: the list in force, each KPI, the status summary, the budget."""
    f = figures(state, fy)
    o = f.outcome
    return (
        f.snapshot,
        o.short_term,
        o.long_term,
        o.long_term_matured,
        f.status_summary,
        f.total_budget,
        f.total_executed,
    )


@dataclass(frozen=True)
class Entry:
    """One load as a database records it: its file's name, the load it undoes (None: a file), the state after it."""

    file_name: str
    undoes: int | None
    state: State


@dataclass(frozen=True)
class Submission:
    """One `kpi export` as the register keeps it: the year, the stage, the load its figures were computed from."""

    as_of_fy: int
    stage: str
    load_id: int


@dataclass(frozen=True)
class Book:
    """What one database file holds: each load in order with the records after it, and each submission."""

    loads: tuple[Entry, ...] = ()
    submissions: tuple[Submission, ...] = ()

    @property
    def state(self) -> State:
        """The records as they stand."""
        return self.at(len(self.loads))

    def at(self, n: int) -> State:
        """The records right after load n (0: before any)."""
        return self.loads[n - 1].state if n else State()

    @property
    def register(self) -> tuple[tuple[tuple[str, int | None], ...], tuple[tuple[int, str, int], ...]]:
        """The loads (file name, the load it undoes) and the submissions (year, stage, load), in order."""
        loads = tuple((e.file_name, e.undoes) for e in self.loads)
        return loads, tuple((s.as_of_fy, s.stage, s.load_id) for s in self.submissions)

    def closes(self, after: State) -> bool:
        """Whether records becoming `after` change a figure of a year whose final figures were submitted."""
        closed = {s.as_of_fy for s in self.submissions if s.stage == "final"}
        return any(carried(self.state, fy) != carried(after, fy) for fy in closed)

    def load(self, kind: str, path: Path, snapshot: dt.date | None = None, reopen: bool = False) -> tuple[int, Book]:
        """`kpi load` of one file: exit 0 (a load, or none); exit 3 and nothing written if it changes a closed year,
        or if the file does not hold on these records (a survey of a theme a restore raced away)."""
        try:
            after = after_load(self.state, kind, path, snapshot)
        except ValueError:
            return 3, self
        if after is None:
            return 0, self
        if self.closes(after) and not reopen:
            return 3, self
        return 0, Book((*self.loads, Entry(path.name, None, after)), self.submissions)

    def undo(self, reopen: bool = False) -> tuple[int, Book]:
        """`kpi undo` of the latest load; exit 3, nothing written, when none, an undo, or a closed year changes."""
        if not self.loads or self.loads[-1].undoes is not None:
            return 3, self
        latest = len(self.loads)
        after = self.at(latest - 1)
        if self.closes(after) and not reopen:
            return 3, self
        return 0, Book((*self.loads, Entry(self.loads[-1].file_name, latest, after)), self.submissions)

    def export(self, fy: int, stage: str) -> tuple[int, Book]:
        """`kpi export`: a submission registered from the latest load; exit 3 (none) without data."""
        if not self.state.has_data:
            return 3, self
        return 0, Book(self.loads, (*self.submissions, Submission(fy, stage, len(self.loads))))

    def holds(self, earlier: Book) -> bool:
        """Whether every load and submission of `earlier` is here, in order (its state read with --known-at)."""
        n, m = len(earlier.loads), len(earlier.submissions)
        return self.loads[:n] == earlier.loads and self.submissions[:m] == earlier.submissions
