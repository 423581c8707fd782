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
imported and no SQL is run. Each theme of the list in force gets, in each KPI, one role and reason by the first of
that KPI's rules that holds (`place`); every count is a count of roles. The model reads the forms the tests write
(and the sample data's): headers in English or Japanese, years as 2023, 2023年度, 令和5年度, R5 or 平成31年度,
statuses in Japanese (中止, ステージゲートで中止, 途中終了: ended early; 採択取消: adoption cancelled), optionally
after 「令和N年度終了」, or 「令和N年度中止」 (the year a theme ended early or was cancelled); a date in a themes file's
name in the forms README "kpi load" lists (`date_in_name`); any other cell is an error of the test, not something
to guess. What kpi must refuse raises `Refused` with kpi's exit code, and the state is unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TypeVar, cast
from zoneinfo import ZoneInfo

T = TypeVar("T")

ACHIEVED, NOT_ACHIEVED, DELAYED, ON_TRACK = "目標達成", "目標未達", "遅延", "計画通り"
STATUSES = (ACHIEVED, NOT_ACHIEVED, DELAYED, ON_TRACK)
TERMINATED, CANCELLED = "中止", "採択取消"  # ended early (at a stage gate, or withdrawn); adoption cancelled
SPELLINGS = {  # a status cell's word → the status it is
    **{status: status for status in STATUSES},
    "中止": TERMINATED,
    "ステージゲートで中止": TERMINATED,
    "途中終了": TERMINATED,
    "採択取消": CANCELLED,
}
ENDED_EARLY_SPELLINGS = tuple(s for s, status in SPELLINGS.items() if status in (TERMINATED, CANCELLED))
# The programme's terminated_themes setting: True when a terminated theme is left out of every KPI.
TERMINATED_THEMES = {"failed": False, "未達として数える": False, "excluded": True, "除外": True}
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
ERAS = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988}
REIWA_BEGINS = dt.date(2019, 5, 1)  # 平成 ran to 30 April 2019 (its 31st year), 令和 from the day after
ENDED_IN = re.compile(r"^(.+?年度)終了\s*(.*)$")  # the report's own cell: 令和5年度終了 目標達成
# A theme ended early or cancelled, after the year it happened: 令和6年度中止, 令和6年度 ステージゲートで中止.
STOPPED_IN = re.compile(r"^(.+?年度)\s*(" + "|".join(sorted(ENDED_EARLY_SPELLINGS, key=len, reverse=True)) + r")$")
# The dates a file's name may give (README "kpi load"), tried in this order, each run of text read once: an era
# date (令和8年11月30日, R8.11.30, R08-11-30, 令和元年5月1日; 日 may be left out, the day may not), a Western date in
# kanji (2026年11月30日), one with separators (2026-11-30, 2026_11_30, 2026.11.30, 2026/11/30: the same one twice),
# eight digits alone beginning 19 or 20 (20261130).
DATES_IN_NAMES = (
    re.compile(
        r"(?<![A-Za-z0-9])(?P<era>令和|平成|R|H)(?P<y>元|\d{1,2})"
        r"(?:年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日?)?|(?P<sep>[-_./])(?P<m2>\d{1,2})(?P=sep)(?P<d2>\d{1,2}))(?!\d)"
    ),
    re.compile(r"(?<!\d)(?P<y>\d{4})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日?)?(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>\d{4})(?P<sep>[-_./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<m>\d\d)(?P<d>\d\d)(?!\d)"),
)
# Digits that look like a date in none of those forms (once they are taken out), refused rather than read as no
# date: mixed separators (2026-11_30), 2026-1130, 202611-30, a two-digit year (26.11.30), a month and day alone.
DATE_LOOKALIKES = re.compile(
    r"(?<!\d)\d{4}[-_./]\d{1,2}[-_./]\d{1,2}(?!\d)|(?<!\d)\d{4}[-_./]\d{4}(?!\d)|(?<!\d)\d{6}[-_./]\d{1,2}(?!\d)"
    r"|(?<![\d.])\d{2}[-_./]\d{1,2}[-_./]\d{1,2}(?!\d)|(?<![\d年])\d{1,2}月\d{1,2}日"
)
FIRST_YEAR = 2000  # a date in a name must be a real day of this year or later


