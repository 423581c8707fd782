"""Stage-gate decisions: exact boundaries, the latest review, the programme's criteria, weights and thresholds, the
committee's decision, `kpi stagegate` and `kpi stagegate due`."""

from __future__ import annotations

import csv
import json
from fractions import Fraction
from pathlib import Path

import pytest
from kit import SAMPLE, theme, themes_csv, write

from kpi.db.connect import open_for_read
from kpi.figures.report import report as build
from kpi.figures.stagegate import DEFAULT_RULE, Rule, Score, decision, gate_year, review_score
from kpi.present.json_out import report_json

PROGRAMME = (SAMPLE / "programme.toml").read_text(encoding="utf-8")


def report(db: Path, as_of: int = 2025) -> dict:
    """The report as its JSON contract."""
    with open_for_read(db, wait=5) as con:
        return report_json(build(con, as_of))


@pytest.mark.parametrize(
    ("scores", "decision"),
    [
        (["60", "60", "60"], "continue"),
        (["70", "50"], "continue"),  # mean exactly 60
        (["59.99", "60"], "consider"),
        (["40", "40"], "consider"),  # exactly 40
        (["39.9"], "terminate"),
        (["45", "34.8"], "terminate"),  # mean 39.9
        (["100", "0", "20"], "consider"),  # mean exactly 40, from thirds
        (["100", "0", "19.99"], "terminate"),
    ],
)
def test_stage_gate_boundaries_are_exact(scores: list[str], decision: str, load) -> None:
    rows = "".join(f"T1,2024,委員{i},{s}\n" for i, s in enumerate(scores))
    db = load(
        {
            "themes.csv": themes_csv([theme("T1"), theme("T2")]),
            "stagegate.csv": "theme_id,review_fy,reviewer,score\n" + rows,
        }
    )
    sg = report(db)["stage_gate"]
    assert [r["decision"] for r in sg["reviewed"]] == [decision]
    assert sg["reviewed"][0]["mean"] == pytest.approx(float(sum(map(Fraction, scores)) / len(scores)))
    assert [r["theme_id"] for r in sg["not_reviewed"]] == ["T2"]


def test_stage_gate_uses_the_latest_review_up_to_as_of(load) -> None:
    text = "テーマID,審査年度,審査委員,点数\nT1,2023,甲,30\nT1,2025,甲,80\nT1,2025,乙,70\n"
    db = load({"themes.csv": themes_csv([theme("T1")]), "stagegate.csv": text})
    assert [(r["review_fy"], r["decision"]) for r in report(db, 2024)["stage_gate"]["reviewed"]] == [
        (2023, "terminate")
    ]
    assert [(r["review_fy"], r["mean"], r["decision"]) for r in report(db, 2025)["stage_gate"]["reviewed"]] == [
        (2025, 75.0, "continue")
    ]


def test_kpi_stagegate_command(kpi, tmp_path: Path, db: Path) -> None:
    write(tmp_path / "themes.csv", themes_csv([theme("T1"), theme("T2")]))
    write(tmp_path / "stagegate.csv", "theme_id,review_fy,reviewer,score\nT1,2024,a,40\nT1,2024,b,40\n")
    assert kpi("load", "--db", str(db), str(tmp_path)).returncode == 0
    out = kpi("stagegate", "--db", str(db), "--as-of", "2025").stdout
    assert "T1" in out and "40.00" in out and "特記事項を踏まえて継続可否を検討" in out and "審査記録なし" in out
    data = json.loads(kpi("stagegate", "--db", str(db), "--as-of", "2025", "-f", "json").stdout)
    assert data["reviewed"][0]["decision"] == "consider" and data["not_reviewed"][0]["theme_id"] == "T2"


def scores(*rows: tuple[str, str, str]) -> list[Score]:
    return [Score(reviewer, criterion, Fraction(score)) for reviewer, criterion, score in rows]


