"""`kpi followups due --format xlsx`: the survey sheet as a workbook with one sheet per organisation to send (機関名
as the list gives it), each sheet the follow-ups contract, loadable when it comes back filled in."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from kit import SAMPLE, theme, themes_csv, write

from kpi.figures.followups import Due, DueSurvey
from kpi.present.catalogue import Lang, Words
from kpi.present.followups import by_organisation


def _themes(*rows: tuple[str, str]) -> str:
    """A list of finished themes (end FY2022, so their survey is due in FY2025), each given (ID, 機関名)."""
    return themes_csv([theme(t, end_fy=2022).replace("某社", org) for t, org in rows])


def test_one_sheet_per_organisation_each_a_survey_sheet_that_loads_back(kpi, db: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    write(inbox / "programme.toml", (SAMPLE / "programme.toml").read_text(encoding="utf-8"))  # a 3-year horizon
    write(inbox / "themes_2026-03-31.csv", _themes(("A1", "甲社"), ("B1", "乙社"), ("A2", "甲社"), ("C1", "甲社 乙社")))
    assert kpi("load", "--db", str(db), str(inbox)).returncode == 0
    out = tmp_path / "surveys.xlsx"
    made = kpi("followups", "due", "--db", str(db), "--as-of", "2025", "--format", "xlsx", "--out", str(out))
    assert made.returncode == 0, made.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["乙社", "甲社", "甲社 乙社"]  # a joint theme is one sheet for its organisations
    sheets = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}
    assert sheets["甲社"][0][:3] == ["テーマID", "調査年度", "段階"]  # the follow-ups contract first
    assert [(r[0], r[1], r[2], r[3]) for r in sheets["甲社"][1:]] == [
        ("A1", 2025, None, "甲社"),
        ("A2", 2025, None, "甲社"),
    ]
    assert [r[0] for r in sheets["乙社"][1:]] == ["B1"] and [r[0] for r in sheets["甲社 乙社"][1:]] == ["C1"]
    # 乙社 sends its sheet back filled in: it loads as follow-ups, and B1 is no longer due.
    for name in ("甲社", "甲社 乙社"):
        book.remove(book[name])
    book["乙社"]["C2"] = "製品化"
    returned = tmp_path / "back" / "追跡調査_乙社.xlsx"
    returned.parent.mkdir()
    book.save(returned)
    loaded = kpi("load", "--db", str(db), str(returned))
    assert loaded.returncode == 0, loaded.stderr
    due = kpi("followups", "due", "--db", str(db), "--as-of", "2025", "--format", "json").stdout
    assert '"B1"' not in due and '"A1"' in due


def test_xlsx_needs_out_and_an_xlsx_name_chooses_it(kpi, db: Path, tmp_path: Path) -> None:
    write(tmp_path / "themes_2026-03-31.csv", _themes(("A1", "甲社")))
    assert kpi("load", "--db", str(db), str(tmp_path / "themes_2026-03-31.csv")).returncode == 0
    result = kpi("followups", "due", "--db", str(db), "--as-of", "2025", "--format", "xlsx")
    assert result.returncode == 2 and "--out" in result.stderr
    named = tmp_path / "surveys.xlsx"  # the name chooses the workbook
    assert kpi("followups", "due", "--db", str(db), "--as-of", "2025", "--out", str(named)).returncode == 0
    assert openpyxl.load_workbook(named).sheetnames == ["甲社"]


def test_sheet_names_are_made_valid_and_unique_and_nothing_due_is_one_empty_sheet() -> None:
    words = Words(Lang.ja)
    long = "国立研究開発法人産業技術総合研究所 ソニーセミコンダクタソリューションズ株式会社"
    names = [long, long + "ほか", "a/b:c", "A/B:C"]
    surveys = tuple(DueSurvey(f"T{i}", org, "題", 2022, 2025, False) for i, org in enumerate(names))
    titles = [t.title for t in by_organisation(Due(2025, 3, None, surveys), words)]
    assert len({t.casefold() for t in titles}) == 4 and all(len(t) <= 31 for t in titles)
    assert {"A_B_C", "a_b_c (2)"} <= set(titles) and sum(t.endswith(" (2)") for t in titles) == 2
    [empty] = by_organisation(Due(2025, 3, None, ()), words)
    assert (empty.title, empty.rows, empty.headers[0]) == ("調査票", [], "テーマID")
