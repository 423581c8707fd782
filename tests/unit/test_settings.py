"""The programme settings contract: targets as exact fractions, every problem of a settings file named."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from kpi import settings
from kpi.codes import TERMINATED_THEMES

GOOD = {
    "name": "ポスト5G",
    "project_id": 3522,
    "short_term_target": "80%",
    "long_term_target": "50%",
    "followup_horizon_years": 3,
    "long_term_judged_from_fy": "令和12年度",
}


@pytest.mark.parametrize(
    ("text", "value"),
    [("80%", Fraction(4, 5)), ("0.8", Fraction(4, 5)), ("4/5", Fraction(4, 5)), ("50 %", Fraction(1, 2))],
)
def test_targets_are_exact_fractions(text: str, value: Fraction) -> None:
    assert settings.parse_target(text) == value


def test_sound_settings_have_no_problem_and_store_the_western_year() -> None:
    assert settings.problems(GOOD) == []
    assert settings.normalise(GOOD)["long_term_judged_from_fy"] == "2030"


@pytest.mark.parametrize(
    ("change", "key", "rule"),
    [
        ({"short_term_target": "eighty"}, "short_term_target", "rule.setting.target"),
        ({"long_term_target": "150%"}, "long_term_target", "rule.setting.target_range"),
        ({"followup_horizon_years": 31}, "followup_horizon_years", "rule.setting.horizon"),
        ({"followup_horizon_years": "three"}, "followup_horizon_years", "rule.setting.whole_number"),
        ({"long_term_judged_from_fy": 1990}, "long_term_judged_from_fy", "rule.setting.year_range"),
        ({"long_term_judged_from_fy": "いつか"}, "long_term_judged_from_fy", "rule.fiscal_year"),
        ({"name": "  "}, "name", "rule.setting.empty"),
        ({"project_id": ""}, "project_id", "rule.setting.empty"),  # a line of kpi init's template, not filled in
        ({"short_term_target": ""}, "short_term_target", "rule.setting.empty"),
        ({"grade_points": "A=3, B=2"}, "grade_points", "rule.setting.grade_points"),
        ({"colour": "blue"}, "colour", "rule.setting.unknown"),
        ({"project_id": {"a": 1}}, "project_id", "rule.setting.not_a_value"),
    ],
)
def test_each_problem_names_its_key_and_rule(change: dict, key: str, rule: str) -> None:
    assert [(p.key, p.rule) for p in settings.problems({**GOOD, **change})] == [(key, rule)]


def test_missing_settings_are_each_named() -> None:
    found = settings.problems({"name": "x"})
    assert sorted(p.key for p in found) == sorted(k for k in settings.REQUIRED if k != "name")
    assert {p.rule for p in found} == {"rule.setting.missing"}


def test_terminated_themes_count_as_failed_unless_the_settings_say_otherwise() -> None:
    assert settings.problems(GOOD) == []
    assert "terminated_themes" not in settings.normalise(GOOD)  # an older file stays as it was stored
    stored = settings.Settings.from_stored(settings.normalise(GOOD))
    assert stored is not None and stored.terminated_themes == "failed" and not stored.terminated_excluded
    assert stored.as_json()["terminated_themes"] == "failed"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("failed", "failed"),
        ("excluded", "excluded"),
        (" Excluded ", "excluded"),
        ("FAILED", "failed"),
        ("未達として数える", "failed"),
        ("除外", "excluded"),
        ("\u3000除外\u3000", "excluded"),
    ],
)
def test_terminated_themes_is_stored_as_its_code_from_any_spelling(written: str, code: str) -> None:
    raw = {**GOOD, "terminated_themes": written}
    assert settings.problems(raw) == []
    stored = settings.normalise(raw)
    assert stored["terminated_themes"] == code
    loaded = settings.Settings.from_stored(stored)
    assert loaded is not None and loaded.terminated_themes == code
    assert loaded.terminated_excluded is (code == "excluded")


def test_every_spelling_of_terminated_themes_is_one_of_its_codes() -> None:
    assert set(settings.TERMINATED_THEMES_SPELLINGS.values()) == set(TERMINATED_THEMES)
    assert settings.DEFAULT_TERMINATED_THEMES == "failed"  # the default can never raise a KPI


@pytest.mark.parametrize("written", ["ignored", "fail", "除く", "true", 0])
def test_an_unknown_way_to_count_terminated_themes_is_refused(written: object) -> None:
    found = settings.problems({**GOOD, "terminated_themes": written})
    assert [(p.key, p.value, p.rule) for p in found] == [
        ("terminated_themes", str(written), "rule.setting.terminated_themes")
    ]


# ---------------------------------------------------------------- survey rounds, deadline, suppression


@pytest.mark.parametrize(
    ("written", "rounds"),
    [
        ([1, 2, 4, 6], (1, 2, 4, 6)),
        ([6, 1, 4, 2], (1, 2, 4, 6)),  # stored sorted
        (["1", "3"], (1, 3)),
        ("1, 2, 4, 6", (1, 2, 4, 6)),
        ("1、2、4、6", (1, 2, 4, 6)),
        ("１，２，４，６", (1, 2, 4, 6)),  # full-width after NFKC
        ("1-6", (1, 2, 3, 4, 5, 6)),
        ("１－３", (1, 2, 3)),
        ("3", (3,)),
        (30, (30,)),
    ],
)
def test_survey_rounds_are_read_from_any_spelling_and_stored_sorted(written: object, rounds: tuple) -> None:
    raw = {**GOOD, "followup_rounds": written}
    assert settings.problems(raw) == []
    stored = settings.Settings.from_stored(settings.normalise(raw))
    assert stored is not None and stored.followup_rounds == rounds
    assert settings.normalise(raw)["followup_rounds"] == ", ".join(str(r) for r in rounds)


@pytest.mark.parametrize(
    "written",
    [[], [1, 1], [0, 2], [31], [1.5], [True], "1, 1", "0-3", "4-2", "1-31", "a, b", "1,,2", "", {"a": 1}],
)
def test_a_bad_survey_round_is_refused_by_its_rule(written: object) -> None:
    found = settings.problems({**GOOD, "followup_rounds": written})
    assert len(found) == 1 and found[0].key == "followup_rounds"
    assert found[0].rule in ("rule.setting.followup_rounds", "rule.setting.empty", "rule.setting.not_a_value")


@pytest.mark.parametrize(
    ("written", "month_day"),
    [("01-31", (1, 31)), ("1-31", (1, 31)), ("1/31", (1, 31)), ("1月31日", (1, 31)), ("１２月２０日", (12, 20))],
)
def test_the_deadline_is_a_month_and_day(written: str, month_day: tuple[int, int]) -> None:
    raw = {**GOOD, "followup_deadline": written}
    assert settings.problems(raw) == []
    assert settings.normalise(raw)["followup_deadline"] == "{:02d}-{:02d}".format(*month_day)
    stored = settings.Settings.from_stored(settings.normalise(raw))
    assert stored is not None and stored.followup_deadline == month_day


@pytest.mark.parametrize("written", ["02-29", "13-01", "04-31", "1月", "January 31", "2027-01-31", "0-10"])
def test_a_deadline_not_every_year_has_is_refused(written: str) -> None:
    found = settings.problems({**GOOD, "followup_deadline": written})
    assert [(p.key, p.rule) for p in found] == [("followup_deadline", "rule.setting.followup_deadline")]


def test_the_deadline_of_a_round_falls_inside_its_fiscal_year() -> None:
    january = settings.Settings.from_stored({**settings.normalise(GOOD), "followup_deadline": "01-31"})
    december = settings.Settings.from_stored({**settings.normalise(GOOD), "followup_deadline": "12-20"})
    assert settings.deadline_of(january, 2026) == dt.date(2027, 1, 31)
    assert settings.deadline_of(december, 2026) == dt.date(2026, 12, 20)
    assert settings.deadline_of(None, 2026) == dt.date(2027, 1, 31)  # the default


@pytest.mark.parametrize(
    ("written", "rule"),
    [(0, "rule.setting.suppression_k"), (1001, "rule.setting.suppression_k"), ("three", "rule.setting.whole_number")],
)
def test_a_bad_suppression_k_is_refused(written: object, rule: str) -> None:
    assert [(p.key, p.rule) for p in settings.problems({**GOOD, "suppression_k": written})] == [("suppression_k", rule)]


def test_without_the_new_keys_the_defaults_are_nedos() -> None:
    stored = settings.Settings.from_stored(settings.normalise(GOOD))
    assert stored is not None
    assert (stored.followup_rounds, stored.followup_deadline, stored.suppression_k) == ((1, 2, 4, 6), (1, 31), 3)
    assert "followup_rounds" not in stored.as_json()  # the report's JSON contract is unchanged
    raw = {**GOOD, "suppression_k": "５"}
    assert settings.Settings.from_stored(settings.normalise(raw)).suppression_k == 5  # type: ignore[union-attr]
