"""The programme settings contract: targets as exact fractions, every problem of a settings file named."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kpi import settings

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
