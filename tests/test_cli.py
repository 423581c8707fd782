"""The command line: exit codes (subprocess and CliRunner), messages on stderr, no tracebacks, docs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, theme, themes_csv, write
from typer.testing import CliRunner

from kpi.cli import app

runner = CliRunner()
COMMANDS = ["load", "report", "check", "export"]


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
        "追跡調査データなし",
    ]:
        assert fragment in out, fragment
    en = kpi("report", "--db", str(sample_store), "--as-of", "2025", "--lang", "en").stdout
    assert "short-term: achieved / completed" in en and "69.6%" in en


def test_markdown_and_csv_formats(kpi, sample_store: Path) -> None:
    md = kpi("report", "--db", str(sample_store), "--as-of", "2025", "-f", "markdown").stdout
    assert "| 目標達成 | 遅延なし | 遅延・未達 | 合計 |" in md.replace("   ", " ").replace("  ", " ") or "|" in md
    csv_text = kpi("report", "--db", str(sample_store), "--as-of", "2025", "-f", "csv").stdout
    assert "目標達成,遅延なし,遅延・未達,合計\n39,58,18,115" in csv_text


def test_japanese_columns_line_up(kpi, sample_store: Path) -> None:
    from wcwidth import wcswidth

    out = kpi("report", "--db", str(sample_store), "--as-of", "2025").stdout
    table = out.split("■ 基盤要素別\n")[1].split("\n\n")[0].splitlines()
    rule = table[1]
    starts = [m.start() for m in re.finditer(r"-+", rule)]
    for line in [table[0], *table[2:]]:
        cells = [m.start() for m in re.finditer(r"\S+", line)]
        assert [wcswidth(line[:i]) for i in cells] == starts, line


def test_exit_0_and_summary_on_stderr(kpi, db: Path) -> None:
    result = kpi("load", "--db", str(db), str(SAMPLE))
    assert result.returncode == 0 and result.stdout == ""
    assert "themes.csv" in result.stderr and "144" in result.stderr


def test_exit_3_with_a_failure_table_and_no_traceback(kpi, db: Path, tmp_path: Path) -> None:
    bad = write(tmp_path / "themes.csv", themes_csv([theme("T1", item=9)]))
    result = kpi("load", "--db", str(db), str(bad))
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert re.search(r"themes\.csv\s+2\s+item\s+9\s+research item 1, 2 or 3", result.stderr)
    assert "nothing was loaded" in result.stderr
    assert not db.exists()


def test_exit_3_on_missing_or_empty_database(kpi, tmp_path: Path) -> None:
    for command in (["report"], ["check"], ["export", "--out", str(tmp_path / "x")]):
        result = kpi(*command, "--db", str(tmp_path / "none.duckdb"))
        assert result.returncode == 3, command
        assert result.stderr.strip().count("\n") == 0 and "kpi load" in result.stderr


def test_exit_3_on_a_file_that_is_not_a_database(kpi, tmp_path: Path) -> None:
    path = write(tmp_path / "x.duckdb", "not a database")
    result = kpi("report", "--db", str(path))
    assert result.returncode == 3 and "cannot open database" in result.stderr and "Traceback" not in result.stderr


def test_exit_2_on_usage_errors(kpi, sample_store: Path, tmp_path: Path) -> None:
    assert kpi("report", "--db", str(sample_store), "--as-of", "1999").returncode == 2
    assert kpi("report", "--bogus").returncode == 2
    assert kpi("load", "--db", str(sample_store), str(write(tmp_path / "misc.csv", "a\n1\n"))).returncode == 2


def test_exit_1_when_a_target_is_missed(kpi, sample_store: Path) -> None:
    result = kpi("check", "--db", str(sample_store), "--as-of", "2025")
    assert result.returncode == 1
    assert re.search(r"short-term\s+39/56\s+69\.6%\s+target 80%\s+NOT MET", result.stdout)


def test_cli_runner_agrees_with_the_subprocess(sample_store: Path, tmp_path: Path) -> None:
    ok = runner.invoke(app, ["report", "--db", str(sample_store), "--as-of", "2025", "-f", "json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["short_term"]["completed"] == 56
    assert runner.invoke(app, ["check", "--db", str(sample_store), "--as-of", "2025", "--quiet"]).exit_code == 1
    assert runner.invoke(app, ["report", "--db", str(tmp_path / "no.duckdb")]).exit_code == 3
    assert runner.invoke(app, ["report", "--as-of", "R200"]).exit_code == 2


def test_internal_errors_exit_70_in_one_line(sample_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kpi import metrics

    def broken(*args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(metrics, "report", broken)
    result = runner.invoke(app, ["report", "--db", str(sample_store)])
    assert result.exit_code == 70
    assert "internal error: RuntimeError: a bug (run again with --debug" in result.stderr


def test_log_format_json(kpi, db: Path, tmp_path: Path) -> None:
    bad = write(tmp_path / "themes.csv", themes_csv([theme("T1", item=9)]))
    result = kpi("--log-format", "json", "load", "--db", str(db), str(bad))
    records = [json.loads(line) for line in result.stderr.splitlines()]
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
def test_every_command_has_help_with_an_example(kpi, command: str) -> None:
    result = kpi(command, "--help")
    assert result.returncode == 0 and "Example: kpi " in result.stdout


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
    from conftest import SAMPLE

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
