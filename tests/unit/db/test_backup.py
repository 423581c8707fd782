"""Backups: the copy a changing load keeps, how many stay, a copy read back whole, and a restore that keeps what
it replaces."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from faultkit import table_checksums
from kit import SAMPLE, SAMPLE_THEMES, write

from kpi.db import backup, connect, files
from kpi.errors import DatabaseBusy, DatabaseDamaged, DatabaseUnreadable, InputRejected, UsageProblem
from kpi.load import ingest


def load(db: Path, *paths: Path) -> list[int | None]:
    """Load files with the library as `kpi load` does (backups included); the load numbers written."""
    with connect.open_for_write(db, wait=5) as con:
        results, _ = ingest.load(con, list(paths), db=db)
    return [r.load_id for r in results]


def corrected(folder: Path, n: int) -> Path:
    folder.mkdir(exist_ok=True)
    text = SAMPLE_THEMES.read_text(encoding="utf-8-sig").replace("目標達成", "目標未達", n)
    return write(folder / SAMPLE_THEMES.name, text)


def test_a_load_that_changes_the_database_keeps_it_as_it_was(sample_store: Path, tmp_path: Path) -> None:
    before = connect_rows(sample_store, "SELECT count(*) FROM loads")
    [load_id] = load(sample_store, corrected(tmp_path / "a", 1))
    [kept] = files.listed(sample_store)
    assert kept.name.endswith(f"_load-{load_id}.duckdb")
    assert connect_rows(kept, "SELECT count(*) FROM loads") == before  # the database before the load
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700


def test_an_unchanged_load_and_a_refused_one_leave_no_copy(sample_store: Path, tmp_path: Path) -> None:
    assert load(sample_store, SAMPLE_THEMES) == [None]
    bad = write(tmp_path / "themes_bad.csv", "theme_id,item\nX,9\n")
    with pytest.raises(InputRejected), connect.open_for_write(sample_store, wait=5) as con:
        ingest.load(con, [bad], db=sample_store)
    assert files.listed(sample_store) == []


def test_a_load_that_changes_nothing_takes_no_copy_at_all(sample_store: Path, tmp_path: Path) -> None:
    folder = files.folder(sample_store)
    if folder.exists():
        folder.rmdir()  # empty: the sample's loads kept no copy
    assert load(sample_store, SAMPLE_THEMES) == [None]
    assert not folder.exists()  # the copy is taken once the load knows it writes, so not even its folder was made
    [load_id] = load(sample_store, corrected(tmp_path / "a", 1))
    [kept] = files.listed(sample_store)
    assert kept.name.endswith(f"_load-{load_id}.duckdb")


def test_the_first_load_of_a_new_database_keeps_no_copy(tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    load(db, SAMPLE_THEMES)
    assert not files.folder(db).exists()


def test_the_newest_copies_are_kept_as_many_as_the_settings_say(tmp_path: Path) -> None:
    db = tmp_path / "kpi.duckdb"
    settings = (SAMPLE / "programme.toml").read_text(encoding="utf-8") + "backups = 2\n"
    load(db, write(tmp_path / "programme.toml", settings), SAMPLE_THEMES)
    numbers = [load(db, corrected(tmp_path / f"c{n}", n))[0] for n in range(1, 5)]
    assert [p.name.split("_load-")[1] for p in files.listed(db)] == [f"{n}.duckdb" for n in numbers[-2:]]
    (tmp_path / "off").mkdir()
    load(db, write(tmp_path / "off" / "programme.toml", settings.replace("backups = 2", "backups = 0")))
    load(db, corrected(tmp_path / "c9", 9))
    assert len(files.listed(db)) == 2  # none taken with backups = 0 (the one kept before that load stays)


def test_a_copy_is_read_back_whole_and_a_damaged_or_foreign_backup_is_refused(
    sample_store: Path, tmp_path: Path
) -> None:
    with connect.open_for_write(sample_store, wait=5) as con:
        copy = backup.checked_copy(con, sample_store, tmp_path / "copy.duckdb", force=False)
    assert copy.loads == connect_rows(sample_store, "SELECT count(*) FROM loads")[0][0] and copy.size > 0
    os.truncate(copy.path, copy.size // 2)
    with pytest.raises(DatabaseDamaged) as damaged:
        backup.check_whole(copy.path)
    assert damaged.value.key == "backup.damaged_short" and damaged.value.exit_code == 65
    assert damaged.value.params == {"path": str(copy.path)}  # DuckDB's English stays in --debug (the cause)
    foreign = tmp_path / "other.duckdb"
    duckdb.connect(str(foreign)).execute("CREATE TABLE t (x INTEGER)").close()
    with pytest.raises(DatabaseUnreadable) as not_kpi:
        backup.check_whole(foreign)
    assert not_kpi.value.key == "backup.not_kpi"
    with pytest.raises(UsageProblem):
        backup.check_whole(tmp_path / "none.duckdb")


def test_a_backup_with_zeroed_blocks_is_said_damaged_in_the_catalogues_words(
    sample_store: Path, tmp_path: Path
) -> None:
    """A damaged backup is said by the damage kpi.db.connect.explain finds, never in DuckDB's English."""
    from kpi.present.catalogue import Words
    from kpi.present.messages import error_text

    with connect.open_for_write(sample_store, wait=5) as con:
        copy = backup.checked_copy(con, sample_store, tmp_path / "copy.duckdb", force=False)
    with open(copy.path, "r+b") as f:
        f.seek(100 * 4096)
        f.write(bytes(200 * 4096))
    with pytest.raises(DatabaseDamaged) as damaged:
        backup.check_whole(copy.path)
    assert damaged.value.key == "backup.damaged_blocks" and damaged.value.exit_code == 65
    said = error_text(damaged.value, Words("ja"))
    assert "チェックサム" in said and "Error" not in said and "checksum" not in said
    assert "Corrupt database file" in str(damaged.value.__cause__)  # kept for --debug


