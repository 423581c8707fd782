"""`kpi report --by` and `kpi explain --by` in every format they give (kpi.present.breakdown), in this process on a
small programme with attributes (kit.GROUPED_ROWS)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def test_every_format_gives_each_group_then_the_whole(kpi, kpi_en, grouped_store: Path) -> None:
    """The table, markdown, CSV and JSON show the same groups in the declared order, small ones marked, the whole
    last; the SME share is one line of the status table."""
    db = ["--db", str(grouped_store), "--as-of", "2026"]
    table = kpi("report", *db, "--by", "分野")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0] == "分野別のアウトカム指標と状況 · 2026年度末 · テーマ一覧 2026-03-31"
    short = lines[lines.index("■ 短期: 目標達成 / 研究開発完了") + 3 :][:5]
    assert [line.split()[:4] for line in short] == [
        ["通信", "1", "2", "0"],
        ["AI", "1", "1", "0"],
        ["光", "0", "0", "0"],
        ["（未設定）", "0", "0", "1"],
        ["計", "2", "3", "1"],
    ]
    assert "少数（3件未満）" in lines[lines.index("■ 短期: 目標達成 / 研究開発完了") + 5]  # 光: no adopted theme
    by_size = kpi("report", *db, "--by", "企業規模").stdout.split("■ 状況（群別）")[1]
    sme = next(line for line in by_size.splitlines() if line.startswith("中小企業"))
    assert sme.split()[4:7] == ["2", "40.0%", "0"]  # T2 and T3: two of the five adopted themes, none left out
    markdown = kpi("report", *db, "--by", "分野", "-f", "markdown").stdout
    assert markdown.startswith("# 分野別") and "| 通信 " in markdown
    csv = kpi_en("report", *db, "--by", "分野", "-f", "csv").stdout.splitlines()
    assert "通信,1,2,0,50.0%,not met,small (under 3)" in csv and csv[-1].startswith("A group with fewer than 3")
    found = json.loads(kpi("report", *db, "--by", "分野", "-f", "json").stdout)
    assert [g["label"] for g in found["groups"]] == ["通信", "AI", "光", "（未設定）"]
    assert found["total"]["adopted"] == sum(g["adopted"] for g in found["groups"]) == 5


def test_explain_by_counts_each_groups_themes_as_the_report_does(kpi, grouped_store: Path) -> None:
    """For every KPI and group, explain's numerator and denominator are the breakdown's."""
    db = ["--db", str(grouped_store), "--as-of", "2026"]
    report = json.loads(kpi("report", *db, "--by", "分野", "-f", "json").stdout)
    for key in ("short_term", "long_term", "long_term_matured"):
        explained = json.loads(kpi("explain", key, *db, "--by", "分野", "-f", "json").stdout)
        for shown, group in zip(report["groups"], explained["groups"], strict=True):
            kpi_of = next(k for k in shown["kpis"] if k["name"] == key)
            counts = group["counts"]
            assert group["label"] == shown["label"]
            assert (counts["numerator"], counts["numerator"] + counts["denominator"]) == (
                kpi_of["roles"]["numerator"],
                kpi_of["denominator"],
            )
    text = kpi("explain", "short_term", *db, "--by", "分野").stdout
    assert "テーマID    分野" in text


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--by", "予算額"], "an amount or number attribute"),
        (["--by", "size"], "expected one of: item, element, 分野, 企業規模, 採択年度"),
    ],
)
def test_what_names_no_grouping_is_a_usage_error(kpi_en, grouped_store: Path, args: list[str], said: str) -> None:
    result = kpi_en("report", "--db", str(grouped_store), *args)
    assert result.returncode == 2 and said in result.stderr and not result.stdout


@pytest.mark.slow  # (three charts drawn: 2 s)
def test_the_html_page_holds_every_table_and_the_charts_per_group(kpi_en, grouped_store: Path, tmp_path: Path) -> None:
    """`kpi report --by 分野 --format html --out F`: one self-contained page, each KPI's table with its outlook and the
    status table, the short-term, matured long-term and status charts inline, nothing fetched."""
    page = tmp_path / "by.html"
    result = kpi_en(
        "report", "--db", str(grouped_store), "--as-of", "2026", "--by", "分野", "-f", "html", "--out", str(page)
    )
    assert result.returncode == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 3 and html.count("<table") == 4
    assert "<td>通信</td>" in html and "small (under 3)" in html
    assert "://" not in html.replace("http://www.w3.org/", "")  # (the SVG namespaces are names, never fetched)


def test_a_breakdown_says_what_the_report_says_of_its_figures(kpi_en, load, tmp_path: Path) -> None:
    """Carried themes, the earliest list standing in and a --known-at read are said by `--by` as by the report (text
    and JSON); a list without the attribute's column is said at load, and a breakdown no theme has a value of says
    to load the lists again."""
    from kit import SAMPLE, THEMES_HEADER, theme, themes_csv, write

    settings = (SAMPLE / "programme.toml").read_text(encoding="utf-8") + '\n[attributes."分野"]\ntype = "text"\n'
    folder = tmp_path / "in"
    folder.mkdir()
    db = str(tmp_path / "kpi.duckdb")
    first = themes_csv([theme("T1") + ",通信", theme("T2") + ",AI"], THEMES_HEADER + ",分野")
    paths = [write(folder / "programme.toml", settings), write(folder / "themes_2025-03-31.csv", first)]
    assert kpi_en("load", "--db", db, *map(str, paths)).returncode == 0
    later = write(folder / "themes_2026-03-31.csv", themes_csv([theme("T2")]))
    loaded = kpi_en("load", "--db", db, str(later))
    assert "no column for the attribute the settings declare: 分野" in loaded.stderr
    found = json.loads(kpi_en("report", "--db", db, "--as-of", "2025", "--by", "分野", "-f", "json").stdout)
    assert found["placement"]["carried"] == 1 and [g["label"] for g in found["groups"]] == ["通信", "(not given)"]
    text = kpi_en("report", "--db", db, "--as-of", "2025", "--by", "分野").stdout
    assert "1 themes missing from the newer list count with their state in the last list" in text
    early = kpi_en("report", "--db", db, "--as-of", "2020", "--by", "分野", "--known-at", "2").stdout
    assert early.splitlines()[1].startswith("figures as known right after load #2") and "earliest list" in early
    assert json.loads(kpi_en("report", "--db", db, "--as-of", "2020", "--by", "分野", "-f", "json").stdout)[
        "snapshot_fallback"
    ]
    bare = kpi_en("report", "--db", db, "--as-of", "2026", "--by", "分野").stdout
    assert "No theme of this list has a value of 分野" not in bare  # T1, carried, still has its value
