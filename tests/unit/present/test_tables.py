"""The one table model: a table declared once, written by one emitter in every format; the formats one enum, each
command offering some; the report's sections listed once and walked in the same order by every output."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from kit import ROOT
from wcwidth import wcswidth

from kpi.db.notices import notices
from kpi.present.formats import ChangesFormat, CheckFormat, Format, Formats, PortfolioFormat, ReportFormat
from kpi.present.tables import TEXT, Column, Table, emit, fitting, is_text

ITEMS = [
    SimpleNamespace(name="Alpha", count=1200, sha="ab" * 32),
    SimpleNamespace(name="=cmd|' /C calc'!A0", count=3, sha="cd" * 32),
]


def declared() -> Table:
    """Two columns and a third that aligned text shows cut short."""
    return Table.of(
        "things",
        [
            Column("名前", lambda i: i.name),
            Column("件数", lambda i: i.count, "count"),
            Column("sha256", lambda i: i.sha, text=lambda i: i.sha[:12]),
        ],
        ITEMS,
        title="もの",
    )


def test_a_table_is_declared_column_by_column() -> None:
    table = declared()
    assert table.headers == ["名前", "件数", "sha256"]
    assert table.formats == ["", "count", ""]
    assert table.rows[0] == ["Alpha", 1200, "ab" * 32]
    assert table.text_rows[0] == ["Alpha", 1200, "abababababab"]


def test_aligned_text_right_aligns_numbers_and_shows_the_text_form() -> None:
    out = emit(declared(), Format.table)
    assert isinstance(out, str)
    lines = out.splitlines()
    assert lines[0].split() == ["名前", "件数", "sha256"]
    assert lines[2].startswith("Alpha") and "  1200  abababababab" in lines[2]
    assert "ab" * 32 not in out


def changed() -> Table:
    """A table of free text (a title), a changed value and a figure, as `kpi changes` shows one."""
    items = [
        SimpleNamespace(
            title="バス型海底ケーブルネットワークの研究開発",
            after="株式会社日立製作所、三菱電機株式会社",
            figure="39/56 (69.6%)",
        )
    ]
    return Table.of(
        "changed",
        [
            Column("開発テーマ名", lambda i: i.title, TEXT),
            Column("変更後", lambda i: i.after),
            Column("短期", lambda i: i.figure),
        ],
        items,
    )


def test_aligned_text_fits_the_terminal_its_free_text_giving_way() -> None:
    with fitting(80):
        out = str(emit(changed(), Format.table))
    assert "株式会社日立製作所、三菱電機株式会社" in out and "39/56 (69.6%)" in out
    assert "…" in out and "バス型海底ケーブルネットワークの研究開発" not in out  # the title gave way
    assert max(wcswidth(line) for line in out.splitlines()) <= 80
    assert notices() == []


def columns_of(line: str, start: int, end: int) -> str:
    """The part of an aligned line between two terminal columns."""
    out, at = "", 0
    for char in line:
        if start <= at < end:
            out += char
        at += wcswidth(char)
    return out.strip()


def test_a_table_that_cannot_fit_folds_its_values_and_says_so() -> None:
    with fitting(40):
        out = str(emit(changed(), Format.table))
    lines = out.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("---")) + 1  # (a header may fold, never cut)
    assert max(wcswidth(line) for line in lines) <= 40
    assert lines[first].endswith("39/56 (69.6%)")  # the figure whole
    start = wcswidth(lines[0].split("変更後")[0])
    end = wcswidth(lines[0].split("短期")[0])
    value = [columns_of(line, start, end) for line in lines[first:]]
    assert len(value) > 1 and "".join(value) == "株式会社日立製作所、三菱電機株式会社"  # folded, not cut
    assert notices() == [("table.too_wide", {"columns": 40})]
    with fitting(40):
        emit([changed(), changed()], Format.table)
    assert notices() == [("table.too_wide", {"columns": 40})]  # said once, however many tables


def test_markdown_cells_are_inert() -> None:
    out = emit(declared(), Format.markdown)
    assert isinstance(out, str)
    assert out.startswith("| 名前")
    assert "\\|" in out  # the | of a cell does not split it


def test_csv_carries_the_exact_cells_guarded() -> None:
    out = emit(declared(), Format.csv, line_end="\n")
    assert isinstance(out, str)
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["名前", "件数", "sha256"]
    assert rows[1] == ["Alpha", "1200", "ab" * 32]
    assert rows[2][0].startswith("'=")  # formula-guarded


def test_csv_as_a_file_has_bom_and_crlf_and_tables_are_parted_by_a_blank_line() -> None:
    out = emit([declared(), declared()], Format.csv, to_file=True)
    assert isinstance(out, bytes)
    assert out.startswith(b"\xef\xbb\xbf")
    text = out.decode("utf-8-sig")
    assert "\r\n\r\n" in text and "\n" not in text.replace("\r\n", "")
    assert emit([declared(), declared()], Format.csv) == emit(declared(), Format.csv) + "\r\n" + str(
        emit(declared(), Format.csv)
    )


def test_json_is_the_commands_records_or_a_record_per_row() -> None:
    assert json.loads(str(emit(declared(), Format.json, json=[{"a": 1}]))) == [{"a": 1}]
    rows = json.loads(str(emit(declared(), Format.json)))
    assert rows[0] == {"名前": "Alpha", "件数": 1200, "sha256": "ab" * 32}


def test_xlsx_is_a_sheet_per_table_named_by_its_title() -> None:
    out = emit(declared(), Format.xlsx)
    assert isinstance(out, bytes)
    with zipfile.ZipFile(io.BytesIO(out)) as book:
        assert "もの" in book.read("xl/workbook.xml").decode("utf-8")
        assert "#,##0" in book.read("xl/styles.xml").decode("utf-8")  # the count column's number format


def test_html_escapes_every_cell_and_right_aligns_numbers() -> None:
    table = Table.of("t", [Column("h", lambda i: i), Column("n", lambda i: Decimal(i[-1:] or 0))], ["<b>1"])
    out = str(emit(table, Format.html))
    assert "&lt;b&gt;1" in out and "<b>" not in out
    assert '<td class="num">1</td>' in out


def test_a_table_without_rows_says_so_in_text_only() -> None:
    empty = Table.of("none", [Column("h", lambda i: i)], [])
    assert emit(empty, Format.table, empty="（なし）") == "（なし）\n"
    assert emit(empty, Format.csv, empty="（なし）") == "h\r\n"


def test_formats_are_one_enum_each_command_offering_some() -> None:
    assert isinstance(ReportFormat, Formats)
    assert ReportFormat.html is Format.html
    assert [str(f) for f in PortfolioFormat] == ["table", "markdown", "csv", "json", "xlsx", "html"]
    assert CheckFormat.text is Format.text
    with pytest.raises(AttributeError):
        ChangesFormat.csv  # noqa: B018 (kpi changes offers no CSV)
    assert [f for f in Format if is_text(f)] == [Format.table, Format.text, Format.markdown]


def test_format_branches_live_in_the_emitter() -> None:
    """Only the emitter and a few presenters tell formats apart (#34: 50 branches in 12 modules before)."""
    branch = re.compile(r"\bfmt (is|==|!=|in) ")
    found = {
        path.name: len(branch.findall(path.read_text(encoding="utf-8")))
        for path in (ROOT / "kpi").rglob("*.py")
        if path.name != "charts.py"  # (a chart file's png or svg)
    }
    assert sum(found.values()) <= 30, found


def test_every_output_walks_the_report_sections_in_one_order(tmp_path: Path) -> None:
    """Text, markdown, CSV and the page head the same sections in the same order (kpi.present.rows.sections)."""
    from kpi.db.connect import open_for_read
    from kpi.figures.report import report as build
    from kpi.present import html, rows
    from kpi.present.catalogue import Words
    from kpi.present.report import report_csv, report_text

    db = tmp_path / "k.duckdb"
    for folder in ("sample_data", "sample_data/rs"):
        subprocess.run(
            [sys.executable, "-m", "kpi", "load", "--db", str(db), str(ROOT / folder)], check=True, capture_output=True
        )
    with open_for_read(db) as con:
        report = build(con, 2025)
    words = Words("en")
    headings = [s.heading for s in rows.sections(report, words)]
    assert len(headings) == 13  # status, elements, budget, trend, three lists, outputs, stage gate, grades,
    # recommendations, RS ×2

    def order(text: str, marks: list[str]) -> list[int]:
        return [text.index(m) for m in marks]

    for fmt, mark in ((Format.table, "■ "), (Format.markdown, "## ")):
        out = report_text(report, words, fmt)
        at = order(out, [mark + h + "\n" for h in headings])
        assert at == sorted(at)
    titles = [r[0] for r in csv.reader(io.StringIO(report_csv(report, words))) if len(r) == 1]
    expected = [s.csv_heading or s.heading for s in rows.sections(report, words)]
    assert [t for t in titles if t in expected] == expected
    page = html.render_html(report, words, {})
    at = order(page, [f">{html.e(h)}</h3>" for h in headings])
    assert at == sorted(at)


def test_a_table_as_wide_as_the_terminal_or_narrower_is_shown_whole_without_a_notice() -> None:
    """At its natural width or more nothing is shortened, folded or noticed (kpi#35: 「機…」 at 200 columns)."""
    with fitting(None):
        natural = max(wcswidth(line) for line in str(emit(changed(), Format.table)).splitlines())
    for width in (natural, natural + 1, 200):
        with fitting(width):
            out = str(emit(changed(), Format.table))
        assert "…" not in out and "バス型海底ケーブルネットワークの研究開発" in out, width
        assert notices() == []


def wide() -> Table:
    """Two free-text columns, a file's name and values that fold: the overflow is shared, headers fold."""
    items = [
        SimpleNamespace(
            org="国立研究開発法人産業技術総合研究所 ソニーセミコンダクタソリューションズ株式会社",
            title="ポスト5G情報通信システム基盤強化研究開発事業の高度化に関する研究開発",
            file=f"themes_2026-0{month}-30.csv",
            before="株式会社JVケンウッド エビフォニクス株式会社",
            after="富士通株式会社、日本電気株式会社、株式会社日立製作所",
        )
        for month in (3, 6)
    ]
    return Table.of(
        "wide",
        [
            Column("機関名", lambda i: i.org, TEXT),
            Column("開発テーマ名", lambda i: i.title, TEXT),
            Column("ファイル", lambda i: i.file, TEXT),
            Column("変更前", lambda i: i.before),
            Column("変更後", lambda i: i.after),
        ],
        items,
    )


def cells_under(out: str, header: str) -> list[str]:
    """The first line of each cell of a column of an aligned table, the column found by its header's first line."""
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("--"))
    spans = {m.start(): m.end() for m in re.finditer(r"-+", lines[rule])}  # (the rule is ASCII: one column a dash)
    start = wcswidth(lines[0].split(header)[0])
    return [columns_of(line, start, spans[start]) for line in lines[rule + 1 :] if line[:1].strip()]


