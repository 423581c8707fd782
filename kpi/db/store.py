"""The programme's database as a command names it: its file and how long to wait for it while it is busy.

Light to import (kpi --help builds every command without opening anything): DuckDB is imported when the store
is opened.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kpi.db import gate
from kpi.db.files import DEFAULT_DB, DEFAULT_WAIT, store_files
from kpi.db.known import KnownAt

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class Store:
    """A database file, and the seconds a command waits for it while another process holds it."""

    path: Path
    wait: float = DEFAULT_WAIT

    @classmethod
    def at(cls, db: Path | None, wait: float | None) -> Store:
        """The store --db and --wait name: else $KPI_DB, else ./kpi.duckdb; else 30 seconds. A symbolic link names
        the file it points to; the file is protected from every output of the command (kpi.db.gate)."""
        path = Path(db or os.environ.get("KPI_DB") or DEFAULT_DB)
        if path.is_symlink():
            path = Path(os.path.realpath(path))
        gate.protect(path)
        return cls(path, DEFAULT_WAIT if wait is None else wait)

    @contextmanager
    def reading(self, known_at: KnownAt | int | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection (kpi.db.connect.open_for_read); with `known_at`, showing the rows current right
        after that load (kpi.db.versions)."""
        from kpi.db.connect import open_for_read

        with open_for_read(self.path, self.wait) as con:
            if known_at is None:
                yield con
                return
            from kpi.db import versions

            versions.show_as_of(con, versions.resolve(con, known_at))
            try:
                yield con
            finally:
                versions.forget(con)

    @contextmanager
    def writing(self, upgrade_schema: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection, every block read first (kpi.db.connect.open_for_write); an older schema is
        upgraded unless `upgrade_schema` is false (a backup copies it as it is)."""
        from kpi.db.connect import open_for_write

        with open_for_write(self.path, self.wait, upgrade_schema) as con:
            yield con

    def own_files(self) -> list[Path]:
        """The database's own files: a load never reads one (outputs are refused by kpi.db.gate)."""
        return store_files(self.path)