class Refused(ValueError):
    """A file kpi must refuse, writing nothing; `code` is kpi's exit code (2: how it was given, such as a name's
    date that is no date; 3: what it holds)."""

    def __init__(self, code: int, why: str) -> None:
        super().__init__(why)
        self.code = code


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
    """The settings the figures read: the targets (exact fractions), the follow-up horizon, the judging year, and
    whether a terminated theme is left out of every KPI (terminated_themes = "excluded"; by default it fails)."""

    short_term_target: Fraction
    long_term_target: Fraction
    horizon_years: int
    long_term_judged_from_fy: int
    terminated_excluded: bool = False


@dataclass(frozen=True)
class State:
    """The records after some loads. Never changed in place: a load that changes something makes a new State."""

    settings: Mapping[str, str] | None = None
    lists: Mapping[dt.date, Mapping[str, Theme]] = field(default_factory=dict)  # date → theme_id → row
    surveys: Mapping[tuple[str, int], str] = field(default_factory=dict)  # (theme_id, survey_fy) → stage
    # The survey sheets recorded as sent, (theme_id, organisation, survey_fy) → its row, and the answers loaded
    # from them, (theme_id, organisation, survey_fy) → stage (`surveys` holds the answers for a theme as a whole).
    sent: Mapping[tuple[str, str, int], tuple[int, str, str]] = field(
        default_factory=dict
    )  # (years after, kind, deadline)
    answers: Mapping[tuple[str, str, int], str] = field(default_factory=dict)
    budget: Mapping[int, BudgetYear] = field(default_factory=dict)
    renumbered: frozenset[dt.date] = frozenset()  # the dates whose list was accepted as a renumbering: a restart

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
            terminated_excluded=TERMINATED_THEMES[self.settings.get("terminated_themes", "failed")],
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

    def outcome(self, kind: str, path: Path, snapshot: dt.date | None = None, renumbered: bool = False) -> State | None:
        """The state a load of one file of `kind` would leave; None when it changes nothing (no load recorded)."""
        return after_load(self.state, kind, path, snapshot, renumbered)

    def record(self, state: State | None) -> int | None:
        """Record a committed load's state under the next load number; None (and no number) when it changed nothing."""
        if state is None:
            return None
        number = self.loads + 1
        self.history[number] = state
        return number

    def load(self, kind: str, path: Path, snapshot: dt.date | None = None, renumbered: bool = False) -> int | None:
        """A load of one file that committed: its load number, or None when the file changed nothing."""
        return self.record(self.outcome(kind, path, snapshot, renumbered))


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
    """A themes file's row; a status cell 「令和N年度終了 STATUS」 or 「令和N年度中止」 gives the end year too (it must
    agree with the end year's own cell, when given)."""
    status, end = row["status"], row.get("end_fy", "")
    if m := ENDED_IN.match(status) or STOPPED_IN.match(status):
        if end and fiscal_year(end) != fiscal_year(m.group(1)):
            raise ValueError(f"end year {end} disagrees with the status cell {status!r} (kpi refuses the file)")
        end, status = end or m.group(1), m.group(2).strip()
    if status not in SPELLINGS:
        raise ValueError(f"a status the model does not read: {row['status']!r}")
    status = SPELLINGS[status]
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


def today() -> dt.date:
    """Today in Japan's calendar (the tests' programmes name no other time zone)."""
    return dt.datetime.now(ZoneInfo("Asia/Tokyo")).date()


def date_in_name(stem: str) -> dt.date | None:
    """The date a file's name gives (DATES_IN_NAMES, after NFKC: full-width digits count), None when it gives none;
    Refused (exit 2) when date-like text is no real day of FIRST_YEAR or later, or the name gives two dates."""
    text, found = unicodedata.normalize("NFKC", stem), set()
    for form in DATES_IN_NAMES:
        for m in form.finditer(text):
            parts = m.groupdict()
            year = 1 if parts["y"] == "元" else int(parts["y"])
            era = parts.get("era")
            month, day = parts.get("m") or parts.get("m2"), parts.get("d") or parts.get("d2")
            try:
                given = dt.date(ERAS[era] + year if era else year, int(month or 0), int(day or 0))
                if era and (year == 0 or (given >= REIWA_BEGINS) != (era in ("令和", "R"))):
                    raise ValueError("a day outside its era")
            except ValueError:
                raise Refused(2, f"{stem}: {m.group(0)} is no date") from None
            if given.year < FIRST_YEAR:
                raise Refused(2, f"{stem}: {m.group(0)} is before {FIRST_YEAR}")
            found.add(given)
        text = form.sub(lambda m: "#" * len(m.group(0)), text)
    if lookalike := DATE_LOOKALIKES.search(text):
        raise Refused(2, f"{stem}: {lookalike.group(0)} looks like a date in no form read")
    if len(found) > 1:
        raise Refused(2, f"{stem}: two dates")
    return found.pop() if found else None