def test_the_defaults_give_todays_decisions_on_the_illustrative_reviews() -> None:
    """The sample's illustrative scores (one total per reviewer) under the defaults: the means and decisions of the
    constants 60/40 kpi had before the rule was in the settings."""
    with (SAMPLE / "illustrative" / "stagegate_illustrative.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    themes = sorted({r["theme_id"] for r in rows})
    scored = [
        review_score(Score(r["reviewer"], "", Fraction(r["score"])) for r in rows if r["theme_id"] == t) for t in themes
    ]
    assert [(s.mean, s.reviewers, decision(s.mean)) for s in scored] == [
        (Fraction(60), 2, "continue"),
        (Fraction(48), 2, "consider"),
        (Fraction(39), 2, "terminate"),
    ]
    assert (DEFAULT_RULE.continue_from, DEFAULT_RULE.consider_from) == (60, 40)


TECH, BIZ = "技術的評価", "事業化評価"
REVIEW = scores(("甲", TECH, "70"), ("乙", TECH, "50"), ("甲", BIZ, "40"), ("乙", BIZ, "30"))  # means 60 and 35


@pytest.mark.parametrize(
    ("rule", "mean", "expected"),
    [
        (DEFAULT_RULE, Fraction(95, 2), "consider"),  # (60 + 35) / 2
        (Rule(((TECH, Fraction(70)), (BIZ, Fraction(30))), Fraction(60), Fraction(40)), Fraction(105, 2), "consider"),
        (Rule(((TECH, Fraction(70)), (BIZ, Fraction(30))), Fraction(50), Fraction(30)), Fraction(105, 2), "continue"),
        (Rule(((TECH, Fraction(1)), (BIZ, Fraction(3))), Fraction(60), Fraction(45)), Fraction(165, 4), "terminate"),
        (Rule(((TECH, Fraction(1)), (BIZ, Fraction(3))), Fraction(60), Fraction(165, 4)), Fraction(165, 4), "consider"),
    ],
)
def test_a_review_by_criterion_is_the_weighted_mean_of_each_criterions_mean(
    rule: Rule, mean: Fraction, expected: str
) -> None:
    """Σ weight × (the criterion's mean over reviewers) / Σ weight, exactly: 70·60 + 30·35 = 5250 → 52.5;
    1·60 + 3·35 = 165 → 41.25."""
    scored = review_score(REVIEW, rule)
    assert (scored.mean, scored.reviewers, decision(scored.mean, rule)) == (mean, 2, expected)
    assert scored.criteria == ((TECH, Fraction(60)), (BIZ, Fraction(35)))


def test_a_criterion_the_settings_no_longer_name_weighs_nothing() -> None:
    rule = Rule(((TECH, Fraction(1)),), Fraction(60), Fraction(40))
    assert review_score(REVIEW, rule).mean == 60
    assert review_score(REVIEW, Rule((("other", Fraction(1)),), Fraction(60), Fraction(40))).mean == Fraction(95, 2)


def test_the_stage_gate_falls_at_the_midpoint_of_the_term() -> None:
    assert [gate_year(2023, 2025), gate_year(2023, 2024), gate_year(2024, 2024), gate_year(2021, 2026)] == [
        2024,
        2023,
        2024,
        2023,
    ]


BY_CRITERION = "テーマID,審査年度,審査委員,審査項目,点数,決定,決定日\n"


def test_a_programme_with_other_weights_and_thresholds_decides_by_its_settings(load, kpi, kpi_en) -> None:
    """Criteria of its own (技術 70, 事業 30) and thresholds 50/30: T1 52.5 continues (the defaults would consider
    47.5); T2, loaded later against the stored settings, 0.7·20 + 0.3·50 = 29 terminates. The committee's decision
    is stored beside the rule's, flagged when the list still runs the theme it stopped."""
    programme = PROGRAMME + '\nstagegate_criteria = {"技術" = 70, "事業" = 30}\n'
    programme += "stagegate_continue = 50\nstagegate_consider = 30\n"
    named = {TECH: "技術", BIZ: "事業"}
    text = BY_CRITERION + "".join(
        f"T1,2024,{r.reviewer},{named[r.criterion]},{r.score},中止,2025-03-10\n" for r in REVIEW
    )
    themes = [theme("T1", end_fy=2026, status="計画通り"), theme("T2", end_fy=2026, status="中止")]
    db = load({"programme.toml": programme, "themes.csv": themes_csv(themes), "stagegate.csv": text})
    load({"stagegate.csv": BY_CRITERION + "T2,2024,甲,技術,20,,\nT2,2024,甲,事業,50,,\n"}, db)
    reviewed = report(db)["stage_gate"]["reviewed"]
    assert [(r["theme_id"], r["mean"], r["decision"], r["committee"], r["decided_on"]) for r in reviewed] == [
        ("T1", 52.5, "continue", "stop", "2025-03-10"),
        ("T2", 29.0, "terminate", None, None),
    ]
    assert reviewed[0]["criteria"] == {"技術": 60.0, "事業": 35.0}
    assert [r["committee_conflicts_status"] for r in reviewed] == [True, False]
    shown = kpi("stagegate", "--db", str(db), "--as-of", "2025").stdout
    assert "委員会の決定" in shown and "中止（一覧の状況は「計画通り」のまま）" in shown and "2025-03-10" in shown
    assert "stop (the list still says on track)" in kpi_en("stagegate", "--db", str(db), "--as-of", "2025").stdout


def test_a_review_by_criterion_is_checked_against_the_settings(load) -> None:
    """Every fault of one file, each review (a theme) breaking one rule: a criterion the settings do not name is
    refused by name; one left unscored, criteria mixed with totals, two decisions or dates, an unknown decision, a
    reviewer scoring a criterion twice."""
    from kpi.errors import InputRejected

    rows = [
        ("T1,2024,甲,技術評価,50,,", "rule.stagegate_criterion", "技術評価"),
        ("T1,2024,甲,事業化評価,50,,", None, None),
        ("T2,2024,甲,技術的評価,50,,", "rule.stagegate_criterion_missing", None),
        ("T3,2024,甲,技術的評価,50,,", "rule.stagegate_mixed", "技術的評価"),
        ("T3,2024,乙,,50,,", None, None),
        ("T4,2024,甲,技術的評価,50,継続,2025-03-01", "rule.stagegate_one_decision", "継続"),
        ("T4,2024,甲,事業化評価,50,中止,2025-03-02", "rule.stagegate_one_date", "2025-03-01"),
        ("T5,2024,甲,技術的評価,50,やめる,", "rule.stagegate_decision", "やめる"),
        ("T5,2024,甲,事業化評価,50,,", None, None),
        ("T6,2024,甲,技術的評価,50,,", "rule.one_score_per_criterion", "技術的評価"),
        ("T6,2024,甲,技術的評価,60,,", None, None),
        ("T6,2024,甲,事業化評価,50,,", None, None),
    ]
    themes = themes_csv([theme(f"T{n}") for n in range(1, 7)])
    with pytest.raises(InputRejected) as caught:
        load({"themes.csv": themes, "stagegate.csv": BY_CRITERION + "".join(r + "\n" for r, _, _ in rows)})
    found = {(f.rule, f.value) for f in caught.value.failures}
    assert {(rule, value) for _, rule, value in rows if rule} <= found


def test_kpi_stagegate_due_lists_the_midpoints_the_overdue_and_the_terms_unknown(kpi, tmp_path: Path, db: Path) -> None:
    """As of 2024: T1 (2023–2025) and T3 (2022–2026, reviewed in 2024) are due; T6 (2020–2026, gate 2023, no review,
    under way) is overdue; T5 (2021–2023) has ended, T2 (2024–2026) is due in 2025; T4 has no start year."""
    themes = [
        theme("T1", start_fy=2023, end_fy=2025, status="計画通り"),
        theme("T2", start_fy=2024, end_fy=2026, status="計画通り"),
        theme("T3", start_fy=2022, end_fy=2026, status="計画通り"),
        theme("T4", end_fy=2026, status="計画通り"),
        theme("T5", start_fy=2021, end_fy=2023),
        theme("T6", start_fy=2020, end_fy=2026, status="計画通り"),
    ]
    write(tmp_path / "themes.csv", themes_csv(themes))
    write(tmp_path / "stagegate.csv", "theme_id,review_fy,reviewer,score\nT3,2024,a,70\nT6,2019,a,70\n")
    assert kpi("load", "--db", str(db), str(tmp_path)).returncode == 0
    data = json.loads(kpi("stagegate", "due", "--db", str(db), "--as-of", "2024", "-f", "json").stdout)
    assert [(r["theme_id"], r["gate_fy"], r["reviewed_fy"], r["overdue"]) for r in data["due"]] == [
        ("T6", 2023, None, True),
        ("T1", 2024, None, False),
        ("T3", 2024, 2024, False),
    ]
    assert [r["theme_id"] for r in data["term_unknown"]] == ["T4"] and data["term_unknown_count"] == 1
    shown = kpi("stagegate", "due", "--db", str(db), "--as-of", "2024").stdout
    assert shown.startswith("2024年度にステージゲート（実施期間の中間年度）を迎えるテーマ: 2件、期限超過: 1件\n")
    assert "実施期間不明 1件" in shown and "kpi stagegate due --all" in shown
    assert "実施期間不明（開始年度なし）" in kpi("stagegate", "due", "--db", str(db), "--as-of", "2024", "--all").stdout
    assert "T2" in kpi("stagegate", "due", "--db", str(db), "--as-of", "2025", "-f", "csv").stdout


def test_a_theme_a_newer_list_carries_is_due_its_stage_gate_as_any_other(load) -> None:
    """`kpi stagegate due` reads the themes the list in force holds, carried ones included (as every figure does): a
    theme missing from the newer list keeps its term, and its gate falls where it did."""
    from kpi.figures.stagegate import due

    settings = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
    first = themes_csv(
        [
            theme("T1", start_fy=2024, end_fy=2026, status="計画通り"),
            theme("T2", start_fy=2024, end_fy=2028, status="計画通り"),
        ]
    )
    db = load({"programme.toml": settings, "themes_2025-03-31.csv": first})
    load({"themes_2026-03-31.csv": themes_csv([theme("T2", start_fy=2024, end_fy=2028, status="計画通り")])}, db)
    with open_for_read(db, wait=5) as con:
        gates = due(con, 2025)
    assert [(d.theme_id, d.gate_fy) for d in gates.due] == [("T1", 2025)]  # T1 carried from 2025-03-31
