"""The programme settings contract: the targets and rules a programme.toml gives, and how they are checked.

The programme's rules are data: another fund is a settings file, not a code change.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from kpi.codes import TERMINATED_THEMES
from kpi.fiscal import DEFAULT_TIMEZONE, is_timezone, parse_fy

DEFAULT_GRADE_POINTS = "A=3, B=2, C=1, D=0"  # the report's 評点法 note; programme.toml may set another
DEFAULT_HORIZON = 3  # years after a theme's end until its follow-up survey measures practical use
MAX_HORIZON = 30
DEFAULT_BACKUPS = 3  # copies of the database kept before the loads that change it (kpi.duckdb.backups/)
MAX_BACKUPS = 100
# How a theme ended early (status terminated) counts: failed (the default, in every KPI's population, never in a
# numerator, so it can never raise a KPI) or excluded (out of every KPI, as leading research is). The settings file
# may write either code or its Japanese word.
DEFAULT_TERMINATED_THEMES = TERMINATED_THEMES[0]
TERMINATED_THEMES_SPELLINGS = {
    "failed": "failed",
    "excluded": "excluded",
    "未達として数える": "failed",
    "除外": "excluded",
}

# The follow-up survey rounds: the years after a theme's end in which it is surveyed (NEDO's: 終了直後 the year after,
# then 簡易追跡調査 at 2, 4 and 6 years), and the answer deadline of each fiscal year's round (a month and day).
DEFAULT_FOLLOWUP_ROUNDS = (1, 2, 4, 6)
MAX_ROUND = 30
DEFAULT_FOLLOWUP_DEADLINE = (1, 31)
# The smallest number of themes a published sales figure may sum (1: nothing is suppressed).
DEFAULT_SUPPRESSION_K = 3
MAX_SUPPRESSION_K = 1000
# The stage gate (3-3 ③): the committee scores each theme out of 100 on 技術的評価 and 事業化評価, weighed as the
# settings say (relative weights, here equal); a mean of 60 or more continues in principle, 40 to 60 is considered
# with the special notes, under 40 is terminated in principle.
DEFAULT_STAGEGATE_CRITERIA = (("技術的評価", Fraction(50)), ("事業化評価", Fraction(50)))
DEFAULT_STAGEGATE_CONTINUE = Fraction(60)
DEFAULT_STAGEGATE_CONSIDER = Fraction(40)
# A group of a breakdown (--by) with fewer adopted themes than this is marked small: its ratios move a lot per theme.
DEFAULT_SMALL_GROUP = 5
MAX_SMALL_GROUP = 1000

# Every setting: required or not, in the order a template lists them.
REQUIRED = (
    "name",
    "project_id",
    "short_term_target",
    "long_term_target",
    "followup_horizon_years",
    "long_term_judged_from_fy",
)
OPTIONAL = (
    "grade_points",
    "backups",
    "timezone",
    "terminated_themes",
    "followup_rounds",
    "followup_deadline",
    "suppression_k",
    "stagegate_criteria",
    "stagegate_continue",
    "stagegate_consider",
    "small_group",
)
# The programme calendar: its period and evaluation rounds. Not in OPTIONAL: kpi init's template shows them commented
# out, and a programme declaring neither reads as before (the report says the next evaluation only when declared).
CALENDAR = ("period", "evaluations")
LISTS = ("followup_rounds", "evaluations")  # the settings that may be written as a TOML array
TABLES = ("stagegate_criteria",)  # the settings that may be written as a TOML table


def parse_target(text: str) -> Fraction:
    """'80%', '0.8' or '4/5' as an exact fraction between 0 and 1; ValueError (a rule key) otherwise."""
    value = str(text).strip()
    try:
        target = Fraction(value[:-1].strip()) / 100 if value.endswith("%") else Fraction(value)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError("rule.setting.target") from exc
    if not 0 <= target <= 1:
        raise ValueError("rule.setting.target_range")
    return target


def parse_grade_points(text: str) -> dict[str, Fraction]:
    """'A=3, B=2, C=1, D=0' as a grade → points mapping; ValueError (a rule key) otherwise."""
    points: dict[str, Fraction] = {}
    for part in str(text).split(","):
        grade, sep, value = part.partition("=")
        if not sep or not grade.strip() or grade.strip().upper() not in "ABCD":
            raise ValueError("rule.setting.grade_points")
        try:
            points[grade.strip().upper()] = Fraction(value.strip())
        except (ValueError, ZeroDivisionError) as exc:
            raise ValueError("rule.setting.grade_points") from exc
    if sorted(points) != ["A", "B", "C", "D"]:
        raise ValueError("rule.setting.grade_points")
    return points


def _horizon(value: str) -> int:
    try:
        years = int(value)
    except ValueError as exc:
        raise ValueError("rule.setting.whole_number") from exc
    if not 0 <= years <= MAX_HORIZON:
        raise ValueError("rule.setting.horizon")
    return years


def _project_id(value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError("rule.setting.whole_number") from exc


def _fy(value: str) -> int:
    try:
        return parse_fy(value)
    except ValueError as exc:
        if value.strip().isdigit():
            raise ValueError("rule.setting.year_range") from exc
        raise ValueError("rule.fiscal_year") from exc


def _backups(value: str) -> int:
    try:
        count = int(value)
    except ValueError as exc:
        raise ValueError("rule.setting.whole_number") from exc
    if not 0 <= count <= MAX_BACKUPS:
        raise ValueError("rule.setting.backups")
    return count


def _timezone(value: str) -> str:
    if not is_timezone(value.strip()):
        raise ValueError("rule.setting.timezone")
    return value.strip()


def parse_terminated_themes(value: str) -> str:
    """failed or excluded from a spelling in TERMINATED_THEMES_SPELLINGS (any case); ValueError (a rule key) otherwise."""
    code = TERMINATED_THEMES_SPELLINGS.get(unicodedata.normalize("NFKC", str(value)).strip().lower())
    if code is None:
        raise ValueError("rule.setting.terminated_themes")
    return code


_RANGE = re.compile(r"^([0-9]+)\s*[-~〜]\s*([0-9]+)$")


def parse_followup_rounds(value: object) -> tuple[int, ...]:
    """The survey rounds from [1, 2, 4, 6], "1, 2, 4, 6" (、 and full-width digits too) or "1-6" (every year from 1
    to 6): whole numbers 1–30, each once, sorted; ValueError (a rule key) otherwise."""
    if isinstance(value, list):
        parts = [unicodedata.normalize("NFKC", str(v)).strip() for v in value]
        if any(isinstance(v, bool | float) for v in value):
            raise ValueError("rule.setting.followup_rounds")
    else:
        text = unicodedata.normalize("NFKC", str(value)).replace("、", ",").strip()
        span = _RANGE.match(text)
        if span:
            first, last = int(span[1]), int(span[2])
            if not 1 <= first <= last <= MAX_ROUND:
                raise ValueError("rule.setting.followup_rounds")
            return tuple(range(first, last + 1))
        parts = [part.strip() for part in text.split(",")]
    if not parts or not all(part.isascii() and part.isdigit() for part in parts):
        raise ValueError("rule.setting.followup_rounds")
    years = [int(part) for part in parts]
    if len(set(years)) != len(years) or not all(1 <= y <= MAX_ROUND for y in years):
        raise ValueError("rule.setting.followup_rounds")
    return tuple(sorted(years))


_MONTH_DAY = re.compile(r"^([0-9]{1,2})\s*(?:[-/]\s*([0-9]{1,2})|月\s*([0-9]{1,2})\s*日?)$")


def parse_followup_deadline(value: object) -> tuple[int, int]:
    """The answer deadline as (month, day) from "01-31", "1/31" or "1月31日" (full-width digits too): a day every
    year has (not 2月29日); ValueError (a rule key) otherwise."""
    m = _MONTH_DAY.match(unicodedata.normalize("NFKC", str(value)).strip())
    if m is None:
        raise ValueError("rule.setting.followup_deadline")
    month, day = int(m[1]), int(m[2] or m[3])
    try:
        dt.date(2001, month, day)  # a year without 29 February
    except ValueError as exc:
        raise ValueError("rule.setting.followup_deadline") from exc
    return month, day


def parse_suppression_k(value: object) -> int:
    """The smallest number of themes a sales figure may sum: a whole number 1–1000; ValueError (a rule key)."""
    try:
        k = int(unicodedata.normalize("NFKC", str(value)).strip())
    except ValueError as exc:
        raise ValueError("rule.setting.whole_number") from exc
    if not 1 <= k <= MAX_SUPPRESSION_K:
        raise ValueError("rule.setting.suppression_k")
    return k


def parse_small_group(value: object) -> int:
    """The fewest adopted themes a breakdown's group has without being marked small: 1–1000; ValueError (a rule key)."""
    try:
        n = int(unicodedata.normalize("NFKC", str(value)).strip())
    except ValueError as exc:
        raise ValueError("rule.setting.whole_number") from exc
    if not 1 <= n <= MAX_SMALL_GROUP:
        raise ValueError("rule.setting.small_group")
    return n


