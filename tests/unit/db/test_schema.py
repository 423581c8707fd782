"""Schema versions: a version-1 file (tests/fixtures/schema_v1.duckdb, written by kpi's real CLI at schema
version 1; see tests/fixtures/make_schema_v1.py) is upgraded in one transaction on its first write and
keeps every row; a newer file, a file that is not a DuckDB database and a DuckDB database that is not
kpi's are refused with exit 3 and a message, and left as they were.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import signal
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from faultkit import Spy, copy_db, database_at, rows, table_checksums
from kit import SAMPLE, SAMPLE_THEMES, TESTS, cli, cli_en

from kpi.db import connect, files, schema

FIXTURE = TESTS / "fixtures" / "schema_v1.duckdb"
V1_TABLES = ["budget", "followups", "loads", "meta", "programme", "theme_history", "themes"]


def version(db: Path) -> int:
    return int(rows(db, "SELECT value FROM meta WHERE key = 'schema_version'")[0][0])


def columns(db: Path) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows(
        db,
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position",
    ):
        found.setdefault(table, []).append((column, kind))
    return found


def v1_data(db: Path) -> dict[str, list[tuple]]:
    """The rows of every version-1 table, in version 1's columns (meta left out: its version changes)."""
    shape = columns(FIXTURE)
    return {
        table: rows(db, f"SELECT {', '.join(c for c, _ in shape[table])} FROM {table} ORDER BY ALL")
        for table in V1_TABLES
        if table != "meta"
    }


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    """A private copy of the version-1 fixture."""
    path = tmp_path / "v1.duckdb"
    shutil.copy(FIXTURE, path)
    return path


@pytest.fixture(scope="module")
def current_shape(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[str, str]]]:
    """The tables and columns of a database created by this kpi."""
    path = tmp_path_factory.mktemp("fresh") / "fresh.duckdb"
    assert cli("load", "--db", str(path), str(SAMPLE_THEMES)).returncode == 0
    return columns(path)


def test_the_fixture_is_a_version_1_database_with_rows_in_every_table() -> None:
    assert version(FIXTURE) == 1
    assert sorted(columns(FIXTURE)) == V1_TABLES
    counts = {t: rows(FIXTURE, f"SELECT count(*) FROM {t}")[0][0] for t in V1_TABLES}
    assert counts == {
        "budget": 7,
        "followups": 10,
        "loads": 5,
        "meta": 1,
        "programme": 6,
        "theme_history": 1,
        "themes": 144,
    }


def test_opening_the_v1_fixture_for_a_write_upgrades_it_and_keeps_the_v1_data(
    v1: Path, current_shape: dict[str, list[tuple[str, str]]]
) -> None:
    before = v1_data(v1)
    with connect.open_for_write(v1, wait=5):
        pass
    assert version(v1) == schema.SCHEMA_VERSION
    assert v1_data(v1) == before
    assert columns(v1) == current_shape


