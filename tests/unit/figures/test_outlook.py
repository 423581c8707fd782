"""The outlook: what the short-term ratio can still end at once its pending themes are judged, and how many more
themes must reach practical use for the long-term target — exact at every boundary."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from kit import SAMPLE, theme, themes_csv, write

from kpi.figures.outlook import Reach, at_least, pending_outlook, to_reach

EIGHTY, HALF = Fraction(4, 5), Fraction(1, 2)
PROGRAMME = (SAMPLE / "programme.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("achieved", "completed", "pending", "reach", "needed"),
    [
        (8, 10, 5, Reach.OPEN, 4),  # 12 of 15 make exactly 80%: 4 more of the 5 pending
        (8, 10, 3, Reach.OPEN, 3),  # 11 of 13 = 84.6% only if all 3 do; 10 of 13 = 76.9%
        (12, 13, 2, Reach.SECURED, 0),  # 12 of 15 = 80% even if both miss: reaching it exactly counts
        (11, 13, 2, Reach.OPEN, 1),
        (39, 56, 27, Reach.OUT_OF_REACH, None),  # the sample: 66 of 83 = 79.5% at best
        (4, 5, 0, Reach.SECURED, 0),  # nothing pending: 80% exactly, settled
        (3, 5, 0, Reach.OUT_OF_REACH, None),
        (0, 0, 5, Reach.OPEN, 4),  # nothing judged yet: 4 of the 5 must meet their goals
    ],
)
def test_pending_outlook(achieved: int, completed: int, pending: int, reach: Reach, needed: int | None) -> None:
    o = pending_outlook(achieved, completed, pending, EIGHTY)
    assert o is not None and (o.reach, o.needed) == (reach, needed)
    assert o.best == Fraction(achieved + pending, completed + pending)
    assert o.worst == Fraction(achieved, completed + pending)
    if needed is not None:  # the fewest: one fewer misses the target
        assert Fraction(achieved + needed, completed + pending) >= EIGHTY
        assert needed == 0 or Fraction(achieved + needed - 1, completed + pending) < EIGHTY


def test_no_outlook_without_themes_and_no_reach_without_a_target() -> None:
    assert pending_outlook(0, 0, 0, EIGHTY) is None
    o = pending_outlook(3, 4, 2, None)
    assert o is not None and (o.reach, o.needed, o.best, o.worst) == (None, None, Fraction(5, 6), Fraction(1, 2))


@pytest.mark.parametrize(
    ("commercialised", "adopted", "needed"),
    [
        (6, 115, 52),  # the sample with the illustrative surveys: 58 of 115 make 50%
        (58, 115, 0),  # at the boundary: 58 / 115 ≥ 50%
        (57, 115, 1),
        (5, 10, 0),  # exactly 50%
        (None, 115, None),  # no survey loaded yet: not measured, so nothing is "still needed" (58 are required)
        (70, 115, 0),  # already past the target: never negative
    ],
)
def test_long_term_needed(commercialised: int | None, adopted: int, needed: int | None) -> None:
    o = to_reach(commercialised, adopted, HALF, 2025, 2030, 109)
    assert o is not None and (o.needed, o.years_left, o.surveys_due) == (needed, 5, 109)
    assert o.required == at_least(HALF, adopted) and not o.judged
    assert at_least(HALF, adopted) == 58 or adopted != 115


def test_long_term_outlook_edges() -> None:
    assert to_reach(0, 0, HALF, 2025, 2030, 0) is None  # nothing adopted: nothing to reach
    assert to_reach(1, 4, None, 2025, None, 2) == to_reach(1, 4, None, 2025, None, 2)
    o = to_reach(1, 4, HALF, 2031, 2030, 0)
    assert o is not None and o.years_left == 0 and o.judged  # past the judging year: judged, none left
    o = to_reach(1, 4, HALF, 2030, 2030, 0)
    assert o is not None and o.judged  # the judging year itself: judged


# ---- end to end: the sample, and small programmes through the real command


def outlook(kpi, db: Path, as_of: int) -> tuple[dict, dict]:
    data = json.loads(kpi("report", "--db", str(db), "--as-of", str(as_of), "-f", "json").stdout)
    return data["short_term"]["outlook"], data["long_term"]["outlook"]


def test_the_sample_as_of_fy2025_is_out_of_reach(kpi, sample_store: Path, tmp_path: Path) -> None:
    short, long_ = outlook(kpi, sample_store, 2025)
    assert short == {
        "pending": 27,
        "best": {"achieved": 66, "completed": 83, "ratio": 66 / 83},
        "worst": {"achieved": 39, "completed": 83, "ratio": 39 / 83},
        "needed": None,
        "verdict": "out_of_reach",
    }
    # no survey loaded: the count is not measured; 58 of 115 are required
    assert long_ == {"needed": None, "required": 58, "years_left": 5, "judged": False, "surveys_due": 115}
    line = "短期: 最終評価待ち・遅延27件が全て目標達成でも 79.5%（目標80%に届かない）"
    assert line in kpi("report", "--db", str(sample_store), "--as-of", "2025").stdout
    assert line in kpi("check", "--db", str(sample_store), "--as-of", "2025").stdout
    page = tmp_path / "report.html"
    assert kpi("report", "--db", str(sample_store), "--as-of", "2025", "-f", "html", "--out", str(page)).returncode == 0
    assert (
        'data-outlook="out_of_reach">最終評価待ち・遅延27件が全て目標達成でも 79.5%（目標80%に届かない）'
        in page.read_text(encoding="utf-8")
    )
    english = kpi("report", "--db", str(sample_store), "--as-of", "2025", "--lang", "en").stdout
    assert (
        "even if all 27 themes awaiting their result or delayed meet their goals, 79.5% (below the 80% target)"
        in english
    )


def test_the_sample_with_the_illustrative_surveys_needs_52_more(kpi, sample_store: Path) -> None:
    assert kpi("load", "--db", str(sample_store), str(SAMPLE / "illustrative")).returncode == 0
    _, long_ = outlook(kpi, sample_store, 2025)
    assert long_["needed"] == 52 and long_["years_left"] == 5


@pytest.mark.parametrize(
    ("rows", "verdict", "needed", "words"),
    [
        (  # 8 of 9 achieved and one awaiting: even if it misses, 8 of 10 is 80%
            [theme(f"A{i}", end_fy=2024) for i in range(8)]
            + [theme("N1", end_fy=2024, status="目標未達"), theme("W1", end_fy=2024, status="計画通り")],
            "secured",
            0,
            "最終評価待ち・遅延1件が全て目標未達でも 80.0%（目標80%以上を確保）",
        ),
        (
            [theme(f"A{i}", end_fy=2024) for i in range(3)]
            + [theme("N1", end_fy=2024, status="目標未達")]
            + [theme(f"W{i}", end_fy=2024, status="計画通り") for i in range(5)]
            + [theme("D1", end_fy=2024, status="遅延")],
            "open",
            5,
            "目標80%には、最終評価待ち・遅延6件のうち5件以上の目標達成が必要（全件達成なら 90.0%、全件未達なら 30.0%）",
        ),
        (
            [
                theme("A1", end_fy=2024),
                theme("N1", end_fy=2024, status="目標未達"),
                theme("W1", end_fy=2024, status="計画通り"),
            ],
            "out_of_reach",
            None,
            "最終評価待ち・遅延1件が全て目標達成でも 66.7%（目標80%に届かない）",
        ),
    ],
    ids=["secured", "open", "out_of_reach"],
)
def test_small_programmes(
    kpi, db: Path, tmp_path: Path, rows: list[str], verdict: str, needed: int | None, words: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "programme.toml", PROGRAMME)
    write(folder / "themes_2025-03-31.csv", themes_csv(rows))
    assert kpi("load", "--db", str(db), str(folder)).returncode == 0
    short, _ = outlook(kpi, db, 2024)
    assert (short["verdict"], short["needed"]) == (verdict, needed)
    assert words in kpi("report", "--db", str(db), "--as-of", "2024").stdout
    result = kpi("check", "--db", str(db), "--as-of", "2024", "-f", "json")
    assert json.loads(result.stdout)["kpis"][0]["outlook"]["verdict"] == verdict
    # the exit code stays the verdict's: an open or out-of-reach outlook alone never fails a met KPI
    assert result.returncode == (0 if json.loads(result.stdout)["kpis"][0]["verdict"] == "met" else 1)


def test_no_pending_theme_says_the_figure_is_settled(kpi, db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "programme.toml", PROGRAMME)
    write(
        folder / "themes_2025-03-31.csv",
        themes_csv([theme("A1", end_fy=2024), theme("N1", end_fy=2024, status="目標未達")]),
    )
    assert kpi("load", "--db", str(db), str(folder)).returncode == 0
    short, _ = outlook(kpi, db, 2024)
    assert (short["pending"], short["verdict"], short["needed"]) == (0, "out_of_reach", None)
    assert "短期: 結果待ちのテーマはなし（50.0%）" in kpi("report", "--db", str(db), "--as-of", "2024").stdout


def test_the_outlook_in_changes_and_in_the_export(kpi, db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "programme.toml", PROGRAMME)
    base = [theme(f"A{i}", end_fy=2024) for i in range(3)] + [theme("N1", end_fy=2024, status="目標未達")]
    pending = [theme(f"W{i}", end_fy=2024, status="計画通り") for i in range(6)]
    write(folder / "themes_2025-03-30.csv", themes_csv([*base, *pending]))
    write(
        folder / "themes_2025-03-31.csv",
        themes_csv(
            [
                *base,
                theme("N2", end_fy=2024, status="目標未達"),
                *pending[:2],
                *(theme(f"W{i}", end_fy=2024, status="採択取消") for i in range(2, 6)),  # removed, explicitly
            ]
        ),
    )
    assert kpi("load", "--db", str(db), str(folder)).returncode == 0
    text = kpi("changes", "--db", str(db)).stdout
    assert "見通し（短期: 目標達成 / 研究開発完了）: 未確定（あと5件） → 達成不能" in text
    out = tmp_path / "out"
    assert kpi("export", "--db", str(db), "--as-of", "2024", "--out", str(out)).returncode == 0
    first = (out / "outcome_kpis.csv").read_text(encoding="utf-8-sig").splitlines()
    assert first[0].endswith(",見通し,全件達成なら（%）,全件未達なら（%）,必要件数")
    assert first[1].endswith(",71.4286,42.8571,")  # 5 of 7 at best, 3 of 7 at worst: out of reach


def test_after_the_judging_year_the_outlook_speaks_of_the_judged_figure(kpi, kpi_en, sample_store: Path) -> None:
    assert kpi("load", "--db", str(sample_store), str(SAMPLE / "illustrative")).returncode == 0
    ja = kpi("report", "--db", str(sample_store), "--as-of", "2031").stdout
    assert "まであと0年" not in ja
    assert "長期: 2030年度からの判定: 実用化7件 / 採択115件で、目標50%にはあと51件足りない" in ja
    en = kpi_en("report", "--db", str(sample_store), "--as-of", "2031").stdout
    assert "long-term: judged from FY2030: 7 of 115 adopted themes in practical use, 51 short of the 50% target" in en
    assert "0 years to the judging year" not in en


def test_without_surveys_the_outlook_says_the_count_is_not_measured(kpi, kpi_en, sample_store: Path) -> None:
    ja = kpi("report", "--db", str(sample_store), "--as-of", "2025").stdout
    assert "実用化0件" not in ja
    assert "長期: 実用化の件数は未測定（追跡調査データなし）。目標50%には採択115件のうち58件の実用化が必要。" in ja
    judged = kpi("report", "--db", str(sample_store), "--as-of", "2030").stdout
    assert "長期: 判定年度（2030年度）ですが、実用化の件数は未測定です（追跡調査データなし）。" in judged
    en = kpi_en("report", "--db", str(sample_store), "--as-of", "2025").stdout
    assert "long-term: the themes in practical use are not measured yet (no follow-up surveys)" in en
    _, long_ = outlook(kpi, sample_store, 2025)
    assert (long_["needed"], long_["required"], long_["judged"]) == (None, 58, False)