def parse_stagegate_criteria(value: object) -> tuple[tuple[str, Fraction], ...]:
    """The stage gate's criteria and their weights from {技術的評価 = 50, 事業化評価 = 50} or "技術的評価=50, 事業化評価=50":
    names (NFKC, trimmed) each once, without = or a comma, weights positive numbers (relative: a criterion's share is
    its weight over their sum), in the order written; ValueError (a rule key) otherwise."""
    if isinstance(value, dict):
        pairs = [(str(k), v) for k, v in value.items()]
    else:
        pairs = [part.partition("=")[::2] for part in unicodedata.normalize("NFKC", str(value)).split(",")]
    criteria: list[tuple[str, Fraction]] = []
    for name, weight in pairs:
        name = unicodedata.normalize("NFKC", name).strip()
        if not name or "=" in name or "," in name or isinstance(weight, bool) or name in dict(criteria):
            raise ValueError("rule.setting.stagegate_criteria")
        try:
            share = Fraction(unicodedata.normalize("NFKC", str(weight)).strip())
        except (ValueError, ZeroDivisionError) as exc:
            raise ValueError("rule.setting.stagegate_criteria") from exc
        if share <= 0:
            raise ValueError("rule.setting.stagegate_criteria")
        criteria.append((name, share))
    if not criteria:
        raise ValueError("rule.setting.stagegate_criteria")
    return tuple(criteria)


