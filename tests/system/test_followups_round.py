"""A survey round on the sample, end to end: `kpi followups sheets` for FY2026 writes a workbook per organisation and
records the sending as a load; two organisations fill theirs in (the others do not answer), the workbooks load back
as answers per organisation, and loading them again changes nothing; one organisation answers again (a changed
stage), and the response rates, the long-term figures and the cohort table follow the README's rules, counted here
by hand from the round as sent."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest

NEC, RAKUTEN = "日本電気株式会社", "楽天モバイル株式会社"


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _fill(path: Path, answers: dict[str, dict[str, object]]) -> None:
    """Answer the rows of a workbook's 回答 sheet by theme: header → value."""
    book = openpyxl.load_workbook(path)
    ws = book["回答"]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        for header, value in answers.get(str(row[0].value), {}).items():
            row[headers.index(header)].value = value
    book.save(path)


@pytest.mark.slow  # (1.7 s: 63 workbooks written, two loaded twice)
def test_sheets_out_answers_in_on_the_sample(kpi, sample_store: Path, tmp_path: Path) -> None:
    due = json.loads(kpi("followups", "due", "--db", str(sample_store), "--as-of", "2026", "-f", "json").stdout)
    organisations = {d["organisation"] for d in due}
    out = tmp_path / "追跡調査_2026"
    sent = kpi("followups", "sheets", "--db", str(sample_store), "--as-of", "2026", "--out", str(out))
    assert sent.returncode == 0, sent.stderr
    files = sorted(out.iterdir())
    assert len(files) == len(organisations) and all(f.name.startswith("追跡調査_FY2026_") for f in files)
    # The sending is recorded: one row per theme × organisation of the round, as one load.
    assert _rows(sample_store, "SELECT count(*), count(DISTINCT load_id) FROM followup_sent") == [(len(due), 1)]
    assert "として記録しました" in sent.stderr
    assert "追跡調査の送付" in kpi("loads", "--db", str(sample_store)).stdout  # a load like any other
    again = kpi("followups", "sheets", "--db", str(sample_store), "--as-of", "2026", "--out", str(out))
    assert again.returncode == 2 and "--force" in again.stderr  # the workbooks are not replaced unasked

    nec, rakuten = out / f"追跡調査_FY2026_{NEC}.xlsx", out / f"追跡調査_FY2026_{RAKUTEN}.xlsx"
    _fill(nec, {"T1-001": {"段階": "上市", "売上高(億円)": 1.5, "累積売上高(億円)": 2.25, "製品名": "クラウドコア"}})
    _fill(rakuten, {"T1-011": {"段階": "中止", "中止・中断の理由": "資金", "理由の詳細": "投資判断の見送り"}})
    before = _rows(sample_store, "SELECT count(*) FROM followups")[0][0]
    loaded = kpi("load", "--db", str(sample_store), str(nec), str(rakuten))
    assert loaded.returncode == 0, loaded.stderr
    answers = _rows(
        sample_store,
        "SELECT theme_id, organisation, survey_fy, stage, sales, cumulative_sales, products, reason_code, reason_text "
        "FROM followups WHERE survey_fy = 2026 ORDER BY theme_id",
    )
    assert answers == [
        ("T1-001", NEC, 2026, "上市", Decimal("1.5"), Decimal("2.25"), "クラウドコア", None, None),
        ("T1-011", RAKUTEN, 2026, "中止", None, None, None, "funding", "投資判断の見送り"),
    ]
    assert _rows(sample_store, "SELECT count(*) FROM followups")[0][0] == before + 2  # nobody else answered
    twice = kpi("load", "--db", str(sample_store), str(nec), str(rakuten))
    assert twice.returncode == 0 and "変更なし" in twice.stderr
    assert _rows(sample_store, "SELECT count(*) FROM followups")[0][0] == before + 2
    # T1-001 answered 上市 for the first time: next year's survey of NEC on it is the detailed one.
    later = json.loads(kpi("followups", "due", "--db", str(sample_store), "--as-of", "2027", "-f", "json").stdout)
    [t1] = [d for d in later if d["theme_id"] == "T1-001"]
    assert (t1["kind"], t1["last"]["stage"], t1["last"]["products"]) == ("detailed", "上市", "クラウドコア")


