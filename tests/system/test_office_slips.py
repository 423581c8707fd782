"""An office's ordinary slips never change a figure silently: each case is one slip of issue #33, run through the
commands an office runs (in-process), with the figure it must give and the words that say why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from kit import SAMPLE_THEMES, invoke, ok, theme, themes_csv, write
from programmes import PROGRAMME as PROGRAMME_TOML


def report(db: Path, fy: int) -> dict[str, Any]:
    return json.loads(ok("report", "--db", str(db), "--as-of", str(fy), "--format", "json").stdout)


def explain(db: Path, kpi: str, fy: int) -> dict[str, Any]:
    return json.loads(ok("explain", kpi, "--db", str(db), "--as-of", str(fy), "--format", "json").stdout)


def kpi_of(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(k for k in data["kpis"] if k["name"] == key)


# ---- a theme missing from a newer list keeps its last state


def test_a_theme_missing_from_a_newer_list_stays_in_every_figure(sample_store: Path, tmp_path: Path) -> None:
    lines = SAMPLE_THEMES.read_text(encoding="utf-8").splitlines(keepends=True)
    dropped = [line for line in lines if not line.startswith("T2-011,")]
    assert len(dropped) == len(lines) - 1
    newer = tmp_path / "themes_2026-04-30.csv"
    newer.write_text("".join(dropped), encoding="utf-8")
    loaded = ok("load", "--db", str(sample_store), str(newer))
    assert "T2-011" in loaded.output
    data = report(sample_store, 2026)
    assert data["snapshot"] == "2026-04-30"
    assert kpi_of(data, "long_term")["denominator"] == 115  # not 114: T2-011 is carried with its last state
    assert data["status_summary"]["total"] == 115
    assert data["placement"]["carried"] == 1 and data["placement"]["carried_from"] == ["2026-03-31"]
    text = ok("report", "--db", str(sample_store), "--as-of", "2026").stdout
    assert "新しい一覧にないテーマ1件は、それを載せた最後の一覧（2026-03-31）の状態のまま数えている" in text
    checked = invoke("check", "--db", str(sample_store), "--as-of", "2026", "--lang", "en")
    assert checked.exit_code == 1 and "1 themes missing from the newer list" in checked.stdout
    themes = {t["theme_id"]: t for t in explain(sample_store, "long_term", 2026)["themes"]}
    assert themes["T2-011"]["carried_from"] == "2026-03-31" and themes["T2-011"]["role"] == "denominator"
    # the FY2025 figures read the March list and do not move
    assert kpi_of(report(sample_store, 2025), "short_term")["numerator"] == 39


def test_a_theme_leaves_only_when_a_list_cancels_its_adoption(load) -> None:
    first = [theme("A1", end_fy=2023), theme("A2", end_fy=2023), theme("N1", end_fy=2023, status="目標未達")]
    db = load({"programme.toml": PROGRAMME_TOML, "themes_2024-03-31.csv": themes_csv(first)})
    load({"themes_2025-03-31.csv": themes_csv([*first[:2], theme("N1", end_fy=2023, status="採択取消")])}, db)
    data = report(db, 2024)
    assert (kpi_of(data, "short_term")["numerator"], kpi_of(data, "short_term")["denominator"]) == (2, 2)
    assert data["placement"]["cancelled"] == 1 and data["status_summary"]["total"] == 2
    assert "採択取消1件は全アウトカム指標・状況表から除外" in ok("report", "--db", str(db), "--as-of", "2024").stdout
    # the earlier year still reads its own list, where N1 counted
    assert kpi_of(report(db, 2023), "short_term")["denominator"] == 3


# ---- not measured is pending, everywhere


def test_themes_nobody_surveyed_await_their_survey_and_are_not_failures(sample_store: Path, tmp_path: Path) -> None:
    survey = write(tmp_path / "followups.csv", "theme_id,survey_fy,stage\nT1-002,2025,上市\n")
    ok("load", "--db", str(sample_store), str(survey))
    data = report(sample_store, 2026)
    matured = kpi_of(data, "long_term_matured")
    assert (matured["numerator"], matured["denominator"], matured["roles"]["pending"]) == (1, 1, 12)
    assert matured["verdict"] == "met"  # 1 of 1 surveyed; not 1 of 13 with 12 unsurveyed counted as failures
    assert (matured["outlook"]["best"]["ratio"], matured["outlook"]["worst"]["ratio"]) == (1.0, pytest.approx(1 / 13))
    check = json.loads(invoke("check", "--db", str(sample_store), "--as-of", "2026", "--format", "json").stdout)
    assert kpi_of(check, "long_term_matured")["verdict"] == "met"
    text = ok("report", "--db", str(sample_store), "--as-of", "2026").stdout
    assert "長期（経過テーマ）: 目標50%には、調査待ち12件のうち6件以上の実用化が必要" in text
    official = kpi_of(data, "long_term")
    assert (official["numerator"], official["denominator"], official["outlook"]["surveys_due"]) == (1, 115, 114)


def test_explain_and_the_report_place_every_theme_alike_without_surveys(sample_store: Path) -> None:
    for key in ("short_term", "long_term", "long_term_matured"):
        for fy in (2022, 2025, 2028):
            shown, data = explain(sample_store, key, fy), report(sample_store, fy)
            assert shown["counts"] == kpi_of(data, key)["roles"], (key, fy)
    shown = explain(sample_store, "long_term", 2025)
    assert shown["reasons"]["denominator"] == {"awaiting_survey": 115} and shown["measured"] is False
    assert kpi_of(report(sample_store, 2025), "long_term")["outlook"]["surveys_due"] == 115
    text = ok("explain", "long_term", "--db", str(sample_store), "--as-of", "2025").stdout
    assert "この指標は測定不能（分子は0ではなく未測定）" in text


# ---- terminations


@pytest.mark.parametrize(("setting", "short", "total"), [("failed", (1, 3), 4), ("excluded", (1, 2), 4)])
def test_a_theme_stopped_at_a_stage_gate_counts_as_the_settings_say(
    load, setting: str, short: tuple[int, int], total: int
) -> None:
    settings = PROGRAMME_TOML.replace('terminated_themes = "failed"', f'terminated_themes = "{setting}"')
    rows = [
        theme("A1", end_fy=2023),
        theme("N1", end_fy=2023, status="目標未達"),
        theme("S1", end_fy=2024, status="ステージゲートで中止"),
        theme("W1", end_fy=2027, status="計画通り"),
    ]
    db = load({"programme.toml": settings, "themes_2025-03-31.csv": themes_csv(rows)})
    data = report(db, 2024)
    st = kpi_of(data, "short_term")
    assert (st["numerator"], st["denominator"]) == short
    assert data["status_summary"]["terminated"] == 1 and data["status_summary"]["total"] == total
    assert data["placement"] == {**data["placement"], "terminated": 1, "terminated_themes": setting}
    official = kpi_of(data, "long_term")
    assert official["denominator"] == (4 if setting == "failed" else 3)
    text = ok("report", "--db", str(db), "--as-of", "2024").stdout
    assert (
        "中止（途中終了）1件は目標未達・実用化なしとして"
        if setting == "failed"
        else "中止（途中終了）1件は全アウトカム指標から除外"
    ) in text
    assert "中止（途中終了）1件" in invoke("check", "--db", str(db), "--as-of", "2024").stdout


def test_the_default_for_terminated_themes_never_raises_a_kpi(load) -> None:
    rows = [theme("A1", end_fy=2023), theme("S1", end_fy=2023, status="中止")]
    survey = "theme_id,survey_fy,stage\nS1,2024,上市\nA1,2024,開発\n"
    db = load({"programme.toml": PROGRAMME_TOML, "themes_2025-03-31.csv": themes_csv(rows), "followups.csv": survey})
    data = report(db, 2026)
    assert (kpi_of(data, "short_term")["numerator"], kpi_of(data, "short_term")["denominator"]) == (1, 2)
    assert (kpi_of(data, "long_term")["numerator"], kpi_of(data, "long_term")["denominator"]) == (0, 2)


# ---- one population behind the note and the outlook


def test_the_note_counts_the_same_pending_themes_as_the_outlook(load) -> None:
    rows = [
        theme("A1", end_fy=2023),
        theme("D1", end_fy=2024, status="遅延"),
        theme("D2", end_fy=2027, status="遅延"),  # delayed, but its R&D period has not ended: not pending yet
        theme("W1", end_fy=2024, status="計画通り"),
    ]
    db = load({"programme.toml": PROGRAMME_TOML, "themes_2025-03-31.csv": themes_csv(rows)})
    data = report(db, 2024)
    assert (data["short_term"]["delayed"], data["short_term"]["awaiting_final"]) == (1, 1)
    assert data["short_term"]["outlook"]["pending"] == 2
    text = ok("report", "--db", str(db), "--as-of", "2024").stdout
    assert "遅延1件・最終評価待ち（計画通り）1件の計2件は結果待ち" in text
    assert "最終評価待ち・遅延2件" in text


# ---- surveys outside a theme's life


def test_a_survey_before_its_themes_end_year_is_set_aside(load) -> None:
    rows = [theme("A1", end_fy=2021), theme("B1", end_fy=2021)]
    survey = "theme_id,survey_fy,stage\nA1,2024,上市\nB1,2022,上市\n"
    db = load({"programme.toml": PROGRAMME_TOML, "themes_2024-03-31.csv": themes_csv(rows), "followups.csv": survey})
    assert kpi_of(report(db, 2024), "long_term")["numerator"] == 2
    # a correction moves B1's end to 2023: its survey of 2022 came before it ended and no longer counts
    load({"themes_2025-03-31.csv": themes_csv([rows[0], theme("B1", end_fy=2023)])}, db)
    data = report(db, 2025)
    assert kpi_of(data, "long_term")["numerator"] == 1 and data["placement"]["surveys_set_aside"] == 1
    assert "終了年度より前の追跡調査1件は数えていない" in ok("report", "--db", str(db), "--as-of", "2025").stdout


# ---- what an adversarial pass found


def _lists(tmp_path: Path, lists: dict[str, list[str]]) -> Path:
    """A database loaded, list by list, with the programme's settings first (the CLI, in-process)."""
    db = tmp_path / "kpi.duckdb"
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    ok("load", "--db", str(db), str(write(folder / "programme.toml", PROGRAMME_TOML)))
    for name, rows in lists.items():
        ok("load", "--db", str(db), str(write(folder / name, themes_csv(rows))))
    return db


