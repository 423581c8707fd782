"""An office's ordinary slips at `kpi load`, caught before they change a figure: another programme's theme list or
settings (by every path a load takes), a date written in the file's name in the office's own form, a list dated by
the day it was loaded, and a follow-up survey of a year that has not come yet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from faultkit import rows, table_checksums
from kit import SAMPLE, SAMPLE_THEMES, invoke, ok, run_kpi_en, theme, themes_csv, write

from kpi.fiscal import current_fy

PROGRAMME = "ポスト5G情報通信システム基盤強化研究開発事業（AI基盤モデル及び先端半導体関連技術開発事業）"
REFUSED_LIST = (
    "このテーマ一覧のテーマID 144件のうち、{previous} の一覧（144件）と共通なのは 0件だけです（少ない方の一覧の半分未満）。"
    f"データベースが保持するのは「{PROGRAMME}」（予算事業ID 3522）です"
)


def other_list(path: Path, encoding: str = "utf-8") -> Path:
    """The sample's list as another programme would hold it: the same shape, none of its theme IDs."""
    lines = SAMPLE_THEMES.read_text(encoding="utf-8").splitlines()
    path.parent.mkdir(parents=True, exist_ok=True)
    return write(path, "\n".join([lines[0], *(f"X{line}" for line in lines[1:])]) + "\n", encoding)


def other_settings(folder: Path) -> Path:
    text = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
    text = text.replace("project_id = 3522", "project_id = 9999").replace(PROGRAMME, "別の事業")
    folder.mkdir(parents=True, exist_ok=True)
    return write(folder / "programme.toml", text)


# Every path a theme list takes into the database: the command, a lone UTF-8 file (staged by DuckDB), a
# file in CP932 (read by polars), a folder, and several files in one command (the list before it is in the batch).
LIST_PATHS = {
    "kind-and-snapshot": lambda t: ["--kind", "themes", "--snapshot", "2026-04-30", str(other_list(t / "o/x.csv"))],
    "dated-name": lambda t: [str(other_list(t / "o/テーマ一覧_20260430.csv"))],
    "cp932": lambda t: [str(other_list(t / "o/テーマ一覧_令和8年4月30日.csv", "cp932"))],
    "folder": lambda t: [str(other_list(t / "o/themes_2026.04.30.csv").parent)],
    "several-files": lambda t: [
        str(write(t / "ours/themes_2026-04-01.csv", SAMPLE_THEMES.read_text(encoding="utf-8"))),
        str(other_list(t / "o/themes_2026-04-30.csv")),
    ],
}


@pytest.mark.parametrize("path", list(LIST_PATHS))
def test_another_programmes_list_is_refused_by_every_load_path(sample_store: Path, tmp_path: Path, path: str) -> None:
    (tmp_path / "ours").mkdir()
    before = table_checksums(sample_store)
    result = invoke("load", "--db", str(sample_store), *LIST_PATHS[path](tmp_path))
    assert result.exit_code == 3, result.output
    previous = "2026-04-01" if path == "several-files" else "2026-03-31"  # the list before it in the same command
    assert REFUSED_LIST.format(previous=previous) in result.stderr and "--renumbered" in result.stderr
    assert "何も読み込んでいません" in result.stderr and "Traceback" not in result.stderr
    assert table_checksums(sample_store) == before


def test_a_renumbered_list_is_accepted_with_its_reason_shown_by_kpi_loads(sample_store: Path, tmp_path: Path) -> None:
    ok("load", "--db", str(sample_store), *LIST_PATHS["kind-and-snapshot"](tmp_path), "--renumbered", "ID振り直し")
    assert rows(sample_store, "SELECT file_name, renumbered FROM loads ORDER BY load_id DESC LIMIT 1") == [
        ("x.csv", "ID振り直し")
    ]
    table = ok("loads", "--db", str(sample_store)).stdout.splitlines()
    [(last,)] = rows(sample_store, "SELECT max(load_id) FROM loads")
    assert table[-1].split()[0] == f"#{last}" and table[-1].endswith("IDの振り直しとして受付: ID振り直し")
    listed = json.loads(ok("loads", "--db", str(sample_store), "--format", "json").stdout)
    assert [r["renumbered"] for r in listed] == [None] * (len(listed) - 1) + ["ID振り直し"]


def test_a_blank_renumbering_reason_is_a_usage_error(sample_store: Path, tmp_path: Path) -> None:
    result = invoke("load", "--db", str(sample_store), *LIST_PATHS["dated-name"](tmp_path), "--renumbered", " ")
    assert result.exit_code == 2 and "--renumbered: IDを振り直した理由を文字で書いてください" in result.stderr


