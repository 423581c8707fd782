"""`kpi lists`: the years a dated theme list stands for, said as one sentence."""

from __future__ import annotations

import datetime as dt

import pytest

from kpi.figures.history import ListRecord
from kpi.present.catalogue import Lang, Words
from kpi.present.history import stands_for


def _list(first: int | None, last: int | None, stands_in: bool) -> ListRecord:
    return ListRecord(dt.date(2025, 6, 30), 10, 1, first, last, stands_in)


@pytest.mark.parametrize(
    ("record", "ja", "en"),
    [
        (
            _list(None, None, False),
            "なし（同じ年度により新しい一覧があります）",
            "none (a newer list of the same year)",
        ),
        (
            _list(None, None, True),
            "2025年度より前の年度のみ（2025年度には同じ年度のより新しい一覧があります）",
            "only the years before FY2025 (a newer list of FY2025 stands for its own year)",
        ),
        (_list(2025, None, True), "2025年度（令和7年度）以降（それより前の年度にも代用）", None),
    ],
)
def test_the_years_a_list_stands_for_read_as_one_sentence(record: ListRecord, ja: str, en: str | None) -> None:
    said = stands_for(record, Words(Lang.ja))
    assert said == ja and "）（" not in said
    if en is not None:
        assert stands_for(record, Words(Lang.en)) == en


def _load_of(kpi, store, kind: str) -> str:
    import json

    loads = json.loads(kpi("loads", "--db", str(store), "--format", "json").stdout)
    return str(next(r["load"] for r in loads if r["kind"] == kind))


def test_a_load_shows_its_key_and_columns_by_the_headers_of_its_contract(kpi, kpi_en, sample_store, tmp_path) -> None:
    """The 列 and キー of `kpi loads show N` name the headers the load accepts, in the user's language (CSV too);
    JSON keeps the stored names."""
    import csv
    import json

    published, evaluation = _load_of(kpi, sample_store, "published"), _load_of(kpi, sample_store, "evaluation")
    shown = kpi("loads", "show", published, "--db", str(sample_store)).stdout
    assert "指標=budget.total.budget, 時点=2025" in shown and "figure=" not in shown
    out = tmp_path / "evaluation.csv"
    assert kpi("loads", "show", evaluation, "--db", str(sample_store), "--out", str(out)).returncode == 0
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert {r["列"] for r in rows} == {"評価", "ファイルでの順番"}
    assert rows[0]["キー"].startswith("評価項目=") and ", 委員=" in rows[0]["キー"]
    en = kpi_en("loads", "show", published, "--db", str(sample_store)).stdout
    assert "figure=budget.total.budget, as_of_fy=2025" in en
    data = json.loads(kpi("loads", "show", published, "--db", str(sample_store), "--format", "json").stdout)
    assert data["changes"][0]["key"].startswith("figure=") and "keyed" not in data["changes"][0]
    assert {c["column"] for c in data["changes"]} <= {"value", "source"}


def test_a_survey_answers_reason_is_shown_by_its_name_as_a_theme_lists_is() -> None:
    """`kpi loads show N`: a reason code is shown by the catalogue's word whichever kind stores it (F10)."""
    from kpi.figures.history import LoadChanges, RowChange
    from kpi.present.history import row_change_table

    rows = (
        RowChange("followups", "T1", "added", "reason_code", None, "market", (("theme_id", "T1"),)),
        RowChange("themes", "T2", "changed", "reason_code", "funding", "technical"),
        RowChange("followups", "T1", "added", "stage", None, "中止", (("theme_id", "T1"),)),
    )
    changes = LoadChanges(None, rows)  # type: ignore[arg-type]  (no record: only the rows are shown)
    shown = {lang: [r[3:] for r in row_change_table(changes, Words(lang)).rows] for lang in Lang}
    assert shown[Lang.ja] == [
        ["中止・中断の理由", "—", "市場・需要"],
        ["理由コード", "資金", "技術的課題"],
        ["段階", "—", "中止"],
    ]
    assert [r[2] for r in shown[Lang.en]] == ["market", "technical", "中止"]
