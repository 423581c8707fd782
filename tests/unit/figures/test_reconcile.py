"""kpi reconcile on the sample data: what agrees with the published report, and how the rest differs."""

from __future__ import annotations

import json
from pathlib import Path


def test_reconcile_verdict_on_the_sample_data(kpi_en, sample_store: Path) -> None:
    result = kpi_en("reconcile", "--db", str(sample_store), "-f", "json")
    assert result.returncode == 1  # not everything agrees
    figures = {(f["figure"], f["as_of_fy"]): f for f in json.loads(result.stdout)["figures"]}
    differing = sorted(k[0] for k, f in figures.items() if not f["agree"])
    assert differing == [
        "by_element.1.g.achieved",
        "by_element.1.g.delayed_or_not_achieved",
        "national_expenditure",
        "short_term.ratio",
        "status_summary.achieved",
        "status_summary.delayed_or_not_achieved",
    ]
    assert figures[("status_summary.total", 2025)]["agree"] and figures[("status_summary.on_track", 2025)]["agree"]
    g = figures[("by_element.1.g.achieved", 2025)]
    assert (g["published"], g["computed"]) == ("22", "16")
    assert "T1-037" in g["note"] and "not_achieved 13" in g["note"]
    s = figures[("status_summary.achieved", 2025)]
    assert "item 1 element g: published 22, list 16" in s["note"]
    ratio = figures[("short_term.ratio", 2025)]
    assert (ratio["published"], ratio["computed"]) == ("80%", "70%") and "39/56" in ratio["note"]
    assert ratio["computed_exact"] == 39 / 56  # the exact figure, a number, for scripts
    assert "achieved 14, not_achieved 9, on_track 26, delayed 1" in ratio["note"]
    assert (
        figures[("budget.total.budget", 2025)]["computed"] == "27,759"
        and figures[("budget.total.budget", 2025)]["agree"]
    )
    assert figures[("budget.total.executed", 2025)]["agree"]
    assert figures[("national_expenditure", 2025)]["computed"] == "27,759"
    for key in ("papers", "presentations", "patents_domestic", "patents_foreign", "patents_pct"):
        assert figures[(f"outputs.total.{key}", 2025)]["agree"]
    assert all(f["agree"] for k, f in figures.items() if k[0].startswith("evaluation.score:"))
    assert figures[("grants.granted_foreign", 2026)]["agree"]


def test_reconcile_table(kpi, kpi_en, sample_store: Path) -> None:
    result = kpi_en("reconcile", "--db", str(sample_store))
    assert result.returncode == 1
    assert "51 of 57 figures agree." in result.stdout
    assert "- by element 1g: achieved (FY2025): published 22, computed 16" in result.stdout
    ja = kpi("reconcile", "--db", str(sample_store))
    assert ja.returncode == 1 and "57件中51件が一致。" in ja.stdout
    assert "- 基盤要素別 ①g: 目標達成（2025年度）: 公表 22、計算 16" in ja.stdout
    assert "テーマ一覧では研究開発項目1・基盤要素g: 目標達成 16、計画通り 28、遅延 0、目標未達 13" in ja.stdout


def test_reconcile_without_published_figures_is_no_data(kpi, tmp_path: Path) -> None:
    from kit import SAMPLE_THEMES

    db = tmp_path / "k.duckdb"
    assert kpi("load", "--db", str(db), str(SAMPLE_THEMES)).returncode == 0
    result = kpi("reconcile", "--db", str(db))
    assert (
        result.returncode == 3
        and "公表値が未登録です" in result.stderr
        and "sample_data/published.csv" in result.stderr
    )


def test_reconcile_names_each_figure_in_the_reports_words(kpi, kpi_en, sample_store) -> None:
    ja = kpi("reconcile", "--db", str(sample_store)).stdout
    for label in ("研究開発の状況: 目標達成", "基盤要素別 ①g: 遅延・未達", "短期目標の達成状況", "予算額 総額（執行）"):
        assert label in ja
    assert "status_summary." not in ja and "by_element." not in ja
    en = kpi_en("reconcile", "--db", str(sample_store)).stdout
    assert "status of themes: achieved" in en and "by element 1g: delayed or not achieved" in en
    assert "status_summary." not in en