@pytest.mark.parametrize("path", ["file", "folder"])
def test_settings_of_another_project_id_are_refused_naming_both_ids(
    sample_store: Path, tmp_path: Path, path: str
) -> None:
    settings = other_settings(tmp_path / "o")
    if path == "folder":
        other_list(tmp_path / "o/themes_2026-04-30.csv")
    before = table_checksums(sample_store)
    result = invoke("load", "--db", str(sample_store), str(settings if path == "file" else settings.parent))
    assert result.exit_code == 3, result.output
    assert (
        f"予算事業ID 9999 の設定ですが、データベースが保持するのは「{PROGRAMME}」（予算事業ID 3522）です"
        in result.stderr
    )
    assert table_checksums(sample_store) == before
    ok("load", "--db", str(sample_store), str(settings.parent), "--renumbered", "事業の統合")
    assert rows(sample_store, "SELECT value FROM programme WHERE key IN ('project_id', 'name') ORDER BY key") == [
        ("別の事業",),
        ("9999",),
    ]


def test_the_refusals_read_in_english(sample_store: Path, tmp_path: Path) -> None:
    result = run_kpi_en("load", "--db", str(sample_store), *LIST_PATHS["kind-and-snapshot"](tmp_path))
    assert result.returncode == 3
    assert (
        "x.csv: only 0 of this list's 144 theme IDs are in the list of 2026-03-31 (144 themes): fewer than half of "
        f"the smaller list's. The database holds 「{PROGRAMME}」 (予算事業ID 3522). Is it another programme's list?"
        in result.stderr
    )


# ---------------------------------------------------------------------------- dates in file names

DATED_NAMES = [
    "テーマ一覧_20260430.csv",
    "テーマ一覧_2026年4月30日.csv",
    "テーマ一覧_令和8年4月30日.csv",
    "テーマ一覧_2026.04.30.csv",
    "テーマ一覧_2026_04_30.csv",
    "テーマ一覧_R8.4.30.csv",
    "テーマ一覧_２０２６年４月３０日.csv",
]


@pytest.mark.parametrize("name", DATED_NAMES)
def test_a_date_in_the_office_form_dates_the_list(db: Path, tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, themes_csv([theme("T1"), theme("T2")]))
    result = ok("load", "--db", str(db), str(path))
    assert rows(db, "SELECT snapshot::VARCHAR, snapshot_from FROM loads") == [("2026-04-30", "name")]
    assert "（今日）" not in result.stderr


@pytest.mark.parametrize(
    ("name", "text"), [("テーマ一覧_20261332.csv", "20261332"), ("テーマ一覧_2026.13.01.csv", "2026.13.01")]
)
def test_a_date_like_name_that_is_no_date_is_refused_naming_the_forms(
    db: Path, tmp_path: Path, name: str, text: str
) -> None:
    path = write(tmp_path / name, themes_csv([theme("T1")]))
    result = invoke("load", "--db", str(db), str(path))
    assert result.exit_code == 2, result.output
    assert f"{path}: ファイル名の {text} は日付ではありません（読める日付の形: 2026-11-30, " in result.stderr
    assert "令和8年11月30日, R8.11.30" in result.stderr
    assert not db.exists() or rows(db, "SELECT count(*) FROM loads") == [(0,)]


def test_a_list_dated_by_the_load_day_says_so_and_how_to_give_its_date(db: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "テーマ一覧.csv", themes_csv([theme("T1")]))
    result = ok("load", "--db", str(db), str(path))
    [(day,)] = rows(db, "SELECT snapshot::VARCHAR FROM loads")
    assert f"{path}: ファイル名に日付がないため、読み込んだ日（今日 {day}）の一覧として記録しました。" in result.stderr
    assert "--snapshot YYYY-MM-DD を付けるか、ファイル名に日付を入れてください" in result.stderr


# ---------------------------------------------------------------------------- follow-up surveys


def test_a_survey_year_after_the_current_fiscal_year_is_refused_by_line(sample_store: Path, tmp_path: Path) -> None:
    later = current_fy() + 1
    path = write(tmp_path / "追跡調査.csv", f"テーマID,調査年度,段階\nT1-002,2025,上市\nT1-003,{later},製品化\n")
    before = table_checksums(sample_store)
    result = invoke("load", "--db", str(sample_store), str(path))
    assert result.exit_code == 3, result.output
    [line] = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert line.split()[:4] == [str(path), "3", "調査年度", "[survey_fy]"]
    assert f" {later} " in line and f"調査年度は今年度（{later - 1}年度）より後にはできません" in line
    assert table_checksums(sample_store) == before