@pytest.mark.slow  # (2 s: a round sent, three workbooks loaded, status and report read)
def test_response_rates_and_long_term_figures_counted_by_hand(kpi, sample_store: Path, tmp_path: Path) -> None:
    db = str(sample_store)
    due = json.loads(kpi("followups", "due", "--db", db, "--as-of", "2026", "-f", "json").stdout)
    out = tmp_path / "round"
    assert kpi("followups", "sheets", "--db", db, "--as-of", "2026", "--out", str(out)).returncode == 0
    nec_due = sorted(d["theme_id"] for d in due if d["organisation"] == NEC)
    horizon = json.loads(kpi("report", "--db", db, "-f", "json").stdout)["long_term"]["horizon_years"]
    # `first`: a theme in one of the rounds (the cohort table); `second`: one awaiting its measuring survey.
    first = next(d["theme_id"] for d in due if d["organisation"] == NEC and d["years_after"] in (1, 2, 4, 6))
    second = next(d["theme_id"] for d in due if d["organisation"] == NEC and d["years_after"] == horizon)
    nec = out / f"追跡調査_FY2026_{NEC}.xlsx"
    rakuten = out / f"追跡調査_FY2026_{RAKUTEN}.xlsx"
    again = tmp_path / "再提出" / nec.name  # NEC answers a second time later: one stage changed
    again.parent.mkdir()
    _fill(nec, {first: {"段階": "開発", "売上高(億円)": 1.5}, second: {"段階": "製品化"}})
    _fill(rakuten, {"T1-011": {"段階": "中止", "中止・中断の理由": "資金"}})
    assert kpi("load", "--db", db, str(nec), str(rakuten)).returncode == 0
    again.write_bytes(nec.read_bytes())
    _fill(again, {first: {"段階": "上市", "売上高(億円)": 2.0}})
    assert kpi("load", "--db", db, str(again)).returncode == 0
    assert _rows(
        sample_store, f"SELECT stage, sales FROM followups WHERE theme_id = '{first}' AND survey_fy = 2026"
    ) == [("上市", Decimal("2"))]

    # Response rates: answered / sent, each (theme, organisation) sent once, however often it answered.
    answered = {(first, NEC), (second, NEC), ("T1-011", RAKUTEN)}
    assert answered <= {(d["theme_id"], d["organisation"]) for d in due}
    status = json.loads(kpi("followups", "status", "--db", db, "-f", "json").stdout)
    assert status["response_rate"] == {"numerator": 3, "denominator": len(due), "ratio": 3 / len(due)}
    by_org = {o["organisation"]: o for o in status["organisations"] if o["survey_fy"] == 2026}
    assert (by_org[NEC]["answered"], by_org[NEC]["sent"]) == (2, len(nec_due))
    rakuten_sent = sum(d["organisation"] == RAKUTEN for d in due)
    assert (by_org[RAKUTEN]["answered"], by_org[RAKUTEN]["sent"]) == (1, rakuten_sent)
    assert sum(o["sent"] for o in by_org.values()) == len(due)

    report = json.loads(kpi("report", "--db", db, "--as-of", "2026", "-f", "json").stdout)
    # The long-term KPI: a theme is commercialised when any organisation answered 製品化 or 上市 (README); of the
    # themes whose measuring survey is due, only `second` answered, 製品化.
    ends = {d["theme_id"]: d["end_fy"] for d in due}
    assert ends[second] + horizon == 2026
    assert report["long_term"]["matured_commercialised"] == 1
    assert report["long_term"]["response_rate"]["numerator"] == 3
    # The cohort table: in the cohort of `first`, the round of its years since the end has it commercialised
    # (answered 上市 the second time), and its answered / sent are that cohort's rows of the round.
    years = 2026 - ends[first]
    table = report["effects"]["cohort_table"]
    [row] = [r for r in table["rows"] if r["end_fy"] == ends[first]]
    cell = row["cells"][table["years_after"].index(years)]
    cohort_due = {(d["theme_id"], d["organisation"]) for d in due if d["end_fy"] == ends[first]}
    assert cell["commercialised"] == 1
    assert (cell["answered"], cell["sent"]) == (len(answered & cohort_due), len(cohort_due))
    # One theme's sales are fewer than k themes: withheld in every cell that holds them.
    sales = report["effects"]["sales_by_cohort"]
    assert all(f is None or f["themes"] == 0 or f["value"] is None for r in sales["cells"] for f in r)
    assert sales["total"]["value"] is None
