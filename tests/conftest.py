"""Shared fixtures: real DuckDB files, real CSV files, the CLI (in this process: kit.cli; kit.run_kpi for a real
subprocess)."""

from __future__ import annotations

import os

# Two tests run at once, one per core (pytest-xdist); polars' own pool of threads per test only adds CPU time on the
# small frames the tests read (a load of the sample: 20 % less CPU on one thread). Set before polars is imported;
# the benchmarks and the soak run kpi as users do.
os.environ.setdefault("POLARS_MAX_THREADS", "1")

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from kit import SAMPLE, cli, cli_en, grouped_programme, write


@pytest.fixture(autouse=True)
def _no_notices_carried() -> None:
    """Each test starts with no store notice left by the one before in its worker (one test upgrades a database by
    calling the store directly, and the next may read the notices)."""
    from kpi.db import notices

    notices.notices()


@pytest.fixture
def kpi() -> Callable[..., subprocess.CompletedProcess[str]]:
    """The CLI run in this process, giving what a subprocess gives (Japanese, kpi's default)."""
    return cli


@pytest.fixture
def kpi_en() -> Callable[..., subprocess.CompletedProcess[str]]:
    """The CLI run in this process, giving what a subprocess gives, with English messages."""
    return cli_en


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A path for a new database file (not yet created)."""
    return tmp_path / "kpi.duckdb"


@pytest.fixture(scope="session")
def _sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    result = cli("load", "--db", str(path), str(SAMPLE))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="session")
def grouped_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small programme with theme attributes (kit.GROUPED_ROWS), loaded once: read it, never write it."""
    return grouped_programme(tmp_path_factory.mktemp("grouped"))


@pytest.fixture
def sample_store(_sample_db: Path, tmp_path: Path) -> Path:
    """A database file loaded with sample_data/ (a private copy per test)."""
    path = tmp_path / "sample.duckdb"
    shutil.copy(_sample_db, path)
    return path


@pytest.fixture
def load(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """Load files (given as name → text) into a database with the library; returns the database path."""

    def _load(files: dict[str, str], db_path: Path | None = None) -> Path:
        from kpi.db.connect import open_for_write
        from kpi.load import ingest

        path = db_path or tmp_path / "lib.duckdb"
        folder = tmp_path / f"in{len(list(tmp_path.glob('in*')))}"
        folder.mkdir()
        paths = [write(folder / name, text) for name, text in files.items()]
        batch = ingest.read_files(paths)
        with open_for_write(path, wait=5) as con:
            ingest.load_files(con, batch)
        return path

    yield _load