def test_a_renumbered_list_replaces_the_old_ids_instead_of_counting_them_twice(tmp_path: Path) -> None:
    old = [theme(f"A{i}", end_fy=2023) for i in range(3)] + [theme("A9", end_fy=2023, status="目標未達")]
    db = _lists(tmp_path, {"themes_2025-03-31.csv": old})
    renumbered = write(tmp_path / "in" / "themes_2025-06-30.csv", themes_csv([r.replace("A", "R", 1) for r in old]))
    assert invoke("load", "--db", str(db), str(renumbered)).exit_code == 3  # another programme's, unless said
    ok("load", "--db", str(db), str(renumbered), "--renumbered", "令和7年度にID体系を変更")
    data = report(db, 2025)
    st = kpi_of(data, "short_term")
    assert (st["numerator"], st["denominator"], data["placement"]["carried"]) == (3, 4, 0)


def test_a_theme_stopped_before_its_planned_end_is_in_the_short_term_denominator(tmp_path: Path) -> None:
    rows = [theme(f"S{i}", end_fy=2021) for i in range(3)] + [theme("S9", end_fy=2027, status="ステージゲートで中止")]
    db = _lists(tmp_path, {"themes_2026-03-31.csv": rows})
    data = report(db, 2025)
    st = kpi_of(data, "short_term")
    assert (st["numerator"], st["denominator"], st["verdict"]) == (3, 4, "not_met")  # not 3/3: it never raises
    assert data["placement"]["terminated"] == data["status_summary"]["terminated"] == 1
    assert invoke("check", "--db", str(db), "--as-of", "2025").exit_code == 1


