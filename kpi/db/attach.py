"""Programme databases read side by side (`kpi portfolio`): each attached read-only to a connection of its own,
never copied, one at a time.

A file is attached to an in-memory connection with `ATTACH … (READ_ONLY)` and made its default catalogue (`USE`),
so that every query of kpi.figures reads it unchanged; cursors taken through kpi.db.versions.cursor are given the
same catalogue.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from kpi.db import gate, versions
from kpi.db.connect import (
    ANYTHING,
    explain,
    fetch_one,
    refuse_newer,
    refuse_other_shape,
    refuse_unless_busy,
    schema_version,
    upgrade,
)
from kpi.db.copy import read_into
from kpi.db.files import SUFFIX
from kpi.db.schema import SCHEMA_VERSION
from kpi.errors import DatabaseUnreadable, NoData, UsageProblem

CATALOGUE = "programme"  # the name each programme's file is attached under (one at a time)


def programme_files(paths: list[Path]) -> list[Path]:
    """The database files named: files as given, and the `*.duckdb` files of a folder (its backups left out), in
    order of name; a path that is neither is a usage error."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.glob("*.duckdb") if p.is_file() and not p.name.endswith(SUFFIX))
        elif path.is_file():
            found.append(path)
        else:
            raise UsageProblem("portfolio.no_such_path", path=str(path))
    if not found:
        raise UsageProblem("portfolio.no_files", paths=", ".join(str(p) for p in paths))
    for path in found:
        gate.protect(path)
    return list(dict.fromkeys(p.resolve() for p in found))


def _literal(path: Path) -> str:
    """A file name as an SQL string literal (ATTACH takes no parameter)."""
    return "'" + str(path).replace("'", "''") + "'"


@contextmanager
def attached(path: Path, wait: float) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection reading one programme's database, attached read-only; waiting up to `wait` seconds while a
    load holds it. A file of another schema version, damaged or busy is refused as `kpi report` refuses it."""
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                con.execute(f"ATTACH {_literal(path)} AS {CATALOGUE} (READ_ONLY)")
                break
            except duckdb.Error as exc:
                refuse_unless_busy(exc, path, wait, deadline)
                time.sleep(0.1)
        con.execute(f"USE {CATALOGUE}")
        version = schema_version(con)
        refuse_newer(path, version)
        if version == 0 and fetch_one(con, ANYTHING) != (0,):
            raise DatabaseUnreadable("db.not_kpi", path=str(path))
        if version == 0:
            raise NoData("db.empty", path=str(path))
        if version < SCHEMA_VERSION:  # read as kpi reads it today, in memory: the other office's file is unchanged
            con.execute(f"USE memory; DETACH {CATALOGUE}; ATTACH ':memory:' AS {CATALOGUE}")
            read_into(con, path, CATALOGUE)
            con.execute(f"USE {CATALOGUE}")
            upgrade(con, path)
        versions.use(con, CATALOGUE)
        yield con
    except duckdb.Error as exc:
        refuse_other_shape(con, path, exc)
        explained = explain(exc, path)
        if explained is None:
            raise
        raise explained from exc
    finally:
        versions.forget(con)
        con.close()
