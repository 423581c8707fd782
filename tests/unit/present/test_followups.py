"""`kpi followups due --format xlsx`: the survey sheet as a workbook with one sheet per organisation (the split of
機関名), each sheet the follow-ups contract, loadable when it comes back filled in; `kpi followups sheets`' workbooks:
instructions first, drop-downs for the stage and the reason, A4 landscape one page wide."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
from kit import SAMPLE, theme, themes_csv, write

from kpi.codes import STAGES
from kpi.figures.followups import Answer, Due, DueSurvey
from kpi.present.catalogue import Lang, Words
from kpi.present.followups import SHEET, by_organisation, file_name, workbooks

DEADLINE = dt.date(2026, 1, 31)


def _survey(theme_id: str, organisation: str, last: Answer | None = None) -> DueSurvey:
    return DueSurvey(theme_id, organisation, "題", 2022, 3, "simple", last, DEADLINE, False)


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
    assert book.sheetnames == ["乙社", "甲社", "甲社 乙社"]  # a space does not separate organisations (names hold it)
    sheets = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}
    assert sheets["甲社"][0][:4] == ["テーマID", "調査年度", "回答機関", "段階"]  # the follow-ups contract first
    assert [(r[0], r[1], r[2], r[3]) for r in sheets["甲社"][1:]] == [
        ("A1", 2025, "甲社", None),
        ("A2", 2025, "甲社", None),
    ]
    assert [r[0] for r in sheets["乙社"][1:]] == ["B1"] and [r[0] for r in sheets["甲社 乙社"][1:]] == ["C1"]
    # 乙社 sends its sheet back filled in: it loads as follow-ups, and B1 is no longer due.
    for name in ("甲社", "甲社 乙社"):
        book.remove(book[name])
    book["乙社"]["D2"] = "製品化"
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
    surveys = tuple(_survey(f"T{i}", org) for i, org in enumerate(names))
    titles = [t.title for t in by_organisation(Due(2025, (3,), DEADLINE, None, surveys), words)]
    assert len({t.casefold() for t in titles}) == 4 and all(len(t) <= 31 for t in titles)
    assert {"A_B_C", "a_b_c (2)"} <= set(titles) and sum(t.endswith(" (2)") for t in titles) == 2
    [empty] = by_organisation(Due(2025, (3,), DEADLINE, None, ()), words)
    assert (empty.title, empty.rows, empty.headers[0]) == ("調査票", [], "テーマID")


def test_a_workbook_per_organisation_with_its_drop_downs_and_a4_landscape(tmp_path: Path) -> None:
    words = Words(Lang.ja)
    last = Answer(2024, "製品化", None, "製品X")
    due = Due(
        2025, (1, 2, 4, 6), DEADLINE, None, (_survey("A1", "甲社", last), _survey("B1", "乙社"), _survey("C1", "甲社"))
    )
    files = workbooks(due, words, 3)
    assert list(files) == ["追跡調査_FY2025_甲社.xlsx", "追跡調査_FY2025_乙社.xlsx"]
    path = tmp_path / "a.xlsx"
    path.write_bytes(files["追跡調査_FY2025_甲社.xlsx"])
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["記入要領", "回答"]
    guide = [[c.value for c in row] for row in book["記入要領"].iter_rows()]
    assert any("2026-01-31" in str(r[1]) for r in guide) and any("3 テーマ以上" in str(r[1]) for r in guide)
    ws = book["回答"]
    answers = [[c.value for c in row] for row in ws.iter_rows()]
    assert answers[0] == SHEET[Lang.ja]
    assert [r[:4] for r in answers[1:]] == [["A1", 2025, "甲社", None], ["C1", 2025, "甲社", None]]
    assert answers[1][8] == "製品X" and answers[1][15] == "製品化"  # the last answer pre-filled / shown
    validations = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    assert set(validations) == {"D2:D3", "E2:E3"}  # 段階 and 中止・中断の理由, on every row
    stage, reason = validations["D2:D3"], validations["E2:E3"]
    assert stage.type == "list" and stage.formula1 == '"' + ",".join(STAGES) + '"'
    assert reason.type == "list" and reason.formula1 == '"技術的課題,市場・需要,資金,事業戦略,その他"'
    for sheet in book.worksheets:  # A4 (9), landscape, one page wide (fitToWidth 1 is the default, left out)
        setup = sheet.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape")
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1) and setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"  # the header on every page


def test_english_workbooks_have_the_contract_names_and_the_reason_codes(tmp_path: Path) -> None:
    words = Words(Lang.en)
    files = workbooks(Due(2025, (3,), DEADLINE, None, (_survey("A1", ""),)), words, 3)
    assert list(files) == ["followups_FY2025_no organisation.xlsx"]
    path = tmp_path / "a.xlsx"
    path.write_bytes(next(iter(files.values())))
    ws = openpyxl.load_workbook(path)["answers"]
    assert [c.value for c in ws[1]] == SHEET[Lang.en] and ws["C2"].value is None  # blank: the theme as a whole
    reasons = [v.formula1 for v in ws.data_validations.dataValidation if str(v.sqref) == "E2"]
    assert reasons == ['"technical,market,funding,strategy,other"']


def test_file_names_are_safe_and_unique_regardless_of_case() -> None:
    words, taken = Words(Lang.ja), set()
    names = [file_name(2026, org, words, taken) for org in ("a/b:c", "A/B:C", "", 'x*?"<>|y')]
    assert names == [
        "追跡調査_FY2026_a_b_c.xlsx",
        "追跡調査_FY2026_A_B_C (2).xlsx",
        "追跡調査_FY2026_機関名なし.xlsx",
        "追跡調査_FY2026_x______y.xlsx",
    ]


def test_sheets_of_a_year_with_nothing_due_write_and_record_nothing(kpi_en, sample_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "none"
    result = kpi_en("followups", "sheets", "--db", str(sample_store), "--as-of", "2020", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "No follow-up survey is due in FY2020 (nothing written)." in result.stderr
    assert not out.exists() and "survey sent" not in kpi_en("loads", "--db", str(sample_store)).stdout


def test_sales_and_products_are_pre_filled_from_the_organisations_own_answer_only(tmp_path: Path) -> None:
    """A joint theme's answer as a whole may hold a partner's sales: it pre-fills no partner's row (F5); the answer of
    a theme with one organisation, or the organisation's own, does."""
    whole = Answer(2024, "上市", Decimal(50), "製品P")  # organisation '': the theme as a whole
    own = Answer(2024, "上市", Decimal(7), "製品Q", "甲社")
    surveys = (
        _survey("J1", "甲社", whole)._replace(joint=True),
        _survey("J1", "乙社", whole)._replace(joint=True),
        _survey("J2", "甲社", own)._replace(joint=True),
        _survey("S1", "丙社", whole),
    )
    files = workbooks(Due(2025, (3,), DEADLINE, None, surveys), Words(Lang.ja), 3)
    rows = {}
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        for row in openpyxl.load_workbook(path)["回答"].iter_rows(min_row=2, values_only=True):
            rows[row[0], row[2]] = (row[7], row[8], row[15])  # 累積売上高, 製品名, 前回の段階
    assert rows == {
        ("J1", "甲社"): (None, None, "上市"),
        ("J1", "乙社"): (None, None, "上市"),
        ("J2", "甲社"): (7, "製品Q", "上市"),
        ("S1", "丙社"): (50, "製品P", "上市"),
    }