def criteria_text(criteria: tuple[tuple[str, Fraction], ...]) -> str:
    """The criteria as stored: "技術的評価=50, 事業化評価=50"."""
    return ", ".join(f"{name}={weight}" for name, weight in criteria)


def parse_stagegate_threshold(value: object) -> Fraction:
    """A stage-gate threshold: a mean score 0–100 (60, 62.5); ValueError (a rule key) otherwise."""
    if isinstance(value, bool):
        raise ValueError("rule.setting.stagegate_threshold")
    try:
        score = Fraction(unicodedata.normalize("NFKC", str(value)).strip())
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError("rule.setting.stagegate_threshold") from exc
    if not 0 <= score <= 100:
        raise ValueError("rule.setting.stagegate_threshold")
    return score


_PERIOD = re.compile(r"^(.+?)\s*[-~〜–]\s*(.+)$")


def parse_period(value: object) -> tuple[int, int]:
    """The programme's period from "2020-2030", "R2〜R12" or "令和2年度〜令和12年度": its first and last fiscal years
    (the first not after the last); ValueError (a rule key) otherwise."""
    m = _PERIOD.match(unicodedata.normalize("NFKC", str(value)).strip())
    if m is None:
        raise ValueError("rule.setting.period")
    try:
        first, last = parse_fy(m[1]), parse_fy(m[2])
    except ValueError as exc:
        raise ValueError("rule.setting.period") from exc
    if first > last:
        raise ValueError("rule.setting.period")
    return first, last


def parse_evaluations(value: object) -> tuple[str, ...]:
    """The evaluation calendar's rounds as written, from ["中間2022", "中間2026", "終了時2030"] or "中間2022, 中間2026,
    終了時2030" (、 too): each named once (NFKC, trimmed); ValueError (a rule key) otherwise. kpi.load.calendar checks
    that each names an evaluation round (schemas.rounds) inside the period."""
    if isinstance(value, list):
        if not all(isinstance(v, str) for v in value):
            raise ValueError("rule.setting.evaluations")
        names = [_nfkc(v) for v in value]
    else:
        names = [_nfkc(part) for part in _nfkc(value).replace("、", ",").split(",")]
    if not names or not all(names) or len(set(names)) != len(names) or any("," in n for n in names):
        raise ValueError("rule.setting.evaluations")
    return tuple(names)