def test_another_programmes_list_is_refused_after_a_partial_list(tmp_path: Path) -> None:
    full = [theme(f"A{i:02}", end_fy=2023) for i in range(10)]
    db = _lists(tmp_path, {"themes_2025-03-31.csv": full, "themes_2025-04-30.csv": full[:2]})
    foreign = write(
        tmp_path / "in" / "themes_2025-05-31.csv",
        themes_csv([*full[:2], *(theme(f"Z{i:03}", end_fy=2023) for i in range(100))]),
    )
    refused = invoke("load", "--db", str(db), str(foreign))
    assert refused.exit_code == 3 and "--renumbered" in refused.output
    assert report(db, 2025)["snapshot"] == "2025-04-30"  # nothing written


def test_a_corrected_list_that_leaves_out_a_theme_no_earlier_list_names_is_refused(tmp_path: Path) -> None:
    first = [theme(f"A{i}", end_fy=2023) for i in range(3)]
    db = _lists(tmp_path, {"themes_2025-03-31.csv": first, "themes_2026-03-31.csv": [*first, theme("A4")]})
    (tmp_path / "fix").mkdir()
    corrected = write(tmp_path / "fix" / "themes_2026-03-31.csv", themes_csv(first))  # same date, A4 left out
    refused = invoke("load", "--db", str(db), str(corrected))
    assert refused.exit_code == 3 and "A4" in refused.output and "採択取消" in refused.output
    assert report(db, 2025)["status_summary"]["total"] == 4  # nothing written
    ok("load", "--db", str(db), str(write(corrected, themes_csv([*first, theme("A4", status="採択取消")]))))
    assert report(db, 2025)["status_summary"]["total"] == 3  # left, explicitly