def snapshot_of(path: Path, snapshot: dt.date | None) -> dt.date:
    """The date of a themes file's list: the --snapshot given, else the date in its name (the tests always give
    one); Refused (exit 2) when the name's date is no date or after today."""
    if snapshot is not None:
        return snapshot
    day = date_in_name(path.stem)
    if day is None:
        raise ValueError(f"{path.name}: no date given and none in the name (kpi would use today's)")
    if day > today():
        raise Refused(2, f"{path.name}: {day} is after today")
    return day


# ---------------------------------------------------------------------------- what one load does


def after_load(
    state: State, kind: str, path: Path, snapshot: dt.date | None = None, renumbered: bool = False
) -> State | None:
    """The state a load of one file of `kind` leaves (with --renumbered: `renumbered`); None when it changes
    nothing (no load recorded)."""
    if kind == "themes":
        return _themes_load(state, path, snapshot, renumbered)
    if kind == "programme":
        return _programme_load(state, path, renumbered)
    loaders = {"followups": _surveys_load, "budget": _budget_load}
    return loaders[kind](state, path)


def _programme_load(state: State, path: Path, renumbered: bool = False) -> State | None:
    """Programme settings: replaced as a whole, unchanged when the same (terminated_themes kept as the way it
    names: failed or excluded, whichever word gave it); another programme's (another project_id) refused unless
    `renumbered`."""
    with path.open("rb") as f:
        settings = {key: str(value) for key, value in tomllib.load(f).items()}
    if "terminated_themes" in settings:
        settings["terminated_themes"] = "excluded" if TERMINATED_THEMES[settings["terminated_themes"]] else "failed"
    stored = (state.settings or {}).get("project_id")
    if stored is not None and settings.get("project_id", stored) != stored and not renumbered:
        raise Refused(3, f"{path.name}: the settings of another programme ({settings['project_id']}, not {stored})")
    if settings == state.settings:
        return None
    return replace(state, settings=settings)


def _themes_load(state: State, path: Path, snapshot: dt.date | None, renumbered: bool = False) -> State | None:
    """A theme list for its date: added beside the others, or replacing that date's list; unchanged when equal.

    Refused (exit 3): another programme's list — one sharing with the list it follows (the latest dated on or
    before its date, else the earliest; the themes it holds, carried ones included) fewer than half of the smaller
    list's theme IDs — unless `renumbered`: then it is a renumbering, and carries nothing from the lists before it
    (the date stays renumbered when its list is corrected later); and a correction leaving out a theme the list it
    corrects gave and no earlier list names (it would leave every figure: a theme leaves as 採択取消)."""
    day = snapshot_of(path, snapshot)
    themes: dict[str, Theme] = {}
    for row in read_rows(path):
        theme = theme_of(row)
        if theme.theme_id in themes:
            raise ValueError(f"{path.name}: theme {theme.theme_id} twice (kpi refuses the file)")
        themes[theme.theme_id] = theme
    renumbering = False
    if state.lists:
        followed = max((d for d in state.lists if d <= day), default=min(state.lists))
        held = listed(state, followed)[0]
        shared = len(themes.keys() & held.keys())
        renumbering = 2 * shared < min(len(themes), len(held))
        if renumbering and not renumbered:
            raise Refused(3, f"{path.name}: {shared} of its {len(themes)} IDs in the {len(held)} of {followed}")
    if state.lists.get(day) == themes:
        return None
    if day in state.lists:
        named = {theme_id for d, earlier in state.lists.items() if d < day for theme_id in earlier}
        if dropped := state.lists[day].keys() - themes.keys() - named:
            raise Refused(3, f"{path.name}: the correction of {day} leaves out {sorted(dropped)[:3]}…")
    marks = state.renumbered | {day} if renumbering else state.renumbered
    return replace(state, lists={**state.lists, day: themes}, renumbered=frozenset(marks))


def end_years(state: State) -> dict[str, int]:
    """Each theme ever listed and its end year as its latest-dated list has it (a survey may not come before it)."""
    ends: dict[str, int] = {}
    for day in sorted(state.lists):
        ends.update({theme_id: theme.end_fy for theme_id, theme in state.lists[day].items()})
    return ends


