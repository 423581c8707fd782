"""The settings file as an office edits it: a full-width value, a line TOML cannot read, a file saved in CP932;
each refused naming the line, key and value, with what to write instead, in Japanese and in English."""

from __future__ import annotations

from pathlib import Path

from kit import SAMPLE


def settings_with(tmp_path: Path, old: str, new: str, encoding: str = "utf-8") -> Path:
    text = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "programme.toml"
    path.write_text(text.replace(old, new, 1), encoding=encoding)
    return path


def line_of(path: Path, start: str, encoding: str = "utf-8") -> int:
    lines = path.read_text(encoding=encoding).splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(start))


def test_a_full_width_project_id_names_its_line_and_how_to_write_it(kpi, kpi_en, db: Path, tmp_path: Path) -> None:
    path = settings_with(tmp_path, "project_id = 3522", "project_id = ３５２２")
    line = line_of(path, "project_id")
    ja = kpi("load", "--db", str(db), str(path))
    assert ja.returncode == 3
    row = next(r for r in ja.stderr.splitlines() if "project_id" in r)
    assert row.split()[:4] == [str(path), str(line), "project_id", "３５２２"]
    assert "全角の文字は設定の値に使えません。半角で 3522 と書いてください" in row
    en = kpi_en("load", "--db", str(db), str(path))
    assert "full-width characters cannot be read in a setting; write it in half-width: 3522" in en.stderr
    assert "Invalid value" not in ja.stderr + en.stderr
    assert not db.exists()


def test_a_name_without_quotes_names_its_line(kpi, kpi_en, db: Path, tmp_path: Path) -> None:
    text = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
    name_line = next(line for line in text.splitlines() if line.startswith("name = "))
    path = settings_with(tmp_path, name_line, "name = ポスト5G")
    ja = kpi("load", "--db", str(db), str(path))
    assert ja.returncode == 3
    row = next(r for r in ja.stderr.splitlines() if "ポスト5G" in r)
    assert f" {line_of(path, 'name = ')} " in row and " name " in row
    assert "この行は設定として読めません" in row and '文字は "…" で囲んで書いてください' in row
    assert "write numbers in half-width digits and text within" in kpi_en("load", "--db", str(db), str(path)).stderr


def test_a_settings_file_saved_in_cp932_says_to_save_it_as_utf8(kpi, kpi_en, db: Path, tmp_path: Path) -> None:
    path = settings_with(tmp_path, "project_id = 3522", "project_id = 3522", encoding="cp932")
    ja = kpi("load", "--db", str(db), str(path))
    assert ja.returncode == 3 and "UTF-8 で保存されていません" in ja.stderr
    assert "not saved as UTF-8" in kpi_en("load", "--db", str(db), str(path)).stderr


def test_how_terminated_themes_count_may_be_written_in_japanese_and_is_stored_as_its_code(
    db: Path, tmp_path: Path
) -> None:
    import duckdb
    from kit import ok

    path = settings_with(tmp_path, 'terminated_themes = "failed"', 'terminated_themes = "除外"')
    ok("load", "--db", str(db), str(path))
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT value FROM programme WHERE key = 'terminated_themes'").fetchall() == [("excluded",)]


def test_an_unknown_way_to_count_terminated_themes_names_its_line_and_the_two_ways(db: Path, tmp_path: Path) -> None:
    from kit import invoke

    path = settings_with(tmp_path, 'terminated_themes = "failed"', 'terminated_themes = "無視"')
    refused = invoke("load", "--db", str(db), str(path))
    assert refused.exit_code == 3
    row = next(r for r in refused.output.splitlines() if r.startswith(str(path)))
    assert row.split()[1:4] == [str(line_of(path, "terminated_themes")), "terminated_themes", "無視"]
    assert '"failed"（未達として数える）か "excluded"（除外）' in row
    assert not db.exists()


def attributes_settings(tmp_path: Path, block: str) -> Path:
    """The sample's settings with theme attributes declared below them."""
    path = tmp_path / "programme.toml"
    path.write_text((SAMPLE / "programme.toml").read_text(encoding="utf-8") + "\n" + block, encoding="utf-8")
    return path


def refused(path: Path) -> list[tuple[int | None, str, object, str, dict]]:
    import pytest

    from kpi.errors import InputRejected
    from kpi.load.programme import read_programme

    with pytest.raises(InputRejected) as caught:
        read_programme(path, path.read_bytes())
    return [(f.line, f.column, f.value, f.rule, f.params) for f in caught.value.failures]


def test_an_attribute_named_as_a_theme_lists_own_column_is_refused_naming_the_column_and_line(tmp_path: Path) -> None:
    path = attributes_settings(
        tmp_path,
        '[attributes."分野"]\ntype = "category"\nvalues = ["通信"]\n\n'
        '[attributes."予算額"]\nheaders = ["予算額(億円)", "終了年度"]\ntype = "money"\n',
    )
    assert refused(path) == [
        (
            line_of(path, "headers"),
            "attributes.予算額.headers",
            "終了年度",
            "rule.setting.attribute_clash",
            {"column": "終了年度 [end_fy]"},
        )
    ]


def test_a_header_two_attributes_share_is_refused_and_a_problem_inside_a_table_names_its_own_line(
    tmp_path: Path,
) -> None:
    path = attributes_settings(
        tmp_path,
        '[attributes."分野"]\nheaders = ["技術分野"]\ntype = "text"\n\n[attributes."技術分野"]\ntype = "text"\n',
    )
    assert refused(path) == [
        (
            line_of(path, '[attributes."技術分野"]'),
            "attributes.技術分野",
            "技術分野",
            "rule.setting.attribute_header_twice",
            {"other": "分野"},
        )
    ]
    path = attributes_settings(tmp_path, '[attributes."分野"]\ntype = "colour"\n')
    [(line, key, value, rule, _)] = refused(path)
    assert (line, key, value, rule) == (
        line_of(path, "type"),
        "attributes.分野.type",
        "colour",
        "rule.setting.attribute_type",
    )


def test_a_japanese_name_left_unquoted_says_how_to_quote_it(kpi_en, db: Path, tmp_path: Path) -> None:
    path = attributes_settings(tmp_path, '[attributes.分野]\ntype = "text"\n')
    assert refused(path) == [
        (
            line_of(path, "[attributes"),
            "[attributes.分野]",
            "[attributes.分野]",
            "rule.toml_quote_key",
            {"fixed": '[attributes."分野"]'},
        )
    ]
    assert (
        'write a name in Japanese within quotes: [attributes."分野"]'
        in kpi_en("load", "--db", str(db), str(path)).stderr
    )
