"""The command line: exit codes (subprocess and CliRunner), messages on stderr, no tracebacks, docs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from kit import ROOT, SAMPLE, theme, themes_csv, write
from typer.testing import CliRunner

from kpi.cli import app

runner = CliRunner()
COMMANDS = ["load", "report", "check", "export", "stagegate", "reconcile", "chart"]


def test_report_json_contract(kpi, sample_store: Path) -> None:
    result = kpi("report", "--db", str(sample_store), "--as-of", "R7", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["as_of_fy"] == 2025
    assert set(data["short_term"]) >= {"achieved", "completed", "ratio", "target", "met", "delayed", "awaiting_final"}
    assert set(data["long_term"]) >= {
        "commercialised",
        "adopted",
        "ratio",
        "target",
        "met",
        "matured",
        "matured_commercialised",
        "matured_ratio",
        "not_yet_measurable",
    }
    assert data["budget"]["unit"] == "oku_yen"
    assert set(data["budget"]["years"][0]) >= {
        "fy",
        "budget",
        "executed",
        "ratio",
        "cumulative_budget",
        "cumulative_executed",
        "cumulative_ratio",
    }
    assert data["budget"]["total"]["budget"] == 27759 and data["budget"]["total"]["executed"] == 22867
    assert data["status_summary"] == {"achieved": 39, "on_track": 58, "delayed_or_not_achieved": 18, "total": 115}
    assert set(data["by_element"][0]) == {"item", "element", "achieved", "on_track", "delayed_or_not_achieved", "total"}
    assert data["trend"][-1] == {"fy": 2025, "achieved": 39, "completed": 56, "ratio": 39 / 56}
    assert {k["name"]: k["verdict"] for k in data["kpis"]} == {
        "short_term": "not_met",
        "long_term": "not_judged_yet",
        "long_term_matured": "not_measurable",
    }
    assert result.stderr == ""


@pytest.mark.parametrize("as_of", ["2025", "R7", "令和7年度", "令和７年度"])
def test_as_of_spellings(kpi, sample_store: Path, as_of: str) -> None:
    assert (
        json.loads(kpi("report", "--db", str(sample_store), "--as-of", as_of, "-f", "json").stdout)["as_of_fy"] == 2025
    )


def test_table_report_prints_every_section_with_numerator_and_denominator(kpi, sample_store: Path) -> None:
    out = kpi("report", "--db", str(sample_store), "--as-of", "2025").stdout
    for fragment in [
        "アウトカム指標",
        "39",
        "56",
        "69.6%",
        "80%以上",
        "先導研究29件",
        "研究開発の状況",
        "基盤要素別",
        "予算執行",
        "404.0% ※",
        "22,867 / 予算 27,759",
        "82.4%",
        "短期指標の推移",
        "遅延しているテーマ（1）",
        "最終評価待ちのテーマ",
        "目標未達のテーマ（17）",
        "判定は2030年度から",
        "測定不能（追跡調査データなし）",
    ]:
        assert fragment in out, fragment
    en = kpi("report", "--db", str(sample_store), "--as-of", "2025", "--lang", "en").stdout
    assert "short-term: achieved / completed" in en and "69.6%" in en and "judged from FY2030" in en


def test_markdown_and_csv_formats(kpi, sample_store: Path) -> None:
    md = kpi("report", "--db", str(sample_store), "--as-of", "2025", "-f", "markdown").stdout
    assert "| 目標達成 | 遅延なし | 遅延・未達 | 合計 |" in md.replace("   ", " ").replace("  ", " ") or "|" in md
    csv_text = kpi("report", "--db", str(sample_store), "--as-of", "2025", "-f", "csv").stdout
    assert "目標達成,遅延なし,遅延・未達,合計\n39,58,18,115" in csv_text


def test_japanese_columns_line_up_text_left_numbers_right(kpi, sample_store: Path) -> None:
    from wcwidth import wcswidth

    out = kpi("report", "--db", str(sample_store), "--as-of", "2025").stdout
    table = out.split("■ 基盤要素別\n")[1].split("\n\n")[0].splitlines()
    rule = table[1]
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]
    for line in table[2:]:
        cells = [(wcswidth(line[: m.start()]), wcswidth(line[: m.end()])) for m in re.finditer(r"\S+", line)]
        assert [c[0] for c in cells[:2]] == [s[0] for s in spans[:2]], line  # item and element: left-aligned
        assert [c[1] for c in cells[2:]] == [s[1] for s in spans[2:]], line  # the counts: right-aligned


def test_exit_0_and_summary_on_stderr(kpi, kpi_en, db: Path) -> None:
    result = kpi("load", "--db", str(db), str(SAMPLE))
    assert result.returncode == 0 and result.stdout == ""
    assert "themes.csv" in result.stderr and "144" in result.stderr
    assert result.stderr.splitlines()[0].split() == ["ファイル", "種類", "行数", "追加", "更新", "読込"]
    again = kpi_en("load", "--db", str(db), str(SAMPLE))
    assert again.stderr.splitlines()[0].split() == ["file", "kind", "rows", "inserted", "updated", "load"]
    assert "unchanged: same content as load #2" in again.stderr


def test_exit_3_with_a_failure_table_and_no_traceback(kpi, kpi_en, db: Path, tmp_path: Path) -> None:
    bad = write(tmp_path / "themes.csv", themes_csv([theme("T1", item=9)]))
    result = kpi("load", "--db", str(db), str(bad))
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert re.search(r"themes\.csv\s+2\s+item\s+9\s+研究開発項目: 1、2、3", result.stderr)
    assert "kpi: 問題が1件見つかりました。何も読み込んでいません" in result.stderr
    result = kpi_en("load", "--db", str(db), str(bad))
    assert re.search(r"themes\.csv\s+2\s+item\s+9\s+research item 1, 2 or 3", result.stderr)
    assert "kpi: 1 problem(s) found; nothing was loaded" in result.stderr
    assert not db.exists()


def test_exit_3_on_missing_or_empty_database(kpi, kpi_en, tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    for command in (["report"], ["check"], ["export", "--out", str(tmp_path / "x")]):
        result = kpi(*command, "--db", str(missing))
        assert result.returncode == 3, command
        assert (
            result.stderr
            == f"kpi: {missing} にデータベースがありません。先にデータを読み込んでください: kpi load sample_data/\n"
        )
        english = kpi_en(*command, "--db", str(missing))
        assert english.stderr == f"kpi: no database at {missing}; load data first: kpi load sample_data/\n"


def test_exit_3_on_a_file_that_is_not_a_database(kpi, tmp_path: Path) -> None:
    path = write(tmp_path / "x.duckdb", "not a database")
    result = kpi("report", "--db", str(path))
    assert result.returncode == 3 and "を開けません" in result.stderr and "Traceback" not in result.stderr


def test_exit_2_on_usage_errors(kpi, sample_store: Path, tmp_path: Path) -> None:
    assert kpi("report", "--db", str(sample_store), "--as-of", "1999").returncode == 2
    assert kpi("report", "--bogus").returncode == 2
    assert kpi("load", "--db", str(sample_store), str(write(tmp_path / "misc.csv", "a\n1\n"))).returncode == 2


@pytest.mark.parametrize(
    ("args", "choices"),
    [
        (["check", "--format", "yaml"], "text, json"),
        (["report", "--format", "yaml"], "table, markdown, csv, json, html"),
        (["export", "--out", "x", "--encoding", "latin9"], "utf-8-sig, cp932, utf-8"),
        (["stagegate", "--format", "pdf"], "table, markdown, csv, json"),
        (["load", "--kind", "theme", "x.csv"], "themes, budget, followups"),
        (["report", "--lang", "fr"], "ja, en"),
        (["--log-format", "xml", "report"], "text, json"),
    ],
)
def test_an_option_with_fixed_choices_refuses_any_other_value_listing_them(
    kpi, kpi_en, args: list[str], choices: str, tmp_path: Path
) -> None:
    result = kpi(*args, cwd=tmp_path)
    assert result.returncode == 2 and choices in result.stderr and "使える値" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not (tmp_path / "x").exists() and not (tmp_path / "kpi.duckdb").exists()
    assert "is not one of" in kpi_en(*args, cwd=tmp_path).stderr


def test_exit_1_when_a_target_is_missed(kpi, kpi_en, sample_store: Path) -> None:
    result = kpi("check", "--db", str(sample_store), "--as-of", "2025")
    assert result.returncode == 1
    assert re.search(r"短期\s+39/56\s+69\.6%\s+目標 80%\s+未達", result.stdout)
    assert re.search(r"長期（公式）\s+—/115\s+—\s+目標 50%\s+判定は2030年度から", result.stdout)
    english = kpi_en("check", "--db", str(sample_store), "--as-of", "2025")
    assert re.search(r"short-term\s+39/56\s+69\.6%\s+target 80%\s+not met", english.stdout)
    assert english.returncode == 1


def test_check_without_settings_exits_3_saying_how_to_add_them(kpi, kpi_en, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("themes.csv", "budget.csv"):
        (folder / name).write_bytes((SAMPLE / name).read_bytes())
    write(folder / "followups.csv", "theme_id,survey_fy,stage\nT1-001,2026,上市\n")
    db = tmp_path / "k.duckdb"
    assert kpi("load", "--db", str(db), str(folder)).returncode == 0
    result = kpi("check", "--db", str(db), "--as-of", "2025")
    assert result.returncode == 3
    assert "プログラム設定（目標値）が未登録" in result.stderr and "kpi load programme.toml" in result.stderr
    assert "the programme settings (targets) are missing" in kpi_en("check", "--db", str(db)).stderr
    report = kpi("report", "--db", str(db), "--as-of", "2025").stdout
    headline = report.split("■ アウトカム指標\n")[1].split("注:")[0]
    assert "分母0" not in headline and headline.count("目標未設定") == 6  # target and verdict of each KPI
    assert re.search(r"長期: 実用化 / 採択（公式）\s+—\s+115\s+—\s+目標未設定\s+目標未設定", headline)


def test_cli_runner_agrees_with_the_subprocess(sample_store: Path, tmp_path: Path) -> None:
    ok = runner.invoke(app, ["report", "--db", str(sample_store), "--as-of", "2025", "-f", "json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["short_term"]["completed"] == 56
    assert runner.invoke(app, ["check", "--db", str(sample_store), "--as-of", "2025", "--quiet"]).exit_code == 1
    assert runner.invoke(app, ["report", "--db", str(tmp_path / "no.duckdb")]).exit_code == 3
    assert runner.invoke(app, ["report", "--as-of", "R200"]).exit_code == 2


def test_internal_errors_exit_70_in_one_line(sample_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kpi.figures import report

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(report, "report", broken)
    result = runner.invoke(app, ["report", "--db", str(sample_store)])
    assert result.exit_code == 70
    assert "内部エラー: RuntimeError: a bug（詳しくは --debug" in result.stderr


def test_log_format_json(kpi, db: Path, tmp_path: Path) -> None:
    bad = write(tmp_path / "themes.csv", themes_csv([theme("T1", item=9)]))
    result = kpi("--log-format", "json", "load", "--db", str(db), str(bad))
    records = [json.loads(line) for line in result.stderr.splitlines()]
    assert all(set(r) >= {"time", "level"} for r in records)
    records = [{k: v for k, v in r.items() if k != "time"} for r in records]
    assert records[0] == {
        "level": "error",
        "file": str(bad),
        "line": 2,
        "column": "item",
        "value": "9",
        "rule": records[0]["rule"],
    }
    assert records[-1]["exit_code"] == 3


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example_in_both_languages(kpi, kpi_en, command: str) -> None:
    result = kpi(command, "--help")
    assert result.returncode == 0 and "例: kpi " in result.stdout and "使い方: kpi" in result.stdout
    assert "オプション" in result.stdout and "このヘルプを表示して終了します。" in result.stdout
    english = kpi_en(command, "--help")
    assert english.returncode == 0 and "Example: kpi " in english.stdout and "Usage: kpi" in english.stdout


def test_help_speaks_japanese_by_default_and_english_when_asked(kpi, kpi_en) -> None:
    ja = kpi("--help").stdout
    assert "R&D基金事業のアウトカムKPI" in ja and "コマンド:" in ja and "終了コード:" in ja
    en = kpi_en("--help").stdout
    assert "Outcome KPIs, budget execution" in en and "Commands:" in en and "Exit codes:" in en
    assert kpi("--help", "--lang", "en").stdout.count("Exit codes:") == 1


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    registered = sorted(c.name or c.callback.__name__ for c in app.registered_commands)  # type: ignore[union-attr]
    assert registered == sorted(COMMANDS) or set(COMMANDS) <= set(registered)
    for name in registered:
        assert f"### `kpi {name}`" in readme, name


def test_version(kpi) -> None:
    from kpi import __version__

    assert kpi("--version").stdout.strip() == f"kpi {__version__}"


def test_readme_transcripts_are_real_and_current() -> None:
    """Every output block in the README is what the commands print today (tools/update_readme.py)."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "update_readme.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