def _surveys_load(state: State, path: Path) -> State | None:
    """Follow-up surveys for a theme as a whole (never held to a round sent): each (theme_id, survey_fy) given
    replaces the stored one; unchanged when all are stored."""
    ends = end_years(state)
    incoming: dict[tuple[str, int], str] = {}
    for row in read_rows(path):
        key, stage = (row["theme_id"], fiscal_year(row["survey_fy"])), row["stage"]
        if stage not in STAGES or key in incoming or key[0] not in ends:
            raise ValueError(f"{path.name}: a survey kpi must refuse: {row}")
        if key[1] < ends[key[0]] or key[1] > fiscal_year_of(today()):
            raise Refused(3, f"{path.name}: survey year {key[1]} before its theme's end or after this fiscal year")
        incoming[key] = stage
    if all(state.surveys.get(key) == stage for key, stage in incoming.items()):
        return None
    return replace(state, surveys={**state.surveys, **incoming})


def after_sending(state: State, rows: Mapping[tuple[str, str, int], tuple[int, str, str]]) -> State | None:
    """`kpi followups sheets`: the sheets written recorded as sent (a sheet sent again replaces its row); None when
    every row is recorded so already (no load)."""
    if all(state.sent.get(key) == row for key, row in rows.items()):
        return None
    return replace(state, sent={**state.sent, **rows})


def after_answers(state: State, rows: Mapping[tuple[str, str, int], str]) -> State | None:
    """Filled-in survey sheets loaded: each (theme, organisation, year) answered replaces its stored answer; the
    whole load refused (exit 3) when one is of a year before its theme's end (as its latest list has it) or after
    this fiscal year, or not of the round sent; None when every answer is stored so already."""
    ends = end_years(state)
    for theme_id, organisation, fy in rows:
        if fy < ends[theme_id] or fy > fiscal_year_of(today()):
            raise Refused(3, f"answer of {theme_id} {fy}: before its theme's end or after this fiscal year")
        round_sent = {o for t, o, y in state.sent if (t, y) == (theme_id, fy)}
        if round_sent and organisation not in round_sent:  # (a round undone: any of the theme's organisations)
            raise Refused(3, f"answer of {theme_id} {organisation} {fy}: not in the round sent")
    if all(state.answers.get(key) == stage for key, stage in rows.items()):
        return None
    return replace(state, answers={**state.answers, **rows})


def all_answers(state: State) -> dict[tuple[str, int], list[str]]:
    """Every answer's stage by theme and survey year: for the theme as a whole and from each organisation."""
    found: dict[tuple[str, int], list[str]] = {}
    for (theme_id, fy), stage in state.surveys.items():
        found.setdefault((theme_id, fy), []).append(stage)
    for (theme_id, _, fy), stage in state.answers.items():
        found.setdefault((theme_id, fy), []).append(stage)
    return found


@dataclass(frozen=True)
class Responses:
    """The response rates as of a fiscal year: of its latest round sent (its year, answered, sent) and of every
    round up to it (answered, sent); None before a round was sent."""

    latest: tuple[int, int, int]
    overall: tuple[int, int]


def _latest_status(state: State, theme_id: str) -> str | None:
    """A theme's status in the latest-dated list that names it (None: no list does)."""
    day = max((d for d, themes in state.lists.items() if theme_id in themes), default=None)
    return None if day is None else state.lists[day][theme_id].status


def responses(state: State, fy: int) -> Responses | None:
    """A sheet sent is answered when its organisation answered that theme and year, or the theme as a whole did; a
    sheet of a theme whose latest row (in the latest list naming it) cancels its adoption is in no count."""
    cancelled = {t for t in {key[0] for key in state.sent} if _latest_status(state, t) == CANCELLED}
    sent = [key for key in state.sent if key[2] <= fy and key[0] not in cancelled]
    if not sent:
        return None

    def answered(key: tuple[str, str, int]) -> bool:
        return key in state.answers or (key[0], key[2]) in state.surveys

    last = max(y for _, _, y in sent)
    in_last = [key for key in sent if key[2] == last]
    return Responses((last, sum(map(answered, in_last)), len(in_last)), (sum(map(answered, sent)), len(sent)))


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
    return replace(state, budget={**state.budget, **incoming})


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


def kept(what: str, state: State, day: dt.date, make: Callable[[], T]) -> T:
    """`make()`, kept for the lists of `state` and `day` (a State is never changed in place): the figures read the
    same list many times."""
    key = (what, id(state.lists), id(state.renumbered), day)
    hit = _KEPT.get(key)
    if hit is not None and hit[0] is state.lists and hit[1] is state.renumbered:
        return cast(T, hit[2])
    value = make()
    if len(_KEPT) > 512:
        _KEPT.clear()
    _KEPT[key] = (state.lists, state.renumbered, value)
    return value