@pytest.mark.parametrize("width", [80, 120, 200])
def test_free_text_gives_way_in_proportion_stays_readable_and_a_file_keeps_its_tail(width: int) -> None:
    with fitting(width):
        out = str(emit(wide(), Format.table))
    assert max(wcswidth(line) for line in out.splitlines()) <= width
    organisations, titles = cells_under(out, "機関"), cells_under(out, "開発")
    assert min(wcswidth(c) for c in organisations + titles) >= 10, out  # never 「株式…」
    files = cells_under(out, "ファイル")
    assert len(set(files)) == 2 and files[0].startswith("them") and "2026-03-30" in files[0], out
    head = out.split("\n--")[0]  # (the header's lines: a cell may be 「国立研究開…」)
    assert "機…" not in head and "開…" not in head and "…" not in head  # a header folds, never cut
    notices()  # (values folded: said, and cleared for the next test)


def loads_like() -> Table:
    """`kpi loads` as the office sees it: short figures under wide headers, a hash, an empty 備考, files' names."""
    names = ["programme.toml", "themes_2026-03-31.csv", "themes_2026-06-30.csv", "followups_illustrative.csv"]
    items = [SimpleNamespace(n=f"#{i}", name=name, kind="ステージゲート", rows=144) for i, name in enumerate(names)]
    return Table.of(
        "loads",
        [
            Column("読込", lambda i: i.n),
            Column("日時", lambda i: "2026-12-05 22:25 JST"),
            Column("ファイル", lambda i: i.name, TEXT),
            Column("種類", lambda i: i.kind),
            Column("一覧の日付", lambda i: i.name[7:17] if "_20" in i.name else ""),
            Column("行数", lambda i: i.rows, "count"),
            Column("追加", lambda i: i.rows, "count"),
            Column("更新", lambda i: 0, "count"),
            Column("ハッシュ（sha256）", lambda i: "9a6d644ce13a"),
            Column("備考", lambda i: ""),
        ],
        items,
    )


