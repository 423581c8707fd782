"""`kpi money` (kpi.cli.commands.money) in every format on a tiny store; without a per-theme budget it says how to
declare one and still gives outputs per 100億円; a money setting naming no money attribute is refused on load with
its file, line, key, value and rule."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from kit import SAMPLE, THEMES_HEADER, cli, theme, themes_csv, write

from kpi.errors import ExitCode

PROGRAMME = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
DECLARED = '\n[attributes."予算額"]\nheaders = ["予算額(億円)"]\ntype = "money"\n'
THEMES = [theme("T1", 1, 2023, "目標達成"), theme("T2", 1, 2023, "目標未達"), theme("T3", 2, 2024, "目標達成")]
BUDGET = "年度,予算額(億円),執行額(億円)\n2023年度,100,50\n2024年度,100,\n"
OUTPUTS = "年度,論文数,発表,国内特許出願,国外特許出願,PCT出願\n2023年度,10,0,3,2,1\n"


def store(folder: Path, budgets: list[str] | None) -> Path:
    """A store of three themes (with a 予算額 each when `budgets` are given), the budget and outputs tables."""
    folder.mkdir()
    if budgets is None:
        write(folder / "programme.toml", PROGRAMME)
        write(folder / "themes_2026-03-31.csv", themes_csv(THEMES))
    else:
        write(folder / "programme.toml", PROGRAMME + DECLARED)
        rows = [f"{t},{b}" for t, b in zip(THEMES, budgets, strict=True)]
        write(folder / "themes_2026-03-31.csv", themes_csv(rows, THEMES_HEADER + ",予算額(億円)"))
    write(folder / "budget.csv", BUDGET)
    write(folder / "outputs.csv", OUTPUTS)
    db = folder / "kpi.duckdb"
    loaded = cli("load", "--db", str(db), str(folder))
    assert loaded.returncode == 0, loaded.stderr
    return db


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return store(tmp_path_factory.mktemp("money") / "in", ["12.5", "", "37.5"])


def money(db: Path, *args: str) -> str:
    shown = cli("money", "--db", str(db), "--as-of", "2025", *args)
    assert shown.returncode == 0, shown.stderr
    return shown.stdout


def test_table(tiny: Path) -> None:
    text = money(tiny)
    assert "■ テーマ別予算額の把握状況（2025年度時点、2026-03-31 の一覧、属性「予算額」）" in text
    assert "予算額のない 1 件" in text  # T2 finished without a budget; T1 and T3 (achieved, 50 億円) have one
    assert "ジニ係数: 0.250" in text  # 12.5 and 37.5: 2·(12.5 + 75) / (2·50) − 3/2
    assert "上位1テーマ" in text and "75.0%" in text
    assert "■ 執行額100億円あたりの論文・特許出願" in text and "20" in text


def test_markdown(tiny: Path) -> None:
    text = money(tiny, "-f", "markdown", "--top", "1")
    largest = text.split("## 予算額の大きいテーマ（上位 1 件）\n")[1].split("\n\n")[0].splitlines()
    assert largest[0].startswith("|   順位 | テーマID") and [r.split("|")[2].strip() for r in largest[2:]] == ["T3"]


def test_csv(tiny: Path) -> None:
    tables = money(tiny, "-f", "csv").split("\n\n")
    coverage = list(csv.reader(io.StringIO(tables[0])))
    assert coverage[0][:4] == ["研究開発項目", "テーマ数", "予算額あり", "予算額計(億円)"]
    assert coverage[-1][1:4] == ["3", "2", "50"]
    assert list(csv.reader(io.StringIO(tables[-1])))[1] == ["2023", "50", "10", "5", "20.00", "10.00"]


def test_json(tiny: Path) -> None:
    data = json.loads(money(tiny, "-f", "json"))
    cost = data["per_theme"]["cost_per_achieved"]
    assert (cost["finished"], cost["achieved"], cost["finished_with_budget"], cost["achieved_with_budget"]) == (
        3,
        2,
        2,
        2,
    )
    assert (cost["budget"], cost["per_achieved"], cost["finished_without_budget"]) == (50, 25, 1)
    assert data["per_theme"]["concentration"]["gini"] == 0.25
    assert [(y["fy"], y["papers_per_100oku"]) for y in data["outputs_per_100oku"]] == [(2023, 20), (2024, None)]


@pytest.mark.slow
def test_without_a_per_theme_budget_it_says_how_to_declare_one(tmp_path: Path) -> None:
    db = store(tmp_path / "in", None)
    text = money(db)
    assert text.startswith('テーマごとの予算額がありません。programme.toml に [attributes."予算額"]')
    assert "■ 執行額100億円あたりの論文・特許出願" in text
    shown = cli("money", "--db", str(db), "--as-of", "2025", "-f", "json")
    assert shown.returncode == 0 and "テーマごとの予算額がありません" in shown.stderr
    assert json.loads(shown.stdout)["per_theme"] is None


def test_a_money_setting_naming_no_money_attribute_is_refused_with_its_line(tmp_path: Path) -> None:
    settings = write(tmp_path / "programme.toml", PROGRAMME + 'theme_budget = "予算"\n' + DECLARED)
    refused = cli("load", "--db", str(tmp_path / "kpi.duckdb"), str(settings))
    line = (PROGRAMME + 'theme_budget = "予算"\n').count("\n")
    assert refused.returncode == ExitCode.INPUT_REJECTED
    row = next(r for r in refused.stderr.splitlines() if r.startswith(str(settings)))
    assert row.split()[1:4] == [str(line), "theme_budget", "予算"]  # file, line, key, value, then the rule
    assert row.endswith('[attributes."…"] で type = "money"（金額）と宣言した属性の名前を書いてください')
