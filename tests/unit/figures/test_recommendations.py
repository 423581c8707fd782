"""The recommendations tracker: open ones first, a round's own, counted by status for the report."""

from __future__ import annotations

from pathlib import Path

from kit import SAMPLE, theme, themes_csv

from kpi.db.connect import open_for_read
from kpi.figures.recommendations import StatusCount, counts, recommendations

PROGRAMME = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
TEXT = (
    "評価回,区分,番号,指摘事項,状況\n"
    "中間2022,A,①,一,対応済\n中間2022,A,②,二,対応中\n中間2026,B,①,三,未着手\n中間2026,B,②,四,対応中\n"
)


def test_open_recommendations_come_first_then_the_latest_round_in_the_file_order(load) -> None:
    db = load({"programme.toml": PROGRAMME, "themes.csv": themes_csv([theme("T1")]), "recommendations.csv": TEXT})
    with open_for_read(db, wait=5) as con:
        found = [(r.round, r.number, r.status) for r in recommendations(con)]
        only_2022 = [r.recommendation for r in recommendations(con, "interim-2022")]
        by_status = counts(con)
    assert found == [
        ("interim-2026", "①", "not_started"),
        ("interim-2026", "②", "in_progress"),
        ("interim-2022", "②", "in_progress"),
        ("interim-2022", "①", "done"),
    ]
    assert only_2022 == ["二", "一"]  # 対応中 before 対応済
    assert by_status == (StatusCount("not_started", 1), StatusCount("in_progress", 2), StatusCount("done", 1))


def test_the_sample_holds_the_seeds_2022_recommendations_with_their_status(sample_store: Path) -> None:
    with open_for_read(sample_store, wait=5) as con:
        found = {(r.section, r.number): r.status for r in recommendations(con)}
        assert counts(con) == (StatusCount("not_started", 0), StatusCount("in_progress", 3), StatusCount("done", 7))
    assert len(found) == 10
    assert {n for s, n in found if s == "【先端半導体製造技術の開発関連】"} == {"①", "②", "③", "④", "⑤"}
    in_progress = {k for k, v in found.items() if v == "in_progress"}
    assert in_progress == {
        ("【複数課題プログラム】", "②"),
        ("【複数課題プログラム】", "③"),
        ("【ポスト5G情報通信システムの開発関連】", "②"),
    }