@pytest.mark.parametrize("width", [80, 100, 120])
def test_an_empty_column_and_headers_give_way_before_a_files_name_drops_below_a_readable_width(width: int) -> None:
    """kpi#35: at 80 columns `kpi loads` showed 「t…3-31」 while the empty 備考 kept its width."""
    with fitting(width):
        out = str(emit(loads_like(), Format.table))
    assert max(wcswidth(line) for line in out.splitlines()) <= width, out
    assert all(wcswidth(cut) >= 12 for cut in re.findall(r"\S*…\S*", out)), out  # every name cut keeps 12
    dated = re.findall(r"(?<!\S)(t\S*…?\S*?2026-0[36]-[0-9]{2}\S*)", out)
    assert len(dated) == 2 and "2026-03-31" in dated[0] and "2026-06-30" in dated[1], out  # each list's date whole
    assert "9a6d644ce13a" in out and "2026-12-05" in out
    notices()


def test_a_dated_files_name_keeps_its_date_whole() -> None:
    from kpi.present.tables import shorten_middle

    name = "themes_2026-03-31.csv"
    assert [shorten_middle(name, w) for w in (21, 17, 12, 6)] == [
        name,
        "th…2026-03-31.csv",
        "t…2026-03-31",
        "t…3-31",
    ]


def test_an_organisation_keeps_ten_columns_where_an_empty_column_folds_its_header() -> None:
    """kpi#35: `kpi followups due` at 80 cut organisations to 7 characters, the empty 期限超過 keeping 10."""
    items = [
        SimpleNamespace(org="国立研究開発法人産業技術総合研究所", title="ポスト5G情報通信システム基盤強化研究開発")
    ] * 3
    table = Table.of(
        "due",
        [
            Column("テーマID", lambda i: "T1-004"),
            Column("機関名", lambda i: i.org, TEXT),
            Column("開発テーマ名", lambda i: i.title, TEXT),
            Column("終了年度", lambda i: "2023"),
            Column("調査予定年度", lambda i: "2026"),
            Column("期限超過", lambda i: ""),
        ],
        items,
    )
    with fitting(80):
        out = str(emit(table, Format.table))
    assert max(wcswidth(line) for line in out.splitlines()) <= 80, out
    assert min(wcswidth(c) for c in cells_under(out, "機関名")) >= 18, out  # (was 14: 「国立研究開発法…」)
    assert notices() == []  # headers folded, no value
