"""Two programmes the tests build, each as an office's loads over the years: several dated lists (later ones dropping
themes, which stay carried, changing statuses and end years), themes ended early (中止, ステージゲートで中止), an
adoption cancelled (採択取消), leading research, a theme adopted later, and follow-up surveys made for some themes
only, one of them set aside when a later list moves its theme's end year past it.

Programme A counts terminated themes as failed (the default), horizon 3, in English headers with dates in the
canonical form; programme B leaves them out (terminated_themes = "excluded"), horizon 2, judged from FY2026, in the
report's own Japanese headers and combined status cells (「令和4年度終了 目標達成」), its lists dated in the forms an
office writes in file names.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kit import SAMPLE, THEMES_HEADER, theme, write

PROGRAMME = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
SURVEYS_HEADER = "theme_id,survey_fy,stage"
JA_THEMES_HEADER = "テーマID,研究開発項目,契約形態,基盤要素,機関名,開発テーマ名,開始年度,結果/状況"
JA_SURVEYS_HEADER = "テーマID,調査年度,段階"

Loads = list[list[Path]]  # the files of each `kpi load`, in the order an office runs them


def settings(horizon: int, judged_from: int, terminated_themes: str) -> str:
    """The sample's programme.toml with another horizon, judging year and rule for terminated themes."""
    kept = [
        line
        for line in PROGRAMME.splitlines()
        if not line.startswith(("followup_horizon_years", "long_term_judged_from_fy", "terminated_themes"))
    ]
    return "\n".join(
        [
            *kept,
            f"followup_horizon_years = {horizon}",
            f"long_term_judged_from_fy = {judged_from}",
            f'terminated_themes = "{terminated_themes}"',
        ]
    )


def lines(header: str, rows: list[str]) -> str:
    return header + "\n" + "".join(row + "\n" for row in rows)


# ---- programme A ----

A_2022 = [  # as known at the end of FY2021
    theme("A01", end_fy=2020),
    theme("A02", end_fy=2021, status="目標未達"),
    theme("A03", end_fy=2021),
    theme("A04", item=2, end_fy=2022, status="計画通り"),
    theme("A05", item=2, end_fy=2023, status="計画通り"),
    theme("A06", end_fy=2022, status="遅延"),
    theme("A07", item=3, end_fy=2021),  # leading research: in no KPI
    theme("A08", start_fy=2023, end_fy=2025, status="計画通り"),  # adopted from FY2023
    theme("A09", end_fy=2024, status="計画通り"),
    theme("A10", end_fy=2021),
]
A_2023 = [  # A04 achieved, A06 missed, A09 stopped at a stage gate; A10 left out of the list (carried)
    *(r for r in A_2022 if not r.startswith(("A04,", "A06,", "A09,", "A10,"))),
    theme("A04", item=2, end_fy=2022),
    theme("A06", end_fy=2022, status="目標未達"),
    theme("A09", end_fy=2022, status="ステージゲートで中止"),
]
A_2024 = [  # A05's end moved to FY2024 and delayed; A02's adoption cancelled; A03 left out; A11 adopted
    *(r for r in A_2023 if not r.startswith(("A02,", "A03,", "A05,"))),
    theme("A02", end_fy=2021, status="採択取消"),
    theme("A05", item=2, end_fy=2024, status="遅延"),
    theme("A11", end_fy=2025, status="計画通り"),
]
A_2026 = [  # A05 achieved; A08 ended early; A01's end corrected to FY2022 (its FY2021 survey is set aside)
    *(r for r in A_2024 if not r.startswith(("A01,", "A05,", "A08,"))),
    theme("A01", end_fy=2022),
    theme("A05", item=2, end_fy=2024),
    theme("A08", start_fy=2023, end_fy=2025, status="中止"),
]


def programme_a(folder: Path) -> Loads:
    """Programme A's loads: settings and its first list with a survey, three more lists, then a survey round."""
    folder.mkdir(parents=True, exist_ok=True)
    first = [
        write(folder / "programme.toml", settings(3, 2030, "failed")),
        write(folder / "themes_2022-03-31.csv", lines(THEMES_HEADER, A_2022)),
        write(folder / "followups_2022.csv", lines(SURVEYS_HEADER, ["A01,2021,開発"])),
    ]
    surveys = [
        "A01,2025,上市",  # A01 commercialised
        "A03,2024,研究",  # carried A03 surveyed at its horizon (FY2021 + 3): not commercialised
        "A10,2022,製品化",  # carried A10 commercialised
        "A04,2025,開発",  # A04 at its horizon: not commercialised
        "A06,2023,開発",  # A06 before its horizon: awaiting its measuring survey
    ]
    return [
        first,
        [write(folder / "themes_2023-03-31.csv", lines(THEMES_HEADER, A_2023))],
        [write(folder / "themes_2024-09-30.csv", lines(THEMES_HEADER, A_2024))],
        [write(folder / "themes_2026-04-30.csv", lines(THEMES_HEADER, A_2026))],
        [write(folder / "followups_2026.csv", lines(SURVEYS_HEADER, surveys))],
    ]


