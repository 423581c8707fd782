"""Small programmes built by the tests: one programme told by three dated theme lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kit import SAMPLE, theme, themes_csv, write

PROGRAMME = (SAMPLE / "programme.toml").read_text(encoding="utf-8")

# Three lists of one programme. L9 is leading research (item 3): never counted.
LIST_2024 = [  # as known at the end of FY2023
    theme("A1", end_fy=2022),
    theme("A2", end_fy=2023),
    theme("D1", end_fy=2023),
    theme("E1", end_fy=2023),
    theme("N1", end_fy=2023, status="目標未達"),
    theme("W1", end_fy=2024, status="計画通り"),
    theme("W2", end_fy=2025, status="計画通り"),
    theme("L9", item=3, end_fy=2023),
]
LIST_2025 = [  # end of FY2024: W1 reached its goal; B1 was adopted
    *(r for r in LIST_2024 if not r.startswith("W1,")),
    theme("W1", end_fy=2024),
    theme("B1", end_fy=2025, status="計画通り"),
]
LIST_2026 = [  # 30 April 2026 (FY2026): W2 missed its goal, B1 is delayed, N1's adoption was cancelled, C1 adopted
    *(r for r in LIST_2025 if not r.startswith(("W2,", "B1,", "N1,"))),
    theme("N1", end_fy=2023, status="採択取消"),
    theme("W2", end_fy=2025, status="目標未達"),
    theme("B1", end_fy=2025, status="遅延"),
    theme("C1", end_fy=2027, status="計画通り"),
]
LISTS = {"2024-03-31": LIST_2024, "2025-03-31": LIST_2025, "2026-04-30": LIST_2026}


def load_lists(kpi: Any, db: Path, folder: Path, dates: list[str]) -> None:
    """Load the programme settings and the lists of `dates` into `db` with the real command."""
    folder.mkdir(exist_ok=True)
    write(folder / "programme.toml", PROGRAMME)
    for date in dates:
        write(folder / f"themes_{date}.csv", themes_csv(LISTS[date]))
    result = kpi("load", "--db", str(db), str(folder))
    assert result.returncode == 0, result.stderr
