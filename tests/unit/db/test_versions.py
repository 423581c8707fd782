"""Versions: a database of schema 4 (the last before versions) upgraded with its rows as the first versions; every
kind of row read as known at each load; undo refusing what a later load built on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from faultkit import rows
from kit import cli

from kpi.db import connect, schema, versions
from kpi.db.known import KnownAt
from kpi.db.store import Store
from kpi.errors import UndoRefused, UsageProblem


def schema_4(path: Path) -> Path:
    """A database as kpi wrote it at schema version 4: its migrations, and rows in every kind a load writes."""
    con = duckdb.connect(str(path))
    for script in schema.MIGRATIONS[:4]:
        for statement in filter(str.strip, script.split(";")):
            con.execute(statement)
    con.execute("INSERT INTO meta VALUES ('schema_version', '4')")
    at = dt.datetime(2026, 4, 1, 9, 0)
    for n, kind in enumerate(("programme", "themes", "budget", "followups", "published"), start=1):
        con.execute(
            "INSERT INTO loads VALUES (?, ?, 'ab', ?, 1, 1, 0, ?, ?, ?)",
            [n, f"{kind}.csv", kind, at, dt.date(2026, 3, 31) if kind == "themes" else None, None],
        )
    con.execute("INSERT INTO programme VALUES ('name', 'P', 1), ('project_id', '3522', 1)")
    con.execute("INSERT INTO theme_lists VALUES (1, DATE '2026-03-31', 2)")
    con.execute("INSERT INTO theme_rows VALUES (1, 'T1', 1, '委託', 'a1', '某社', '題', 2021, 2023, 'achieved', 2)")
    con.execute("INSERT INTO budget VALUES (2021, 100, 90, 3), (2022, 100, NULL, 3)")
    con.execute("INSERT INTO followups VALUES ('T1', 2024, '上市', 4)")
    con.execute("INSERT INTO published VALUES ('short_term', 2025, '80%', 'p.1', 5), ('budget', 2025, '1', 'p.2', 5)")
    con.close()
    return path


def test_a_schema_4_database_is_upgraded_with_its_rows_as_first_versions(tmp_path: Path) -> None:
    db = schema_4(tmp_path / "v4.duckdb")
    kinds = ("budget", "followups", "programme")
    with duckdb.connect(str(db), read_only=True) as con:
        columns = {k: ", ".join(con.table(k).columns) for k in kinds}
    before = {k: rows(db, f"SELECT {columns[k]} FROM {k} ORDER BY ALL") for k in kinds}
    with connect.open_for_write(db, wait=1):
        pass
    assert rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(schema.SCHEMA_VERSION),)]
    for kind, stored in before.items():  # (later versions add columns: its own keep their values)
        assert rows(db, f"SELECT {columns[kind]} FROM {kind} ORDER BY ALL") == stored, kind
        assert rows(db, f"SELECT count(*) FROM {kind}_versions WHERE superseded_by IS NOT NULL") == [(0,)]
    assert rows(db, "SELECT * FROM theme_lists_versions") == [(1, dt.date(2026, 3, 31), 2, None)]
    assert rows(db, "SELECT theme_id, status FROM themes") == [("T1", "achieved")]
    assert rows(db, "SELECT figure FROM published ORDER BY position") == [("short_term",), ("budget",)]
    assert rows(db, "SELECT count(*) FROM loads WHERE undoes IS NULL AND reopened IS NULL") == [(5,)]
    assert rows(db, "SELECT count(*) FROM submissions") == [(0,)]


def test_every_kind_is_read_as_known_at_each_load(sample_store: Path, tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    budget = tmp_path / "b" / "budget.csv"
    budget.write_text("fy,budget,executed\n2019,999,1\n", encoding="utf-8")
    before = rows(sample_store, "SELECT fy, budget FROM budget WHERE fy = 2019")
    loads = int(rows(sample_store, "SELECT max(load_id) FROM loads")[0][0])
    assert cli("load", "--db", str(sample_store), str(budget)).returncode == 0
    store = Store(sample_store, 1)
    with store.reading(loads) as con:
        assert con.execute("SELECT fy, budget FROM budget WHERE fy = 2019").fetchall() == before
        assert con.execute("SELECT max(load_id) FROM loads").fetchall() == [(loads,)]
        assert versions.shown_load(con) is not None
        for kind in schema.VERSIONED:  # every kind reads through its view
            con.execute(f"SELECT count(*) FROM {kind}").fetchall()
        cursor = versions.cursor(con)  # a cursor reads what its connection reads
        assert cursor.execute("SELECT fy, budget FROM budget WHERE fy = 2019").fetchall() == before
        cursor.close()
    with store.reading() as con:
        now = con.execute("SELECT fy, budget FROM budget WHERE fy = 2019").fetchall()
        assert [(int(fy), int(b)) for fy, b in now] == [(2019, 999)]


def test_known_at_refuses_what_names_no_load(sample_store: Path) -> None:
    store = Store(sample_store, 1)
    with pytest.raises(UsageProblem) as refused, store.reading(999):
        pass
    assert refused.value.key == "known_at.no_such_load" and refused.value.params["last"] == 8  # the sample's loads
    with pytest.raises(UsageProblem) as early, store.reading(KnownAt(time=dt.datetime(2000, 1, 1))):
        pass
    assert early.value.key == "known_at.before_first"


def test_undo_refuses_a_load_built_on_and_an_undo(sample_store: Path, tmp_path: Path) -> None:
    from kpi.load import ingest

    for n, value in enumerate(("500", "600"), start=1):
        folder = tmp_path / f"b{n}"
        folder.mkdir()
        (folder / "budget.csv").write_text(f"fy,budget,executed\n2019,{value},1\n", encoding="utf-8")
        assert cli("load", "--db", str(sample_store), str(folder / "budget.csv")).returncode == 0
    with connect.open_for_write(sample_store, wait=1) as con:
        with pytest.raises(UndoRefused) as built:
            ingest.undo(con, 9)
        assert built.value.key == "undo.built_on" and built.value.params["later"] == "#10"
        done = ingest.undo(con, None)
        assert (done.undone, done.load_id, done.superseded, done.restored) == (10, 11, 1, 1)
        with pytest.raises(UndoRefused) as again:
            ingest.undo(con, None)
        assert again.value.key == "undo.latest_is_undo"
        with pytest.raises(UndoRefused) as twice:
            ingest.undo(con, 10)
        assert twice.value.key == "undo.already"
        assert [tuple(r) for r in con.execute("SELECT fy, budget FROM budget WHERE fy = 2019").fetchall()] == [
            (2019, 500)
        ]


def test_a_load_whose_later_load_was_undone_can_be_undone(sample_store: Path, tmp_path: Path) -> None:
    """The undo dead end: load 10 superseded load 9's row and was undone (11); undoing 9 is not refused by the
    link 10 left, and supersedes the copy undo 11 made current again."""
    from kpi.load import ingest

    sample = rows(sample_store, "SELECT fy, budget FROM budget WHERE fy = 2019")
    for n, value in enumerate(("500", "600"), start=1):
        folder = tmp_path / f"b{n}"
        folder.mkdir()
        (folder / "budget.csv").write_text(f"fy,budget,executed\n2019,{value},1\n", encoding="utf-8")
        assert cli("load", "--db", str(sample_store), str(folder / "budget.csv")).returncode == 0
    with connect.open_for_write(sample_store, wait=1) as con:
        assert ingest.undo(con, 10).load_id == 11
        assert versions.built_on(con, 9) == []
        done = ingest.undo(con, 9)
        assert (done.undone, done.load_id, done.superseded, done.restored) == (9, 12, 1, 1)
        assert [tuple(r) for r in con.execute("SELECT fy, budget FROM budget WHERE fy = 2019").fetchall()] == sample
    with Store(sample_store, 1).reading(11) as con:  # the state before is still as it was known
        assert [int(b) for (b,) in con.execute("SELECT budget FROM budget WHERE fy = 2019").fetchall()] == [500]


def test_a_load_that_superseded_an_undos_copy_still_refuses_the_undo(sample_store: Path, tmp_path: Path) -> None:
    """After load 10 was undone (11), load 12 supersedes the copy of load 9's row: undoing 9 names 12."""
    from kpi.load import ingest

    for n, value in enumerate(("500", "600", "700"), start=1):
        folder = tmp_path / f"b{n}"
        folder.mkdir()
        (folder / "budget.csv").write_text(f"fy,budget,executed\n2019,{value},1\n", encoding="utf-8")
        if n == 3:
            with connect.open_for_write(sample_store, wait=1) as con:
                ingest.undo(con, 10)
        assert cli("load", "--db", str(sample_store), str(folder / "budget.csv")).returncode == 0
    with connect.open_for_write(sample_store, wait=1) as con:
        assert versions.built_on(con, 9) == [12]
        with pytest.raises(UndoRefused) as built:
            ingest.undo(con, 9)
        assert built.value.params["later"] == "#12"
