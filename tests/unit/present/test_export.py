"""Submission files: golden files, encodings, CRLF, formula guard, determinism, atomic and forced writes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from kit import ROOT, SAMPLE_THEMES, theme, themes_csv, write

GOLDEN = ROOT / "tests" / "golden" / "export_2025"
CSV_FILES = [
    "outcome_kpis.csv",
    "status_summary.csv",
    "by_element.csv",
    "budget_execution.csv",
    "themes.csv",
    "outputs.csv",
    "stage_gate.csv",
    "evaluation.csv",
]


def export(kpi, db: Path, out: Path, *args: str) -> None:
    result = kpi("export", "--db", str(db), "--as-of", "2025", "--out", str(out), *args)
    assert result.returncode == 0, result.stderr


def test_export_matches_the_golden_files(kpi, sample_store: Path, tmp_path: Path) -> None:
    """The golden files are written only by tools/update_golden.py, never by this test."""
    export(kpi, sample_store, tmp_path)
    for name in CSV_FILES:
        assert (tmp_path / name).read_bytes() == (GOLDEN / name).read_bytes(), name


def test_bom_crlf_and_japanese_headers_by_default(kpi, sample_store: Path, tmp_path: Path) -> None:
    export(kpi, sample_store, tmp_path)
    data = (tmp_path / "outcome_kpis.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.count("\r\n") == text.count("\n") == 4
    assert text.startswith("指標,定義,目標,実績,分子,分母,判定,時点（年度）,時点（和暦）")
    assert "短期目標," in text and ",80%,69.6%,39,56,未達,2025,令和7年度" in text
    assert ",50%,,,115,判定は2030年度から,2025,令和7年度" in text
    budget = (tmp_path / "budget_execution.csv").read_text(encoding="utf-8-sig")
    assert "2025,令和7年度,3134,12662,4.040204,27759,22867,0.823769,○" in budget


def test_english_headers_and_plain_utf8(kpi, sample_store: Path, tmp_path: Path) -> None:
    export(kpi, sample_store, tmp_path, "--lang", "en", "--encoding", "utf-8")
    data = (tmp_path / "status_summary.csv").read_bytes()
    assert data == b"group,count\r\nachieved,39\r\non track,58\r\ndelayed or not achieved,18\r\ntotal,115\r\n"


def test_export_twice_gives_identical_bytes(kpi, sample_store: Path, tmp_path: Path) -> None:
    export(kpi, sample_store, tmp_path / "a")
    export(kpi, sample_store, tmp_path / "b")
    for name in CSV_FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_manifest_lists_checksums_of_outputs_and_sources(kpi, sample_store: Path, tmp_path: Path) -> None:
    export(kpi, sample_store, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of_fy"] == 2025 and manifest["version"]
    for name in CSV_FILES:
        assert manifest["files"][name] == hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
    sources = {s["file_name"]: s["sha256"] for s in manifest["sources"]}
    assert sources["themes_2026-03-31.csv"] == hashlib.sha256(SAMPLE_THEMES.read_bytes()).hexdigest()
    assert manifest["written_at"].endswith("+00:00")


def test_formula_text_is_guarded_numbers_are_not(kpi, db: Path, tmp_path: Path) -> None:
    rows = [
        theme("T1").replace("テーマT1", '=HYPERLINK(""http://x"",""y"")'),
        theme("T2").replace("某社", "-社"),
        theme("T3").replace("某社", "@x"),
    ]
    text = themes_csv(rows).replace('=HYPERLINK(""http://x"",""y"")', '"=HYPERLINK(""http://x"",""y"")"')
    assert kpi("load", "--db", str(db), str(write(tmp_path / "themes.csv", text))).returncode == 0
    export(kpi, db, tmp_path / "out")
    out = (tmp_path / "out" / "themes.csv").read_text(encoding="utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"",""y"")"' in out
    assert ",'-社," in out and ",'@x," in out
    assert ",2023,令和5年度," in out


def test_cp932_export_of_a_character_without_a_cp932_form_fails_naming_the_theme(
    kpi, kpi_en, db: Path, tmp_path: Path
) -> None:
    rows = [theme("T1"), theme("T2").replace("某社", "𠮷野家")]
    assert kpi("load", "--db", str(db), str(write(tmp_path / "themes.csv", themes_csv(rows)))).returncode == 0
    args = ["export", "--db", str(db), "--as-of", "2025", "--out", str(tmp_path / "out"), "--encoding", "cp932"]
    ja = kpi(*args)
    assert ja.returncode == 3 and "T2 行（機関名）に '𠮷'（U+20BB7）があり、CP932 では表せません" in ja.stderr
    result = kpi_en(*args)
    assert result.returncode == 3
    assert (
        "row T2" in result.stderr
        and "'𠮷'" in result.stderr
        and "U+20BB7" in result.stderr
        and "CP932" in result.stderr
    )
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_cp932_export_round_trips_vendor_characters(kpi, db: Path, tmp_path: Path) -> None:
    rows = [theme("T1").replace("某社", "①髙橋㈱")]
    assert kpi("load", "--db", str(db), str(write(tmp_path / "themes.csv", themes_csv(rows)))).returncode == 0
    export(kpi, db, tmp_path / "out", "--encoding", "cp932")
    assert "①髙橋㈱" in (tmp_path / "out" / "themes.csv").read_bytes().decode("cp932")


def test_existing_files_need_force(kpi, sample_store: Path, tmp_path: Path) -> None:
    export(kpi, sample_store, tmp_path)
    result = kpi("export", "--db", str(sample_store), "--as-of", "2025", "--out", str(tmp_path))
    assert result.returncode == 2 and "outcome_kpis.csv" in result.stderr and "--force" in result.stderr
    export(kpi, sample_store, tmp_path, "--force")
    assert not list(tmp_path.glob(".*.tmp"))


def test_xlsx_workbook_has_a_sheet_per_table(kpi, sample_store: Path, tmp_path: Path) -> None:
    import polars as pl

    export(kpi, sample_store, tmp_path, "--format", "xlsx")
    book = tmp_path / "kpi_submission.xlsx"
    sheets = pl.read_excel(book, sheet_id=0)
    assert list(sheets) == [
        "outcome_kpis",
        "status_summary",
        "by_element",
        "budget_execution",
        "themes",
        "outputs",
        "stage_gate",
        "evaluation",
    ]
    assert sheets["status_summary"].rows() == [("目標達成", 39), ("遅延なし", 58), ("遅延・未達", 18), ("合計", 115)]
    assert sheets["themes"].height == 144


@pytest.mark.parametrize("encoding", ["latin-1", "shift_jis"])
def test_unknown_encodings_are_usage_errors(kpi, sample_store: Path, tmp_path: Path, encoding: str) -> None:
    assert kpi("export", "--db", str(sample_store), "--out", str(tmp_path), "--encoding", encoding).returncode == 2