_KEPT: dict[tuple[str, int, int, dt.date], tuple[object, object, object]] = {}


def listed(state: State, day: dt.date) -> tuple[Mapping[str, Theme], Mapping[str, dt.date]]:
    """The themes of the list of `day`: its own rows and, for each theme some earlier-dated list named and it does
    not, that theme's row in the latest such list (carried: a missing row never removes a theme), the lists before
    a renumbering left out (one accepted as a renumbering starts afresh, and so do the lists after it); and each
    carried theme's date of that list."""

    def make() -> tuple[Mapping[str, Theme], Mapping[str, dt.date]]:
        start = max((d for d in state.renumbered if d <= day), default=dt.date.min)
        themes: dict[str, Theme] = {}
        came_from: dict[str, dt.date] = {}
        for earlier in sorted(d for d in state.lists if start <= d < day):
            themes.update(state.lists[earlier])
            came_from.update(dict.fromkeys(state.lists[earlier], earlier))
        own = state.lists[day]
        themes.update(own)
        return themes, {theme_id: came for theme_id, came in came_from.items() if theme_id not in own}

    return kept("listed", state, day, make)


def population(themes: Mapping[str, Theme], fy: int) -> list[Theme]:
    """The themes the status tables as of `fy` count: adopted by then (no start_fy counts as adopted), not leading
    research, adoption not cancelled (carried themes among them)."""
    return [
        t
        for t in themes.values()
        if t.item != LEADING_RESEARCH and (t.start_fy is None or t.start_fy <= fy) and t.status != CANCELLED
    ]


def verdict(numerator: int | None, denominator: int, goal: Fraction | None, fy: int, judged_from: int | None) -> str:
    """The README's verdict rules, in their order."""
    if goal is None:
        return "no_target"
    if judged_from is not None and fy < judged_from:
        return "not_judged_yet"
    if numerator is None or denominator == 0:
        return "not_measurable"
    return "met" if Fraction(numerator, denominator) >= goal else "not_met"


KPIS = ("short_term", "long_term", "long_term_matured")
SHORT_TERM_BY_STATUS = {  # short-term, a theme whose end year has come: its status's role and reason
    ACHIEVED: ("numerator", "achieved"),
    NOT_ACHIEVED: ("denominator", "not_achieved"),
    ON_TRACK: ("pending", "awaiting_final"),
    DELAYED: ("pending", "delayed"),
}


@dataclass(frozen=True)
class Placing:
    """What placing a theme reads besides its row: the as-of year, the follow-up horizon, whether terminated themes
    are left out, the theme's counted surveys (whether one says 製品化 or 上市, the latest one's year), and the date
    of the list its row comes from (its own list's, or the one it is carried from)."""

    fy: int
    horizon: int
    terminated_excluded: bool
    commercialised: bool = False
    last_survey: int | None = None
    listed_on: dt.date | None = None


def place(t: Theme, kpi: str, p: Placing) -> tuple[str, str]:
    """The theme's role and reason in one KPI: README's rules, tried in order, the first that holds."""
    if t.item == LEADING_RESEARCH:
        return "excluded", "leading_research"
    if t.start_fy is not None and t.start_fy > p.fy:
        return "excluded", "not_adopted"
    if t.status == CANCELLED:
        return "excluded", "cancelled"
    if t.status == TERMINATED and p.terminated_excluded:
        return "excluded", "terminated"
    if kpi == "short_term":  # a theme a list says was stopped has ended by that list's date
        listed_by_then = p.listed_on is not None and p.listed_on <= year_end(p.fy)
        if t.status == TERMINATED and (t.end_fy <= p.fy or listed_by_then):
            return "denominator", "terminated"
        return ("not_countable", "in_progress") if t.end_fy > p.fy else SHORT_TERM_BY_STATUS[t.status]
    if kpi == "long_term_matured" and not t.end_fy + p.horizon <= p.fy:
        return "not_countable", "not_matured"
    if t.status == TERMINATED:
        return "denominator", "terminated"
    if p.commercialised:
        return "numerator", "commercialised"
    if p.last_survey is not None and p.last_survey >= t.end_fy + p.horizon:
        return "denominator", "not_commercialised"
    return ("denominator" if kpi == "long_term" else "pending"), "awaiting_survey"


@dataclass(frozen=True)
class Kpi:
    """One KPI: numerator (None: no survey to measure it yet, not 0), denominator, verdict."""

    numerator: int | None
    denominator: int
    verdict: str