def test_a_failing_upgrade_leaves_the_file_exactly_at_version_1(v1: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The upgrade is one transaction: a migration that fails halfway leaves no table of any later version."""
    before = table_checksums(v1)
    broken = "CREATE TABLE half_done (x INTEGER); INSERT INTO half_done VALUES (1); SELECT * FROM no_such_table"
    monkeypatch.setattr(connect, "MIGRATIONS", [*schema.MIGRATIONS, broken])
    monkeypatch.setattr(connect, "SCHEMA_VERSION", len(schema.MIGRATIONS) + 1)
    with pytest.raises(duckdb.Error), connect.open_for_write(v1, wait=5):
        pass
    assert table_checksums(v1) == before
    assert version(v1) == 1


def test_a_report_on_the_v1_file_reads_it_upgraded_in_memory_and_leaves_the_file_as_it_was(v1: Path) -> None:
    before = v1.read_bytes()
    result = cli("report", "--db", str(v1), "--as-of", "2025", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"themes_loaded": 144' in result.stdout
    assert v1.read_bytes() == before and not files.wal_of(v1).exists()
    assert not files.folder(v1).exists()


def test_a_load_into_the_v1_file_upgrades_it_and_adds_to_its_data(v1: Path, tmp_path: Path) -> None:
    before = v1_data(v1)
    followups = tmp_path / "followups_2025.csv"
    followups.write_text("theme_id,survey_fy,stage\nT1-011,2025,上市\nT1-012,2025,研究\n", encoding="utf-8")
    result = cli("load", "--db", str(v1), str(followups))
    assert result.returncode == 0, result.stderr
    assert version(v1) == schema.SCHEMA_VERSION
    [kept] = files.listed(v1, re.compile(r".*_upgrade-v1\.duckdb$"))  # the file before the upgrade, named
    assert v1_data(kept) == before and str(kept) in result.stderr
    after = v1_data(v1)
    for table in ("themes", "theme_history", "budget", "programme"):
        assert after[table] == before[table], table
    assert set(before["followups"]) < set(after["followups"]) and len(after["followups"]) == 12
    assert set(before["loads"]) < set(after["loads"]) and len(after["loads"]) == 6


@pytest.mark.slow
def test_sigkill_during_the_upgrade_leaves_version_1_or_the_upgraded_file(v1: Path) -> None:
    before = v1_data(v1)
    for _ in range(5):  # each attempt proves where it stopped; a phase shorter than the reaction is tried again
        with Spy("load", "--db", str(v1), str(SAMPLE / "budget.csv")) as spy:
            # inside the upgrade's transaction: its last statement has begun, its COMMIT has not returned
            inside = spy.stop_inside("before INSERT OR REPLACE", "after COMMIT")
            spy.send(signal.SIGKILL)
            assert spy.finish(timeout=60) == -signal.SIGKILL
        if inside:
            break
        copy_db(FIXTURE, v1)
    else:
        raise AssertionError("the upgrade never stopped inside its transaction")
    assert version(v1) in (1, schema.SCHEMA_VERSION)
    assert v1_data(v1) == before
    result = cli("load", "--db", str(v1), str(SAMPLE / "budget.csv"))
    assert result.returncode == 0, result.stderr
    assert version(v1) == schema.SCHEMA_VERSION


COMMANDS = {
    "load": ["load", str(SAMPLE / "budget.csv")],
    "report": ["report", "--as-of", "2025"],
    "check": ["check", "--as-of", "2025"],
    "export": ["export", "--as-of", "2025", "--out", "{out}"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_newer_schema_is_refused_by_every_command_and_left_untouched(
    sample_store: Path, tmp_path: Path, command: str
) -> None:
    con = duckdb.connect(str(sample_store))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(schema.SCHEMA_VERSION + 1)])
    con.close()
    data = sample_store.read_bytes()
    args = [a.replace("{out}", str(tmp_path / "out")) for a in COMMANDS[command]]
    result = cli_en(*args[:1], "--db", str(sample_store), *args[1:])
    assert result.returncode == 3, result.stderr
    assert f"schema version {schema.SCHEMA_VERSION + 1}, newer than this kpi knows" in result.stderr
    ja = cli(*args[:1], "--db", str(sample_store), *args[1:])
    assert ja.returncode == 3 and f"スキーマ版 {schema.SCHEMA_VERSION + 1} はこの kpi が知る版" in ja.stderr
    assert "Traceback" not in result.stderr
    assert sample_store.read_bytes() == data
    assert not (tmp_path / "out").exists()


NOT_DATABASES = {
    "a-csv-file": ("notes.csv", b"fy,budget\n2025,1\n"),
    "a-text-file": ("notes.duckdb", b"not a database\n"),
    "an-empty-file": ("empty.duckdb", b""),
}


@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("a-csv-file", "load"),
        ("a-csv-file", "report"),
        ("a-text-file", "load"),
        ("an-empty-file", "load"),
        ("an-empty-file", "report"),
    ],
)
def test_a_db_path_that_is_not_a_duckdb_file_is_refused_and_left_untouched(
    tmp_path: Path, name: str, command: str
) -> None:
    file_name, content = NOT_DATABASES[name]
    path = tmp_path / file_name
    path.write_bytes(content)
    args = ["load", str(SAMPLE / "budget.csv")] if command == "load" else ["report"]
    result = cli_en(args[0], "--db", str(path), *args[1:])
    assert result.returncode == 3, result.stderr
    assert "cannot open database" in result.stderr or "not a" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == content
    assert not path.with_name(path.name + ".wal").exists()


def test_a_duckdb_database_that_is_not_kpis_is_refused_with_exit_3(tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE themes (name VARCHAR)")
    con.execute("INSERT INTO themes VALUES ('someone else''s data')")
    con.close()
    before = table_checksums(other)
    result = cli("load", "--db", str(other), str(SAMPLE_THEMES))
    assert "Traceback" not in result.stderr
    assert result.returncode == 3, result.stderr
    assert "kpi" in result.stderr and str(other) in result.stderr
    assert table_checksums(other) == before


def test_every_table_of_the_schema_is_listed_once_for_the_block_check(tmp_path: Path) -> None:
    """schema.TABLES is what a load reads whole before it writes: exactly the tables the migrations create."""
    db = tmp_path / "new.duckdb"
    with connect.open_for_write(db, wait=1):
        pass
    con = duckdb.connect(str(db), read_only=True)
    try:
        created = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()}
    finally:
        con.close()
    assert sorted(schema.TABLES) == sorted(created) and len(set(schema.TABLES)) == len(schema.TABLES)


def test_the_v1_fixture_upgraded_records_the_date_of_the_list_its_last_themes_load_wrote(v1: Path) -> None:
    with connect.open_for_write(v1, wait=1):
        pass
    con = duckdb.connect(str(v1), read_only=True)
    try:
        dated = con.execute(
            "SELECT l.snapshot = t.snapshot FROM loads l JOIN theme_lists t USING (load_id) WHERE l.kind = 'themes'"
        ).fetchall()
    finally:
        con.close()
    assert dated == [(True,)]


def schema_6(path: Path) -> Path:
    """A database as kpi wrote it at schema version 6, holding two surveys (one superseded by the other)."""
    con = database_at(path, 6)
    for n in (1, 2):
        con.execute(
            "INSERT INTO loads (load_id, file_name, sha256, kind, row_count, inserted, updated, loaded_at) "
            "VALUES (?, 'followups.csv', ?, 'followups', 1, 1, 0, TIMESTAMP '2026-04-01 09:00')",
            [n, f"sha{n}"],
        )
    con.execute("INSERT INTO followups_versions VALUES ('T1', 2024, '開発', 1, 2), ('T1', 2024, '上市', 2, NULL)")
    con.close()
    return path


def test_a_schema_6_database_keeps_every_survey_as_the_theme_as_a_whole(tmp_path: Path) -> None:
    db = schema_6(tmp_path / "v6.duckdb")
    with connect.open_for_write(db, wait=1):
        pass
    assert version(db) == schema.SCHEMA_VERSION
    assert rows(db, "SELECT theme_id, organisation, survey_fy, stage, sales, reason_code FROM followups") == [
        ("T1", "", 2024, "上市", None, None)
    ]
    assert rows(db, "SELECT organisation, superseded_by FROM followups_versions ORDER BY load_id") == [
        ("", 2),
        ("", None),
    ]
    assert rows(db, "SELECT count(*) FROM followup_sent") == [(0,)]
    assert schema.TABLE_KEYS["followups"] == ["theme_id", "organisation", "survey_fy"]


def test_a_schema_7_database_keeps_its_theme_lists_without_reasons(tmp_path: Path) -> None:
    path = tmp_path / "v7.duckdb"
    con = database_at(path, 7)
    con.execute(
        "INSERT INTO loads (load_id, file_name, sha256, kind, row_count, inserted, updated, loaded_at) "
        "VALUES (1, 'themes.csv', 'sha', 'themes', 1, 1, 0, TIMESTAMP '2026-04-01 09:00')"
    )
    con.execute("INSERT INTO theme_lists_versions VALUES (1, DATE '2026-03-31', 1, NULL)")
    con.execute("INSERT INTO theme_rows VALUES (1, 'T1', 1, '委託', 'a1', 'A社', 't', NULL, 2024, 'not_achieved', 1)")
    con.close()
    with connect.open_for_write(path, wait=1):
        pass
    assert version(path) == schema.SCHEMA_VERSION
    assert rows(path, "SELECT theme_id, status, snapshot, reason_code, reason_text FROM themes") == [
        ("T1", "not_achieved", dt.date(2026, 3, 31), None, None)
    ]


def test_stage_gate_scores_stored_before_criteria_become_total_scores(tmp_path: Path) -> None:
    """The scores of a database from before stage-gate criteria were recorded are each reviewer's total (criterion
    ''), with no committee decision; the key names the criterion."""
    path = tmp_path / "old.duckdb"
    con = database_at(path, "stagegate_versions ADD COLUMN criterion")
    con.execute(
        "INSERT INTO loads (load_id, file_name, sha256, kind, row_count, inserted, updated, loaded_at) "
        "VALUES (1, 'stagegate.csv', 'sha', 'stagegate', 2, 2, 0, TIMESTAMP '2026-04-01 09:00')"
    )
    con.execute(
        "INSERT INTO stagegate_versions VALUES ('T1', 2024, '甲', 72, 1, NULL), ('T1', 2024, '乙', 48, 1, NULL)"
    )
    con.close()
    with connect.open_for_write(path, wait=1):
        pass
    assert version(path) == schema.SCHEMA_VERSION
    assert rows(path, "SELECT reviewer, criterion, score, decision, decided_on FROM stagegate ORDER BY reviewer") == [
        ("乙", "", Decimal("48.00"), None, None),
        ("甲", "", Decimal("72.00"), None, None),
    ]
    assert schema.TABLE_KEYS["stagegate"] == ["theme_id", "review_fy", "reviewer", "criterion"]


def test_a_database_from_before_theme_attributes_keeps_its_lists_and_gains_the_empty_table(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = database_at(path, "CREATE TABLE theme_attributes")
    con.execute(
        "INSERT INTO loads (load_id, file_name, sha256, kind, row_count, inserted, updated, loaded_at) "
        "VALUES (1, 'themes.csv', 'sha', 'themes', 1, 1, 0, TIMESTAMP '2026-04-01 09:00')"
    )
    con.execute("INSERT INTO theme_lists_versions VALUES (1, DATE '2026-03-31', 1, NULL)")
    con.execute(
        "INSERT INTO theme_rows (list_id, theme_id, item, funding, element, organizations, title, end_fy, status, "
        "load_id) VALUES (1, 'T1', 1, '委託', 'a1', 'A社', 't', 2024, 'achieved', 1)"
    )
    con.close()
    with connect.open_for_write(path, wait=1):
        pass
    assert version(path) == schema.SCHEMA_VERSION
    assert rows(path, "SELECT theme_id, status FROM themes") == [("T1", "achieved")]
    assert rows(path, "SELECT count(*) FROM theme_attributes") == [(0,)]
    assert "theme_attributes" in schema.TABLES  # read whole before a load writes (kpi.db.connect.read_whole)
