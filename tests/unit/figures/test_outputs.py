"""Outputs and patents: totals per year and the grant rate (2-2 ③)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from kit import SAMPLE

from kpi.db.connect import open_for_read
from kpi.figures.report import report as build
from kpi.present.json_out import report_json

PROGRAMME = (SAMPLE / "programme.toml").read_text(encoding="utf-8")


def report(db: Path, as_of: int = 2025) -> dict:
    """The report as its JSON contract."""
    with open_for_read(db, wait=5) as con:
        return report_json(build(con, as_of))


def test_outputs_totals_and_grant_rate(sample_store: Path) -> None:
    o = report(sample_store)["outputs"]
    assert o["total"] == {
        "papers": 195,
        "presentations": 1056,
        "patents_domestic": 277,
        "patents_foreign": 597,
        "patents_pct": 363,
    }
    assert [y["fy"] for y in o["years"]] == [2020, 2021, 2022, 2023, 2024, 2025]
    g = o["grants"]
    assert (g["as_of_date"], g["granted_domestic"], g["granted_foreign"]) == ("2026-05-01", 43, 119)
    assert g["rate_domestic"] == pytest.approx(43 / 277) and g["rate_foreign"] == pytest.approx(119 / 597)
    assert [y["fy"] for y in report(sample_store, 2022)["outputs"]["years"]] == [2020, 2021, 2022]


def test_outputs_in_the_report_and_its_json_key(kpi, sample_store: Path) -> None:
    text = kpi("report", "--db", str(sample_store), "--as-of", "2025").stdout
    assert re.search(r"\n計 +195 +1,056 +277 +597 +363\n", text)  # numbers right-aligned
    assert "国内 43件 / 出願 277件 = 15.5%" in text and "国外 119件 / 出願 597件 = 19.9%" in text
    data = json.loads(kpi("report", "--db", str(sample_store), "--as-of", "2025", "-f", "json").stdout)
    assert set(data["outputs"]) == {"years", "total", "grants"}
    assert set(data) >= {"stage_gate", "evaluation"}
