"""The staged table: theme_rows' layout, and a write-ahead log that replays after a crash between COMMIT and
CHECKPOINT (its statements replay as data and plain casts: no function outside DuckDB's core)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from kit import SAMPLE_THEMES, cli, theme, themes_csv, write
from matrix import some_in_default

from kpi.db import stage
from kpi.db.connect import open_for_write

CRASH_AFTER_COMMIT = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from kpi.db.connect import open_for_write
    from kpi.load import ingest
    with open_for_write(Path(sys.argv[1])) as con:
        con.execute("SET checkpoint_threshold = '10GB'")  # nothing checkpoints on its own
        ingest.load(con, [Path(p) for p in sys.argv[2:]])
        os._exit(0)  # killed after COMMIT, before the CHECKPOINT
    """
)


def rows(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT * FROM theme_rows ORDER BY list_id, theme_id").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize(
    "first_list", some_in_default([pytest.param(True, id="first-list"), pytest.param(False, id="later-list")], 1)
)
def test_a_crash_after_the_commit_replays_the_log(tmp_path: Path, first_list: bool) -> None:
    office = write(
        tmp_path / "themes_2026-04-30.csv",
        themes_csv([theme("T1-001", status="令和5年度終了 目標達成", end_fy=""), theme("T1-002", status="on track")]),
    )
    crashed, clean = tmp_path / "crashed.duckdb", tmp_path / "clean.duckdb"
    for db in (crashed, clean):
        if not first_list:
            loaded = cli("load", "--db", str(db), str(SAMPLE_THEMES))
            assert loaded.returncode == 0, loaded.stderr
    run = subprocess.run(
        [sys.executable, "-c", CRASH_AFTER_COMMIT, str(crashed), str(office)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert Path(f"{crashed}.wal").exists()
    loaded = cli("load", "--db", str(clean), str(office))
    assert loaded.returncode == 0, loaded.stderr
    assert rows(crashed) == rows(clean)


def test_the_staged_table_is_built_in_theme_rows_layout(tmp_path: Path) -> None:
    path = write(tmp_path / "themes.csv", themes_csv([theme("T1")]))
    with open_for_write(tmp_path / "kpi.duckdb") as con:
        staged = stage.stage_csv(con, path, ",", {"theme_id": 0, "item": 1, "status": 8}, 9, {"theme_id"})
        assert staged.height == 1
        layout = con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [staged.table]
        ).fetchall()
        theme_rows = con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'theme_rows' ORDER BY column_index"
        ).fetchall()
        assert layout == theme_rows
        assert con.execute(f"SELECT theme_id, item, status, end_fy FROM {staged.table}").fetchall() == [
            ("T1", "1", "目標達成", None)
        ]
        stage.drop(con, staged)