@dataclass(frozen=True)
class PendingOutlook:
    """What a KPI with `pending` themes can still become: `best` if every one counts, `worst` if none does, each as
    (numerator, denominator)."""

    pending: int
    best: tuple[int, int]
    worst: tuple[int, int]


@dataclass(frozen=True)
class ToReach:
    """The official long-term KPI's outlook: the themes its target requires of today's denominator, those still
    needed (None while not measured), and the surveys still due (the themes awaiting their measuring survey)."""

    required: int | None
    needed: int | None
    surveys_due: int


@dataclass(frozen=True)
class Outcome:
    """The outcome KPIs of one list as of one year, where every theme stands in each, and what is printed beside."""

    short_term: Kpi  # achieved / completed
    long_term: Kpi  # commercialised / adopted, the official ratio
    long_term_matured: Kpi  # over the themes whose follow-up horizon has passed
    awaiting_final: int  # short-term pending: ended, still 計画通り
    not_achieved: int  # ended, 目標未達
    delayed: int = 0  # short-term pending: ended, 遅延
    roles: Mapping[str, Mapping[str, Mapping[str, int]]] = field(default_factory=dict)  # KPI → role → reason → n
    short_outlook: PendingOutlook | None = None
    matured_outlook: PendingOutlook | None = None
    long_outlook: ToReach | None = None
    matured_pending: int = 0  # matured, awaiting the survey that measures them
    not_yet_measurable: int = 0  # the follow-up horizon not passed
    cancelled: int = 0  # adoption cancelled (採択取消): in no figure
    terminated: int = 0  # ended early: in the population, counted as failed or left out as the settings say
    surveyed_themes: int = 0  # themes with a counted survey
    surveys_set_aside: int = 0  # surveys up to the year dated before their theme's end year: not counted
    carried: int = 0  # themes carried from earlier lists
    carried_from: tuple[dt.date, ...] = ()  # those lists' dates


@dataclass(frozen=True)
class StatusSummary:
    """The population by status group."""

    achieved: int
    on_track: int
    delayed_or_not_achieved: int
    terminated: int
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
    by_element: tuple[tuple[int, str, StatusSummary], ...] = ()  # (item, element letter, its groups), in order
    trend: tuple[tuple[int, int, int], ...] = ()  # (fy, achieved, completed): the short-term KPI at each year's end
    responses: Responses | None = None  # the follow-up surveys' response rates (None: no round sent up to fy)


def status_summary(themes: list[Theme]) -> StatusSummary:
    """Themes by status group."""
    return StatusSummary(
        achieved=sum(t.status == ACHIEVED for t in themes),
        on_track=sum(t.status == ON_TRACK for t in themes),
        delayed_or_not_achieved=sum(t.status in (DELAYED, NOT_ACHIEVED) for t in themes),
        terminated=sum(t.status == TERMINATED for t in themes),
        total=len(themes),
    )


def placing(state: State, fy: int) -> Placing:
    """What placing every theme as of `fy` reads of the settings (a theme's surveys added per theme)."""
    settings = state.programme
    horizon = settings.horizon_years if settings else 3
    return Placing(fy, horizon, settings.terminated_excluded if settings else False)


def counted_surveys(state: State, themes: Mapping[str, Theme], fy: int) -> tuple[dict[str, tuple[bool, int]], int]:
    """Per theme, what its counted surveys say — a survey counts when its year is from the theme's end year up to
    `fy` — as (one says 製品化 or 上市, the latest one's year); and the surveys up to `fy` set aside (before the end)."""
    found: dict[str, tuple[bool, int]] = {}
    set_aside = 0
    for (theme_id, survey_fy), stages in all_answers(state).items():  # (any organisation's answer counts)
        theme = themes.get(theme_id)
        if theme is None or survey_fy > fy:
            continue
        if survey_fy < theme.end_fy:
            set_aside += 1
            continue
        before = found.get(theme_id, (False, survey_fy))
        commercialised = any(stage in COMMERCIALISED for stage in stages)
        found[theme_id] = (before[0] or commercialised, max(before[1], survey_fy))
    return found, set_aside


def short_term(state: State, day: dt.date, fy: int) -> tuple[int, int]:
    """The short-term KPI's numerator and denominator over the list of `day` as of `fy`."""
    p = placing(state, fy)
    roles: Counter[str] = Counter()
    for (theme, listed_on), n in shapes(state, day).items():  # each shape placed once: the rules read no more
        roles[place(theme, "short_term", replace(p, listed_on=listed_on))[0]] += n
    return roles["numerator"], roles["numerator"] + roles["denominator"]


