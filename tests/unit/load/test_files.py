"""Which kind a file holds: from its name, or, when its name does not tell, from the one kind its header names."""

from __future__ import annotations

from pathlib import Path

import pytest
from faultkit import rows
from kit import THEMES_HEADER

from kpi.db.notices import notices
from kpi.errors import UsageProblem
from kpi.load.files import find_files
from kpi.present.formats import Format
from kpi.present.tables import Column, Table, emit

SURVEY = ["テーマID", "調査年度", "段階", "機関名", "開発テーマ名", "終了年度", "調査予定年度", "期限超過"]


def survey_sheet(path: Path) -> Path:
    """A filled-in survey sheet as `kpi followups due --out` writes it (a title-free header, one answer)."""
    rows = [["T1-001", 2026, "上市", "日本電気株式会社", "テーマ", 2023, 2026, ""]]
    table = Table.of("due", [Column(h, lambda r, i=i: r[i]) for i, h in enumerate(SURVEY)], rows, title="日本電気")
    fmt = Format.xlsx if path.suffix == ".xlsx" else Format.csv
    data = emit(table, fmt, to_file=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@pytest.mark.parametrize("name", ["調査票.xlsx", "調査票.csv"])
def test_a_survey_sheet_named_otherwise_is_known_by_its_header_and_the_load_says_so(tmp_path: Path, name: str) -> None:
    """kpi#35: `kpi load 調査票.xlsx`, the name the help suggested, stopped: 「ファイル名から種類が分かりません」."""
    path = survey_sheet(tmp_path / name)
    found, _ = find_files([path], None)
    assert found == [(path, "followups")]
    assert notices() == [("load.kind_by_headers", {"path": str(path), "kind": "followups", "kind_ja": "追跡調査"})]


def test_a_header_two_kinds_would_read_is_refused_as_before(tmp_path: Path) -> None:
    path = tmp_path / "集計.csv"
    path.write_text("年度,予算額,論文数,発表,国内特許出願,国外特許出願,PCT出願\n2025,1.0,1,2,3,4,5\n", encoding="utf-8")
    with pytest.raises(UsageProblem) as refused:
        find_files([path], None)
    assert refused.value.key == "load.kind_unknown_by_name"
    assert notices() == []


def test_a_name_that_tells_the_kind_is_not_second_guessed_and_a_file_of_no_kind_is_refused(tmp_path: Path) -> None:
    named = survey_sheet(tmp_path / "追跡調査_2026.xlsx")
    assert find_files([named], None)[0] == [(named, "followups")] and notices() == []
    other = tmp_path / "メモ.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(UsageProblem):
        find_files([other], None)


def test_in_a_folder_a_file_named_otherwise_is_known_by_its_header_and_one_of_no_kind_is_skipped(
    tmp_path: Path,
) -> None:
    """A returned workbook renamed 【回答】産総研.xlsx was skipped from its folder (exit 0, its answers not loaded)."""
    from kpi.load.files import NOT_A_KIND

    folder = tmp_path / "回答"
    folder.mkdir()
    renamed = survey_sheet(folder / "【回答】産総研.xlsx")
    memo = folder / "メモ.csv"
    memo.write_text("a,b\n1,2\n", encoding="utf-8")
    found, skipped = find_files([folder], None)
    assert found == [(renamed, "followups")]
    assert [(s.path, s.reason) for s in skipped] == [(memo, NOT_A_KIND)]
    assert notices() == [("load.kind_by_headers", {"path": str(renamed), "kind": "followups", "kind_ja": "追跡調査"})]


def test_in_a_folder_with_kind_every_table_file_is_of_that_kind_and_no_header_is_judged(tmp_path: Path) -> None:
    """kpi#36: `kpi load --kind followups 返送/` said of a renamed workbook that its kind was judged from its
    headers: the kind given is every table file's of the folder, whatever its name; other files are skipped."""
    from kpi.load.files import NOT_A_KIND

    folder = tmp_path / "返送"
    folder.mkdir()
    renamed = survey_sheet(folder / "【回答】産総研.xlsx")
    named = survey_sheet(folder / "追跡調査_日本電気.csv")
    scan = folder / "回答.pdf"
    scan.write_bytes(b"%PDF-1.4\n")
    found, skipped = find_files([folder], "followups")
    assert found == [(renamed, "followups"), (named, "followups")]
    assert [(s.path, s.reason) for s in skipped] == [(scan, NOT_A_KIND)]
    assert notices() == []
    settings = folder / "設定.toml"
    settings.write_text('name = "x"\n', encoding="utf-8")
    assert find_files([folder], "programme")[0] == [(settings, "programme")]  # settings are .toml, tables are not


@pytest.mark.slow
def test_a_folder_loaded_with_kind_says_nothing_of_headers(tmp_path: Path, load, kpi) -> None:
    """`kpi load --kind followups 返送/`: the renamed workbook's answer stored, and no word of its headers."""
    db = load({"themes.csv": "\n".join([THEMES_HEADER, "T1-001,1,委託,a1,日本電気株式会社,テーマ,,2023,目標達成", ""])})
    folder = tmp_path / "返送"
    folder.mkdir()
    survey_sheet(folder / "【回答】日本電気.xlsx")
    loaded = kpi("load", "--db", str(db), "--kind", "followups", str(folder))
    assert loaded.returncode == 0, loaded.stderr
    assert "見出しから" not in loaded.stderr and "【回答】日本電気.xlsx" in loaded.stderr
    assert rows(db, "SELECT theme_id, survey_fy, stage FROM followups") == [("T1-001", 2026, "上市")]
