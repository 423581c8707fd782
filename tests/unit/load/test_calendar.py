"""The programme calendar in the settings (kpi.load.calendar, kpi.settings): the period and the evaluation rounds,
stored in one spelling; a bad one refused naming the file's line, the key, the value and the rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from kit import SAMPLE

from kpi import settings
from kpi.errors import InputRejected
from kpi.load.programme import read_programme


def calendar(tmp_path: Path, lines: str) -> Path:
    """The sample's settings with the calendar lines after them."""
    path = tmp_path / "programme.toml"
    path.write_text((SAMPLE / "programme.toml").read_text(encoding="utf-8") + "\n" + lines, encoding="utf-8")
    return path


def refused(path: Path) -> list[tuple[int | None, str, object, str]]:
    with pytest.raises(InputRejected) as caught:
        read_programme(path, path.read_bytes())
    return [(f.line, f.column, f.value, f.rule) for f in caught.value.failures]


def test_the_period_and_the_rounds_are_stored_in_one_spelling_and_the_json_shows_them(tmp_path: Path) -> None:
    path = calendar(tmp_path, 'period = "R2〜R12"\nevaluations = "中間2022、中間評価（2026年度）, 終了時2030"\n')
    stored = read_programme(path, path.read_bytes())
    assert (stored["period"], stored["evaluations"]) == ("2020-2030", "中間2022, 中間評価(2026年度), 終了時2030")
    loaded = settings.Settings.from_stored(stored)
    assert loaded is not None and loaded.period == (2020, 2030)
    assert loaded.as_json()["period"] == [2020, 2030] and len(loaded.as_json()["evaluations"]) == 3


def test_without_a_calendar_the_settings_json_is_what_it_always_was(tmp_path: Path) -> None:
    path = calendar(tmp_path, "")
    loaded = settings.Settings.from_stored(read_programme(path, path.read_bytes()))
    assert loaded is not None and (loaded.period, loaded.evaluations) == (None, ())
    assert "period" not in loaded.as_json() and "evaluations" not in loaded.as_json()


def test_a_bad_period_and_rounds_that_name_none_or_fall_outside_it_are_refused_with_their_lines(
    tmp_path: Path,
) -> None:
    path = calendar(tmp_path, 'period = "2030-2020"\nevaluations = ["中間2022"]\n')
    line = len(path.read_text(encoding="utf-8").splitlines()) - 1
    assert refused(path) == [(line, "period", "2030-2020", "rule.setting.period")]
    path = calendar(tmp_path, 'period = "2020-2029"\nevaluations = ["中間2022", "2026", "終了時2030"]\n')
    line = len(path.read_text(encoding="utf-8").splitlines())
    assert refused(path) == [
        (line, "evaluations", "2026", "rule.setting.evaluation_round"),
        (line, "evaluations", "終了時2030", "rule.setting.evaluation_outside_period"),
    ]
    path = calendar(tmp_path, 'evaluations = ["中間2022", "中間2022"]\n')
    assert [r[1:] for r in refused(path)] == [("evaluations", "中間2022, 中間2022", "rule.setting.evaluations")]
