"""A header with a name too many (or too few) is one line for the file, not one line per row; a row of the wrong
width among good ones is still named by its line."""

from __future__ import annotations

from pathlib import Path

from kit import SAMPLE_THEMES


def test_a_header_with_one_extra_name_is_one_line_for_the_file(kpi, kpi_en, db: Path, tmp_path: Path) -> None:
    lines = SAMPLE_THEMES.read_text(encoding="utf-8-sig").splitlines()
    lines[0] += ",備考"
    path = tmp_path / "themes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = kpi("load", "--db", str(db), str(path))
    assert result.returncode == 3
    assert result.stderr.count("見出しは9個ですが、144行すべての項目が8個です") == 1
    assert "問題が1件見つかりました" in result.stderr
    assert "all 144 rows have 8 fields" in kpi_en("load", "--db", str(db), str(path)).stderr
    assert not db.exists()


def test_one_row_of_the_wrong_width_is_named_by_its_line(kpi, db: Path, tmp_path: Path) -> None:
    lines = SAMPLE_THEMES.read_text(encoding="utf-8-sig").splitlines()
    lines[5] += ",x"
    path = tmp_path / "themes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = kpi("load", "--db", str(db), str(path))
    assert result.returncode == 3
    assert "項目が9個ありますが見出しは8個です" in result.stderr and "問題が1件" in result.stderr