def test_check_passes_at_exactly_80_and_50_percent_and_fails_below(kpi, tmp_path: Path) -> None:
    from kit import SAMPLE

    programme = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
    rows = [theme(f"A{i}", end_fy=2021) for i in range(4)] + [theme("N1", end_fy=2021, status="目標未達")]
    rows.append(theme("W1", end_fy=2021, status="計画通り"))  # awaiting its final result: matured all the same
    followups = "theme_id,survey_fy,stage\nA0,2024,製品化\nA1,2024,上市\nA2,2024,開発\nN1,2024,中止\n"
    passing = tmp_path / "pass"
    passing.mkdir()
    write(passing / "programme.toml", programme)
    write(passing / "themes.csv", themes_csv(rows))
    write(passing / "followups.csv", followups.replace("A2,2024,開発", "A2,2024,上市"))
    db = tmp_path / "pass.duckdb"
    assert kpi("load", "--db", str(db), str(passing)).returncode == 0
    result = kpi("check", "--db", str(db), "--as-of", "2025", "-f", "json")
    data = json.loads(result.stdout)
    assert result.returncode == 0, result.stdout
    by_name = {k["name"]: k for k in data["kpis"]}
    assert (by_name["short_term"]["numerator"], by_name["short_term"]["denominator"]) == (4, 5)  # exactly 80%
    assert (by_name["long_term_matured"]["numerator"], by_name["long_term_matured"]["denominator"]) == (3, 6)  # 50%
    write(
        passing / "followups.csv",
        followups.replace("A1,2024,上市", "A1,2024,開発").replace("A2,2024,開発", "A2,2024,製品化"),
    )
    assert kpi("load", "--db", str(db), str(passing / "followups.csv")).returncode == 0
    result = kpi("check", "--db", str(db), "--as-of", "2025", "-f", "json")
    by_name = {k["name"]: k for k in json.loads(result.stdout)["kpis"]}
    assert (by_name["long_term_matured"]["numerator"], by_name["long_term_matured"]["denominator"]) == (2, 6)
    assert result.returncode == 1  # 2/6 < 50%
    assert kpi("check", "--db", str(db), "--as-of", "2025", "--quiet").stdout == ""


def test_every_exit_code_is_documented_in_the_readme_and_in_help() -> None:
    from kpi.errors import ExitCode
    from kpi.present.catalogue import WORDS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    documented = {int(n) for pair in re.findall(r"^\| (\d+)(?: / (\d+))? \|", table, re.M) for n in pair if n}
    assert documented == {int(code) for code in ExitCode}
    for help_text in WORDS["help.exit_codes"]:
        assert all(str(int(code)) in help_text for code in ExitCode), help_text
