"""The recommendations' contract and the evaluation rounds: spellings of a round, statuses, one row per item."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from kit import in_english, write

from kpi.load import ingest
from schemas.rounds import parse_round, round_order

HEADER = "評価回,区分,番号,委員,指摘事項,対処方針,状況,現在の対処状況,時点\n"


def _read(tmp_path: Path, text: str, kind: str = "recommendations") -> tuple[list, list[dict]]:
    """The failures (rules in English) and the typed rows of one file, read and checked (no database)."""
    batch = ingest.read_files([write(tmp_path / f"{kind}.csv", text)], kind=kind)
    rows = [row for frame in batch.records.values() for row in frame.drop("_line").iter_rows(named=True)]
    return in_english(batch.failures), rows


SPELLINGS = {
    "中間2026": "interim-2026",
    "中間 2026": "interim-2026",
    "中間評価（2022年度）": "interim-2022",
    "「中間評価（2022年度）」": "interim-2022",
    "中間令和4年度": "interim-2022",
    "終了時2030": "final-2030",
    "事前(R3)": "ex_ante-2021",
    "2026中間": "interim-2026",
    "Interim FY2026": "interim-2026",
    "ex-ante 2019": "ex_ante-2019",
}


def test_a_round_is_its_kind_and_fiscal_year_in_any_spelling(tmp_path: Path) -> None:
    text = "評価項目,委員,評価,評価回\n" + "".join(f"意義{i},委員A,A,{s}\n" for i, s in enumerate(SPELLINGS))
    failures, rows = _read(tmp_path, text, "evaluation")
    assert failures == [] and [r["round"] for r in rows] == list(SPELLINGS.values())
    assert [parse_round(s) for s in SPELLINGS] == list(SPELLINGS.values())  # --round reads it as a cell is read


def test_a_round_without_a_kind_or_a_year_is_refused_with_its_rule(tmp_path: Path) -> None:
    wrong = ["中間", "2026", "中間2200", "見直し2026"]
    text = "評価項目,委員,評価,評価回\n" + "".join(f"意義{i},委員A,A,{s}\n" for i, s in enumerate(wrong))
    failures, _ = _read(tmp_path, text, "evaluation")
    assert [(f.line, f.column, f.value) for f in failures] == [(i + 2, "round", s) for i, s in enumerate(wrong)]
    assert "evaluation round" in failures[0].rule
    assert [parse_round(s) for s in wrong] == [None] * len(wrong)


def test_an_evaluation_file_without_the_round_column_is_the_unnamed_round(tmp_path: Path) -> None:
    failures, rows = _read(tmp_path, "評価項目,委員,評価\n意義,委員A,A\n", "evaluation")
    assert failures == [] and rows[0]["round"] == ""


def test_rounds_are_ordered_unnamed_first_then_by_year_and_kind() -> None:
    codes = ["final-2030", "interim-2026", "", "interim-2022", "ex_ante-2022"]
    assert sorted(codes, key=round_order) == ["", "ex_ante-2022", "interim-2022", "interim-2026", "final-2030"]


def test_the_same_grade_in_two_rounds_is_two_rows_but_twice_in_one_round_is_refused(tmp_path: Path) -> None:
    text = (
        "評価項目,委員,評価,評価回\n意義,委員A,A,中間2022\n意義,委員A,B,中間2026\n意義,委員A,C,中間評価（2026年度）\n"
    )
    failures, _ = _read(tmp_path, text, "evaluation")
    assert [(f.line, f.column) for f in failures] == [(3, "member"), (4, "member")]


def test_a_recommendation_keeps_its_texts_as_written_and_its_status_as_a_code(tmp_path: Path) -> None:
    text = (
        HEADER
        + "中間2022,【複数課題プログラム】,①,若林委員,人材育成が必要。,取り組む。,対応中,実施している。（16頁参照）,2026-05-31\n"
    )
    failures, rows = _read(tmp_path, text)
    assert failures == []
    assert rows == [
        {
            "round": "interim-2022",
            "section": "【複数課題プログラム】",
            "number": "①",  # free text: not NFKC'd to 1
            "member": "若林委員",
            "recommendation": "人材育成が必要。",
            "response": "取り組む。",
            "status": "in_progress",
            "evidence": "実施している。（16頁参照）",
            "status_date": dt.date(2026, 5, 31),
            "position": 0,
        }
    ]


STATUSES = {
    "未着手": "not_started",
    "対応中": "in_progress",
    "対応済": "done",
    "対応済み": "done",
    "In progress": "in_progress",
    "not_started": "not_started",
}


def test_every_status_is_read_in_japanese_or_english(tmp_path: Path) -> None:
    text = "評価回,番号,指摘事項,状況\n" + "".join(f"中間2022,{i},提言,{s}\n" for i, s in enumerate(STATUSES))
    failures, rows = _read(tmp_path, text)
    assert failures == [] and [r["status"] for r in rows] == list(STATUSES.values())
    assert {r["section"] for r in rows} == {""}


@pytest.mark.parametrize(
    ("row", "column", "value", "rule"),
    [
        ("中間2022,①,提言,完了", "status", "完了", "status 未着手, 対応中 or 対応済"),
        ("2022,①,提言,対応中", "round", "2022", "evaluation round"),
        ("中間2022,①,,対応中", "recommendation", None, "the cell is empty"),
    ],
)
def test_each_rule_names_line_column_value_and_rule(
    row: str, column: str, value: str | None, rule: str, tmp_path: Path
) -> None:
    failures, _ = _read(tmp_path, "評価回,番号,指摘事項,状況\n" + row + "\n")
    assert [(f.line, f.column, f.value) for f in failures] == [(2, column, value)]
    assert rule in failures[0].rule


def test_one_row_per_round_section_and_number(tmp_path: Path) -> None:
    text = "評価回,区分,番号,指摘事項,状況\n中間2022,A,①,x,対応中\n中間2022,B,①,y,対応中\n中間評価（2022年度）,A,①,z,対応済\n"
    failures, _ = _read(tmp_path, text)
    assert [(f.line, f.column) for f in failures] == [(2, "number"), (4, "number")]
    assert "one row per round, section and number" in failures[0].rule
