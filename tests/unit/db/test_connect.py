"""Opening the database: owner-only files, schema versions, a missing file, reads that never write."""

from __future__ import annotations

import stat
from pathlib import Path

import duckdb
import pytest
from kit import SAMPLE_THEMES, english

from kpi.db import connect, schema
from kpi.errors import NoData, SchemaTooNew


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_database_file_is_owner_only(kpi, db: Path) -> None:
    assert kpi("load", "--db", str(db), str(SAMPLE_THEMES)).returncode == 0
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_schema_version_is_recorded_and_a_newer_file_refused(kpi_en, sample_store: Path) -> None:
    assert rows(sample_store, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(schema.SCHEMA_VERSION),)]
    con = duckdb.connect(str(sample_store))
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    result = kpi_en("report", "--db", str(sample_store))
    assert result.returncode == 3
    assert "schema version 999, newer than this kpi knows" in result.stderr
    with pytest.raises(SchemaTooNew), connect.open_for_write(sample_store, wait=1):
        pass


def test_missing_database_is_no_data(tmp_path: Path) -> None:
    with pytest.raises(NoData) as missing, connect.open_for_read(tmp_path / "none.duckdb", wait=1):
        pass
    assert missing.value.key == "db.missing" and "kpi load" in english(missing.value)


def test_a_read_does_not_write(sample_store: Path, kpi) -> None:
    before = sample_store.stat().st_mtime_ns, sample_store.read_bytes()
    assert kpi("report", "--db", str(sample_store), "--as-of", "2025").returncode == 0
    assert (sample_store.stat().st_mtime_ns, sample_store.read_bytes()) == before
