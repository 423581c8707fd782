"""The HTML report as a document: self-contained, escaped, the four charts and the tables, both languages.
(The same page in a real browser: tests/system/test_browser.py.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from kit import ROOT

from kpi.db.connect import open_for_read
from kpi.figures.report import report as build
from kpi.figures.report import schedule
from kpi.present import charts, html
from kpi.present.catalogue import Words

AS_OF = 2025


def load_sample(tmp: Path) -> Path:
    """A database of the sample data, made by the real CLI in a subprocess."""
    db = tmp / "k.duckdb"
    subprocess.run(
        [sys.executable, "-m", "kpi", "load", "--db", str(db), str(ROOT / "sample_data")],
        check=True,
        capture_output=True,
        cwd=tmp,
    )
    return db


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample data's report dict, its long-term schedule and the charts as inline SVG (ja)."""
    db = load_sample(tmp_path_factory.mktemp("html-db"))
    with open_for_read(db) as con:
        rep = build(con, AS_OF)
        long_term = schedule(con, rep)
    svgs = charts.svgs(rep, Words("ja"), long_term)
    return {
        "db": db,
        "report": rep,
        "schedule": long_term,
        "svgs": svgs,
        "page": html.render_html(rep, Words("ja"), svgs),
    }


# ---------------------------------------------------------------- the document itself


def test_page_is_self_contained(sample: dict[str, Any]) -> None:
    """No URL, script, stylesheet link, image, frame, @import or font; a CSP that forbids fetching anyway."""
    page = sample["page"]
    assert page.startswith("<!DOCTYPE html>")
    assert "://" not in page, re.findall(r".{40}://.{40}", page)[:3]
    for forbidden in ("<script", "<link", "<img", "<iframe", "<object", "<embed", "@import", "@font-face", "src="):
        assert forbidden not in page.lower(), forbidden
    assert all(ref.startswith("#") for ref in re.findall(r"url\(([^)]*)\)", page))
    assert all(ref.startswith("#") for ref in re.findall(r'href="([^"]*)"', page))
    assert f'content="{html.e(html.CSP)}"' in page and "default-src 'none'" in html.CSP
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "@media print" in page and "break-inside: avoid" in page and "size: A4" in page


def test_page_holds_the_four_charts_and_the_tables(sample: dict[str, Any]) -> None:
    """Each chart once as inline SVG; the headline, the tables and the three theme lists with their counts."""
    page, rep = sample["page"], sample["report"]
    for name in charts.CHARTS:
        assert page.count(f'id="chart-{name}"') == 1
        assert page.count(f'id="kpi-{name}"') == 1
    assert page.count("<svg") == len(charts.CHARTS)
    assert "<text" not in page  # glyphs are outlines: no font needed to show the charts
    assert "69.6%" in page and "39 / 56" in page and "✗ 未達" in page
    assert "判定は2030年度から" in page and "測定不能（追跡調査データなし）" in page
    for name in ("delayed", "awaiting_final", "not_achieved"):
        assert f"{Words('ja')(f'list.{name}')}（{rep.themes[name].count}）" in page
    for theme in rep.themes["not_achieved"].rows:
        assert html.e(theme.title) in page
    assert "27,759" in page and "82.4%" in page  # budget total and cumulative execution ratio


def test_svg_ids_are_unique_and_every_reference_resolves(sample: dict[str, Any]) -> None:
    """Four matplotlib SVGs in one page: ids prefixed per chart, so clip paths and glyphs never collide."""
    page = sample["page"]
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    refs = set(re.findall(r'(?:url\(#|href="#)([^")]+)', page))
    assert refs and refs <= set(ids)


def test_every_text_value_is_escaped(sample: dict[str, Any]) -> None:
    """Theme titles, organisations and the programme name come from user files: markup in them stays text."""
    from dataclasses import replace

    rep = sample["report"]
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;'
    delayed = rep.themes["delayed"]
    first = delayed.rows[0]._replace(title=evil, organizations=evil, theme_id=evil)
    rep = rep._replace(
        programme=replace(rep.programme, name=evil),
        themes={**rep.themes, "delayed": replace(delayed, rows=(first, *delayed.rows[1:]))},
    )
    page = html.render_html(rep, Words("ja"), sample["svgs"])
    assert "<script" not in page and "<img" not in page
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;"
    assert page.count(escaped) >= 5  # title, h1, and the three cells


def test_english_page(sample: dict[str, Any]) -> None:
    """--lang en: English labels and lang attribute; unknown languages are refused."""
    page = html.render_html(sample["report"], Words("en"), sample["svgs"])
    assert '<html lang="en">' in page and "Outcome indicators" in page and "not met" in page
    assert "judged from FY2030" in page


def test_importing_the_modules_does_not_import_matplotlib() -> None:
    """kpi.present.charts and kpi.present.html load matplotlib only when a chart is drawn."""
    code = "import sys, kpi.present.charts, kpi.present.html, kpi.cli; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_command_writes_the_same_page(kpi, sample: dict[str, Any], tmp_path: Path) -> None:
    """`kpi report --format html --out` writes this page (the file is written whole, then renamed)."""
    out = tmp_path / "report.html"
    result = kpi("report", "--db", str(sample["db"]), "--as-of", "2025", "--format", "html", "--out", str(out))
    assert result.returncode == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8") == sample["page"]
    assert kpi("report", "--db", str(sample["db"]), "--format", "html").returncode == 2  # needs --out