def shape(t: Theme) -> Theme:
    """A theme as the rules read it: item, start and end year, status (the other fields blank)."""
    return Theme("", t.item, "", "", "", "", t.start_fy, t.end_fy, t.status)


def shapes(state: State, day: dt.date) -> Mapping[tuple[Theme, dt.date], int]:
    """The themes of the list of `day` counted by their shape and the date of the list their row comes from (`day`,
    or the list a carried theme is carried from)."""

    def make() -> Mapping[tuple[Theme, dt.date], int]:
        themes, carried = listed(state, day)
        counts = Counter(
            (t.item, t.start_fy, t.end_fy, t.status, carried.get(t.theme_id, day)) for t in themes.values()
        )
        return {(Theme("", i, "", "", "", "", s, e, st), on): n for (i, s, e, st, on), n in counts.items()}

    return kept("shapes", state, day, make)


def pending_outlook(kpi: Kpi, pending: int) -> PendingOutlook | None:
    """The best and worst once the pending themes count: none with nothing to judge, or while not measured."""
    if kpi.numerator is None or kpi.denominator + pending == 0:
        return None
    total = kpi.denominator + pending
    return PendingOutlook(pending, (kpi.numerator + pending, total), (kpi.numerator, total))


def outcome(state: State, day: dt.date | None, fy: int, item: int | None = None) -> Outcome:
    """The KPIs over the list of `day` (None: no list) as of `fy`, each theme placed by `place`; with `item`, over
    that research item's themes only (`kpi report --by item`), still measured when any theme of the list is
    surveyed."""
    themes, carried = listed(state, day) if day is not None else ({}, {})
    settings = state.programme
    surveyed, set_aside = counted_surveys(state, themes, fy)
    base = placing(state, fy)
    # The themes by what the rules read of them: their shape (shapes) and, for the few surveyed, their surveys.
    groups: Counter[tuple[Theme, dt.date, bool, int | None]] = Counter()
    for (theme, listed_on), n in (shapes(state, day) if day is not None else {}).items():
        groups[theme, listed_on, False, None] += n
    for theme_id, (says_commercialised, surveyed_in) in surveyed.items():
        on = carried.get(theme_id, day)
        assert on is not None
        groups[shape(themes[theme_id]), on, False, None] -= 1
        groups[shape(themes[theme_id]), on, says_commercialised, surveyed_in] += 1
    roles: dict[str, dict[str, Counter[str]]] = {kpi: {} for kpi in KPIS}
    for (theme, listed_on, commercialised, last), n in groups.items():
        if not n or (item is not None and theme.item != item):
            continue
        p = Placing(base.fy, base.horizon, base.terminated_excluded, commercialised, last, listed_on)
        for kpi in KPIS:
            role, reason = place(theme, kpi, p)
            roles[kpi].setdefault(role, Counter())[reason] += n
    kpis = {}
    for kpi in KPIS:
        of = roles[kpi]
        numerator = sum(of.get("numerator", {}).values())
        denominator = numerator + sum(of.get("denominator", {}).values())
        measured = kpi == "short_term" or bool(surveyed)  # no counted survey at all: not measured, not 0
        goal = (
            None
            if settings is None
            else settings.short_term_target
            if kpi == "short_term"
            else settings.long_term_target
        )
        judged_from = settings.long_term_judged_from_fy if settings and kpi == "long_term" else None
        shown = numerator if measured else None
        kpis[kpi] = Kpi(shown, denominator, verdict(shown, denominator, goal, fy, judged_from))
    official = kpis["long_term"]
    required = None
    if settings is not None and official.denominator:
        required = -(
            -settings.long_term_target.numerator * official.denominator // settings.long_term_target.denominator
        )
    short = roles["short_term"].get("pending", Counter())
    matured_pending = sum(roles["long_term_matured"].get("pending", {}).values())
    return Outcome(
        short_term=kpis["short_term"],
        long_term=official,
        long_term_matured=kpis["long_term_matured"],
        awaiting_final=short["awaiting_final"],
        not_achieved=roles["short_term"].get("denominator", Counter())["not_achieved"],
        delayed=short["delayed"],
        roles={kpi: {role: dict(reasons) for role, reasons in of.items()} for kpi, of in roles.items()},
        short_outlook=pending_outlook(kpis["short_term"], sum(short.values())),
        matured_outlook=pending_outlook(kpis["long_term_matured"], matured_pending),
        long_outlook=None
        if not official.denominator
        else ToReach(
            required,
            None if required is None or official.numerator is None else max(0, required - official.numerator),
            roles["long_term"].get("denominator", Counter())["awaiting_survey"],
        ),
        matured_pending=matured_pending,
        not_yet_measurable=roles["long_term_matured"].get("not_countable", Counter())["not_matured"],
        cancelled=roles["short_term"].get("excluded", Counter())["cancelled"],
        terminated=sum(roles["long_term"].get(role, Counter())["terminated"] for role in ("denominator", "excluded")),
        surveyed_themes=len(surveyed),
        surveys_set_aside=set_aside,
        carried=len(carried),
        carried_from=tuple(sorted(set(carried.values()))),
    )


