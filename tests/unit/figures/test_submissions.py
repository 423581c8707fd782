"""Closing a year: a load that changes the final figures of a year is refused unless a reason, as text, is given."""

from __future__ import annotations

from pathlib import Path

import pytest
from faultkit import rows
from kit import SAMPLE_THEMES, run_kpi

from kpi.db import connect
from kpi.errors import YearClosed
from kpi.figures.submissions import closing
from kpi.load import ingest


@pytest.mark.parametrize("blank", ["   ", "\u3000"])
def test_a_blank_reason_does_not_reopen_a_closed_year(sample_store: Path, tmp_path: Path, blank: str) -> None:
    final = run_kpi("export", "--db", str(sample_store), "--as-of", "2025", "--stage", "final", "--out", str(tmp_path))
    assert final.returncode == 0, final.stderr
    (tmp_path / "fix").mkdir()
    corrected = tmp_path / "fix" / SAMPLE_THEMES.name
    corrected.write_text(SAMPLE_THEMES.read_text(encoding="utf-8-sig").replace("目標達成", "目標未達", 1))
    loads = rows(sample_store, "SELECT count(*) FROM loads")
    with connect.open_for_write(sample_store, wait=1) as con, pytest.raises(YearClosed):
        ingest.load(con, [corrected], guard=lambda c: closing(c, blank), reopen=blank)
    assert rows(sample_store, "SELECT count(*) FROM loads") == loads