def test_a_restore_puts_the_backup_in_place_and_keeps_the_state_it_replaced(sample_store: Path, tmp_path: Path) -> None:
    with connect.open_for_write(sample_store, wait=5) as con:
        copy = backup.checked_copy(con, sample_store, tmp_path / "copy.duckdb", force=False)
    load(sample_store, corrected(tmp_path / "a", 2))
    after = table_checksums(sample_store)
    done = backup.restore(sample_store, copy.path, wait=5)
    assert done.kept_aside is not None and done.kept_aside.name.startswith("sample.duckdb.replaced-")
    assert table_checksums(done.kept_aside) == after  # the state the restore replaced
    assert table_checksums(sample_store) == table_checksums(copy.path)
    assert not files.wal_of(sample_store).exists()
    assert stat.S_IMODE(sample_store.stat().st_mode) == 0o600
    assert stat.S_IMODE(done.kept_aside.stat().st_mode) == 0o600


def test_two_restores_in_the_same_second_keep_both_states(sample_store: Path, tmp_path: Path) -> None:
    with connect.open_for_write(sample_store, wait=5) as con:
        copy = backup.checked_copy(con, sample_store, tmp_path / "copy.duckdb", force=False)
    load(sample_store, corrected(tmp_path / "a", 2))
    first_state = table_checksums(sample_store)
    first = backup.restore(sample_store, copy.path, wait=5)
    second = backup.restore(sample_store, copy.path, wait=5)
    assert first.kept_aside != second.kept_aside
    assert first.kept_aside is not None and table_checksums(first.kept_aside) == first_state


def test_a_restore_waits_for_a_busy_database_and_refuses_it_after_the_wait(sample_store: Path, tmp_path: Path) -> None:
    with connect.open_for_write(sample_store, wait=5) as con:
        copy = backup.checked_copy(con, sample_store, tmp_path / "copy.duckdb", force=False)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys; c = duckdb.connect({str(sample_store)!r}); print(1, flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"1"  # it holds the file now
        before = sample_store.read_bytes()
        with pytest.raises(DatabaseBusy):
            backup.restore(sample_store, copy.path, wait=0.5)
        assert sample_store.read_bytes() == before
    finally:
        holder.communicate(b"")


def test_a_backup_of_the_database_itself_is_refused(sample_store: Path) -> None:
    with pytest.raises(UsageProblem) as same:
        backup.restore(sample_store, sample_store, wait=1)
    assert same.value.key == "restore.same_file"


def connect_rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_taking_a_copy_keeps_the_database_locked_against_other_writers(sample_store: Path, tmp_path: Path) -> None:
    probe = f"import duckdb\ntry:\n    duckdb.connect({str(sample_store)!r})\n    print('opened')\nexcept duckdb.IOException as e:\n    print('locked' if 'lock' in str(e) else e)"
    with connect.open_for_write(sample_store, wait=5) as con:
        backup.take(con, tmp_path / "copy.duckdb")
        other = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert other.stdout.strip() == "locked", other.stdout + other.stderr


def test_a_copy_left_half_made_by_a_killed_process_is_removed_by_the_next_one(
    sample_store: Path, tmp_path: Path
) -> None:
    folder = files.folder(sample_store)
    folder.mkdir()
    leftover = write(folder / ".20261202T083012_load-8.duckdb.kpi-staged-0123456789ab.tmp", "half a copy")
    load(sample_store, corrected(tmp_path / "a", 1))
    assert not leftover.exists() and len(files.listed(sample_store)) == 1


def test_a_backup_pruned_while_the_restore_waited_for_the_lock_is_refused_by_name(
    sample_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load holding the lock prunes old copies; a restore of one that was waiting then finds it gone (exit 2)."""
    with connect.open_for_write(sample_store, wait=5) as con:
        copy = backup.checked_copy(con, sample_store, tmp_path / "copy.duckdb", force=False)
    checked = backup.check_whole

    def check_then_prune(path: Path) -> int:
        loads = checked(path)
        path.unlink()  # as a load's pruning does, while this restore waits for the lock
        return loads

    monkeypatch.setattr(backup, "check_whole", check_then_prune)
    before = table_checksums(sample_store)
    with pytest.raises(UsageProblem) as gone:
        backup.restore(sample_store, copy.path, wait=5)
    assert gone.value.key == "backup.not_a_file" and table_checksums(sample_store) == before