def deadline_of(settings: Settings | None, fy: int) -> dt.date:
    """The answer deadline of fiscal year `fy`'s survey round: its month and day inside that year (April `fy` to
    March `fy` + 1); the default deadline without settings."""
    month, day = settings.followup_deadline if settings is not None else DEFAULT_FOLLOWUP_DEADLINE
    return dt.date(fy if month >= 4 else fy + 1, month, day)


def _name(value: str) -> str:
    if not value.strip():
        raise ValueError("rule.setting.empty")
    return value


CHECKS: dict[str, Callable[[Any], object]] = {
    "name": _name,
    "project_id": _project_id,
    "short_term_target": parse_target,
    "long_term_target": parse_target,
    "followup_horizon_years": _horizon,
    "long_term_judged_from_fy": _fy,
    "grade_points": parse_grade_points,
    "backups": _backups,
    "timezone": _timezone,
    "terminated_themes": parse_terminated_themes,
    "followup_rounds": parse_followup_rounds,
    "followup_deadline": parse_followup_deadline,
    "suppression_k": parse_suppression_k,
    "stagegate_criteria": parse_stagegate_criteria,
    "stagegate_continue": parse_stagegate_threshold,
    "stagegate_consider": parse_stagegate_threshold,
    "theme_budget": _name,  # a declared money attribute: _money_settings
    "theme_executed": _name,
    "small_group": parse_small_group,
    "period": parse_period,
    "evaluations": parse_evaluations,
}


@dataclass(frozen=True)
class Problem:
    """A setting that breaks the contract: its key, its value (None when missing) and the rule's key."""

    key: str
    value: str | None
    rule: str


# Theme attributes (issue 37): extra columns of a theme list the programme declares, each under [attributes."名前"]
# with the headers it may be written under, its type and (a category) its values; see parse_attributes.
ATTRIBUTES = "attributes"
ATTRIBUTE_TYPES = {  # each type's spellings (compared after NFKC, trimmed, any case) → its code
    "category": "category",
    "区分": "category",
    "カテゴリ": "category",
    "number": "number",
    "数値": "number",
    "money": "money",
    "金額": "money",
    "year": "year",
    "年度": "year",
    "text": "text",
    "文字": "text",
    "テキスト": "text",
}
ATTRIBUTE_KEYS = ("headers", "type", "values")


@dataclass(frozen=True)
class Attribute:
    """A theme attribute the settings declare: its name (also a header it is read under), the other headers, its type
    (category, number, money in 億円, year, text) and, for a category, its values as they are stored."""

    name: str
    type: str
    headers: tuple[str, ...] = ()
    values: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "headers": list(self.headers), "values": list(self.values)}


