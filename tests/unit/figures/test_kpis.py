"""The outcome KPIs and the status tables: pinned on the sample data, and each rule on small hand-made
portfolios (read through the report's JSON contract, and as exact figures where exactness is the point)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from kit import SAMPLE, theme, themes_csv

from kpi.db.connect import open_for_read
from kpi.figures import kpis
from kpi.figures.report import Report
from kpi.figures.report import report as build
from kpi.figures.verdict import Verdict
from kpi.present.json_out import report_json

PROGRAMME = (SAMPLE / "programme.toml").read_text(encoding="utf-8")


def figures(db: Path, as_of: int) -> Report:
    with open_for_read(db, wait=5) as con:
        return build(con, as_of)


def report(db: Path, as_of: int) -> dict:
    """The report as its JSON contract."""
    return report_json(figures(db, as_of))


# ---- the sample data (the report's theme list and budget table, as printed) ----


def test_sample_theme_counts_by_item_and_status(sample_store: Path) -> None:
    import duckdb

    con = duckdb.connect(str(sample_store), read_only=True)
    assert con.execute("SELECT count(*) FROM themes").fetchall() == [(144,)]
    assert con.execute("SELECT item, count(*) FROM themes GROUP BY item ORDER BY item").fetchall() == [
        (1, 88),
        (2, 27),
        (3, 29),
    ]
    by_status = con.execute("SELECT item, status, count(*) FROM themes GROUP BY ALL ORDER BY ALL").fetchall()
    con.close()
    assert by_status == [
        (1, "achieved", 35),
        (1, "delayed", 1),
        (1, "not_achieved", 17),
        (1, "on_track", 35),
        (2, "achieved", 4),
        (2, "on_track", 23),
        (3, "achieved", 26),
        (3, "not_achieved", 3),
    ]


def test_sample_status_summary_follows_the_theme_list(sample_store: Path) -> None:
    # The report's own summary says 45 / 58 / 12 / 115; its theme list (kept here) gives 39 / 58 / 18 / 115:
    # six themes of ①g differ (22 achieved and 7 delayed/not achieved in the summary, 16 and 13 in the list).
    assert report(sample_store, 2025)["status_summary"] == {
        "achieved": 39,
        "on_track": 58,
        "delayed_or_not_achieved": 18,
        "terminated": 0,
        "total": 115,
    }


def test_sample_breakdown_by_element(sample_store: Path) -> None:
    rows = [
        (r["item"], r["element"], r["achieved"], r["on_track"], r["delayed_or_not_achieved"], r["total"])
        for r in report(sample_store, 2025)["by_element"]
    ]
    assert rows == [
        (1, "a", 2, 0, 0, 2),
        (1, "b", 4, 0, 3, 7),
        (1, "c", 9, 5, 2, 16),
        (1, "d", 2, 0, 0, 2),
        (1, "e", 2, 0, 0, 2),
        (1, "f", 0, 2, 0, 2),
        (1, "g", 16, 28, 13, 57),
        (2, "a", 0, 1, 0, 1),
        (2, "b", 4, 6, 0, 10),
        (2, "c", 0, 1, 0, 1),
        (2, "d", 0, 7, 0, 7),
        (2, "e", 0, 3, 0, 3),
        (2, "f", 0, 4, 0, 4),
        (2, "g", 0, 1, 0, 1),
    ]


def test_sample_short_term_kpi_and_trend(sample_store: Path) -> None:
    rep = report(sample_store, 2025)
    s = rep["short_term"]
    assert (s["achieved"], s["completed"], s["delayed"], s["awaiting_final"], s["not_achieved"]) == (39, 56, 1, 26, 17)
    assert s["ratio"] == pytest.approx(39 / 56)
    assert s["met"] is False and s["target"] == 0.8 and s["verdict"] == "not_met"
    exact = figures(sample_store, 2025).outcome[kpis.SHORT_TERM.key]
    assert exact.ratio == Fraction(39, 56) and exact.target == Fraction(4, 5)
    assert [(y["fy"], y["achieved"], y["completed"]) for y in rep["trend"]] == [
        (2022, 1, 1),
        (2023, 11, 13),
        (2024, 25, 33),
        (2025, 39, 56),
    ]
    assert rep["exclusions"] == {"leading_research": 29, "not_yet_adopted": 0, "themes_loaded": 144}


def test_sample_budget_table(sample_store: Path) -> None:
    b = report(sample_store, 2025)["budget"]
    assert [(y["fy"], y["budget"], y["executed"]) for y in b["years"]] == [
        (2019, 1100, 0),
        (2020, 900, 151),
        (2021, 1100, 427),
        (2022, 4850, 739),
        (2023, 6773, 2319),
        (2024, 9902, 6569),
        (2025, 3134, 12662),
    ]
    assert [(y["cumulative_budget"], y["cumulative_executed"]) for y in b["years"]] == [
        (1100, 0),
        (2000, 151),
        (3100, 578),
        (7950, 1317),
        (14723, 3636),
        (24625, 10205),
        (27759, 22867),
    ]
    assert b["total"] == {"budget": 27759, "executed": 22867, "ratio": pytest.approx(22867 / 27759)}
    assert [y["fy"] for y in b["years"] if y["draws_on_earlier"]] == [2025]
    assert b["years"][-1]["ratio"] == pytest.approx(12662 / 3134)  # never clamped
    assert [y["fy"] for y in report(sample_store, 2022)["budget"]["years"]] == [2019, 2020, 2021, 2022]


def test_sample_long_term_without_followups_is_null_not_zero(sample_store: Path) -> None:
    lt = report(sample_store, 2025)["long_term"]
    assert lt["ratio"] is None and lt["matured_ratio"] is None and lt["met"] is None and lt["has_followups"] is False
    # the one matured theme (T1-002) has no survey: it awaits one, outside the matured denominator (not 0 of 1)
    assert (lt["adopted"], lt["matured"], lt["matured_pending"], lt["not_yet_measurable"]) == (115, 0, 1, 114)
    assert (lt["verdict"], lt["matured_verdict"]) == ("not_judged_yet", "not_measurable")


# ---- hand-made portfolios: one rule each ----


def test_short_term_boundary_years_and_exactly_80_percent(load) -> None:
    rows = [theme(f"A{i}", end_fy=2024) for i in range(4)] + [
        theme("N1", end_fy=2024, status="目標未達"),
        theme("L1", end_fy=2025),
    ]
    db = load({"programme.toml": PROGRAMME, "themes.csv": themes_csv(rows)})
    s = report(db, 2024)["short_term"]
    assert (s["achieved"], s["completed"], s["met"]) == (4, 5, True)  # 4/5 meets 80% exactly
    s = report(db, 2023)["short_term"]
    assert (s["achieved"], s["completed"], s["ratio"], s["met"], s["verdict"]) == (
        0,
        0,
        None,
        None,
        "not_measurable",
    )  # nothing ended yet
    s = report(db, 2025)["short_term"]
    assert (s["achieved"], s["completed"]) == (5, 6)


def test_just_below_80_percent_fails(load) -> None:
    rows = [theme(f"A{i}", end_fy=2024) for i in range(79)] + [
        theme(f"N{i}", end_fy=2024, status="目標未達") for i in range(21)
    ]
    db = load({"programme.toml": PROGRAMME, "themes.csv": themes_csv(rows)})
    assert report(db, 2024)["short_term"]["met"] is False


def test_delayed_and_awaiting_are_reported_not_counted(load) -> None:
    rows = [
        theme("A1", end_fy=2024),
        theme("D1", end_fy=2024, status="遅延"),
        theme("W1", end_fy=2024, status="計画通り"),
        theme("F1", end_fy=2026, status="計画通り"),
    ]
    db = load({"programme.toml": PROGRAMME, "themes.csv": themes_csv(rows)})
    rep = report(db, 2024)
    s = rep["short_term"]
    assert (s["achieved"], s["completed"], s["delayed"], s["awaiting_final"]) == (1, 1, 1, 1)
    assert [t["theme_id"] for t in rep["themes"]["delayed"]] == ["D1"]
    assert [t["theme_id"] for t in rep["themes"]["awaiting_final"]] == ["W1"]
    assert rep["status_summary"] == {
        "achieved": 1,
        "on_track": 2,
        "delayed_or_not_achieved": 1,
        "terminated": 0,
        "total": 4,
    }


def test_leading_research_is_excluded_everywhere(load) -> None:
    rows = [
        theme("A1", end_fy=2023),
        theme("L1", item=3, end_fy=2023, status="目標未達"),
        theme("L2", item=3, end_fy=2023),
    ]
    followups = "theme_id,survey_fy,stage\nL2,2025,上市\n"
    db = load({"programme.toml": PROGRAMME, "themes.csv": themes_csv(rows), "followups.csv": followups})
    rep = report(db, 2026)
    assert (rep["short_term"]["achieved"], rep["short_term"]["completed"]) == (1, 1)
    assert (rep["long_term"]["commercialised"], rep["long_term"]["adopted"]) == (0, 1)
    assert rep["status_summary"]["total"] == 1 and [r["item"] for r in rep["by_element"]] == [1]
    assert rep["exclusions"]["leading_research"] == 2


def test_a_theme_adopted_after_as_of_counts_nowhere(load) -> None:
    rows = [
        theme("A1", end_fy=2024, start_fy=2022),
        theme("Late", end_fy=2028, start_fy=2026, status="計画通り"),
        theme("NoStart", end_fy=2027, status="計画通り"),
    ]
    db = load({"programme.toml": PROGRAMME, "themes.csv": themes_csv(rows)})
    rep = report(db, 2025)
    assert rep["status_summary"]["total"] == 2  # a theme with no start_fy counts as adopted
    assert rep["long_term"]["adopted"] == 2
    assert rep["exclusions"]["not_yet_adopted"] == 1
    assert report(db, 2026)["status_summary"]["total"] == 3


def test_long_term_exactly_50_percent_matured_and_surveys_after_as_of_ignored(load) -> None:
    rows = [theme("M1", end_fy=2021), theme("M2", end_fy=2021), theme("Y1", end_fy=2023), theme("Y2", end_fy=2023)]
    followups = "theme_id,survey_fy,stage\nM1,2024,製品化\nM2,2024,開発\nY1,2025,上市\nY2,2024,上市\n"
    db = load({"programme.toml": PROGRAMME, "themes.csv": themes_csv(rows), "followups.csv": followups})
    lt = report(db, 2024)["long_term"]
    assert (lt["matured_commercialised"], lt["matured"], lt["matured_met"]) == (1, 2, True)  # 1 of 2 meets 50%
    # Y1's survey of FY2025 is ignored as of FY2024; the official ratio (2/4) is not judged before FY2030
    assert (lt["commercialised"], lt["adopted"], lt["met"], lt["verdict"]) == (2, 4, None, "not_judged_yet")
    assert lt["not_yet_measurable"] == 2
    lt = report(db, 2026)["long_term"]
    assert (lt["matured_commercialised"], lt["matured"], lt["commercialised"]) == (3, 4, 3)


def test_stopped_stages_are_not_practical_use(load) -> None:
    rows = [theme("M1", end_fy=2020)]
    db = load(
        {
            "programme.toml": PROGRAMME,
            "themes.csv": themes_csv(rows),
            "followups.csv": "theme_id,survey_fy,stage\nM1,2023,中止\nM1,2024,中断\n",
        }
    )
    lt = report(db, 2025)["long_term"]
    assert (lt["commercialised"], lt["ratio"]) == (0, 0.0)
    assert (lt["matured_commercialised"], lt["matured"], lt["matured_met"]) == (0, 1, False)


def test_settings_are_data_another_funds_rule(load) -> None:
    nedo = PROGRAMME.replace('long_term_target = "50%"', 'long_term_target = "25%"').replace(
        "followup_horizon_years = 3", "followup_horizon_years = 5"
    )
    rows = [theme("M1", end_fy=2020), theme("M2", end_fy=2020), theme("M3", end_fy=2020), theme("M4", end_fy=2022)]
    db = load(
        {
            "programme.toml": nedo,
            "themes.csv": themes_csv(rows),
            "followups.csv": "theme_id,survey_fy,stage\nM1,2025,上市\n",
        }
    )
    lt = report(db, 2025)["long_term"]
    # M2 and M3 are past their 5 years without a survey: they await one, outside the denominator
    assert (lt["matured_commercialised"], lt["matured"], lt["matured_met"], lt["target"]) == (1, 1, True, 0.25)
    assert lt["matured_pending"] == 2


def test_no_programme_settings_means_no_targets(load) -> None:
    db = load({"themes.csv": themes_csv([theme("A1")])})
    rep = report(db, 2025)
    assert rep["programme"] is None and rep["short_term"]["target"] is None and rep["short_term"]["met"] is None
    assert {k["name"]: k["verdict"] for k in rep["kpis"]} == {
        "short_term": "no_target",
        "long_term": "no_target",
        "long_term_matured": "no_target",
    }


def test_the_official_long_term_ratio_is_judged_only_from_its_year(load) -> None:
    rows = [theme("M1", end_fy=2022), theme("Y1", end_fy=2029, status="計画通り")]
    db = load(
        {
            "programme.toml": PROGRAMME,
            "themes.csv": themes_csv(rows),
            "followups.csv": "theme_id,survey_fy,stage\nM1,2025,上市\n",
        }
    )
    official = figures(db, 2029).outcome[kpis.LONG_TERM.key]
    assert (official.ratio, official.verdict, official.verdict.met) == (Fraction(1, 2), Verdict.NOT_JUDGED_YET, None)
    assert figures(db, 2030).outcome[kpis.LONG_TERM.key].verdict is Verdict.MET  # 1/2 meets 50% exactly


def test_theme_lists_are_capped_but_counted_in_full(load, kpi) -> None:
    rows = [theme(f"D{i:03d}", end_fy=2024, status="遅延") for i in range(150)]
    db = load({"programme.toml": PROGRAMME, "themes.csv": themes_csv(rows)})
    rep = report(db, 2025)
    assert (len(rep["themes"]["delayed"]), rep["theme_counts"]["delayed"]) == (100, 150)
    text = kpi("report", "--db", str(db), "--as-of", "2025").stdout
    assert "遅延しているテーマ（150）" in text and "… ほか50件" in text
    full = kpi("report", "--db", str(db), "--as-of", "2025", "--all", "-f", "json").stdout
    import json

    assert len(json.loads(full)["themes"]["delayed"]) == 150
