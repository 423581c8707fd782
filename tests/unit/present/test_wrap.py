"""Wrapping by display width: Japanese help fits a terminal's 80 columns."""

from __future__ import annotations

import pytest

from kpi.present.wrap import first_sentence, width, wrap, wrap_paragraphs


def test_a_full_width_character_takes_two_columns() -> None:
    assert width("abc") == 3 and width("年度") == 4 and width("KPI（短期）") == 11


@pytest.mark.parametrize("columns", [20, 37, 60, 80])
def test_no_japanese_line_is_wider_than_the_terminal(columns: int) -> None:
    text = "アウトカムKPI、状況表、予算執行、推移、テーマ一覧、その他の評価指標を表示します。" * 3
    lines = wrap(text, columns)
    assert all(width(line) <= columns for line in lines)
    assert "".join(lines) == text  # nothing lost, no space added between Japanese characters


def test_english_breaks_only_at_spaces() -> None:
    lines = wrap("Print the outcome KPIs, status tables, budget execution and trend.", 30)
    assert lines == ["Print the outcome KPIs, status", "tables, budget execution and", "trend."]


def test_no_line_starts_with_closing_punctuation_or_ends_with_an_opening_bracket() -> None:
    text = "データベースファイル。（既定値: 今日を含む年度）、「テーマ一覧」を表示します。[環境変数: KPI_DB]"
    for columns in range(12, 60):
        lines = wrap(text, columns)
        assert not any(line[0] in "、。）」]" for line in lines), (columns, lines)
        assert not any(line[-1] in "（「[" for line in lines), (columns, lines)


def test_a_word_longer_than_the_line_stands_alone() -> None:
    assert wrap("see https://example.org/a/very/long/address now", 10) == [
        "see",
        "https://example.org/a/very/long/address",
        "now",
    ]


def test_paragraphs_keep_their_blank_line_and_indent() -> None:
    text = "一行目の段落です。\n\n例: kpi report --as-of 2025"
    assert wrap_paragraphs(text, 40, "  ") == "  一行目の段落です。\n\n  例: kpi report --as-of 2025"


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("テーマを読み込みます。全部か何もしないか。\n\n例: kpi load x", "テーマを読み込みます。"),
        ("Load the records. All or none.\n\nExample: kpi load x", "Load the records."),
        ("追跡調査の手順: 調査するテーマと調査票", "追跡調査の手順: 調査するテーマと調査票"),
    ],
)
def test_the_first_sentence_ends_at_the_first_full_stop(text: str, sentence: str) -> None:
    assert first_sentence(text) == sentence
