"""One verdict per KPI, whatever the output: each database below is rendered in every output that states a
verdict (report as table, markdown, CSV, JSON and HTML; export as CSV and xlsx; check as text and JSON), and
every output must say the same verdict for each KPI — the one its specification gives."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
from kit import SAMPLE, cli, theme, themes_csv, write
from matrix import one_per_moment

from kpi.present.catalogue import WORDS

KPIS = ("short_term", "long_term", "long_term_matured")
NAMES = {  # how each output names a KPI (Japanese, the default)
    "report": {k: WORDS[f"kpi.{k}.name"][0].format(horizon=3) for k in KPIS},
    "export": {k: WORDS[f"kpi.{k}.title"][0].format(horizon=3) for k in KPIS},
    "check": {k: WORDS[f"check.name.{k}"][0].format(horizon=3) for k in KPIS},
}
PROGRAMME = (SAMPLE / "programme.toml").read_text(encoding="utf-8")

# database → (as-of year, the verdict of each KPI by its specification)
SCENARIOS = {
    "sample-2025": (
        2025,
        {"short_term": "not_met", "long_term": "not_judged_yet", "long_term_matured": "not_measurable"},
    ),
    "all-met-2030": (2030, {"short_term": "met", "long_term": "met", "long_term_matured": "met"}),
    "below-2030": (2030, {"short_term": "not_met", "long_term": "not_met", "long_term_matured": "not_met"}),
    "no-settings-2025": (2025, {"short_term": "no_target", "long_term": "no_target", "long_term_matured": "no_target"}),
}


def build(name: str, folder: Path) -> Path:
    """The database of a scenario, loaded by the real command."""
    folder.mkdir()
    if name == "sample-2025":
        files = [SAMPLE]
    else:
        ended = [theme(f"A{i}", end_fy=2021) for i in range(4)] + [theme("N1", end_fy=2021, status="目標未達")]
        ended.append(theme("W1", end_fy=2021, status="計画通り"))
        survey = "A0,2024,製品化\nA1,2024,上市\nA2,2024,上市\nN1,2024,中止\n"
        if name == "below-2030":
            ended[1] = theme("A1", end_fy=2021, status="目標未達")
            survey = "A0,2024,製品化\nA1,2024,開発\nA2,2024,研究\n"
        write(folder / "themes.csv", themes_csv(ended))
        write(folder / "followups.csv", "theme_id,survey_fy,stage\n" + survey)
        if name != "no-settings-2025":
            write(folder / "programme.toml", PROGRAMME)
        files = [folder]
    db = folder / "kpi.duckdb"
    result = cli("load", "--db", str(db), *map(str, files))
    assert result.returncode == 0, result.stderr
    return db


def words(verdict: str, fy: int = 2030) -> str:
    """The Japanese words of a verdict (a not-measurable verdict may say why after them)."""
    return WORDS[f"verdict.{verdict}"][0].format(fy=fy)


def from_table(text: str, names: dict[str, str]) -> dict[str, str]:
    """The last column of the row of each KPI in an aligned text table."""
    found = {}
    for line in text.splitlines():
        for key, name in names.items():
            if line.startswith(name + " "):
                found[key] = re.split(r"\s{2,}", line[len(name) :].strip())[-1]
    return found


def from_markdown(text: str, names: dict[str, str]) -> dict[str, str]:
    found = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] in names.values():
            found[next(k for k, n in names.items() if n == cells[0])] = cells[-1]
    return found


def from_rows(rows: list[list[str]], names: dict[str, str], column: int) -> dict[str, str]:
    by_name = {n: k for k, n in names.items()}
    return {by_name[r[0]]: r[column] for r in rows if r and r[0] in by_name}


def verdicts(output: str, db: Path, as_of: int, tmp_path: Path) -> dict[str, str]:
    """What one output says each KPI's verdict is: codes from JSON, words from everything else."""
    base = ["--db", str(db), "--as-of", str(as_of)]
    if output in ("report-json", "check-json"):
        command = "report" if output == "report-json" else "check"
        data = json.loads(cli(command, *base, "--format", "json").stdout)
        return {k["name"]: k["verdict"] for k in data["kpis"]}
    if output == "report-table":
        return from_table(cli("report", *base).stdout, NAMES["report"])
    if output == "report-markdown":
        return from_markdown(cli("report", *base, "--format", "markdown").stdout, NAMES["report"])
    if output == "report-csv":
        rows = list(csv.reader(io.StringIO(cli("report", *base, "--format", "csv").stdout)))
        return from_rows(rows, NAMES["report"], -1)
    if output == "report-html":
        out = tmp_path / "report.html"
        assert cli("report", *base, "--format", "html", "--out", str(out)).returncode == 0
        page = out.read_text(encoding="utf-8")
        cards = re.findall(
            r'data-verdict="([a-z_]+)"><p class="label">([^<]*)</p>.*?<span class="verdict">([^<]*)</span>', page
        )
        by_name = {n: k for k, n in NAMES["report"].items()}
        for code, _label, shown in cards:  # the card's class and its words agree
            assert (
                html.unescape(shown)
                .lstrip("✓✗ ")
                .startswith(words(code, as_of if code != "not_judged_yet" else 2030)[:2])
            )
        return {by_name[html.unescape(label)]: html.unescape(shown).lstrip("✓✗ ") for _, label, shown in cards}
    if output == "export-csv":
        out = tmp_path / "export"
        assert cli("export", *base, "--out", str(out)).returncode == 0
        rows = list(csv.reader(io.StringIO((out / "outcome_kpis.csv").read_text(encoding="utf-8-sig"))))
        return from_rows(rows, NAMES["export"], rows[0].index("判定"))
    if output == "export-xlsx":
        import openpyxl

        out = tmp_path / "xlsx"
        assert cli("export", *base, "--out", str(out), "--format", "xlsx").returncode == 0
        sheet = openpyxl.load_workbook(out / "kpi_submission.xlsx")["アウトカム指標"]
        cells = [[str(c.value) if c.value is not None else "" for c in row] for row in sheet.iter_rows()]
        header = next(r for r in cells if "判定" in r)
        return from_rows(cells, NAMES["export"], header.index("判定"))
    if output == "check-text":
        return from_table(cli("check", *base).stdout, NAMES["check"])
    raise AssertionError(output)


OUTPUTS = [
    "report-table",
    "report-markdown",
    "report-csv",
    "report-json",
    "report-html",
    "export-csv",
    "export-xlsx",
    "check-text",
    "check-json",
]


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("verdicts")
    return {name: build(name, root / name) for name in SCENARIOS if name != "no-settings-2025"} | {
        "no-settings-2025": build("no-settings-2025", root / "no-settings")
    }


@pytest.mark.parametrize(("output", "scenario"), one_per_moment(OUTPUTS, list(SCENARIOS)))
def test_every_output_states_the_same_verdict_for_each_kpi(
    scenario: str, output: str, databases: dict[str, Path], tmp_path: Path
) -> None:
    as_of, expected = SCENARIOS[scenario]
    if scenario == "no-settings-2025" and output.startswith("check"):
        result = cli("check", "--db", str(databases[scenario]), "--as-of", str(as_of))
        assert result.returncode == 3 and "プログラム設定（目標値）が未登録" in result.stderr
        return
    shown = verdicts(output, databases[scenario], as_of, tmp_path)
    assert set(shown) == set(KPIS), shown
    for kpi, verdict in expected.items():
        if output.endswith("json"):
            assert shown[kpi] == verdict, (kpi, shown)
        else:
            assert shown[kpi].startswith(words(verdict)), (kpi, shown[kpi], words(verdict))
