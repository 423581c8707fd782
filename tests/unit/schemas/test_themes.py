"""The themes contract's statuses: every spelling of the table to its code, the stopped and cancelled themes an
office carries, and the rules between a status and the end year."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import duckdb
import polars as pl
import pytest
from kit import THEMES_HEADER, invoke, ok, theme, themes_csv, write

from kpi.codes import ENDED_EARLY, STATUSES
from schemas import themes

SPELLINGS = sorted(themes.STATUS.items())


def _parsed(cells: list[str]) -> list[tuple[str | None, int | None]]:
    """(status code, year written in the cell) of each cell, after the loader's NFKC and trimming."""
    texts = [unicodedata.normalize("NFKC", c).strip() for c in cells]
    frame = pl.DataFrame({"s": texts}).select(
        themes.status_expr(pl.col("s")).alias("code"), themes.status_end_expr(pl.col("s")).alias("year")
    )
    return list(frame.iter_rows())


def _wide(text: str) -> str:
    """ASCII as the full-width characters a Japanese keyboard types."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


def test_every_status_code_has_a_spelling_and_every_spelling_a_status_code() -> None:
    assert set(themes.STATUS.values()) == set(STATUSES)


# What offices write for a theme stopped early or whose adoption was cancelled (the table may grow; these stay).
OFFICE_SPELLINGS = {
    "terminated": [
        "中止",
        "ステージゲートで中止",
        "ステージゲート中止",
        "SG中止",
        "途中終了",
        "早期終了",
        "打ち切り",
        "打切り",
        "原則終了",
        "辞退",
        "中途辞退",
        "terminated",
        "stopped",
        "withdrawn",
    ],
    "cancelled": ["採択取消", "採択取り消し", "取消", "取り消し", "cancelled", "canceled"],
}


@pytest.mark.parametrize(("code", "spellings"), OFFICE_SPELLINGS.items())
def test_the_spellings_offices_write_for_a_theme_stopped_or_cancelled(code: str, spellings: list[str]) -> None:
    assert all(themes.STATUS.get(s) == code for s in spellings)
    assert _parsed(spellings) == [(code, None)] * len(spellings)


@pytest.mark.parametrize(("spelling", "code"), SPELLINGS)
def test_each_spelling_is_its_code_in_any_case_width_and_padding(spelling: str, code: str) -> None:
    cells = [spelling, spelling.upper(), spelling.title(), f" {_wide(spelling)}\u3000", spelling.replace(" ", "_")]
    assert _parsed(cells) == [(code, None)] * len(cells)


@pytest.mark.parametrize(("spelling", "code"), SPELLINGS)
def test_each_spelling_follows_the_year_it_ended_in(spelling: str, code: str) -> None:
    assert _parsed([f"令和5年度終了 {spelling}", f"R5年度終了\u3000{spelling}"]) == [(code, 2023)] * 2


@pytest.mark.parametrize(("spelling", "code"), [(s, c) for s, c in SPELLINGS if c in ENDED_EARLY])
def test_a_theme_ended_early_may_be_written_after_the_year_it_stopped(spelling: str, code: str) -> None:
    cells = [f"令和6年度{spelling}", f"令和6年度 {spelling}", f"2024年度\u3000{spelling}", f"R6年度{spelling}"]
    assert _parsed(cells) == [(code, 2024)] * len(cells)


@pytest.mark.parametrize(
    "cell",
    [
        "令和6年度 目標達成",  # a result needs 「…終了」: 「令和6年度 目標達成」 could be the year it was judged
        "中止予定",  # a stop planned has not happened
        "令和6年中止",
        "中止 目標未達",
        "完了",
    ],
)
def test_what_is_not_a_status(cell: str) -> None:
    assert _parsed([cell]) == [(None, None)]


def test_terminated_and_cancelled_themes_load_from_a_list_and_keep_the_year_they_stopped(tmp_path: Path, load) -> None:
    """Both readings of a themes file (kpi load's staged one and the ordinary one) store the same codes and years."""
    rows = [
        theme("T1", end_fy=2026, status="中止"),
        theme("T2", end_fy="", status="令和6年度 ステージゲートで中止", start_fy=2023),
        theme("T3", end_fy=2024, status="令和6年度中止"),
        theme("T4", end_fy=2027, status="採択取消"),
        theme("T5", end_fy="", status="令和6年度採択取り消し"),
        theme("T6", end_fy=2025, status="Withdrawn"),
        theme("T7", end_fy="", status="令和6年度終了 原則終了"),
    ]
    path = write(tmp_path / "themes_2025-03-31.csv", themes_csv(rows))
    expected = [
        ("T1", 2026, "terminated"),
        ("T2", 2024, "terminated"),
        ("T3", 2024, "terminated"),
        ("T4", 2027, "cancelled"),
        ("T5", 2024, "cancelled"),
        ("T6", 2025, "terminated"),
        ("T7", 2024, "terminated"),
    ]
    query = "SELECT theme_id, end_fy, status FROM themes ORDER BY theme_id"
    staged = tmp_path / "staged.duckdb"
    ok("load", "--db", str(staged), str(path))
    ordinary = load({path.name: path.read_text(encoding="utf-8")})
    for db in (staged, ordinary):
        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute(query).fetchall() == expected


@pytest.mark.parametrize(
    ("row", "column", "rule"),
    [
        # the year in the cell is the year it stopped: an end_fy column still holding the planned year disagrees
        (
            theme("T1", end_fy=2026, status="令和6年度中止"),
            "end_fy",
            "途中で終了したテーマの終了年度は中止した年度です",
        ),
        (theme("T1", end_fy="", status="中止"), "end_fy", "（途中で終了したテーマは「令和6年度中止」）"),
        (theme("T1", end_fy="", status="採択取消"), "end_fy", "終了年度が必要です"),
        (theme("T1", end_fy="", status="令和X年度中止"), "status", "「…年度中止」「…年度採択取消」の年度も同じ"),
        (theme("T1", end_fy="", status="令和6年度中止", start_fy=2025), "start_fy", "開始年度が終了年度より後です"),
        (theme("T1", status="中止予定"), "status", "途中で終了したテーマは 中止（ステージゲートで中止"),
    ],
)
def test_the_rules_between_status_and_years_hold_for_themes_ended_early(
    tmp_path: Path, row: str, column: str, rule: str
) -> None:
    path = write(tmp_path / "themes_2025-03-31.csv", themes_csv([theme("T0"), row]))
    db = tmp_path / "kpi.duckdb"
    refused = invoke("load", "--db", str(db), str(path))
    assert refused.exit_code == 3, refused.output
    failures = [line.split()[1:3] for line in refused.output.splitlines() if line.startswith(str(path))]
    assert failures == [["3", column]], refused.output
    assert rule in refused.output
    assert not db.exists()


ATTRIBUTES = """
[attributes."分野"]
headers = ["技術分野"]
type = "category"
values = ["通信", "AI", "半導体製造"]

[attributes."予算額"]
type = "money"

[attributes."従業員数"]
type = "number"

[attributes."採択年度"]
type = "year"

[attributes."備考"]
type = "text"
"""
ATTRIBUTE_HEADER = "theme_id,item,funding,element,organizations,title,start_fy,end_fy,status,技術分野,予算額(円),従業員数,採択年度,備考"


def _with_attributes(
    tmp_path: Path, rows: list[str], header: str = ATTRIBUTE_HEADER
) -> tuple[list, pl.DataFrame | None]:
    """A settings file declaring attributes and a theme list, read in one command: its failures and records."""
    from kit import SAMPLE

    from kpi.load import ingest

    settings = write(tmp_path / "programme.toml", (SAMPLE / "programme.toml").read_text(encoding="utf-8") + ATTRIBUTES)
    listed = write(tmp_path / "themes_2026-03-31.csv", themes_csv(rows, header))
    batch = ingest.read_files([settings, listed], today=dt.date(2026, 4, 1))
    return batch.failures, next(iter(batch.records.values()), None)


def test_declared_attributes_are_read_to_their_stored_text(tmp_path: Path) -> None:
    failures, records = _with_attributes(
        tmp_path,
        [
            theme("T1") + ',ａｉ,"1,500,000,000","1,200",令和5年度, 試作済み',
            theme("T2") + ",通信,250000000,007.50,2024,",
            theme("T3") + ",,,,,",
        ],
    )
    assert failures == []
    assert records is not None
    got = records.select("theme_id", "分野", "予算額", "従業員数", "採択年度", "備考").rows()
    assert got == [
        ("T1", "AI", "15", "1200", "2023", "試作済み"),  # a category's declared spelling; 円 as 億円; 和暦 as a year
        ("T2", "通信", "2.5", "7.5", "2024", None),
        ("T3", None, None, None, None, None),
    ]


def test_each_bad_attribute_cell_is_named_with_its_line_column_value_and_the_values_allowed(tmp_path: Path) -> None:
    failures, _ = _with_attributes(tmp_path, [theme("T1") + ",通信,,,,", theme("T2") + ",ロボット,1億,-3,来年,"])
    assert [(f.line, f.column, f.value, f.rule, f.params) for f in failures] == [
        (3, "分野", "ロボット", "rule.attribute_category", {"values": "通信、AI、半導体製造"}),
        (3, "予算額", "1億", "rule.amount", {}),
        (3, "従業員数", "-3", "rule.amount", {}),
        (3, "採択年度", "来年", "rule.fiscal_year", {}),
    ]


def test_a_list_without_a_declared_attributes_column_gives_none_and_an_undeclared_one_is_ignored(
    tmp_path: Path,
) -> None:
    failures, records = _with_attributes(tmp_path, [theme("T1") + ",大企業"], THEMES_HEADER + ",企業規模")
    assert failures == [] and records is not None
    assert records.select("分野", "予算額", "備考").rows() == [(None, None, None)]
    assert "企業規模" not in records.columns
