"""`kpi recommendations` (kpi.cli.commands.recommendations) on the sample: the seed's 2022 recommendations with the
status the seed reports, the open ones first; --round keeps one round; a round that is none is a usage error."""

from __future__ import annotations

import json
from pathlib import Path

from kpi.errors import ExitCode


def test_the_sample_lists_the_seeds_2022_recommendations_open_ones_first(sample_store: Path, kpi, kpi_en) -> None:
    shown = kpi("recommendations", "--db", str(sample_store), "--format", "json", "--round", "中間評価（2022年度）")
    assert shown.returncode == 0, shown.stderr
    found = json.loads(shown.stdout)
    assert [(r["section"], r["number"], r["status"]) for r in found][:3] == [
        ("【複数課題プログラム】", "②", "in_progress"),
        ("【複数課題プログラム】", "③", "in_progress"),
        ("【ポスト5G情報通信システムの開発関連】", "②", "in_progress"),
    ]
    assert len(found) == 10 and {r["status"] for r in found[3:]} == {"done"}
    assert {r["round"] for r in found} == {"interim-2022"}
    assert found[2]["evidence"].endswith("（28頁、52、53頁参照）")
    text = kpi_en("recommendations", "--db", str(sample_store), "--format", "markdown").stdout
    assert text.splitlines()[0].startswith("| round") and "interim evaluation (FY2022)" in text
    assert text.index("in progress") < text.index("| done")
    none = kpi("recommendations", "--db", str(sample_store), "--round", "終了時2030")
    assert none.returncode == 0 and none.stdout == "終了時評価（2030年度）の指摘事項はありません\n"


def test_a_round_that_names_no_round_is_a_usage_error(sample_store: Path, kpi_en) -> None:
    refused = kpi_en("recommendations", "--db", str(sample_store), "--round", "2022")
    assert refused.returncode == ExitCode.USAGE
    assert "--round 2022 is not an evaluation round" in refused.stderr