# ---- programme B ----


def ja(theme_id: str, cell: str, item: int = 1, start: str = "") -> str:
    """A row of the report's own theme list: the end year inside the status cell."""
    return f"{theme_id},{item},委託,b1,某大学,テーマ{theme_id},{start},{cell}"


B_2023 = [  # as known at the end of FY2022
    ja("B01", "令和3年度終了 目標達成"),
    ja("B02", "令和4年度終了 目標達成"),
    ja("B03", "令和4年度終了 目標未達", item=2),
    ja("B04", "令和5年度 ステージゲートで中止", item=2),  # ended early: left out of every KPI (the setting)
    ja("B05", "令和5年度終了 計画通り"),
    ja("B06", "令和6年度終了 遅延"),
    ja("B07", "令和5年度終了 目標未達", item=3),  # leading research
    ja("B08", "令和9年度終了 計画通り", start="令和7年度"),  # adopted from FY2025
    ja("B09", "令和4年度終了 目標達成"),
    ja("B10", "令和7年度終了 計画通り", item=2),
]
B_2024 = [  # B05 achieved; B06 left out of the list (carried, still delayed)
    *(r for r in B_2023 if not r.startswith(("B05,", "B06,"))),
    ja("B05", "令和5年度終了 目標達成"),
]
B_2025 = [  # B09's adoption cancelled; B10 stopped at a stage gate in FY2024; B11 adopted
    *(r for r in B_2024 if not r.startswith(("B09,", "B10,"))),
    ja("B09", "令和6年度 採択取消"),
    ja("B10", "令和6年度 ステージゲートで中止", item=2),
    ja("B11", "令和7年度終了 計画通り"),
]
B_2026 = [  # B11 achieved; B03's end corrected to FY2023 (its FY2022 survey is set aside); B02 left out (carried)
    *(r for r in B_2025 if not r.startswith(("B02,", "B03,", "B11,"))),
    ja("B03", "令和5年度終了 目標未達", item=2),
    ja("B11", "令和7年度終了 目標達成"),
]


def programme_b(folder: Path) -> Loads:
    """Programme B's loads: settings with its first list and surveys, a list, surveys, two more lists."""
    folder.mkdir(parents=True, exist_ok=True)
    first_surveys = [
        "B03,2022,研究",  # set aside once B03's end moves to FY2023
        "B01,2023,上市",  # at B01's horizon (FY2021 + 2): commercialised
    ]
    later_surveys = [
        "B02,2024,開発",  # at B02's horizon: not commercialised (B02 is carried from FY2026's list on)
        "B09,2024,製品化",  # of a theme whose adoption is cancelled later: counted for no KPI
        "B05,2024,開発",  # before B05's horizon: awaiting its measuring survey
    ]
    return [
        [
            write(folder / "programme.toml", settings(2, 2026, "excluded")),
            write(folder / "テーマ一覧_令和5年3月31日.csv", lines(JA_THEMES_HEADER, B_2023)),
            write(folder / "followups_1.csv", lines(JA_SURVEYS_HEADER, first_surveys)),
        ],
        [write(folder / "テーマ一覧_20240331.csv", lines(JA_THEMES_HEADER, B_2024))],
        [write(folder / "followups_2.csv", lines(JA_SURVEYS_HEADER, later_surveys))],
        [write(folder / "テーマ一覧_2025.09.30.csv", lines(JA_THEMES_HEADER, B_2025))],
        [write(folder / "テーマ一覧_R8.4.30.csv", lines(JA_THEMES_HEADER, B_2026))],
    ]


def sample(folder: Path) -> Loads:
    """The sample programme with the illustrative follow-up surveys, in one load."""
    return [[SAMPLE, SAMPLE / "illustrative" / "followups_illustrative.csv"]]


PROGRAMMES: dict[str, Callable[[Path], Loads]] = {"sample": sample, "a": programme_a, "b": programme_b}
