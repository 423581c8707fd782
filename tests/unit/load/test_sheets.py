"""Workbooks as offices send them: a cell holding an Excel error (#DIV/0!, #N/A, …) is refused, naming its row,
its column's header and its cell, in both languages; nothing is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from faultkit import rows


def budget_book(path: Path, error: str) -> Path:
    """A budget sheet whose FY2019 執行額 holds an Excel error value (as Excel stores =1/0: t="e")."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["年度", "予算額", "執行額"])
    sheet.append([2019, 100, error])
    sheet.append([2020, 200, 150])
    book.save(path)
    return path


@pytest.mark.parametrize("error", ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"])
def test_an_excel_error_cell_is_refused_naming_the_cell(kpi, sample_store: Path, tmp_path: Path, error: str) -> None:
    before = rows(sample_store, "SELECT count(*) FROM loads")
    book = budget_book(tmp_path / "budget.xlsx", error)
    result = kpi("load", "--db", str(sample_store), str(book))
    assert result.returncode == 3, result.stderr
    assert "Excel のエラー値" in result.stderr and error in result.stderr and "C2" in result.stderr
    assert "執行額" in result.stderr  # the file's own header names the column
    assert rows(sample_store, "SELECT count(*) FROM loads") == before


def test_the_refusal_is_in_english_too(kpi_en, sample_store: Path, tmp_path: Path) -> None:
    result = kpi_en("load", "--db", str(sample_store), str(budget_book(tmp_path / "budget.xlsx", "#DIV/0!")))
    assert result.returncode == 3
    assert "an Excel error value #DIV/0! (cell C2)" in result.stderr


def test_a_workbook_without_errors_loads(kpi, sample_store: Path, tmp_path: Path) -> None:
    result = kpi("load", "--db", str(sample_store), str(budget_book(tmp_path / "budget.xlsx", "90")))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("予算.csv", "budget"),
        ("予算2026.csv", "budget"),
        ("テーマ一覧_2026-03-31.xlsx", "themes"),
        ("テーマ.csv", "themes"),
        ("追跡調査.csv", "followups"),
        ("成果.csv", "outputs"),
        ("権利化.csv", "grants"),
        ("ステージゲート.xlsx", "stagegate"),
        ("評点.csv", "evaluation"),
        ("公表値.csv", "published"),
        ("設定.toml", "programme"),
        ("ＢＵＤＧＥＴ.csv", "budget"),
        ("memo.csv", None),
    ],
)
def test_a_file_is_known_by_its_japanese_name(name: str, kind: str | None) -> None:
    from kpi.load.files import kind_of

    assert kind_of(Path(name), None) == kind


def test_a_folder_of_japanese_names_loads(kpi, db: Path, tmp_path: Path) -> None:
    from kit import SAMPLE

    folder = tmp_path / "届いたファイル"
    folder.mkdir()
    (folder / "予算2026.csv").write_bytes((SAMPLE / "budget.csv").read_bytes())
    (folder / "テーマ一覧_2026-03-31.csv").write_bytes((SAMPLE / "themes_2026-03-31.csv").read_bytes())
    result = kpi("load", "--db", str(db), str(folder))
    assert result.returncode == 0, result.stderr
    assert rows(db, "SELECT kind, snapshot FROM loads ORDER BY load_id") == [
        ("themes", dt.date(2026, 3, 31)),
        ("budget", None),
    ]