def trend(state: State, fy: int) -> tuple[tuple[int, int, int], ...]:
    """The short-term KPI at the end of each year from the first a theme of `fy`'s list completed (its role in the
    short-term KPI as of `fy`: numerator or denominator; its end year, or `fy` for one stopped before its planned
    end) to `fy`, each year over its own list in force."""
    in_force = list_in_force(state, fy)
    if in_force is None:
        return ()
    p = placing(state, fy)
    ends = [  # a theme stopped before its end year has completed by `fy` at the latest
        min(t.end_fy, fy)
        for t, listed_on in shapes(state, in_force[0])
        if place(t, "short_term", replace(p, listed_on=listed_on))[0] in ("numerator", "denominator")
    ]
    if not ends:
        return ()
    years = []
    for year in range(min(ends), fy + 1):
        day = list_in_force(state, year)
        assert day is not None
        years.append((year, *short_term(state, day[0], year)))
    return tuple(years)


def figures(state: State, fy: int) -> Figures:
    """Every figure the tests compare, as of fiscal year `fy`, from the list in force at its end."""
    in_force = list_in_force(state, fy)
    themes = listed(state, in_force[0])[0] if in_force else {}
    counted = population(themes, fy)
    elements: dict[tuple[int, str], list[Theme]] = {}
    for t in counted:
        elements.setdefault((t.item, t.element[:1].lower()), []).append(t)
    years = tuple(state.budget[y] for y in sorted(state.budget) if y <= fy)
    return Figures(
        as_of_fy=fy,
        snapshot=in_force[0] if in_force else None,
        snapshot_fallback=in_force[1] if in_force else False,
        outcome=outcome(state, in_force[0] if in_force else None, fy),
        status_summary=status_summary(counted),
        budget_years=years,
        total_budget=sum((y.budget for y in years), Decimal(0)),
        total_executed=sum((y.executed for y in years if y.executed is not None), Decimal(0)),
        by_element=tuple((item, letter, status_summary(elements[item, letter])) for item, letter in sorted(elements)),
        trend=trend(state, fy),
        responses=responses(state, fy),
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
    """What moved from the second-latest list to the latest — the latest as it is given, against the one before as
    it stood, its carried themes included: statuses, themes added and missing (the latest then carries them) — and
    the KPIs of each list as of the fiscal year containing its date."""

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
    old, new = listed(state, before)[0], state.lists[after]
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
        outcome_before=outcome(state, before, fiscal_year_of(before)),
        outcome_after=outcome(state, after, fiscal_year_of(after)),
    )


# ---------------------------------------------------------------------------- a database file: loads and submissions


def carried(state: State, fy: int) -> tuple[object, ...]:
    """The figures a submission for `fy` carries: each KPI, the status summary, the budget (the date of the list
    in force is recorded beside them, but is no figure: a later list of the same content changes none)."""
    f = figures(state, fy)
    o = f.outcome
    return (
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
        or if the file does not hold on these records (a survey of a theme a restore raced away); the exit code of a
        file kpi refuses (Refused) and nothing written."""
        try:
            after = after_load(self.state, kind, path, snapshot)
        except ValueError as refused:
            return getattr(refused, "code", 3), self
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
        """`kpi export`: a submission registered from the latest load; exit 3 (none) without data, exit 2 (none)
        for a final one of a fiscal year that has not ended (it ends on 31 March of the next year, in Japan's
        calendar: the tests' programmes name no other time zone)."""
        if not self.state.has_data:
            return 3, self
        if stage == "final" and fy >= fiscal_year_of(dt.datetime.now(ZoneInfo("Asia/Tokyo")).date()):
            return 2, self
        return 0, Book(self.loads, (*self.submissions, Submission(fy, stage, len(self.loads))))

    def holds(self, earlier: Book) -> bool:
        """Whether every load and submission of `earlier` is here, in order (its state read with --known-at)."""
        n, m = len(earlier.loads), len(earlier.submissions)
        return self.loads[:n] == earlier.loads and self.submissions[:m] == earlier.submissions
