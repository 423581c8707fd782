"""The report, the export (CSV and xlsx) and the HTML page of the sample say the same thing: every figure the same
number, every ratio the same percentage, every header the same words and units, research items as ①②③.

The report's JSON is the reference (exact numbers); each other output is read back as a person or Excel reads it:
the terminal text, the CSV files as text, the workbook's cells, the page's text without its tags."""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from kit import SAMPLE, cli
from matrix import one_per_moment

LANGS = ["ja", "en"]


class PageText(HTMLParser):
    """The text a reader sees on the page (no style, no chart markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._skip += tag in ("style", "script", "svg")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script", "svg")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def percent_text(ratio: float) -> str:
    """A ratio as the report writes it (half up, one place)."""
    return f"{Decimal(str(ratio * 100)).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def csv_table(folder: Path, name: str) -> list[list[str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


@pytest.fixture(scope="module")
def outputs(_sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Per language: the report JSON and text, the CSV export, the workbook and the HTML page of FY2025."""
    import shutil

    import openpyxl

    found: dict[str, dict[str, Any]] = {}
    for lang in LANGS:
        folder = tmp_path_factory.mktemp(f"agree_{lang}")
        db = folder / "kpi.duckdb"
        shutil.copy(_sample_db, db)
        env = {"KPI_LANG": lang}
        assert cli("load", "--db", str(db), str(SAMPLE / "illustrative"), env=env).returncode == 0

        def kpi(*args: str, db: Path = db, env: dict[str, str] = env) -> str:
            result = cli(*args, "--db", str(db), "--as-of", "2025", env=env)
            assert result.returncode == 0, result.stderr
            return result.stdout

        html = folder / "report.html"
        kpi("export", "--out", str(folder / "csv"))
        kpi("export", "--out", str(folder / "xlsx"), "--format", "xlsx")
        kpi("report", "--format", "html", "--out", str(html))
        page = PageText()
        page.feed(html.read_text(encoding="utf-8"))
        found[lang] = {
            "json": json.loads(kpi("report", "--format", "json")),
            "text": kpi("report"),
            "csv": folder / "csv",
            "book": openpyxl.load_workbook(folder / "xlsx" / "kpi_submission.xlsx"),
            "page": page.text,
        }
    return found


def sheet(found: dict[str, Any], name: str, lang: str) -> list[list[Any]]:
    from kpi.present import labels
    from kpi.present.catalogue import Words

    return [[c.value for c in row] for row in found["book"][Words(lang)(labels.SHEET[name])].iter_rows()]


TABLES = ["outcome_kpis", "status_summary", "by_element", "budget_execution", "themes", "outputs", "stage_gate"]


@pytest.mark.parametrize(("name", "lang"), one_per_moment(TABLES, LANGS))
def test_csv_and_workbook_hold_the_same_headers_and_cells(outputs, name: str, lang: str) -> None:
    found = outputs[lang]
    rows, cells = csv_table(found["csv"], name), sheet(found, name, lang)
    assert rows[0] == cells[0]  # the same words and units, column by column
    assert len(rows) == len(cells)
    percent_columns = [i for i, h in enumerate(rows[0]) if h.endswith(("（%）", "(%)"))]
    for written, held in zip(rows[1:], cells[1:], strict=True):
        for i, (text, value) in enumerate(zip(written, held, strict=False)):
            if value is None:
                assert text == "", (name, i)
            elif i in percent_columns:  # a percentage in the file, a ratio with a 0.0% format in the cell
                assert float(text) == pytest.approx(round(value * 100, 4), abs=1e-9), (name, i)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                assert float(text) == pytest.approx(value), (name, i)
            else:
                assert text == str(value), (name, i)


@pytest.mark.parametrize("lang", LANGS)
def test_every_kpi_is_the_same_figure_in_every_output(outputs, lang: str) -> None:
    found = outputs[lang]
    kpis = {k["name"]: k for k in found["json"]["kpis"]}
    rows = csv_table(found["csv"], "outcome_kpis")
    header = rows[0]
    actual, numerator, denominator, target = (
        next(i for i, h in enumerate(header) if h.startswith(word))
        for word in (("実績", "actual"), ("分子", "numerator"), ("分母", "denominator"), ("目標", "target"))
    )
    for row, key in zip(rows[1:], ["short_term", "long_term", "long_term_matured"], strict=True):
        k = kpis[key]
        assert row[target] == f"{k['target'] * 100:g}"
        if k["ratio"] is None:
            assert row[actual] == "" and key != "short_term"
            continue
        assert float(row[actual]) == round(k["ratio"] * 100, 4)
        assert (int(row[numerator]), int(row[denominator])) == (k["numerator"], k["denominator"])
        shown = percent_text(k["ratio"])
        assert shown in found["text"] and shown in found["page"], (key, shown)
        assert f"{k['numerator']} / {k['denominator']}" in found["page"]
        assert f"{k['numerator']}/{k['denominator']}" in found["text"].replace(" ", "") or shown in found["text"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_budget_is_the_same_amount_with_its_unit_everywhere(outputs, lang: str) -> None:
    found = outputs[lang]
    unit = "億円" if lang == "ja" else "100M yen"
    budget = found["json"]["budget"]
    rows = csv_table(found["csv"], "budget_execution")
    assert sum(1 for h in rows[0] if unit in h) == 4  # budget, executed and both cumulative columns
    assert [int(r[0]) for r in rows[1:]] == [y["fy"] for y in budget["years"]]
    assert [int(r[2]) for r in rows[1:]] == [y["budget"] for y in budget["years"]]
    assert [int(r[3]) for r in rows[1:]] == [y["executed"] for y in budget["years"]]
    assert [float(r[4]) for r in rows[1:]] == [round(y["ratio"] * 100, 4) for y in budget["years"]]
    total, spent = f"{budget['total']['budget']:,}", f"{budget['total']['executed']:,}"
    for shown in (found["text"], found["page"]):
        assert total in shown and spent in shown and percent_text(budget["total"]["ratio"]) in shown
        assert ("（億円）" if lang == "ja" else "億円") in shown


@pytest.mark.parametrize("lang", LANGS)
def test_research_items_and_names_are_spelled_as_the_report_spells_them(outputs, lang: str) -> None:
    found = outputs[lang]
    items = {"ja": {"①", "②"}, "en": {"1", "2"}}[lang]
    assert {r[0] for r in csv_table(found["csv"], "by_element")[1:]} == items
    assert {r[0] for r in sheet(found, "by_element", lang)[1:]} == items
    assert {r[1] for r in csv_table(found["csv"], "themes")[1:]} == items | {"③" if lang == "ja" else "3"}
    programme = found["json"]["programme"]["name"]
    assert programme in found["text"] and programme in found["page"]
    if lang == "ja":
        for word in ("①", "②"):
            assert word in found["text"] and word in found["page"]
    summary = {row[0]: row[1] for row in sheet(found, "summary", lang) if row and row[0]}
    assert programme in summary.values()
    buffered = io.StringIO(found["text"])
    assert buffered.readline().strip().startswith(programme)