def _nfkc(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def _texts(value: object) -> tuple[str, ...] | None:
    """A TOML array of texts, each NFKC and trimmed, none empty and none twice (any case); None otherwise."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    texts = tuple(_nfkc(v) for v in value)
    if not all(texts) or len({t.casefold() for t in texts}) != len(texts):
        return None
    return texts


def attribute_problems(value: object) -> list[Problem]:
    """Every way an [attributes] table breaks the contract, each keyed attributes.<name>[.<key>]; [] when sound."""
    if not isinstance(value, dict) or not value:
        return [Problem(ATTRIBUTES, str(value), "rule.setting.attributes")]
    found: list[Problem] = []
    names: set[str] = set()
    for name, spec in value.items():
        key = f"{ATTRIBUTES}.{name}"
        if not _nfkc(name) or _nfkc(name).casefold() in names:
            found.append(Problem(key, str(name), "rule.setting.attribute_name"))
            continue
        names.add(_nfkc(name).casefold())
        if not isinstance(spec, dict):
            found.append(Problem(key, str(spec), "rule.setting.attributes"))
            continue
        found += [
            Problem(f"{key}.{k}", str(v), "rule.setting.attribute_key")
            for k, v in spec.items()
            if k not in ATTRIBUTE_KEYS
        ]
        kind = ATTRIBUTE_TYPES.get(_nfkc(spec.get("type", "")).lower())
        if kind is None:
            found.append(
                Problem(f"{key}.type", str(spec["type"]) if "type" in spec else None, "rule.setting.attribute_type")
            )
        if "headers" in spec and _texts(spec["headers"]) is None:
            found.append(Problem(f"{key}.headers", as_written(spec["headers"]), "rule.setting.attribute_headers"))
        if kind == "category" and _texts(spec.get("values")) in (None, ()):
            found.append(
                Problem(
                    f"{key}.values",
                    as_written(spec["values"]) if "values" in spec else None,
                    "rule.setting.attribute_values",
                )
            )
        elif kind not in (None, "category") and "values" in spec:
            found.append(Problem(f"{key}.values", as_written(spec["values"]), "rule.setting.attribute_values_category"))
    return found


def parse_attributes(value: Mapping[str, Any]) -> tuple[Attribute, ...]:
    """The attributes of a sound [attributes] table (attribute_problems is []), in the order written."""
    return tuple(
        Attribute(
            _nfkc(name),
            ATTRIBUTE_TYPES[_nfkc(spec["type"]).lower()],
            _texts(spec.get("headers", [])) or (),
            _texts(spec.get("values", [])) or (),
        )
        for name, spec in value.items()
    )


def attributes_text(attributes: tuple[Attribute, ...]) -> str:
    """The attributes as stored: JSON, in the order declared."""
    import json

    return json.dumps([a.as_json() for a in attributes], ensure_ascii=False, separators=(",", ":"))


def stored_attributes(text: str | None) -> tuple[Attribute, ...]:
    """The attributes from their stored text (attributes_text); none when the settings declare none."""
    import json

    if not text:
        return ()
    return tuple(Attribute(a["name"], a["type"], tuple(a["headers"]), tuple(a["values"])) for a in json.loads(text))


def as_written(value: object) -> str:
    """A setting's value as a refusal shows it: an array's items joined by commas (中間2022, 中間2022), not Python's
    list."""
    if isinstance(value, dict):
        return ", ".join(f"{k} = {as_written(v)}" for k, v in value.items())
    return ", ".join(as_written(v) for v in value) if isinstance(value, list) else str(value)


def problems(raw: Mapping[str, Any]) -> list[Problem]:
    """Every way a settings mapping (as read from TOML) breaks the contract; [] when it is sound."""
    found = [
        Problem(k, as_written(v), "rule.setting.unknown") for k, v in raw.items() if k not in (*CHECKS, ATTRIBUTES)
    ]
    found += attribute_problems(raw[ATTRIBUTES]) if ATTRIBUTES in raw else []
    found += [Problem(k, None, "rule.setting.missing") for k in REQUIRED if k not in raw]
    for key, check in CHECKS.items():
        if key in raw:
            value = raw[key]
            if (isinstance(value, dict) and key not in TABLES) or (isinstance(value, list) and key not in LISTS):
                found.append(Problem(key, as_written(value), "rule.setting.not_a_value"))
                continue
            if not str(value).strip():  # a line of a template (kpi init) still to be filled in
                found.append(Problem(key, str(value), "rule.setting.empty"))
                continue
            try:
                check(value if isinstance(value, list | dict) else str(value))
            except ValueError as exc:
                found.append(Problem(key, as_written(value), str(exc)))
    found += _threshold_order(raw, found)
    found += _money_settings(raw, found)
    return found


def _threshold_order(raw: Mapping[str, Any], found: list[Problem]) -> list[Problem]:
    """The stage gate's consider threshold may not be above its continue threshold (each as given or by default)."""
    if any(p.key in ("stagegate_continue", "stagegate_consider") for p in found):
        return []
    given = ("stagegate_continue" in raw, "stagegate_consider" in raw)
    high = parse_stagegate_threshold(raw["stagegate_continue"]) if given[0] else DEFAULT_STAGEGATE_CONTINUE
    low = parse_stagegate_threshold(raw["stagegate_consider"]) if given[1] else DEFAULT_STAGEGATE_CONSIDER
    if low <= high:
        return []
    key = "stagegate_consider" if given[1] else "stagegate_continue"
    return [Problem(key, str(raw[key]), "rule.setting.stagegate_order")]


# Which declared money attribute is each theme's budget, and which its execution (`kpi money`); not in OPTIONAL: a
# template (kpi init) declares no attribute for them to name.
MONEY_SETTINGS = ("theme_budget", "theme_executed")


def _money_settings(raw: Mapping[str, Any], found: list[Problem]) -> list[Problem]:
    """theme_budget and theme_executed each name a money attribute the settings declare, and not the same one."""
    if any(p.key in MONEY_SETTINGS or p.key.split(".")[0] == ATTRIBUTES for p in found):
        return []
    declared = parse_attributes(raw[ATTRIBUTES]) if ATTRIBUTES in raw else ()
    money = {a.name for a in declared if a.type == "money"}
    named = [(key, raw[key]) for key in MONEY_SETTINGS if key in raw]
    wrong = [Problem(key, str(value), "rule.setting.theme_money") for key, value in named if _nfkc(value) not in money]
    if not wrong and len(named) == 2 and _nfkc(named[0][1]) == _nfkc(named[1][1]):
        return [Problem("theme_executed", str(named[1][1]), "rule.setting.theme_money_same")]
    return wrong


def normalise(raw: Mapping[str, Any]) -> dict[str, str]:
    """The settings as stored (text), the judging year in its Western form; call after problems() is []."""
    stored = {k: str(v) for k, v in raw.items() if k in CHECKS}
    if ATTRIBUTES in raw:
        stored[ATTRIBUTES] = attributes_text(parse_attributes(raw[ATTRIBUTES]))
    if "followup_rounds" in raw:
        stored["followup_rounds"] = ", ".join(str(y) for y in parse_followup_rounds(raw["followup_rounds"]))
    if "followup_deadline" in raw:
        stored["followup_deadline"] = "{:02d}-{:02d}".format(*parse_followup_deadline(raw["followup_deadline"]))
    if "suppression_k" in raw:
        stored["suppression_k"] = str(parse_suppression_k(raw["suppression_k"]))
    if "small_group" in raw:
        stored["small_group"] = str(parse_small_group(raw["small_group"]))
    if "stagegate_criteria" in raw:
        stored["stagegate_criteria"] = criteria_text(parse_stagegate_criteria(raw["stagegate_criteria"]))
    for key in ("stagegate_continue", "stagegate_consider"):
        if key in raw:
            stored[key] = str(parse_stagegate_threshold(raw[key]))
    stored.update({key: _nfkc(raw[key]) for key in MONEY_SETTINGS if key in raw})
    if "period" in raw:
        stored["period"] = "{}-{}".format(*parse_period(raw["period"]))
    if "evaluations" in raw:
        stored["evaluations"] = ", ".join(parse_evaluations(raw["evaluations"]))
    stored["long_term_judged_from_fy"] = str(parse_fy(stored["long_term_judged_from_fy"]))
    if "terminated_themes" in stored:
        stored["terminated_themes"] = parse_terminated_themes(stored["terminated_themes"])
    return stored


@dataclass(frozen=True)
class Settings:
    """The programme's settings as loaded."""

    name: str
    project_id: int
    short_term_target_text: str
    long_term_target_text: str
    followup_horizon_years: int
    long_term_judged_from_fy: int
    grade_points_text: str
    backups: int = DEFAULT_BACKUPS
    timezone: str = DEFAULT_TIMEZONE
    terminated_themes: str = DEFAULT_TERMINATED_THEMES  # failed | excluded (kpi.codes.TERMINATED_THEMES)
    followup_rounds: tuple[int, ...] = DEFAULT_FOLLOWUP_ROUNDS  # years after a theme's end it is surveyed in
    followup_deadline: tuple[int, int] = DEFAULT_FOLLOWUP_DEADLINE  # (month, day) each year's round is answered by
    suppression_k: int = DEFAULT_SUPPRESSION_K  # the fewest themes a shown sales figure sums
    stagegate_criteria: tuple[tuple[str, Fraction], ...] = DEFAULT_STAGEGATE_CRITERIA  # (name, weight), in order
    stagegate_continue: Fraction = DEFAULT_STAGEGATE_CONTINUE  # a mean from this continues in principle
    stagegate_consider: Fraction = DEFAULT_STAGEGATE_CONSIDER  # from this (below continue): considered; below: ended
    attributes: tuple[Attribute, ...] = ()  # the theme attributes declared, in order
    period: tuple[int, int] | None = None  # the programme's first and last fiscal years, when declared
    evaluations: tuple[str, ...] = ()  # the evaluation calendar: its rounds as written (schemas.rounds reads them)
    theme_budget: str | None = None  # the money attribute given as each theme's budget (budget_attribute)
    theme_executed: str | None = None  # the money attribute given as each theme's execution
    small_group: int = DEFAULT_SMALL_GROUP  # a breakdown's group with fewer adopted themes is marked small

    @property
    def terminated_excluded(self) -> bool:
        """Whether a terminated theme is left out of every KPI (terminated_themes = excluded)."""
        return self.terminated_themes == "excluded"

    @property
    def short_term_target(self) -> Fraction:
        return parse_target(self.short_term_target_text)

    @property
    def long_term_target(self) -> Fraction:
        return parse_target(self.long_term_target_text)

    @property
    def grade_points(self) -> dict[str, Fraction]:
        return parse_grade_points(self.grade_points_text)

    def target(self, key: str) -> Fraction:
        """A target by its settings key (short_term_target, long_term_target)."""
        return parse_target(getattr(self, f"{key}_text"))

    def target_text(self, key: str) -> str:
        return str(getattr(self, f"{key}_text"))

    @property
    def budget_attribute(self) -> str | None:
        """The money attribute that is each theme's budget: theme_budget, else the one money attribute declared
        (other than theme_executed); None when neither names one."""
        if self.theme_budget is not None:
            return self.theme_budget
        money = [a.name for a in self.attributes if a.type == "money" and a.name != self.theme_executed]
        return money[0] if len(money) == 1 else None

    @classmethod
    def from_stored(cls, stored: Mapping[str, str]) -> Settings | None:
        """Settings from the stored key/value rows; None when none were ever loaded."""
        if not stored:
            return None
        return cls(
            name=stored["name"],
            project_id=int(stored["project_id"]),
            short_term_target_text=stored["short_term_target"],
            long_term_target_text=stored["long_term_target"],
            followup_horizon_years=int(stored["followup_horizon_years"]),
            long_term_judged_from_fy=int(stored["long_term_judged_from_fy"]),
            grade_points_text=stored.get("grade_points", DEFAULT_GRADE_POINTS),
            backups=int(stored.get("backups", DEFAULT_BACKUPS)),
            timezone=stored.get("timezone", DEFAULT_TIMEZONE).strip(),
            terminated_themes=parse_terminated_themes(stored.get("terminated_themes", DEFAULT_TERMINATED_THEMES)),
            followup_rounds=parse_followup_rounds(stored["followup_rounds"])
            if "followup_rounds" in stored
            else DEFAULT_FOLLOWUP_ROUNDS,
            followup_deadline=parse_followup_deadline(stored["followup_deadline"])
            if "followup_deadline" in stored
            else DEFAULT_FOLLOWUP_DEADLINE,
            suppression_k=int(stored.get("suppression_k", DEFAULT_SUPPRESSION_K)),
            stagegate_criteria=parse_stagegate_criteria(stored["stagegate_criteria"])
            if "stagegate_criteria" in stored
            else DEFAULT_STAGEGATE_CRITERIA,
            stagegate_continue=Fraction(stored.get("stagegate_continue", DEFAULT_STAGEGATE_CONTINUE)),
            stagegate_consider=Fraction(stored.get("stagegate_consider", DEFAULT_STAGEGATE_CONSIDER)),
            attributes=stored_attributes(stored.get(ATTRIBUTES)),
            period=parse_period(stored["period"]) if "period" in stored else None,
            evaluations=parse_evaluations(stored["evaluations"]) if "evaluations" in stored else (),
            theme_budget=stored.get("theme_budget"),
            theme_executed=stored.get("theme_executed"),
            small_group=int(stored.get("small_group", DEFAULT_SMALL_GROUP)),
        )

    def as_json(self) -> dict[str, Any]:
        """The settings in the report's JSON contract."""
        return {
            "name": self.name,
            "project_id": self.project_id,
            "short_term_target": self.short_term_target_text,
            "long_term_target": self.long_term_target_text,
            "followup_horizon_years": self.followup_horizon_years,
            "long_term_judged_from_fy": self.long_term_judged_from_fy,
            "grade_points": self.grade_points_text,
            "backups": self.backups,
            "timezone": self.timezone,
            "terminated_themes": self.terminated_themes,
            **self.calendar_json(),
        }

    def calendar_json(self) -> dict[str, Any]:
        """The programme's period and evaluation calendar, each only when declared (a programme declaring neither
        keeps the JSON it always had)."""
        period = {"period": list(self.period)} if self.period else {}
        return {**period, **({"evaluations": list(self.evaluations)} if self.evaluations else {})}
