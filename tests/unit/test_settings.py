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


def test_the_stage_gate_defaults_are_the_seeds() -> None:
    """3-3 ③: 技術的評価 and 事業化評価 weighed alike, continue from 60, consider from 40."""
    stored = settings.Settings.from_stored(settings.normalise(GOOD))
    assert stored is not None
    assert stored.stagegate_criteria == (("技術的評価", Fraction(50)), ("事業化評価", Fraction(50)))
    assert (stored.stagegate_continue, stored.stagegate_consider) == (60, 40)
    assert "stagegate_criteria" not in stored.as_json()  # the report's JSON contract is unchanged


@pytest.mark.parametrize(
    "written",
    [{"技術的評価": 70, "事業化評価": 30}, "技術的評価=70, 事業化評価=30", " 技術的評価 = 70 , 事業化評価 = 30 "],
)
def test_stage_gate_criteria_are_a_table_or_a_line_and_stored_as_a_line(written: object) -> None:
    raw = {**GOOD, "stagegate_criteria": written, "stagegate_continue": 62.5, "stagegate_consider": "35"}
    assert settings.problems(raw) == []
    stored = settings.normalise(raw)
    assert stored["stagegate_criteria"] == "技術的評価=70, 事業化評価=30"
    read = settings.Settings.from_stored(stored)
    assert read is not None
    assert read.stagegate_criteria == (("技術的評価", Fraction(70)), ("事業化評価", Fraction(30)))
    assert (read.stagegate_continue, read.stagegate_consider) == (Fraction(125, 2), 35)


@pytest.mark.parametrize(
    ("key", "written", "rule"),
    [
        ("stagegate_criteria", {"技術的評価": 0}, "rule.setting.stagegate_criteria"),
        ("stagegate_criteria", {"技術的評価": -5, "事業化評価": 105}, "rule.setting.stagegate_criteria"),
        ("stagegate_criteria", {"技術的評価": "half"}, "rule.setting.stagegate_criteria"),
        ("stagegate_criteria", {"技術的評価": True}, "rule.setting.stagegate_criteria"),
        ("stagegate_criteria", {}, "rule.setting.stagegate_criteria"),
        ("stagegate_criteria", "技術的評価=50, 技術的評価=50", "rule.setting.stagegate_criteria"),
        ("stagegate_criteria", [50, 50], "rule.setting.not_a_value"),
        ("stagegate_continue", 101, "rule.setting.stagegate_threshold"),
        ("stagegate_continue", "sixty", "rule.setting.stagegate_threshold"),
        ("stagegate_consider", {"a": 1}, "rule.setting.not_a_value"),
        ("stagegate_consider", 61, "rule.setting.stagegate_order"),  # above the default continue (60)
    ],
)
def test_a_bad_stage_gate_setting_is_refused_by_its_key(key: str, written: object, rule: str) -> None:
    assert [(p.key, p.rule) for p in settings.problems({**GOOD, key: written})] == [(key, rule)]


def test_a_stage_gate_table_is_refused_on_its_line(tmp_path) -> None:
    """Written as a TOML table (names in quotes: TOML's bare keys are ASCII), a bad weight is named on the table's
    line."""
    from kpi.errors import InputRejected
    from kpi.load.programme import read_programme

    lines = [f"{k} = {v!r}".replace("'", '"') for k, v in GOOD.items()]
    table = ["stagegate_continue = 50", "[stagegate_criteria]  # 配点", '"技術的評価" = 2', '"事業化評価" = 1', ""]
    good = "\n".join([*lines, *table])
    assert (
        read_programme(tmp_path / "programme.toml", good.encode())["stagegate_criteria"] == "技術的評価=2, 事業化評価=1"
    )
    inline = "\n".join([*lines, 'stagegate_criteria = {"技術的評価" = 50, "事業化評価" = 0}', ""])
    for bad, line in [(good.replace('"事業化評価" = 1', '"事業化評価" = 0'), len(lines) + 2), (inline, len(lines) + 1)]:
        with pytest.raises(InputRejected) as caught:
            read_programme(tmp_path / "programme.toml", bad.encode())
        [failure] = caught.value.failures
        assert (failure.line, failure.column, failure.rule) == (
            line,
            "stagegate_criteria",
            "rule.setting.stagegate_criteria",
        )


ATTRIBUTES = {
    "分野": {"headers": ["技術分野"], "type": "category", "values": ["通信", "ＡＩ"]},
    "企業規模": {"type": "区分", "values": ["大企業", "中小企業"]},
    "予算額": {"headers": ["予算額(億円)"], "type": "money"},
    "採択年度": {"type": "年度"},
    "備考": {"type": "text"},
}


def test_theme_attributes_are_stored_in_the_order_declared_and_read_back() -> None:
    raw = {**GOOD, "attributes": ATTRIBUTES}
    assert settings.problems(raw) == []
    loaded = settings.Settings.from_stored(settings.normalise(raw))
    assert loaded is not None
    assert [(a.name, a.type, a.headers, a.values) for a in loaded.attributes] == [
        ("分野", "category", ("技術分野",), ("通信", "AI")),  # (NFKC, as a cell is read)
        ("企業規模", "category", (), ("大企業", "中小企業")),
        ("予算額", "money", ("予算額(億円)",), ()),
        ("採択年度", "year", (), ()),
        ("備考", "text", (), ()),
    ]
    assert settings.Settings.from_stored(settings.normalise(GOOD)).attributes == ()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("attributes", "key", "rule"),
    [
        ("分野", "attributes", "rule.setting.attributes"),
        ({"分野": "category"}, "attributes.分野", "rule.setting.attributes"),
        ({"分野": {"type": "colour"}}, "attributes.分野.type", "rule.setting.attribute_type"),
        ({"分野": {"values": ["通信"]}}, "attributes.分野.type", "rule.setting.attribute_type"),
        ({"分野": {"type": "category"}}, "attributes.分野.values", "rule.setting.attribute_values"),
        (
            {"分野": {"type": "category", "values": ["通信", "通信"]}},
            "attributes.分野.values",
            "rule.setting.attribute_values",
        ),
        (
            {"予算": {"type": "money", "values": ["1"]}},
            "attributes.予算.values",
            "rule.setting.attribute_values_category",
        ),
        ({"予算": {"type": "money", "headers": "予算額"}}, "attributes.予算.headers", "rule.setting.attribute_headers"),
        ({"予算": {"type": "money", "unit": "円"}}, "attributes.予算.unit", "rule.setting.attribute_key"),
        ({"備考": {"type": "text"}, " ": {"type": "text"}}, "attributes. ", "rule.setting.attribute_name"),
        (
            {"ＡＩ活用": {"type": "text"}, "ai活用": {"type": "text"}},
            "attributes.ai活用",
            "rule.setting.attribute_name",
        ),
    ],
)
def test_each_problem_of_an_attribute_names_its_key_and_rule(attributes: object, key: str, rule: str) -> None:
    assert [(p.key, p.rule) for p in settings.problems({**GOOD, "attributes": attributes})] == [(key, rule)]
