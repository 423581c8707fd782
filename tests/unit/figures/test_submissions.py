"""Closing a year: a load that changes the final figures of a year is refused unless a reason, as text, is given;
the date of the list in force is no figure; a final submission only for a year that has ended."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from faultkit import rows
from kit import SAMPLE_THEMES, cli, english

from kpi.db import connect
from kpi.errors import UsageProblem, YearClosed
from kpi.figures.submissions import closing, differences, require_ended
from kpi.fiscal import wareki
from kpi.load import ingest


@pytest.mark.parametrize("blank", ["   ", "\u3000"])
def test_a_blank_reason_does_not_reopen_a_closed_year(sample_store: Path, tmp_path: Path, blank: str) -> None:
    final = cli("export", "--db", str(sample_store), "--as-of", "2025", "--stage", "final", "--out", str(tmp_path))
    assert final.returncode == 0, final.stderr
    (tmp_path / "fix").mkdir()
    corrected = tmp_path / "fix" / SAMPLE_THEMES.name
    corrected.write_text(SAMPLE_THEMES.read_text(encoding="utf-8-sig").replace("目標達成", "目標未達", 1))
    loads = rows(sample_store, "SELECT count(*) FROM loads")
    with connect.open_for_write(sample_store, wait=1) as con, pytest.raises(YearClosed):
        ingest.load(con, [corrected], guard=lambda c: closing(c, blank), reopen=blank)
    assert rows(sample_store, "SELECT count(*) FROM loads") == loads


def test_the_date_of_the_list_in_force_is_no_figure_that_differs() -> None:
    """A later list of the same content moves the snapshot and no figure: nothing differs, so a closed year takes
    it, the report does not flag it and `kpi submissions diff` says so; any figure that moves still differs."""
    recorded = {"snapshot": "2026-03-30", "horizon_years": 3, "short_term.numerator": 39, "short_term.ratio": "39/56"}
    assert differences(recorded, {**recorded, "snapshot": "2026-03-31"}) == ()
    moved = {**recorded, "snapshot": "2026-03-31", "short_term.numerator": 36, "short_term.ratio": "9/14"}
    assert [d.figure for d in differences(recorded, moved)] == ["short_term.numerator", "short_term.ratio"]
    assert [d.figure for d in differences(recorded, {**recorded, "horizon_years": 5})] == ["horizon_years"]


@pytest.mark.parametrize(
    ("fy", "today", "refused"),
    [
        (2025, dt.date(2026, 3, 31), True),  # the last day of FY2025: not yet ended
        (2025, dt.date(2026, 4, 1), False),  # the first day of FY2026: FY2025 has ended
        (2026, dt.date(2026, 4, 1), True),
        (2027, dt.date(2026, 12, 5), True),  # a year to come
        (2019, dt.date(2026, 12, 5), False),
    ],
)
def test_a_final_submission_waits_for_the_end_of_its_fiscal_year(
    sample_store: Path, fy: int, today: dt.date, refused: bool
) -> None:
    with connect.open_for_read(sample_store) as con:
        require_ended(con, fy, "preliminary", today)  # preliminary figures: any year, any day
        if not refused:
            require_ended(con, fy, "final", today)
            return
        with pytest.raises(UsageProblem) as caught:
            require_ended(con, fy, "final", today)
    assert caught.value.exit_code == 2
    assert english(caught.value).startswith(
        f"FY{fy} ({wareki(fy)}) has not ended (it runs to {fy + 1}-03-31; today is {today.isoformat()} in the "
        "programme's calendar, Asia/Tokyo)"
    )
