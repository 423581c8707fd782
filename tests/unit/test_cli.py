"""The command line: exit codes (subprocess and CliRunner), messages on stderr, no tracebacks, docs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from kit import ROOT, SAMPLE, SAMPLE_THEMES, theme, themes_csv, write
from typer.testing import CliRunner

from kpi.cli.main import whole_app

app = whole_app()

runner = CliRunner()
COMMANDS = ["load", "report", "check", "export", "stagegate", "reconcile", "chart", "init"]


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
    assert data["status_summary"] == {
        "achieved": 39,
        "on_track": 58,
        "delayed_or_not_achieved": 18,
        "terminated": 0,
        "total": 115,
    }
    assert set(data["by_element"][0]) == {
        "item",
        "element",
        "achieved",
        "on_track",
        "delayed_or_not_achieved",
        "terminated",
        "total",
    }
    assert set(data["placement"]) == {
        "carried",
        "carried_from",
        "terminated",
        "terminated_themes",
        "cancelled",
        "surveys_set_aside",
    }
    assert all(
        set(k["roles"]) == {"numerator", "denominator", "pending", "not_countable", "excluded"} for k in data["kpis"]
    )
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
    assert "themes_2026-03-31.csv" in result.stderr and "144" in result.stderr
    assert result.stderr.splitlines()[0].split() == ["ファイル", "種類", "一覧の日付", "行数", "追加", "更新", "読込"]
    assert re.search(r"themes_2026-03-31\.csv +テーマ +2026-03-31 +144 +144 +0 +#2", result.stderr)
    again = kpi_en("load", "--db", str(db), str(SAMPLE))
    assert again.stderr.splitlines()[0].split() == [
        "file",
        "kind",
        "list",
        "date",
        "rows",
        "inserted",
        "updated",
        "load",
    ]
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
    for command in (["report"], ["check"], ["export", "--as-of", "2025", "--out", str(tmp_path / "x")]):
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
        (["export", "--as-of", "2025", "--out", "x", "--encoding", "latin9"], "utf-8-sig, cp932, utf-8"),
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


def test_a_number_option_given_text_says_so_in_the_users_language(kpi, kpi_en, tmp_path: Path) -> None:
    result = kpi("report", "--wait", "soon", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines()[0] == "kpi: --wait の値 'soon' は数値ではありません"
    assert "is not a valid" not in result.stderr and not (tmp_path / "kpi.duckdb").exists()
    assert (
        kpi_en("report", "--wait", "soon", cwd=tmp_path).stderr.splitlines()[0] == "kpi: --wait: 'soon' is not a number"
    )


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
    for source in (SAMPLE_THEMES, SAMPLE / "budget.csv"):
        (folder / source.name).write_bytes(source.read_bytes())
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


@pytest.mark.parametrize("command", [[], ["followups"], ["followups", "due"], *([c] for c in COMMANDS)])
def test_help_fits_an_80_column_terminal_in_both_languages(kpi, kpi_en, command: list[str]) -> None:
    """click wraps by characters; a Japanese character takes two columns, so kpi wraps by display width."""
    from kpi.present.wrap import width

    for run in (kpi, kpi_en):
        text = run(*command, "--help", env={"COLUMNS": "80"}).stdout
        assert text.strip() and all(width(line) <= 80 for line in text.splitlines()), text
        summaries = [line for line in text.splitlines() if not line.startswith(("使い方", "Usage"))]
        assert not any(line.endswith("...") for line in summaries), text  # each command's summary is a sentence


def test_help_speaks_japanese_by_default_and_english_when_asked(kpi, kpi_en) -> None:
    ja = kpi("--help").stdout
    assert "R&D基金事業のアウトカムKPI" in ja and "コマンド:" in ja and "終了コード:" in ja
    en = kpi_en("--help").stdout
    assert "Outcome KPIs, budget execution" in en and "Commands:" in en and "Exit codes:" in en
    assert kpi("--help", "--lang", "en").stdout.count("Exit codes:") == 1


def test_every_command_is_listed_in_the_readme_and_documented_in_the_reference() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = readme.split("## Commands", 1)[1].split("\n## ", 1)[0]
    reference = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    registered = sorted(c.name or c.callback.__name__ for c in app.registered_commands)  # type: ignore[union-attr]
    assert registered == sorted(COMMANDS) or set(COMMANDS) <= set(registered)
    for name in registered:
        assert f"`kpi {name}" in commands, name
        assert f"### `kpi {name}`" in reference, name


def test_version(kpi) -> None:
    from kpi import __version__

    assert kpi("--version").stdout.strip() == f"kpi {__version__}"


@pytest.mark.slow  # 10 s of subprocesses (tools/update_readme.py): CI's slow step
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
    # every matured theme surveyed in its measuring year (one without a survey would await it, outside the ratio)
    followups = "theme_id,survey_fy,stage\nA0,2024,製品化\nA1,2024,上市\nA2,2024,開発\nA3,2024,研究\nN1,2024,中止\nW1,2024,開発\n"
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


# ---------------------------------------------------------------------------- kpi init


def test_init_then_two_lines_filled_then_load(kpi, kpi_en, tmp_path: Path) -> None:
    """The template is refused naming the two lines to fill; once they are filled it loads."""
    made = kpi("init", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "kpi load programme.toml" in made.stderr and made.stdout == ""
    path = tmp_path / "programme.toml"
    text = path.read_text(encoding="utf-8")
    assert "# 予算事業ID（必須）" in text and "例: project_id = 3522" in text
    lines = text.splitlines()
    name_line, id_line = lines.index('name = ""') + 1, lines.index('project_id = ""') + 1

    refused = kpi_en("load", "programme.toml", cwd=tmp_path)
    assert refused.returncode == 3
    assert re.search(rf"programme\.toml\s+{name_line}\s+name\s+empty: fill in a value", refused.stderr)
    assert re.search(rf"programme\.toml\s+{id_line}\s+project_id\s+empty: fill in a value", refused.stderr)
    assert not (tmp_path / "kpi.duckdb").exists()

    text = text.replace('name = ""', 'name = "テスト事業"').replace('project_id = ""', "project_id = 1234")
    path.write_text(text, encoding="utf-8")
    loaded = kpi("load", "programme.toml", cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    write(tmp_path / "themes.csv", themes_csv([theme("T1")]))
    assert kpi("load", "themes.csv", cwd=tmp_path).returncode == 0
    data = json.loads(kpi("report", "--as-of", "2025", "-f", "json", cwd=tmp_path).stdout)
    assert data["programme"]["name"] == "テスト事業" and data["programme"]["project_id"] == 1234
    assert data["short_term"]["target_text"] == "80%"


def test_init_never_overwrites_without_force_and_speaks_english_when_asked(kpi, kpi_en, tmp_path: Path) -> None:
    out = tmp_path / "settings" / "programme_fund2.toml"
    assert kpi_en("init", "--out", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("# kpi programme settings (programme.toml)")
    again = kpi("init", "--out", str(out))
    assert again.returncode == 2 and "--force" in again.stderr
    assert kpi("init", "--out", str(out), "--force").returncode == 0
    assert out.read_text(encoding="utf-8").startswith("# kpi のプログラム設定")
    wrong = kpi_en("init", "--out", str(tmp_path / "settings.toml"))
    assert wrong.returncode == 2 and "programme*.toml" in wrong.stderr
    assert not (tmp_path / "settings.toml").exists()


# ---------------------------------------------------------------------------- files as Excel saves them


def test_load_takes_xls_ods_and_unicode_text_by_name(kpi, db: Path, tmp_path: Path) -> None:
    fixtures = ROOT / "tests" / "fixtures"
    (tmp_path / "themes.xls").write_bytes((fixtures / "themes.xls").read_bytes())
    rows = (SAMPLE / "budget.csv").read_text(encoding="utf-8").replace(",", "\t").splitlines()
    (tmp_path / "budget.txt").write_bytes("\r\n".join(rows).encode("utf-16"))
    result = kpi("load", "--db", str(db), str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert re.search(r"themes\.xls\s+テーマ\s+\d{4}-\d\d-\d\d（今日）\s+144\s+144", result.stderr)
    assert re.search(r"budget\.txt\s+予算\s+7\s+7", result.stderr)
    (tmp_path / "themes.ods").write_bytes((fixtures / "themes.ods").read_bytes())
    again = kpi("load", "--db", str(db), str(tmp_path / "themes.ods"))
    assert again.returncode == 0 and "変更なし" in again.stderr  # the same themes as the .xls


def test_a_semicolon_csv_is_refused_naming_the_separator(kpi, db: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "themes.csv", themes_csv([theme("T1")]).replace(",", ";"))
    result = kpi("load", "--db", str(db), str(path))
    assert result.returncode == 3
    assert "セミコロン（;）で区切られています" in result.stderr and "CSV UTF-8 (コンマ区切り)" in result.stderr


def test_report_csv_file_opens_in_excel_stdout_stays_plain(kpi, sample_store: Path, tmp_path: Path) -> None:
    """--out writes what kpi export writes (UTF-8 with BOM, CRLF); stdout is plain UTF-8 with LF for pipes."""
    args = ["report", "--db", str(sample_store), "--as-of", "2025", "--format", "csv"]
    piped = kpi(*args).stdout
    assert not piped.startswith("\ufeff") and "\r" not in piped
    result = kpi(*args, "--out", str(tmp_path / "report.csv"))
    assert result.returncode == 0 and result.stdout == ""
    data = (tmp_path / "report.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == data.count(b"\n")
    assert data[3:].decode("utf-8") == piped.replace("\n", "\r\n")
    markdown = kpi("report", "--db", str(sample_store), "--format", "markdown", "--out", str(tmp_path / "r.md"))
    assert markdown.returncode == 0 and not (tmp_path / "r.md").read_bytes().startswith(b"\xef\xbb\xbf")


# ---------------------------------------------------------------------------- shell conventions

STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d ")


def test_help_shows_the_exit_codes_the_environment_and_completion(kpi) -> None:
    top = kpi("--help").stdout
    assert re.search(r"終了コード:\n\s+0\s+成功\n", top) and re.search(
        r"\n\s+75\s+使用中（別の処理のデータベース、Excel で開いているファイル）\n", top
    )
    assert "--install-completion" in top and "補完を設定します" in top and "Install completion" not in top
    assert "環境変数: KPI_LOG_FORMAT" in " ".join(top.split())
    report = " ".join(kpi("report", "--help").stdout.split())
    for variable in ("KPI_DB", "KPI_WAIT", "KPI_LANG", "KPI_LOG_FORMAT"):
        assert f"環境変数: {variable}" in report, variable


def test_environment_variables_are_read_through_the_options(kpi, sample_store: Path, tmp_path: Path) -> None:
    env = {"KPI_DB": str(sample_store), "KPI_LANG": "en", "KPI_LOG_FORMAT": "json", "KPI_WAIT": "0.5"}
    result = kpi("check", "--as-of", "2025", env=env, cwd=tmp_path)
    assert result.returncode == 1 and "short-term" in result.stdout
    bad = kpi("report", "--as-of", "next year", env=env, cwd=tmp_path)
    assert bad.returncode == 2 and json.loads(bad.stderr)["message"].startswith("--as-of: not a fiscal year")
    wait = kpi("report", env={**env, "KPI_WAIT": "soon"}, cwd=tmp_path)
    assert wait.returncode == 2 and "--wait" in json.loads(wait.stderr)["message"]


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--log-format", "json", "--bogus"],
        ["report", "--bogus", "--log-format", "json"],
        ["report", "--as-of", "1999", "--log-format=json"],
        ["load", "--log-format", "json"],
        ["--log-format", "json", "nosuchcommand"],
    ],
)
def test_usage_errors_are_one_json_object_wherever_log_format_is_given(kpi, args: list[str], tmp_path: Path) -> None:
    result = kpi(*args, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    record = json.loads(line)
    assert record["level"] == "error" and record["exit_code"] == 2 and record["message"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", record["time"])


def test_log_format_json_after_the_subcommand(kpi, db: Path, tmp_path: Path) -> None:
    bad = write(tmp_path / "themes.csv", themes_csv([theme("T1", item=9)]))
    result = kpi("load", "--db", str(db), str(bad), "--log-format", "json")
    records = [json.loads(line) for line in result.stderr.splitlines()]
    assert result.returncode == 3 and records[0]["line"] == 2 and records[-1]["exit_code"] == 3
    assert all("time" in r for r in records)


@pytest.mark.slow  # (2 s of CPU; CI's slow step: test_cron keeps a real cron line in the default run)
def test_text_log_lines_carry_the_time_when_stderr_is_a_file(db: Path, tmp_path: Path) -> None:
    """A file (cron's 2>> kpi.log): every line starts with the local time. A pipe or a terminal: plain lines."""
    import os
    import pty
    import subprocess
    import sys

    args = [sys.executable, "-m", "kpi", "load", "--db", str(db), str(SAMPLE_THEMES)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("KPI_")}
    log = tmp_path / "kpi.log"
    with log.open("ab") as stderr:
        assert subprocess.run(args, stderr=stderr, env=env, timeout=120).returncode == 0
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and all(STAMP.match(line) for line in lines), lines
    assert lines[0].split()[1:] == ["ファイル", "種類", "一覧の日付", "行数", "追加", "更新", "読込"]  # columns line up

    piped = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert piped.stderr.splitlines()[0].split()[0] == "ファイル"

    leader, follower = pty.openpty()
    try:
        with subprocess.Popen(args, stderr=follower, env=env) as proc:
            os.close(follower)
            chunks = []
            while True:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the terminal closed with the process
                    break
                if not chunk:
                    break
                chunks.append(chunk)
        assert proc.returncode == 0
    finally:
        os.close(leader)
    # a load that runs past a second on a busy machine shows its progress line first, then erases it (ANSI codes)
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8"))
    terminal = [line.rsplit("\r", 1)[-1] for line in shown.replace("\r\n", "\n").split("\n")]
    table = [line for line in terminal if line.strip() and "…" not in line]
    assert table[0].split()[0] == "ファイル" and not any(STAMP.match(line) for line in terminal), terminal


def test_completion_of_commands_and_choices(kpi) -> None:
    env = {"_KPI_COMPLETE": "complete_bash", "COMP_WORDS": "kpi rep", "COMP_CWORD": "1"}
    assert kpi(env=env).stdout.split() == ["report"]
    env = {"_KPI_COMPLETE": "complete_bash", "COMP_WORDS": "kpi export --format ", "COMP_CWORD": "3"}
    assert kpi(env=env).stdout.split() == ["csv", "xlsx"]


def test_install_completion_writes_the_shells_script(tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess
    import sys

    if shutil.which("bash") is None:
        pytest.skip("no bash on this machine")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KPI_")} | {"HOME": str(tmp_path)}
    command = f"'{sys.executable}' -m kpi --install-completion; echo exit=$?"  # bash stays kpi's parent
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=env, timeout=120)
    assert "exit=0" in result.stdout, result.stderr
    assert "bash の補完を" in result.stderr and ".bash_completions/kpi.sh" in result.stderr
    assert "_KPI_COMPLETE=complete_bash" in (tmp_path / ".bash_completions" / "kpi.sh").read_text(encoding="utf-8")
    assert "kpi.sh" in (tmp_path / ".bashrc").read_text(encoding="utf-8")
    refused = subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=env, timeout=120)
    if "exit=2" in refused.stdout:  # sh is not bash here (Debian's dash): kpi says which shells it knows
        assert "bash, zsh, fish" in refused.stderr


