"""The survey answers' contract: organisations, sales, products, effects and a coded reason (issue 36)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from kit import in_english, write

from kpi.load import ingest
from schemas.followups import REASON_CODES, REASON_WORDS

HEADER = "テーマID,調査年度,回答機関,段階,中止・中断の理由,理由の詳細,売上高(億円),累積売上高（億円）,製品名,効果\n"


def _read(tmp_path: Path, text: str, name: str = "followups.csv") -> tuple[list, list[dict]]:
    """The failures (rules in English) and the typed rows of one survey file, read and checked (no database)."""
    batch = ingest.read_files([write(tmp_path / name, text)], kind="followups")
    rows = [row for frame in batch.records.values() for row in frame.drop("_line").iter_rows(named=True)]
    return in_english(batch.failures), rows


def test_an_answer_gives_its_organisation_effects_and_sales_in_oku_yen(tmp_path: Path) -> None:
    failures, rows = _read(tmp_path, HEADER + 'T1,R7,Ａ社,上市,,,"1,234.5",2000,製品X,雇用20人\n')
    assert failures == []
    assert rows == [
        {
            "theme_id": "T1",
            "organisation": "A社",  # NFKC, as the split rule names it
            "survey_fy": 2025,
            "stage": "上市",
            "sales": Decimal("1234.5"),
            "cumulative_sales": Decimal("2000"),
            "products": "製品X",
            "effects": "雇用20人",
            "reason_code": None,
            "reason_text": None,
        }
    ]


def test_sales_in_yen_are_stored_in_oku_yen_to_four_decimals(tmp_path: Path) -> None:
    failures, rows = _read(tmp_path, 'theme_id,survey_fy,stage,sales (円)\nT1,2025,上市,"150,000,000"\n')
    assert failures == [] and rows[0]["sales"] == Decimal("1.5")


@pytest.mark.parametrize("code", REASON_CODES)
def test_every_reason_is_read_from_its_code_and_its_words_in_any_case(code: str, tmp_path: Path) -> None:
    spellings = [code, code.upper(), *REASON_WORDS[code]]
    text = "theme_id,survey_fy,stage,reason_code\n" + "".join(f"T{i},2025,中止,{s}\n" for i, s in enumerate(spellings))
    failures, rows = _read(tmp_path, text)
    assert failures == [] and {r["reason_code"] for r in rows} == {code}


@pytest.mark.parametrize(
    ("row", "column", "value", "rule"),
    [
        ("T1,2025,A社,上市,資金,,,,,", "reason_code", "資金", "a reason is given only when the stage is 中止"),
        (
            "T1,2025,A社,中断,天候,,,,,",
            "reason_code",
            "天候",
            "reason code: technical, market, funding, strategy or other",
        ),
        ("T1,2025,A社,上市,,,-1,,,", "sales", "-1", "non-negative amount"),
        ("T1,2025,A社,上市,,,12億,,,", "sales", "12億", "non-negative amount"),
        ("T1,2025,A社,上市,,,,123456789012345,,", "cumulative_sales", "123456789012345", "at most 14 digits"),
    ],
)
def test_each_answer_rule_names_row_column_value_and_rule(
    row: str, column: str, value: str, rule: str, tmp_path: Path
) -> None:
    failures, _ = _read(tmp_path, HEADER + row + "\n")
    assert [(f.line, f.column, f.value) for f in failures] == [(2, column, value)]
    assert rule in failures[0].rule


def test_one_answer_per_theme_organisation_and_survey_year(tmp_path: Path) -> None:
    text = (
        HEADER + "T1,2025,A社,研究,,,,,,\nT1,2025,B社,研究,,,,,,\nT1,2025,,研究,,,,,,\nT1,令和7年度,Ａ社,開発,,,,,,\n"
    )
    failures, _ = _read(tmp_path, text)
    assert [(f.line, f.column) for f in failures] == [(2, "organisation"), (5, "organisation")]
    assert "one row per theme, organisation and survey year" in failures[0].rule


def test_the_sheets_context_columns_are_accepted_and_not_stored(tmp_path: Path) -> None:
    text = (
        "テーマID,調査年度,回答機関,段階,開発テーマ名,終了年度,終了後年数,調査の種類,前回の調査年度,前回の段階,回答期限,"
        "機関名\nT1,2025,A社,研究,題,2023,2,簡易,2024,研究,2026-01-31,A社、B社\n"
    )
    failures, rows = _read(tmp_path, text)
    assert failures == [] and set(rows[0]) == {
        "theme_id",
        "organisation",
        "survey_fy",
        "stage",
        "sales",
        "cumulative_sales",
        "products",
        "effects",
        "reason_code",
        "reason_text",
    }


def test_the_english_sheet_is_read_by_the_contracts_names(tmp_path: Path) -> None:
    text = "theme_id,survey_fy,organisation,stage,reason_code,reason_text,sales,cumulative_sales,products,effects\n"
    failures, rows = _read(tmp_path, text + "T1,2025,A,discontinued,Market,no demand,,3,,\n")
    assert failures == []
    assert (rows[0]["stage"], rows[0]["reason_code"], rows[0]["reason_text"]) == ("中止", "market", "no demand")