def test_a_long_name_is_cut_by_bytes_and_the_workbook_is_written(tmp_path: Path) -> None:
    """A name of 100 Japanese characters (300 bytes) gives a file name the file system takes (at most 255 bytes with
    the gate's temporary affixes), still unique (F14)."""
    from kpi.db.gate import write_files

    words, taken = Words(Lang.ja), set()
    long = "国立研究開発法人" + "超長い名前の機関" * 11 + "株式会社"
    names = [file_name(2026, org, words, taken) for org in (long, long + "別", "ａ" + "あ" * 60)]
    assert names[0] != names[1] and names[1].endswith(" (2).xlsx")
    assert all(len(f".{name}.12345678.tmp".encode()) <= 255 for name in names)
    assert names[2] == "追跡調査_FY2026_ａ" + "あ" * 49 + ".xlsx"  # 150 bytes: no character cut in two
    written = write_files(tmp_path, dict.fromkeys(names, b"x"), force=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names) and len(written) == 3


def test_a_joint_themes_sales_as_a_whole_reach_no_partners_workbook(kpi, db: Path, tmp_path: Path) -> None:
    """kpi followups sheets end to end: the answer as a whole of a joint theme pre-fills neither partner's sales
    (F5), the one of a single organisation's theme does."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    write(inbox / "programme.toml", (SAMPLE / "programme.toml").read_text(encoding="utf-8"))  # a 3-year horizon
    write(inbox / "themes_2026-03-31.csv", _themes(("J1", "甲社、乙社"), ("S1", "丙社")))
    header = "テーマID,調査年度,回答機関,段階,累積売上高(億円),製品名\n"
    write(inbox / "followups.csv", header + "J1,2023,,上市,50,製品P\nS1,2023,,上市,9,製品S\n")
    assert kpi("load", "--db", str(db), str(inbox)).returncode == 0
    out = tmp_path / "sent"
    sent = kpi("followups", "sheets", "--db", str(db), "--as-of", "2024", "--out", str(out))  # round 2
    assert sent.returncode == 0, sent.stderr
    cells = {}
    for path in out.iterdir():
        for row in openpyxl.load_workbook(path)["回答"].iter_rows(min_row=2, values_only=True):
            cells[row[0], row[2]] = (row[7], row[8])
    assert cells == {("J1", "甲社"): (None, None), ("J1", "乙社"): (None, None), ("S1", "丙社"): (9, "製品S")}