@pytest.mark.slow  # (every help of every command in both languages: 4 s; CI's slow step — tools/update_commands.py writes it)
def test_the_command_reference_is_every_help_as_printed_today() -> None:
    """docs/commands.md is written only by tools/update_commands.py; it fails here as soon as a --help changes."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "update_commands.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    reference = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"### kpi {name}\n" in reference and f"### kpi {name}（日本語）\n" in reference, name
    assert "(docs/commands.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_exit_code_is_documented_in_the_reference_the_guide_and_help() -> None:
    from kpi.errors import ExitCode
    from kpi.present.catalogue import WORDS

    for document, heading in (("docs/reference.md", "## Exit codes"), ("docs/guide.ja.md", "## 終了コード")):
        text = (ROOT / document).read_text(encoding="utf-8")
        table = text.split(heading, 1)[1].split("\n## ", 1)[0]
        documented = {int(n) for pair in re.findall(r"^\| (\d+)(?: / (\d+))? \|", table, re.M) for n in pair if n}
        assert documented == {int(code) for code in ExitCode}, document
    for help_text in WORDS["help.exit_codes"]:
        assert all(str(int(code)) in help_text for code in ExitCode), help_text


def test_a_mistyped_command_suggests_the_closest(kpi, kpi_en) -> None:
    result = kpi("repot")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "kpi: 不明なコマンド: repot（もしかして: kpi report, kpi export）"
    assert "did you mean: kpi followups due?" in kpi_en("followups", "dew").stderr
    assert "もしかして" not in kpi("zzzz").stderr  # nothing close: no guess


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (["load"], "読み込むファイルまたはフォルダを指定してください"),
        (["portfolio"], "事業のデータベース（ファイルまたはフォルダ）を指定してください"),
        (["explain"], "指標を指定してください: short_term、long_term、long_term_matured"),
        (["chart"], "グラフを指定してください"),
        (["restore"], "戻すバックアップのファイルを指定してください"),
    ],
)
def test_a_missing_argument_is_said_as_what_it_is(kpi, command: list[str], said: str) -> None:
    result = kpi(*command)
    assert result.returncode == 2 and result.stderr.startswith(f"kpi: {said}"), result.stderr


def test_a_year_out_of_range_says_the_range(kpi, kpi_en, sample_store: Path) -> None:
    ja = kpi("report", "--db", str(sample_store), "--as-of", "1999")
    assert ja.returncode == 2
    assert "--as-of: 1999年度は範囲外です（2000〜2100年度の年度を" in ja.stderr
    en = kpi_en("check", "--db", str(sample_store), "--as-of", "R99")
    assert en.returncode == 2 and "--as-of: FY2117 is out of range (give a fiscal year from 2000 to 2100" in en.stderr
