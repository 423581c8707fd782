"""Opening the database: owner-only files, schema versions, a missing file, reads that never write."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import duckdb
import pytest
from kit import SAMPLE_THEMES, english

from kpi.db import connect, schema
from kpi.errors import CannotWrite, DatabaseDamaged, DatabaseUnreadable, NoData, SchemaTooNew, UsageProblem


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


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    for opening in (connect.open_for_read, connect.open_for_write):
        with pytest.raises(UsageProblem) as refused, opening(tmp_path, wait=1):
            pass
        assert refused.value.key == "db.is_folder"
        assert english(refused.value).startswith(f"--db {tmp_path} is a folder")
    assert list(tmp_path.iterdir()) == []


def test_a_file_cut_short_is_found_by_duckdbs_own_reads_and_left_as_it_is(sample_store: Path) -> None:
    size = sample_store.stat().st_size
    os.truncate(sample_store, size - 262144)  # one block short: DuckDB trims free blocks, so the last one is used
    before = sample_store.read_bytes()
    with pytest.raises(DatabaseDamaged) as damaged, connect.open_for_write(sample_store, wait=1):
        pass
    assert damaged.value.key == "db.damaged_short" and damaged.value.exit_code == 65
    assert "Could not read enough bytes" in damaged.value.params["detail"]
    with pytest.raises(DatabaseDamaged) as read, connect.open_for_read(sample_store, wait=1) as con:
        connect.read_whole(con)
    assert read.value.key == "db.damaged_short"
    assert sample_store.read_bytes() == before
    assert not sample_store.with_name(sample_store.name + ".wal").exists()


def test_a_healthy_file_shorter_than_its_header_counts_opens(sample_store: Path, tmp_path: Path) -> None:
    """DuckDB trims free blocks off a file's end at a checkpoint while pragma_database_size still counts them: a
    file shorter than total_blocks × block_size is healthy when DuckDB reads every block of it. (Blocks are freed
    when a table is dropped, as a load drops its staged table; since nothing loaded is deleted, a scratch table
    stands for it here.)"""
    from kpi.load import ingest

    for statement in (
        "CREATE TABLE scratch AS SELECT range AS x, md5(CAST(range AS VARCHAR)) AS y FROM range(300000)",
        "DROP TABLE scratch",
    ):
        con = duckdb.connect(str(sample_store))
        con.execute(statement)
        con.execute("CHECKPOINT")
        con.close()
    [(block_size, total_blocks)] = rows(
        sample_store, "SELECT block_size, total_blocks FROM pragma_database_size() WHERE database_name = 'sample'"
    )
    assert sample_store.stat().st_size < 3 * 4096 + block_size * total_blocks  # what the landed check refused
    with connect.open_for_read(sample_store, wait=1) as con:
        connect.read_whole(con)
        assert con.execute("SELECT count(*) FROM theme_rows").fetchall() == [(144,)]
    text = SAMPLE_THEMES.read_text(encoding="utf-8-sig")
    corrected = tmp_path / "in" / SAMPLE_THEMES.name
    corrected.parent.mkdir()
    corrected.write_text(text.replace("目標達成", "目標未達", 1), encoding="utf-8")
    with connect.open_for_write(sample_store, wait=1) as con:  # and a load writes it
        ingest.load(con, [corrected], db=sample_store)
        assert con.execute("SELECT count(*) FROM theme_rows").fetchall() == [(288,)]


def test_damaged_blocks_are_found_before_a_load_writes(sample_store: Path) -> None:
    block = rows(sample_store, "SELECT max(block_id) FROM pragma_storage_info('theme_rows') WHERE block_id >= 0")[0][0]
    data = bytearray(sample_store.read_bytes())
    at = 3 * 4096 + block * 262144 + 512
    data[at : at + 64] = bytes(64)
    sample_store.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamaged) as damaged, connect.open_for_write(sample_store, wait=1):
        pass
    assert damaged.value.key == "db.damaged_blocks"
    assert "Corrupt database file" in damaged.value.params["detail"]
    assert sample_store.read_bytes() == bytes(data)


def test_duckdb_and_os_errors_about_the_file_are_explained(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    full = duckdb.IOException('IO Error: Could not write file "/x/k.duckdb.wal": No space left on device')
    explained = connect.explain(full, db, committed=True)
    assert isinstance(explained, CannotWrite) and explained.key == "io.disk_full"
    assert explained.params["path"] == "/x/k.duckdb.wal" and explained.params["committed"] is True
    other = connect.explain(duckdb.IOException('IO Error: Could not write file "/x/k": Input/output error'), db)
    assert other is not None and other.key == "io.write_failed"
    too_large = OSError(errno.EFBIG, "File too large", "/x/out.csv")
    assert connect.explain(too_large, db) is not None
    # the cause behind a failed ROLLBACK (an error raised while handling another) is found too
    try:
        try:
            raise duckdb.IOException('IO Error: Could not read enough bytes from file "/x/k.duckdb"')
        except duckdb.Error:
            raise duckdb.TransactionException("cannot rollback") from None
    except duckdb.Error as exc:
        assert connect.explain(exc, db) is None  # `from None` cuts the chain: not guessed
    try:
        try:
            raise duckdb.IOException('IO Error: Could not read enough bytes from file "/x/k.duckdb"')
        except duckdb.Error:
            raise duckdb.TransactionException("cannot rollback")  # noqa: B904 - the chain is the point
    except duckdb.Error as exc:
        damaged = connect.explain(exc, db)
        assert damaged is not None and damaged.key == "db.damaged_short"
    assert connect.explain(RuntimeError("Query interrupted"), db) is None
    assert connect.explain(ValueError("a bug"), db) is None


def test_a_connection_opened_early_is_the_one_a_read_takes(sample_store: Path) -> None:
    connect.open_early(sample_store)
    with connect.open_for_read(sample_store, wait=1) as con:
        assert con.execute("SELECT count(*) FROM theme_rows").fetchall()[0][0] > 0
        assert connect._early == []  # taken, not opened a second time


def test_a_connection_opened_early_never_stands_in_the_way_of_a_write(sample_store: Path) -> None:
    connect.open_early(sample_store)  # read-only: this process could not also open the file to write while held
    with connect.open_for_write(sample_store, wait=1) as con:
        con.execute("SELECT 1").fetchall()
    assert connect._early == []


def test_an_early_open_creates_nothing_and_blocks_on_nothing(tmp_path: Path) -> None:
    missing, fifo = tmp_path / "missing.duckdb", tmp_path / "fifo.duckdb"
    os.mkfifo(fifo)
    connect.open_early(missing)
    connect.open_early(fifo)
    assert connect._early == [] and not missing.exists()


def test_an_early_open_that_failed_is_tried_again_and_said(tmp_path: Path) -> None:
    not_a_database = tmp_path / "kpi.duckdb"
    not_a_database.write_text("theme_id,title\n")
    connect.open_early(not_a_database)
    with pytest.raises(DatabaseUnreadable), connect.open_for_read(not_a_database, wait=0):
        pass
    assert connect._early == []
